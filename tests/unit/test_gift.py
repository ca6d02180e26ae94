"""The GIFT importer: Moodle's plain-text questions, read as Moodle reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.banks.errors import BankError
from quizapp.banks.formats import ParseOptions, read_bank
from quizapp.banks.gift import parse_gift
from quizapp.domain import (
    BasicContent,
    BatchNote,
    ImportBatch,
    ImportIssue,
    MatchingContent,
    MultipleChoiceContent,
    MultipleResponseContent,
    NoteKind,
    NumericAlternative,
    NumericContent,
    TextFormat,
    TrueFalseContent,
    TypedContent,
)
from quizapp.domain.notes import content_guid

GIFT_DATA = Path(__file__).parents[1] / "data" / "gift"
CORPUS = sorted(path for path in GIFT_DATA.iterdir() if path.name.endswith((".gift", ".gift.txt")))
# Questions each corpus file makes, once descriptions and repeated questions are left out.
NOTE_COUNTS = {
    "fuhrmanator-multiLineFeedback1.gift": 2,
    "fuhrmanator-numerical1.gift": 9,
    "fuhrmanator-options1.gift": 14,
    "fuhrmanator-shortAnswerNotMatching.gift": 2,
    "moodle-questions.gift.txt": 8,
}


def parse(text: str, source: str = "questions.gift") -> ImportBatch:
    return parse_gift(text.encode("utf-8"), source, ParseOptions())


def corpus(name: str) -> ImportBatch:
    path = GIFT_DATA / name
    return parse_gift(path.read_bytes(), str(path), ParseOptions())


def at_line(batch: ImportBatch, line: int) -> BatchNote:
    """The note whose question starts on ``line``."""
    matches = [batch_note for batch_note in batch.notes if batch_note.line == line]
    assert len(matches) == 1, [batch_note.line for batch_note in batch.notes]
    return matches[0]


def only(text: str) -> BatchNote:
    batch = parse(text)
    assert len(batch.notes) == 1
    return batch.notes[0]


def problems(text: str) -> list[ImportIssue]:
    with pytest.raises(BankError) as raised:
        parse(text)
    return list(raised.value.issues)


def warnings_of(batch: ImportBatch) -> list[str]:
    return [str(warning) for warning in batch.warnings]


# --- the corpus -----------------------------------------------------------------------


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.name)
def test_every_corpus_file_parses_into_located_notes(path: Path) -> None:
    batch = parse_gift(path.read_bytes(), str(path), ParseOptions())
    assert len(batch.notes) == NOTE_COUNTS[path.name]
    text_lines = path.read_text(encoding="utf-8").splitlines()
    for batch_note in batch.notes:
        assert batch_note.note.source == str(path)
        # A question starts on a line of its own text, never on a comment or a blank.
        first = text_lines[batch_note.line - 1].strip()
        assert first
        assert not first.startswith("//")
    assert len({batch_note.note.guid for batch_note in batch.notes}) == len(batch.notes)


def test_the_corpus_is_shipped_with_its_sources_and_licence() -> None:
    sources = (GIFT_DATA / "SOURCES.md").read_text(encoding="utf-8")
    for path in CORPUS:
        assert path.name in sources
    assert (GIFT_DATA / "LICENSE.fuhrmanator-GIFT-grammar-PEG.js.MIT.txt").exists()


def test_multiple_choice_keeps_weights_feedback_and_the_missing_word_blank() -> None:
    batch = corpus("fuhrmanator-options1.gift")
    batch_note = at_line(batch, 38)
    assert batch_note.note.kind is NoteKind.MULTIPLE_CHOICE
    assert batch_note.note.content == MultipleChoiceContent(
        question="Jesus Christ was from _____.",
        choices=("Jerusalem", "Bethlehem", "Galilee", "Nazareth"),
        correct=3,
        weights=(0.0, 0.25, 0.5, 1.0),
        feedback=(
            "This was an important city, but the wrong answer.",
            "He was born here, but not raised here.",
            "You need to be more specific.",
            "Yes! That's right!",
        ),
    )
    thanksgiving = at_line(batch, 14).note.content
    assert isinstance(thanksgiving, MultipleChoiceContent)
    assert thanksgiving.question == (
        "The American holiday of Thanksgiving is\ncelebrated on the _____ Thursday of November."
    )
    assert thanksgiving.feedback == ("", "", "")


def test_missing_word_blank_takes_the_place_of_the_answer_block() -> None:
    batch_note = only("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert batch_note.note.content == MultipleChoiceContent(
        question="Grant is _____ in Grant's tomb.",
        choices=("buried", "entombed", "living"),
        correct=1,
        weights=(0.0, 1.0, 0.0),
        feedback=("", "", ""),
    )


def test_several_weighted_right_choices_make_a_multiple_response_note() -> None:
    batch = corpus("fuhrmanator-options1.gift")
    first, second = at_line(batch, 51).note, at_line(batch, 57).note
    assert first.kind is second.kind is NoteKind.MULTIPLE_RESPONSE
    assert first.content == MultipleResponseContent(
        question="What two people are entombed in Grant's tomb?",
        choices=("No one", "Grant", "Grant's wife", "Grant's father"),
        weights=(0.0, 0.5, 0.5, 0.0),
        feedback=("", "", "", ""),
    )
    assert isinstance(second.content, MultipleResponseContent)
    assert second.content.weights == (-0.5, 0.5, 0.5, -0.5)
    third = only("Pick the primes. {~%33.333%2 ~%33.333%3 ~%33.334%5 ~%-100%4}").note
    assert isinstance(third.content, MultipleResponseContent)
    assert third.content.weights == (0.33333, 0.33333, 0.33334, -1.0)


def test_moodle_fixture_choice_feedback_and_per_answer_formats() -> None:
    batch = corpus("moodle-questions.gift.txt")
    single = at_line(batch, 14).note
    # "~red # [html]wrong..." makes that feedback HTML, so the whole note is HTML.
    assert single.text_format is TextFormat.HTML
    assert single.content == MultipleChoiceContent(
        question="What&#x27;s between orange and green in the spectrum?",
        choices=("yellow", "red", "blue"),
        correct=0,
        weights=(1.0, 0.0, 0.0),
        feedback=("right; good!", "wrong, it's yellow", "wrong, it&#x27;s yellow"),
    )
    several = at_line(batch, 22).note
    assert isinstance(several.content, MultipleResponseContent)
    assert several.content.choices == ("yellow", "red", "off-beige", "blue")
    assert several.content.weights == (0.5, -1.0, 0.5, -1.0)
    assert several.content.feedback == ("right; good!", "wrong", "right; good!", "wrong")


def test_arrows_inside_a_multiple_choice_question_do_not_make_it_matching() -> None:
    batch = corpus("fuhrmanator-shortAnswerNotMatching.gift")
    coffee, word = at_line(batch, 1).note, at_line(batch, 4).note
    assert coffee.content == MultipleChoiceContent(
        question="How to make coffee?",
        choices=("go to starbucks -> order a coffee", "get coffee powder -> add water"),
        correct=1,
        weights=(0.0, 1.0),
        feedback=("", ""),
    )
    assert isinstance(word.content, MultipleChoiceContent)
    # "\:" right before "{" is a colon of the question text.
    assert word.content.question.endswith("Word 2003 y 2007?:")
    assert word.content.correct == 2


# --- true/false ------------------------------------------------------------------------


def test_true_false_feedback_goes_to_the_pick_it_answers() -> None:
    batch = corpus("moodle-questions.gift.txt")
    note = at_line(batch, 41).note
    # FALSE#wrong#right: a learner who picks True is wrong and reads the first feedback.
    assert note.content == TrueFalseContent(
        statement='42 is the Absolute Answer to everything._____";',
        answer=False,
        feedback_true="42 is the Ultimate Answer.",
        feedback_false="You gave the right answer.",
    )
    assert note.explanation == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    true_note = only("The sky is blue.{T#No, look up.#Well seen.}").note
    assert true_note.content == TrueFalseContent(
        statement="The sky is blue.",
        answer=True,
        feedback_true="Well seen.",
        feedback_false="No, look up.",
    )


@pytest.mark.parametrize(
    ("block", "answer"), [("{T}", True), ("{TRUE}", True), ("{F}", False), ("{FALSE}", False)]
)
def test_true_false_spellings(block: str, answer: bool) -> None:
    note = only(f"Statement.{block}").note
    assert note.content == TrueFalseContent("Statement.", answer)


def test_lowercase_true_is_a_short_answer_as_in_moodle_with_a_warning() -> None:
    batch = parse("Statement.{true}")
    assert batch.notes[0].note.content == TypedContent("Statement.", ("true",), (1.0,), ("",))
    assert "write TRUE for a true/false question" in warnings_of(batch)[0]


# --- short answer ----------------------------------------------------------------------


def test_short_answer_keeps_weights_feedback_and_the_wildcard() -> None:
    note = at_line(corpus("moodle-questions.gift.txt"), 34).note
    assert note.kind is NoteKind.TYPED
    assert note.content == TypedContent(
        question="Which is the best animal?",
        answers=("Frog", "Cat", "*"),
        weights=(1.0, 0.5, 0.0),
        feedback=("Good!", "What is it with Moodlers and cats?", "Completely wrong"),
    )


def test_short_answer_with_a_title_and_a_markdown_marker() -> None:
    batch = corpus("fuhrmanator-options1.gift")
    assert at_line(batch, 11).note.content == TypedContent(
        "Japanese characters originally\ncame from what country?", ("China",), (1.0,), ("",)
    )
    markdown = at_line(batch, 29).note
    # Markdown is kept as its source text, not rendered.
    assert markdown.text_format is TextFormat.PLAIN
    assert isinstance(markdown.content, TypedContent)
    assert markdown.content.question == "Who's buried in **Grant's tomb**?"


# --- matching --------------------------------------------------------------------------


def test_matching_with_formats_and_an_extra_distractor() -> None:
    note = at_line(corpus("moodle-questions.gift.txt"), 5).note
    assert note.kind is NoteKind.MATCHING
    assert note.text_format is TextFormat.HTML
    assert note.content == MatchingContent(
        question="Match the <b>activity</b> to the description.",
        pairs=(
            ("An activity supporting asynchronous discussions.", "Forum"),
            ("A teacher asks a question and specifies a choice of multiple responses.", "Choice"),
            ("A bank of record entries which participants can add to.", "Database"),
            ("A collection of web pages that anyone can add to or edit.", "Wiki"),
        ),
        distractors=("Chat",),
    )


def test_plain_matching_with_an_empty_left_side_as_distractor() -> None:
    note = only("Match.{=a -> 1 =b -> 2 = -> extra}").note
    assert note.text_format is TextFormat.PLAIN
    assert note.content == MatchingContent("Match.", (("a", "1"), ("b", "2")), ("extra",))


# --- numerical -------------------------------------------------------------------------


def test_numerical_answers_tolerances_ranges_and_negative_numbers() -> None:
    batch = corpus("fuhrmanator-numerical1.gift")

    def numeric(line: int) -> NumericContent:
        content = at_line(batch, line).note.content
        assert isinstance(content, NumericContent)
        return content

    assert numeric(3) == NumericContent("When was Ulysses S. Grant born?", 1822.0, 0.0)
    assert numeric(5).answer == -1.0
    assert (numeric(7).answer, numeric(7).tolerance) == (3.1415, 0.0005)
    assert numeric(7).question == "What is the value of pi (to 3 decimal places)? _____."
    # A range low..high is its middle, plus or minus half its width: line 11 asks
    # {#3.141..3.142}, which is line 7's {#3.1415:0.0005} exactly, so it is kept once.
    assert 11 not in [batch_note.line for batch_note in batch.notes]
    assert any(":11:" in w and "same question as on line 7" in w for w in warnings_of(batch))
    assert (numeric(13).answer, numeric(13).tolerance) == (-3.1415, 0.0005)
    assert (numeric(17).answer, numeric(17).tolerance) == (0.0, 5.0)
    assert numeric(19).alternatives == (NumericAlternative(1820.0, 1824.0, 0.5, ""),)


def test_numerical_html_question_with_feedback_per_answer() -> None:
    batch = corpus("fuhrmanator-numerical1.gift")
    note = at_line(batch, 23).note
    assert note.text_format is TextFormat.HTML
    assert isinstance(note.content, NumericContent)
    assert (note.content.answer, note.content.tolerance) == (9.0, 0.0)
    five, twenty_three = note.content.alternatives
    assert (five.low, five.high, five.weight) == (5.0, 5.0, 0.0)
    assert five.feedback.startswith("<p>Incorrect. Bien que le livre")
    # The link to Wikipedia loses its address and the learner is told.
    assert "href" not in twenty_three.feedback
    assert "23 Patterns GoF" in twenty_three.feedback
    assert any(
        "GRASP" in warning and "http://fr.wikipedia.org/wiki/Design_Patterns" in warning
        for warning in warnings_of(batch)
    )
    assert note.content.feedback == "<p>Correct. Il y a neuf (9) principes GRASP.</p>"
    assert not any("right answer" in warning for warning in warnings_of(batch))


def test_numerical_feedback_for_any_wrong_number_from_moodles_fixture() -> None:
    note = at_line(corpus("moodle-questions.gift.txt"), 31).note
    # The '";' left over from a PHP string follows the "}", so Moodle makes it missing-word.
    assert note.content == NumericContent(
        question='What is a number from 1 to 5? _____";',
        answer=3.0,
        tolerance=2.0,
        alternatives=(NumericAlternative(-1e15, 1e15, 0.0, "Completely wrong"),),
    )


def test_several_numerical_answers_first_full_marks_one_is_the_answer() -> None:
    content = only("Year?{#=%50%1820:5#Close. =1822:0 =%-50%1900}").note.content
    assert content == NumericContent(
        "Year?",
        1822.0,
        0.0,
        alternatives=(
            NumericAlternative(1815.0, 1825.0, 0.5, "Close."),
            NumericAlternative(1900.0, 1900.0, -0.5, ""),
        ),
    )


# --- essays, descriptions, titles, ids, categories -------------------------------------


def test_essay_becomes_a_self_graded_basic_card() -> None:
    batch = corpus("moodle-questions.gift.txt")
    note = at_line(batch, 2).note
    assert note.kind is NoteKind.BASIC
    assert note.content == BasicContent(
        "How are you?", "Essay question — compare your answer with your notes."
    )
    assert any("self-graded" in warning and ":2:" in warning for warning in warnings_of(batch))
    with_feedback = only("Describe a dense layer.{####Weights and a bias.}").note
    assert with_feedback.content == BasicContent(
        "Describe a dense layer.",
        "Essay question — compare your answer with your notes.\n\nWeights and a bias.",
    )
    assert with_feedback.explanation == ""


def test_description_is_skipped_with_a_warning() -> None:
    batch = parse("::Intro::Read this first.\n\nQ?{T}")
    assert [batch_note.line for batch_note in batch.notes] == [3]
    assert "questions.gift:1: question 'Intro': skipped" in warnings_of(batch)[0]


def test_general_feedback_becomes_the_explanation() -> None:
    note = at_line(corpus("fuhrmanator-multiLineFeedback1.gift"), 3).note
    assert note.explanation == "Global feedback split\non multiple lines"
    assert isinstance(note.content, MultipleChoiceContent)
    assert note.content.feedback[1] == "feedback comment on this wrong answer\non multiple lines"


def test_guid_from_title_survives_edited_answers() -> None:
    first = only("::Capital::Capital of France?{=Paris ~Lyon}").note
    edited = only("::Capital::Capital of France?{=Paris ~Lyon ~Nice}").note
    assert first.guid == edited.guid
    assert first.guid != only("::Capital::Capital of France?{=Paris}").note.guid  # other kind
    untitled = only("Capital of France?{=Paris ~Lyon}").note
    assert untitled.guid == content_guid(untitled.kind, untitled.content)


def test_moodle_4_id_and_tags_in_comments() -> None:
    note = only("// question: 12\n// [id:cap-fr] [tag:geo] [tag:europe capitals]\nCapital?{=Paris}")
    assert note.note.guid == "cap-fr"
    assert note.note.tags == ("geo", "europe_capitals")
    assert note.line == 3


def test_same_question_twice_is_kept_once_and_same_title_is_told_apart() -> None:
    batch = corpus("moodle-questions.gift.txt")
    # "::2-08 TSL::TSL is blablabla.{T}" and "{TRUE}": the same question twice.
    assert 49 not in [batch_note.line for batch_note in batch.notes]
    assert any(":49:" in w and "same question as on line 46" in w for w in warnings_of(batch))
    twins = parse("::Q1::One?{T}\n\n::Q1::Two?{F}")
    assert len({batch_note.note.guid for batch_note in twins.notes}) == 2
    assert "same title (line 1)" in warnings_of(twins)[0]


def test_categories_become_decks_and_the_deck_option_overrides_them(tmp_path: Path) -> None:
    text = (
        "Before?{T}\n\n$CATEGORY: $course$/top/Default for ML/Layers//Dense\n\n"
        "In?{T}\n\n$CATEGORY: a/b/c\n\nAfter?{T}"
    )
    assert parse(text).deck_names == ("questions", "Default for ML::Layers/Dense", "a::b::c")
    path = tmp_path / "questions.gift"
    path.write_text(text, encoding="utf-8")
    assert read_bank(path, options=ParseOptions(deck="Mine")).deck_names == ("Mine",)
    assert corpus("moodle-questions.gift.txt").deck_names == ("moodle-questions",)


# --- formats and escapes ---------------------------------------------------------------


def test_one_html_text_makes_the_whole_note_html() -> None:
    note = only("[html]<p>Which is <b>bold</b>?</p>{=[plain]<b> ~a < b#[html]<i>no</i>}").note
    assert note.text_format is TextFormat.HTML
    assert note.content == MultipleChoiceContent(
        question="<p>Which is <b>bold</b>?</p>",
        choices=("&lt;b&gt;", "a &lt; b"),
        correct=0,
        weights=(1.0, 0.0),
        feedback=("", "<i>no</i>"),
    )


def test_plain_note_keeps_angle_brackets_as_text() -> None:
    note = only("[plain]Is 1 < 2 <b>?{T}").note
    assert note.text_format is TextFormat.PLAIN
    assert isinstance(note.content, TrueFalseContent)
    assert note.content.statement == "Is 1 < 2 <b>?"


def test_scripts_are_removed_with_a_warning_naming_the_question() -> None:
    batch = parse("::Evil::[html]Hi<script>alert(1)</script><img src=x onerror=alert(2)>{T}")
    note = batch.notes[0].note
    assert isinstance(note.content, TrueFalseContent)
    assert "script" not in note.content.statement
    assert "onerror" not in note.content.statement
    assert any("question 'Evil'" in w and "scripts" in w for w in warnings_of(batch))


def test_moodle_embedded_image_keeps_its_name_and_is_reported() -> None:
    batch = corpus("fuhrmanator-multiLineFeedback1.gift")
    note = at_line(batch, 11).note
    assert note.text_format is TextFormat.HTML
    assert '<img src="3.png"' in note.explanation
    assert "@@PLUGINFILE@@" not in note.explanation
    assert any("3.png is not in the GIFT file" in w for w in warnings_of(batch))
    assert isinstance(note.content, MultipleChoiceContent)
    assert "ContrôleurAbonnement" in note.content.choices[note.content.correct]
    # "\:" and "\=" inside HTML attributes are Moodle escapes; sanitizing then drops style.
    assert "duree&nbsp;:Integer" in note.content.question


def test_every_escape() -> None:
    note = only(r"Escapes \~ \= \# \{ \} \: \\ a\nb?{=x\=y#fb \# \} ~\~z}").note
    assert note.content == MultipleChoiceContent(
        question="Escapes ~ = # { } : \\ a\nb?",
        choices=("x=y", "~z"),
        correct=0,
        weights=(1.0, 0.0),
        feedback=("fb # }", ""),
    )


def test_windows_line_endings_byte_order_mark_and_old_mac_endings() -> None:
    path = GIFT_DATA / "fuhrmanator-options1.gift"
    data = path.read_bytes()
    expected = parse_gift(data, "x.gift", ParseOptions())
    for variant in (b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"), data.replace(b"\n", b"\r")):
        batch = parse_gift(variant, "x.gift", ParseOptions())
        assert batch.notes == expected.notes


# --- problems --------------------------------------------------------------------------


def test_every_problem_of_a_file_is_reported_at_once_with_its_line() -> None:
    text = "\n".join(
        [
            "::Open::What is {=this",  # 1: never closed
            "",
            "::Pi::Pi?{#",  # 3
            "  =3.14:0.01",
            "  =%50%three}",  # 5: not a number
            "",
            "::Pairs::Match.{=a -> 1 = -> 2}",  # 7: one pair only
            "",
            "// [id:same]",
            "A?{T}",  # 10
            "",
            "// [id:same]",
            "B?{F}",  # 13: duplicate id
        ]
    )
    issues = problems(text)
    assert [(issue.file, issue.line) for issue in issues] == [
        ("questions.gift", 1),
        ("questions.gift", 5),
        ("questions.gift", 7),
        ("questions.gift", 13),
    ]
    messages = [issue.message for issue in issues]
    assert "question 'Open'" in messages[0]
    assert "'{' at column 17 is never closed" in messages[0]
    assert "question 'Pi'" in messages[1]
    assert "'three' is not a number" in messages[1]
    assert "question 'Pairs'" in messages[2]
    assert "2 pairs or more, not 1" in messages[2]
    assert "id 'same' is used twice (first on line 10)" in messages[3]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Q?\n  } no opening {", 2, "the '}' at column 3 has no '{' before it"),
        # Columns count the file's characters: indentation and both characters of escapes.
        ("Q?\n  \\{a\\} {=b", 2, "the '{' at column 9 is never closed"),
        ("Q?{=a} and {=b}", 1, "a second brace at column 12"),
        ("Q?{~only}", 1, "needs 2 choices, not 1"),
        ("Q?{~a ~b}", 1, "no choice is right"),
        ("Q?{=%150%a =b}", 1, "beyond 100%"),
        ("Q?{=%50%a}", 1, "no answer gives full marks"),
        ("Q?{#5..1}", 1, "goes from high to low"),
        ("Q?{#5:-1}", 1, "is not a number ≥ 0"),
        ("Q?{#}", 1, "needs a number after '#'"),
        ("Q?{=a -> 1 =b}", 1, "'=b' has no '->'"),
        ("{=Paris}", 1, "has no text"),
        ("$CATEGORY: a\nQ?{T}", 2, "put a blank line between the $CATEGORY line"),
    ],
)
def test_malformed_questions(text: str, line: int, message: str) -> None:
    issues = problems(text)
    assert len(issues) == 1
    assert issues[0].line == line
    assert message in issues[0].message


def test_problems_of_the_question_text_and_of_its_answers_are_both_reported() -> None:
    messages = [issue.message for issue in problems("{~only}")]
    assert len(messages) == 2
    assert "has no text" in messages[0]
    assert "needs 2 choices, not 1" in messages[1]


def test_invalid_utf8_is_located() -> None:
    with pytest.raises(BankError) as raised:
        parse_gift(b"Q?{T}\n\nCaf\xe9?{T}", "bad.gift", ParseOptions())
    (issue,) = raised.value.issues
    assert (issue.file, issue.line) == ("bad.gift", 3)
    assert "not valid UTF-8" in issue.message


def test_warnings_for_what_is_read_differently_than_it_looks() -> None:
    batch = parse("Q?{=%50%half =full ~wrong}\n\nN?{#3 ~2}\n\nLeft?{~%50 x ~%100%y}")
    messages = warnings_of(batch)
    assert any(":1:" in m and "'=%50%' gives full marks" in m for m in messages)
    assert any(":3:" in m and "'~2' is left out" in m for m in messages)
    assert any(":5:" in m and "starts with '%' but no weight" in m for m in messages)


def test_stray_id_comment_is_reported() -> None:
    batch = parse("// [id:lost]\n\nQ?{T}")
    assert batch.notes[0].note.guid != "lost"
    assert "questions.gift:1: this [id:] or [tag:] comment" in warnings_of(batch)[0]


# --- properties ------------------------------------------------------------------------


def _outcome(data: bytes) -> ImportBatch | BankError:
    try:
        return parse_gift(data, "fuzz.gift", ParseOptions())
    except BankError as error:
        return error


def _parses_or_reports(data: bytes) -> None:
    """Any other exception escapes and fails the property."""
    outcome = _outcome(data)
    if isinstance(outcome, BankError):
        assert outcome.issues
        assert all(issue.line >= 1 for issue in outcome.issues)
        return
    for batch_note in outcome.notes:
        assert batch_note.line >= 1


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_is_a_batch_or_a_bank_error(text: str) -> None:
    _parses_or_reports(text.encode("utf-8"))


_GIFT_CHARS = st.sampled_from(list("{}~=#:\\%->.[]/$\n \r0123456789aTF"))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_GIFT_CHARS, max_size=80))
def test_text_made_of_gift_syntax_is_a_batch_or_a_bank_error(text: str) -> None:
    _parses_or_reports(text.encode("utf-8"))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(CORPUS),
    edits=st.lists(
        st.tuples(
            st.sampled_from(["insert", "delete", "replace"]),
            st.floats(0, 1),
            st.binary(max_size=3) | st.text(_GIFT_CHARS, max_size=3).map(str.encode),
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_mutated_corpus_files_are_a_batch_or_a_bank_error(
    path: Path, edits: list[tuple[str, float, bytes]]
) -> None:
    data = bytearray(path.read_bytes())
    for operation, where, chunk in edits:
        at = int(where * len(data))
        if operation == "insert":
            data[at:at] = chunk
        elif operation == "delete":
            del data[at : at + len(chunk) + 1]
        else:
            data[at : at + len(chunk)] = chunk
    _parses_or_reports(bytes(data))


def _escaped(text: str) -> str:
    """``text`` written as a GIFT author escapes it."""
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


_PLACEHOLDERS = "".join(chr(code) for code in range(0xFDD0, 0xFDD7))
_TEXT = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters=_PLACEHOLDERS)
    | st.sampled_from(list("~=#{}:\\\n ->%[]")),
    max_size=20,
).filter(lambda text: text.strip(" \n") and not text.lstrip(" \n").startswith(("[", "%", "//")))


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(question=_TEXT, right=_TEXT, wrong=_TEXT)
def test_escaped_texts_come_back_as_written(question: str, right: str, wrong: str) -> None:
    text = f"{_escaped(question)}{{={_escaped(right)} ~{_escaped(wrong)}}}"
    content = only(text).note.content
    assert content == MultipleChoiceContent(
        question.strip(" \n"),
        (right.strip(" \n"), wrong.strip(" \n")),
        0,
        (1.0, 0.0),
        ("", ""),
    )


@given(st.text(alphabet="<>/bpriv &;amp\n ", max_size=40))
def test_question_labels_read_words_as_html_to_text_does(text: str) -> None:
    from quizapp.banks.gift import visible_words
    from quizapp.banks.html import html_to_text

    assert visible_words(text) == " ".join(html_to_text(text).split())


# --- the short way and the long way -----------------------------------------------------

_WORD = st.sampled_from(
    [
        *("Paris", "a b", "é", "1", "-2.5", "3..4", "1:0.5", " ", "T", "TRUE", "false", "*"),
        *("->", "\\{", "\\}", "\\=", "\\~", "\\#", "\\:", "\\\\", "\\n", "%", "%50%", "%150%"),
        *("[html]", "[plain]", "[x]", "<b>b</b>", "&amp;", "<p><br></p>", "http://e.org", "//"),
    ]
)
_PHRASE = st.lists(_WORD, min_size=1, max_size=3).map("".join)
_SPACE = st.sampled_from(["", " ", "\n", "\t", "\n  "])


@st.composite
def _answer_block(draw: st.DrawFn) -> str:
    """The inside of an answer block, of any kind, mostly well formed."""
    kind = draw(st.sampled_from(["choice", "several", "typed", "tf", "numeric", "match"]))
    feedback = st.one_of(st.just(""), _PHRASE.map(lambda text: "#" + text))
    weight = st.sampled_from(["", "", "%50%", "%-50%", "%100%", "%33.3%"])
    count = draw(st.integers(1, 4))
    if kind == "tf":
        return draw(st.sampled_from(["T", "F", "TRUE", "FALSE"])) + draw(feedback) + draw(feedback)
    if kind == "numeric":
        numbers = st.sampled_from(["42", "3.14:0.01", "1..5", "-1e3", "x", "2:-1"])
        parts = [f"={draw(weight)}{draw(numbers)}{draw(feedback)}" for _ in range(count)]
        return "#" + draw(_SPACE).join(parts) + draw(st.sampled_from(["", "~#other", "~2#w"]))
    if kind == "match":
        pairs = [f"={draw(_PHRASE)} -> {draw(_PHRASE)}" for _ in range(count + 1)]
        return draw(_SPACE).join(pairs)
    markers = {"choice": "=~~~", "several": "~~~~", "typed": "===="}[kind]
    parts = [
        f"{markers[index]}{draw(weight)}{draw(_PHRASE)}{draw(feedback)}" for index in range(count)
    ]
    return draw(_SPACE).join(parts)


@st.composite
def _gift_file(draw: st.DrawFn) -> str:
    """Questions of every kind, mostly well formed, with titles, comments and categories."""
    blocks = []
    for _ in range(draw(st.integers(1, 4))):
        comment = draw(st.sampled_from(["", "// note\n", "// [id:q1] [tag:t]\n"]))
        title = draw(st.sampled_from(["", "::Q::", "::Q 2:: ", "::open "]))
        general = draw(st.sampled_from(["", "####general", "####[html]<i>g</i>"]))
        after = draw(st.sampled_from(["", "", " then."]))
        block = draw(_answer_block())
        blocks.append(f"{comment}{title}{draw(_PHRASE)}{draw(_SPACE)}{{{block}{general}}}{after}")
        if draw(st.booleans()):
            blocks.append("$CATEGORY: $course$/top/Part")
    return "\n\n".join(blocks)


def _read_both_ways(text: str) -> tuple[ImportBatch | BankError, ImportBatch | BankError]:
    data = text.encode("utf-8")
    ways = []
    for quick in (True, False):
        try:
            ways.append(parse_gift(data, "q.gift", ParseOptions(), quick=quick))
        except BankError as error:
            ways.append(error)
    return ways[0], ways[1]


def _same_outcome(first: ImportBatch | BankError, second: ImportBatch | BankError) -> None:
    if isinstance(first, BankError) or isinstance(second, BankError):
        assert isinstance(first, BankError)
        assert isinstance(second, BankError)
        assert first.issues == second.issues
    else:
        assert (first.notes, first.warnings) == (second.notes, second.warnings)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(_gift_file())
def test_plain_questions_read_the_short_way_make_the_notes_of_the_long_way(text: str) -> None:
    _same_outcome(*_read_both_ways(text))


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.name)
def test_the_corpus_reads_the_same_both_ways(path: Path) -> None:
    _same_outcome(*_read_both_ways(path.read_text(encoding="utf-8")))


def test_ids_made_from_titles_are_those_of_earlier_releases() -> None:
    # The JSON of [kind, category, title] hashed, as json.dumps wrote it: a re-import of
    # a bank imported before must find its notes.
    import hashlib
    import json

    text = '$CATEGORY: Café/"quoted" \\\\ level\n\n::Über \\: ✓::Q?{T}'
    note = only(text).note
    payload = json.dumps(["true_false", 'Café::"quoted" \\ level', "Über : ✓"])
    assert note.guid == "t-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def test_lines_and_columns_of_a_question_with_comments_indents_and_escapes() -> None:
    text = "// [id:x]\n  ::T::  \\{a\\}\n\t// inside\n   b {=c\n  ~%150%d}\n"
    (issue,) = problems(text)
    assert (issue.line, issue.message) == (5, "question 'T': weight '%150%' is beyond 100%")
    (issue,) = problems("// c\n  Q \\:\\: \n  {=a")
    assert issue.line == 3
    assert "'{' at column 3 is never closed" in issue.message
