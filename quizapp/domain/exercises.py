"""Exercise templates: a question with variables, drawn afresh each time it is shown.

These are pure values as a bank declares them; :mod:`quizapp.exercises` evaluates
their formulas, draws instances and checks answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Scalar = int | float | str | bool


class VariableKind(StrEnum):
    """How a template variable's values are drawn."""

    INTEGER = "integer"  # low..high by step
    DECIMAL = "decimal"  # low..high by step
    CHOICE = "choice"  # one of ``choices``
    BOOLEAN = "boolean"  # True or False
    INTEGER_LIST = "integer_list"  # length_low..length_high integers in low..high by step


class ToleranceKind(StrEnum):
    """How ``tolerance`` is read, as Moodle's calculated questions read it."""

    ABSOLUTE = "absolute"  # |given - answer| <= tolerance (Moodle's "nominal")
    RELATIVE = "relative"  # |given - answer| <= tolerance * |answer|
    # Moodle's: answer / (1 + tolerance) <= given <= answer * (1 + tolerance)
    GEOMETRIC = "geometric"


@dataclass(frozen=True, slots=True)
class Variable:
    """One variable of a template, named as in the question and formulas."""

    name: str
    kind: VariableKind
    low: float = 0
    high: float = 0
    step: float = 1
    choices: tuple[Scalar, ...] = ()
    length_low: int = 0
    length_high: int = 0


@dataclass(frozen=True, slots=True)
class Step:
    """An intermediate result of the worked solution: ``name = formula``."""

    name: str
    formula: str


@dataclass(frozen=True, slots=True)
class Distractor:
    """A wrong answer that a known mistake produces, offered in multiple-choice mode."""

    formula: str
    mistake: str


@dataclass(frozen=True, slots=True)
class WrongAnswer:
    """A wrong answer a template test gives, and the mistake it must be named as."""

    answer: str
    mistake: str


@dataclass(frozen=True, slots=True)
class TemplateTest:
    """An author's test of a template: fixed values (or a seed) and the answers they give.

    ``answer`` is the expected answer as a learner would type it; each of ``wrong``
    must be graded wrong with its mistake named.
    """

    values: tuple[tuple[str, Any], ...] = ()
    seed: int | None = None
    answer: str = ""
    wrong: tuple[WrongAnswer, ...] = ()


@dataclass(frozen=True, slots=True)
class ExerciseTemplate:
    """A family of exercises: variables, constraints, question, answer and working.

    ``question`` and ``explanation`` hold placeholders for variables and steps;
    ``answer`` is a formula.  With ``answer_choices`` the exercise is a choice
    among fixed labels and ``answer`` evaluates to one of them (e.g. "parameter").
    """

    template_id: str
    question: str
    answer: str
    explanation: str
    variables: tuple[Variable, ...] = ()
    constraints: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()
    tolerance: float = 0.0
    tolerance_kind: ToleranceKind = ToleranceKind.ABSOLUTE
    distractors: tuple[Distractor, ...] = ()
    answer_choices: tuple[str, ...] = ()
    multiple_choice: bool = False
    unit: str = ""
    # Checked when the bank is validated or imported, and not kept in the collection:
    # left out of equality, so a bank whose tests change re-imports as unchanged.
    tests: tuple[TemplateTest, ...] = field(default=(), compare=False)

    def to_fields(self) -> dict[str, Any]:
        """JSON-ready fields, for storage and export."""
        return {
            "template_id": self.template_id,
            "question": self.question,
            "answer": self.answer,
            "explanation": self.explanation,
            "variables": [
                {
                    "name": v.name,
                    "kind": v.kind.value,
                    "low": v.low,
                    "high": v.high,
                    "step": v.step,
                    "choices": list(v.choices),
                    "length_low": v.length_low,
                    "length_high": v.length_high,
                }
                for v in self.variables
            ],
            "constraints": list(self.constraints),
            "steps": [{"name": s.name, "formula": s.formula} for s in self.steps],
            "tolerance": self.tolerance,
            "tolerance_kind": self.tolerance_kind.value,
            "distractors": [{"formula": d.formula, "mistake": d.mistake} for d in self.distractors],
            "answer_choices": list(self.answer_choices),
            "multiple_choice": self.multiple_choice,
            "unit": self.unit,
        }

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> ExerciseTemplate:
        """Rebuild a template from :meth:`to_fields` output."""
        return cls(
            template_id=fields["template_id"],
            question=fields["question"],
            answer=fields["answer"],
            explanation=fields["explanation"],
            variables=tuple(
                Variable(
                    name=v["name"],
                    kind=VariableKind(v["kind"]),
                    low=v["low"],
                    high=v["high"],
                    step=v["step"],
                    choices=tuple(v["choices"]),
                    length_low=v["length_low"],
                    length_high=v["length_high"],
                )
                for v in fields["variables"]
            ),
            constraints=tuple(fields["constraints"]),
            steps=tuple(Step(s["name"], s["formula"]) for s in fields["steps"]),
            tolerance=fields["tolerance"],
            tolerance_kind=ToleranceKind(fields["tolerance_kind"]),
            distractors=tuple(
                Distractor(d["formula"], d["mistake"]) for d in fields["distractors"]
            ),
            answer_choices=tuple(fields["answer_choices"]),
            multiple_choice=fields["multiple_choice"],
            unit=fields["unit"],
        )


@dataclass(frozen=True, slots=True)
class ExerciseContent:
    """A note that is an exercise template: one card, fresh numbers at each showing."""

    template: ExerciseTemplate
