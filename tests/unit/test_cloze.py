"""Cloze deletions: read as Anki reads them, in linear time, shown the same as before.

Anki's own cases (its ``rslib/src/cloze.rs`` tests) pin nested and unclosed deletions;
for the deletions written before nesting was read, the numbers and the rendered cards
are compared with the regular expressions QuizApp used until then.
"""

from __future__ import annotations

import html
import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain import ClozeContent, Note, NoteKind, TextFormat, cloze_numbers
from quizapp.domain.cloze import ClozeDeletion, cloze_deletions, parse_cloze
from quizapp.services.card_html import CardRenderer

# What QuizApp used before: numbers from every opener, deletions that could not nest.
OLD_NUMBER = re.compile(r"\{\{c(\d+)::")
OLD_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
RENDERER = CardRenderer(highlight="#123456")
# A generous bound: the texts below read in milliseconds; the old reading took 22 s.
HANG_GUARD_SECONDS = 3.0


def old_render(text: str, face: int, *, reveal: bool) -> str:
    """The cloze card as QuizApp rendered a plain-text note before."""
    pieces, position = [], 0
    for match in OLD_CLOZE.finditer(text):
        pieces.append(plain(text[position : match.start()]))
        number, answer, hint = int(match.group(1)), match.group(2), match.group(3)
        if number != face:
            pieces.append(plain(answer))
        elif reveal:
            pieces.append(f'<b><span style="color:#123456">{plain(answer)}</span></b>')
        else:
            pieces.append(f"<b>[{plain(hint) if hint else '…'}]</b>")
        position = match.end()
    pieces.append(plain(text[position:]))
    return "".join(pieces)


def plain(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def note_of(text: str) -> Note:
    return Note("g", NoteKind.CLOZE, ClozeContent(text), text_format=TextFormat.PLAIN)


def shown(text: str, face: int, *, reveal: bool = False) -> str:
    note = note_of(text)
    return RENDERER.answer(note, face) if reveal else RENDERER.question(note, face)


def visible(rendered: str) -> str:
    return re.sub(r"<[^>]*>", "", rendered)


# --- as Anki reads them ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("test", ()),
        ("{{c2::te}}{{c1::s}}t{{", (1, 2)),
        ("{{c2::te{{c1::s}}}}t{{", (1, 2)),  # nested
        ("{{c1::open never closed", ()),
        ("{{c1::a}} {{c2::open", (1,)),
        ("{{c3::a}} {{c1::b}} {{c3::c}} {{c10::d::hint}} {c2::not one}", (1, 3, 10)),
        ("{{c::x}} {{cx::y}} {{c65536::z}} {{c0001::w}}", (1,)),
        ("öaöaöööaö", ()),
    ],
)
def test_cloze_numbers_are_those_anki_makes_cards_for(text: str, numbers: tuple[int, ...]) -> None:
    assert cloze_numbers(text) == numbers


@pytest.mark.parametrize(
    ("face", "reveal", "expected"),
    [
        (1, False, "foo [qux]"),
        (1, True, "foo bar baz"),
        (2, False, "foo bar […]"),
        (2, True, "foo bar baz"),
    ],
)
def test_nested_deletions_show_as_in_anki(face: int, reveal: bool, expected: str) -> None:
    assert visible(shown("foo {{c1::bar {{c2::baz}}::qux}}", face, reveal=reveal)) == expected


def test_a_revealed_deletion_is_highlighted_with_the_ones_nested_in_it() -> None:
    rendered = shown("foo {{c1::bar {{c2::baz}}}}", 1, reveal=True)

    assert rendered == 'foo <b><span style="color:#123456">bar baz</span></b>'


def test_a_hidden_deletion_hides_the_deletions_nested_in_it() -> None:
    assert visible(shown("foo {{c1::bar {{c2::baz}}}} end", 1)) == "foo […] end"


def test_an_unclosed_deletion_is_left_out_with_what_follows_as_anki_does() -> None:
    assert visible(shown("{{c1::a}} b {{c2::c {{c1::d}} e", 1)) == "[…] b "


def test_closers_outside_a_deletion_and_false_openers_are_text() -> None:
    text = "}} {{c::x}} {{c99999::y}} {{c1::z}}}}"

    assert visible(shown(text, 1)) == html.escape("}} {{c::x}} {{c99999::y}} […]}}")


def test_deletions_nest_ten_deep_and_a_deeper_opener_is_dropped() -> None:
    text = "".join(f"{{{{c{n}::" for n in range(1, 12)) + "x" + "}}" * 11
    outer, rest = parse_cloze(text)

    numbers = [deletion.number for deletion in cloze_deletions(text)]

    assert isinstance(outer, ClozeDeletion)
    assert numbers == list(range(1, 11))
    assert cloze_deletions(text)[-1].answer == "x"
    assert outer.end == len(text) - 2
    assert rest == "}}"  # the eleventh closed nothing: it is text


def test_a_deletion_knows_where_it_is_and_what_it_hides() -> None:
    text = "A {{c1::weight}} scales an {{c2::input::what?}}."
    first, second = cloze_deletions(text)

    assert text[first.start : first.end] == "{{c1::weight}}"
    assert (first.number, first.answer, first.hint) == (1, "weight", None)
    assert text[second.start : second.end] == "{{c2::input::what?}}"
    assert (second.number, second.answer, second.hint) == (2, "input", "what?")


# --- the same as before for deletions that do not nest ----------------------------------

_TEXT = st.text(st.sampled_from("ab :{}c1<&\n"), max_size=12).filter(lambda t: "{{c" not in t)
_PLAIN = _TEXT  # may hold "}}", which outside a deletion is text
_ANSWER = _TEXT.filter(lambda text: "::" not in text and "}}" not in text)
_HINT = _TEXT.filter(lambda text: "}}" not in text)


@st.composite
def flat_cloze_texts(draw: st.DrawFn) -> str:
    """Texts of plain stretches and closed deletions, none inside another."""
    parts = [draw(_PLAIN)]
    for _ in range(draw(st.integers(0, 4))):
        number = draw(st.integers(0, 12))
        answer = draw(_ANSWER)
        hint = draw(st.none() | _HINT)
        parts.append(f"{{{{c{number}::{answer}{'' if hint is None else '::' + hint}}}}}")
        parts.append(draw(_PLAIN))
    return "".join(parts)


@given(flat_cloze_texts(), st.integers(0, 12), st.booleans())
def test_flat_deletions_render_as_before(text: str, face: int, reveal: bool) -> None:
    assert shown(text, face, reveal=reveal) == old_render(text, face, reveal=reveal)


@given(flat_cloze_texts())
def test_flat_deletions_have_the_numbers_they_had(text: str) -> None:
    assert cloze_numbers(text) == tuple(sorted({int(n) for n in OLD_NUMBER.findall(text)}))


@given(st.text(st.sampled_from("{}c1:a"), max_size=40))
def test_any_text_reads_into_pieces_that_keep_its_order(text: str) -> None:
    pieces = parse_cloze(text)

    starts = [piece.start for piece in pieces if isinstance(piece, ClozeDeletion)]
    assert starts == sorted(starts)
    for deletion in cloze_deletions(text):
        assert text[deletion.start : deletion.end].startswith("{{c")
        assert text[deletion.start : deletion.end].endswith("}}")


# --- hostile shapes ----------------------------------------------------------------------


def _shapes(size: int) -> list[str]:
    return [
        "{{c1::a}}" + "{{c1::" * size,  # the attack: 6 KB at size 1,000
        "{{c1::a" + "::b" * size,
        "{{c1::" * size + "}}" * size,
        "}}" * size + "{{c1::x}}",
        "{{c1::" + "{{c" + "9" * size + "::" * size,
        "{{c1::a::" + ":" * size + "}" * size,
        "{{c1::" + "0" * size + "1::x}}",  # an enormous number of digits
    ]


@pytest.mark.parametrize("size", [1_000, 10_000])
@pytest.mark.parametrize("shape", range(7))
def test_pathological_cloze_texts_render_without_hanging(shape: int, size: int) -> None:
    text = _shapes(size)[shape]
    started = time.perf_counter()

    cloze_numbers(text)
    for face in (1, 2):
        shown(text, face)
        shown(text, face, reveal=True)

    assert time.perf_counter() - started < HANG_GUARD_SECONDS
