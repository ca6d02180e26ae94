"""Exercise templates: the public API for drawing, checking and validating them.

The work is split by concern; this module gathers what the services, GUI and
CLI need:

* :mod:`~quizapp.exercises.instances` draws instances and rebuilds stored ones;
* :mod:`~quizapp.exercises.checking` grades an answer and names the mistake;
* :mod:`~quizapp.exercises.validation` finds every problem of a template;
* :mod:`~quizapp.exercises.template_parts` compiles a template's parts;
* :mod:`~quizapp.exercises.render` and :mod:`~quizapp.exercises.formula`
  render texts and evaluate formulas.
"""

from __future__ import annotations

from quizapp.exercises.checking import check_answer
from quizapp.exercises.instances import (
    MAX_DRAWS,
    Choice,
    ExerciseInstance,
    compile_template,
    draw_instance,
    draw_instance_seeded,
    instance_from_values,
    sample_instances,
)
from quizapp.exercises.render import format_value
from quizapp.exercises.template_parts import TemplateError, within_tolerance
from quizapp.exercises.validation import TemplateProblem, template_problems, validate_template

__all__ = [
    "MAX_DRAWS",
    "Choice",
    "ExerciseInstance",
    "TemplateError",
    "TemplateProblem",
    "check_answer",
    "compile_template",
    "draw_instance",
    "draw_instance_seeded",
    "format_value",
    "instance_from_values",
    "sample_instances",
    "template_problems",
    "validate_template",
    "within_tolerance",
]
