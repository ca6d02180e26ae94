"""The text layer of the GIFT reader: lines, question blocks, escapes and located spans.

Moodle reads a GIFT file as blocks of lines separated by blank lines; each line is
trimmed, ``//`` lines are comments, and the escapes ``\\~ \\= \\# \\{ \\} \\: \\n``
are swapped for placeholders before the control characters are looked for.  We do
the same, with one-character placeholders, and keep enough bookkeeping to turn any
offset in a block back into the line and column of the file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

# PHP's trim() set: Moodle trims with it, and unlike str.strip() it keeps a no-break space.
PHP_SPACE = " \t\n\r\x00\x0b"
# Unicode noncharacters are set aside for a program's own use, which is what these are.
_PLACEHOLDERS = {
    ":": "\ufdd0",
    "#": "\ufdd1",
    "=": "\ufdd2",
    "{": "\ufdd3",
    "}": "\ufdd4",
    "~": "\ufdd5",
    "n": "\ufdd6",
}
_RESTORE = str.maketrans(
    {mark: ("\n" if char == "n" else char) for char, mark in _PLACEHOLDERS.items()}
)
_OUR_NONCHARACTERS = re.compile("[\ufdd0-\ufdd6]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ESCAPE = re.compile(r"\\[\\:#={}~n]")
_WEIGHT = re.compile(r"%(-*)(\d{1,2}\.?\d*)%")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FORMATS = {"html": True, "moodle": False, "plain": False, "markdown": False}


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, whatever the line endings (``\\r\\n``, ``\\n`` or old Mac ``\\r``)."""
    return _LINE_BREAK.split(text)


def restore(text: str) -> str:
    """``text`` with escape placeholders turned back into the characters they stand for."""
    return text.translate(_RESTORE)


def strip(text: str) -> str:
    """``text`` trimmed as Moodle trims it."""
    return text.strip(PHP_SPACE)


@dataclass(frozen=True, slots=True)
class Block:
    """The non-comment lines of one question, joined, escapes replaced by placeholders."""

    text: str
    starts: tuple[int, ...]  # offset in ``text`` where each line begins
    numbers: tuple[int, ...]  # the file line number of each line
    indents: tuple[int, ...]  # characters trimmed from each line's start
    escapes: tuple[tuple[int, ...], ...]  # per line, offsets where a two-character escape was
    comments: tuple[tuple[int, str], ...]  # (line number, text) of each ``//`` line

    def where(self, offset: int) -> tuple[int, int]:
        """The file line and 1-based column of ``offset`` in :attr:`text`."""
        if not self.numbers:
            return (self.comments[0][0] if self.comments else 1, 1)
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        within = offset - self.starts[index]
        shift = bisect.bisect_left(self.escapes[index], within)
        return self.numbers[index], self.indents[index] + within + shift + 1

    def whole(self) -> Span:
        """A span over the whole block."""
        return Span(self, 0, len(self.text))


class Span(NamedTuple):
    """A stretch of a block's text that knows where it came from; offsets are relative.

    A named tuple, not a frozen dataclass: a question makes dozens of spans, and a tuple
    is made several times faster.
    """

    block: Block
    start: int
    end: int

    @property
    def text(self) -> str:
        """The raw text, placeholders included."""
        return self.block.text[self.start : self.end]

    @property
    def line(self) -> int:
        """The file line where the span starts."""
        return self.block.where(self.start)[0]

    def column(self, offset: int = 0) -> int:
        """The file column of ``offset`` within the span."""
        return self.block.where(self.start + offset)[1]

    def line_at(self, offset: int) -> int:
        """The file line of ``offset`` within the span."""
        return self.block.where(self.start + offset)[0]

    def cut(self, begin: int, finish: int | None = None) -> Span:
        """The part from ``begin`` to ``finish`` (relative offsets, clamped)."""
        start = self.start
        length = self.end - start
        low = 0 if begin < 0 else length if begin > length else begin
        high = length if finish is None or finish > length else low if finish < low else finish
        return Span(self.block, start + low, start + high)

    def find(self, needle: str, begin: int = 0) -> int:
        """Relative offset of the first ``needle`` at or after ``begin``, or -1."""
        found = self.block.text.find(needle, self.start + begin, self.end)
        return -1 if found < 0 else found - self.start

    def rfind(self, needle: str) -> int:
        """Relative offset of the last ``needle``, or -1."""
        found = self.block.text.rfind(needle, self.start, self.end)
        return -1 if found < 0 else found - self.start

    def strip(self) -> Span:
        """The span without Moodle's trim characters at either end."""
        text = self.text
        left = len(text) - len(text.lstrip(PHP_SPACE))
        right = len(text.rstrip(PHP_SPACE))
        return self.cut(left, max(left, right))

    def pieces(self, markers: str) -> list[tuple[str, Span]]:
        """The parts that each ``markers`` character opens, with the marker ('' for the first).

        The first part is left out when it is blank, as Moodle drops an empty first answer.
        """
        text = self.text
        found = [index for index, char in enumerate(text) if char in markers]
        bounds = [0, *found, self.end - self.start]
        parts = [("", self.cut(0, bounds[1]))]
        for index, offset in enumerate(found):
            parts.append((text[offset], self.cut(offset + 1, bounds[index + 2])))
        if not strip(parts[0][1].text):
            parts.pop(0)
        return parts


def read_blocks(text: str) -> list[Block]:
    """The blank-line-separated blocks of a GIFT file, comments set aside."""
    blocks: list[Block] = []
    current: list[tuple[int, str]] = []
    for number, raw in enumerate(split_lines(text), start=1):
        if strip(raw):
            current.append((number, raw))
        elif current:
            blocks.append(_block(current))
            current = []
    if current:
        blocks.append(_block(current))
    return blocks


def _block(lines: list[tuple[int, str]]) -> Block:
    parts: list[str] = []
    starts: list[int] = []
    numbers: list[int] = []
    indents: list[int] = []
    escapes: list[tuple[int, ...]] = []
    comments: list[tuple[int, str]] = []
    offset = 0
    for number, raw in lines:
        trimmed = strip(raw)
        if trimmed.startswith("//"):
            comments.append((number, trimmed))
            continue
        line, where = _unescape(trimmed)
        starts.append(offset)
        numbers.append(number)
        indents.append(len(raw) - len(raw.lstrip(PHP_SPACE)))
        escapes.append(where)
        parts.append(line)
        offset += len(line) + 1
    return Block(
        "\n".join(parts),
        tuple(starts),
        tuple(numbers),
        tuple(indents),
        tuple(escapes),
        tuple(comments),
    )


def _unescape(line: str) -> tuple[str, tuple[int, ...]]:
    """``line`` with escapes as placeholders, and the offsets where escapes were."""
    # Our placeholders must mean only escapes; such characters in a file are not text anyway.
    line = _OUR_NONCHARACTERS.sub("\ufffd", line)
    out: list[str] = []
    where: list[int] = []
    last = 0
    # Left to right, as Moodle reads them: in \\: the pair \\ is a backslash that
    # escapes nothing, and the colon stays a control character.
    for match in _ESCAPE.finditer(line):
        out.append(line[last : match.start()])
        where.append(match.start() - len(where))
        escaped = match.group()[1]
        out.append("\\" if escaped == "\\" else _PLACEHOLDERS[escaped])
        last = match.end()
    out.append(line[last:])
    return "".join(out), tuple(where)


def has_noncharacters(text: str) -> bool:
    """Whether ``text`` holds the noncharacters the reader uses as placeholders."""
    return _OUR_NONCHARACTERS.search(text) is not None


class Piece(NamedTuple):
    """One text of a question (question, choice, feedback...), format marker read."""

    text: str
    html: bool
    line: int


def piece_from(raw: str, default_html: bool, line: int) -> Piece:
    """``raw`` with its ``[html]``/``[plain]``/... marker applied, escapes restored, trimmed."""
    raw = strip(raw)
    html = default_html
    if raw.startswith("["):
        end = raw.find("]")
        name = raw[1:end] if end > 0 else ""
        if name in _FORMATS:
            html = _FORMATS[name]
            raw = raw[end + 1 :]
    return Piece(strip(restore(raw)), html, line)


def split_weight(text: str) -> tuple[float | None, str, str]:
    """A leading ``%50%`` weight as a fraction, the rest of the text, and a problem if any.

    No weight gives ``None``; ``%-50%`` is -0.5.  Weights beyond ±100% are a problem.
    """
    match = _WEIGHT.match(text)
    if match is None:
        return None, text, ""
    dashes, digits = match.group(1), match.group(2)
    rest = text[match.end() :]
    if len(dashes) > 1:
        return None, rest, f"weight '{match.group(0)}' is not a percentage like %50% or %-50%"
    value = Decimal(digits) * (-1 if dashes else 1)
    if abs(value) > 100:
        return None, rest, f"weight '{match.group(0)}' is beyond 100%"
    # Decimal, so that %33.333% is 0.33333 and not 0.33332999999999996.
    return float(value / 100), rest, ""


def read_number(text: str) -> Decimal | None:
    """A plain decimal number such as ``-3.14`` or ``1e3`` (as PHP's is_numeric), else None.

    Decimal, so that the middle of a range 3.141..3.142 is 3.1415 and not 3.1414999...;
    the caller bounds it (a 400-digit number is a number, but out of range).
    """
    text = strip(text)
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # an exponent beyond Decimal's own: huge, or all but zero
        mantissa, _, exponent = text.lower().partition("e")
        if exponent.startswith("-"):
            return Decimal(0)
        return Decimal("-Infinity" if mantissa.startswith("-") else "Infinity")
