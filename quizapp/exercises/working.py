r"""The working of an explanation: its equations found, and checked to hold.

An equation is a run such as ``10 × 5 + 5 = 55``, ``(64 ÷ 4 = 16)`` or
``512² = 262,144``: sides of numbers (``1,024`` or ``0.5``, maybe squared or
cubed, maybe in brackets) joined by ``+ - × * / ÷ · −``, separated by ``=``.
It is what this pattern finds, left to right::

    (?<![\w.,\-−])SIDE(?:=\s*SIDE)+(?![\w.,]\d|\w)
    SIDE    = -?OPERAND(?:[-+×*/÷·−]OPERAND)*
    OPERAND = [(\s]*NUMBER[²³]?[)\s]*
    NUMBER  = \d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?

but a regular expression engine tries that pattern again from every start, and
every split of the spaces between its parts, which on ``1+1+…+1`` or on ``=``
followed by spaces takes time growing with the square or the cube of the text.
:func:`equations` reads each chain of operands once instead, with a pattern that
cannot go back (:data:`_CHAIN`), and reads the match from any start off the chain.
Why that gives the same matches: after a number, only one of the ends NUMBER
could take can be followed by what may follow an operand (neither a digit nor
``.`` or ``,`` before one); the brackets and spaces around a number can only be
taken whole; so from a start the pattern takes the whole chain that follows, and
when what comes after the chain forbids an end there, it ends one closing bracket
or space earlier, or else before the last operand (if an ``=`` is still left).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from quizapp.exercises.arithmetic import Value
from quizapp.exercises.formula import FormulaError, compile_formula

# Where an equation can be: a stretch of nothing but the characters it is made of, cut
# where a "." or "," is not before a digit (no number holds it; nothing may start just
# after it), and holding an "=" with a number after it.
_STRETCH = re.compile(r"[\d\s()²³=.,+\-×*/÷·−]+")
_BREAK = re.compile(r"[.,](?!\d)")
_EQUALS_NUMBER = re.compile(r"=\s*+-?[(\s]*+\d")
# Each of these is matched where it must start, and none can go back past a bracket,
# a space or a joint it has taken.
_START = re.compile(r"(?<![\w.,\-−])[-(\s\d]")
_BEFORE_NUMBER = re.compile(r"[(\s]*+")
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![.,]?\d)[²³]?"
_CHAIN = re.compile(
    rf"(?P<first>{_NUMBER})[)\s]*+"
    rf"(?:(?P<joint>[-+×*/÷·−]|=\s*+-?)[(\s]*+(?P<last>{_NUMBER})[)\s]*+)*+"
)
_SYMBOLS = str.maketrans({"×": "*", "·": "*", "÷": "/", "−": "-"})
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")


def equations(text: str) -> list[str]:
    """The arithmetic equations in a rendered text, such as ``10 × 5 + 5 = 55``."""
    found: list[str] = []
    for stretch in _STRETCH.finditer(text):
        start, end = stretch.span()
        blocked = start > 0 and _is_word(text[start - 1])
        for cut in _BREAK.finditer(text, start, end):
            found.extend(_part_equations(text[start : cut.start()], blocked, ending=True))
            start, blocked = cut.end(), True
        ending = end == len(text) or not _is_word(text[end])
        found.extend(_part_equations(text[start:end], blocked, ending=ending))
    return found


@lru_cache(maxsize=256)
def _part_equations(part: str, blocked: bool, *, ending: bool) -> tuple[str, ...]:
    """The equations of one part of a stretch: what is around it matters only as far as
    whether an equation may start at its start (``blocked``) and end at its end.

    Remembered: the instances of a template repeat most of their working.
    """
    if not _EQUALS_NUMBER.search(part):
        return ()
    before, after = ("a" if blocked else ""), ("" if ending else "a")
    return tuple(_Scanner(before + part + after).equations(len(before), len(before + part)))


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


def result(equation: str) -> float | None:
    """The value of the last side of ``equation`` (where its working ends), if plain."""
    last = equation.rsplit("=", 1)[-1].strip()
    return _side_value(_without_outer(last[::-1], ")", "(")[::-1])


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
    """Operands joined by operators and ``=``, from ``start`` (a number's first digit) to
    ``end`` (after the last operand's closing brackets and spaces).

    ``number_end``: where the last number (and its power) ends; ``joint``: where the
    last joint is (-1 if there is one operand); ``last_equals`` and
    ``equals_before_joint``: the last ``=`` of the chain, and the last before that
    joint (-1 if none).  From any operand on, the rest of the chain is its chain.
    """

    start: int
    end: int
    number_end: int
    joint: int
    last_equals: int
    equals_before_joint: int


class _Scanner:
    """The equations of one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._chain: _Chain | None = None  # the last one read

    def equations(self, start: int, end: int) -> list[str]:
        """The equations that start in ``text[start:end]``, in order."""
        text = self.text
        found = []
        position = start
        while (candidate := _START.search(text, position, end)) is not None:
            position = candidate.start()
            first = position + 1 if text[position] == "-" else position
            digit = _run_end(_BEFORE_NUMBER, text, first)
            chain = self._chain_at(digit) if digit < end else None
            if chain is None:  # the brackets and spaces from here lead to no number
                position = max(position + 1, digit)
                continue
            match_end = self._end(chain, digit)
            if match_end is None:  # nor will any later start in this chain
                position = chain.end
                continue
            found.append(text[position:match_end].strip())
            position = match_end
        return found

    def _chain_at(self, digit: int) -> _Chain | None:
        """The chain from the operand whose number starts at ``digit``, if one does."""
        text = self.text
        known = self._chain
        if known is not None and known.start <= digit < known.end and text[digit].isdecimal():
            return known  # an operand of the chain read last: the rest of it
        match = _CHAIN.match(text, digit)
        if match is None:
            return None
        end = match.end()
        joint = match.start("joint")
        number_end = match.end("last") if joint >= 0 else match.end("first")
        self._chain = _Chain(
            digit,
            end,
            number_end,
            joint,
            text.rfind("=", digit, end),
            text.rfind("=", digit, joint) if joint >= 0 else -1,
        )
        return self._chain

    def _end(self, chain: _Chain, digit: int) -> int | None:
        """Where the match from the operand at ``digit`` of ``chain`` ends, if it has one."""
        if chain.last_equals < digit:
            return None  # no "=" from here on
        if self._may_end(chain.end):
            return chain.end
        if chain.end > chain.number_end:  # one closing bracket or space fewer
            return chain.end - 1
        if chain.joint > digit and chain.equals_before_joint >= digit:
            return chain.joint  # before the last operand
        return None

    def _may_end(self, position: int) -> bool:
        """Whether a match may end here: not before a letter, a digit or ``.5``/``,5``."""
        text = self.text
        if position >= len(text):
            return True
        character = text[position]
        if _is_word(character):
            return False
        return not (character in ".," and text[position + 1 : position + 2].isdecimal())


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"


def _run_end(pattern: re.Pattern[str], text: str, position: int) -> int:
    """Where ``pattern``, which matches the empty string too, stops matching from ``position``."""
    match = pattern.match(text, position)
    assert match is not None
    return match.end()
