"""Excel workbooks: a teacher's spreadsheet becomes notes, and a hostile file is refused."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.banks.errors import BankError
from quizapp.banks.formats import BankFormat, ParseOptions, detect_format, read_bank
from quizapp.banks.xlsx import parse_xlsx
from quizapp.domain import (
    BasicContent,
    ClozeContent,
    ImportBatch,
    NoteKind,
    TextFormat,
    TypedContent,
)

Row = Sequence[object]


def workbook(*rows: Row, extra_sheets: Sequence[str] = ()) -> bytes:
    """An .xlsx file whose first sheet holds ``rows``, made by openpyxl."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cards"
    for row in rows:
        sheet.append(list(row))
    for name in extra_sheets:
        book.create_sheet(name).append(["ignored"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parse(data: bytes, source: str = "words.xlsx", **options: str) -> ImportBatch:
    return parse_xlsx(data, source, ParseOptions(**options))


def problems(data: bytes) -> list[tuple[int, str]]:
    with pytest.raises(BankError) as caught:
        parse(data)
    return [(issue.line, issue.message) for issue in caught.value.issues]


def test_every_column_is_read_from_a_named_header() -> None:
    data = workbook(
        ["Front", "Back", "Tags", "Deck", "Notetype", "Guid", "Extra"],
        ["Hund", "dog", "animals, german", "Languages::German", "", "de-hund", "a pet"],
        ["2+2", "4", "", "Maths", "Basic (type in the answer)", "", ""],
        ["{{c1::Paris}} is in {{c2::France}}", "capital", "", "", "Cloze", "", ""],
    )

    batch = parse(data)

    hund, sum_, paris = batch.notes
    assert hund.note.content == BasicContent("Hund", "dog")
    assert hund.note.tags == ("animals", "german")
    assert hund.deck == "Languages::German"
    assert hund.note.guid == "de-hund"
    assert hund.note.explanation == "a pet"
    assert hund.note.text_format is TextFormat.PLAIN
    assert sum_.note.content == TypedContent("2+2", ("4",))
    assert sum_.deck == "Maths"
    assert paris.note.content == ClozeContent("{{c1::Paris}} is in {{c2::France}}", "capital")
    assert paris.note.faces == (1, 2)
    assert paris.deck == "words"  # no deck in the row: the file's name
    assert [note.line for note in batch.notes] == [2, 3, 4]
    assert batch.warnings == ()


@pytest.mark.parametrize(
    "header",
    [
        ["Term", "Definition"],
        ["Question", "Answer"],
        ["FRONT", "  back "],
        ["Definition", "Term"],
    ],
)
def test_header_names_are_case_insensitive_with_quizlet_and_quiz_synonyms(
    header: list[str],
) -> None:
    front_first = header[0].strip().lower() in ("term", "question", "front")
    row = ["ask", "reply"] if front_first else ["reply", "ask"]

    batch = parse(workbook(header, row))

    assert batch.notes[0].note.content == BasicContent("ask", "reply")


def test_without_a_header_columns_a_and_b_are_front_and_back() -> None:
    batch = parse(workbook(["Hund", "dog"], ["Katze", "cat"]))

    assert [note.note.content for note in batch.notes] == [
        BasicContent("Hund", "dog"),
        BasicContent("Katze", "cat"),
    ]
    assert [warning.line for warning in batch.warnings] == [1]


def test_without_a_header_the_columns_after_b_are_not_read() -> None:
    batch = parse(workbook(["Hund", "dog", "animals", "g-1"], [None, None, 7]))

    (note,) = batch.notes
    assert note.note.content == BasicContent("Hund", "dog")
    assert (note.note.tags, note.note.explanation) == ((), "")
    assert note.note.guid.startswith("h-")


def test_unknown_columns_and_other_sheets_are_warned_of() -> None:
    data = workbook(["Front", "Back", "Source"], ["q", "a", "book"], extra_sheets=["Notes"])

    batch = parse(data)

    messages = [warning.message for warning in batch.warnings]
    assert "row 1: column C 'Source' is not read" in messages
    assert any("'Notes'" in message for message in messages)


def test_header_without_a_front_column_is_an_error() -> None:
    assert problems(workbook(["Back", "Tags"], ["a", "t"])) == [
        (1, "row 1: no Front column (or Term, Question, Text) in the header")
    ]


def test_errors_name_their_rows_all_together_and_blank_rows_keep_the_count() -> None:
    data = workbook(
        ["Front", "Back", "Notetype", "Guid"],
        ["ok", "fine", "", "g1"],
        [],
        [None, "no front", "", ""],
        ["no deletion", "", "Cloze", ""],
        ["again", "dup", "", "g1"],
    )

    assert problems(data) == [
        (4, "row 4: the first field (the front) is empty"),
        (5, "row 5: a Cloze note needs a deletion like {{c1::answer}} in its first field"),
        (6, "row 6: guid 'g1' is used twice: rows 2 and 6"),
    ]


def test_reverse_column_makes_reversed_notes_where_filled() -> None:
    batch = parse(workbook(["Front", "Back", "Add Reverse"], ["a", "b", "y"], ["c", "d", ""]))

    assert [note.note.kind for note in batch.notes] == [NoteKind.BASIC_REVERSED, NoteKind.BASIC]


def test_numbers_and_dates_read_as_people_see_them() -> None:
    batch = parse(
        workbook(
            ["Front", "Back"],
            ["Parameters of Dense(10→5)?", 55],
            ["Pi to two places?", 3.14],
            ["Moon landing?", datetime(1969, 7, 20)],
        )
    )

    backs = [note.note.content.back for note in batch.notes]  # type: ignore[union-attr]
    assert backs == ["55", "3.14", "1969-07-20"]


def test_html_in_cells_is_sanitized() -> None:
    batch = parse(workbook(["Front", "Back"], ["<b>bold</b>", "<script>x()</script>ok"]))

    note = batch.notes[0].note
    assert note.text_format is TextFormat.HTML
    assert note.content == BasicContent("<b>bold</b>", "ok")
    assert "scripts" in batch.warnings[0].message


def test_option_deck_puts_every_row_in_one_deck(tmp_path: Path) -> None:
    path = tmp_path / "words.xlsx"
    path.write_bytes(workbook(["Front", "Back", "Deck"], ["q", "a", "Elsewhere"]))

    assert read_bank(path, options=ParseOptions(deck="Chosen")).notes[0].deck == "Chosen"


def test_rows_beyond_a_wrong_sheet_dimension_are_still_read() -> None:
    good = zipfile.ZipFile(io.BytesIO(workbook(["Front", "Back"], ["q1", "a1"], ["q2", "a2"])))
    members = {info.filename: good.read(info) for info in good.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    assert b'<dimension ref="A1:B3" />' in sheet
    # Some programs write a dimension smaller than the sheet; Excel ignores it, so do we.
    members["xl/worksheets/sheet1.xml"] = sheet.replace(b"A1:B3", b"A1:B1")

    batch = parse(zip_of(**members))

    assert [note.line for note in batch.notes] == [2, 3]


def test_registry_detects_and_reads_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "vocab.xlsx"
    path.write_bytes(workbook(["Term", "Definition"], ["Haus", "house"]))

    assert detect_format(path, path.read_bytes()[:4096]) is BankFormat.XLSX
    assert read_bank(path).notes[0].note.content == BasicContent("Haus", "house")


# --- Refused files ---------------------------------------------------------------------


def zip_of(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_highly_compressed_archive_is_refused_as_a_zip_bomb() -> None:
    bomb = zip_of(**{"xl/worksheets/sheet1.xml": bytes(20 * 1024 * 1024)})

    [(line, message)] = problems(bomb)

    assert line == 0
    assert "zip bomb" in message


def test_archive_declaring_more_than_200_mb_is_refused_before_unpacking() -> None:
    data = bytearray(zip_of(**{"xl/worksheets/sheet1.xml": b"<worksheet/>"}))
    directory = data.index(b"PK\x01\x02")
    # The central directory's "uncompressed size" field, which zipfile trusts and obeys.
    struct.pack_into("<I", data, directory + 24, 300 * 1024 * 1024)

    [(_, message)] = problems(bytes(data))

    assert "300 MB" in message
    assert "200 MB" in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "password-protected"),
        (b"PK\x03\x04 truncated", "not an .xlsx workbook"),
        (b"just some text", "not an .xlsx workbook"),
    ],
    ids=["encrypted", "truncated", "text"],
)
def test_damaged_or_encrypted_workbooks_are_refused(data: bytes, expected: str) -> None:
    [(_, message)] = problems(data)

    assert expected in message


def test_zip_that_is_not_a_workbook_is_refused() -> None:
    [(_, message)] = problems(zip_of(**{"readme.txt": b"hello"}))

    assert "cannot read the workbook" in message


def test_workbook_with_damaged_sheet_xml_is_refused() -> None:
    good = zipfile.ZipFile(io.BytesIO(workbook(["Front", "Back"], ["q", "a"])))
    members = {info.filename: good.read(info) for info in good.infolist()}
    members["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData><row r='1'><c"

    assert problems(zip_of(**members))


@settings(deadline=None, max_examples=50)
@given(st.binary(max_size=300))
def test_any_bytes_are_refused_cleanly(data: bytes) -> None:
    with pytest.raises(BankError):
        parse(b"PK\x03\x04" + data)
