"""Exercises: answer grading, the safe formula evaluator, and templates drawn afresh.  Pure."""

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
