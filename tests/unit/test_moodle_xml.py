"""The Moodle XML importer: real exports and hand-written files, what becomes of each
question type, the files they carry, and how a bad or hostile file is refused."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.banks.errors import BankError
from quizapp.banks.formats import ParseOptions, detect_format, read_bank
from quizapp.banks.html import image_sources
from quizapp.banks.moodle_formulas import FormulaError, translate_formula
from quizapp.banks.moodle_media import MAX_MEDIA_BYTES
from quizapp.banks.moodle_xml import ENTITIES_REFUSED, category_deck, parse_moodle_xml
from quizapp.domain import (
    ANY_NUMBER,
    BankFormat,
    BasicContent,
    ExerciseContent,
    ImportBatch,
    MatchingContent,
    MultipleChoiceContent,
    MultipleResponseContent,
    NoteKind,
    NumericAlternative,
    NumericContent,
    Step,
    TextFormat,
    ToleranceKind,
    TrueFalseContent,
    TypedContent,
    Variable,
    VariableKind,
)
from quizapp.domain.notes import content_from_fields, content_to_fields

DATA = Path(__file__).parents[1] / "data" / "moodle-xml"
MULTICHOICE = DATA / "moodle-tools-multiple-choiceRef.xml"
NUMERICAL = DATA / "moodle-tools-numericalRef.xml"
TRUE_FALSE = DATA / "moodle-tools-true-falseRef.xml"
CORPUS = (MULTICHOICE, NUMERICAL, TRUE_FALSE)
HAND_WRITTEN = tuple(DATA / f"{name}.xml" for name in ("calculated", "every-type", "media"))
SAME_NAME = (
    "a question of this type in this category has the same name (line {line}); they are told "
    "apart by their order, so keep that order when you import it again"
)
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)


def parse(path: Path) -> ImportBatch:
    return parse_moodle_xml(path.read_bytes(), path.name, ParseOptions())


def parse_text(text: str) -> ImportBatch:
    return parse_moodle_xml(text.encode("utf-8"), "test.xml", ParseOptions())


def problems(text: str | bytes) -> list[tuple[int, str]]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(BankError) as raised:
        parse_moodle_xml(data, "test.xml", ParseOptions())
    assert all(issue.file == "test.xml" for issue in raised.value.issues)
    return [(issue.line, issue.message) for issue in raised.value.issues]


def question(body: str, kind: str = "multichoice", name: str = "Q") -> str:
    return (
        f'<?xml version="1.0"?>\n<quiz>\n<question type="{kind}">\n'
        f"<name><text>{name}</text></name>\n{body}\n</question>\n</quiz>\n"
    )


# --- the real files -----------------------------------------------------------------


def test_multichoice_corpus_file_gives_the_choices_with_their_credit_and_feedback() -> None:
    batch = parse(MULTICHOICE)

    assert [n.note.content for n in batch.notes] == [
        MultipleChoiceContent(
            question="<p>Simple format</p>",
            choices=("<p>Correct answer 1</p>", "<p>Wrong answer 1</p>", "<p>Wrong answer 2</p>"),
            correct=0,
            weights=(1.0, 0.0, 0.0),
        ),
        MultipleChoiceContent(
            question="<p>Extended format</p>",
            choices=("<p>Correct answer</p>", "<p>Partial answer</p>", "<p>Wrong answer</p>"),
            correct=0,
            weights=(1.0, 0.5, 0.0),
            feedback=("Feedback for option 1", "Feedback for option 2", "Feedback for option 3"),
        ),
    ]
    assert [n.note.explanation for n in batch.notes] == ["", "<p>General feedback</p>"]
    assert {n.note.kind for n in batch.notes} == {NoteKind.MULTIPLE_CHOICE}
    assert {n.note.text_format for n in batch.notes} == {TextFormat.HTML}
    assert [n.line for n in batch.notes] == [3, 52]
    assert batch.deck_names == ("moodle-tools-multiple-choiceRef",)
    assert [(w.line, w.message) for w in batch.warnings] == [
        (52, f"question 'Question title': {SAME_NAME.format(line=3)}")
    ]


def test_numerical_corpus_file_reads_tolerances_including_one_in_cdata() -> None:
    batch = parse(NUMERICAL)

    first, second = (n.note.content for n in batch.notes)
    assert first == NumericContent(
        question="<p>What is 2 + 2?</p>",
        answer=4.0,
        tolerance=0.0,
        alternatives=(
            NumericAlternative(
                low=pytest.approx(4.9),  # type: ignore[arg-type]
                high=pytest.approx(5.1),  # type: ignore[arg-type]
                weight=0.5,
                feedback="2 + 2 = 5 for some values of 2",
            ),
        ),
        feedback="Feedback for first answer",
    )
    assert second == NumericContent(
        question="<p>What is 2 + 2?</p>",
        answer=4.0,
        alternatives=(NumericAlternative(low=5.0, high=5.0, weight=0.0),),
    )
    assert batch.notes[0].note.explanation == "<p>General feedback</p>"
    assert batch.warnings == ()


def test_true_false_corpus_file_keeps_the_feedback_of_each_pick() -> None:
    batch = parse(TRUE_FALSE)

    assert [n.note.content for n in batch.notes] == [
        TrueFalseContent(
            statement="<p>Complete question</p>",
            answer=False,
            feedback_true="<p>Wrong feedback</p>",
            feedback_false="<p>Correct feedback</p>",
        ),
        TrueFalseContent(statement="<p>Minimal true question</p>", answer=True),
        TrueFalseContent(statement="<p>Minimal false question</p>", answer=False),
    ]
    assert batch.notes[0].note.explanation == "<p>General feedback</p>"


def test_questions_with_the_same_name_get_distinct_guids_that_survive_a_re_import() -> None:
    batch = parse(TRUE_FALSE)
    first = [n.note.guid for n in batch.notes]
    again = [n.note.guid for n in parse(TRUE_FALSE).notes]

    assert first == again
    assert len(set(first)) == 3
    assert all(guid.startswith("m-") for guid in first)
    assert [(w.line, w.message) for w in batch.warnings] == [
        (30, f"question 'Question title': {SAME_NAME.format(line=3)}"),
        (57, f"question 'Question title': {SAME_NAME.format(line=3)}"),
    ]


def test_padded_shuffleanswers_is_read_and_a_nonsense_value_is_reported_at_its_line() -> None:
    text = MULTICHOICE.read_text(encoding="utf-8").replace("Question title", "Title", 1)
    assert "<shuffleanswers>\n        1\n    </shuffleanswers>" in text
    assert parse_moodle_xml(text.encode(), "mc.xml", ParseOptions()).warnings == ()

    broken = text.replace("<shuffleanswers>\n        1", "<shuffleanswers>\n        maybe", 1)
    assert problems(broken) == [
        (
            18,
            "question 'Title': <shuffleanswers> must be 1 or 0 (true or false), not 'maybe'",
        )
    ]


def _choice_question(single: str, shuffle: str | None) -> bytes:
    shuffled = f"<shuffleanswers>{shuffle}</shuffleanswers>" if shuffle is not None else ""
    return (
        "<quiz><question type='multichoice'><name><text>Q</text></name>"
        "<questiontext><text>Which?</text></questiontext>"
        f"<single>{single}</single>{shuffled}"
        "<answer fraction='100'><text>A</text></answer>"
        "<answer fraction='0'><text>B</text></answer>"
        "<answer fraction='0'><text>All of the above</text></answer></question></quiz>"
    ).encode()


@pytest.mark.parametrize("single", ["true", "false"])
@pytest.mark.parametrize(
    ("shuffle", "fixed"),
    [("0", True), ("false", True), (" 0 ", True), ("1", False), ("true", False), (None, False)],
)
def test_shuffleanswers_off_keeps_the_choices_in_the_written_order(
    single: str, shuffle: str | None, fixed: bool
) -> None:
    batch = parse_moodle_xml(_choice_question(single, shuffle), "mc.xml", ParseOptions())

    content = batch.notes[0].note.content
    assert isinstance(content, MultipleChoiceContent | MultipleResponseContent)
    assert content.choices == ("A", "B", "All of the above")
    assert content.fixed_order is fixed


def test_every_note_of_every_file_survives_the_trip_to_stored_fields() -> None:
    for path in CORPUS + HAND_WRITTEN:
        for batch_note in parse(path).notes:
            note = batch_note.note
            stored = json.loads(json.dumps(content_to_fields(note.content)))
            assert content_from_fields(note.kind, stored) == note.content, path.name


# --- calculated questions -------------------------------------------------------------


def test_calculated_question_becomes_a_template_with_variables_steps_and_tolerance() -> None:
    batch = parse(DATA / "calculated.xml")

    ring = batch.notes[0].note
    assert ring.kind is NoteKind.EXERCISE
    assert isinstance(ring.content, ExerciseContent)
    template = ring.content.template
    assert template.template_id == "area-of-a-ring"
    assert template.variables == (
        Variable("R", VariableKind.DECIMAL, low=5.0, high=10.0, step=0.1),
        Variable("r", VariableKind.INTEGER, low=1, high=4, step=1),
    )
    assert template.answer == "pi * ((R ** 2) - (r ** 2))"
    assert template.question == (
        "<p>A ring has outer radius {R} cm and inner radius {r} cm. What is its area? "
        "(The outer disc alone is {calc1} times pi.)</p>"
    )
    assert template.explanation == (  # the worked solution ends with the answer drawn
        "<p>Subtract the inner disc from the outer one: {calc2} times pi.</p> Answer: {answer}"
    )
    assert template.steps == (Step("calc1", "R * R"), Step("calc2", "(R ** 2) - (r ** 2)"))
    assert (template.tolerance, template.tolerance_kind) == (0.5, ToleranceKind.ABSOLUTE)
    assert template.unit == "cm²"
    assert ring.tags == ("geometry", "drawn_numbers")
    assert batch.notes[0].deck == "Physics::Circles"


def test_calculatedsimple_question_keeps_the_first_full_credit_formula_and_warns() -> None:
    batch = parse(DATA / "calculated.xml")

    sound = batch.notes[1].note
    assert sound.guid == "sound-level-db"
    assert isinstance(sound.content, ExerciseContent)
    template = sound.content.template
    assert template.template_id == "sound-level-db"
    assert template.answer == "10 * log10(I / 1e-12) + abs(round(sqrt(exp(0)) - 1, 2))"
    assert (template.tolerance, template.tolerance_kind) == (0.01, ToleranceKind.RELATIVE)
    (variable,) = template.variables
    assert (variable.kind, variable.low, variable.high) == (VariableKind.DECIMAL, 1e-6, 0.01)
    assert variable.step == pytest.approx(1e-6)
    assert template.explanation == "Answer: {answer}"
    assert [(w.line, w.message) for w in batch.warnings] == [
        (72, "question 'Area of a ring': {r} is drawn uniformly, not log-uniformly"),
        (116, "question 'Sound level': only the formula of the first full-credit answer is kept"),
    ]


@pytest.mark.parametrize(
    ("moodle", "ours"),
    [
        ("{a}*{b}", "a * b"),
        ("pi()*{r}", "pi * r"),
        ("pow({a}+1, -{b})", "((a + 1) ** (-b))"),
        ("Sqrt(ABS({a}))", "sqrt(abs(a))"),
        ("log({a}, 2)", "(log(a) / log(2))"),
        ("log({a})+log10({a})+exp({a})", "log(a) + log10(a) + exp(a)"),
        ("sin({a})/cos({a})-tan({a})", "sin(a) / cos(a) - tan(a)"),
        ("round({a}, 2) % 3", "round(a, 2) % 3"),
        ("min({a}, {b}, 3) + max({a}, {b})", "min(a, b, 3) + max(a, b)"),
        ("floor(.5e1) + ceil(2.5)", "floor(.5e1) + ceil(2.5)"),
        ("{a}**2", "a ** 2"),
    ],
)
def test_formulas_are_translated_to_quizapp_syntax(moodle: str, ours: str) -> None:
    assert translate_formula(moodle, {"a", "b", "r"}) == ours


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("asin({a})", "the function 'asin' is not one QuizApp can compute"),
        ("fmod({a}, 2)", "the function 'fmod' is not one QuizApp can compute"),
        ("pow({a})", "pow() takes 2 arguments, not 1"),
        ("{z} + 1", "{z} is not one of the question's datasets"),
        ("{a}^2", "cannot read the formula from '^2' (use pow(a, b) for a power)"),
        ("a + 1", "'a' is neither a {variable} nor a function call"),
        ("({a} + 1", "')' is missing in '({a} + 1'"),
        ("{a} {a}", "an operator is missing before 'a'"),
        ("{a} +", "the formula '{a} +' is incomplete"),
        ("(" * 60 + "1" + ")" * 60, "the formula nests more than 50 levels deep"),
    ],
)
def test_formulas_quizapp_cannot_compute_are_named(formula: str, message: str) -> None:
    with pytest.raises(FormulaError, match=re.escape(message)):
        translate_formula(formula, {"a"})


def test_a_dataset_with_an_empty_range_or_bad_decimals_is_reported() -> None:
    body = """
<questiontext format="plain_text"><text>{x} and {y}</text></questiontext>
<answer fraction="100"><text>{x}+{y}</text><tolerance>0.1</tolerance>
<tolerancetype>4</tolerancetype></answer>
<dataset_definitions>
<dataset_definition><name><text>x</text></name><minimum><text>3.2</text></minimum>
<maximum><text>3.8</text></maximum><decimals><text>0</text></decimals></dataset_definition>
<dataset_definition><name><text>y</text></name><minimum><text>1</text></minimum>
<maximum><text>2</text></maximum><decimals><text>²</text></decimals></dataset_definition>
</dataset_definitions>"""
    assert problems(question(body, "calculated")) == [
        (7, "question 'Q': <tolerancetype> must be 1, 2 or 3, not '4'"),
        (10, "question 'Q': the range of {x} is empty: 4 to 3"),
        (12, "question 'Q': the decimals of {y} must be 0 to 10, not ²"),
    ]


# --- files ------------------------------------------------------------------------------


def test_an_embedded_image_is_extracted_and_its_reference_rewritten() -> None:
    batch = parse(DATA / "calculated.xml")

    assert [(m.name, m.data) for m in batch.media] == [("speaker icon.png", PNG_1X1)]
    content = batch.notes[1].note.content
    assert isinstance(content, ExerciseContent)
    assert "@@PLUGINFILE@@" not in content.template.question
    assert image_sources(content.template.question) == ["speaker icon.png"]


def test_images_sounds_and_other_files_of_a_question() -> None:
    batch = parse(DATA / "media.xml")

    assert [m.name for m in batch.media] == ["dot.png", "beep.ogg", "anim.gif", "dot-fce48193.png"]
    assert batch.media[1].data.startswith(b"OggS")
    first = batch.notes[0].note
    assert isinstance(first.content, MultipleChoiceContent)
    assert first.content.question == (
        '<p>Which dot is red? <img src="dot.png" alt="dot"> Listen: [sound:beep.ogg] notes </p>'
    )
    assert first.explanation == '<p>See <img src="anim.gif"></p>'
    assert [(w.line, w.message) for w in batch.warnings] == [
        (
            8,
            "question 'Which dot is red?': refers to the file 'missing.png', "
            "which it does not carry; removed",
        ),
        (
            14,
            "question 'Which dot is red?': file 'notes.pdf' is not an image or sound "
            "QuizApp shows; skipped",
        ),
    ]


def test_two_different_files_with_one_name_are_both_kept() -> None:
    batch = parse(DATA / "media.xml")

    second = batch.notes[1].note.content
    assert isinstance(second, TrueFalseContent)
    assert image_sources(second.statement) == ["dot-fce48193.png", "dot-fce48193.png"]
    data = {m.name: m.data for m in batch.media}
    assert data["dot.png"] == PNG_1X1
    assert data["dot-fce48193.png"] != PNG_1X1


def test_bad_base64_and_oversized_files_are_errors_at_their_line() -> None:
    huge = "A" * (MAX_MEDIA_BYTES // 3 * 4 + 8)
    body = f"""<questiontext format="html"><text>x</text>
<file name="bad.png" encoding="base64">iVBOR*w0K</file>
<file name="huge.png" encoding="base64">{huge}</file>
<file name="" encoding="base64">iVBORw0K</file>
</questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>"""
    found = problems(question(body, "truefalse"))

    assert [line for line, _ in found] == [6, 7, 8]
    assert "file 'bad.png' is not valid base64" in found[0][1]
    assert found[1][1] == "question 'Q': file 'huge.png' is more than 20 MB"
    assert found[2][1] == "question 'Q': a <file> has no name"


# --- every other type, categories and text formats ---------------------------------------


def test_each_question_type_becomes_its_note_kind() -> None:
    batch = parse(DATA / "every-type.xml")
    notes = {n.note.guid: n.note for n in batch.notes}

    france = notes["geo-france"]
    assert france.content == TypedContent(
        question="What is the capital of France?<br>Answer in one word.",
        answers=("Paris", "Par*", "*"),
        weights=(1.0, 0.5, 0.0),
        feedback=("<p>Yes, <b>Paris</b>.</p>", "Spell it out.", "No."),
    )
    # One HTML field makes the whole note HTML; its plain texts are escaped.
    assert france.text_format is TextFormat.HTML
    assert france.explanation == "Paris has been the capital since 987 &amp; before."
    assert france.tags == ("europe", "capital_cities")
    matching = next(n for n in notes.values() if n.kind is NoteKind.MATCHING)
    assert matching.content == MatchingContent(
        question="Match each country with its capital.",
        pairs=(("Italy", "Rome"), ("Spain", "Madrid")),
        distractors=("Lisbon",),
    )
    assert matching.text_format is TextFormat.PLAIN
    assert notes["phys-vectors"].content == MultipleResponseContent(
        question="Which of these are *vectors*?",
        choices=("Velocity", "Force", "Mass"),
        weights=(0.5, 0.5, -1.0),
        feedback=("Speed with a direction.", "", "Mass has no direction."),
        fixed_order=True,  # <shuffleanswers>0</shuffleanswers>
    )
    assert notes["phys-light"].content == NumericContent(
        question="The speed of light, in km/s?",
        answer=300000.0,
        tolerance=1000.0,
        unit="km/s",
        alternatives=(
            NumericAlternative(330.0, 350.0, 0.0, "That is the speed of sound in m/s."),
            # The "*" answer: any other number gets its feedback.
            NumericAlternative(-ANY_NUMBER, ANY_NUMBER, 0.0, "No."),
        ),
    )


def test_essays_become_self_graded_cards_and_unknown_types_are_skipped_with_warnings() -> None:
    batch = parse(DATA / "every-type.xml")
    notes = {n.note.guid: n.note for n in batch.notes}

    assert notes["phys-inertia"].content == BasicContent(
        front="<p>Explain <em>inertia</em> in your own words.</p>",
        back="<p>Mentions resistance to changes in motion.</p>",
    )
    assert notes["phys-friction"].content == BasicContent(
        front="Describe an experiment on friction.",
        back="Essay question — compare your answer with your notes.",
    )
    assert [(w.line, w.message) for w in batch.warnings] == [
        (20, "question 'Capital of France': Moodle compares its answers with case; "
         "QuizApp ignores case"),
        (99, "question 'Speed of light': only the unit 'km/s' is kept; m/s not accepted"),
        (104, "question 'Explain inertia': an essay becomes a card you grade yourself"),
        (113, "question 'Describe an experiment': an essay becomes a card you grade yourself"),
        (119, "question 'Read this first': a description is not a question; skipped"),
        (123, "question 'Drag words': the question type 'ddwtos' is not one QuizApp reads; "
         "skipped"),
        (127, "question 'Unsafe statement': removed a script, the address "
         "https://tracker.example/pixel.gif (QuizApp shows no scripts or remote files)"),
        (139, "question 'Same idnumber': the idnumber 'phys-unsafe' is used again "
         "(first on line 127); this question is imported as 'phys-unsafe-2'"),
    ]  # fmt: skip
    unsafe = notes["phys-unsafe"].content
    assert isinstance(unsafe, TrueFalseContent)
    assert "script" not in unsafe.statement
    assert "onclick" not in unsafe.statement
    assert "tracker.example" not in unsafe.statement


def test_categories_become_decks_unless_the_user_picks_one() -> None:
    batch = parse(DATA / "every-type.xml")
    assert batch.deck_names == ("Geography/Maps::Capitals", "Physics")
    assert [n.deck for n in batch.notes][:2] == ["Geography/Maps::Capitals"] * 2

    chosen = read_bank(DATA / "every-type.xml", options=ParseOptions(deck="Imported::Moodle"))
    assert chosen.deck_names == ("Imported::Moodle",)
    # The guid does not depend on the deck the user picked.
    assert [n.note.guid for n in chosen.notes] == [n.note.guid for n in batch.notes]


@pytest.mark.parametrize(
    ("path", "deck"),
    [
        ("$course$/top/A/B", "A::B"),
        ("$course$/A/B", "A::B"),
        ("$system$/top", ""),
        ("$cat1$/top/Week 1/", "Week 1"),
        ("$module$/top/A//B/C", "A/B::C"),
        ("top/A/top", "A::top"),
    ],
)
def test_category_paths_become_deck_names(path: str, deck: str) -> None:
    assert category_deck(path) == deck


def test_the_guid_follows_the_name_type_and_category_not_the_answers() -> None:
    base = question(
        '<questiontext format="plain_text"><text>Sky?</text></questiontext>'
        '<answer fraction="100"><text>blue</text></answer>',
        "shortanswer",
        name="Sky colour",
    )
    edited = base.replace("blue", "azure")
    renamed = base.replace("Sky colour", "Colour of the sky")

    (guid,) = (n.note.guid for n in parse_text(base).notes)
    assert guid == next(n.note.guid for n in parse_text(edited).notes)
    assert guid != next(n.note.guid for n in parse_text(renamed).notes)


# --- bad and hostile files ------------------------------------------------------------------


def test_entity_expansion_is_refused_before_anything_is_expanded() -> None:
    with pytest.raises(BankError) as raised:
        parse(DATA / "billion-laughs.xml")
    assert [(i.line, i.message) for i in raised.value.issues] == [(2, ENTITIES_REFUSED)]


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE quiz SYSTEM "http://example.com/quiz.dtd">',
    ],
)
def test_external_entities_and_document_types_are_refused(prolog: str) -> None:
    ((line, message),) = problems(f'<?xml version="1.0"?>\n{prolog}\n<quiz>&xxe;</quiz>')
    assert line == 2
    assert message.endswith("which QuizApp does not read")


@pytest.mark.parametrize(
    ("data", "line", "start"),
    [
        (b"<?xml version='1.0'?>\n<quiz>\n<question>\n</quiz>\n", 4, "not valid XML: mismatched"),
        (b"", 1, "not valid XML: no element found"),
        (b"<quiz>\n<a>\xff</a></quiz>", 2, "not valid XML: not well-formed"),
        (b"<?xml version='1.0' encoding='nope'?><quiz/>", 1, "cannot read the file's encoding"),
        (b"<quiz>" + b"<a>" * 200 + b"</a>" * 200 + b"</quiz>", 1, "elements are nested"),
        (b"<?xml version='1.0'?>\n\n<questions/>", 3, "not Moodle XML: <questions> is not"),
    ],
)
def test_unreadable_files_are_refused_with_the_line(data: bytes, line: int, start: str) -> None:
    ((found_line, message),) = problems(data)
    assert (found_line, message[: len(start)]) == (line, start)


def test_every_mistake_in_a_file_is_reported_at_once() -> None:
    with pytest.raises(BankError) as raised:
        parse(DATA / "errors.xml")

    assert [(i.line, i.message) for i in raised.value.issues] == [
        (7, "question 'Bad fraction': the answer's fraction must be a number, not 'lots'"),
        (13, "question 'Not a number': a numerical answer must be a number, not 'four'"),
        (
            18,
            "question 'Unknown function': formula 'asin({x})': "
            "the function 'asin' is not one QuizApp can compute",
        ),
        (32, "question 'Broken image': file 'x.png' is not valid base64 "
         "(Only base64 data is allowed)"),
    ]  # fmt: skip
    assert str(raised.value).startswith("errors.xml:7: question 'Bad fraction'")


def test_a_moodle_file_on_disk_is_detected_and_read(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(TRUE_FALSE.read_bytes())

    assert detect_format(path, path.read_bytes()[:4096]) is BankFormat.MOODLE_XML
    batch = read_bank(path)
    assert len(batch.notes) == 3
    assert batch.deck_names == ("export",)


def test_a_file_with_no_questions_says_so() -> None:
    batch = parse_text("<quiz>\n</quiz>")
    assert batch.notes == ()
    assert [(w.line, w.message) for w in batch.warnings] == [
        (1, "the file has no question QuizApp can import")
    ]


# --- properties --------------------------------------------------------------------------------


def _parses_or_refuses(data: bytes) -> None:
    try:
        parse_moodle_xml(data, "fuzz.xml", ParseOptions())
    except BankError as error:
        refusal = error
    else:
        return
    assert refusal.issues


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_parse_or_raise_bank_error(data: bytes) -> None:
    _parses_or_refuses(data)


_PIECES = [
    *"<>/=\"'&;![]{}?*- \n0123456789xy",
    '<question type="multichoice">', '<question type="numerical">', '<question type="truefalse">',
    '<question type="calculated">', '<question type="matching">', '<question type="category">',
    "</question>", "<text>", "</text>", '<answer fraction="100">', '<answer fraction="50">',
    "</answer>", '<questiontext format="html">', "</questiontext>", "<![CDATA[", "]]>",
    '<file name="x.png" encoding="base64">', "</file>", "@@PLUGINFILE@@/x.png", "<img src=",
    "<tolerance>", "</tolerance>", "<subquestion>", "</subquestion>", "<single>", "</single>",
    "<dataset_definitions><dataset_definition><name><text>x</text></name>", "{x}", "{=",
    "</dataset_definition></dataset_definitions>", "<minimum>", "<maximum>", "<decimals>",
    "pow(", "pi()", "iVBORw0KGgo=", "$course$/top/",
]  # fmt: skip
_XMLISH = st.lists(st.sampled_from(_PIECES), max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.builds("<quiz>{}</quiz>".format, _XMLISH) | _XMLISH)
def test_arbitrary_xmlish_text_parses_or_raises_bank_error(text: str) -> None:
    _parses_or_refuses(text.encode("utf-8"))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(CORPUS + HAND_WRITTEN),
    st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.binary(max_size=8), st.integers(0, 8)),
        min_size=1,
        max_size=6,
    ),
)
def test_mutated_files_parse_or_raise_bank_error(
    path: Path, mutations: list[tuple[float, bytes, int]]
) -> None:
    data = bytearray(path.read_bytes())
    for where, insert, delete in mutations:
        position = int(where * len(data))
        data[position : position + delete] = insert
    _parses_or_refuses(bytes(data))
