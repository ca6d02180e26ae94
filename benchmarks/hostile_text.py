"""Hostile shapes of the text bank formats (GIFT, Moodle XML, CSV, YAML, XLSX) and of
the files a bank may be (a link to a device, a FIFO), for ``hostile_bench.py``.

Each maker writes its file into the folder it is given and returns the path to validate.
The sizes are those the attacks were first run at; pass ``scale`` to :func:`shapes` to
try the same shapes smaller or larger.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from hostile_bench import Shape

Maker = Callable[[Path], Path]


def _write(name: str, content: bytes) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return make


def _gift_lt(size: int) -> Maker:
    """A GIFT description (no answer block) of ``size`` characters '<'."""
    return lambda folder: _write("lt.gift", b"<" * size + b"\n")(folder)


def _gift_answers(count: int) -> Maker:
    """One multiple-choice question with ``count`` answers: ``{=a~a~a...}``."""
    return lambda folder: _write("answers.gift", b"Q {=a" + b"~a" * (count - 1) + b"}\n")(folder)


def _gift_equals(count: int) -> Maker:
    """An answer block of ``count`` '='."""
    return lambda folder: _write("equals.gift", b"Q {" + b"=" * count + b"}\n")(folder)


_STEM = "In the model trained on set {n}, with the usual settings and no tricks,"
_GIFT_KINDS = (
    "::{n} choice:: " + _STEM + " what is {n} plus one?\n"
    "{{={m}#right, one more ~{n}#that is the same number ~zero#no, that is nothing}}",
    "::{n} tf:: " + _STEM + " the number {n} is below {m}.{{T#it is below#yes, it is}}",
    "::{n} short:: " + _STEM + " name the number after {n}.\n"
    "{{=%100%{m}#yes, that is it =%50%about {m}#close enough}}",
    "::{n} numeric:: " + _STEM + " how much is {n} plus a half?\n{{#{n}.5:0.5#right}}",
    "::{n} match:: " + _STEM + " match the pairs.\n{{=a{n} -> b{n} =c{n} -> d{n} =e{n} -> f{n}}}",
    "// [tag:bench] [id:q{n}]\n::{n} id:: [html]<p>" + _STEM + " is <b>{n}</b> odd?</p>\n"
    "{{~no#it is not ={n}#it is}}",
)


def valid_gift(size: int) -> bytes:
    """A valid GIFT file of about ``size`` bytes: every kind, categories, comments."""
    parts: list[str] = []
    total = 0
    number = 0
    while total < size:
        if number % 1000 == 0:
            parts.append(f"$CATEGORY: $course$/top/Bench/Part {number // 1000}")
        text = _GIFT_KINDS[number % len(_GIFT_KINDS)].format(n=number, m=number + 1)
        parts.append(text)
        total += len(text) + 2
        number += 1
    return ("\n\n".join(parts) + "\n").encode()


def _gift_valid(size: int) -> Maker:
    return lambda folder: _write("valid.gift", valid_gift(size))(folder)


def _moodle_empty(count: int) -> Maker:
    """``<quiz>`` holding ``count`` empty elements, one per line."""

    def make(folder: Path) -> Path:
        path = folder / "empty.xml"
        with path.open("wb") as stream:
            stream.write(b'<?xml version="1.0"?>\n<quiz>\n')
            chunk = b"<a/>" * 100_000
            for _ in range(count // 100_000):
                stream.write(chunk)
            stream.write(b"<a/>" * (count % 100_000))
            stream.write(b"</quiz>\n")
        return path

    return make


def alias_bomb(width: int) -> bytes:
    """A bank of ``width`` aliases to a deck of ``width`` aliases to one note: few bytes,
    ``width`` squared notes once expanded."""
    notes = ", ".join(["*n"] * width)
    decks = ", ".join(["*d"] * width)
    return (
        "quizapp_bank: 1\n"
        "x: &n {front: q, back: a}\n"
        f"y: &d {{name: Bomb, notes: [{notes}]}}\n"
        f"decks: [{decks}]\n"
    ).encode()


def _yaml_alias(size: int) -> Maker:
    """An alias bomb of about ``size`` bytes."""
    return lambda folder: _write("bomb.yaml", alias_bomb(max(1, size // 8)))(folder)


def _number_bank(digits: int) -> bytes:
    big = "9" * digits
    return (
        "quizapp_bank: 1\ndecks:\n  - name: N\n    notes:\n"
        f"      - {{kind: numeric, question: q, answer: {big}, tolerance: {big}}}\n"
    ).encode()


def _xlsx(rows: list[str], folder: Path, name: str) -> Path:
    """A minimal workbook whose first sheet holds ``rows`` (``<row>`` elements)."""
    path = folder / name
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            for start in range(0, len(rows), 10_000):
                sheet.write("".join(rows[start : start + 10_000]).encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def _cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def _xlsx_far_column(count: int) -> Maker:
    """``count`` rows, each with one cell in column XFD (the last Excel has)."""

    def make(folder: Path) -> Path:
        header = f'<row r="1">{_cell("A1", "Front")}{_cell("B1", "Back")}</row>'
        rows = [f'<row r="{n}">{_cell(f"XFD{n}", "far")}</row>' for n in range(2, count + 2)]
        return _xlsx([header, *rows], folder, "far.xlsx")

    return make


def _xlsx_rows(count: int) -> Maker:
    """A header Front/Back and ``count`` rows of two short cells."""

    def make(folder: Path) -> Path:
        header = f'<row r="1">{_cell("A1", "Front")}{_cell("B1", "Back")}</row>'
        rows = [
            f'<row r="{n}">{_cell(f"A{n}", f"front {n}")}{_cell(f"B{n}", f"back {n}")}</row>'
            for n in range(2, count + 2)
        ]
        return _xlsx([header, *rows], folder, "rows.xlsx")

    return make


def _csv_rows(count: int) -> Maker:
    """``count`` rows of two short fields: past the bound on notes, refused where it passes."""

    def make(folder: Path) -> Path:
        path = folder / "rows.csv"
        path.write_bytes("".join(f"front {n},back {n}\n" for n in range(count)).encode())
        return path

    return make


def _csv_unclosed(size: int) -> Maker:
    """A row whose quoted field opens on line 2 and runs ``size`` bytes of short lines."""

    def make(folder: Path) -> Path:
        path = folder / "unclosed.csv"
        with path.open("wb") as stream:
            stream.write(b'front,back\nq,"never closed\n')
            chunk = b"x,y\n" * 250_000
            for _ in range(size // len(chunk)):
                stream.write(chunk)
        return path

    return make


def _link_to_zero(folder: Path) -> Path:
    path = folder / "zero.gift"
    path.symlink_to("/dev/zero")
    return path


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.gift"
    os.mkfifo(path)
    return path


def shapes(scale: float = 1.0) -> list[Shape]:
    """The hostile text-bank shapes, at the sizes of the attacks times ``scale``."""

    def n(count: int) -> int:
        return max(1, int(count * scale))

    return [
        # What starting the command costs, to subtract from the others.
        Shape("baseline_empty_gift", _write("empty.gift", b"\n"), None),
        Shape("gift_lt_500k", _gift_lt(n(500_000)), None),
        Shape("gift_answers_400k", _gift_answers(n(400_000)), None),
        Shape("gift_equals_1m", _gift_equals(n(1_000_000)), None),
        Shape("gift_valid_10mb", _gift_valid(n(10_000_000)), None),
        Shape("moodle_empty_15m", _moodle_empty(n(15_000_000)), None),
        Shape("yaml_alias_21k", _yaml_alias(n(21_000)), None),
        Shape("yaml_big_number", _write("big.yaml", _number_bank(401)), None),
        Shape("gift_big_number", _write("big.gift", b"Q {#" + b"9" * 401 + b"}\n"), None),
        Shape("xlsx_xfd_10k", _xlsx_far_column(n(10_000)), None),
        Shape("xlsx_rows_100k", _xlsx_rows(n(100_000)), None),  # under the bound: read
        Shape("xlsx_rows_1m", _xlsx_rows(n(1_000_000)), None),  # refused past 200,000
        Shape("csv_rows_1m", _csv_rows(n(1_000_000)), None),
        Shape("csv_unclosed_60mb", _csv_unclosed(n(60_000_000)), None),
        Shape("link_to_dev_zero", _link_to_zero, None),
        Shape("fifo", _fifo, None),
    ]
