"""Texts with placeholders: ``{name}``, ``{name!r}``, ``{= formula}``, ``{{`` and ``}}``.

A text is parsed once into literal pieces and placeholders, then rendered with
each instance's values.  Values are written for a reader: numbers as everywhere in
QuizApp (:func:`quizapp.domain.numbers.format_number`: ``8,192``, ``40,369.2``,
``0.125``), booleans as ``True``/``False`` (as in PyTorch's constructor calls) and
lists as ``[3, 4, 5]``.  ``{name!r}`` writes the value as Python source would,
without separators (``nn.Embedding({num_embeddings!r}, 64)`` → ``nn.Embedding(32000, 64)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from quizapp.domain.numbers import format_number
from quizapp.errors import UserError
from quizapp.exercises.arithmetic import Value
from quizapp.exercises.formula import Formula, compile_formula

_NAME = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(!r)?")


class TextError(UserError):
    """A question or explanation whose placeholders cannot be read."""


@dataclass(frozen=True, slots=True)
class Placeholder:
    """One ``{...}`` of a text: a name, or a formula after ``=``."""

    source: str
    name: str = ""
    formula: Formula | None = None
    python: bool = False  # ``!r``: written as Python source would


Piece = str | Placeholder


def parse_text(text: str, names: Iterable[str]) -> tuple[Piece, ...]:
    """Split ``text`` into literal pieces and placeholders that read only ``names``.

    Raises :class:`TextError` or :class:`FormulaError` naming the bad placeholder.
    """
    allowed = frozenset(names)
    pieces: list[Piece] = []
    literal: list[str] = []
    position = 0
    while position < len(text):
        character = text[position]
        if character in "{}" and text[position + 1 : position + 2] == character:
            literal.append(character)
            position += 2
        elif character == "}":
            raise TextError(f"a lone '}}' at character {position + 1}; write '}}}}' for a brace")
        elif character == "{":
            end = text.find("}", position)
            if end < 0:
                raise TextError(f"the '{{' at character {position + 1} is never closed")
            if literal:
                pieces.append("".join(literal))
                literal = []
            pieces.append(_placeholder(text[position : end + 1], allowed))
            position = end + 1
        else:
            literal.append(character)
            position += 1
    if literal:
        pieces.append("".join(literal))
    return tuple(pieces)


def _placeholder(source: str, names: frozenset[str]) -> Placeholder:
    inside = source[1:-1].strip()
    if "{" in inside:
        raise TextError(f"placeholder {source} holds a '{{'")
    if inside.startswith("="):
        return Placeholder(source, formula=compile_formula(inside[1:], names))
    match = _NAME.fullmatch(inside)
    if match is None:
        raise TextError(f"placeholder {source} is neither a name nor '= formula'")
    if match[1] not in names:
        raise TextError(f"placeholder {source} names no variable or step")
    return Placeholder(source, name=match[1], python=bool(match[2]))


def render(pieces: tuple[Piece, ...], values: Mapping[str, Value]) -> str:
    """The text with every placeholder replaced by its value."""
    parts: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            parts.append(piece)
            continue
        value = values[piece.name] if piece.formula is None else piece.formula.evaluate(values)
        parts.append(python_literal(value) if piece.python else format_value(value))
    return "".join(parts)


def format_value(value: Value) -> str:
    """A value as the learner reads it: ``55``, ``8,192``, ``0.125``, ``True``, ``[3, 4]``.

    Lists are written as code would write them, ``[1024, 4096]``: commas between the
    numbers of a list cannot also be thousands separators.
    """
    if type(value) is int:  # the common case first
        return f"{value:,}"
    if isinstance(value, bool | str):
        return str(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(python_literal(item) for item in value) + "]"
    return format_number(value)


def python_literal(value: Value) -> str:
    """A value as Python source would write it: ``32000``, ``0.5``, ``'adam'``, ``True``."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(python_literal(item) for item in value) + "]"
    if isinstance(value, float) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}" if isinstance(value, float) else str(value)
