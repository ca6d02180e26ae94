"""The search syntax read into its tree, and every malformed search told in a sentence."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.domain import NoteKind
from quizapp.errors import UserError
from quizapp.search import parse_search
from quizapp.search.nodes import (
    AddedSearch,
    And,
    CardIdSearch,
    CardSearch,
    Comparison,
    DeckSearch,
    EditedSearch,
    Everything,
    FieldSearch,
    FlagSearch,
    IntroducedSearch,
    KindSearch,
    Node,
    Not,
    NoteIdSearch,
    Or,
    Property,
    PropertySearch,
    RatedSearch,
    RegexSearch,
    SourceSearch,
    StateKind,
    StateSearch,
    TagSearch,
    TextSearch,
)
from quizapp.search.regex import checked_regex
from quizapp.search.text import Glob, Wildcard, comparable, folded

ANY, ONE = Wildcard.ANY_RUN, Wildcard.ANY_ONE


def text(*parts: str | Wildcard, fold: bool = False) -> TextSearch:
    return TextSearch(Glob(tuple(parts)), fold_accents=fold)


def field(name: str, *parts: str | Wildcard) -> FieldSearch:
    return FieldSearch((name,), Glob(tuple(parts)))


CASES: list[tuple[str, Node]] = [
    ("", Everything()),
    ("   ", Everything()),
    ("dog", text("dog")),
    ("dog cat", And((text("dog"), text("cat")))),
    ("dog or cat", Or((text("dog"), text("cat")))),
    ("dog OR cat", Or((text("dog"), text("cat")))),
    # and binds tighter than or, as in Anki
    ("a b or c", Or((And((text("a"), text("b"))), text("c")))),
    ("a or b c", Or((text("a"), And((text("b"), text("c")))))),
    ("dog (cat or mouse)", And((text("dog"), Or((text("cat"), text("mouse")))))),
    ("-cat", Not(text("cat"))),
    ("-(cat or mouse)", Not(Or((text("cat"), text("mouse"))))),
    ('"a dog"', text("a dog")),
    ('-"a dog"', Not(text("a dog"))),
    ("d_g", text("d", ONE, "g")),
    ("d*g", text("d", ANY, "g")),
    (r"te\*st", text("te*st")),
    (r"a\_b", text("a_b")),
    (r"a\\b", text("a\\b")),
    (r"\(x\)", text("(x)")),
    (r"\-x", text("-x")),
    ("-", text("-")),
    ('a"b"(c)', And((text("a"), text("b"), text("c")))),
    ("100%", text("100%")),
    ("nc:uber", text("uber", fold=True)),
    ("front:dog", field("front", "dog")),
    ("Front:dog", field("front", "dog")),
    ("front:*dog*", field("front", ANY, "dog", ANY)),
    ("front:", FieldSearch(("front",), Glob(()))),
    ('front:"a dog"', field("front", "a dog")),
    ('"front:a dog"', field("front", "a dog")),
    ('"back extra:x"', field("extra", "x")),
    ("text:x", field("text", "x")),
    ("front:nc:uber", FieldSearch(("front",), Glob(("uber",)), fold_accents=True)),
    ("fr*:x", field("front", "x")),
    ('deck:"A::B"', DeckSearch(Glob(("A::B",)))),
    ("deck:A -deck:A::*", And((DeckSearch(Glob(("A",))), Not(DeckSearch(Glob(("A::", ANY))))))),
    ("tag:verb", TagSearch(Glob(("verb",)))),
    ("tag:none", TagSearch(None)),
    ("tag:ve*", TagSearch(Glob(("ve", ANY)))),
    ("is:new", StateSearch(StateKind.NEW)),
    ("is:learn", StateSearch(StateKind.LEARN)),
    ("is:review", StateSearch(StateKind.REVIEW)),
    ("is:due", StateSearch(StateKind.DUE)),
    ("is:suspended", StateSearch(StateKind.SUSPENDED)),
    ("is:buried", StateSearch(StateKind.BURIED)),
    ("is:flagged", StateSearch(StateKind.FLAGGED)),
    ("flag:0", FlagSearch(0)),
    ("flag:7", FlagSearch(7)),
    ("kind:multiple_choice", KindSearch(frozenset({NoteKind.MULTIPLE_CHOICE}))),
    ("kind:mc", KindSearch(frozenset({NoteKind.MULTIPLE_CHOICE}))),
    (
        "kind:multiple*",
        KindSearch(frozenset({NoteKind.MULTIPLE_CHOICE, NoteKind.MULTIPLE_RESPONSE})),
    ),
    ("note:Cloze", KindSearch(frozenset({NoteKind.CLOZE}))),
    ('"note:Basic (and reversed card)"', KindSearch(frozenset({NoteKind.BASIC_REVERSED}))),
    ("card:2", CardSearch(ordinal=2)),
    ("card:0", CardSearch(ordinal=1)),
    ("card:reverse", CardSearch(name=Glob(("reverse",)))),
    ('"card:Card 2"', CardSearch(name=Glob(("card 2",)))),
    ("card:c3", CardSearch(name=Glob(("c3",)))),
    ("prop:ivl>=10", PropertySearch(Property.INTERVAL, Comparison.GREATER_OR_EQUAL, 10)),
    ("prop:due<=-1", PropertySearch(Property.DUE, Comparison.LESS_OR_EQUAL, -1)),
    ("prop:reps!=3", PropertySearch(Property.REPS, Comparison.NOT_EQUAL, 3)),
    ("prop:lapses=0", PropertySearch(Property.LAPSES, Comparison.EQUAL, 0)),
    ("prop:s>2.5", PropertySearch(Property.STABILITY, Comparison.GREATER, 2.5)),
    ("prop:d<0.3", PropertySearch(Property.DIFFICULTY, Comparison.LESS, 0.3)),
    ("prop:r<.9", PropertySearch(Property.RETRIEVABILITY, Comparison.LESS, 0.9)),
    ("rated:7", RatedSearch(7)),
    ("rated:0", RatedSearch(1)),
    ("rated:3:1", RatedSearch(3, 1)),
    ("introduced:30", IntroducedSearch(30)),
    ("added:2", AddedSearch(2)),
    ("edited:5", EditedSearch(5)),
    ("nid:1,2,3", NoteIdSearch((1, 2, 3))),
    ("cid:42", CardIdSearch((42,))),
    ("re:colou?r", RegexSearch("colou?r")),
    ('"re:(dog|cat)s"', RegexSearch("(dog|cat)s")),
    ("front:re:^a", RegexSearch("^a", ("front",))),
    ("w:dog", RegexSearch(r"\bdog\b")),
    ("source:*.apkg", SourceSearch(Glob((ANY, ".apkg")))),
    ("bank:physics", SourceSearch(Glob(("physics",)))),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[case[0] or "empty" for case in CASES])
def test_a_search_is_read_as_anki_reads_it(query: str, expected: Node) -> None:
    assert parse_search(query) == expected


MALFORMED: list[tuple[str, str]] = [
    (
        "is:foo",
        "Unknown search term 'is:foo': is: takes new, learn, review, due, suspended, buried "
        "or flagged.",
    ),
    ('dog "a cat', "A quote opened at character 5 is never closed."),
    ("prop:ivl>=x", "Unknown search term 'prop:ivl>=x': x is not a number."),
    ("prop:ivl>=1.5", "prop:ivl takes a whole number, not 1.5."),
    ("prop:ivl>=-1", "prop:ivl takes a whole number from 0 up, not -1."),
    ("prop:ease>2", "prop: takes ivl, due, reps, lapses, s, d or r"),
    ("prop:ivl10", "prop:ivl needs a comparison (<, <=, =, !=, >= or >)"),
    ('""', "The quotes at character 1 hold nothing"),
    ("(dog", "A parenthesis opened at character 1 is never closed"),
    ("dog)", "The ')' at character 4 closes no parenthesis"),
    ("a () b", "The parentheses at character 3 hold nothing."),
    ("and dog", "'and' at character 1 needs a search term on each side"),
    ("dog or", "'or' at character 5 needs a search term on each side"),
    ("dog or or cat", "'or' at character 8 needs a search term on each side"),
    ("flag:8", "flag: takes 0 (no flag) to 7."),
    ("flag:red", "flag: takes 0 (no flag) to 7."),
    ("rated:x", "rated: takes a number of days"),
    ("rated:3:5", "must be 1 (again), 2 (hard), 3 (good) or 4 (easy)"),
    ("added:-1", "added: takes a number of days"),
    ("nid:1,x", "nid: takes ids separated by commas"),
    ("cid:", "cid: takes ids separated by commas"),
    ("kind:essay", "kind: takes basic, basic_reversed"),
    ("note:Image Occlusion", "or one of Anki's note types"),
    ("card:sideways", "card: takes a card's number"),
    ("frnt:dog", "'frnt' is neither a search key"),
    (":dog", "':dog' at character 1 has nothing before its colon"),
    (r"a\q", r"'\q' in 'a\q' is not an escape QuizApp knows"),
    ("dog\\", "The search ends in a lone '\\'"),
    ("re:[", "'re:[' is not a valid regular expression: unterminated character set."),
    ('"re:(a+)+b"', "repeats something that itself repeats or has alternatives"),
    ('"re:(a|ab)*c"', "repeats something that itself repeats or has alternatives"),
    ("re:.*.*x", "has 2 open-ended repetitions"),
    (r'"re:(a)\1"', "refers back to a group"),
    (f"re:{'a' * 201}", "QuizApp searches with at most 200"),
    ("tag:re:x", "QuizApp matches tags with * and _, not regular expressions."),
    ("(" * 101 + "a" + ")" * 101, "nests parentheses more than 100 deep"),
    (" ".join(["a"] * 501), "at most 500 terms"),
]


@pytest.mark.parametrize(("query", "sentence"), MALFORMED, ids=[case[0][:30] for case in MALFORMED])
def test_a_malformed_search_says_what_is_wrong(query: str, sentence: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_search(query)
    assert sentence in raised.value.user_message
    assert raised.value.user_message.endswith(".")


PIECES = [*'ab :"()-*_\\\u30000<>=.,é', "is", "prop", "re", "tag", "deck", " or ", " and "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=20).map("".join))
def test_any_text_parses_or_gets_a_sentence(query: str) -> None:
    try:
        parse_search(query)
    except UserError as error:
        message = error.user_message
    else:
        message = "parsed"
    assert message


def test_text_is_compared_in_lower_case_composed_and_folded_for_nc() -> None:
    assert comparable("ÜBER Straße") == "über straße"
    assert comparable("u\u0308ber") == "über"  # decomposed ü composes
    assert folded("Crème brûlée") == "creme brulee"
    assert folded("naïve") == "naive"


def test_patterns_become_like_and_regex_with_literal_specials_kept() -> None:
    pattern = Glob.parse(r"50%\_d*g_")
    assert pattern.to_like() == r"50\%\_d%g_"
    assert pattern.matcher().match("50%_dog!")
    assert not pattern.matcher().match("50%xdog!")


PATHOLOGICAL = ["(a+)+b", "(a*)*b", "(a|aa)+b", "(.*a){12}", "a*a*a*a*a*b", "(x+x+)+y"]


@pytest.mark.parametrize("pattern", PATHOLOGICAL)
def test_regexes_that_backtrack_for_hours_are_refused_at_once(pattern: str) -> None:
    started = time.monotonic()
    with pytest.raises(UserError):
        checked_regex(pattern, f"re:{pattern}")
    assert time.monotonic() - started < 5  # a hang guard: refusing takes microseconds


@pytest.mark.parametrize("pattern", ["colou?r", r"\bdog\b", "dog.*cat", r"\d{3}-\d{4}", "^the"])
def test_everyday_regexes_run(pattern: str) -> None:
    checked = checked_regex(pattern, f"re:{pattern}")
    assert checked.compiled.flags & re.IGNORECASE
    assert checked.text_limit >= 1_000


def test_a_regex_with_an_open_repetition_reads_a_bounded_text_in_bounded_time() -> None:
    checked = checked_regex(".*x", "re:.*x")
    started = time.monotonic()
    assert checked.compiled.search(("a" * 1_000_000)[: checked.text_limit]) is None
    assert time.monotonic() - started < 20  # hang guard: well under a second here
