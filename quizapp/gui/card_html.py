"""Card content as the HTML subset that Qt's rich-text labels show.  Text is escaped."""

from __future__ import annotations

import html

from quizapp.domain import (
    BasicContent,
    MultipleChoiceContent,
    Note,
    NumericContent,
    TrueFalseContent,
    TypedContent,
)
from quizapp.exercises.grading import DiffKind, DiffSegment, format_number

TRUE_FALSE_LABELS = ("True", "False")


def plain_to_html(text: str) -> str:
    """Escape ``text`` and keep its line breaks."""
    return html.escape(text).replace("\n", "<br>")


def question_html(note: Note, face: int) -> str:
    """What the card asks."""
    content = note.content
    if isinstance(content, BasicContent):
        return plain_to_html(content.back if face == 1 else content.front)
    if isinstance(content, TrueFalseContent):
        return "True or false?<br><br>" + plain_to_html(content.statement)
    if isinstance(content, MultipleChoiceContent | TypedContent | NumericContent):
        return plain_to_html(content.question)
    raise NotImplementedError(f"the reviewer cannot show {note.kind} cards yet")


def answer_html(note: Note, face: int) -> str:
    """The right answer, as shown once the card is revealed."""
    content = note.content
    if isinstance(content, BasicContent):
        return plain_to_html(content.front if face == 1 else content.back)
    if isinstance(content, TrueFalseContent):
        return TRUE_FALSE_LABELS[0 if content.answer else 1]
    if isinstance(content, MultipleChoiceContent):
        return plain_to_html(content.choices[content.correct])
    if isinstance(content, TypedContent):
        also = ""
        if len(content.answers) > 1:
            also = (
                "<br><small>also accepted: "
                + ", ".join(plain_to_html(answer) for answer in content.answers[1:])
                + "</small>"
            )
        return plain_to_html(content.answers[0]) + also
    assert isinstance(content, NumericContent)
    unit = f" {plain_to_html(content.unit)}" if content.unit else ""
    tolerance = f" (± {format_number(content.tolerance)})" if content.tolerance else ""
    return f"{format_number(content.answer)}{unit}{tolerance}"


def choice_labels(note: Note) -> tuple[str, ...]:
    """The choices a multiple-choice or true/false card offers, in order."""
    content = note.content
    if isinstance(content, MultipleChoiceContent):
        return content.choices
    if isinstance(content, TrueFalseContent):
        return TRUE_FALSE_LABELS
    return ()


def correct_choice(note: Note) -> int:
    """The index of the right choice."""
    content = note.content
    if isinstance(content, MultipleChoiceContent):
        return content.correct
    assert isinstance(content, TrueFalseContent)
    return 0 if content.answer else 1


def diff_html(segments: tuple[DiffSegment, ...], extra_color: str, missing_color: str) -> str:
    """The learner's answer against the expected one: extra letters struck, missing underlined."""
    parts = []
    for segment in segments:
        text = plain_to_html(segment.text)
        if segment.kind is DiffKind.EXTRA:
            parts.append(f'<span style="color:{extra_color}"><s>{text}</s></span>')
        elif segment.kind is DiffKind.MISSING:
            parts.append(f'<span style="color:{missing_color}"><u>{text}</u></span>')
        else:
            parts.append(text)
    return "".join(parts)
