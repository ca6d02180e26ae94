"""Which parser reads a file, and the limits every parser works within."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quizapp.banks.errors import BankError
from quizapp.domain import BankFormat, ImportBatch, ImportIssue

# Text banks larger than this are refused before they are read: no honest bank of
# questions is that big, and a hostile one should not take the memory.
MAX_TEXT_BANK_BYTES = 64 * 1024 * 1024
# Packages carry media, so they may be larger; their contents are limited separately.
MAX_PACKAGE_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """What the user chose about an import; parsers ignore what does not apply to them."""

    deck: str | None = None  # put every note in this deck (else the file's own decks)
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
    """Read and parse the bank at ``path``; raises :class:`BankError` naming every problem."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise BankError(
            [ImportIssue(str(path), 0, f"cannot read the file: {error.strerror}")]
        ) from error
    with path.open("rb") as stream:
        head = stream.read(4096)
    chosen = bank_format or detect_format(path, head)
    limit = (
        MAX_PACKAGE_BYTES if chosen in (BankFormat.APKG, BankFormat.XLSX) else MAX_TEXT_BANK_BYTES
    )
    if size > limit:
        raise BankError(
            [
                ImportIssue(
                    str(path),
                    0,
                    f"the file is {size / 2**20:.0f} MB, more than the "
                    f"{limit // 2**20} MB QuizApp reads as a {chosen.value} bank",
                )
            ]
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BankError(
            [ImportIssue(str(path), 0, f"cannot read the file: {error.strerror}")]
        ) from error
    batch = parser_for(chosen)(data, str(path), options or ParseOptions())
    if chosen is BankFormat.YAML:
        from quizapp.banks.native_media import attach_media

        batch = attach_media(batch, path.parent)
    return batch


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
