"""Grading answers that are picks: several ticked choices, or matched pairs."""

from __future__ import annotations

from collections.abc import Sequence

from quizapp.domain import MatchingContent, MultipleResponseContent
from quizapp.exercises.grading import FULL_CREDIT, GradeResult, rating_for_credit


def grade_multiple_response(ticked: set[int], content: MultipleResponseContent) -> GradeResult:
    """Grade ticked choices as Moodle does: the sum of their weights, never below zero."""
    credit = max(0.0, min(1.0, sum(content.weights[index] for index in ticked)))
    right = {index for index, weight in enumerate(content.weights) if weight > 0}
    feedback = " ".join(content.feedback[index] for index in sorted(ticked) if content.feedback)
    return GradeResult(
        ticked == right or credit >= FULL_CREDIT,
        rating_for_credit(credit),
        "; ".join(content.choices[index] for index in sorted(ticked)) or "(nothing ticked)",
        "; ".join(content.choices[index] for index in sorted(right)),
        feedback=feedback.strip(),
        credit=credit,
    )


def matching_answers(content: MatchingContent) -> tuple[str, ...]:
    """Every answer a prompt can be matched to: the pairs' answers and the distractors."""
    return tuple(dict.fromkeys([answer for _, answer in content.pairs] + list(content.distractors)))


def grade_matching(picks: Sequence[str | None], content: MatchingContent) -> GradeResult:
    """Grade one picked answer per prompt, in the order of ``content.pairs``."""
    right = sum(pick == answer for pick, (_, answer) in zip(picks, content.pairs, strict=True))
    credit = right / len(content.pairs)
    return GradeResult(
        right == len(content.pairs),
        rating_for_credit(credit),
        f"{right} of {len(content.pairs)} matched",
        "; ".join(f"{prompt} → {answer}" for prompt, answer in content.pairs),
        credit=credit,
    )
