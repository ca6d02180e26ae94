"""Moodle calculated-question formulas, rewritten in QuizApp's formula language.

Moodle writes variables as ``{x}`` and functions as PHP's (``pi()``, ``pow(a, b)``);
QuizApp's formulas use bare names, ``pi`` and ``a ** b``.  This module only
translates the text: :mod:`quizapp.exercises` evaluates it.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Collection
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)
      | \{(?P<variable>[A-Za-z_]\w*)\}
      | (?P<name>[A-Za-z_]\w*)
      | (?P<operator>\*\*|[-+*/%(),])
    )""",
    re.VERBOSE | re.ASCII,
)
MAX_NESTING = 50
NAME = re.compile(r"[A-Za-z_]\w*", re.ASCII)
# Functions that keep their name and take this many arguments (low, high; None: any).
_SAME_NAME: dict[str, tuple[int, int | None]] = {
    "sqrt": (1, 1),
    "abs": (1, 1),
    "exp": (1, 1),
    "log10": (1, 1),
    "sin": (1, 1),
    "cos": (1, 1),
    "tan": (1, 1),
    "floor": (1, 1),
    "ceil": (1, 1),
    "round": (1, 2),
    "min": (1, None),
    "max": (1, None),
}
FUNCTIONS = frozenset({*_SAME_NAME, "pi", "pow", "log"})


class FormulaError(Exception):
    """A formula QuizApp cannot take over; the message is fit for the user."""


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class _Part:
    """A translated piece of formula; ``atomic`` if it needs no parentheses as an operand."""

    text: str
    atomic: bool


def reserved_name(name: str) -> bool:
    """Whether ``name`` cannot be a variable (a function's name or a Python keyword)."""
    return name.lower() in FUNCTIONS or keyword.iskeyword(name)


def translate_formula(formula: str, variables: Collection[str]) -> str:
    """``formula`` in QuizApp's syntax; raises :class:`FormulaError` naming the problem.

    Every ``{name}`` must be one of ``variables``.
    """
    translator = _Translator(_tokens(formula), variables, formula)
    part = translator.sequence()
    if translator.position < len(translator.tokens):
        raise FormulaError(f"unexpected '{translator.tokens[translator.position].text}'")
    return part.text


def _tokens(formula: str) -> list[_Token]:
    tokens = []
    position = 0
    end = len(formula.rstrip())
    while position < end:
        match = _TOKEN.match(formula, position)
        if match is None or match.lastgroup is None:
            rest = formula[position:].strip()
            hint = " (use pow(a, b) for a power)" if rest.startswith("^") else ""
            raise FormulaError(f"cannot read the formula from '{rest[:20]}'{hint}")
        tokens.append(_Token(match.lastgroup, match.group(match.lastgroup)))
        position = match.end()
    return tokens


class _Translator:
    def __init__(self, tokens: list[_Token], variables: Collection[str], formula: str) -> None:
        self.tokens = tokens
        self.variables = variables
        self.formula = formula
        self.position = 0
        self.depth = 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def sequence(self) -> _Part:
        """Operands and operators up to an unmatched ``)`` or ``,`` (not consumed)."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise FormulaError(f"the formula nests more than {MAX_NESTING} levels deep")
        pieces: list[str] = []
        expect_operand = True
        while (token := self._peek()) is not None and token.text not in (")", ","):
            self.position += 1
            if token.kind == "operator" and token.text != "(":
                pieces.append(self._operator(token, expect_operand))
                expect_operand = True
                continue
            if not expect_operand:
                raise FormulaError(f"an operator is missing before '{token.text}'")
            pieces.append(self._operand(token))
            expect_operand = False
        if expect_operand:
            raise FormulaError(f"the formula '{self.formula.strip()}' is incomplete")
        self.depth -= 1
        return _Part("".join(pieces), atomic=len(pieces) == 1)

    def _operator(self, token: _Token, expect_operand: bool) -> str:
        if not expect_operand:
            return f" {token.text} "
        if token.text in ("-", "+"):
            return token.text
        raise FormulaError(f"'{token.text}' has nothing before it")

    def _operand(self, token: _Token) -> str:
        if token.kind == "number":
            return token.text
        if token.kind == "variable":
            if token.text not in self.variables:
                raise FormulaError(f"{{{token.text}}} is not one of the question's datasets")
            return token.text
        if token.text == "(":
            inner = self.sequence()
            self._expect(")")
            return f"({inner.text})"
        return self._call(token.text)

    def _expect(self, text: str) -> None:
        token = self._peek()
        if token is None or token.text != text:
            raise FormulaError(f"'{text}' is missing in '{self.formula.strip()}'")
        self.position += 1

    def _call(self, name: str) -> str:
        function = name.lower()
        token = self._peek()
        if token is None or token.text != "(":
            raise FormulaError(f"'{name}' is neither a {{variable}} nor a function call")
        if function not in FUNCTIONS:
            raise FormulaError(f"the function '{name}' is not one QuizApp can compute")
        self.position += 1
        arguments = self._arguments()
        return _function(function, arguments)

    def _arguments(self) -> list[_Part]:
        arguments: list[_Part] = []
        if (token := self._peek()) is not None and token.text == ")":
            self.position += 1
            return arguments
        while True:
            arguments.append(self.sequence())
            token = self._peek()
            self._expect(")" if token is None or token.text != "," else ",")
            if token is None or token.text == ")":
                return arguments


def _wrapped(part: _Part) -> str:
    return part.text if part.atomic else f"({part.text})"


def _function(name: str, arguments: list[_Part]) -> str:
    count = len(arguments)
    low, high = {"pi": (0, 0), "pow": (2, 2), "log": (1, 2)}.get(name) or _SAME_NAME[name]
    if count < low or (high is not None and count > high):
        wanted = f"{low}" if low == high else f"{low} to {high or 'any number of'}"
        raise FormulaError(f"{name}() takes {wanted} arguments, not {count}")
    if name == "pi":
        return "pi"
    if name == "pow":
        return f"({_wrapped(arguments[0])} ** {_wrapped(arguments[1])})"
    if name == "log" and count == 2:
        # PHP's log(x, base); QuizApp's log is the natural logarithm.
        return f"(log({arguments[0].text}) / log({arguments[1].text}))"
    return f"{name}({', '.join(argument.text for argument in arguments)})"
