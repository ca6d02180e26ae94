"""The browser's side panel: decks, tags, flags, card states and kinds, each a search.

Clicking an entry (or pressing Enter on it) asks for its search: ``deck:"A::B"``,
``tag:x``, ``flag:3``, ``is:suspended``, ``kind:numeric``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from quizapp.domain import NoteKind
from quizapp.domain.decks import DECK_SEPARATOR
from quizapp.gui.browser_columns import KIND_NAMES
from quizapp.gui.flags import FLAG_NAMES, flag_icon
from quizapp.services.browser_lists import BrowserLists, deck_search, tag_search

SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1
STATES = (
    ("New", "is:new"),
    ("Learning", "is:learn"),
    ("Review", "is:review"),
    ("Due", "is:due"),
    ("Suspended", "is:suspended"),
    ("Buried", "is:buried"),
)


class BrowserSidebar(QTreeWidget):
    """The searches a learner makes most, as a tree; ``search_requested`` carries one."""

    search_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("browserSidebar")
        self.setAccessibleName("Browse by deck, tag, flag, state or kind")
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.itemClicked.connect(self._on_item_clicked)
        self.itemActivated.connect(self._on_item_clicked)
        self.sections: dict[str, QTreeWidgetItem] = {}

    def show_lists(self, lists: BrowserLists) -> None:
        """Fill the tree; the sections folded or unfolded stay so."""
        folded = {name for name, item in self.sections.items() if not item.isExpanded()}
        self.clear()
        self.sections = {}
        self._entry(self, "Whole collection", "")
        decks = self._section("Decks")
        _fill_tree(decks, lists.decks, deck_search)
        tags = self._section("Tags")
        _fill_tree(tags, lists.tags, tag_search)
        if not lists.tags:
            self._entry(tags, "(no tags yet)", None)
        flags = self._section("Flags")
        for flag in range(1, len(FLAG_NAMES)):
            self._entry(flags, FLAG_NAMES[flag], f"flag:{flag}").setIcon(0, flag_icon(flag))
        self._entry(flags, "Flagged (any)", "is:flagged")
        self._entry(flags, "No flag", "flag:0")
        states = self._section("Card states")
        for name, search in STATES:
            self._entry(states, name, search)
        kinds = self._section("Kinds")
        for kind in NoteKind:
            self._entry(kinds, KIND_NAMES[kind], f"kind:{kind.value}")
        for name, item in self.sections.items():
            item.setExpanded(name not in folded and name != "Kinds")
        if len(lists.decks) <= 40:  # a short deck tree shown whole
            for item in _walk(decks):
                item.setExpanded(True)
        if not folded:
            self.sections["Decks"].setExpanded(True)

    def item_for(self, search: str) -> QTreeWidgetItem | None:
        """The entry whose search is ``search``, if there is one."""
        for item in _walk(self.invisibleRootItem()):
            if item.data(0, SEARCH_ROLE) == search:
                return item
        return None

    def _section(self, name: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self, [name])
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.sections[name] = item
        return item

    @staticmethod
    def _entry(
        parent: QTreeWidget | QTreeWidgetItem, name: str, search: str | None
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [name])
        item.setData(0, SEARCH_ROLE, search)
        if search is not None:
            item.setToolTip(0, search or "every card")
        return item

    def _on_item_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        search = item.data(0, SEARCH_ROLE)
        if isinstance(search, str):
            self.search_requested.emit(search)


def _fill_tree(
    section: QTreeWidgetItem, names: Iterable[str], search_of: Callable[[str], str]
) -> None:
    """One entry per level of each ``::`` name, under its parent."""
    made: dict[str, QTreeWidgetItem] = {}
    for name in names:
        levels = name.split(DECK_SEPARATOR)
        for depth in range(1, len(levels) + 1):
            full = DECK_SEPARATOR.join(levels[:depth])
            if full in made:
                continue
            parent = made.get(DECK_SEPARATOR.join(levels[: depth - 1]), section)
            item = QTreeWidgetItem(parent, [levels[depth - 1]])
            item.setData(0, SEARCH_ROLE, search_of(full))
            item.setToolTip(0, search_of(full))
            made[full] = item


def _walk(item: QTreeWidgetItem) -> Iterable[QTreeWidgetItem]:
    for index in range(item.childCount()):
        child = item.child(index)
        if child is None:
            continue
        yield child
        yield from _walk(child)
