"""Card HTML: the sanitizer's shortcut for markup it would return unchanged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.banks import html
from quizapp.banks.html import is_clean_html, sanitize_html


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
