"""Parts of the note editor window: the kinds' names, the tags line with completion, the
formatting bar, and the editor's style (problems in red, the duplicate notice)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLineEdit, QToolButton, QWidget

from quizapp.domain import NoteKind
from quizapp.gui.theme import Colors
from quizapp.gui.widgets import named

KIND_LABELS = {
    NoteKind.BASIC: "Basic",
    NoteKind.BASIC_REVERSED: "Basic and reversed",
    NoteKind.CLOZE: "Cloze deletion",
    NoteKind.TRUE_FALSE: "True or false",
    NoteKind.MULTIPLE_CHOICE: "Multiple choice, one right",
    NoteKind.MULTIPLE_RESPONSE: "Multiple choice, several right",
    NoteKind.TYPED: "Typed answer",
    NoteKind.NUMERIC: "Numeric answer",
    NoteKind.MATCHING: "Matching",
    NoteKind.EXERCISE: "Exercise template",
}

# (name, button text, tooltip, keys); the dialog connects each to the focused field.
FORMAT_BUTTONS = (
    ("bold", "B", "Bold", "Ctrl+B"),
    ("italic", "I", "Italic", "Ctrl+I"),
    ("code", "</>", "Code", "Ctrl+Shift+K"),
    ("bullets", "•", "Bulleted list", "Ctrl+Shift+U"),
    ("numbers", "1.", "Numbered list", "Ctrl+Shift+O"),
    ("link", "Link", "Link to a media file", "Ctrl+Shift+L"),
    ("image", "Image…", "Insert an image (or paste or drop one)", "Ctrl+Shift+G"),
    ("cloze", "Cloze", "Hide the selection as the next cloze deletion", "Ctrl+Shift+C"),
)


class TagsEdit(QLineEdit):
    """Tags separated by spaces; the word being typed completes from the collection's tags."""

    def __init__(self, tags: Sequence[str]) -> None:
        super().__init__()
        self.setObjectName("tagsField")
        self.setAccessibleName("Tags")
        self.setPlaceholderText("Tags, separated by spaces (a::b for a tag below another)")
        self.completer_model = QStringListModel(list(tags), self)
        self.tag_completer = QCompleter(self.completer_model, self)
        self.tag_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tag_completer.setWidget(self)
        self.tag_completer.activated.connect(self.complete_with)
        self.textEdited.connect(self._on_text_edited)

    def tags(self) -> list[str]:
        """The tags written, in order."""
        return self.text().split()

    def complete_with(self, tag: str) -> None:
        """Put ``tag`` in place of the word being typed."""
        words = self.text().split(" ")
        words[-1] = tag
        self.setText(" ".join(words) + " ")

    def _on_text_edited(self, text: str) -> None:
        word = text.split(" ")[-1]
        self.tag_completer.setCompletionPrefix(word)
        if word and self.tag_completer.completionCount():
            self.tag_completer.complete()
        elif (popup := self.tag_completer.popup()) is not None:
            popup.hide()


def format_bar(
    parent: QWidget, act: Callable[[str], None]
) -> tuple[QWidget, dict[str, QAction], dict[str, QToolButton]]:
    """The formatting buttons, and one action per button holding its keys."""
    bar = named(QWidget(), "formatBar")
    layout = QHBoxLayout(bar)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    actions: dict[str, QAction] = {}
    buttons: dict[str, QToolButton] = {}
    for name, text, tip, keys in FORMAT_BUTTONS:
        action = named(QAction(text, parent), f"{name}Action")
        action.setShortcut(QKeySequence(keys))
        action.setToolTip(f"{tip} ({QKeySequence(keys).toString()})")
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _=False, name=name: act(name))
        parent.addAction(action)
        button = named(QToolButton(), f"{name}Button")
        button.setDefaultAction(action)
        button.setAccessibleName(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the text keeps the focus
        layout.addWidget(button)
        actions[name] = action
        buttons[name] = button
    layout.addStretch(1)
    return bar, actions, buttons


def editor_style(colors: Colors) -> str:
    """The editor's own style, over the app's."""
    return f"""
    QLabel#fieldLabel {{ color: {colors.muted}; font-weight: 600; }}
    QLabel#rowHeader {{ color: {colors.muted}; font-size: 12px; }}
    QLabel#fieldProblem {{ color: {colors.wrong}; font-size: 13px; padding-bottom: 4px; }}
    QLabel#duplicateWarning, QLabel#editorStatus {{
        color: {colors.text}; background: {colors.notice}; border: 1px solid {colors.hard};
        border-left: 5px solid {colors.hard}; border-radius: 6px; padding: 6px 10px;
    }}
    QLabel#editorStatus[outcome="done"] {{
        background: {colors.tint}; border-color: {colors.accent};
    }}
    QLabel#templatePreview {{
        background: {colors.surface}; border: 1px solid {colors.border}; border-radius: 6px;
        padding: 6px 10px;
    }}
    QTextEdit, QPlainTextEdit {{
        font-size: 15px; border: 1px solid {colors.border}; border-radius: 6px;
        background: {colors.surface}; padding: 2px;
    }}
    QTextEdit:focus, QPlainTextEdit:focus {{ border: 2px solid {colors.accent}; padding: 1px; }}
    QLineEdit {{ font-size: 14px; padding: 4px 8px; }}
    QLineEdit:focus {{ padding: 3px 7px; }}
    QComboBox {{ padding: 4px 8px; }}
    QToolButton {{
        min-width: 30px; padding: 3px 6px; border: 1px solid {colors.border};
        border-radius: 5px; background: {colors.surface};
    }}
    QToolButton:hover {{ border-color: {colors.accent}; }}
    QToolButton#boldButton {{ font-weight: 700; }}
    QToolButton#italicButton {{ font-style: italic; }}
    QToolButton#codeButton {{ font-family: monospace; }}
    QPushButton#rowRemove {{ padding: 2px; min-width: 0; }}
    QPushButton[addRow="true"] {{ padding: 4px 12px; }}
    QScrollArea#editorScroll, QScrollArea#previewScroll {{ border: none; background: transparent; }}
    QWidget#editorPage {{ background: transparent; }}
    *[problem="true"] {{ border: 2px solid {colors.wrong}; border-radius: 6px; }}
    """
