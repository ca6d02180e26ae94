"""Checks that need more than a parser: exercise templates that must hold up when drawn."""

from __future__ import annotations

from quizapp.domain import ExerciseContent, ExerciseTemplate, ImportBatch, ImportIssue


def _templates(batch: ImportBatch) -> list[tuple[int, str, ExerciseTemplate]]:
    return [
        (item.line, item.note.guid, item.note.content.template)
        for item in batch.notes
        if isinstance(item.note.content, ExerciseContent)
    ]


def sampling_issues(batch: ImportBatch, samples: int) -> list[ImportIssue]:
    """What ``samples`` draws of each template show (``quizapp validate --samples N``):
    distractors that give the answer or each other's number, constraints that reject
    nearly every draw, working that does not end at the answer, tolerance problems."""
    exercises = _templates(batch)
    if not exercises or samples <= 0:
        return []
    from quizapp.exercises.sampling import sampling_problems

    lines = batch.field_lines
    return sorted(
        (
            ImportIssue(
                batch.source,
                lines.get((guid, problem.field), line),
                f"template '{template.template_id}': {problem}",
            )
            for line, guid, template in exercises
            for problem in sampling_problems(template, samples)
        ),
        key=lambda issue: issue.line,
    )


def exercise_issues(batch: ImportBatch) -> list[ImportIssue]:
    """Every problem of every exercise template in ``batch``.

    Each is located at the line of the part at fault where the parser noted it
    (``steps[1]`` of a YAML bank), else at its note's line.
    """
    exercises = _templates(batch)
    if not exercises:
        return []
    # Loaded only for banks with exercises, to keep start-up light.
    from quizapp.exercises.validation import template_problems

    lines = batch.field_lines
    return sorted(
        (
            ImportIssue(
                batch.source,
                lines.get((guid, problem.field), line),
                f"template '{template.template_id}': {problem}",
            )
            for line, guid, template in exercises
            for problem in template_problems(template)
        ),
        key=lambda issue: issue.line,
    )
