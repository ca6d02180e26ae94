"""Each card action of the browser by its Anki key changes the collection; Ctrl+Z undoes it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from quizapp.bootstrap import App
from quizapp.domain import Rating
from quizapp.gui.browser import BrowserWindow
from quizapp.gui.browser_dialogs import (
    DeckChooserDialog,
    ForgetDialog,
    RepositionDialog,
    TextDialog,
)
from quizapp.gui.browser_menus import table_menu
from quizapp.gui.main_window import MainWindow
from tests.gui.browser_helpers import (
    card_column,
    key,
    note_tags,
    open_browser,
    questions,
    search,
    select_question,
)

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
BASIC = "What is a model parameter?"


def back_to(qtbot: QtBot, browser: BrowserWindow) -> None:
    """The dialog closed, the browser active again (as the desktop does)."""
    qtbot.waitUntil(lambda: browser.card_actions.dialog is None)
    browser.activateWindow()
    qtbot.waitUntil(browser.isActiveWindow)


def undo(qtbot: QtBot, browser: BrowserWindow) -> None:
    back_to(qtbot, browser)
    key(qtbot, browser.table, Qt.Key.Key_Z, CTRL)


def dialog_of(qtbot: QtBot, browser: BrowserWindow, kind: type) -> object:
    qtbot.waitUntil(lambda: isinstance(browser.card_actions.dialog, kind))
    dialog = browser.card_actions.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()  # as a desktop makes a new dialog active
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_ctrl_j_suspends_and_unsuspends_and_ctrl_z_undoes(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    browser = open_browser(qtbot, window)
    card_id = select_question(browser, BASIC)

    key(qtbot, browser.table, Qt.Key.Key_J, CTRL)
    assert card_column(db_path, card_id, "suspended") == 1
    row = questions(browser).index(BASIC)
    assert browser.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "Suspended 1 card" in browser.statusBar().currentMessage()

    key(qtbot, browser.table, Qt.Key.Key_J, CTRL)  # the current card is suspended: unsuspend
    assert card_column(db_path, card_id, "suspended") == 0

    undo(qtbot, browser)
    assert card_column(db_path, card_id, "suspended") == 1
    undo(qtbot, browser)
    assert card_column(db_path, card_id, "suspended") == 0
    assert browser.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is None


def test_ctrl_shift_j_buries_and_ctrl_z_undoes(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    browser = open_browser(qtbot, window)
    card_id = select_question(browser, BASIC)

    key(qtbot, browser.table, Qt.Key.Key_J, CTRL, SHIFT)
    assert card_column(db_path, card_id, "buried") == 1
    undo(qtbot, browser)
    assert card_column(db_path, card_id, "buried") == 0


def test_ctrl_number_flags_and_the_same_flag_again_unflags(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    browser = open_browser(qtbot, window)
    card_id = select_question(browser, BASIC)

    key(qtbot, browser.table, Qt.Key.Key_3, CTRL)
    assert card_column(db_path, card_id, "flag") == 3
    key(qtbot, browser.table, Qt.Key.Key_5, CTRL)
    assert card_column(db_path, card_id, "flag") == 5
    key(qtbot, browser.table, Qt.Key.Key_5, CTRL)
    assert card_column(db_path, card_id, "flag") == 0

    undo(qtbot, browser)
    assert card_column(db_path, card_id, "flag") == 5
    assert window.undo_action.text() == "&Undo flag 1 card"


def test_several_rows_are_acted_on_together(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    browser = open_browser(qtbot, window)
    search(qtbot, browser, "deck:Test::Counting")
    browser.table.setFocus()
    key(qtbot, browser.table, Qt.Key.Key_A, CTRL)  # the table's own select all
    assert len(browser.table.selected_rows()) == 3

    key(qtbot, browser.table, Qt.Key.Key_1, CTRL)

    with sqlite3.connect(db_path) as connection:
        flags = [f for (f,) in connection.execute("SELECT flag FROM cards ORDER BY id")]
    assert sorted(flags) == [0, 0, 0, 0, 1, 1, 1]
    undo(qtbot, browser)
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM cards WHERE flag != 0").fetchone() == (0,)


def test_ctrl_d_moves_to_a_deck_typed_in_the_chooser(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    browser = open_browser(qtbot, window)
    card_id = select_question(browser, BASIC)
    before = card_column(db_path, card_id, "deck_id")

    key(qtbot, browser.table, Qt.Key.Key_D, CTRL)
    chooser = dialog_of(qtbot, browser, DeckChooserDialog)
    assert isinstance(chooser, DeckChooserDialog)
    qtbot.keyClicks(chooser.filter_line, "Counting")
    assert chooser.value() == "Test::Counting"
    chooser.filter_line.clear()
    qtbot.keyClicks(chooser.filter_line, "Revision::Week 1")
    qtbot.keyClick(chooser.filter_line, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: browser.card_actions.dialog is None)
    with sqlite3.connect(db_path) as connection:
        (name,) = connection.execute(
            "SELECT decks.name FROM decks JOIN cards ON cards.deck_id = decks.id "
            "WHERE cards.id = ?",
            (card_id,),
        ).fetchone()
    assert name == "Revision::Week 1"
    assert browser.sidebar.item_for('deck:"Revision::Week 1"') is not None
    undo(qtbot, browser)
    assert card_column(db_path, card_id, "deck_id") == before


def test_tags_are_added_and_removed_by_their_keys(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    browser = open_browser(qtbot, window)
    card_id = select_question(browser, BASIC)

    key(qtbot, browser.table, Qt.Key.Key_A, CTRL, SHIFT)
    tags = dialog_of(qtbot, browser, TextDialog)
    assert isinstance(tags, TextDialog)
    qtbot.keyClicks(tags.line, "exam::june hard")
    qtbot.keyClick(tags.line, Qt.Key.Key_Return)
    assert set(note_tags(db_path, card_id).split()) == {"concepts", "exam::june", "hard"}

    back_to(qtbot, browser)
    key(qtbot, browser.table, Qt.Key.Key_A, CTRL, SHIFT, ALT)
    remove = dialog_of(qtbot, browser, TextDialog)
    assert isinstance(remove, TextDialog)
    qtbot.keyClicks(remove.line, "exam")
    qtbot.keyClick(remove.line, Qt.Key.Key_Return)
    assert set(note_tags(db_path, card_id).split()) == {"concepts", "hard"}

    undo(qtbot, browser)
    assert "exam::june" in note_tags(db_path, card_id).split()
    undo(qtbot, browser)
    assert note_tags(db_path, card_id) == "concepts"


def test_ctrl_alt_n_forgets_a_reviewed_card(
    qtbot: QtBot, window: MainWindow, small_app: App, db_path: Path
) -> None:
    session = small_app.study(None)
    assert session.current is not None
    card_id = session.current.card.id
    session.answer(Rating.GOOD, 3000)
    browser = open_browser(qtbot, window)
    select_question(browser, BASIC)
    assert card_column(db_path, card_id, "state") != 0

    key(qtbot, browser.table, Qt.Key.Key_N, CTRL, ALT)
    forget = dialog_of(qtbot, browser, ForgetDialog)
    assert isinstance(forget, ForgetDialog)
    qtbot.keyClick(forget.restore_position, Qt.Key.Key_Return)

    assert card_column(db_path, card_id, "state") == 0
    history = small_app.cards.card_info(card_id).history  # kept, the forgetting added
    assert [line.rating for line in history] == [Rating.GOOD, None]
    undo(qtbot, browser)
    assert card_column(db_path, card_id, "state") != 0


def test_ctrl_shift_s_repositions_new_cards(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    browser = open_browser(qtbot, window)
    last = "How many parameters has a dense layer with 10 inputs and 5 outputs?"
    card_id = select_question(browser, last)
    before = card_column(db_path, card_id, "due")

    key(qtbot, browser.table, Qt.Key.Key_S, CTRL, SHIFT)
    reposition = dialog_of(qtbot, browser, RepositionDialog)
    assert isinstance(reposition, RepositionDialog)
    qtbot.keyClick(reposition.start, Qt.Key.Key_Return)  # start 0: first in the new queue

    with sqlite3.connect(db_path) as connection:
        (first,) = connection.execute(
            "SELECT id FROM cards WHERE state = 0 ORDER BY due, id LIMIT 1"
        ).fetchone()
    assert first == card_id
    undo(qtbot, browser)
    assert card_column(db_path, card_id, "due") == before


def test_ctrl_shift_d_sets_a_due_date_and_explains_a_wrong_one(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    browser = open_browser(qtbot, window)
    card_id = select_question(browser, BASIC)

    key(qtbot, browser.table, Qt.Key.Key_D, CTRL, SHIFT)
    due = dialog_of(qtbot, browser, TextDialog)
    assert isinstance(due, TextDialog)
    qtbot.keyClicks(due.line, "soon")
    qtbot.keyClick(due.line, Qt.Key.Key_Return)
    assert due.isVisible()
    assert due.error_label.isVisible()
    assert due.error_label.text()
    due.line.clear()
    qtbot.keyClicks(due.line, "3-7!")
    qtbot.keyClick(due.line, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: browser.card_actions.dialog is None)
    assert card_column(db_path, card_id, "state") == 2  # a review card now
    undo(qtbot, browser)
    assert card_column(db_path, card_id, "state") == 0


def test_ctrl_delete_says_what_goes_then_deletes_and_ctrl_z_brings_it_back(
    qtbot: QtBot, window: MainWindow, small_app: App, db_path: Path
) -> None:
    browser = open_browser(qtbot, window)
    card_id = select_question(browser, "Weight")  # one card of the reversed pair
    small_app.cards.set_due_date([card_id], "0")  # a manual entry in its history

    key(qtbot, browser.table, Qt.Key.Key_Delete, CTRL)
    box = dialog_of(qtbot, browser, QMessageBox)
    assert isinstance(box, QMessageBox)
    assert box.text() == "Delete 1 note, 2 cards and 1 review?"
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Delete is the default: asked for by Ctrl+Delete

    qtbot.waitUntil(lambda: browser.model.rowCount() == 5)
    assert "Weight" not in questions(browser)
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM cards").fetchone() == (5,)
    undo(qtbot, browser)
    assert browser.model.rowCount() == 7
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM cards").fetchone() == (7,)


def test_the_context_menu_holds_the_actions(qtbot: QtBot, window: MainWindow) -> None:
    browser = open_browser(qtbot, window)
    actions = browser.card_actions
    menu = table_menu(actions, browser.flag_menu, browser.info_action, browser)

    names = [action.objectName() for action in menu.actions()]
    assert {"suspendAction", "changeDeckAction", "deleteNotesAction", "cardInfoAction"} <= set(
        names
    )
    flags = [action.shortcut().toString() for action in browser.flag_menu.actions()]
    assert flags == [f"Ctrl+{n}" for n in range(1, 8)]
