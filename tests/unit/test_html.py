"""Card HTML: the sanitizer's shortcut, and reading sources and text in linear time."""

from __future__ import annotations

import html as html_module
import re
import time
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.banks import html
from quizapp.banks.html import (
    has_script,
    html_to_text,
    image_sources,
    is_clean_html,
    remote_references,
    rename_sources,
    sanitize_html,
)


def nh3_clean(text: str) -> str:
    """What the sanitizer itself (nh3) makes of ``text``, without any shortcut."""
    return html._CLEANER.clean(text)


# Pieces that real card HTML is made of, and pieces that nh3 changes or drops.
_PIECES = st.sampled_from(
    [
        "<b>", "</b>", "<i>", "</i>", "<u>", "</u>", "<span>", "</span>", "<code>", "</code>",
        "<strong>", "</strong>", "<sub>", "</sub>", "<br>", "<br/>", "<BR>", "<b class=x>",
        "<p>", "</p>", "<div>", "</div>", "<li>", "<table>", "<script>", "</script>", "<img>",
        "<!-- c -->", "&amp;", "&lt;", "&gt;", "&nbsp;", "&quot;", "&#60;", "&", "<", ">",
        "\r", "\n", "\r\n", "\xa0", "\ufeff", "\x00", "\x0c", " ", "word", "é", "中", "😀",
    ]
)  # fmt: skip
_MARKUP = st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=12).map("".join)


@given(_MARKUP)
def test_markup_taken_as_clean_is_what_the_sanitizer_returns(text: str) -> None:
    if is_clean_html(text):
        assert nh3_clean(text) == text
    assert sanitize_html(text) == nh3_clean(text)


@pytest.mark.parametrize(
    "text",
    [
        "It sets the <b>learning rate</b> of the<br>optimizer.",
        "<i>x</i><sub>1</sub> &amp; <span>y</span>",
        "two\nlines, no tags",
    ],
)
def test_usual_card_markup_skips_the_sanitizer(text: str) -> None:
    assert is_clean_html(text)
    assert nh3_clean(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "<b>unclosed",
        "closed</b>",
        "<b><i>nested</i></b>",  # left to nh3: allowed, but not this shortcut's job
        "<B>upper</B>",
        "a > b",
        "<br/>",
        "&quot;",
        "<p>x</p>",
        '<b onclick="x()">y</b>',
        "\ufefflead",
    ],
)
def test_anything_else_goes_to_the_sanitizer(text: str) -> None:
    assert not is_clean_html(text)


# --- image and sound sources, tags: the same as the patterns used before, in linear time

OLD_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")', re.IGNORECASE)
OLD_SOUND = re.compile(r"\[sound:([^\]]+)\]")
OLD_TAG = re.compile(r"<[^>]+>")
# A generous bound: the shapes below take milliseconds; the old patterns took 8 s to 37 s.
HANG_GUARD_SECONDS = 10.0


def old_image_sources(text: str) -> list[str]:
    return [unquote(match[2]) for match in OLD_IMG_SRC.finditer(text) if match[2]]


def old_rename_sources(text: str, renames: dict[str, str]) -> str:
    def image(match: re.Match[str]) -> str:
        return match[1] + renames.get(unquote(match[2]), match[2]) + match[3]

    text = OLD_IMG_SRC.sub(image, text)
    return OLD_SOUND.sub(lambda m: f"[sound:{renames.get(m[1], m[1])}]", text)


def old_html_to_text(text: str) -> str:
    text = re.sub(r"<br\s*/?>|</(p|div|li|tr|h\d)>", "\n", text, flags=re.IGNORECASE)
    text = html_module.unescape(OLD_TAG.sub("", text))
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


_SOURCE_PIECES = st.sampled_from(
    [
        "<img", "<IMG", "<imgx", " ", "src=", 'src="', ' SRC="', 'data-src="', '"', ">", "<",
        "a.png", "b%20c.png", "[sound:", "a.mp3", "]", "<br", "/>", "</p>", "<b>", "&amp;",
        "\n", "x",
    ]
)  # fmt: skip
_SOURCE_TEXT = st.lists(_SOURCE_PIECES, max_size=14).map("".join)
RENAMES = {"a.png": "1.png", "b c.png": "2.png", "a.mp3": "3.mp3", "x": "y"}


@given(_SOURCE_TEXT)
def test_image_sources_are_found_as_before(text: str) -> None:
    assert image_sources(text) == old_image_sources(text)


@given(_SOURCE_TEXT)
def test_sources_are_renamed_as_before(text: str) -> None:
    assert rename_sources(text, RENAMES) == old_rename_sources(text, RENAMES)


@given(st.one_of(_SOURCE_TEXT, _MARKUP))
def test_html_reads_as_the_same_plain_text_as_before(text: str) -> None:
    assert html_to_text(text) == old_html_to_text(text)


def test_sources_are_renamed_in_images_and_sounds() -> None:
    text = '<img alt="x" src="b%20c.png"> and <IMG SRC="a.png"/> [sound:a.mp3] [sound:z.mp3]'

    renamed = rename_sources(text, RENAMES)

    assert renamed == '<img alt="x" src="2.png"> and <IMG SRC="1.png"/> [sound:3.mp3] [sound:z.mp3]'
    assert image_sources(text) == ["b c.png", "a.png"]


def _hostile_html(size: int) -> list[str]:
    return [
        "<img " * size,  # the attack: 10,000 of them took 8.4 s to rename
        '<img src="' * size,
        "<img " + ' src="' * size,
        "<img src=" * size + ">",
        "<" * size,
        "<a " * size + ">",
        "[sound:" * size,
        "<br" + " " * size,
        "<x" + " on" * size,
        " src=" + " " * size,
    ]


@pytest.mark.parametrize("size", [10_000, 20_000])
@pytest.mark.parametrize("shape", range(10))
def test_pathological_html_is_read_without_hanging(shape: int, size: int) -> None:
    text = _hostile_html(size)[shape]
    started = time.perf_counter()

    image_sources(text)
    rename_sources(text, RENAMES)
    html_to_text(text)
    has_script(text)
    remote_references(text)
    is_clean_html(text)

    assert time.perf_counter() - started < HANG_GUARD_SECONDS


def test_an_address_python_cannot_read_is_dropped_and_reported_not_a_crash() -> None:
    broken = '<img src="http://[oops/a.png"> text'
    assert remote_references(broken) == ["http://[oops/a.png"]
    assert "oops" not in sanitize_html(broken)
