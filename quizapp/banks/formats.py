"""Which parser reads a file, and the limits every parser works within."""

from __future__ import annotations

import importlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from quizapp.banks import bounds
from quizapp.banks.bounds import too_many_notes
from quizapp.banks.errors import MAX_LISTED_ISSUES, BankError, bounded_issues
from quizapp.domain import BankFormat, ImportBatch, ImportIssue

# Text banks larger than this are refused before they are read: no honest bank of
# questions is that big, and a hostile one should not take the memory.
MAX_TEXT_BANK_BYTES = 64 * 1024 * 1024
# Packages carry media, so they may be larger; their contents are limited separately.
MAX_PACKAGE_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """What the user chose about an import; parsers ignore what does not apply to them."""

    # Every note goes to this deck (else the file's own decks); applied by read_bank
    # after parsing, so parsers never look at it.
    deck: str | None = None
    separator: str | None = None  # CSV/TSV/Quizlet field separator, else sniffed


Parser = Callable[[bytes, str, ParseOptions], ImportBatch]
_PARSERS: dict[BankFormat, tuple[str, str]] = {
    BankFormat.YAML: ("quizapp.banks.native", "parse_native_bytes"),
    BankFormat.CSV: ("quizapp.banks.csv_text", "parse_csv"),
    BankFormat.XLSX: ("quizapp.banks.xlsx", "parse_xlsx"),
    BankFormat.GIFT: ("quizapp.banks.gift", "parse_gift"),
    BankFormat.MOODLE_XML: ("quizapp.banks.moodle_xml", "parse_moodle_xml"),
    BankFormat.APKG: ("quizapp.banks.apkg", "parse_apkg"),
}
_BY_SUFFIX = {
    ".yaml": BankFormat.YAML,
    ".yml": BankFormat.YAML,
    ".csv": BankFormat.CSV,
    ".tsv": BankFormat.CSV,
    ".txt": BankFormat.CSV,
    ".xlsx": BankFormat.XLSX,
    ".gift": BankFormat.GIFT,
    ".xml": BankFormat.MOODLE_XML,
    ".apkg": BankFormat.APKG,
    ".colpkg": BankFormat.APKG,
}


def parser_for(bank_format: BankFormat) -> Parser:
    """The parse function of ``bank_format`` (its module is loaded on first use)."""
    module_name, function_name = _PARSERS[bank_format]
    parser: Parser = getattr(importlib.import_module(module_name), function_name)
    return parser


def detect_format(path: Path, head: bytes) -> BankFormat:
    """The format of ``path`` from its first bytes, else from its name."""
    if head.startswith(b"PK\x03\x04"):
        return BankFormat.XLSX if path.suffix.lower() == ".xlsx" else BankFormat.APKG
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<?xml") or text.startswith(b"<quiz"):
        return BankFormat.MOODLE_XML
    if b"quizapp_bank:" in head:
        return BankFormat.YAML
    by_name = _BY_SUFFIX.get(path.suffix.lower())
    if by_name is not None:
        if by_name is BankFormat.CSV and path.name.lower().endswith(".gift.txt"):
            return BankFormat.GIFT
        return by_name
    if b"::" in head and b"{" in head:
        return BankFormat.GIFT
    return BankFormat.CSV


def read_bank(
    path: Path, bank_format: BankFormat | None = None, options: ParseOptions | None = None
) -> ImportBatch:
    """Read and parse the bank at ``path``; raises :class:`BankError` naming every problem.

    The chosen deck (``options.deck``) is applied here, once, for every format; at most
    :data:`MAX_LISTED_ISSUES` warnings are kept, then one line counts the rest.  A file
    of more than :data:`~quizapp.banks.bounds.MAX_NOTES` notes is refused (the text
    formats refuse it while reading, as soon as they pass the bound).
    """
    options = options or ParseOptions()
    chosen, data = _read_file(path, bank_format)
    batch = parser_for(chosen)(data, str(path), options)
    del data
    if len(batch.notes) > bounds.MAX_NOTES:  # for a parser that does not count as it reads
        raise too_many_notes(str(path), batch.notes[bounds.MAX_NOTES].line)
    if chosen is BankFormat.YAML:
        from quizapp.banks.native_media import attach_media

        batch = attach_media(batch, path.parent)
    if options.deck:
        batch = with_deck(batch, options.deck)
    if len(batch.warnings) > MAX_LISTED_ISSUES:
        batch = replace(batch, warnings=bounded_issues(batch.warnings, "warnings"))
    return batch


def with_deck(batch: ImportBatch, deck: str) -> ImportBatch:
    """``batch`` with every note going to ``deck``: the one place a chosen deck is applied."""
    return replace(batch, notes=tuple(replace(item, deck=deck) for item in batch.notes))


def _refusal(path: Path, message: str) -> BankError:
    return BankError([ImportIssue(str(path), 0, message)])


_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(path: Path, mode: int) -> BankError:
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    return _refusal(path, f"not a regular file ({kind}); QuizApp reads bank files only")


def _read_file(path: Path, bank_format: BankFormat | None) -> tuple[BankFormat, bytes]:
    """The format and bytes of the regular file at ``path``, at most its format's limit.

    Opened without blocking (a FIFO would wait for a writer), checked on the open file
    (not the name, which may change meanwhile), and read no further than the limit, so a
    device or a growing file cannot take the memory.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        try:
            mode = os.stat(path).st_mode
        except OSError:
            mode = stat.S_IFREG
        if not stat.S_ISREG(mode):
            raise _not_regular(path, mode) from error
        raise _refusal(path, f"cannot read the file: {error.strerror}") from error
    try:
        status = os.fstat(descriptor)
    except OSError as error:
        os.close(descriptor)
        raise _refusal(path, f"cannot read the file: {error.strerror}") from error
    if not stat.S_ISREG(status.st_mode):
        os.close(descriptor)
        raise _not_regular(path, status.st_mode)
    with os.fdopen(descriptor, "rb") as stream:
        try:
            head = stream.read(4096)
            chosen = bank_format or detect_format(path, head)
            limit = MAX_PACKAGE_BYTES if chosen in _PACKAGES else MAX_TEXT_BANK_BYTES
            if status.st_size > limit:
                raise _too_large(path, chosen, status.st_size, limit)
            stream.seek(0)  # read whole again: joining to the head would copy it all
            data = stream.read(status.st_size + 1)
            if status.st_size < len(data) <= limit:  # it grew, or lied: read on, to the limit
                data += stream.read(limit + 1 - len(data))
        except OSError as error:
            raise _refusal(path, f"cannot read the file: {error.strerror}") from error
    if len(data) > limit:
        raise _too_large(path, chosen, len(data), limit)
    return chosen, data


_PACKAGES = (BankFormat.APKG, BankFormat.XLSX)


def _too_large(path: Path, chosen: BankFormat, size: int, limit: int) -> BankError:
    return _refusal(
        path,
        f"the file is {size / 2**20:.0f} MB, more than the "
        f"{limit // 2**20} MB QuizApp reads as a {chosen.value} bank",
    )


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 text (a byte-order mark is dropped); invalid bytes are a located error."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise BankError(
            [
                ImportIssue(
                    source,
                    line,
                    f"column {column}: not valid UTF-8 (byte 0x{data[error.start]:02x}); "
                    "save the file as UTF-8 and import it again",
                )
            ]
        ) from error
