"""Checks that need more than a parser: exercise templates that must hold up when drawn."""

from __future__ import annotations

from quizapp.domain import ExerciseContent, ImportBatch, ImportIssue


def exercise_issues(batch: ImportBatch) -> list[ImportIssue]:
    """Every problem of every exercise template in ``batch``.

    Each is located at the line of the part at fault where the parser noted it
    (``steps[1]`` of a YAML bank), else at its note's line.
    """
    exercises = [
        (item.line, item.note.guid, item.note.content.template)
        for item in batch.notes
        if isinstance(item.note.content, ExerciseContent)
    ]
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
