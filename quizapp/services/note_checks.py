"""What is wrong with a note the learner wrote, field by field, before it is saved.

The same rules as the banks' (a multiple-choice note needs its right answer among
2 to 9 choices, a cloze text a deletion, an exercise template formulas that hold
up when drawn), each problem named by the field at fault as the native format
names it: ``choices``, ``pairs[1]``, ``steps[0]``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from quizapp.domain import (
    ANY_NUMBER,
    BasicContent,
    ClozeContent,
    ExerciseContent,
    MatchingContent,
    MultipleChoiceContent,
    MultipleResponseContent,
    NoteContent,
    NoteKind,
    NumericContent,
    TrueFalseContent,
    TypedContent,
    cloze_numbers,
)
from quizapp.domain.tags import tag_problem
from quizapp.errors import UserError

MAX_CHOICES = 9


@dataclass(frozen=True, slots=True)
class NoteProblem:
    """One problem of a note: the field at fault and what is wrong with it."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidNote(UserError):
    """A note that cannot be saved as written; ``problems`` says where and why."""

    def __init__(self, problems: Sequence[NoteProblem]) -> None:
        super().__init__(
            "The note cannot be saved: " + "; ".join(str(problem) for problem in problems) + "."
        )
        self.problems = tuple(problems)


def note_problems(kind: NoteKind, content: NoteContent, tags: Sequence[str]) -> list[NoteProblem]:
    """Every problem of a note of ``kind`` holding ``content`` and ``tags``."""
    problems = list(_content_problems(kind, content))
    problems.extend(
        NoteProblem("tags", problem)
        for problem in (tag_problem(tag) for tag in tags)
        if problem is not None
    )
    return problems


def _content_problems(kind: NoteKind, content: NoteContent) -> Iterator[NoteProblem]:
    if isinstance(content, BasicContent):
        yield from _required(front=content.front)
        if kind is NoteKind.BASIC_REVERSED:  # the back is the reverse card's question
            yield from _required(back=content.back)
    elif isinstance(content, TrueFalseContent):
        yield from _required(statement=content.statement)
    elif isinstance(content, MultipleChoiceContent):
        yield from _choice_problems(content.question, content.choices)
        if not 0 <= content.correct < len(content.choices):
            yield NoteProblem("answer", "mark which choice is the right answer")
        yield from _parallel(content.choices, content.weights, content.feedback, "choice")
    elif isinstance(content, MultipleResponseContent):
        yield from _choice_problems(content.question, content.choices)
        yield from _parallel(content.choices, content.weights, content.feedback, "choice")
        if not any(weight > 0 for weight in content.weights):
            yield NoteProblem("answers", "tick at least one right choice")
    elif isinstance(content, TypedContent):
        yield from _typed_problems(content)
    elif isinstance(content, NumericContent):
        yield from _numeric_problems(content)
    elif isinstance(content, MatchingContent):
        yield from _matching_problems(content)
    elif isinstance(content, ClozeContent):
        if not cloze_numbers(content.text):
            yield NoteProblem("text", "a cloze text needs a deletion such as {{c1::answer}}")
    elif isinstance(content, ExerciseContent):
        yield from _exercise_problems(content)


def _required(**texts: str) -> Iterator[NoteProblem]:
    for field, text in texts.items():
        if not text.strip():
            yield NoteProblem(field, "is empty")


def _choice_problems(question: str, choices: Sequence[str]) -> Iterator[NoteProblem]:
    yield from _required(question=question)
    if not 2 <= len(choices) <= MAX_CHOICES:
        yield NoteProblem("choices", f"needs 2 to {MAX_CHOICES} choices, not {len(choices)}")
    for index, choice in enumerate(choices):
        if not choice.strip():
            yield NoteProblem(f"choices[{index}]", "is empty")
    texts = [choice.strip() for choice in choices if choice.strip()]
    if len(set(texts)) != len(texts):
        yield NoteProblem("choices", "two choices have the same text")


def _parallel(
    items: Sequence[str], weights: Sequence[float], feedback: Sequence[str], noun: str
) -> Iterator[NoteProblem]:
    """Optional weights and feedback: one per choice or answer, weights within -1..1."""
    for field, values in (("weights", weights), ("feedback", feedback)):
        if values and len(values) != len(items):
            yield NoteProblem(field, f"needs {len(items)} items, one per {noun}")
    if any(not -1 <= weight <= 1 for weight in weights):
        yield NoteProblem("weights", "every weight must be between -1 and 1")


def _typed_problems(content: TypedContent) -> Iterator[NoteProblem]:
    yield from _required(question=content.question)
    if not any(answer.strip() for answer in content.answers):
        yield NoteProblem("answer", "give at least one accepted answer")
    yield from _parallel(content.answers, content.weights, content.feedback, "answer")


def _numeric_problems(content: NumericContent) -> Iterator[NoteProblem]:
    yield from _required(question=content.question)
    if not math.isfinite(content.answer) or abs(content.answer) > ANY_NUMBER:
        yield NoteProblem("answer", f"must be a number between ±{ANY_NUMBER:g}")
    if not math.isfinite(content.tolerance) or content.tolerance < 0:
        yield NoteProblem("tolerance", "cannot be negative")
    for index, alternative in enumerate(content.alternatives):
        if alternative.low > alternative.high:
            yield NoteProblem(
                f"alternatives[{index}]",
                f"'low' ({alternative.low:g}) is above 'high' ({alternative.high:g})",
            )


def _matching_problems(content: MatchingContent) -> Iterator[NoteProblem]:
    if len(content.pairs) < 2:
        yield NoteProblem(
            "pairs", f"a matching note needs 2 or more pairs, not {len(content.pairs)}"
        )
    for index, (prompt, answer) in enumerate(content.pairs):
        if not prompt.strip() or not answer.strip():
            yield NoteProblem(f"pairs[{index}]", "each pair needs a prompt and its answer")
    prompts = [prompt.strip() for prompt, _ in content.pairs]
    if len(set(prompts)) != len(prompts):
        yield NoteProblem("pairs", "two prompts have the same text")


def _exercise_problems(content: ExerciseContent) -> Iterator[NoteProblem]:
    # Loaded only for exercises: the formula evaluator is not needed by other notes.
    from quizapp.exercises.validation import template_problems

    template = content.template
    if not template.template_id.strip():
        yield NoteProblem("id", "an exercise template needs an id")
    for problem in template_problems(template):
        yield NoteProblem(problem.field, problem.message)
