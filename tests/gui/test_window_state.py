"""The window remembers its size and place, the folded decks and the last deck studied."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from random import Random

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quizapp.bootstrap import App, open_app
from quizapp.domain import Deck
from quizapp.gui.app import application, build_main_window
from quizapp.gui.deck_list import DECK_ROLE
from quizapp.gui.main_window import MainWindow
from quizapp.services import ManualClock

THREE_DECKS = """\
quizapp_bank: 1
id: three
title: Three decks
decks:
  - name: "Alpha::One"
    notes: [{id: a1, front: One?, back: one}]
  - name: "Alpha::Two"
    notes: [{id: a2, front: Two?, back: two}]
  - name: "Beta::Three"
    notes: [{id: b3, front: Three?, back: three}]
"""


@pytest.fixture
def three_app(tmp_path: Path, db_path: Path, clock: ManualClock) -> Iterator[App]:
    bank = tmp_path / "three.yaml"
    bank.write_text(THREE_DECKS, encoding="utf-8")
    app = open_app(db_path, clock=clock, rng=Random(1), seed_banks=[bank])
    yield app
    app.close()


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "remembered" / "quizapp.ini"


def _window(qtbot: QtBot, app: App, settings_file: Path) -> MainWindow:
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    arguments = argparse.Namespace(command=None, deck=None)
    window = build_main_window(app, arguments, application("light"), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _index(window: MainWindow, name: str) -> QModelIndex:
    model = window.deck_list.model
    pending = [QModelIndex()]
    while pending:
        parent = pending.pop()
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            deck = index.data(DECK_ROLE)
            if isinstance(deck, Deck) and deck.name == name:
                return index
            pending.append(index)
    raise AssertionError(name)


def _press(qtbot: QtBot, key: Qt.Key) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key)


def test_a_second_window_restores_what_the_first_saved(
    qtbot: QtBot, three_app: App, settings_file: Path
) -> None:
    first = _window(qtbot, three_app, settings_file)
    assert first.deck_list.tree.isExpanded(_index(first, "Alpha"))  # everything unfolded at first
    first.resize(760, 540)  # within the offscreen screen's 800×600, which a restore keeps to
    first.move(20, 30)
    first.deck_list.tree.collapse(_index(first, "Alpha"))
    first.deck_list.tree.setCurrentIndex(_index(first, "Beta::Three"))
    _press(qtbot, Qt.Key.Key_Return)  # study Beta::Three
    assert first.reviewer.current is not None
    _press(qtbot, Qt.Key.Key_Escape)
    geometry = first.saveGeometry()
    first.close()
    assert settings_file.exists()

    second = _window(qtbot, three_app, settings_file)
    assert second.size().toTuple() == (760, 540)
    assert second.pos().toTuple() == (20, 30)
    assert second.saveGeometry() == geometry
    tree = second.deck_list.tree
    assert not tree.isExpanded(_index(second, "Alpha"))
    assert tree.isExpanded(_index(second, "Beta"))
    assert second.deck_list.selected_deck() is not None
    assert second.deck_list.selected_deck().name == "Beta::Three"  # type: ignore[union-attr]
    assert QApplication.focusWidget() is tree
    _press(qtbot, Qt.Key.Key_Return)  # straight back to the last deck
    assert second.reviewer.current is not None
    assert second.reviewer.current.deck_name == "Beta::Three"


def test_the_last_deck_inside_a_folded_one_selects_the_folded_one(
    qtbot: QtBot, three_app: App, settings_file: Path
) -> None:
    first = _window(qtbot, three_app, settings_file)
    first.study(three_app.decks.find("Alpha::Two"))
    first.show_decks()
    first.deck_list.tree.collapse(_index(first, "Alpha"))
    first.close()

    second = _window(qtbot, three_app, settings_file)
    assert second.deck_list.selected_deck().name == "Alpha"  # type: ignore[union-attr]
    second.deck_list.tree.expand(_index(second, "Alpha"))
    second.close()
    third = _window(qtbot, three_app, settings_file)
    assert third.deck_list.tree.isExpanded(_index(third, "Alpha"))


def test_studying_every_deck_forgets_the_last_deck(
    qtbot: QtBot, three_app: App, settings_file: Path
) -> None:
    first = _window(qtbot, three_app, settings_file)
    first.study(three_app.decks.find("Beta::Three"))
    first.study(None)
    first.close()
    second = _window(qtbot, three_app, settings_file)
    assert second.deck_list.selected_deck().name == "Alpha"  # type: ignore[union-attr]


def test_the_users_own_settings_are_never_touched(
    qtbot: QtBot, window: MainWindow, settings_in_tmp: Path
) -> None:
    window.close()  # a window given no settings writes the app's QSettings(): here, under tmp
    written = list(settings_in_tmp.rglob("*.ini"))
    assert [path.name for path in written] == ["QuizApp.ini"]
