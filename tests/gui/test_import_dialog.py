"""File ▸ Import and ▸ Export in the real window: preview, deck choice, background import."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from quizapp.gui.export_dialog import FORMATS, ExportDialog
from quizapp.gui.import_dialog import ImportDialog
from quizapp.gui.main_window import MainWindow
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


def test_export_writes_a_bank_of_the_chosen_deck(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = ExportDialog(window.app, window)
    qtbot.addWidget(dialog)
    dialog.deck_choice.setCurrentText("Test::Counting")
    dialog.format_choice.setCurrentText(next(iter(FORMATS)))
    out = tmp_path / "counting.yaml"
    assert dialog.export_to(out)
    text = out.read_text(encoding="utf-8")
    assert "Test::Counting" in text
    assert "Test::Concepts" not in text
    assert "Wrote 3 notes" in dialog.status.text()
