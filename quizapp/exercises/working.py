"""The working of an explanation: its equations found, and checked to hold.

An equation is a run such as ``10 × 5 + 5 = 55``, ``(64 ÷ 4 = 16)`` or
``512² = 262,144``: sides of numbers (``1,024`` or ``0.5``, maybe squared or
cubed, maybe in brackets) joined by ``+ - × * / ÷ · −``, separated by ``=``.
It is what this pattern finds, left to right::

    (?<![\\w.,\\-−])SIDE(?:=\\s*SIDE)+(?![\\w.,]\\d|\\w)
    SIDE    = -?OPERAND(?:[-+×*/÷·−]OPERAND)*
    OPERAND = [(\\s]*NUMBER[²³]?[)\\s]*
    NUMBER  = \\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?

but a regular expression engine tries such a pattern again from every start and
every split of the spaces between its parts, which on ``1+1+…+1`` or on ``=``
followed by spaces takes time that grows with the square or the cube of the text.
:func:`equations` reads each stretch of arithmetic once instead: the chain of
operands that follows each number is worked out once and remembered, and the
match from any start is read off it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from quizapp.exercises.arithmetic import Value
from quizapp.exercises.formula import FormulaError, compile_formula

_OPERATORS = frozenset("-+×*/÷·−")
# Where an equation can be: a stretch of nothing but the characters it is made of, with
# an "=" and a number after it.
_STRETCH = re.compile(r"[\d\s()²³=.,+\-×*/÷·−]+")
_EQUALS_NUMBER = re.compile(r"=\s*+-?[(\s]*+\d")
# Matched at known places, each within its own run of characters.  Of the ends NUMBER
# could take, only one can be followed by what may follow an operand (neither a digit
# nor "." or "," before one): the operand takes that one.
_START = re.compile(r"(?<![\w.,\-−])[-(\s\d]")
_BEFORE_NUMBER = re.compile(r"[(\s]*+")
_AFTER_EQUALS = re.compile(r"\s*+-?[(\s]*+")
_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![.,]?\d)[²³]?")
_AFTER_NUMBER = re.compile(r"[)\s]*+")
_SYMBOLS = str.maketrans({"×": "*", "·": "*", "÷": "/", "−": "-"})
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")


def equations(text: str) -> list[str]:
    """The arithmetic equations in a rendered text, such as ``10 × 5 + 5 = 55``."""
    found: list[str] = []
    for stretch in _STRETCH.finditer(text):
        if _EQUALS_NUMBER.search(stretch[0]):
            start, end = stretch.span()
            after_word = start > 0 and _is_word(text[start - 1])
            before_word = end < len(text) and _is_word(text[end])
            found.extend(_stretch_equations(stretch[0], after_word, before_word))
    return found


@lru_cache(maxsize=256)
def _stretch_equations(stretch: str, after_word: bool, before_word: bool) -> tuple[str, ...]:
    """The equations of one stretch, which only the words on either side can change.

    Remembered: the instances of a template repeat most of their working.
    """
    before, after = ("a" if after_word else ""), ("a" if before_word else "")
    return tuple(_Scanner(before + stretch + after).equations(len(before), len(before + stretch)))


@lru_cache(maxsize=1024)
def holds(equation: str) -> bool:
    """Whether every side of ``equation`` has the same value (to six significant digits).

    Remembered, as the instances of a template repeat much of their working.
    """
    sides = [side.strip() for side in equation.split("=")]
    # The text around may open a bracket before the equation and close it after.
    sides[0] = _without_outer(sides[0], "(", ")")
    sides[-1] = _without_outer(sides[-1][::-1], ")", "(")[::-1]
    values = [_side_value(side) for side in sides]
    known = [value for value in values if value is not None]
    if len(known) < len(values):
        # Not plain arithmetic, e.g. "Linear(10, 5) = 55" read from "5)": not ours to judge.
        return True
    first = known[0]
    return all(abs(value - first) <= 1e-5 * max(abs(value), abs(first)) + 1e-9 for value in known)


def _without_outer(side: str, opening: str, closing: str) -> str:
    """``side`` without the leading ``opening`` brackets that nothing in it closes."""
    extra = side.count(opening) - side.count(closing)
    start = 0
    while extra > 0 and side.startswith(opening, start):
        start += 1
        extra -= 1
        while start < len(side) and side[start].isspace():
            start += 1
    return side[start:]


@lru_cache(maxsize=4096)
def _side_value(side: str) -> float | None:
    text = _THOUSANDS.sub("", side).translate(_SYMBOLS)
    text = text.replace("²", "**2").replace("³", "**3")
    if text.count("(") != text.count(")"):
        return None
    try:
        value: Value = compile_formula(text, ()).evaluate({})
    except FormulaError:
        return None
    return None if isinstance(value, bool) or not isinstance(value, int | float) else value


@dataclass(frozen=True, slots=True)
class _Chain:
    """What follows the operand whose number starts at some digit, to the chain's end.

    ``last_number_end`` and ``last_end``: where the last operand's number (and its
    power) ends, and where its closing brackets and spaces end; ``before_last_end``:
    where the operand before it ends (-1 if none); ``has_equals``: an ``=`` joins two
    of the operands; ``equals_before_last``: one does before the last operand.
    """

    last_number_end: int
    last_end: int
    before_last_end: int
    has_equals: bool
    equals_before_last: bool


class _Scanner:
    """The equations of one text, read stretch by stretch."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.chains: dict[int, _Chain | None] = {}  # by the digit a number starts at
        self.operands: dict[int, tuple[int, int] | None] = {}

    def equations(self, start: int, end: int) -> list[str]:
        """The equations in ``text[start:end]``, a stretch of arithmetic characters."""
        text = self.text
        found = []
        position = start
        while (candidate := _START.search(text, position, end)) is not None:
            position = candidate.start()
            first = position + 1 if text[position] == "-" else position
            digit = _run_end(_BEFORE_NUMBER, text, first)
            chain = self._chain(digit) if digit < end else None
            match_end = None if chain is None else self._end(chain)
            if match_end is not None:
                found.append(text[position:match_end].strip())
                position = match_end
            elif chain is not None:  # every start from here to the number leads to it
                position = digit + 1
            else:  # the brackets and spaces from here lead to no number
                position = max(position + 1, digit)
        return found

    def _end(self, chain: _Chain) -> int | None:
        """Where the match that starts with this chain ends, or None if there is none."""
        if not chain.has_equals:
            return None
        if self._may_end(chain.last_end):
            return chain.last_end
        if chain.last_end > chain.last_number_end:  # one bracket or space fewer
            return chain.last_end - 1
        return chain.before_last_end if chain.equals_before_last else None

    def _may_end(self, position: int) -> bool:
        """Whether a match may end here: not before a letter, a digit or ``.5``/``,5``."""
        text = self.text
        if position >= len(text):
            return True
        character = text[position]
        if _is_word(character):
            return False
        return not (character in ".," and text[position + 1 : position + 2].isdecimal())

    def _chain(self, digit: int) -> _Chain | None:
        """The chain of operands from the number at ``digit``, None if none starts there.

        Each chain is worked out once: following one stops at a chain already known.
        """
        first = digit
        links: list[tuple[int, int, str, int]] = []  # digit, operand end, joint, next digit
        while digit not in self.chains:
            operand = self._operand(digit)
            if operand is None:  # only the first can fail: _next checks the others
                self.chains[digit] = None
                break
            joint, following = self._next(operand[1])
            if following < 0:
                self.chains[digit] = _Chain(*operand, -1, False, False)
                break
            links.append((digit, operand[1], joint, following))
            digit = following
        for digit, operand_end, joint, following in reversed(links):
            after = self.chains[following]
            assert after is not None  # the operand there was read
            single = after.before_last_end < 0  # the next operand is the last
            self.chains[digit] = _Chain(
                after.last_number_end,
                after.last_end,
                operand_end if single else after.before_last_end,
                joint == "=" or after.has_equals,
                not single and (joint == "=" or after.equals_before_last),
            )
        return self.chains[first]

    def _next(self, position: int) -> tuple[str, int]:
        """What joins the operand ending here to the next: ``=`` or an operator and the
        digit that operand's number starts at, or ``("", -1)`` if nothing does."""
        text = self.text
        if position >= len(text):
            return "", -1
        joint = text[position]
        if joint in _OPERATORS:
            digit = _run_end(_BEFORE_NUMBER, text, position + 1)
        elif joint == "=":
            digit = _run_end(_AFTER_EQUALS, text, position + 1)
        else:
            return "", -1
        return (joint, digit) if self._operand(digit) is not None else ("", -1)

    def _operand(self, digit: int) -> tuple[int, int] | None:
        """Where the operand whose number starts at ``digit`` ends: after its number and
        power, and after its closing brackets and spaces; None if no number starts there."""
        if digit in self.operands:
            return self.operands[digit]
        number = _NUMBER.match(self.text, digit)
        if number is None:
            operand = None
        else:
            operand = number.end(), _run_end(_AFTER_NUMBER, self.text, number.end())
        self.operands[digit] = operand
        return operand


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"


def _run_end(pattern: re.Pattern[str], text: str, position: int) -> int:
    """Where ``pattern``, which matches the empty string too, stops matching from ``position``."""
    match = pattern.match(text, position)
    assert match is not None
    return match.end()
