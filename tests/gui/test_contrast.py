"""Every text colour of both palettes reads at WCAG AA (4.5:1) on what it is drawn on."""

from __future__ import annotations

from dataclasses import fields

import pytest
from PySide6.QtGui import QColor

from quizapp.gui.theme import DARK, LIGHT, Colors

AA_NORMAL_TEXT = 4.5

# (text, background) as the windows draw them, by the names of the theme's colours.
PAIRS = [
    ("text", "window"),  # titles, deck names, the hint line
    ("text", "surface"),  # the card, the deck tree, buttons
    ("text", "tint"),  # a ticked choice
    ("text", "notice"),  # the banner above a card
    ("muted", "window"),  # the hint line, the deck caption, the deck name above the card
    ("muted", "surface"),  # explanations, column headers, disabled buttons and faded choices
    ("accent", "window"),  # links
    ("accent", "surface"),  # links, the revealed cloze deletion on the card
    ("on_fill", "fill"),  # highlighted text on the highlight, a primary button's text
    ("again", "surface"),  # the grade buttons
    ("hard", "surface"),  # and "partly right"
    ("good", "surface"),
    ("easy", "surface"),
    ("right", "surface"),  # feedback and marked choices on the card
    ("wrong", "surface"),
    ("new", "window"),  # the counts above the card
    ("learning", "window"),
    ("due", "window"),
    ("new", "surface"),  # the counts in the deck tree
    ("learning", "surface"),
    ("due", "surface"),
]


def relative_luminance(color: str) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    rgb = QColor(color)
    return (
        0.2126 * linear(rgb.redF()) + 0.7152 * linear(rgb.greenF()) + 0.0722 * linear(rgb.blueF())
    )


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2's contrast ratio, from 1 (none) to 21 (black on white)."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_ratio_is_wcags() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#5b93f0") == pytest.approx(3.05, abs=0.01)  # issue 8


@pytest.mark.parametrize(("scheme", "colors"), [("light", LIGHT), ("dark", DARK)])
def test_every_text_and_background_pair_reaches_aa(scheme: str, colors: Colors) -> None:
    too_low = []
    for text, background in PAIRS:
        ratio = contrast_ratio(getattr(colors, text), getattr(colors, background))
        if ratio < AA_NORMAL_TEXT:
            too_low.append(f"{scheme}: {text} on {background} is {ratio:.2f}:1")
    assert not too_low, "; ".join(too_low)


@pytest.mark.parametrize("colors", [LIGHT, DARK])
def test_every_text_colour_is_in_a_listed_pair(colors: Colors) -> None:
    backgrounds = {"window", "surface", "tint", "notice", "fill", "border", "groove", "handle"}
    texts = {field.name for field in fields(colors)} - backgrounds
    assert texts == {text for text, _ in PAIRS}
