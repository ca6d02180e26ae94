"""The short way through a GIFT question: nothing to report.

Most questions of a large file are in one of a few shapes, and give no warning.  Such
a question is read here straight into its note's content, from the slices that
C-level searches cut (``str.find``, ``str.partition``, one ``re.split`` of the
answers), without the offsets, pieces and drafts that messages need.  Anything else —
an essay, a problem or a notice of any kind — makes :func:`quick_note` return
``None``, and :mod:`quizapp.banks.gift_kinds` reads the question the long way, which
says where each message belongs.  A property test holds the two ways to the same notes.

A note with an HTML text is HTML throughout: its texts are rendered once the content is
made, each as its own format says, which the short way remembers text by text (a text
written both ways, or one whose HTML loses anything, is left to the long way).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from quizapp.banks.gift_kinds import MAX_ANSWERS, read_range
from quizapp.banks.gift_render import HtmlRenderer
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
    TextFormat,
    TrueFalseContent,
    TypedContent,
)
from quizapp.domain.notes import map_texts

Quick = tuple[NoteKind, tuple[NoteContent, str, TextFormat]]
Made = tuple[NoteKind, NoteContent] | None
_BLANK = "_____"
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_FORMATS = {"html": True, "moodle": False, "plain": False, "markdown": False}
_CHOICE_MARKERS = re.compile("([~=])")
_EQUALS = re.compile("(=)")


class _Long(Exception):
    """The question must be read the long way."""


class _Texts:
    """Reads a question's texts as ``piece_from`` does, and remembers their formats."""

    __slots__ = ("default_html", "formats", "html")

    def __init__(self) -> None:
        self.default_html = False  # the question text's format, the default of the others
        self.formats: dict[str, bool] = {}  # whether each text is HTML
        self.html = False  # whether any text is

    def text(self, raw: str, *, plain: bool = False, kept_empty: bool = True) -> str:
        """``piece_from(raw, default_html, 0).text``, its format remembered (``plain``:
        the text is plain whatever its marker says, as a short answer is; not
        ``kept_empty``: the note leaves the text out when it is empty, so that its
        format then counts for nothing)."""
        raw = raw.strip(PHP_SPACE)
        is_html = self.default_html
        if raw.startswith("["):
            end = raw.find("]")
            marker = _FORMATS.get(raw[1:end]) if end > 0 else None
            if marker is not None:
                is_html = marker
                raw = raw[end + 1 :]
        if not raw.isascii():
            raw = restore(raw)
        text = raw.strip(PHP_SPACE)
        return self._remember(text, is_html and not plain and (kept_empty or text != ""))

    def plain(self, raw: str) -> str:
        """A text read without a format marker, as plain text (a matching answer)."""
        return self._remember(restore(raw).strip(PHP_SPACE), False)

    def _remember(self, text: str, is_html: bool) -> str:
        self.html = self.html or is_html
        if text and self.formats.setdefault(text, is_html) is not is_html:
            raise _Long  # the same text in two formats
        return text


def quick_note(body: str) -> Quick | None:
    """The kind, content, explanation and format of a question whose text after its
    title is ``body``, when nothing about it needs saying; else ``None``."""
    opening = body.find("{")
    closing = body.find("}")
    if opening < 0 or closing < opening:
        return None
    if body.find("{", opening + 1) >= 0 or body.find("}", closing + 1) >= 0:
        return None
    after = body[closing + 1 :]
    texts = _Texts()
    try:
        question = texts.text(body[:opening] + _BLANK + after if after else body[:opening])
        if not question:
            return None
        texts.default_html = texts.html
        answer = body[opening + 1 : closing].strip(PHP_SPACE)
        explanation = ""
        separator = answer.rfind("####")
        if separator >= 0:
            explanation = texts.text(answer[separator + 4 :])
            answer = answer[:separator].strip(PHP_SPACE)
        made = _content(answer, question, texts)
    except _Long:
        return None
    if made is None:
        return None
    kind, content = made
    if not texts.html:
        return kind, (content, explanation, TextFormat.PLAIN)
    return _as_html(kind, content, explanation, texts.formats)


def _as_html(
    kind: NoteKind, content: NoteContent, explanation: str, formats: dict[str, bool]
) -> Quick | None:
    """The note with every text rendered as HTML, unless rendering changes anything
    that a warning would name."""
    renderer = HtmlRenderer()
    html = renderer.render

    def render(text: str) -> str:
        return html(text, formats.get(text, False))

    content = _rendered(content, render)
    explanation = render(explanation)
    if renderer.scripts or renderer.remote or renderer.images:
        return None
    return kind, (content, explanation, TextFormat.HTML)


def _rendered(content: NoteContent, render: Callable[[str], str]) -> NoteContent:
    """``map_texts(content, render)`` for the contents read here, made directly."""
    if isinstance(content, MultipleChoiceContent):
        return MultipleChoiceContent(
            render(content.question),
            tuple(map(render, content.choices)),
            content.correct,
            content.weights,
            tuple(map(render, content.feedback)),
        )
    if isinstance(content, MultipleResponseContent):
        return MultipleResponseContent(
            render(content.question),
            tuple(map(render, content.choices)),
            content.weights,
            tuple(map(render, content.feedback)),
        )
    if isinstance(content, TrueFalseContent):
        return TrueFalseContent(
            render(content.statement),
            content.answer,
            render(content.feedback_true),
            render(content.feedback_false),
        )
    if isinstance(content, TypedContent):
        return TypedContent(
            render(content.question),
            tuple(map(render, content.answers)),
            content.weights,
            tuple(map(render, content.feedback)),
        )
    if isinstance(content, MatchingContent):
        return MatchingContent(
            render(content.question),
            tuple((render(left), render(right)) for left, right in content.pairs),
            tuple(map(render, content.distractors)),
        )
    return map_texts(content, render)  # numerical: its alternatives' feedback too


def _content(answer: str, question: str, texts: _Texts) -> Made:
    """What :func:`quizapp.banks.gift_kinds.read_answers` makes of ``answer``."""
    if not answer:
        return None  # an essay, which is always noticed
    if answer.count("=") + answer.count("~") > MAX_ANSWERS:
        return None
    if answer.startswith("#"):
        return _numeric(answer, question, texts)
    if "~" in answer:
        return _choices(answer, question, texts)
    if "=" in answer and "->" in answer:
        return _matching(answer, question, texts)
    head = answer.split("#", 1)[0].strip(PHP_SPACE)
    if head in _TRUE_FALSE:
        bits = [*answer.split("#", 2), "", ""]
        wrong, right = texts.text(bits[1]), texts.text(bits[2])
        value = _TRUE_FALSE[head]
        picked_true, picked_false = (right, wrong) if value else (wrong, right)
        return NoteKind.TRUE_FALSE, TrueFalseContent(question, value, picked_true, picked_false)
    if head.upper() in _TRUE_FALSE:
        return None  # "true" is a short answer, with a notice
    return _typed(answer, question, texts)


def _parts(text: str, markers: re.Pattern[str]) -> list[tuple[str, str]]:
    """(marker, text) of each part a marker opens; a blank first part is left out."""
    split = markers.split(text)
    parts = [(split[index], split[index + 1]) for index in range(1, len(split), 2)]
    if split[0].strip(PHP_SPACE):
        parts.insert(0, ("", split[0]))
    return parts


def _answers(
    text: str, markers: re.Pattern[str], default: float, texts: _Texts, *, choice: bool = False
) -> tuple[list[str], list[float], list[str]]:
    """The texts, weights and feedback of the answers of ``text``; a choice's ``=`` is
    full marks, a short answer's text plain."""
    answers: list[str] = []
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
        written, _, said = raw.partition("#")
        answer = texts.text(written, plain=not choice)
        if not answer:
            raise _Long  # an empty answer is left out, with a notice
        answers.append(answer)
        weights.append(weight)
        feedback.append(texts.text(said))
    return answers, weights, feedback


def _choices(answer: str, question: str, texts: _Texts) -> Made:
    choices, weight_list, feedback = _answers(answer, _CHOICE_MARKERS, 0.0, texts, choice=True)
    if len(choices) < 2:
        return None
    weights = tuple(weight_list)
    if "=" in answer:
        if 1.0 not in weights:
            return None
        content = MultipleChoiceContent(
            question, tuple(choices), weights.index(1.0), weights, tuple(feedback)
        )
        return NoteKind.MULTIPLE_CHOICE, content
    total = sum(weight for weight in weights if weight > 0)
    if total <= 0 or abs(total - 1.0) > 0.005:
        return None
    several = MultipleResponseContent(question, tuple(choices), weights, tuple(feedback))
    return NoteKind.MULTIPLE_RESPONSE, several


def _typed(answer: str, question: str, texts: _Texts) -> Made:
    answers, weights, feedback = _answers(answer, _EQUALS, 1.0, texts)
    if not answers or max(weights) < 1.0:
        return None
    content = TypedContent(question, tuple(answers), tuple(weights), tuple(feedback))
    return NoteKind.TYPED, content


def _matching(answer: str, question: str, texts: _Texts) -> Made:
    pairs: list[tuple[str, str]] = []
    distractors: list[str] = []
    for _, raw in _parts(answer, _EQUALS):
        left, arrow, right = raw.partition("->")
        if not arrow:
            return None
        right = texts.plain(right)
        if not right:
            return None
        left = texts.text(left, kept_empty=False)  # an empty one makes a distractor
        if left:
            pairs.append((left, right))
        else:
            distractors.append(right)
    if len(pairs) < 2:
        return None
    return NoteKind.MATCHING, MatchingContent(question, tuple(pairs), tuple(distractors))


def _numeric(answer: str, question: str, texts: _Texts) -> Made:
    body, tilde, wrong = answer[1:].partition("~")
    other = ""
    if tilde:
        left_out, _, said = wrong.partition("#")
        if restore(left_out).strip(PHP_SPACE):
            return None  # "~2" is left out, with a notice
        other = texts.text(said, kept_empty=False)
    numbers, weights, feedback = _answers(body, _EQUALS, 1.0, texts)
    if not numbers:
        return None
    ranges = []
    for number in numbers:
        found = read_range(number)
        if isinstance(found, str):
            return None
        ranges.append(found)
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
