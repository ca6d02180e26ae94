"""Exercises: answer parsing and grading (templates and the formula evaluator come next).  Pure."""

from quizapp.exercises.grading import (
    DiffSegment,
    GradeResult,
    grade_choice,
    grade_numeric,
    grade_typed,
    parse_number,
)

__all__ = [
    "DiffSegment",
    "GradeResult",
    "grade_choice",
    "grade_numeric",
    "grade_typed",
    "parse_number",
]
