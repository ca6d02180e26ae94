"""Decks arranged from the deck list by keys, its context menu and drags, each undone by Ctrl+Z."""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from random import Random

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from quizapp.bootstrap import App, open_app
from quizapp.domain import Deck, Rating
from quizapp.gui.app import application, build_main_window
from quizapp.gui.deck_dialogs import DeckNameDialog
from quizapp.gui.deck_list import DECK_ROLE, browse_search
from quizapp.gui.main_window import MainWindow
from quizapp.services import ManualClock

# What the offscreen platform says of every popup menu; not ours to fix.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing"
)

DECKS = """\
quizapp_bank: 1
id: decks
title: Decks
decks:
  - name: "Alpha::One"
    notes: [{id: a1, front: One?, back: one}, {id: a1b, front: Uno?, back: uno}]
  - name: "Alpha::Two"
    notes: [{id: a2, front: Two?, back: two}]
  - name: "Beta::Three"
    notes: [{id: b3, front: Three?, back: three}]
"""


@pytest.fixture
def decks_app(tmp_path: Path, db_path: Path, clock: ManualClock) -> Iterator[App]:
    bank = tmp_path / "decks.yaml"
    bank.write_text(DECKS, encoding="utf-8")
    app = open_app(db_path, clock=clock, rng=Random(3), seed_banks=[bank])
    yield app
    app.close()


def _open(qtbot: QtBot, app: App, settings_file: Path) -> MainWindow:
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    window = build_main_window(
        app, argparse.Namespace(command=None, deck=None), application("light"), settings
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.deck_list.tree.setFocus()
    return window


@pytest.fixture
def window(qtbot: QtBot, decks_app: App, tmp_path: Path) -> MainWindow:
    return _open(qtbot, decks_app, tmp_path / "settings.ini")


def deck_names(db_path: Path) -> list[str]:
    with sqlite3.connect(db_path) as connection:
        return sorted(name for (name,) in connection.execute("SELECT name FROM decks"))


def cards_in(db_path: Path, deck: str) -> int:
    with sqlite3.connect(db_path) as connection:
        (number,) = connection.execute(
            "SELECT count(*) FROM cards JOIN decks ON decks.id = cards.deck_id "
            "WHERE decks.name = ?",
            (deck,),
        ).fetchone()
    return int(number)


def shown_names(window: MainWindow) -> list[str]:
    return sorted(
        deck.name
        for index in window.deck_list.all_indexes()
        if isinstance(deck := index.data(DECK_ROLE), Deck)
    )


def select(window: MainWindow, name: str) -> QModelIndex:
    for index in window.deck_list.all_indexes():
        deck = index.data(DECK_ROLE)
        if isinstance(deck, Deck) and deck.name == name:
            window.deck_list.tree.setCurrentIndex(index)
            return index
    raise AssertionError(f"{name} is not in the deck list")


def name_dialog(qtbot: QtBot, window: MainWindow) -> DeckNameDialog:
    qtbot.waitUntil(lambda: isinstance(window.deck_actions.dialog, DeckNameDialog))
    dialog = window.deck_actions.dialog
    assert isinstance(dialog, DeckNameDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def type_name(qtbot: QtBot, dialog: DeckNameDialog, name: str) -> None:
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, name)
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)


def undo(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()  # back from a dialog, as the desktop does
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.deck_list.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def message_box(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    """The confirmation open now, active as a desktop makes a new dialog."""
    qtbot.waitUntil(lambda: isinstance(window.deck_actions.dialog, QMessageBox))
    box = window.deck_actions.dialog
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible)
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow)
    return box


def open_menu(qtbot: QtBot, window: MainWindow) -> QMenu:
    qtbot.keyClick(window.deck_list.tree, Qt.Key.Key_Menu)
    menu = window.deck_list.context_menu
    qtbot.waitUntil(menu.isVisible)
    return menu


def test_create_deck_by_key_and_undo(qtbot: QtBot, window: MainWindow, db_path: Path) -> None:
    select(window, "Beta")
    qtbot.keyClick(
        window.deck_list.tree,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = name_dialog(qtbot, window)
    assert dialog.name_edit.text() == "Beta::"  # under the selected deck, to go on typing
    qtbot.keyClicks(dialog.name_edit, "Four")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Beta::Four" in shown_names(window))
    assert "Beta::Four" in deck_names(db_path)
    assert window.deck_list.selected_deck() is not None
    assert window.deck_list.selected_deck().name == "Beta::Four"  # type: ignore[union-attr]
    assert window.undo_action.text() == "&Undo create deck Beta::Four"

    undo(qtbot, window)
    qtbot.waitUntil(lambda: "Beta::Four" not in shown_names(window))
    assert "Beta::Four" not in deck_names(db_path)


def test_a_taken_name_is_refused_in_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    window.deck_list.create_button.click()
    dialog = name_dialog(qtbot, window)
    type_name(qtbot, dialog, "Alpha::One")
    qtbot.waitUntil(dialog.error_label.isVisible)
    assert "already a deck called 'Alpha::One'" in dialog.error_label.text()
    assert dialog.isVisible()  # the name can be corrected
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_rename_by_f2_takes_subdecks_and_undo(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    select(window, "Alpha")
    qtbot.keyClick(window.deck_list.tree, Qt.Key.Key_F2)
    type_name(qtbot, name_dialog(qtbot, window), "Omega")
    qtbot.waitUntil(lambda: "Omega::One" in shown_names(window))
    assert deck_names(db_path) == ["Beta", "Beta::Three", "Omega", "Omega::One", "Omega::Two"]
    assert cards_in(db_path, "Omega::One") == 2

    undo(qtbot, window)
    qtbot.waitUntil(lambda: "Alpha::One" in shown_names(window))
    assert "Omega" not in deck_names(db_path)
    assert cards_in(db_path, "Alpha::One") == 2


def test_rename_with_colons_moves_by_the_context_menu(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    select(window, "Beta::Three")
    menu = open_menu(qtbot, window)
    assert [action.text() for action in menu.actions() if action.text()] == [
        "&Study",
        "&Browse",
        "&Rename…",
        "E&xport…",
        "&Delete…",
    ]
    qtbot.keyClick(menu, Qt.Key.Key_R)
    type_name(qtbot, name_dialog(qtbot, window), "Alpha::Three")
    qtbot.waitUntil(lambda: "Alpha::Three" in shown_names(window))
    assert "Beta::Three" not in deck_names(db_path)
    assert cards_in(db_path, "Alpha::Three") == 1


def test_delete_by_menu_says_what_goes_and_undo_brings_it_back(
    qtbot: QtBot, window: MainWindow, decks_app: App, db_path: Path
) -> None:
    session = decks_app.study(decks_app.decks.find("Alpha::Two"))
    session.answer(Rating.GOOD, 1000)  # one review, which goes with the deck
    window.show_decks()
    select(window, "Alpha")
    qtbot.keyClick(open_menu(qtbot, window), Qt.Key.Key_D)
    box = message_box(qtbot, window)
    assert box.text() == "Delete Alpha and its 2 subdecks?"
    assert box.informativeText().startswith("3 notes, 3 cards and 1 review go with it.")
    qtbot.keyClick(box, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "Alpha" not in shown_names(window))
    assert deck_names(db_path) == ["Beta", "Beta::Three"]

    undo(qtbot, window)
    qtbot.waitUntil(lambda: "Alpha::Two" in shown_names(window))
    assert cards_in(db_path, "Alpha::Two") == 1
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT count(*) FROM reviews").fetchone() == (1,)


def test_delete_key_cancelled_keeps_the_deck(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    select(window, "Beta::Three")
    qtbot.keyClick(window.deck_list.tree, Qt.Key.Key_Delete)
    box = message_box(qtbot, window)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not box.isVisible())
    assert "Beta::Three" in deck_names(db_path)


def test_study_and_browse_from_the_menu(qtbot: QtBot, window: MainWindow) -> None:
    select(window, "Alpha::Two")
    with qtbot.waitSignal(window.deck_list.browse_requested) as browsed:
        qtbot.keyClick(open_menu(qtbot, window), Qt.Key.Key_B)
    assert browsed.args == ['deck:"Alpha::Two"']
    qtbot.keyClick(open_menu(qtbot, window), Qt.Key.Key_S)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.reviewer)
    assert window.reviewer.session is not None
    assert window.reviewer.session.deck is not None
    assert window.reviewer.session.deck.name == "Alpha::Two"


def test_browse_search_escapes_wildcards() -> None:
    assert browse_search(Deck(1, 'Maths_1::"Sets"*', 1)) == r'deck:"Maths\_1::\"Sets\"\*"'


def test_export_from_the_menu_picks_the_deck(qtbot: QtBot, window: MainWindow) -> None:
    from quizapp.gui.export_dialog import ExportDialog

    select(window, "Beta")
    qtbot.keyClick(open_menu(qtbot, window), Qt.Key.Key_X)
    qtbot.waitUntil(lambda: isinstance(window.deck_actions.dialog, ExportDialog))
    dialog = window.deck_actions.dialog
    assert isinstance(dialog, ExportDialog)
    assert dialog.deck_choice.currentText() == "Beta"
    dialog.reject()


def drop(window: MainWindow, dragged: str, point: QPoint) -> None:
    """Drop the deck ``dragged`` at ``point`` of the tree's viewport, as a drag ends."""
    tree = window.deck_list.tree
    index = select(window, dragged)
    mime = window.deck_list.model.mimeData([index])
    assert isinstance(mime, QMimeData)
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (
        QDragEnterEvent(point, Qt.DropAction.MoveAction, mime, buttons, keys),
        QDragMoveEvent(point, Qt.DropAction.MoveAction, mime, buttons, keys),
        QDropEvent(QPointF(point), Qt.DropAction.MoveAction, mime, buttons, keys),
    ):
        QApplication.sendEvent(tree.viewport(), event)
        assert event.isAccepted()


def test_drag_onto_a_deck_moves_under_it_and_onto_the_empty_area_to_the_top(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    tree = window.deck_list.tree
    alpha = select(window, "Alpha")
    drop(window, "Beta", tree.visualRect(alpha).center())
    qtbot.waitUntil(lambda: "Alpha::Beta::Three" in shown_names(window))
    assert cards_in(db_path, "Alpha::Beta::Three") == 1

    empty = QPoint(10, tree.viewport().height() - 5)
    assert not tree.indexAt(empty).isValid()
    drop(window, "Alpha::Beta", empty)
    qtbot.waitUntil(lambda: "Beta::Three" in shown_names(window))
    assert "Alpha::Beta" not in deck_names(db_path)

    undo(qtbot, window)  # back under Alpha
    qtbot.waitUntil(lambda: "Alpha::Beta::Three" in shown_names(window))


def test_a_folded_deck_stays_folded_renamed_and_across_runs(
    qtbot: QtBot, decks_app: App, tmp_path: Path
) -> None:
    settings_file = tmp_path / "folded.ini"
    window = _open(qtbot, decks_app, settings_file)
    window.deck_list.tree.collapse(select(window, "Alpha"))
    qtbot.keyClick(window.deck_list.tree, Qt.Key.Key_F2)
    type_name(qtbot, name_dialog(qtbot, window), "Omega")
    qtbot.waitUntil(lambda: "Omega" in shown_names(window))
    assert not window.deck_list.tree.isExpanded(select(window, "Omega"))
    assert window.deck_list.tree.isExpanded(select(window, "Beta"))
    window.close()

    again = _open(qtbot, decks_app, settings_file)
    assert not again.deck_list.tree.isExpanded(select(again, "Omega"))
    assert again.deck_list.tree.isExpanded(select(again, "Beta"))
