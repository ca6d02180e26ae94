"""Answer parsing and grading: what a learner types, and the grade proposed for it."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain import NumericContent, Rating, TypedContent
from quizapp.exercises.grading import (
    DiffKind,
    DiffSegment,
    diff_text,
    format_number,
    grade_choice,
    grade_numeric,
    grade_typed,
    parse_number,
)

DENSE = NumericContent(
    question="How many parameters has a dense layer with 10 inputs and 5 outputs?",
    answer=55,
    tolerance=0,
    unit="parameters",
)
LEARNING_RATE = TypedContent(
    question="Which hyperparameter scales each gradient step?",
    answers=("learning rate", "step size", "lr"),
)


def expected_side(segments: tuple[DiffSegment, ...]) -> str:
    """The expected text, rebuilt from the parts the learner matched or missed."""
    return "".join(s.text for s in segments if s.kind in (DiffKind.SAME, DiffKind.MISSING))


def given_side(segments: tuple[DiffSegment, ...]) -> str:
    """The learner's text, rebuilt from the parts that matched or were extra."""
    return "".join(s.text for s in segments if s.kind in (DiffKind.SAME, DiffKind.EXTRA))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("55", 55.0),
        ("55.0", 55.0),
        ("5.5e1", 55.0),
        ("1,024", 1024.0),
        ("1.024e3", 1024.0),
        ("1 024", 1024.0),
        ("1\u00a0024", 1024.0),
        ("1,000,000", 1_000_000.0),
        ("55 parameters", 55.0),
        ("  55  ", 55.0),
        ("-3", -3.0),
        ("+7", 7.0),
        (".5", 0.5),
        ("1,5", 1.5),
    ],
)
def test_parse_number_reads_numbers_as_people_type_them(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "", "   ", "1,2,3", "1e999", "-1e999", ".", "1.2.3"])
def test_parse_number_rejects_what_is_not_a_finite_number(text: str) -> None:
    assert parse_number(text) is None


@given(st.text())
def test_parse_number_never_raises_and_gives_finite_float_or_none(text: str) -> None:
    value = parse_number(text)
    assert value is None or (isinstance(value, float) and math.isfinite(value))


# Beyond 2**53 a float cannot hold every integer, so exact equality is only promised below.
@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_parse_number_reads_comma_grouped_integers(n: int) -> None:
    assert parse_number(f"{n:,}") == n


# format_number writes integers in full below 1e15 and rounds to 6 digits above.
@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_format_number_output_parses_back(n: int) -> None:
    assert parse_number(format_number(n)) == n


def test_format_number_groups_thousands_and_drops_needless_decimals() -> None:
    assert format_number(55.0) == "55"
    assert format_number(100480.0) == "100,480"
    assert format_number(0.001) == "0.001"
    assert format_number(-2.5) == "-2.5"


def test_numeric_exact_answer_is_correct_and_proposes_good() -> None:
    result = grade_numeric("55", DENSE)
    assert result.correct
    assert result.proposed is Rating.GOOD
    assert result.note == ""


def test_numeric_right_answer_shows_the_authors_feedback_for_it() -> None:
    content = replace(DENSE, feedback="Fifty weights and five biases.")
    assert grade_numeric("55", content).feedback == "Fifty weights and five biases."
    assert grade_numeric("54", content).feedback == ""  # not for a wrong one


@pytest.mark.parametrize("typed", ["55.0", "5.5e1", "55 parameters", " 55 "])
def test_numeric_accepts_any_spelling_of_the_right_number(typed: str) -> None:
    assert grade_numeric(typed, DENSE).correct


def test_numeric_expected_text_carries_the_unit_and_thousands_separator() -> None:
    content = NumericContent("784 inputs, 128 outputs?", answer=100480, unit="parameters")
    assert grade_numeric("1", content).expected == "100,480 parameters"
    assert grade_numeric("1", NumericContent("q", answer=55)).expected == "55"


@pytest.mark.parametrize("typed", ["53", "57", "55.99", "54"])
def test_numeric_answer_within_tolerance_is_correct(typed: str) -> None:
    content = NumericContent("q", answer=55, tolerance=2)
    assert grade_numeric(typed, content).correct


@pytest.mark.parametrize(("typed", "note"), [("57.01", "too high"), ("52.99", "too low")])
def test_numeric_answer_just_outside_tolerance_is_wrong_with_direction(
    typed: str, note: str
) -> None:
    result = grade_numeric(typed, NumericContent("q", answer=55, tolerance=2))
    assert not result.correct
    assert result.proposed is Rating.AGAIN
    assert result.note == note


def test_numeric_wrong_answer_says_too_high_or_too_low() -> None:
    assert grade_numeric("60", DENSE).note == "too high"
    assert grade_numeric("50", DENSE).note == "too low"
    assert not grade_numeric("56", DENSE).correct


def test_numeric_text_that_is_not_a_number_is_wrong_and_says_so() -> None:
    result = grade_numeric("fifty-five", DENSE)
    assert not result.correct
    assert result.proposed is Rating.AGAIN
    assert result.note == "not a number"
    assert result.expected == "55 parameters"


def test_numeric_answer_exactly_on_a_decimal_tolerance_edge_is_correct() -> None:
    assert grade_numeric("0.4", NumericContent("q", answer=0.3, tolerance=0.1)).correct


def test_typed_answer_ignores_case_and_extra_spaces() -> None:
    for typed in ["learning rate", "Learning Rate", "  LEARNING RATE ", "learning    rate"]:
        result = grade_typed(typed, LEARNING_RATE)
        assert result.correct, typed
        assert result.proposed is Rating.GOOD
        assert result.expected == "learning rate"


def test_typed_alternative_answers_are_accepted_and_shown_as_matched() -> None:
    assert grade_typed("LR", LEARNING_RATE).correct
    result = grade_typed("step  size", LEARNING_RATE)
    assert result.correct
    assert result.expected == "step size"


def test_typed_wrong_answer_proposes_again_with_diff_against_closest_answer() -> None:
    result = grade_typed("learnin rat", LEARNING_RATE)
    assert not result.correct
    assert result.proposed is Rating.AGAIN
    assert result.expected == "learning rate"
    assert expected_side(result.diff) == "learning rate"
    assert given_side(result.diff) == "learnin rat"
    missing = "".join(s.text for s in result.diff if s.kind is DiffKind.MISSING)
    assert missing == "ge"


def test_typed_diff_marks_extra_text_the_learner_typed() -> None:
    result = grade_typed("learning rates", LEARNING_RATE)
    assert not result.correct
    assert [s for s in result.diff if s.kind is DiffKind.EXTRA] == [
        DiffSegment("s", DiffKind.EXTRA)
    ]
    assert expected_side(result.diff) == "learning rate"


def test_typed_wrong_word_shows_the_answer_and_claims_no_match() -> None:
    result = grade_typed("xyz", TypedContent("q", answers=("dropout",)))
    assert not result.correct
    assert result.proposed is Rating.AGAIN
    assert result.expected == "dropout"
    assert all(s.kind is not DiffKind.SAME for s in result.diff)


@given(st.text(), st.text(min_size=1))
def test_diff_same_and_missing_segments_rebuild_the_expected_text(
    typed: str, expected: str
) -> None:
    assert expected_side(diff_text(typed, expected)) == expected


@given(
    st.text(alphabet="abcdefgh ABCDEFGH"),
    st.text(alphabet="abcdefgh ABCDEFGH", min_size=1),
)
def test_diff_same_and_extra_segments_rebuild_the_given_text_ignoring_case(
    typed: str, expected: str
) -> None:
    assert given_side(diff_text(typed, expected)).casefold() == typed.casefold()


def test_diff_keeps_every_typed_character_when_casefold_changes_length() -> None:
    segments = diff_text("ßx", "ssy")
    assert given_side(segments).casefold() == "ßx".casefold()
    assert all(segment.text for segment in segments)


def test_choice_right_pick_is_correct_and_proposes_good() -> None:
    labels = ("SGD", "Adam", "L-BFGS", "Dropout")
    result = grade_choice(1, 1, labels)
    assert result.correct
    assert result.proposed is Rating.GOOD
    assert (result.given, result.expected) == ("Adam", "Adam")


def test_choice_wrong_pick_proposes_again_and_names_both_choices() -> None:
    result = grade_choice(0, 1, ("SGD", "Adam", "L-BFGS", "Dropout"))
    assert not result.correct
    assert result.proposed is Rating.AGAIN
    assert (result.given, result.expected) == ("SGD", "Adam")


def test_true_false_is_graded_as_a_two_way_choice() -> None:
    assert not grade_choice(0, 1, ("True", "False")).correct
    assert grade_choice(1, 1, ("True", "False")).expected == "False"


def test_a_leading_article_is_ignored_in_typed_answers() -> None:
    from quizapp.domain import TypedContent
    from quizapp.exercises.grading import grade_typed

    content = TypedContent(
        question="Which hyperparameter scales each step?", answers=("learning rate",)
    )
    assert grade_typed("the learning rate", content).correct
    assert grade_typed("A learning rate", content).correct
    assert not grade_typed("the momentum", content).correct
    # Only a whole leading word: "theta" keeps its letters.
    theta = TypedContent(question="Which Greek letter?", answers=("theta",))
    assert grade_typed("theta", theta).correct
