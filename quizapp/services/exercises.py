"""Exercise templates outside a study session: ``quizapp sample``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quizapp.banks.formats import read_bank
from quizapp.domain import ExerciseContent, ExerciseTemplate
from quizapp.errors import UserError
from quizapp.exercises.instances import draw_instance_seeded


def find_template(template_id: str, banks: Sequence[Path]) -> ExerciseTemplate:
    """The template ``template_id`` in one of ``banks``."""
    known = []
    for path in banks:
        batch = read_bank(path)
        for item in batch.notes:
            if isinstance(item.note.content, ExerciseContent):
                template = item.note.content.template
                if template.template_id == template_id:
                    return template
                known.append(template.template_id)
    where = ", ".join(path.name for path in banks)
    raise UserError(
        f"There is no exercise template '{template_id}' in {where}. "
        f"Templates: {', '.join(known) or 'none'}."
    )


def sample_instances(
    template_id: str, seed: int, count: int, banks: Sequence[Path]
) -> list[dict[str, Any]]:
    """``count`` instances, the i-th drawn from seed ``seed + i``, as JSON-ready objects.

    Each instance's own seed is printed, so ``--seed S`` with that seed shows it again.
    """
    if not 1 <= count <= 1000:
        raise UserError("--count must be between 1 and 1000.")
    template = find_template(template_id, banks)
    samples = []
    for number in range(count):
        instance = draw_instance_seeded(template, seed + number)
        sample: dict[str, Any] = {
            "template": instance.template_id,
            "seed": seed + number,
            "variables": instance.stored_values(),
            "question": instance.question,
            "answer": _jsonable(instance.answer),
            "explanation": instance.explanation,
        }
        if instance.unit:
            sample["unit"] = instance.unit
        if instance.choices:
            sample["choices"] = [
                {
                    "label": c.label,
                    "correct": c.correct,
                    **({"mistake": c.mistake} if c.mistake else {}),
                }
                for c in instance.choices
            ]
        samples.append(sample)
    return samples


def _jsonable(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value
