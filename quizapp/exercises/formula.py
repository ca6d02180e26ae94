"""A small, safe evaluator for the formulas of exercise templates.

A formula is parsed once with :func:`ast.parse` and every node is checked against
a whitelist; what passes is turned into nested Python closures, so evaluating a
compiled formula costs a few microseconds and never runs ``eval``, ``exec`` or
``compile``.  Every intermediate number is kept within ±1e15 and every list
within 1,000 items, and ``**`` is bounded before it is computed, so no formula can
hang the app or eat its memory.

Grammar: numbers, strings, ``True``/``False``, lists ``[a, b]``; the names given
to :func:`compile_formula` and the constants ``pi`` and ``e``; ``+ - * / // % **``
(and unary ``-``/``+``) on numbers, where booleans count as 0 and 1; comparisons,
chained, with ``in``/``not in`` on lists and text; ``and``, ``or``, ``not``;
``a if c else b``; indexing and slicing of lists; and the functions in
:data:`FUNCTIONS`.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeAlias

from quizapp.domain.numbers import format_number
from quizapp.errors import UserError
from quizapp.exercises.arithmetic import (
    FUNCTIONS,
    NUMERIC,
    EvaluationProblem,
    Number,
    Value,
    checked,
    describe,
    divide,
    floor_divide,
    integer,
    items,
    modulo,
    number,
    power,
    sized,
)

Evaluator: TypeAlias = Callable[[Mapping[str, Value]], Value]

MAX_LENGTH = 500
MAX_NODES = 200
MAX_TEXT = 1000
CONSTANTS: dict[str, Value] = {"pi": math.pi, "e": math.e}
RESERVED = frozenset({*CONSTANTS, *FUNCTIONS, "True", "False", "None"})
_PREVIEW = 80


class FormulaError(UserError):
    """A formula that cannot be compiled or evaluated; the message names both."""

    def __init__(self, problem: str, formula: str) -> None:
        super().__init__(f"{problem} in '{preview(formula)}'")
        self.problem = problem
        self.formula = formula


def preview(text: str) -> str:
    """The formula as quoted in messages, shortened if it is long."""
    text = " ".join(text.split())
    return text if len(text) <= _PREVIEW else text[: _PREVIEW - 3] + "..."


class Formula:
    """A compiled formula: evaluate it as often as needed with different values."""

    __slots__ = ("_run", "names", "text")

    def __init__(self, text: str, run: Evaluator, names: frozenset[str]) -> None:
        self.text = text
        self.names = names  # the names the formula reads
        self._run = run

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        """The formula's value; raises :class:`FormulaError` on any problem."""
        try:
            return self._run(values)
        except EvaluationProblem as problem:
            raise FormulaError(str(problem), self.text) from None
        except KeyError as missing:
            raise FormulaError(f"no value for '{missing.args[0]}'", self.text) from None
        # A safety net: every operation checks its operands, so these mean a gap
        # in those checks; the author still gets a sentence, not a traceback.
        except (TypeError, ValueError, ArithmeticError, IndexError) as error:
            raise FormulaError(f"cannot evaluate ({error})", self.text) from None


def compile_formula(text: str, names: Iterable[str]) -> Formula:
    """Parse and check ``text``; ``names`` are the variables it may read."""
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            f"formula too long ({format_number(len(text))} characters; at most {MAX_LENGTH})", text
        )
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise FormulaError(f"syntax error ({error.msg})", text) from None
    except (ValueError, RecursionError, MemoryError):
        raise FormulaError("formula cannot be read", text) from None
    size = sum(1 for node in ast.walk(tree) if not isinstance(node, ast.expr_context))
    if size > MAX_NODES:
        raise FormulaError(
            f"formula too complex ({format_number(size)} parts; at most {MAX_NODES})", text
        )
    compiler = _Compiler(frozenset(names))
    try:
        run = compiler.build(tree.body)
    except EvaluationProblem as problem:
        raise FormulaError(str(problem), text) from None
    return Formula(text, run, frozenset(compiler.used))


def evaluate_formula(text: str, values: Mapping[str, Value]) -> Value:
    """Compile ``text`` against the names in ``values`` and evaluate it once."""
    return compile_formula(text, values).evaluate(values)


def _arithmetic(operation: Callable[[Number, Number], Number]) -> Callable[[Value, Value], Value]:
    def apply(left: Value, right: Value) -> Value:
        return checked(operation(number(left), number(right)))

    return apply


_BINARY: dict[type[ast.operator], Callable[[Value, Value], Value]] = {
    ast.Add: _arithmetic(operator.add),
    ast.Sub: _arithmetic(operator.sub),
    ast.Mult: _arithmetic(operator.mul),
    ast.Div: divide,
    ast.FloorDiv: floor_divide,
    ast.Mod: modulo,
    ast.Pow: power,
}


def _order(operation: Callable[[Any, Any], bool]) -> Callable[[Value, Value], bool]:
    def compare(left: Value, right: Value) -> bool:
        if isinstance(left, NUMERIC) and isinstance(right, NUMERIC):
            return operation(left, right)
        if isinstance(left, str) and isinstance(right, str):
            return operation(left, right)
        raise EvaluationProblem(f"cannot compare {describe(left)} with {describe(right)}")

    return compare


def _contains(left: Value, right: Value) -> bool:
    if isinstance(right, str):
        if not isinstance(left, str):
            raise EvaluationProblem(f"cannot look for {describe(left)} in {describe(right)}")
        return left in right
    return left in items(right)


_COMPARE: dict[type[ast.cmpop], Callable[[Value, Value], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: _order(operator.lt),
    ast.LtE: _order(operator.le),
    ast.Gt: _order(operator.gt),
    ast.GtE: _order(operator.ge),
    ast.In: _contains,
    ast.NotIn: lambda left, right: not _contains(left, right),
}


# ---------------------------------------------------------------- compiling


class _Compiler:
    """Turns a checked AST into closures, recording the names it reads."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names
        self.used: set[str] = set()

    def build(self, node: ast.expr) -> Evaluator:
        """The closure for ``node``, or :class:`EvaluationProblem` if it is not allowed."""
        handler = _HANDLERS.get(type(node))
        if handler is None:
            what = _NOT_ALLOWED.get(type(node), type(node).__name__)
            raise EvaluationProblem(f"{what} not allowed")
        result: Evaluator = getattr(self, handler)(node)
        return result

    def _constant(self, node: ast.Constant) -> Evaluator:
        value = node.value
        if isinstance(value, int | float) and not isinstance(value, bool):
            checked(value)
        elif not isinstance(value, bool | str):
            raise EvaluationProblem(f"the value {value!r} not allowed")
        elif isinstance(value, str) and len(value) > MAX_TEXT:
            raise EvaluationProblem("text too long")
        return lambda values: value

    def _name(self, node: ast.Name) -> Evaluator:
        name = node.id
        if name in self.names:
            self.used.add(name)
            return lambda values: values[name]
        if name in CONSTANTS:
            constant = CONSTANTS[name]
            return lambda values: constant
        if name in FUNCTIONS:
            raise EvaluationProblem(f"'{name}' is a function; call it as {name}(...)")
        raise EvaluationProblem(f"unknown name '{name}'")

    def _list(self, node: ast.List) -> Evaluator:
        elements = tuple(self.build(element) for element in node.elts)
        return lambda values: sized(tuple(element(values) for element in elements))

    def _binary(self, node: ast.BinOp) -> Evaluator:
        operation = _BINARY.get(type(node.op))
        if operation is None:
            raise EvaluationProblem(f"the operator {_symbol(node.op)} not allowed")
        left, right = self.build(node.left), self.build(node.right)
        return lambda values: operation(left(values), right(values))

    def _unary(self, node: ast.UnaryOp) -> Evaluator:
        operand = self.build(node.operand)
        if isinstance(node.op, ast.Not):
            return lambda values: not operand(values)
        if isinstance(node.op, ast.USub):
            return lambda values: -number(operand(values))
        if isinstance(node.op, ast.UAdd):
            return lambda values: +number(operand(values))
        raise EvaluationProblem("the operator ~ not allowed")

    def _boolean(self, node: ast.BoolOp) -> Evaluator:
        operands = tuple(self.build(operand) for operand in node.values)
        is_and = isinstance(node.op, ast.And)

        def run(values: Mapping[str, Value]) -> Value:
            result: Value = False
            for operand in operands:
                result = operand(values)
                if bool(result) != is_and:
                    return result
            return result

        return run

    def _compare(self, node: ast.Compare) -> Evaluator:
        first = self.build(node.left)
        rest: list[tuple[Callable[[Value, Value], bool], Evaluator]] = []
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            if type(op) not in _COMPARE:
                raise EvaluationProblem("'is' not allowed; use ==")
            rest.append((_COMPARE[type(op)], self.build(comparator)))

        def run(values: Mapping[str, Value]) -> Value:
            left = first(values)
            for compare, evaluate in rest:
                right = evaluate(values)
                if not compare(left, right):
                    return False
                left = right
            return True

        return run

    def _conditional(self, node: ast.IfExp) -> Evaluator:
        test, body, orelse = (self.build(part) for part in (node.test, node.body, node.orelse))
        return lambda values: body(values) if test(values) else orelse(values)

    def _subscript(self, node: ast.Subscript) -> Evaluator:
        sequence = self.build(node.value)
        if isinstance(node.slice, ast.Slice):
            bounds = tuple(
                None if part is None else self.build(part)
                for part in (node.slice.lower, node.slice.upper, node.slice.step)
            )
            return lambda values: _slice(items(sequence(values)), bounds, values)
        index = self.build(node.slice)
        return lambda values: _index(items(sequence(values)), integer(index(values)))

    def _call(self, node: ast.Call) -> Evaluator:
        if not isinstance(node.func, ast.Name):
            raise EvaluationProblem("only the listed functions may be called")
        name = node.func.id
        if name not in FUNCTIONS:
            raise EvaluationProblem(f"unknown function '{name}'")
        if node.keywords:
            raise EvaluationProblem(f"keyword arguments not allowed (in {name})")
        low, high, function = FUNCTIONS[name]
        if not low <= len(node.args) <= high:
            expected = str(low) if low == high else f"{low} to {high}"
            raise EvaluationProblem(f"{name} takes {expected} arguments, not {len(node.args)}")
        arguments = tuple(self.build(argument) for argument in node.args)
        return lambda values: function(*(argument(values) for argument in arguments))


def _index(sequence: tuple[Value, ...], index: int) -> Value:
    if not -len(sequence) <= index < len(sequence):
        length = format_number(len(sequence))
        raise EvaluationProblem(f"index {format_number(index)} out of range for a list of {length}")
    return sequence[index]


def _slice(
    sequence: tuple[Value, ...],
    bounds: tuple[Evaluator | None, ...],
    values: Mapping[str, Value],
) -> Value:
    lower, upper, step = (None if part is None else integer(part(values)) for part in bounds)
    if step == 0:
        raise EvaluationProblem("slice step cannot be zero")
    return sequence[lower:upper:step]


def _symbol(op: ast.operator) -> str:
    symbols = {ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<"}
    symbols |= {ast.RShift: ">>", ast.MatMult: "@"}
    return symbols.get(type(op), type(op).__name__)


_HANDLERS: dict[type[ast.AST], str] = {
    ast.Constant: "_constant",
    ast.Name: "_name",
    ast.List: "_list",
    ast.BinOp: "_binary",
    ast.UnaryOp: "_unary",
    ast.BoolOp: "_boolean",
    ast.Compare: "_compare",
    ast.IfExp: "_conditional",
    ast.Subscript: "_subscript",
    ast.Call: "_call",
}
_NOT_ALLOWED: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.Tuple: "tuples (write a list [a, b])",
    ast.Dict: "dictionaries",
    ast.Set: "sets",
    ast.JoinedStr: "f-strings",
    ast.NamedExpr: "assignment (:=)",
    ast.Starred: "unpacking (*)",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}
