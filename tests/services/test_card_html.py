"""A card as the window shows it: media from the collection's folder, sounds named, typos
marked as typed, every text read in one pass however hostile."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from quizapp.domain import BasicContent, Note, NoteKind, Rating, TextFormat
from quizapp.domain.answers import AnswerMode, Correctness, Mark, Marked, Verdict
from quizapp.services.card_html import CardRenderer, sounds_as_placeholders
from quizapp.services.verdict_html import verdict_html

# The fixed renderer takes milliseconds on these texts; the old one took 4.2 s (sounds).
HANG_GUARD_SECONDS = 2.0
MEDIA = Path("/collection/media")


@dataclass(frozen=True)
class Ink:
    """Colours as a theme gives them."""

    right: str
    wrong: str
    hard: str


LIGHT = Ink(right="#177a35", wrong="#c9372c", hard="#8a6a12")
DARK = Ink(right="#5fd07f", wrong="#ff6b5e", hard="#e0b84c")


def html_note(front: str) -> Note:
    return Note("g", NoteKind.BASIC, BasicContent(front, "back"), text_format=TextFormat.HTML)


def test_images_come_from_the_media_folder_and_sounds_are_named() -> None:
    renderer = CardRenderer(MEDIA)
    shown = renderer.question(
        html_note('<p><img src="a diagram.png" alt="net"> and [sound:hello.mp3]</p>'), 0
    )
    assert shown == (
        '<p><img src="file:///collection/media/a%20diagram.png" alt="net"> and '
        "<i>(sound: hello.mp3)</i></p>"
    )


def test_a_plain_text_note_is_shown_as_written() -> None:
    note = Note("g", NoteKind.BASIC, BasicContent('<img src="x.png"> a < b\nc', "back"))
    assert (
        CardRenderer(MEDIA).question(note, 0) == "&lt;img src=&quot;x.png&quot;&gt; a &lt; b<br>c"
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("[sound:a.mp3][sound:b.ogg]", "<i>(sound: a.mp3)</i><i>(sound: b.ogg)</i>"),
        ("[sound:] [sound:a]", "[sound:] <i>(sound: a)</i>"),
        ("[sound:a [sound:b]", "<i>(sound: a [sound:b)</i>"),
        ("[sound:never closed", "[sound:never closed"),
        ("[sound:<b>x</b>&amp;y]", "<i>(sound: x&amp;y)</i>"),
    ],
)
def test_sound_references_read_as_anki_writes_them(text: str, shown: str) -> None:
    assert sounds_as_placeholders(text) == shown


@pytest.mark.parametrize(
    ("name", "front"),
    [
        ("8,000 unclosed sounds", "[sound:" * 8_000),
        ("8,000 sounds closed once", "[sound:" * 8_000 + "]"),
        ("10,000 unclosed images", "<img " * 10_000),
        ("10,000 images without a source's end", '<img src="a.png' * 10_000),
        ("both", "[sound:" * 8_000 + "<img " * 10_000 + '<img src="x.png">'),
    ],
)
def test_a_hostile_card_renders_at_once(name: str, front: str) -> None:
    renderer = CardRenderer(MEDIA)
    started = time.perf_counter()
    shown = renderer.question(html_note(front), 0)
    elapsed = time.perf_counter() - started
    assert elapsed < HANG_GUARD_SECONDS, f"{name}: {elapsed:.1f} s"
    assert len(shown) >= len(front) - 1  # nothing of the card was lost


def typo_verdict() -> Verdict:
    return Verdict(
        correctness=Correctness.WRONG,
        proposed=Rating.AGAIN,
        given="gogxle",
        expected="Google",
        typed=(Marked("gog", Mark.SAME), Marked("x", Mark.WRONG), Marked("le", Mark.SAME)),
        expected_marked=(
            Marked("Go", Mark.SAME),
            Marked("o", Mark.MISSING),
            Marked("gle", Mark.SAME),
        ),
    )


@pytest.mark.parametrize("colors", [LIGHT, DARK])
def test_a_typo_is_shown_as_typed_over_the_expected_answer(colors: Ink) -> None:
    shown = verdict_html(typo_verdict(), AnswerMode.TYPE, colors)
    typed, expected = shown.split("Expected:")
    # What the learner typed, its wrong letter struck in the wrong colour…
    assert re.sub(r"<[^>]+>", "", typed).endswith("gogxle")
    assert f'color:{colors.wrong}; font-weight:600"><s>x</s>' in typed
    assert "<u>" not in typed
    # …and the expected answer under it, the letter left out underlined in the right colour.
    assert re.sub(r"<[^>]+>", "", expected).startswith("&nbsp;&nbsp;Google")
    assert f'color:{colors.right}; font-weight:600"><u>o</u>' in expected
    assert "<s>" not in expected


def test_a_partly_right_verdict_says_how_much() -> None:
    verdict = Verdict(Correctness.PARTLY, Rating.AGAIN, "weights", "weights; biases", credit=0.5)
    shown = verdict_html(verdict, AnswerMode.TICK, LIGHT)
    assert f'color:{LIGHT.hard}; font-weight:600">◐ Partly right (50%)</span>' in shown
    assert "You ticked: weights" in shown


def test_a_named_mistake_and_the_authors_feedback_follow_the_verdict() -> None:
    verdict = Verdict(
        Correctness.WRONG,
        Rating.AGAIN,
        "4,096",
        "4,160",
        mistake="forgot the biases",
        feedback="<b>Count</b> the biases too.",
    )
    shown = verdict_html(verdict, AnswerMode.PICK, DARK, lambda words: words)
    assert shown.split("<br>") == [
        f'<span style="color:{DARK.wrong}; font-weight:600">✗ Not quite</span>',
        "You picked: 4,096",
        "That is what you get if you forgot the biases.",
        "<i><b>Count</b> the biases too.</i>",
    ]


def test_a_wrong_number_says_which_way_it_is_off() -> None:
    verdict = Verdict(Correctness.WRONG, Rating.AGAIN, "5,000", "55", note="too high")
    shown = verdict_html(verdict, AnswerMode.TYPE, LIGHT)
    assert "You answered: 5,000 — too high" in shown
