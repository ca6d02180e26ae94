"""Opening the browser as a learner does (B), and reading the collection behind it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from quizapp.gui.browser import BrowserWindow
from quizapp.gui.main_window import MainWindow


def open_browser(qtbot: QtBot, window: MainWindow) -> BrowserWindow:
    """Press B on the deck list and wait for the first rows."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.deck_list.tree.setFocus()
    qtbot.keyClick(window.deck_list.tree, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: window.browser is not None and window.browser.ready)
    browser = window.browser
    assert browser is not None
    qtbot.waitUntil(lambda: browser.model.complete)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is browser)
    return browser


def key(qtbot: QtBot, target: QWidget, sequence: str | Qt.Key, *mods: Qt.KeyboardModifier) -> None:
    """Press a key in ``target`` with these modifiers."""
    modifier = Qt.KeyboardModifier.NoModifier
    for mod in mods:
        modifier |= mod
    qtbot.keyClick(target, sequence, modifier)


def search(qtbot: QtBot, browser: BrowserWindow, text: str) -> None:
    """Type a search in the line and press Enter."""
    line = browser.search_line
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def questions(browser: BrowserWindow) -> list[str]:
    """The question column's texts, top to bottom."""
    model = browser.model
    column = model.column_of("question")
    assert column is not None
    return [model.index(row, column).data() for row in range(model.rowCount())]


def select_question(browser: BrowserWindow, text: str) -> int:
    """Select the row whose question is ``text`` (and make it current); its card id."""
    row = questions(browser).index(text)
    browser.table.select_rows([row], row)
    browser.table.setFocus()
    return int(browser.model.ids[row])


def card_column(db_path: Path, card_id: int, column: str) -> object:
    """One column of a card's row, read as another program would."""
    with sqlite3.connect(db_path) as connection:
        row = connection.execute(f"SELECT {column} FROM cards WHERE id = ?", (card_id,)).fetchone()
    return None if row is None else row[0]


def note_tags(db_path: Path, card_id: int) -> str:
    """The tags of a card's note, as stored."""
    with sqlite3.connect(db_path) as connection:
        (tags,) = connection.execute(
            "SELECT notes.tags FROM notes JOIN cards ON cards.note_id = notes.id "
            "WHERE cards.id = ?",
            (card_id,),
        ).fetchone()
    return str(tags)
