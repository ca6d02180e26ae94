"""Anki text files and Quizlet exports: what Anki and Quizlet write, what we read, and how we
complain about what we cannot."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from anki.collection import Collection
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.banks import bounds
from quizapp.banks.csv_text import parse_csv
from quizapp.banks.errors import BankError
from quizapp.banks.formats import BankFormat, ParseOptions, parser_for, read_bank
from quizapp.banks.table_notes import TableNotes, _guid
from quizapp.domain import (
    BasicContent,
    ClozeContent,
    ImportBatch,
    NoteKind,
    TextFormat,
    TypedContent,
)
from quizapp.domain.notes import content_guid

CSV_DATA = Path(__file__).parent.parent / "data" / "csv"


def parse(text: str | bytes, source: str = "bank.txt", **options: str) -> ImportBatch:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_csv(data, source, ParseOptions(**options))


def problems(text: str | bytes, **options: str) -> list[tuple[int, str]]:
    with pytest.raises(BankError) as caught:
        parse(text, **options)
    return [(issue.line, issue.message) for issue in caught.value.issues]


def fronts(batch: ImportBatch) -> list[str]:
    return [getattr(note.note.content, "front", "") for note in batch.notes]


def warning_lines(batch: ImportBatch) -> list[int]:
    return [warning.line for warning in batch.warnings]


# --- Anki's own test files -------------------------------------------------------------


def test_anki_two_field_file_refuses_the_row_with_an_empty_front_by_its_line() -> None:
    data = (CSV_DATA / "anki-text-2fields.txt").read_bytes()

    assert problems(data) == [(10, "the first field (the front) is empty")]


def test_anki_two_field_file_reads_japanese_and_warns_of_each_odd_row() -> None:
    data = (CSV_DATA / "anki-text-2fields.txt").read_bytes().replace(b"\tto play\n", b"")

    batch = parse(data, "anki-text-2fields.txt")

    assert [note.line for note in batch.notes] == [2, 3, 4, 5, 7, 8, 9]
    assert batch.notes[0].note.content == BasicContent("食べる", "to eat")
    assert batch.notes[0].deck == "anki-text-2fields"
    assert batch.notes[0].note.text_format is TextFormat.PLAIN
    # Line 6 repeats line 3; line 7 has a third field; line 8 is split by commas, not tabs.
    assert warning_lines(batch) == [6, 7, 8]
    assert "same note as on line 3" in batch.warnings[0].message
    assert "'fields'" in batch.warnings[1].message
    assert "comma" in batch.warnings[2].message
    assert batch.notes[5].note.content == BasicContent("not, enough, fields", "")
    assert batch.notes[6].note.content == BasicContent("遊ぶ", "")  # an empty back is fine


def test_anki_tags_file_without_headers_keeps_two_fields_and_warns_of_the_third() -> None:
    batch = parse((CSV_DATA / "anki-text-tags.txt").read_bytes())

    assert fronts(batch) == ["foo", "foo2"]
    assert [note.note.tags for note in batch.notes] == [(), ()]
    assert warning_lines(batch) == [1, 2]


@pytest.mark.parametrize("header", ["#separator:tab\n", "#tags column:3\n"])
def test_anki_tags_file_with_a_header_reads_the_third_column_as_tags(header: str) -> None:
    data = header.encode() + (CSV_DATA / "anki-text-tags.txt").read_bytes()

    batch = parse(data)

    assert [note.note.tags for note in batch.notes] == [("baz,qux",), ("baz2",)]
    assert [note.line for note in batch.notes] == [2, 3]
    assert batch.warnings == ()


# --- Every header ----------------------------------------------------------------------


@pytest.fixture
def headed() -> ImportBatch:
    return parse((CSV_DATA / "anki-headers.txt").read_bytes(), "anki-headers.txt")


def test_headers_give_guid_deck_note_type_and_tags_columns(headed: ImportBatch) -> None:
    first = headed.notes[0]

    assert first.note.guid == "de-hund"
    assert first.deck == "Languages::German"
    assert first.note.kind is NoteKind.BASIC
    assert first.note.content == BasicContent("Hund", "dog")
    assert first.note.tags == ("imported", "lang", "animals")
    assert headed.warnings == ()


def test_headers_map_every_stock_note_type(headed: ImportBatch) -> None:
    by_guid = {note.note.guid: note.note for note in headed.notes}

    assert by_guid["de-katze"].kind is NoteKind.BASIC_REVERSED
    assert by_guid["de-katze"].faces == (0, 1)
    assert by_guid["de-haus"].kind is NoteKind.BASIC_REVERSED  # "Add Reverse" is filled
    assert by_guid["de-baum"].kind is NoteKind.BASIC  # "Add Reverse" is empty
    assert by_guid["geo-capital"].kind is NoteKind.TYPED
    assert by_guid["geo-capital"].content == TypedContent("Capital of France?", ("Paris",))
    assert by_guid["geo-rivers"].kind is NoteKind.CLOZE
    assert by_guid["geo-rivers"].faces == (1, 2, 3)


def test_headers_rows_start_on_their_physical_lines(headed: ImportBatch) -> None:
    lines = {note.note.guid: note.line for note in headed.notes}

    # Nine header lines, a comment on line 12, quoted line breaks in 16-17 and 18-19.
    assert lines == {
        "de-hund": 10,
        "de-katze": 11,
        "de-haus": 13,
        "de-baum": 14,
        "geo-capital": 15,
        "geo-rivers": 16,
        "multi": 18,
        "last": 20,
    }


def test_headers_quoted_fields_keep_line_breaks_and_doubled_quotes(headed: ImportBatch) -> None:
    by_guid = {note.note.guid: note.note for note in headed.notes}

    assert by_guid["multi"].content == BasicContent('A "quoted" front', "line one\nline two")
    rivers = by_guid["geo-rivers"].content
    assert isinstance(rivers, ClozeContent)
    assert rivers.text.endswith("{{c2::Basel}};\nand the {{c3::Danube}} through Vienna.")
    assert rivers.extra == "Both end in a sea"


def test_html_false_keeps_tags_as_plain_text_and_empty_deck_falls_back(
    headed: ImportBatch,
) -> None:
    last = headed.notes[-1]

    assert last.note.content == BasicContent("<b>not bold</b>", "x < y")
    assert last.note.text_format is TextFormat.PLAIN
    assert last.deck == "anki-headers"  # no deck in the row nor a #deck header: the file


def test_global_note_type_deck_and_separator_headers() -> None:
    text = (
        "#separator:Pipe\n#notetype:Cloze\n#deck:Geography::Rivers\n"
        "The {{c1::Nile}} is long|Africa\n"
    )

    note = parse(text).notes[0]

    assert note.note.content == ClozeContent("The {{c1::Nile}} is long", "Africa")
    assert note.deck == "Geography::Rivers"


def test_option_deck_overrides_deck_column_and_header(tmp_path: Path) -> None:
    text = "#deck:FromHeader\n#deck column:3\nfront\tback\tFromColumn\n"
    path = tmp_path / "bank.txt"
    path.write_text(text, encoding="utf-8")

    assert parse(text).notes[0].deck == "FromColumn"
    assert read_bank(path, options=ParseOptions(deck="Chosen")).notes[0].deck == "Chosen"


def test_columns_header_naming_tags_and_deck_takes_them_out_of_the_fields() -> None:
    text = "#separator:comma\n#columns:Deck,Front,Back,Tags\nSpanish,perro,dog,animal noun\n"

    note = parse(text).notes[0]

    assert note.deck == "Spanish"
    assert note.note.content == BasicContent("perro", "dog")
    assert note.note.tags == ("animal", "noun")


def test_legacy_tags_first_line_tags_every_note() -> None:
    batch = parse("tags:old style\nfront\tback\n")

    assert batch.notes[0].note.tags == ("old", "style")
    assert batch.notes[0].line == 2


def test_bad_header_values_are_warned_of_by_line_and_ignored() -> None:
    text = "#html:maybe\n#tags column:x\n#notetype:Image Occlusion\na\tb\n"

    batch = parse(text)

    assert warning_lines(batch) == [1, 2, 3]
    assert batch.notes[0].note.kind is NoteKind.BASIC


def test_unknown_note_type_in_a_column_is_read_as_basic_and_warned_of_once() -> None:
    text = "#notetype column:1\nMy Type\tq1\ta1\nMy Type\tq2\ta2\nBasic\tq3\ta3\n"

    batch = parse(text)

    assert [note.note.kind for note in batch.notes] == [NoteKind.BASIC] * 3
    assert warning_lines(batch) == [2]
    assert "My Type" in batch.warnings[0].message


# --- Separators ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dog\tanimal, a pet\ncat\tfeline; small\n", ("animal, a pet", "feline; small")),
        ("dog,animal\ncat,feline\n", ("animal", "feline")),
        ("dog;animal, a pet\ncat;feline, small\n", ("animal, a pet", "feline, small")),
        ("dog|animal\ncat|feline\n", ("animal", "feline")),
    ],
    ids=["tab", "comma", "semicolon-with-prose-commas", "pipe"],
)
def test_separator_is_sniffed(text: str, expected: tuple[str, str]) -> None:
    batch = parse(text)

    assert [note.note.content for note in batch.notes] == [
        BasicContent("dog", expected[0]),
        BasicContent("cat", expected[1]),
    ]


def test_sniffed_comma_file_keeps_quoted_commas() -> None:
    batch = parse((CSV_DATA / "sniff-comma.csv").read_bytes())

    assert fronts(batch) == ["front", "Paris, France", "Berlin"]
    assert batch.notes[2].note.content == BasicContent("Berlin", "Germany's capital")


@pytest.mark.parametrize("separator", [";", "semicolon", "Semicolon"])
def test_separator_option_overrides_the_guess(separator: str) -> None:
    batch = parse("a,b;c\nd,e;f\n", separator=separator)

    assert batch.notes[0].note.content == BasicContent("a,b", "c")


def test_separator_option_tab_written_as_backslash_t() -> None:
    assert parse("a,b\tc\n", separator="\\t").notes[0].note.content == BasicContent("a,b", "c")


# --- Quizlet ---------------------------------------------------------------------------


def test_quizlet_tab_export_reads_term_and_definition() -> None:
    batch = parse((CSV_DATA / "quizlet-tab.txt").read_bytes(), "quizlet-tab.txt")

    contents = [note.note.content for note in batch.notes]
    assert contents[0] == BasicContent("dog", "animal, a pet")
    assert contents[2] == BasicContent("bird", "a thing that flies")
    assert [note.line for note in batch.notes] == [1, 2, 4]
    assert batch.warnings == ()


def test_quizlet_custom_separator_splits_each_line_once() -> None:
    batch = parse((CSV_DATA / "quizlet-dash.txt").read_bytes(), separator=" - ")

    assert [note.note.content for note in batch.notes] == [
        BasicContent("Hund", "dog"),
        BasicContent("Katze", "cat - also a tiger, roughly"),
    ]


def test_quizlet_separator_ignores_column_headers_it_cannot_split() -> None:
    batch = parse("#columns:Term Definition\nHund - dog\n", separator=" - ")

    assert batch.notes[0].note.content == BasicContent("Hund", "dog")


# --- Note types ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "kind", "faces"),
    [
        ("Basic\tq\ta", NoteKind.BASIC, (0,)),
        ("Basic (and reversed card)\tq\ta", NoteKind.BASIC_REVERSED, (0, 1)),
        ("Basic (and reversed card)\tq\t", NoteKind.BASIC, (0,)),
        ("Basic (optional reversed card)\tq\ta\ty", NoteKind.BASIC_REVERSED, (0, 1)),
        ("Basic (optional reversed card)\tq\ta\t", NoteKind.BASIC, (0,)),
        ("Basic (type in the answer)\tq\ta", NoteKind.TYPED, (0,)),
        ("cloze\t{{c2::a}} {{c1::b}} {{c2::c}} {{c5::d}}\t", NoteKind.CLOZE, (1, 2, 5)),
    ],
)
def test_note_type_maps_to_kind_and_faces(row: str, kind: NoteKind, faces: tuple[int, ...]) -> None:
    note = parse("#notetype column:1\n" + row + "\n").notes[0].note

    assert note.kind is kind
    assert note.faces == faces


def test_cloze_without_deletion_and_typed_without_answer_are_errors_on_their_lines() -> None:
    text = (
        "#notetype column:1\n"
        "Cloze\tno deletion here\n"
        "Cloze\tonly {{c0::zero}}\n"
        "Cloze\tfine {{c1::one}}\n"
        "Basic (type in the answer)\tq\t\n"
    )

    found = problems(text)

    assert [line for line, _ in found] == [2, 3, 5]
    assert "{{c1::answer}}" in found[0][1]
    assert "answer" in found[2][1]


# --- HTML ------------------------------------------------------------------------------


def test_html_true_sanitizes_and_warns_of_scripts_and_remote_addresses() -> None:
    text = (
        "#html:true\n"
        '<b>bold</b>\t<img src="cat.png" onerror="steal()">\n'
        'safe\t<img src="https://tracker.example/x.png">\n'
    )

    batch = parse(text)

    first, second = (note.note for note in batch.notes)
    assert first.text_format is TextFormat.HTML
    assert first.content == BasicContent("<b>bold</b>", '<img src="cat.png">')
    assert "tracker.example" not in second.content.back  # type: ignore[union-attr]
    assert warning_lines(batch) == [2, 3]
    assert "scripts" in batch.warnings[0].message
    assert "https://tracker.example/x.png" in batch.warnings[1].message


def test_html_is_detected_without_a_header_as_anki_does() -> None:
    batch = parse((CSV_DATA / "html-detected.csv").read_bytes())

    notes = [note.note for note in batch.notes]
    assert {note.text_format for note in notes} == {TextFormat.HTML}
    assert notes[0].content == BasicContent("<b>Bold</b> front", 'back <img src="cat.png">')
    assert "<script" not in notes[1].content.back  # type: ignore[union-attr]
    assert notes[2].content == BasicContent("Plain", "a &lt; b")
    assert warning_lines(batch) == [2]


def test_plain_file_without_tags_stays_plain() -> None:
    note = parse("2 < 3\ttrue & right\n").notes[0].note

    assert note.text_format is TextFormat.PLAIN
    assert note.content == BasicContent("2 < 3", "true & right")


# --- Guids -----------------------------------------------------------------------------


def test_guid_column_is_kept_so_a_reimport_updates_the_same_notes() -> None:
    text = "#guid column:3\nq1\ta1\tguid-1\nq2\ta2\t\n"

    first, again = parse(text), parse(text)

    assert first.notes[0].note.guid == "guid-1"
    assert first.notes[1].note.guid.startswith("h-")  # an empty cell: a content hash
    assert [n.note.guid for n in first.notes] == [n.note.guid for n in again.notes]


def test_content_guid_is_stable_and_changes_with_the_content() -> None:
    one, same, other = (parse(t).notes[0].note.guid for t in ("a\tb\n", "a\tb\n", "a\tc\n"))

    assert one == same != other


def test_same_guid_twice_is_an_error_naming_both_lines() -> None:
    text = "#guid column:1\ng1\tq1\ta1\ng2\tq2\ta2\ng1\tq3\ta3\n"

    assert problems(text) == [(4, "guid 'g1' is used twice: lines 2 and 4")]


@given(st.text(), st.text(), st.sampled_from([NoteKind.BASIC, NoteKind.BASIC_REVERSED]))
def test_quick_guid_of_basic_notes_equals_the_domain_content_guid(
    front: str, back: str, kind: NoteKind
) -> None:
    content = BasicContent(front, back)

    assert _guid(kind, content) == content_guid(kind, content)


# --- Errors ----------------------------------------------------------------------------


def test_all_errors_are_reported_together_on_their_physical_lines() -> None:
    text = (
        "# a comment\n"
        "ok\tfine\n"
        '"a front\n'
        'on two lines"\tback\n'
        "\tno front\n"
        "#notetype column:1\n"  # a comment here: headers only open the file
        '"quoted\n'
        "\n"
        'three lines"\n'
        "\talso no front\n"
    )

    assert problems(text) == [
        (5, "the first field (the front) is empty"),
        (10, "the first field (the front) is empty"),
    ]


def test_invalid_utf8_is_located_by_line_and_column() -> None:
    found = problems(b"ok\tfine\nbad\t\xff here\n")

    assert found[0][0] == 2
    assert "column 5" in found[0][1]
    assert "UTF-8" in found[0][1]


def test_utf16_with_byte_order_mark_is_read_as_excel_saves_unicode_text() -> None:
    data = "Haus\thouse\r\nBaum\ttree\r\n".encode("utf-16")

    batch = parse(data)

    assert [note.note.content for note in batch.notes] == [
        BasicContent("Haus", "house"),
        BasicContent("Baum", "tree"),
    ]


def test_broken_utf16_is_located_by_line() -> None:
    data = "ok\tfine\nbad\t".encode("utf-16-le") + b"\x00\xd8" + "x\n".encode("utf-16-le")

    found = problems(b"\xff\xfe" + data)

    assert found[0][0] == 2
    assert "UTF-16" in found[0][1]


def test_unclosed_quote_is_reported_where_it_opens() -> None:
    found = problems('a\tb\nc\t"open\nd\te\n')

    assert found == [(2, "a quoted field opened here is never closed")]


def test_row_longer_than_a_megabyte_is_refused() -> None:
    text = "ok\tfine\nhuge\t" + "x" * (1 << 20) + "\nok2\tfine\n"

    assert problems(text) == [(2, "the row is longer than 1 MB")]


def test_quoted_field_longer_than_a_megabyte_is_refused_with_a_hint() -> None:
    text = 'ok\tfine\nhuge\t"' + "x" * ((1 << 20) + 10) + '"\nok2\tfine\n'

    assert problems(text) == [(2, "a field is longer than 1 MB: is a quote never closed?")]


def test_more_rows_than_the_bound_stop_the_import_at_the_row_that_passes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounds, "MAX_NOTES", 3)
    path = tmp_path / "bank.csv"
    path.write_text("#html:false\na,b\n\nc,d\ne,f\ng,h\ni,j\n", encoding="utf-8")

    with pytest.raises(BankError) as raised:
        read_bank(path)

    assert [str(issue) for issue in raised.value.issues] == [
        f"{path}:6: the file holds more than 3 questions; QuizApp imports at most 3 "
        "from one file — split it"
    ]
    path.write_text("#html:false\na,b\n\nc,d\ne,f\n", encoding="utf-8")
    assert len(read_bank(path).notes) == 3


def test_empty_file_and_blank_lines_give_no_notes() -> None:
    assert parse("").notes == ()
    assert parse("\n\n  \n#only a comment\n").notes == ()


def test_registry_reads_csv_files_through_parse_csv(tmp_path: Path) -> None:
    path = tmp_path / "words.tsv"
    path.write_text("Haus\thouse\n", encoding="utf-8")

    batch = read_bank(path)

    assert parser_for(BankFormat.CSV) is parse_csv
    assert batch.notes[0].deck == "words"


def outcome(data: bytes, separator: str | None = None) -> ImportBatch | BankError:
    try:
        return parse_csv(data, "fuzz.txt", ParseOptions(separator=separator))
    except BankError as error:
        return error


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from('ab\t,;|#"\n\r :<>{}c1x'), max_size=200),
    st.sampled_from([None, "\t", ",", " - ", "tab", '"']),
)
def test_any_text_gives_a_batch_or_a_bank_error(text: str, separator: str | None) -> None:
    result = outcome(text.encode(), separator)

    if isinstance(result, BankError):
        assert all(issue.line >= 1 for issue in result.issues)
    else:
        assert all(note.line >= 1 and note.note.guid for note in result.notes)


HEADER_LINES = [
    "#separator:comma\n", "#separator:|\n", "#separator:bogus\n", "#html:true\n",
    "#html:false\n", "#tags:a b\n", "#columns:Front\tBack\tTags\n", "#notetype:Cloze\n",
    "#notetype:Nope\n", "#deck:A::B\n", "#deck:A::::B\n", "#notetype column:1\n",
    "#deck column:2\n", "#tags column:3\n", "#guid column:1\n", "#guid column:0\n",
    "tags:old\n", "# comment\n",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(HEADER_LINES), max_size=5),
    st.text(alphabet=st.sampled_from('ab\t,|"\n<>{}c1:'), max_size=120),
)
def test_any_headers_over_any_rows_give_a_batch_or_a_bank_error(
    headers: list[str], body: str
) -> None:
    text = "".join(headers) + body
    result = outcome(text.encode())

    if isinstance(result, ImportBatch):
        lines = text.split("\n")
        assert all(note.deck for note in result.notes)
        assert not any(lines[note.line - 1].startswith("#") for note in result.notes)


@settings(deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_give_a_batch_or_a_bank_error(data: bytes) -> None:
    result = outcome(data)

    assert isinstance(result, ImportBatch | BankError)


# --- An export written by Anki itself --------------------------------------------------

ANKI_NOTES = [
    ("Basic", ["食べる", "to <b>eat</b><script>alert(1)</script>"], ["verb", "jp"]),
    ("Basic (and reversed card)", ["dog", 'Hund<br>a "quoted", word'], []),
    ("Cloze", ["{{c1::Paris}} is in {{c2::France}}", "capital"], ["geo"]),
    ("Basic (optional reversed card)", ["a", "b", "y"], []),
    ("Basic (type in the answer)", ["2+2", "<i>4</i>"], []),
]


def anki_export(tmp_path: Path, *, with_html: bool) -> tuple[bytes, list[str]]:
    """Notes of every stock type, exported as text by Anki's own library."""
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        deck_id = collection.decks.id("Lang::Japanese")
        guids = []
        for notetype, fields, tags in ANKI_NOTES:
            note = collection.new_note(collection.models.by_name(notetype))
            for index, value in enumerate(fields):
                note.fields[index] = value
            note.tags = tags
            collection.add_note(note, deck_id)
            guids.append(note.guid)
        out = tmp_path / "export.txt"
        collection.export_note_csv(
            out_path=str(out),
            limit=None,
            with_html=with_html,
            with_tags=True,
            with_deck=True,
            with_notetype=True,
            with_guid=True,
        )
        return out.read_bytes(), guids
    finally:
        collection.close()


def test_anki_export_with_html_is_read_note_for_note(tmp_path: Path) -> None:
    data, guids = anki_export(tmp_path, with_html=True)

    batch = parse(data, "export.txt")

    notes = [note.note for note in batch.notes]
    assert [note.guid for note in notes] == guids
    assert [note.kind for note in notes] == [
        NoteKind.BASIC,
        NoteKind.BASIC_REVERSED,
        NoteKind.CLOZE,
        NoteKind.BASIC_REVERSED,
        NoteKind.TYPED,
    ]
    assert {note.deck for note in batch.notes} == {"Lang::Japanese"}
    assert {note.text_format for note in notes} == {TextFormat.HTML}
    assert notes[0].content == BasicContent("食べる", "to <b>eat</b>")
    assert notes[0].tags == ("jp", "verb")
    assert notes[1].content == BasicContent("dog", 'Hund<br>a "quoted", word')
    assert notes[2].content == ClozeContent("{{c1::Paris}} is in {{c2::France}}", "capital")
    assert notes[2].faces == (1, 2)
    assert notes[4].content == TypedContent("2+2", ("4",))
    assert warning_lines(batch) == [batch.notes[0].line]  # the script, removed


def test_anki_export_without_html_is_read_as_plain_text(tmp_path: Path) -> None:
    data, guids = anki_export(tmp_path, with_html=False)

    batch = parse(data, "export.txt")

    notes = [note.note for note in batch.notes]
    assert [note.guid for note in notes] == guids
    assert {note.text_format for note in notes} == {TextFormat.PLAIN}
    assert notes[0].content == BasicContent("食べる", "to eat")
    assert notes[4].content == TypedContent("2+2", ("4",))
    assert batch.warnings == ()


# --- Fast paths agree with the general ones ----------------------------------------------

_CELLS = st.text(alphabet=" \tab,;|#\r\n<>x", max_size=6)


@given(st.lists(_CELLS, max_size=4))
def test_plain_basic_fast_path_equals_the_general_content(fields: list[str]) -> None:
    from quizapp.banks.table_notes import _content, _plain_basic

    assert _plain_basic(fields) == _content("basic", [f.strip() for f in fields[:2]], False)


@settings(max_examples=200)
@given(
    st.lists(st.lists(_CELLS.filter(lambda c: not set(c) & set("\t\r\n")), max_size=5)),
    st.sampled_from(["", "#notetype column:1\n#tags column:4\n", "#deck column:3\n"]),
)
def test_unquoted_rows_read_as_the_quoted_reader_reads_them(
    rows: list[list[str]], headers: str
) -> None:
    from quizapp.banks import csv_rows, csv_text

    text = headers + "".join("\t".join(row) + "\n" for row in rows)
    lines = text.splitlines(keepends=True)
    parsed = csv_text._read_headers(lines)
    columns = csv_text._Columns(parsed, "\t")

    def read(quoted: bool) -> object:
        notes = TableNotes("bank.txt", html=False, notetype=parsed.notetype)
        body = lines[parsed.count :]
        if quoted:
            offset = sum(map(len, lines[: parsed.count]))
            feed = csv_rows.LineFeed(body, parsed.count + 1, offset)
            csv_rows.quoted_rows(feed, text, "\t", columns, notes, True)
        else:
            csv_rows.unquoted_rows(iter(body), parsed.count + 1, "\t", columns, notes, True)
        return notes._notes, notes.issues, notes.warnings

    assert read(quoted=False) == read(quoted=True)


@settings(max_examples=200)
@given(st.text(alphabet="ab\r\n\t", max_size=60), st.integers(min_value=1, max_value=8))
def test_lines_are_read_in_chunks_as_one_stringio_reads_them(text: str, chunk: int) -> None:
    from quizapp.banks import csv_rows

    whole = csv_rows._CHUNK_CHARS
    csv_rows._CHUNK_CHARS = chunk
    try:
        assert list(csv_rows.lines_of(text)) == io.StringIO(text, newline="").readlines()
    finally:
        csv_rows._CHUNK_CHARS = whole
