"""Exercises in the statistics: accuracy per template family, and the named mistakes.

The review log keeps, for an exercise answer, the values shown and the answer given;
the mistake is the one the checker names for that answer to those values, so the
wrong answers are grouped in SQL by (note, values, answer) and each group checked
once again here.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from quizapp.domain.exercises import ExerciseTemplate
from quizapp.services.answers import PLAIN_NOTES
from quizapp.services.statistics_figures import Accuracy, Mistake

WEEK = 7


def families(rows: Sequence[tuple[Any, ...]], since_day: int) -> list[Accuracy]:
    """Accuracy per template family, with its weekly trend (weeks end today)."""
    totals: dict[str, list[int]] = {}
    weeks: dict[str, dict[int, list[int]]] = {}
    for template, day, answers, passed in rows:
        name = str(template)
        total = totals.setdefault(name, [0, 0])
        total[0] += answers
        total[1] += passed
        # Weeks counted back from today, so that the last point is the current week.
        week_start = -((-day) // WEEK) * WEEK - (WEEK - 1) if day <= 0 else 0
        week = weeks.setdefault(name, {}).setdefault(max(week_start, since_day), [0, 0])
        week[0] += answers
        week[1] += passed
    return sorted(
        (
            Accuracy(
                name,
                total[0],
                total[1] / total[0],
                tuple((start, n, ok / n) for start, (n, ok) in sorted(weeks[name].items())),
            )
            for name, total in totals.items()
            if total[0]
        ),
        key=lambda family: (family.accuracy, family.name),
    )


def named_mistakes(
    answers: Sequence[tuple[Any, ...]], contents: dict[int, str], limit: int = 10
) -> list[Mistake]:
    """The most frequent named mistakes among wrong answers (note, shown, answer, times)."""
    from quizapp.errors import QuizAppError
    from quizapp.exercises.checking import check_answer
    from quizapp.exercises.instances import instance_from_values

    templates = {
        note_id: ExerciseTemplate.from_fields(json.loads(content))
        for note_id, content in contents.items()
    }
    counts: Counter[tuple[str, str]] = Counter()
    for note_id, shown, answer, times in answers:
        template = templates.get(note_id)
        if template is None:
            continue
        try:
            instance = instance_from_values(template, json.loads(shown))
            result = check_answer(instance, str(answer))
        except (QuizAppError, ValueError, KeyError, TypeError):
            continue  # the template changed since: those values no longer fit it
        if not result.correct and result.note and result.note not in PLAIN_NOTES:
            counts[(template.template_id, result.note)] += int(times)
    return [
        Mistake(template_id, mistake, count)
        for (template_id, mistake), count in sorted(
            counts.items(), key=lambda item: (-item[1], item[0])
        )[:limit]
    ]
