"""Cloze deletions, ``{{c1::answer}}`` and ``{{c1::answer::hint}}``, read as Anki reads them.

One pass over the markers, so any text is read in linear time:

* ``{{cN::`` opens a deletion, where N is ASCII digits worth at most 65,535 (Anki's
  card numbers); ``{{c::``, ``{{cx::`` or a larger number is plain text.
* ``}}`` closes the innermost open deletion; outside any deletion it is plain text.
* Deletions nest, ten deep at most: a deeper ``{{cN::`` is dropped, and the ``}}``
  meant for it closes the tenth.
* Inside a deletion, the first ``::`` of a stretch of text (up to the next marker)
  starts the hint, which runs to that marker; a later stretch with ``::`` replaces it.
* A deletion never closed is left out, with everything after its ``{{cN::``: Anki
  shows none of it either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeAlias

MAX_NUMBER = 65_535  # Anki reads a card's number as a 16-bit unsigned integer
MAX_DEPTH = 10  # as Anki: deletions nested deeper than this are not opened
# An opener or a closer.  The digits are bounded by what follows (``::``), so a try
# costs at most the run of digits, and no character is read by two tries.
_MARKER = re.compile(r"\{\{c([0-9]+)::|\}\}")
_CLOSER = "}}"
_CLOSING = MAX_NUMBER + 1
_HINT = "::"


@dataclass(frozen=True, slots=True)
class ClozeDeletion:
    """One closed deletion: where it is (``text[start:end]``), its number, what it hides
    (text and nested deletions) and its hint (None when it gives none)."""

    start: int
    end: int
    number: int
    content: tuple[ClozePiece, ...]
    hint: str | None = None

    @property
    def answer(self) -> str:
        """The hidden text, with nested deletions' text in place of their markers."""
        return "".join(piece if isinstance(piece, str) else piece.answer for piece in self.content)


ClozePiece: TypeAlias = "str | ClozeDeletion"


class _Open:
    """A deletion being read: its pieces so far and its text not yet made a piece."""

    __slots__ = ("hint", "number", "pieces", "start", "text")

    def __init__(self, number: int, start: int) -> None:
        self.number = number
        self.start = start
        self.pieces: list[ClozePiece] = []
        self.text: list[str] = []
        self.hint: str | None = None

    def add_text(self, text: str, *, inside: bool) -> None:
        """Add one stretch of text between two markers (inside a deletion: maybe a hint)."""
        if inside and _HINT in text:
            text, self.hint = text.split(_HINT, 1)
        if text:
            self.text.append(text)

    def add(self, deletion: ClozeDeletion) -> None:
        """Add a closed deletion after the text so far."""
        self.flush()
        self.pieces.append(deletion)

    def flush(self) -> tuple[ClozePiece, ...]:
        """The pieces, the text so far joined into one."""
        if self.text:
            self.pieces.append("".join(self.text))
            self.text = []
        return tuple(self.pieces)


def parse_cloze(text: str) -> tuple[ClozePiece, ...]:
    """``text`` as plain pieces and the deletions between them, in order.

    Adjacent plain text makes one piece, so a text without deletions is one piece
    (none when empty).
    """
    if "{{c" not in text:
        return (text,) if text else ()
    top = _Open(0, 0)
    stack: list[_Open] = []
    position = 0  # where the stretch of text before the next marker starts
    for marker in _MARKER.finditer(text):
        number = _number(marker[1])
        if number < 0:
            continue  # not a card number: this "marker" is part of the text
        if marker.start() > position:
            (stack[-1] if stack else top).add_text(
                text[position : marker.start()], inside=bool(stack)
            )
        position = marker.end()
        if number != _CLOSING:
            if len(stack) < MAX_DEPTH:
                stack.append(_Open(number, marker.start()))
        elif stack:
            closing = stack.pop()
            deletion = ClozeDeletion(
                closing.start, position, closing.number, closing.flush(), closing.hint
            )
            (stack[-1] if stack else top).add(deletion)
        else:
            top.add_text(_CLOSER, inside=False)
    if not stack and position < len(text):
        top.add_text(text[position:], inside=False)
    return top.flush()  # a deletion still open is left out, with all that follows it


def _number(digits: str | None) -> int:
    """The card number of an opener's digits, ``_CLOSING`` for a closer, -1 if too large."""
    if digits is None:
        return _CLOSING
    digits = digits.lstrip("0") or "0"  # no int() of a thousand digits
    return int(digits) if len(digits) <= 5 and int(digits) <= MAX_NUMBER else -1


def cloze_deletions(text: str) -> list[ClozeDeletion]:
    """Every closed deletion of ``text``, nested ones too, in the order they open."""
    found: list[ClozeDeletion] = []
    pending = [piece for piece in reversed(parse_cloze(text)) if not isinstance(piece, str)]
    while pending:
        deletion = pending.pop()
        found.append(deletion)
        pending.extend(p for p in reversed(deletion.content) if not isinstance(p, str))
    return found
