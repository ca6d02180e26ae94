"""A verdict as the window shows it: its title, what was answered, what was noticed.

The words are :mod:`quizapp.services.card_text`'s, the same the terminal prints;
here they are set as the HTML subset of a rich-text label, coloured with the
theme's colours (any object with ``right``, ``wrong`` and ``hard``).  A typed
answer with a typo is shown as typed, its wrong characters struck through in
the wrong colour, over the expected answer with the characters left out
underlined in the right colour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from quizapp.banks.html import plain_to_html
from quizapp.domain.answers import AnswerMode, Correctness, Mark, Marked, Verdict
from quizapp.domain.numbers import format_number
from quizapp.services.card_text import given_text, mistake_sentence, verdict_title


class Ink(Protocol):
    """The colours a verdict is written in (the theme's, for text on the card)."""

    @property
    def right(self) -> str: ...

    @property
    def wrong(self) -> str: ...

    @property
    def hard(self) -> str: ...


def verdict_html(
    verdict: Verdict,
    mode: AnswerMode,
    ink: Ink,
    author_html: Callable[[str], str] = plain_to_html,
) -> str:
    """The verdict on an answer given in ``mode``, as lines of HTML.

    ``author_html`` renders the author's feedback (a note's own text, which may be HTML).
    """
    lines = [_title(verdict, ink)]
    lines += _what_was_answered(verdict, mode, ink)
    mistake = mistake_sentence(verdict)
    if mistake:
        lines.append(plain_to_html(mistake))
    if verdict.feedback:
        lines.append(f"<i>{author_html(verdict.feedback)}</i>")
    return "<br>".join(lines)


def _title(verdict: Verdict, ink: Ink) -> str:
    colour = {
        Correctness.RIGHT: ink.right,
        Correctness.PARTLY: ink.hard,
        Correctness.WRONG: ink.wrong,
    }[verdict.correctness]
    title = plain_to_html(verdict_title(verdict))
    return f'<span style="color:{colour}; font-weight:600">{title}</span>'


def _what_was_answered(verdict: Verdict, mode: AnswerMode, ink: Ink) -> list[str]:
    if verdict.correct:
        return []
    match mode:
        case AnswerMode.PICK:
            return [f"You picked: {plain_to_html(given_text(verdict))}"]
        case AnswerMode.TICK:
            return [f"You ticked: {plain_to_html(given_text(verdict))}"]
        case AnswerMode.MATCH:
            right = sum(row.right for row in verdict.rows)
            total = format_number(len(verdict.rows))
            return [f"You matched {format_number(right)} of {total} rows correctly."]
        case AnswerMode.TYPE if verdict.typed:
            return [typo_table(verdict, ink)]
        case AnswerMode.TYPE | AnswerMode.REVEAL:
            return [f"You answered: {plain_to_html(given_text(verdict))}"]


def typo_table(verdict: Verdict, ink: Ink) -> str:
    """What was typed, wrong characters struck, over what was expected, missing ones underlined."""
    typed = marked_html(verdict.typed, Mark.WRONG, f"color:{ink.wrong}", "s")
    expected = marked_html(verdict.expected_marked, Mark.MISSING, f"color:{ink.right}", "u")
    return (
        '<table cellspacing="0" cellpadding="2">'
        f'<tr><td>You typed:&nbsp;&nbsp;</td><td style="font-size:17px">{typed}</td></tr>'
        f'<tr><td>Expected:&nbsp;&nbsp;</td><td style="font-size:17px">{expected}</td></tr>'
        "</table>"
    )


def marked_html(parts: Sequence[Marked], mark: Mark, style: str, tag: str) -> str:
    """``parts`` as HTML, the runs marked ``mark`` in ``<tag>`` (``s``, ``u``) and ``style``.

    A marked space would not show: it is drawn as a middle dot.
    """
    pieces = []
    for part in parts:
        if part.mark is mark:
            text = plain_to_html(part.text.replace(" ", "·"))
            pieces.append(f'<span style="{style}; font-weight:600"><{tag}>{text}</{tag}></span>')
        else:
            pieces.append(plain_to_html(part.text))
    return "".join(pieces)
