"""The short way through a GIFT question: plain text, nothing to report.

Most questions of a large file are plain text in one of a few shapes, and give no
warning.  Such a question is read here straight into its note's content, from the
slices that C-level searches cut (``str.find``, ``str.partition``, one ``re.split`` of
the answers), without the offsets, pieces and drafts that messages and HTML need.
Anything else — a format marker, an essay, a problem or a notice of any kind — makes
:func:`quick_content` return ``None``, and :mod:`quizapp.banks.gift_kinds` reads the
question the long way, which says where each message belongs.  A property test holds
the two ways to the same notes.
"""

from __future__ import annotations

import re

from quizapp.banks.gift_kinds import MAX_ANSWERS, read_range
from quizapp.banks.gift_text import PHP_SPACE, restore, split_weight
from quizapp.domain import (
    ANY_NUMBER,
    MatchingContent,
    MultipleChoiceContent,
    MultipleResponseContent,
    NoteContent,
    NoteKind,
    NumericAlternative,
    NumericContent,
    TrueFalseContent,
    TypedContent,
)

Quick = tuple[NoteKind, NoteContent, str]
_BLANK = "_____"
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_CHOICE_MARKERS = re.compile("([~=])")
_EQUALS = re.compile("(=)")


class _Long(Exception):
    """The question must be read the long way."""


def _text(raw: str) -> str:
    """``piece_from(raw, False, 0).text`` for a plain text: a format marker, or anything
    starting with '[', is left to the long way."""
    raw = raw.strip(PHP_SPACE)
    if raw.startswith("["):
        raise _Long
    if raw.isascii():
        return raw
    return restore(raw).strip(PHP_SPACE)


def quick_content(body: str) -> Quick | None:
    """The kind, content and explanation of a question whose text after its title is
    ``body``, when it is plain and nothing about it needs saying; else ``None``."""
    opening = body.find("{")
    closing = body.find("}")
    if opening < 0 or closing < opening:
        return None
    if body.find("{", opening + 1) >= 0 or body.find("}", closing + 1) >= 0:
        return None
    after = body[closing + 1 :]
    try:
        question = _text(body[:opening] + _BLANK + after if after else body[:opening])
        if not question:
            return None
        answer = body[opening + 1 : closing].strip(PHP_SPACE)
        explanation = ""
        separator = answer.rfind("####")
        if separator >= 0:
            explanation = _text(answer[separator + 4 :])
            answer = answer[:separator].strip(PHP_SPACE)
        made = _content(answer, question)
    except _Long:
        return None
    return None if made is None else (made[0], made[1], explanation)


def _content(answer: str, question: str) -> tuple[NoteKind, NoteContent] | None:
    """What :func:`quizapp.banks.gift_kinds.read_answers` makes of ``answer``."""
    if not answer:
        return None  # an essay, which is always noticed
    if answer.count("=") + answer.count("~") > MAX_ANSWERS:
        return None
    if answer.startswith("#"):
        return _numeric(answer, question)
    if "~" in answer:
        return _choices(answer, question)
    if "=" in answer and "->" in answer:
        return _matching(answer, question)
    head = answer.split("#", 1)[0].strip(PHP_SPACE)
    if head in _TRUE_FALSE:
        bits = [*answer.split("#", 2), "", ""]
        wrong, right = _text(bits[1]), _text(bits[2])
        value = _TRUE_FALSE[head]
        picked_true, picked_false = (right, wrong) if value else (wrong, right)
        return NoteKind.TRUE_FALSE, TrueFalseContent(question, value, picked_true, picked_false)
    if head.upper() in _TRUE_FALSE:
        return None  # "true" is a short answer, with a notice
    return _typed(answer, question)


def _parts(text: str, markers: re.Pattern[str]) -> list[tuple[str, str]]:
    """(marker, text) of each part a marker opens; a blank first part is left out."""
    split = markers.split(text)
    parts = [(split[index], split[index + 1]) for index in range(1, len(split), 2)]
    if split[0].strip(PHP_SPACE):
        parts.insert(0, ("", split[0]))
    return parts


def _answers(
    text: str, markers: re.Pattern[str], default: float, choice: bool
) -> tuple[list[str], list[float], list[str]]:
    """The texts, weights and feedback of the answers of ``text``."""
    texts: list[str] = []
    weights: list[float] = []
    feedback: list[str] = []
    for marker, part in _parts(text, markers):
        raw = part.strip(PHP_SPACE)
        weight = default
        if raw.startswith("%"):
            if choice and marker == "=":
                raise _Long  # "=%50%" gives full marks, which is noticed
            value, raw, _ = split_weight(raw)
            if value is None:
                raise _Long  # a bad weight, or a '%' that is none
            weight = value
        elif choice and marker == "=":
            weight = 1.0
        answer, _, said = raw.partition("#")
        answer = _text(answer)
        if not answer:
            raise _Long  # an empty answer is left out, with a notice
        texts.append(answer)
        weights.append(weight)
        feedback.append(_text(said))
    return texts, weights, feedback


def _choices(answer: str, question: str) -> tuple[NoteKind, NoteContent] | None:
    texts, weight_list, feedback = _answers(answer, _CHOICE_MARKERS, 0.0, True)
    if len(texts) < 2:
        return None
    weights = tuple(weight_list)
    if "=" in answer:
        if 1.0 not in weights:
            return None
        content = MultipleChoiceContent(
            question, tuple(texts), weights.index(1.0), weights, tuple(feedback)
        )
        return NoteKind.MULTIPLE_CHOICE, content
    total = sum(weight for weight in weights if weight > 0)
    if total <= 0 or abs(total - 1.0) > 0.005:
        return None
    several = MultipleResponseContent(question, tuple(texts), weights, tuple(feedback))
    return NoteKind.MULTIPLE_RESPONSE, several


def _typed(answer: str, question: str) -> tuple[NoteKind, NoteContent] | None:
    texts, weights, feedback = _answers(answer, _EQUALS, 1.0, False)
    if not texts or max(weights) < 1.0:
        return None
    content = TypedContent(question, tuple(texts), tuple(weights), tuple(feedback))
    return NoteKind.TYPED, content


def _matching(answer: str, question: str) -> tuple[NoteKind, NoteContent] | None:
    pairs: list[tuple[str, str]] = []
    distractors: list[str] = []
    for _, raw in _parts(answer, _EQUALS):
        left, arrow, right = raw.partition("->")
        if not arrow:
            return None
        right = restore(right).strip(PHP_SPACE)
        if not right:
            return None
        left = _text(left)
        if left:
            pairs.append((left, right))
        else:
            distractors.append(right)
    if len(pairs) < 2:
        return None
    return NoteKind.MATCHING, MatchingContent(question, tuple(pairs), tuple(distractors))


def _numeric(answer: str, question: str) -> tuple[NoteKind, NoteContent] | None:
    body, tilde, wrong = answer[1:].partition("~")
    other = ""
    if tilde:
        left_out, _, said = wrong.partition("#")
        if restore(left_out).strip(PHP_SPACE):
            return None  # "~2" is left out, with a notice
        other = _text(said)
    texts, weights, feedback = _answers(body, _EQUALS, 1.0, False)
    if not texts:
        return None
    ranges = []
    for text in texts:
        numbers = read_range(text)
        if isinstance(numbers, str):
            return None
        ranges.append(numbers)
    if 1.0 not in weights:
        return None
    first = weights.index(1.0)
    alternatives = [
        NumericAlternative(low, high, weights[index], feedback[index])
        for index, (_, _, low, high) in enumerate(ranges)
        if index != first
    ]
    if other:
        alternatives.append(NumericAlternative(-ANY_NUMBER, ANY_NUMBER, 0.0, other))
    value, margin = ranges[first][0], ranges[first][1]
    content = NumericContent(
        question, value, margin, alternatives=tuple(alternatives), feedback=feedback[first]
    )
    return NoteKind.NUMERIC, content
