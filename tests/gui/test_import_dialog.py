"""File ▸ Import and ▸ Export in the real window: preview, deck choice, background import."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from quizapp.domain import BankFormat
from quizapp.gui.export_dialog import FORMATS, ExportDialog
from quizapp.gui.import_dialog import ImportDialog
from quizapp.gui.main_window import MainWindow
from quizapp.services.banks import ExportReport
from tests.conftest import DATA

GIFT = DATA / "gift" / "fuhrmanator-options1.gift"


def _open(qtbot: QtBot, window: MainWindow, *paths: Path) -> ImportDialog:
    dialog = window.import_files(list(paths))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.progress.isVisible(), timeout=10_000)
    return dialog


def test_preview_shows_counts_cards_and_every_problem(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    bad = tmp_path / "broken.gift"
    bad.write_text("::A:: 2+2? {#four}\n\n::B:: Open {=a ~b\n", encoding="utf-8")
    dialog = _open(qtbot, window, GIFT, bad)
    table = dialog.counts
    rows = {
        (table.item(r, 0).text(), table.item(r, 1).text()): int(table.item(r, 2).text())
        for r in range(table.rowCount())
    }
    assert sum(rows.values()) > 5
    assert any(kind == "multiple choice" for _, kind in rows)
    assert "<b>" in dialog.first_cards.toHtml() or dialog.first_cards.toPlainText()
    problems = dialog.problems.toPlainText()
    assert f"error: {bad}:1:" in problems
    assert f"error: {bad}:3:" in problems
    assert "files with errors are left out" in dialog.status.text()
    assert dialog.import_button.isEnabled()


def test_import_into_a_chosen_deck_off_the_ui_thread(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    dialog = _open(qtbot, window, GIFT)
    dialog.deck_choice.setEditText("Teacher::Week 1")
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    (report,) = imported.args[0]
    assert report.added > 5
    with sqlite3.connect(db_path) as connection:
        decks = connection.execute(
            "SELECT DISTINCT d.name FROM cards c JOIN notes n ON n.id = c.note_id "
            "JOIN decks d ON d.id = c.deck_id WHERE n.source = ?",
            (GIFT.name,),
        ).fetchall()
    assert decks == [("Teacher::Week 1",)]
    names = [
        window.deck_list.model.index(r, 0).data() for r in range(window.deck_list.model.rowCount())
    ]
    assert "Teacher" in names  # the deck list was refreshed
    # The result stays on screen until the learner closes the dialog.
    assert dialog.isVisible()
    assert f"Imported: {report.added} added, 0 updated, 0 unchanged" in dialog.status.text()
    assert dialog.close_button.text() == "Close"
    assert dialog.close_button.hasFocus()
    assert not dialog.import_button.isVisible()
    qtbot.keyClick(dialog.close_button, Qt.Key.Key_Space)
    assert not dialog.isVisible()


def test_a_second_import_says_what_was_kept_and_lists_every_warning(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    bank = tmp_path / "half.gift"
    bank.write_text(
        "::Good:: 2+2 is {=4 ~5}\n\n::Essay:: Describe a weight. {}\n", encoding="utf-8"
    )
    first = _open(qtbot, window, bank)
    with qtbot.waitSignal(first.imported, timeout=10_000):
        qtbot.mouseClick(first.import_button, Qt.MouseButton.LeftButton)
    first.close()
    dialog = _open(qtbot, window, bank)
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    (report,) = imported.args[0]
    assert (report.added, report.unchanged) == (0, 2)
    assert report.warnings  # the essay question has no model answer
    status = dialog.status.text()
    assert "Imported: 0 added, 0 updated, 2 unchanged" in status
    assert f"{len(report.warnings)} skipped" in status
    problems = dialog.problems.toPlainText().splitlines()
    assert problems == [f"warning: {warning}" for warning in report.warnings]
    assert dialog.isVisible()


def test_a_file_with_only_errors_cannot_be_imported(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("quizapp_bank: 1\ndecks: 3\n", encoding="utf-8")
    dialog = _open(qtbot, window, bad)
    assert not dialog.import_button.isEnabled()
    assert f"{bad}:2: 'decks' must be a list of decks" in dialog.problems.toPlainText()


def test_dropping_files_on_the_window_opens_the_import_preview(
    qtbot: QtBot, window: MainWindow
) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(GIFT))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    (dialog,) = window.findChildren(ImportDialog)
    qtbot.addWidget(dialog)  # closed after the test: it is modal
    assert dialog.isVisible()
    assert GIFT.name in dialog.files_label.text()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)


def _export(qtbot: QtBot, dialog: ExportDialog, path: Path) -> ExportReport:
    with qtbot.waitSignal(dialog.exported, timeout=10_000) as exported:
        dialog.export_to(path)
    report = exported.args[0]
    assert isinstance(report, ExportReport)
    return report


def test_export_writes_a_bank_of_the_chosen_deck(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = ExportDialog(window.app, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.deck_choice.setCurrentText("Test::Counting")
    dialog.format_choice.setCurrentText(next(iter(FORMATS)))
    out = tmp_path / "counting.yaml"
    _export(qtbot, dialog, out)
    text = out.read_text(encoding="utf-8")
    assert "Test::Counting" in text
    assert "Test::Concepts" not in text
    assert f"Wrote 3 notes to {out}." in dialog.status.text()
    assert dialog.isVisible()  # until the user closes it
    assert dialog.close_button.text() == "Close"
    assert dialog.left_out.isHidden()  # YAML holds every kind


def test_a_text_file_export_lists_every_note_it_leaves_out(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = ExportDialog(window.app, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format_choice.setCurrentIndex(list(FORMATS.values()).index(BankFormat.CSV))
    out = tmp_path / "all.txt"
    report = _export(qtbot, dialog, out)
    with sqlite3.connect(window.app.database.path) as connection:
        kinds = dict(connection.execute("SELECT guid, kind FROM notes").fetchall())
    written = {line.split("\t")[2] for line in out.read_text("utf-8").splitlines()[7:]}
    left_out = set(kinds) - written
    assert left_out == {note.guid for note in report.left_out}
    assert {kinds[guid] for guid in left_out} == {
        "true_false",
        "multiple_choice",
        "typed",  # several accepted answers
        "numeric",
    }
    table = dialog.left_out
    assert table.isVisible()
    rows = {
        table.topLevelItem(row).text(0): (
            table.topLevelItem(row).text(1),
            table.topLevelItem(row).text(2),
        )
        for row in range(table.topLevelItemCount())
    }
    assert set(rows) == left_out
    numeric = next(guid for guid in left_out if kinds[guid] == "numeric")
    assert rows[numeric] == ("numeric", "no note type for numeric answers with a tolerance")
    typed = next(guid for guid in left_out if kinds[guid] == "typed")
    assert rows[typed] == ("typed", "one answer per note (this one accepts 3)")
    assert table.headerItem().text(2) == "An Anki text file has"
    assert "Wrote 2 notes" in dialog.status.text()
    assert "Left out 4 notes this format cannot hold" in dialog.status.text()


def test_an_export_that_cannot_write_says_why_and_can_be_tried_again(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = ExportDialog(window.app, window)
    qtbot.addWidget(dialog)
    dialog.show()
    out = tmp_path / "no such folder" / "out.yaml"
    dialog.export_to(out)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    assert dialog.status.text().startswith(f"Cannot write {out}: No such file or directory")
    assert dialog.isVisible()
    assert dialog.progress.isHidden()
    out.parent.mkdir()
    _export(qtbot, dialog, out)  # the learner picks another place and tries again
    assert out.exists()


QUIZ = """\
quizapp_bank: 1
title: Quiz
decks:
  - name: Quiz
    notes:
{notes}
"""
FIRST_QUIZ = QUIZ.format(
    notes="      - {id: one, front: What is a weight?, back: A learned factor.}\n"
    "      - {id: two, front: What is a bias?, back: A learned offset.}"
)
SECOND_QUIZ = QUIZ.format(
    notes='      - {id: one, front: What is a weight?, back: "A learned factor, per input."}\n'
    "      - {id: three, front: What is a stride?, back: How far a filter moves.}"
)


def _two_quizzes(tmp_path: Path) -> tuple[Path, Path]:
    """Two files called quiz.yaml in two folders: a teacher's bank and a later one."""
    first, second = tmp_path / "a" / "quiz.yaml", tmp_path / "b" / "quiz.yaml"
    for path, text in ((first, FIRST_QUIZ), (second, SECOND_QUIZ)):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    return first, second


def _quiz_notes(db_path: Path) -> list[tuple[str, str, int]]:
    """(bank path, back of the card, bank id) of every note imported from a quiz.yaml."""
    with sqlite3.connect(db_path) as connection:
        return connection.execute(
            "SELECT b.path, json_extract(n.content, '$.back'), b.id FROM notes n "
            "JOIN banks b ON b.id = n.bank_id WHERE b.name = 'quiz.yaml' ORDER BY n.id"
        ).fetchall()


def _asked(qtbot: QtBot, window: MainWindow, first: Path, second: Path) -> ImportDialog:
    """Import ``first``, then open ``second`` and wait for the question."""
    earlier = _open(qtbot, window, first)
    with qtbot.waitSignal(earlier.imported, timeout=10_000):
        qtbot.mouseClick(earlier.import_button, Qt.MouseButton.LeftButton)
    earlier.close()
    dialog = _open(qtbot, window, second)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.question_box.isVisible, timeout=10_000)
    return dialog


def test_a_file_named_like_a_stored_bank_asks_which_it_is(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, db_path: Path
) -> None:
    first, second = _two_quizzes(tmp_path)
    dialog = _asked(qtbot, window, first, second)
    assert dialog.question_text.text().startswith(
        f"quiz.yaml could be a new version of quiz.yaml imported from {first} (2 notes), "
        "or another bank with the same name."
    )
    buttons = [dialog.same_bank_button, dialog.keep_both_button, dialog.skip_button]
    assert [button.text() for button in buttons] == ["Update that bank", "Keep both", "Cancel"]
    assert dialog.keep_both_button.hasFocus()  # the choice that changes nothing stored
    assert dialog.progress.isHidden()
    assert len(_quiz_notes(db_path)) == 2  # nothing written while the learner decides


def test_update_that_bank_brings_the_new_version_into_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, db_path: Path
) -> None:
    first, second = _two_quizzes(tmp_path)
    dialog = _asked(qtbot, window, first, second)
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as imported:
        qtbot.keyClick(dialog.same_bank_button, Qt.Key.Key_Space)
    (report,) = imported.args[0]
    assert (report.added, report.updated) == (1, 1)
    notes = _quiz_notes(db_path)
    assert {bank for _, _, bank in notes} == {notes[0][2]}  # still one bank
    assert [back for _, back, _ in notes] == [
        "A learned factor, per input.",
        "A learned offset.",  # no longer in the file: suspended, not lost
        "How far a filter moves.",
    ]
    with sqlite3.connect(db_path) as connection:
        suspended = connection.execute(
            "SELECT json_extract(n.content, '$.back') FROM cards c "
            "JOIN notes n ON n.id = c.note_id WHERE c.suspended"
        ).fetchall()
    assert suspended == [("A learned offset.",)]
    assert "Imported: 1 added, 1 updated" in dialog.status.text()
    assert dialog.question_box.isHidden()


def test_keep_both_imports_the_file_as_a_bank_of_its_own(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, db_path: Path
) -> None:
    first, second = _two_quizzes(tmp_path)
    dialog = _asked(qtbot, window, first, second)
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as imported:
        qtbot.keyClick(dialog.keep_both_button, Qt.Key.Key_Space)
    (report,) = imported.args[0]
    assert (report.added, report.updated) == (2, 0)
    by_bank: dict[str, list[str]] = {}
    for path, back, _ in _quiz_notes(db_path):
        by_bank.setdefault(path, []).append(back)
    assert by_bank == {
        str(first): ["A learned factor.", "A learned offset."],
        str(second): ["A learned factor, per input.", "How far a filter moves."],
    }


def test_cancel_imports_nothing_of_that_file_and_says_so(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, db_path: Path
) -> None:
    first, second = _two_quizzes(tmp_path)
    dialog = _asked(qtbot, window, first, second)
    with qtbot.assertNotEmitted(dialog.imported):
        qtbot.keyClick(dialog.skip_button, Qt.Key.Key_Space)
    assert dialog.status.text() == "Nothing was imported.\nquiz.yaml was not imported."
    assert [back for _, back, _ in _quiz_notes(db_path)] == [
        "A learned factor.",
        "A learned offset.",
    ]
    assert dialog.close_button.text() == "Close"
    assert dialog.question_box.isHidden()


def test_update_asks_which_bank_when_several_could_be_meant(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, db_path: Path
) -> None:
    first, second = _two_quizzes(tmp_path)
    dialog = _asked(qtbot, window, first, second)
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.keyClick(dialog.keep_both_button, Qt.Key.Key_Space)  # two banks named quiz.yaml
    dialog.close()
    third = tmp_path / "c" / "quiz.yaml"
    third.parent.mkdir()
    third.write_text(SECOND_QUIZ.replace("How far", "How many pixels"), encoding="utf-8")
    dialog = _open(qtbot, window, third)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.question_box.isVisible, timeout=10_000)
    assert dialog.bank_choice.isVisible()
    labels = [dialog.bank_choice.itemText(i) for i in range(dialog.bank_choice.count())]
    assert sorted(labels) == [f"quiz.yaml from {first}", f"quiz.yaml from {second}"]
    dialog.bank_choice.setCurrentIndex(labels.index(f"quiz.yaml from {second}"))
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as imported:
        qtbot.keyClick(dialog.same_bank_button, Qt.Key.Key_Space)
    (report,) = imported.args[0]
    assert (report.added, report.updated) == (0, 1)
    backs = {back for path, back, _ in _quiz_notes(db_path) if path == str(third)}
    assert "How many pixels a filter moves." in backs
