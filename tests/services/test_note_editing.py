"""Adding and editing notes of every kind, as the editor window will."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quizapp.bootstrap import App
from quizapp.domain import (
    BasicContent,
    ClozeContent,
    ExerciseContent,
    ExerciseTemplate,
    MatchingContent,
    MultipleChoiceContent,
    MultipleResponseContent,
    NoteContent,
    NoteKind,
    NumericAlternative,
    NumericContent,
    Rating,
    Step,
    TextFormat,
    TrueFalseContent,
    TypedContent,
    Variable,
    VariableKind,
)
from quizapp.errors import UserError
from quizapp.services.note_checks import InvalidNote
from quizapp.services.notes_editing import NOTE_CHANGED
from tests.services.collection_rows import cards_of_note, content_rows, graves, note_id_of

DENSE = ExerciseTemplate(
    template_id="dense",
    question="Parameters of a dense layer with {n_in} inputs and {n_out} outputs?",
    answer="weights + n_out",
    explanation="{n_in} × {n_out} = {weights} weights, + {n_out} biases = {answer}.",
    variables=(
        Variable("n_in", VariableKind.INTEGER, 2, 20),
        Variable("n_out", VariableKind.INTEGER, 2, 20),
    ),
    steps=(Step("weights", "n_in * n_out"),),
)
EVERY_KIND: dict[NoteKind, tuple[NoteContent, int]] = {
    NoteKind.BASIC: (BasicContent("What is a bias?", "A learned offset."), 1),
    NoteKind.BASIC_REVERSED: (BasicContent("Weight", "A learned scale."), 2),
    NoteKind.TRUE_FALSE: (TrueFalseContent("ReLU has parameters.", False), 1),
    NoteKind.MULTIPLE_CHOICE: (
        MultipleChoiceContent("Optimizer?", ("SGD", "Adam", "Dropout"), 1),
        1,
    ),
    NoteKind.MULTIPLE_RESPONSE: (
        MultipleResponseContent("Learned?", ("weights", "biases", "lr"), (0.5, 0.5, -1.0)),
        1,
    ),
    NoteKind.TYPED: (TypedContent("Which rate scales steps?", ("learning rate", "lr")), 1),
    NoteKind.NUMERIC: (
        NumericContent(
            "Parameters of Linear(10, 5)?",
            55,
            0,
            "parameters",
            (NumericAlternative(50, 50, 0.5, "Biases?"),),
        ),
        1,
    ),
    NoteKind.MATCHING: (
        MatchingContent("Match", (("SGD", "optimizer"), ("ReLU", "activation"))),
        1,
    ),
    NoteKind.CLOZE: (ClozeContent("A {{c1::weight}} scales, a {{c2::bias}} shifts."), 2),
    NoteKind.EXERCISE: (ExerciseContent(DENSE), 1),
}


@pytest.mark.parametrize("kind", list(EVERY_KIND))
def test_a_note_of_every_kind_is_added_with_its_cards_and_studied(
    small_app: App, kind: NoteKind
) -> None:
    content, cards = EVERY_KIND[kind]
    saved = small_app.note_editor.add_note(kind, content, "Mine::New", ["made-here"], "Because.")
    assert len(saved.card_ids) == cards
    with small_app.database.transaction() as store:
        record = store.notes.record(saved.note_id)
        assert record is not None
        assert record.note.content == content
        assert record.note.tags == ("made-here",)
        assert (record.bank_id, record.fingerprint, record.note.source) == (None, None, "")
        assert len(record.note.guid) == 32
    session = small_app.study(small_app.decks.find("Mine::New"))
    assert session.current is not None
    assert session.current.note.id == saved.note_id
    session.answer(Rating.GOOD, 1000)
    small_app.undo_history.undo()  # the answer
    assert small_app.undo_history.label == "Undo add note"
    small_app.undo_history.undo()
    with small_app.database.transaction() as store:
        assert store.notes.record(saved.note_id) is None
        assert store.decks.by_name("Mine::New") is None


@pytest.mark.parametrize(
    ("kind", "content", "field", "says"),
    [
        (NoteKind.BASIC, BasicContent(" ", "back"), "front", "is empty"),
        (NoteKind.BASIC_REVERSED, BasicContent("front", ""), "back", "is empty"),
        (NoteKind.MULTIPLE_CHOICE, MultipleChoiceContent("Q?", ("a", "b"), -1), "answer", "right"),
        (NoteKind.MULTIPLE_CHOICE, MultipleChoiceContent("Q?", ("a",), 0), "choices", "2 to 9"),
        (
            NoteKind.MULTIPLE_CHOICE,
            MultipleChoiceContent("Q?", ("a", ""), 0),
            "choices[1]",
            "empty",
        ),
        (
            NoteKind.MULTIPLE_RESPONSE,
            MultipleResponseContent("Q?", ("a", "b"), (-1, -1)),
            "answers",
            "tick",
        ),
        (NoteKind.TYPED, TypedContent("Q?", ("",)), "answer", "accepted answer"),
        (NoteKind.NUMERIC, NumericContent("Q?", 1, -2), "tolerance", "negative"),
        (
            NoteKind.NUMERIC,
            NumericContent("Q?", 1, 0, "", (NumericAlternative(3, 1),)),
            "alternatives[0]",
            "above",
        ),
        (NoteKind.MATCHING, MatchingContent("Q", (("a", "b"),)), "pairs", "2 or more"),
        (NoteKind.CLOZE, ClozeContent("no deletion here"), "text", "{{c1::answer}}"),
    ],
)
def test_what_is_wrong_is_said_at_its_field(
    small_app: App, kind: NoteKind, content: NoteContent, field: str, says: str
) -> None:
    with pytest.raises(InvalidNote) as failure:
        small_app.note_editor.add_note(kind, content, "Test")
    assert field in [problem.field for problem in failure.value.problems]
    problem = next(p for p in failure.value.problems if p.field == field)
    assert says in problem.message
    assert f"{field}: " in failure.value.user_message
    with small_app.database.transaction() as store:
        assert store.notes.count() == 6  # nothing was written


def test_an_exercise_templates_problems_are_located_by_part(small_app: App) -> None:
    broken = ExerciseTemplate(
        template_id="broken",
        question="How many for {n}?",
        answer="n * 2",
        explanation="It is {missing}.",
        variables=(Variable("n", VariableKind.INTEGER, 1, 5),),
        steps=(Step("double", "n +* 2"),),
    )
    with pytest.raises(InvalidNote) as failure:
        small_app.note_editor.add_note(NoteKind.EXERCISE, ExerciseContent(broken), "Test")
    fields = {problem.field for problem in failure.value.problems}
    assert {"steps[0]", "explanation"} <= fields


def test_html_is_written_through_the_import_sanitizer(small_app: App) -> None:
    saved = small_app.note_editor.add_note(
        NoteKind.BASIC,
        BasicContent("<b>Bold</b><script>alert(1)</script>", '<img src="http://x/y.png"> ok'),
        "Test",
        explanation='<a href="javascript:alert(1)" onclick="x()">see</a>',
        text_format=TextFormat.HTML,
    )
    with small_app.database.transaction() as store:
        note = store.notes.get(saved.note_id)
    assert isinstance(note.content, BasicContent)
    assert note.content.front == "<b>Bold</b>"
    assert "http" not in note.content.back
    assert "javascript" not in note.explanation
    assert "onclick" not in note.explanation


def test_a_first_field_already_in_the_deck_is_a_warning_not_an_error(small_app: App) -> None:
    saved = small_app.note_editor.add_note(
        NoteKind.BASIC, BasicContent("what is a  MODEL parameter?", "Again"), "Test::Concepts"
    )
    assert saved.warnings == (
        "Another note in Test::Concepts already begins with this text (a duplicate?).",
    )
    elsewhere = small_app.note_editor.add_note(
        NoteKind.BASIC, BasicContent("What is a model parameter?", "Again"), "Other"
    )
    assert elsewhere.warnings == ()


def test_a_note_of_one_kind_cannot_be_given_another_kinds_content(small_app: App) -> None:
    with pytest.raises(UserError, match="holds ClozeContent, not BasicContent"):
        small_app.note_editor.add_note(NoteKind.CLOZE, BasicContent("a", "b"), "Test")


def test_editing_keeps_the_cards_schedules_and_history(small_app: App, db_path: Path) -> None:
    session = small_app.study(None)
    while session.current is not None:
        session.answer(Rating.GOOD, 1000)
    note_id = note_id_of(db_path, "small-bank/basic-param")
    (card_id,) = cards_of_note(db_path, "small-bank/basic-param")
    with small_app.database.transaction() as store:
        memory = store.cards.get(card_id).memory
        history = store.reviews.history(card_id)
    opened = small_app.note_editor.open(note_id)
    assert opened.deck_name == "Test::Concepts"

    saved = small_app.note_editor.edit_note(
        note_id,
        BasicContent("What is a parameter?", "A learned value."),
        ["concepts", "edited"],
        "Weights.",
        stamp=opened.stamp,
    )

    assert saved.card_ids == (card_id,)
    with small_app.database.transaction() as store:
        assert store.cards.get(card_id).memory == memory
        assert store.reviews.history(card_id) == history
        note = store.notes.get(note_id)
    assert note.content == BasicContent("What is a parameter?", "A learned value.")
    assert note.tags == ("concepts", "edited")
    assert small_app.undo_history.label == "Undo edit note"


def test_a_save_over_a_note_changed_elsewhere_is_refused(small_app: App, db_path: Path) -> None:
    note_id = note_id_of(db_path, "small-bank/basic-param")
    opened = small_app.note_editor.open(note_id)
    small_app.cards.add_tags([note_id], ["meanwhile"])  # another window tags it
    with pytest.raises(UserError) as failure:
        small_app.note_editor.edit_note(
            note_id, BasicContent("Mine", "mine"), ["x"], stamp=opened.stamp
        )
    assert failure.value.user_message == NOTE_CHANGED
    with small_app.database.transaction() as store:
        assert store.notes.get(note_id).tags == ("concepts", "meanwhile")


CLOZE_BANK = """quizapp_bank: 1
id: clozes
decks:
  - name: Cloze
    notes:
      - id: adam
        kind: cloze
        text: "{{c1::Adam}} keeps {{c2::two}} moments."
"""


@pytest.fixture
def cloze_note(small_app: App, tmp_path: Path) -> int:
    bank = tmp_path / "clozes.yaml"
    bank.write_text(CLOZE_BANK, encoding="utf-8")
    small_app.banks.import_file(bank)
    return note_id_of(tmp_path / "collection.db", "clozes/adam")


def test_a_cloze_deletion_added_makes_a_card(
    small_app: App, cloze_note: int, db_path: Path
) -> None:
    text = "{{c1::Adam}} keeps {{c2::two}} moments with decay {{c3::0.9}}."
    impact = small_app.note_editor.edit_impact(cloze_note, ClozeContent(text))
    assert (impact.faces_added, impact.cards_removed) == ((3,), ())
    saved = small_app.note_editor.edit_note(cloze_note, ClozeContent(text), [])
    assert len(saved.card_ids) == 3
    assert len(saved.cards_added) == 1
    with small_app.database.transaction() as store:
        (added,) = store.cards.many(list(saved.cards_added))
        assert added.face == 3
        assert added.deck_id == small_app.decks.find("Cloze").id


def test_a_cloze_deletion_removed_suspends_its_card_unless_deleting_is_asked(
    small_app: App, cloze_note: int, db_path: Path
) -> None:
    first, second = cards_of_note(db_path, "clozes/adam")
    session = small_app.study(small_app.decks.find("Cloze"))
    session.answer(Rating.GOOD, 1000)  # c1 (c2 waits for tomorrow)
    only_c2 = ClozeContent("Adam keeps {{c2::two}} moments.")
    impact = small_app.note_editor.edit_impact(cloze_note, only_c2)
    assert (impact.cards_removed, impact.reviews_removed) == ((first,), 1)

    kept = small_app.note_editor.edit_note(cloze_note, only_c2, [])
    assert kept.cards_suspended == (first,)
    with small_app.database.transaction() as store:
        assert store.cards.get(first).suspended
    small_app.undo_history.undo()

    before = content_rows(db_path)
    gone = small_app.note_editor.edit_note(cloze_note, only_c2, [], delete_removed_cards=True)
    assert gone.cards_deleted == (first,)
    assert gone.card_ids == (second,)
    assert ("card", "clozes/adam/1") in graves(db_path)
    small_app.undo_history.undo()
    assert content_rows(db_path) == before


REIMPORT_BANK = """quizapp_bank: 1
id: course
decks:
  - name: Course
    notes:
      - id: weight
        front: What does a weight do?
        back: {back}
"""


def _bank_note(tmp_path: Path, back: str) -> Path:
    path = tmp_path / "course.yaml"
    path.write_text(REIMPORT_BANK.format(back=back), encoding="utf-8")
    return path


def _back(db_path: Path) -> str:
    with sqlite3.connect(db_path) as connection:
        return str(
            connection.execute(
                "SELECT json_extract(content, '$.back') FROM notes WHERE guid = 'course/weight'"
            ).fetchone()[0]
        )


def test_a_reimport_keeps_an_edit_made_here_and_reports_it(
    small_app: App, tmp_path: Path, db_path: Path
) -> None:
    from quizapp.services.banks import ImportOptions

    small_app.banks.import_file(_bank_note(tmp_path, "It scales an input."))
    note_id = note_id_of(db_path, "course/weight")
    small_app.note_editor.edit_note(
        note_id, BasicContent("What does a weight do?", "My own words."), []
    )
    small_app.note_editor.edit_note(  # a second edit keeps the bank's first fingerprint
        note_id, BasicContent("What does a weight do?", "My own, better words."), []
    )

    report = small_app.banks.import_file(_bank_note(tmp_path, "It multiplies an input."))

    assert report.kept_edits == ("course/weight",)
    assert _back(db_path) == "My own, better words."
    overwritten = small_app.banks.import_file(
        _bank_note(tmp_path, "It multiplies an input."),
        options=ImportOptions(overwrite_edits=True),
    )
    assert overwritten.kept_edits == ()
    assert _back(db_path) == "It multiplies an input."
    with small_app.database.transaction() as store:
        record = store.notes.record(note_id)
        assert record is not None
        assert record.fingerprint is None
