"""Checks that need more than a parser: exercise templates that must hold up when drawn."""

from __future__ import annotations

from quizapp.domain import ExerciseContent, ImportBatch, ImportIssue


def exercise_issues(batch: ImportBatch) -> list[ImportIssue]:
    """Every problem of every exercise template in ``batch``, located at its note."""
    exercises = [
        (item.line, item.note.content.template)
        for item in batch.notes
        if isinstance(item.note.content, ExerciseContent)
    ]
    if not exercises:
        return []
    # Loaded only for banks with exercises, to keep start-up light.
    from quizapp.exercises.templates import validate_template

    return [
        ImportIssue(batch.source, line, f"template '{template.template_id}': {problem}")
        for line, template in exercises
        for problem in validate_template(template)
    ]
