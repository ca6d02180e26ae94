"""The checked values, operations and functions of the formula evaluator.

Every operation checks its operands and bounds its result, and raises
:class:`EvaluationProblem` with a short sentence; :mod:`quizapp.exercises.formula`
adds the formula's text and turns it into a :class:`~quizapp.exercises.formula.FormulaError`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeAlias

from quizapp.domain.numbers import format_number

Value: TypeAlias = int | float | bool | str | tuple["Value", ...]
Number: TypeAlias = int | float

MAX_NUMBER = 1e15
MAX_LIST = 1000
MAX_EXPONENT = 64
NUMERIC = (int, float, bool)
_LOG10_MAX = math.log10(MAX_NUMBER)
_LN_MAX = math.log(MAX_NUMBER)


class EvaluationProblem(Exception):
    """What went wrong while evaluating, without the formula's text."""


def describe(value: object) -> str:
    """A value as named in messages."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, tuple | list):
        return "a list"
    return format_number(value) if isinstance(value, int | float) else repr(value)


def checked(value: Number) -> Number:
    """``value`` if it is a finite number within ±1e15."""
    if isinstance(value, float) and math.isnan(value):
        raise EvaluationProblem("result is not a number")
    if not -MAX_NUMBER <= value <= MAX_NUMBER:
        raise EvaluationProblem("number too large")
    return value


def number(value: Value) -> Number:
    """``value`` if it is a number (a boolean counts as 0 or 1)."""
    if not isinstance(value, NUMERIC):
        raise EvaluationProblem(f"expected a number, not {describe(value)}")
    return value


def items(value: Value) -> tuple[Value, ...]:
    """``value`` if it is a list of at most 1,000 items."""
    if not isinstance(value, tuple):
        raise EvaluationProblem(f"expected a list, not {describe(value)}")
    return sized(value)


def sized(value: tuple[Value, ...]) -> tuple[Value, ...]:
    """``value`` if it has at most 1,000 items."""
    if len(value) > MAX_LIST:
        raise EvaluationProblem(
            f"list too long ({format_number(len(value))} items; at most {format_number(MAX_LIST)})"
        )
    return value


def integer(value: Value) -> int:
    """``value`` if it is a whole number (for indexes and ``round``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise EvaluationProblem(f"expected a whole number, not {describe(value)}")
    return value


def divide(left: Value, right: Value) -> Value:
    """``left / right``."""
    divisor = number(right)
    if divisor == 0:
        raise EvaluationProblem("division by zero")
    return checked(number(left) / divisor)


def floor_divide(left: Value, right: Value) -> Value:
    """``left // right``."""
    divisor = number(right)
    if divisor == 0:
        raise EvaluationProblem("division by zero")
    return checked(number(left) // divisor)


def modulo(left: Value, right: Value) -> Value:
    """``left % right``."""
    divisor = number(right)
    if divisor == 0:
        raise EvaluationProblem("division by zero (modulo)")
    return checked(number(left) % divisor)


def power(left: Value, right: Value) -> Value:
    """``left ** right``, refused before computing when the result would be too large."""
    base, exponent = number(left), number(right)
    if base == 0:
        if exponent < 0:
            raise EvaluationProblem("division by zero (0 to a negative power)")
        return 1 if exponent == 0 else 0
    if abs(base) != 1 and abs(exponent) > MAX_EXPONENT:
        raise EvaluationProblem("number too large")
    if exponent * math.log10(abs(base)) > _LOG10_MAX + 1e-9:
        raise EvaluationProblem("number too large")
    if base < 0 and exponent != int(exponent):
        raise EvaluationProblem("negative number to a fractional power")
    return checked(base**exponent)


# ---------------------------------------------------------------- functions


def _numbers(value: Value) -> list[Number]:
    return [number(item) for item in items(value)]


def _extreme(pick: Callable[[list[Number]], Number], name: str) -> Callable[..., Value]:
    def extreme(*arguments: Value) -> Value:
        values = _numbers(arguments[0]) if len(arguments) == 1 else _numbers(arguments)
        if not values:
            raise EvaluationProblem(f"{name} of an empty list")
        return pick(values)

    return extreme


def _round(value: Value, digits: Value | None = None) -> Value:
    if digits is None:
        return round(number(value))
    places = integer(digits)
    if not -15 <= places <= 15:
        raise EvaluationProblem(f"round to {places} digits: at most 15")
    return round(number(value), places)


def _sqrt(value: Value) -> Value:
    x = number(value)
    if x < 0:
        raise EvaluationProblem("square root of a negative number")
    return math.sqrt(x)


def _positive(value: Value, name: str) -> float:
    x = number(value)
    if x <= 0:
        raise EvaluationProblem(f"{name} of a number that is not positive")
    return x


def _log(value: Value, base: Value | None = None) -> Value:
    x = _positive(value, "log")
    if base is None:
        return math.log(x)
    b = _positive(base, "log base")
    if b == 1:
        raise EvaluationProblem("log to base 1")
    return math.log(x, b)


def _exp(value: Value) -> Value:
    if number(value) > _LN_MAX:
        raise EvaluationProblem("number too large")
    return math.exp(number(value))


def _sum(value: Value) -> Value:
    return checked(sum(_numbers(value)))


def _prod(value: Value) -> Value:
    result: Number = 1
    for factor in _numbers(value):
        result = checked(result * factor)
    return result


def _dot(left: Value, right: Value) -> Value:
    a, b = _numbers(left), _numbers(right)
    if len(a) != len(b):
        raise EvaluationProblem(
            "dot of lists of different lengths "
            f"({format_number(len(a))} and {format_number(len(b))})"
        )
    total: Number = 0
    for x, y in zip(a, b, strict=True):
        total = checked(total + checked(x * y))
    return total


def _len(value: Value) -> Value:
    if isinstance(value, str):
        return len(value)
    return len(items(value))


def _abs(value: Value) -> Value:
    return abs(number(value))


def _floor(value: Value) -> Value:
    return math.floor(number(value))


def _ceil(value: Value) -> Value:
    return math.ceil(number(value))


# name → (fewest arguments, most arguments, function)
FUNCTIONS: dict[str, tuple[int, int, Callable[..., Value]]] = {
    "min": (1, MAX_LIST, _extreme(min, "min")),
    "max": (1, MAX_LIST, _extreme(max, "max")),
    "abs": (1, 1, _abs),
    "round": (1, 2, _round),
    "floor": (1, 1, _floor),
    "ceil": (1, 1, _ceil),
    "sqrt": (1, 1, _sqrt),
    "log": (1, 2, _log),
    "log2": (1, 1, lambda value: math.log2(_positive(value, "log2"))),
    "log10": (1, 1, lambda value: math.log10(_positive(value, "log10"))),
    "exp": (1, 1, _exp),
    "sum": (1, 1, _sum),
    "prod": (1, 1, _prod),
    "dot": (2, 2, _dot),
    "len": (1, 1, _len),
}
