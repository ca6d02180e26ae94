"""Exercises: answer grading, the safe formula evaluator, and templates drawn afresh.  Pure.

Names are loaded from their modules on first use, so that grading a typed answer
does not load the formula evaluator.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.exercises.formula import Formula, FormulaError, compile_formula
    from quizapp.exercises.grading import (
        DiffSegment,
        GradeResult,
        grade_choice,
        grade_numeric,
        grade_typed,
        parse_number,
    )
    from quizapp.exercises.templates import (
        Choice,
        ExerciseInstance,
        check_answer,
        draw_instance,
        draw_instance_seeded,
        instance_from_values,
        sample_instances,
        validate_template,
    )

_HOMES = {
    "quizapp.exercises.formula": ("Formula", "FormulaError", "compile_formula"),
    "quizapp.exercises.grading": (
        "DiffSegment",
        "GradeResult",
        "grade_choice",
        "grade_numeric",
        "grade_typed",
        "parse_number",
    ),
    "quizapp.exercises.templates": (
        "Choice",
        "ExerciseInstance",
        "check_answer",
        "draw_instance",
        "draw_instance_seeded",
        "instance_from_values",
        "sample_instances",
        "validate_template",
    ),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}
__all__ = [
    "Choice",
    "DiffSegment",
    "ExerciseInstance",
    "Formula",
    "FormulaError",
    "GradeResult",
    "check_answer",
    "compile_formula",
    "draw_instance",
    "draw_instance_seeded",
    "grade_choice",
    "grade_numeric",
    "grade_typed",
    "instance_from_values",
    "parse_number",
    "sample_instances",
    "validate_template",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'quizapp.exercises' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
