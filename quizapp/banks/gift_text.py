"""The text layer of the GIFT reader: question blocks, escapes, and where an offset is.

Moodle reads a GIFT file as blocks of lines separated by blank lines; each line is
trimmed, ``//`` lines are comments, and the escapes ``\\~ \\= \\# \\{ \\} \\: \\n``
are swapped for placeholders before the control characters are looked for.  We do
the same, with one-character placeholders, in a few C-level passes over each block
(a search for the blank lines between blocks, one substitution that trims every line,
one for the escapes), so that Python code touches a question once, not each character
or line of it.  The line and column of an offset in a block are needed only for a
message: they are worked out then, by reading that block's lines one by one.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
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
# "\\" is a backslash that escapes nothing; the others become their placeholder.
_MARKS = {"\\" + char: mark for char, mark in _PLACEHOLDERS.items()} | {"\\\\": "\\"}
_OUR_NONCHARACTERS = re.compile("[\ufdd0-\ufdd6]")
_ESCAPE = re.compile(r"\\[\\:#={}~n]")
# One or more blank lines (nothing but trim characters) after a line break: what
# separates two blocks.  Possessive, so a long run of spaces is read once.
_BLANK_LINES = re.compile(r"\n(?:[ \t\x00\x0b]*+\n)++")
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t\x00\x0b]*+\n)*+")
_WEIGHT = re.compile(r"%(-*)(\d{1,2}\.?\d*)%")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FORMATS = {"html": True, "moodle": False, "plain": False, "markdown": False}
_LINE_TAGS = re.compile(r"<br\s*/?>|</(p|div|li|tr|h\d)>", re.IGNORECASE)
_LABEL_LENGTH = 40


def normalize_line_breaks(text: str) -> str:
    """``text`` with ``\\r\\n`` and old Mac ``\\r`` line breaks as ``\\n``: one per line."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def restore(text: str) -> str:
    """``text`` with escape placeholders turned back into the characters they stand for."""
    return text if text.isascii() else text.translate(_RESTORE)


def strip(text: str) -> str:
    """``text`` trimmed as Moodle trims it."""
    return text.strip(PHP_SPACE)


def leading_space(text: str) -> int:
    """How many trim characters ``text`` starts with (all of it when it is blank)."""
    return len(text) - len(text.lstrip(PHP_SPACE))


def trimmed(text: str, at: int) -> tuple[str, int]:
    """``text`` (found at offset ``at``) trimmed, and the offset where what is left starts."""
    left = leading_space(text)
    return text[left:].rstrip(PHP_SPACE), at + left


def has_noncharacters(text: str) -> bool:
    """Whether ``text`` holds the noncharacters the reader uses as placeholders."""
    # Seven searches for one character: instant in a text of Latin-1 characters only.
    return any(mark in text for mark in _PLACEHOLDERS.values())


class Block:
    """The lines of one question: its non-comment lines trimmed and joined, escapes
    replaced by placeholders (:attr:`text`), and its ``//`` comments.

    Offsets in :attr:`text` are turned into file lines and columns by :meth:`where`,
    which reads the block's lines again the first time it is asked.
    """

    __slots__ = ("_first", "_lines", "_raw", "comments", "line", "text")

    def __init__(
        self, text: str, line: int, comments: tuple[tuple[int, str], ...], raw: str, first: int
    ) -> None:
        self.text = text
        self.line = line  # the file line of the text's start (of the first comment if none)
        self.comments = comments  # (line number, trimmed text) of each ``//`` line
        self._raw = raw  # the block as in the file, line breaks normalized
        self._first = first  # the file line of its first line
        self._lines: _Lines | None = None

    def where(self, offset: int) -> tuple[int, int]:
        """The file line and 1-based column of ``offset`` in :attr:`text`."""
        lines = self._lines
        if lines is None:
            lines = self._lines = _Lines(self._raw, self._first)
        return lines.where(offset)

    def line_at(self, offset: int) -> int:
        """The file line of ``offset`` in :attr:`text`."""
        if self.text.find("\n", 0, offset) < 0:
            return self.line  # on the text's first line: no need to read the lines again
        return self.where(offset)[0]

    def column(self, offset: int) -> int:
        """The file column of ``offset`` in :attr:`text`."""
        return self.where(offset)[1]


class _Lines:
    """Where each line of a block's text came from: its file line, the characters trimmed
    from its start and the places two characters of the file became one (an escape)."""

    def __init__(self, raw: str, first: int) -> None:
        self.starts: list[int] = []  # offset in the block's text where each line begins
        self.numbers: list[int] = []
        self.indents: list[int] = []
        self.escapes: list[list[int]] = []  # per line, where an escape's two characters were
        self.comment_line = 0
        offset = 0
        for number, line in enumerate(raw.split("\n"), start=first):
            trimmed = strip(line)
            if trimmed.startswith("//"):
                self.comment_line = self.comment_line or number
                continue
            where: list[int] = []
            for match in _ESCAPE.finditer(trimmed):
                where.append(match.start() - len(where))
            self.starts.append(offset)
            self.numbers.append(number)
            self.indents.append(leading_space(line))
            self.escapes.append(where)
            offset += len(trimmed) - len(where) + 1

    def where(self, offset: int) -> tuple[int, int]:
        if not self.numbers:
            return (self.comment_line or 1, 1)
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        within = offset - self.starts[index]
        shift = bisect.bisect_left(self.escapes[index], within)
        return self.numbers[index], self.indents[index] + within + shift + 1


def read_blocks(text: str, placeholders: bool) -> Iterator[Block]:
    """The blank-line-separated blocks of a GIFT file (line breaks already ``\\n``);
    ``placeholders`` says whether it holds the characters the reader uses as such."""
    line = 1
    start = 0
    for separator in _BLANK_LINES.finditer(text):
        if separator.start() > start:
            block = _block(text, start, separator.start(), line, placeholders)
            if block.text or block.comments:  # the file's blank start is no block
                yield block
        line += text.count("\n", start, separator.end())
        start = separator.end()
    if start < len(text):
        block = _block(text, start, len(text), line, placeholders)
        if block.text or block.comments:
            yield block


def _block(text: str, start: int, end: int, first: int, placeholders: bool) -> Block:
    """The block of the lines ``text[start:end]``, the first of them on file line ``first``."""
    # Blank lines that no separator took can only be at the file's start and end.
    skipped = _LEADING_BLANK_LINES.match(text, start, end).end()  # type: ignore[union-attr]
    if skipped > start:
        first += text.count("\n", start, skipped)
    raw = text[skipped:end].rstrip(PHP_SPACE)
    comments: tuple[tuple[int, str], ...] = ()
    body, line = raw, first
    if "//" in raw:
        body, line, comments = _without_comments(raw, first)
    if "\n" in body:
        body = "\n".join([line.strip(PHP_SPACE) for line in body.split("\n")])
    else:
        body = body.strip(PHP_SPACE)
    if placeholders:
        # Our placeholders must mean only escapes; such characters in a file are not text.
        body = _OUR_NONCHARACTERS.sub("\ufffd", body)
    if "\\" in body:
        # Left to right, as Moodle reads them: in \\: the pair \\ is a backslash that
        # escapes nothing, and the colon stays a control character.
        body = _ESCAPE.sub(_mark, body)
    return Block(body, line, comments, raw, first)


def _mark(match: re.Match[str]) -> str:
    return _MARKS[match.group()]


def _without_comments(raw: str, first: int) -> tuple[str, int, tuple[tuple[int, str], ...]]:
    """The lines of ``raw`` that are not ``//`` comments, the file line of the first of them
    (of the first comment if none), and the comments with their lines."""
    kept: list[str] = []
    comments: list[tuple[int, str]] = []
    line = 0
    for number, text in enumerate(raw.split("\n"), start=first):
        trimmed = strip(text)
        if trimmed.startswith("//"):
            comments.append((number, trimmed))
        else:
            kept.append(text)
            line = line or number
    return "\n".join(kept), line or first, tuple(comments)


class Piece(NamedTuple):
    """One text of a question (question, choice, feedback...), format marker read;
    ``at`` is where it is written, an offset in its block's text."""

    text: str
    html: bool
    at: int


def piece_from(raw: str, default_html: bool, at: int) -> Piece:
    """``raw`` with its ``[html]``/``[plain]``/... marker applied, escapes restored, trimmed."""
    raw = raw.strip(PHP_SPACE)
    is_html = default_html
    if raw.startswith("["):
        end = raw.find("]")
        name = raw[1:end] if end > 0 else ""
        if name in _FORMATS:
            is_html = _FORMATS[name]
            raw = raw[end + 1 :]
    if not raw.isascii():  # an ASCII text holds no placeholder
        raw = raw.translate(_RESTORE)
    return Piece(raw.strip(PHP_SPACE), is_html, at)


def split_weight(text: str) -> tuple[float | None, str, str]:
    """A leading ``%50%`` weight as a fraction, the rest of the text, and a problem if any.

    No weight gives ``None``; ``%-50%`` is -0.5.  Weights beyond ±100% are a problem.
    """
    if not text.startswith("%"):
        return None, text, ""
    match = _WEIGHT.match(text)
    if match is None:
        return None, text, ""
    written = match.group(0)
    known = _WEIGHTS.get(written)
    if known is None:
        known = _weight(match.group(1), match.group(2), written)
        if len(written) <= 12 and len(_WEIGHTS) < 1000:  # a file uses a few, over and over
            _WEIGHTS[written] = known
    return known[0], text[match.end() :], known[1]


_WEIGHTS: dict[str, tuple[float | None, str]] = {}


def _weight(dashes: str, digits: str, written: str) -> tuple[float | None, str]:
    if len(dashes) > 1:
        return None, f"weight '{written}' is not a percentage like %50% or %-50%"
    value = Decimal(digits) * (-1 if dashes else 1)
    if abs(value) > 100:
        return None, f"weight '{written}' is beyond 100%"
    # Decimal, so that %33.333% is 0.33333 and not 0.33332999999999996.
    return float(value / 100), ""


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


def question_label(title: str, text: str) -> str:
    """How messages name a question: its title, else the first words of its text."""
    if title:
        return f"question '{title}'"
    words = visible_words(restore(text.split("{", 1)[0]))
    if len(words) > _LABEL_LENGTH:
        words = words[: _LABEL_LENGTH - 1].rstrip() + "…"
    return f"question '{words}'" if words else "question"


def visible_words(text: str) -> str:
    """The words of an HTML fragment, one space apart: ``html_to_text`` with its spaces
    joined, in one pass (its tag pattern rescans a text full of '<' from each one)."""
    text = _LINE_TAGS.sub("\n", text)
    kept: list[str] = []
    at = 0
    while (opening := text.find("<", at)) >= 0:
        closing = text.find(">", opening + 1)
        if closing < 0:
            break  # no tag can close after here: the rest is text
        if closing == opening + 1:  # "<>" is no tag
            kept.append(text[at : opening + 1])
            at = opening + 1
            continue
        kept.append(text[at:opening])
        at = closing + 1
    kept.append(text[at:])
    return " ".join(html.unescape("".join(kept)).split())
