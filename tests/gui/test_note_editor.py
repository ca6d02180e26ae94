"""The note editor, driven by keys through the real dialog: every kind added and studyable,
edits that keep a card's history, cloze changes asked first, duplicates, images, unsafe HTML
stripped, template problems at their fields, Esc asking first and Ctrl+Z undoing a save."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QColor, QImage, QTextCursor
from PySide6.QtWidgets import QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from quizapp.bootstrap import App
from quizapp.domain import NoteKind, Rating
from quizapp.gui.main_window import MainWindow
from quizapp.gui.note_editor import NoteEditorDialog
from quizapp.gui.note_editor_fields import (
    ChoiceForm,
    MatchingForm,
    NumericForm,
    TrueFalseForm,
    TypedForm,
)
from quizapp.gui.rich_text import RichTextEdit
from quizapp.gui.template_editor import TemplateForm

# What the offscreen platform says of popups (the tags' completion); not ours to fix.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing"
)
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def notes(db_path: Path) -> list[tuple[int, str, dict[str, object], str, str]]:
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT id, kind, content, tags, text_format FROM notes ORDER BY id"
        ).fetchall()
    return [(i, kind, json.loads(content), tags, fmt) for i, kind, content, tags, fmt in rows]


def last_note(db_path: Path) -> tuple[int, str, dict[str, object], str, str]:
    return notes(db_path)[-1]


def show(qtbot: QtBot, dialog: NoteEditorDialog) -> None:
    """Show the dialog active, as a desktop shows a new window."""
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def open_new(qtbot: QtBot, window: MainWindow, app: App, kind: NoteKind) -> NoteEditorDialog:
    deck = app.decks.find("Test::Concepts")
    dialog = NoteEditorDialog.for_new(window, app, deck.id)
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    dialog.kind_choice.setCurrentIndex(dialog.kind_choice.findData(kind.value))
    assert dialog.kind is kind
    return dialog


def type_in(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def save(qtbot: QtBot, dialog: NoteEditorDialog) -> None:
    qtbot.keyClick(dialog.form.first_field, Qt.Key.Key_Return, CTRL)


def line(form: object, row: int, column: int, rows_name: str) -> QLineEdit:
    widget = getattr(form, rows_name).rows[row][column]
    assert isinstance(widget, QLineEdit)
    return widget


def fill_basic(qtbot: QtBot, dialog: NoteEditorDialog) -> None:
    type_in(qtbot, dialog.form.rich_fields[0], "Capital of France?")
    type_in(qtbot, dialog.form.rich_fields[1], "Paris")


def fill_cloze(qtbot: QtBot, dialog: NoteEditorDialog) -> None:
    type_in(qtbot, dialog.form.rich_fields[0], "{{c1::Paris}} is in {{c2::France}}")


def fill_true_false(qtbot: QtBot, dialog: NoteEditorDialog) -> None:
    type_in(qtbot, dialog.form.rich_fields[0], "Paris is in Spain.")
    form = dialog.form
    assert isinstance(form, TrueFalseForm)
    form.false_button.setFocus()
    qtbot.keyClick(form.false_button, Qt.Key.Key_Space)


def fill_choices(qtbot: QtBot, dialog: NoteEditorDialog) -> None:
    form = dialog.form
    assert isinstance(form, ChoiceForm)
    type_in(qtbot, form.rich_fields[0], "Which are cities?")
    for index, text in enumerate(["Paris", "Lyon", "Seine", "Alps"]):
        type_in(qtbot, line(form, index, 0, "choices"), text)
    for index in (0, 1) if form.multi else (1,):
        form.choices.rows[index][1].setFocus()
        qtbot.keyClick(form.choices.rows[index][1], Qt.Key.Key_Space)


def fill_typed(qtbot: QtBot, dialog: NoteEditorDialog) -> None:
    form = dialog.form
    assert isinstance(form, TypedForm)
    type_in(qtbot, form.rich_fields[0], "Capital of France?")
    type_in(qtbot, line(form, 0, 0, "answers"), "Paris")
    qtbot.mouseClick(form.answers.add_button, Qt.MouseButton.LeftButton)
    type_in(qtbot, line(form, 1, 0, "answers"), "Paname")


def fill_numeric(qtbot: QtBot, dialog: NoteEditorDialog) -> None:
    form = dialog.form
    assert isinstance(form, NumericForm)
    type_in(qtbot, form.rich_fields[0], "Parameters of nn.Linear(10, 5)?")
    type_in(qtbot, form.answer, "55")
    type_in(qtbot, form.tolerance, "0.5")


def fill_matching(qtbot: QtBot, dialog: NoteEditorDialog) -> None:
    form = dialog.form
    assert isinstance(form, MatchingForm)
    type_in(qtbot, form.rich_fields[0], "Match each city to its country.")
    for index, (city, country) in enumerate([("Paris", "France"), ("Rome", "Italy")]):
        type_in(qtbot, line(form, index, 0, "pairs"), city)
        type_in(qtbot, line(form, index, 1, "pairs"), country)


def fill_exercise(qtbot: QtBot, dialog: NoteEditorDialog) -> None:
    form = dialog.form
    assert isinstance(form, TemplateForm)
    type_in(qtbot, form.template_id, "dense")
    type_in(qtbot, form.question, "Parameters of nn.Linear({n}, {m})?")
    for values in (["n", "integer", "2", "9", "1"], ["m", "integer", "2", "9", "1"]):
        form.variables.add_row(values)
    form.steps.add_row(["weights", "n * m"])
    type_in(qtbot, form.answer, "weights + m")
    type_in(qtbot, form.explanation, "{n} × {m} = {weights} weights, + {m} biases = {answer}.")
    form.distractors.add_row(["weights", "forgot the biases"])


FILLERS: dict[NoteKind, Callable[[QtBot, NoteEditorDialog], None]] = {
    NoteKind.BASIC: fill_basic,
    NoteKind.BASIC_REVERSED: fill_basic,
    NoteKind.CLOZE: fill_cloze,
    NoteKind.TRUE_FALSE: fill_true_false,
    NoteKind.MULTIPLE_CHOICE: fill_choices,
    NoteKind.MULTIPLE_RESPONSE: fill_choices,
    NoteKind.TYPED: fill_typed,
    NoteKind.NUMERIC: fill_numeric,
    NoteKind.MATCHING: fill_matching,
    NoteKind.EXERCISE: fill_exercise,
}
EXPECTED: dict[NoteKind, tuple[int, dict[str, object]]] = {  # cards, some fields
    NoteKind.BASIC: (1, {"front": "Capital of France?", "back": "Paris"}),
    NoteKind.BASIC_REVERSED: (2, {"back": "Paris"}),
    NoteKind.CLOZE: (2, {"text": "{{c1::Paris}} is in {{c2::France}}"}),
    NoteKind.TRUE_FALSE: (1, {"answer": False}),
    NoteKind.MULTIPLE_CHOICE: (1, {"choices": ["Paris", "Lyon", "Seine", "Alps"], "correct": 1}),
    NoteKind.MULTIPLE_RESPONSE: (1, {"weights": [0.5, 0.5, 0.0, 0.0]}),
    NoteKind.TYPED: (1, {"answers": ["Paris", "Paname"]}),
    NoteKind.NUMERIC: (1, {"answer": 55.0, "tolerance": 0.5}),
    NoteKind.MATCHING: (1, {"pairs": [["Paris", "France"], ["Rome", "Italy"]]}),
    NoteKind.EXERCISE: (1, {"template_id": "dense", "answer": "weights + m"}),
}


@pytest.mark.parametrize("kind", list(NoteKind))
def test_add_a_note_of_each_kind_and_study_it(
    qtbot: QtBot, window: MainWindow, small_app: App, db_path: Path, kind: NoteKind
) -> None:
    dialog = open_new(qtbot, window, small_app, kind)
    FILLERS[kind](qtbot, dialog)
    with qtbot.waitSignal(dialog.saved) as saved:
        save(qtbot, dialog)
    note_id, stored_kind, content, _, _ = last_note(db_path)
    assert stored_kind == kind.value
    cards, fields = EXPECTED[kind]
    assert {key: content[key] for key in fields} == fields
    assert len(saved.args[0].card_ids) == cards
    assert dialog.isVisible()  # ready for the next note
    assert "Added" in dialog.status.text()
    session = small_app.study(small_app.decks.find("Test::Concepts"))
    shown = []
    while session.current is not None and len(shown) < 20:
        shown.append(session.current.note.id)
        session.answer(Rating.GOOD, 1000)
    assert note_id in shown


def test_a_studied_note_edited_keeps_its_schedule_and_history(
    qtbot: QtBot, window: MainWindow, small_app: App, db_path: Path
) -> None:
    session = small_app.study(small_app.decks.find("Test::Concepts"))
    assert session.current is not None
    note_id, card_id = session.current.note.id, session.current.card.id
    assert note_id is not None
    session.answer(Rating.GOOD, 1000)
    with sqlite3.connect(db_path) as connection:
        before = connection.execute(
            "SELECT due, state, stability, last_review FROM cards WHERE id = ?", (card_id,)
        ).fetchone()
    dialog = NoteEditorDialog.for_note(window, small_app, note_id)
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    field = dialog.form.rich_fields[0]
    field.moveCursor(QTextCursor.MoveOperation.End)
    type_in(qtbot, field, " (edited)")
    with qtbot.waitSignal(dialog.saved):
        save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with sqlite3.connect(db_path) as connection:
        after = connection.execute(
            "SELECT due, state, stability, last_review FROM cards WHERE id = ?", (card_id,)
        ).fetchone()
        reviews = connection.execute(
            "SELECT count(*) FROM reviews WHERE card_id = ?", (card_id,)
        ).fetchone()
    assert after == before
    assert reviews == (1,)
    edited = next(content for i, _, content, _, _ in notes(db_path) if i == note_id)
    assert str(next(iter(edited.values()))).endswith(" (edited)")


def test_saved_edit_is_undone_by_ctrl_z_in_the_main_window(
    qtbot: QtBot, window: MainWindow, small_app: App, db_path: Path
) -> None:
    note_id = notes(db_path)[0][0]
    original = notes(db_path)[0][2]
    dialog = NoteEditorDialog.for_note(window, small_app, note_id)
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    type_in(qtbot, dialog.form.rich_fields[1], "Changed. ")
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert notes(db_path)[0][2] != original
    assert window.undo_action.text() == "&Undo edit note"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.deck_list.tree, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: notes(db_path)[0][2] == original)


def _cloze_note(qtbot: QtBot, window: MainWindow, app: App) -> int:
    dialog = open_new(qtbot, window, app, NoteKind.CLOZE)
    fill_cloze(qtbot, dialog)
    with qtbot.waitSignal(dialog.saved) as saved:
        save(qtbot, dialog)
    dialog.close()
    return int(saved.args[0].note_id)


@pytest.mark.parametrize(("button", "suspended", "kept"), [("S", 1, 2), ("D", 0, 1)])
def test_taking_a_cloze_deletion_away_asks_first(
    qtbot: QtBot,
    window: MainWindow,
    small_app: App,
    db_path: Path,
    button: str,
    suspended: int,
    kept: int,
) -> None:
    note_id = _cloze_note(qtbot, window, small_app)
    dialog = NoteEditorDialog.for_note(window, small_app, note_id)
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    field = dialog.form.rich_fields[0]
    field.selectAll()
    type_in(qtbot, field, "{{c1::Paris}} is in France")
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: isinstance(dialog.question, QMessageBox))
    box = dialog.question
    assert isinstance(box, QMessageBox)
    assert "no longer has 1 deletion" in box.text()
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow)
    qtbot.keyClick(box, getattr(Qt.Key, f"Key_{button}"), Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with sqlite3.connect(db_path) as connection:
        cards = connection.execute(
            "SELECT count(*), sum(suspended) FROM cards WHERE note_id = ?", (note_id,)
        ).fetchone()
    assert cards == (kept, suspended)


def test_duplicate_first_field_is_warned(qtbot: QtBot, window: MainWindow, small_app: App) -> None:
    dialog = open_new(qtbot, window, small_app, NoteKind.BASIC)
    type_in(qtbot, dialog.form.rich_fields[0], "what is a MODEL parameter?")
    qtbot.waitUntil(dialog.duplicate_label.isVisible)
    assert "already begins with this text" in dialog.duplicate_label.text()
    type_in(qtbot, dialog.form.rich_fields[0], " Really")
    qtbot.waitUntil(lambda: not dialog.duplicate_label.isVisible())


def test_ctrl_shift_c_wraps_the_selection_in_the_next_deletion(
    qtbot: QtBot, window: MainWindow, small_app: App
) -> None:
    dialog = open_new(qtbot, window, small_app, NoteKind.CLOZE)
    field = dialog.form.rich_fields[0]
    type_in(qtbot, field, "Paris is in France")
    for word in ("Paris", "France"):
        cursor = field.document().find(word)
        field.setTextCursor(cursor)
        qtbot.keyClick(field, Qt.Key.Key_C, CTRL | SHIFT)
    assert field.plain() == "{{c1::Paris}} is in {{c2::France}}"


def test_a_template_problem_is_shown_at_its_field(
    qtbot: QtBot, window: MainWindow, small_app: App
) -> None:
    dialog = open_new(qtbot, window, small_app, NoteKind.EXERCISE)
    fill_exercise(qtbot, dialog)
    form = dialog.form
    assert isinstance(form, TemplateForm)
    form.answer.selectAll()
    type_in(qtbot, form.answer, "weights + k")
    qtbot.waitUntil(lambda: form.problem_label("answer").isVisible())
    assert "k" in form.problem_label("answer").text()
    assert form.answer.property("problem") is True
    assert not form.problem_label("question").isVisible()
    form.answer.selectAll()
    type_in(qtbot, form.answer, "weights + m")
    qtbot.waitUntil(lambda: not form.problem_label("answer").isVisible())
    assert "Seed 1" in form.preview.text()  # instances drawn again


def test_a_problem_of_a_choice_row_is_shown_at_it(
    qtbot: QtBot, window: MainWindow, small_app: App, db_path: Path
) -> None:
    dialog = open_new(qtbot, window, small_app, NoteKind.MULTIPLE_CHOICE)
    form = dialog.form
    assert isinstance(form, ChoiceForm)
    type_in(qtbot, form.rich_fields[0], "Which?")
    type_in(qtbot, line(form, 0, 0, "choices"), "Paris")
    count = len(notes(db_path))
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: form.problem_label("choices").isVisible())
    assert "Choice 2: Is empty." in form.problem_label("choices").text()
    assert line(form, 1, 0, "choices").property("problem") is True
    assert len(notes(db_path)) == count


def _paste(qtbot: QtBot, field: RichTextEdit, mime: QMimeData) -> None:
    """What Ctrl+V and a drop hand the field (the offscreen clipboard cannot hold images)."""
    field.setFocus()
    field.moveCursor(QTextCursor.MoveOperation.End)
    assert field.canInsertFromMimeData(mime)
    field.insertFromMimeData(mime)


def test_a_pasted_image_goes_into_the_media_store(
    qtbot: QtBot, window: MainWindow, small_app: App, db_path: Path
) -> None:
    dialog = open_new(qtbot, window, small_app, NoteKind.BASIC)
    type_in(qtbot, dialog.form.rich_fields[0], "Which colour? ")
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    mime = QMimeData()
    mime.setImageData(image)
    _paste(qtbot, dialog.form.rich_fields[0], mime)
    type_in(qtbot, dialog.form.rich_fields[1], "red")
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: last_note(db_path)[2].get("back") == "red")
    _, _, content, _, text_format = last_note(db_path)
    assert text_format == "html"
    front = str(content["front"])
    assert front.startswith('Which colour? <img src="')
    stored = front.split('src="')[1].split('"')[0]
    assert stored.endswith(".png")
    assert (small_app.media.folder / stored).is_file()


def test_unsafe_html_is_stripped(
    qtbot: QtBot, window: MainWindow, small_app: App, db_path: Path
) -> None:
    dialog = open_new(qtbot, window, small_app, NoteKind.BASIC)
    mime = QMimeData()
    mime.setHtml(
        '<b onclick="steal()">Bold</b><script>alert(1)</script>'
        '<a href="javascript:alert(2)">link</a><img src="http://example.com/x.png">'
    )
    _paste(qtbot, dialog.form.rich_fields[0], mime)
    type_in(qtbot, dialog.form.rich_fields[1], "back")
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: last_note(db_path)[2].get("back") == "back")
    front = str(last_note(db_path)[2]["front"])
    assert "<b>Bold</b>" in front
    for unsafe in ("script", "alert", "onclick", "javascript", "http:"):
        assert unsafe not in front


def test_formatting_keys_make_bold_italic_and_lists(
    qtbot: QtBot, window: MainWindow, small_app: App, db_path: Path
) -> None:
    dialog = open_new(qtbot, window, small_app, NoteKind.BASIC)
    field = dialog.form.rich_fields[0]
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_B, CTRL)
    qtbot.keyClicks(field, "bold")
    qtbot.keyClick(field, Qt.Key.Key_B, CTRL)
    qtbot.keyClick(field, Qt.Key.Key_I, CTRL)
    qtbot.keyClicks(field, " it")
    qtbot.keyClick(field, Qt.Key.Key_I, CTRL)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.keyClick(field, Qt.Key.Key_U, CTRL | SHIFT)
    qtbot.keyClicks(field, "item")
    type_in(qtbot, dialog.form.rich_fields[1], "back")
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: last_note(db_path)[2].get("back") == "back")
    assert last_note(db_path)[2]["front"] == "<b>bold</b><i> it</i><ul><li>item</li></ul>"


def test_tags_complete_from_the_collection(
    qtbot: QtBot, window: MainWindow, small_app: App, db_path: Path
) -> None:
    dialog = open_new(qtbot, window, small_app, NoteKind.BASIC)
    fill_basic(qtbot, dialog)
    type_in(qtbot, dialog.tags, "conc")
    completer = dialog.tags.tag_completer
    assert completer.currentCompletion() == "concepts"
    dialog.tags.complete_with(completer.currentCompletion())
    qtbot.keyClicks(dialog.tags, "geo")
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: last_note(db_path)[3] == "concepts geo")


def test_escape_asks_before_discarding(
    qtbot: QtBot, window: MainWindow, small_app: App, db_path: Path
) -> None:
    count = len(notes(db_path))
    dialog = open_new(qtbot, window, small_app, NoteKind.BASIC)
    type_in(qtbot, dialog.form.rich_fields[0], "Half written")
    qtbot.keyClick(dialog.form.rich_fields[0], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: isinstance(dialog.question, QMessageBox))
    box = dialog.question
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible)
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow)
    qtbot.keyClick(box, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # &Keep editing
    qtbot.waitUntil(lambda: not box.isVisible())
    assert dialog.isVisible()
    qtbot.keyClick(dialog.form.rich_fields[0], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.question is not box and dialog.question is not None)
    second = dialog.question
    assert isinstance(second, QMessageBox)
    second.activateWindow()
    qtbot.waitUntil(second.isActiveWindow)
    qtbot.keyClick(second, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert len(notes(db_path)) == count


def test_escape_closes_at_once_when_nothing_changed(
    qtbot: QtBot, window: MainWindow, small_app: App
) -> None:
    dialog = open_new(qtbot, window, small_app, NoteKind.TYPED)
    dialog.dirty = False  # the kind was chosen; nothing written
    qtbot.keyClick(dialog.form.first_field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.question is None
