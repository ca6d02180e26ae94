"""Search text: wildcard patterns, and the one way texts and queries are compared.

Both the texts of the collection and what the learner types go through
:func:`comparable` (NFC, lower case), so that a search is case-insensitive for every
script, not only for a-z; :func:`folded` also drops accents and other combining
marks, as Anki's ``nc:`` does (``uber`` finds ``über``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class Wildcard(Enum):
    """``*`` (any run of characters, also none) and ``_`` (exactly one character)."""

    ANY_RUN = "*"
    ANY_ONE = "_"


GlobPart = str | Wildcard


def comparable(text: str) -> str:
    """``text`` as searches compare it: composed (NFC) and in lower case."""
    if text.isascii():
        return text.lower()  # already composed
    return unicodedata.normalize("NFC", text).lower()


def folded(text: str) -> str:
    """:func:`comparable` ``text`` without accents or other combining marks: ``über`` → ``uber``."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare).lower()


@dataclass(frozen=True, slots=True)
class Glob:
    """A text pattern: literal text and wildcards, as the learner wrote it.

    ``\\*`` and ``\\_`` in the query stand for a literal star and underscore and
    ``\\\\`` for a backslash; :meth:`parse` has already resolved them.
    """

    parts: tuple[GlobPart, ...]

    @classmethod
    def parse(cls, text: str) -> Glob:
        """The pattern of ``text``, whose only escapes left are ``\\\\``, ``\\*`` and ``\\_``."""
        parts: list[GlobPart] = []
        literal: list[str] = []
        index = 0
        while index < len(text):
            char = text[index]
            if char == "\\" and index + 1 < len(text):
                literal.append(text[index + 1])
                index += 2
                continue
            if char in "*_":
                if literal:
                    parts.append("".join(literal))
                    literal = []
                parts.append(Wildcard(char))
            else:
                literal.append(char)
            index += 1
        if literal:
            parts.append("".join(literal))
        return cls(tuple(parts))

    @classmethod
    def literal(cls, text: str) -> Glob:
        """A pattern that matches ``text`` only."""
        return cls((text,) if text else ())

    @property
    def is_literal(self) -> bool:
        """Whether the pattern has no wildcard."""
        return not any(isinstance(part, Wildcard) for part in self.parts)

    @property
    def text(self) -> str:
        """The literal text of a pattern without wildcards."""
        return "".join(part for part in self.parts if isinstance(part, str))

    def mapped(self, change: Callable[[str], str]) -> Glob:
        """The pattern with ``change`` applied to its literal text."""
        return Glob(tuple(change(part) if isinstance(part, str) else part for part in self.parts))

    def literal_runs(self) -> list[str]:
        """The stretches of literal text between wildcards, in order."""
        return [part for part in self.parts if isinstance(part, str)]

    def to_like(self) -> str:
        """The pattern for SQL ``LIKE … ESCAPE '\\'``."""
        pieces = []
        for part in self.parts:
            if part is Wildcard.ANY_RUN:
                pieces.append("%")
            elif part is Wildcard.ANY_ONE:
                pieces.append("_")
            else:
                assert isinstance(part, str)
                pieces.append(part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"))
        return "".join(pieces)

    def to_regex(self, any_one: str = ".", any_run: str = ".*") -> str:
        """A regular expression for the pattern (not anchored)."""
        pieces = []
        for part in self.parts:
            if part is Wildcard.ANY_RUN:
                pieces.append(any_run)
            elif part is Wildcard.ANY_ONE:
                pieces.append(any_one)
            else:
                assert isinstance(part, str)
                pieces.append(re.escape(part))
        return "".join(pieces)

    def matcher(self) -> re.Pattern[str]:
        """A compiled regex matching a whole text (case-insensitive, ``.`` across lines)."""
        return re.compile(f"(?:{self.to_regex()})\\Z", re.IGNORECASE | re.DOTALL)

    def __str__(self) -> str:
        pieces = []
        for part in self.parts:
            if isinstance(part, Wildcard):
                pieces.append(part.value)
            else:
                pieces.append(part.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_"))
        return "".join(pieces)
