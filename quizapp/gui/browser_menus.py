"""The browser's menus, toolbar and the table's context menu, over the card actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QWidget

from quizapp.gui.card_actions import CardActions
from quizapp.gui.widgets import named

if TYPE_CHECKING:
    from quizapp.gui.browser import BrowserWindow

CARD_ITEMS = ("changeDeckAction", "setDueDateAction", "forgetAction", "repositionAction")
NOTE_ITEMS = ("addTagsAction", "removeTagsAction", "deleteNotesAction")
TOOLBAR_ITEMS = (
    "changeDeckAction",
    "addTagsAction",
    "setDueDateAction",
    "forgetAction",
    "deleteNotesAction",
)


def window_action(
    window: QWidget, text: str, name: str, keys: str, slot: Callable[[], object]
) -> QAction:
    """An action of ``window`` with its shortcut, active while the window is."""
    action = named(QAction(text, window), name)
    action.setShortcut(QKeySequence(keys))
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def build_menus(window: BrowserWindow, actions: CardActions) -> tuple[QAction, QAction, QMenu]:
    """Edit, Cards and Notes menus and the toolbar; the Info and mode actions and the
    flag menu, which the context menu shows too."""
    acts = actions.actions
    info = window_action(window, "&Info…", "cardInfoAction", "Ctrl+Shift+I", window.show_card_info)
    find = window_action(window, "&Find", "findAction", "Ctrl+F", window.focus_search)
    mode = window_action(
        window, "Toggle cards / &notes", "modeAction", "Ctrl+Alt+T", window.toggle_mode
    )
    select_all = window_action(
        window, "Select &all", "selectAllAction", "Ctrl+Alt+A", window.table.selectAll
    )
    close = window_action(window, "&Close", "closeBrowserAction", "Escape", window.close)
    edit_menu = window.menuBar().addMenu("&Edit")
    edit_menu.addActions([actions.undo_action, find, select_all, mode, close])
    flag_menu = named(QMenu("F&lag", window), "flagMenu")
    flag_menu.addActions([acts[f"flag{flag}Action"] for flag in range(1, 8)])
    cards_menu = window.menuBar().addMenu("&Cards")
    cards_menu.addActions([acts["suspendAction"], acts["buryAction"]])
    cards_menu.addMenu(flag_menu)
    cards_menu.addActions([acts[name] for name in CARD_ITEMS])
    cards_menu.addAction(info)
    notes_menu = window.menuBar().addMenu("&Notes")
    notes_menu.addActions([acts[name] for name in NOTE_ITEMS])
    toolbar = named(QToolBar("Actions"), "browserToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    toolbar.addActions([acts["suspendAction"], acts["buryAction"], flag_menu.menuAction()])
    toolbar.addActions([acts[name] for name in TOOLBAR_ITEMS])
    toolbar.addSeparator()
    toolbar.addActions([info, actions.undo_action])
    window.addToolBar(toolbar)
    return info, mode, flag_menu


def table_menu(actions: CardActions, flag_menu: QMenu, info: QAction, parent: QWidget) -> QMenu:
    """The table's context menu: what can be done to the selected rows."""
    acts = actions.actions
    menu = named(QMenu(parent), "browserTableMenu")
    menu.addActions([acts["suspendAction"], acts["buryAction"]])
    menu.addMenu(flag_menu)
    menu.addActions([acts[name] for name in CARD_ITEMS])
    menu.addSeparator()
    menu.addActions([acts[name] for name in NOTE_ITEMS])
    menu.addSeparator()
    menu.addAction(info)
    return menu
