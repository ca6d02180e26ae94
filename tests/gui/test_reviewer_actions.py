"""The reviewer's keys for the card on screen: @ suspend, - bury, Ctrl+1-7 flag, I, B."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from random import Random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quizapp.bootstrap import App, open_app
from quizapp.domain import CardState, NoteKind, Rating
from quizapp.gui.main_window import MainWindow
from quizapp.gui.review_view import Phase, ReviewView
from quizapp.services import ManualClock
from quizapp.services.leeches import LEECH_NOTICE
from tests.gui.browser_helpers import card_column
from tests.gui.test_reviewer import press, start_studying

CTRL = Qt.KeyboardModifier.ControlModifier
Reviews = Callable[[], list[tuple[int, int, str | None]]]


def on_screen(reviewer: ReviewView) -> int:
    assert reviewer.current is not None
    return reviewer.current.card.id


def test_at_suspends_the_card_and_ctrl_z_brings_it_back(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    reviewer = start_studying(qtbot, window)
    first = on_screen(reviewer)

    press(qtbot, "@")

    assert card_column(db_path, first, "suspended") == 1
    assert on_screen(reviewer) != first
    assert window.undo_action.text() == "&Undo suspend 1 card"
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert card_column(db_path, first, "suspended") == 0
    assert on_screen(reviewer) == first
    assert reviewer.phase is Phase.QUESTION


def test_minus_buries_the_card_and_ctrl_z_brings_it_back(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    reviewer = start_studying(qtbot, window)
    first = on_screen(reviewer)

    press(qtbot, "-")

    assert card_column(db_path, first, "buried") == 1
    assert on_screen(reviewer) != first
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert card_column(db_path, first, "buried") == 0
    assert on_screen(reviewer) == first


def test_ctrl_number_flags_the_card_with_a_coloured_mark_and_keeps_it_on_screen(
    qtbot: QtBot, window: MainWindow, db_path: Path, reviews: Reviews
) -> None:
    reviewer = start_studying(qtbot, window)
    first = on_screen(reviewer)
    press(qtbot, Qt.Key.Key_Space)  # the answer shown
    assert reviewer.phase is Phase.ANSWER

    press(qtbot, Qt.Key.Key_1, CTRL)

    assert card_column(db_path, first, "flag") == 1
    assert on_screen(reviewer) == first
    assert reviewer.phase is Phase.ANSWER  # the answer stays shown
    label = reviewer.page.deck_label.text()
    assert "Red flag" in label
    assert "#e03131" in label
    press(qtbot, Qt.Key.Key_1, CTRL)  # the same flag again takes it off
    assert card_column(db_path, first, "flag") == 0
    assert "flag" not in reviewer.page.deck_label.text()
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert card_column(db_path, first, "flag") == 1
    assert "Red flag" in reviewer.page.deck_label.text()

    press(qtbot, Qt.Key.Key_3)  # answering the flagged card is saved (its new version read)
    assert [(card, rating) for card, rating, _ in reviews()] == [(first, 3)]
    assert on_screen(reviewer) != first
    assert reviewer.session is not None
    assert reviewer.session.notice == ""


def test_keys_typed_in_the_answer_box_stay_text(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    reviewer = start_studying(qtbot, window)
    while reviewer.current is not None and reviewer.current.note.kind is not NoteKind.TYPED:
        press(qtbot, "-")  # bury the others until the typed card comes
    assert reviewer.phase is Phase.TYPING
    typed = on_screen(reviewer)
    box = reviewer.page.answer_input
    assert box.hasFocus()

    for text in ("l-r", "@", "I"):
        qtbot.keyClicks(box, text)

    assert box.text() == "l-r@I"
    assert card_column(db_path, typed, "suspended") == 0
    assert card_column(db_path, typed, "buried") == 0
    assert on_screen(reviewer) == typed
    assert reviewer_actions_dialog(window) is None


def reviewer_actions_dialog(window: MainWindow) -> object:
    return window.reviewer_actions.info_dialog


def test_i_shows_card_info_for_the_card_on_screen(qtbot: QtBot, window: MainWindow) -> None:
    reviewer = start_studying(qtbot, window)
    assert reviewer.current is not None
    question = reviewer.page.question_label.text()

    press(qtbot, "i")

    dialog = window.reviewer_actions.info_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)  # type: ignore[attr-defined]
    text = dialog.text.toPlainText()  # type: ignore[attr-defined]
    assert question in text
    assert "Not reviewed yet." in text
    dialog.close()  # type: ignore[attr-defined]


def test_b_in_the_reviewer_browses_the_deck_with_the_card_selected(
    qtbot: QtBot, window: MainWindow
) -> None:
    reviewer = start_studying(qtbot, window)
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_3)
    card_id = on_screen(reviewer)

    press(qtbot, "b")

    qtbot.waitUntil(lambda: window.browser is not None and window.browser.ready)
    browser = window.browser
    assert browser is not None
    assert browser.search_line.text().startswith('deck:"Test::')
    rows = browser.table.selected_rows()
    assert browser.model.ids_of_rows(rows) == [card_id]
    # Suspending it there moves the reviewer on.
    browser.activateWindow()
    qtbot.waitUntil(browser.isActiveWindow)
    qtbot.keyClick(browser.table, Qt.Key.Key_J, CTRL)
    assert on_screen(reviewer) != card_id
    browser.close()


LEECH_BANK = """quizapp_bank: 1
id: leeches
decks:
  - name: Hard
    notes:
      - id: target
        front: The thing I keep forgetting
        back: its answer
"""


@pytest.fixture
def leech_app(tmp_path: Path, clock: ManualClock) -> App:
    bank = tmp_path / "leeches.yaml"
    bank.write_text(LEECH_BANK, encoding="utf-8")
    app = open_app(tmp_path / "leeches.db", clock=clock, rng=Random(5), seed_banks=[bank])
    yield app  # type: ignore[misc]
    app.close()


def _due_now(app: App, clock: ManualClock) -> None:
    session = app.study(None)
    while session.current is None:
        clock.advance(timedelta(days=1))
        session = app.study(None)


def test_the_reviewer_says_when_a_lapse_made_the_card_a_leech(
    qtbot: QtBot, leech_app: App, clock: ManualClock
) -> None:
    import argparse

    from quizapp.gui.app import application, build_main_window

    lapses = 0
    while lapses < 7:  # seven lapses through the service, the eighth by keys
        _due_now(leech_app, clock)
        session = leech_app.study(None)
        assert session.current is not None
        review = session.current.card.memory.state is CardState.REVIEW
        session.answer(Rating.AGAIN if review else Rating.EASY, 1000)
        lapses += review
    _due_now(leech_app, clock)
    while True:
        session = leech_app.study(None)
        assert session.current is not None
        if session.current.card.memory.state is CardState.REVIEW:
            break
        session.answer(Rating.EASY, 1000)
        _due_now(leech_app, clock)
    main = build_main_window(
        leech_app, argparse.Namespace(command=None, deck=None), application("light")
    )
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    main.study(None)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)

    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_1)

    notice = LEECH_NOTICE.format(lapses=8)
    banner = main.reviewer.summary if main.reviewer.current is None else main.reviewer.page
    assert main.reviewer.session is not None
    assert main.reviewer.session.notice == notice
    shown = [w.text() for w in banner.findChildren(type(main.reviewer.page.deck_label))]
    assert any(notice in text for text in shown)


def test_e_edits_the_note_of_the_card_shown_and_a_adds_one(
    qtbot: QtBot, window: MainWindow
) -> None:
    from quizapp.gui.note_editor import NoteEditorDialog

    reviewer = start_studying(qtbot, window)
    assert reviewer.current is not None
    note_id = reviewer.current.card.note_id

    press(qtbot, "e")

    editor = window.editor
    assert isinstance(editor, NoteEditorDialog)
    qtbot.waitUntil(editor.isVisible)
    assert editor.windowTitle() != ""
    assert getattr(editor, "note_id", note_id) == note_id
    editor.dirty = False
    editor.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    reviewer.restore_focus()
    press(qtbot, "a")
    adding = window.editor
    assert isinstance(adding, NoteEditorDialog)
    assert adding is not editor
    adding.dirty = False
    adding.close()
