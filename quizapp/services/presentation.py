"""How a card is put before the learner: its answer mode, its choices in the order shown.

Choices are shuffled at each showing, from that showing's seed, unless the bank
fixes their order or a choice refers to the others ("All of the above"); the
order is stored with the answer, so that undo shows the card as it was.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING, assert_never

from quizapp.banks.html import html_to_text
from quizapp.domain import (
    BasicContent,
    ClozeContent,
    ExerciseContent,
    MatchingContent,
    MultipleChoiceContent,
    MultipleResponseContent,
    Note,
    NumericContent,
    TextFormat,
    TrueFalseContent,
    TypedContent,
)
from quizapp.domain.answers import AnswerMode
from quizapp.exercises.choices import matching_answers

if TYPE_CHECKING:
    from quizapp.exercises.instances import ExerciseInstance

# A choice that speaks of the other choices, or of their places, pins every choice.
_REFERS_TO_OTHERS = re.compile(
    r"\b(?:all|none|both|neither|either|any)\s+(?:of\s+)?(?:the\s+)?(?:above|below|these|"
    r"those|others|previous|preceding|following)\b"
    r"|\b(?:only\s+)?[a-d1-4]\s+and\s+[a-d1-4]\b"
    r"|\b(?:answers?|options?|choices?)\s+[a-d1-4]\b",
    re.IGNORECASE,
)
TRUE_FALSE_CHOICES = ("True", "False")


@dataclass(frozen=True, slots=True)
class Presentation:
    """What the reviewer shows of a card besides its question.

    ``choices`` are the note's texts (HTML for an HTML note) in the order shown,
    ``choice_order[i]`` the index in the note of the ``i``-th shown choice.
    ``match_prompts`` are a matching card's rows; ``match_answers`` the answers
    each row offers (as text, sorted).
    """

    mode: AnswerMode
    choices: tuple[str, ...] = ()
    choice_order: tuple[int, ...] = ()
    match_prompts: tuple[str, ...] = ()
    match_answers: tuple[str, ...] = ()

    @property
    def grades_itself(self) -> bool:
        """Whether the answer alone proposes the grade (picks, ticks, matches)."""
        return self.mode in (AnswerMode.PICK, AnswerMode.TICK, AnswerMode.MATCH)


def keeps_order(choices: Sequence[str]) -> bool:
    """Whether a choice refers to the others, so that shuffling would garble it."""
    return any(_REFERS_TO_OTHERS.search(html_to_text(choice)) for choice in choices)


def present(
    note: Note,
    seed: int,
    order: Sequence[int] | None = None,
    exercise: ExerciseInstance | None = None,
) -> Presentation:
    """How to show ``note``; a given ``order`` (from a stored answer) is shown again."""
    if exercise is not None:
        labels = tuple(choice.label for choice in exercise.choices)
        mode = AnswerMode.PICK if labels else AnswerMode.TYPE
        return Presentation(mode, labels, tuple(range(len(labels))))
    content = note.content
    match content:
        case MultipleChoiceContent() | MultipleResponseContent():
            shown = _order(content.choices, content.fixed_order, seed, order)
            mode = (
                AnswerMode.PICK if isinstance(content, MultipleChoiceContent) else AnswerMode.TICK
            )
            return Presentation(mode, tuple(content.choices[i] for i in shown), shown)
        case TrueFalseContent():
            return Presentation(AnswerMode.PICK, TRUE_FALSE_CHOICES, (0, 1))
        case MatchingContent():
            answers = [_text(note, answer) for answer in matching_answers(content)]
            return Presentation(
                AnswerMode.MATCH,
                match_prompts=tuple(prompt for prompt, _ in content.pairs),
                match_answers=tuple(sorted(answers, key=str.casefold)),
            )
        case TypedContent() | NumericContent():
            return Presentation(AnswerMode.TYPE)
        case BasicContent() | ClozeContent():
            return Presentation(AnswerMode.REVEAL)
        case ExerciseContent():
            return Presentation(AnswerMode.TYPE)
        case _:
            assert_never(content)


def _order(
    choices: Sequence[str], fixed: bool, seed: int, stored: Sequence[int] | None
) -> tuple[int, ...]:
    count = len(choices)
    if stored is not None and sorted(stored) == list(range(count)):
        return tuple(stored)
    indices = list(range(count))
    if not fixed and not keeps_order(choices):
        Random(seed).shuffle(indices)
    return tuple(indices)


def _text(note: Note, text: str) -> str:
    return html_to_text(text) if note.text_format is TextFormat.HTML else text
