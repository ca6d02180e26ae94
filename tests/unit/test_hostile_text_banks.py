"""Hostile inputs to the text bank readers: each is refused with a located message, or read,
in time linear in its size; nothing but regular files is read.

A hang guard (``within``) stands where the point is "does not hang": its deadline is
far above what the code needs, so a loaded machine never trips it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from quizapp.banks import formats
from quizapp.banks.errors import MAX_LISTED_ISSUES, BankError
from quizapp.banks.formats import ParseOptions, read_bank
from quizapp.domain import BankFormat, ImportBatch

T = TypeVar("T")
HANG_GUARD_SECONDS = 60.0


def within(function: Callable[[], T], seconds: float = HANG_GUARD_SECONDS) -> T:
    """``function()``, failing the test if it has not returned after ``seconds``."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(function())
        except BaseException as error:  # handed to the test's thread
            failure.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds:.0f} s"
    if failure:
        raise failure[0]
    return outcome[0]


def refusal(path: Path, bank_format: BankFormat | None = None) -> list[str]:
    """The messages of reading ``path``, which must be refused."""
    with pytest.raises(BankError) as caught:
        within(lambda: read_bank(path, bank_format))
    return [str(issue) for issue in caught.value.issues]


# --- only regular files, no further than the limit ---------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path: Path) -> None:
    path = tmp_path / "pipe.gift"
    os.mkfifo(path)

    assert refusal(path) == [
        f"{path}:0: not a regular file (a FIFO); QuizApp reads bank files only"
    ]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_link_to_a_device_is_refused_not_read_forever(tmp_path: Path) -> None:
    path = tmp_path / "zero.csv"
    path.symlink_to("/dev/zero")

    assert refusal(path) == [
        f"{path}:0: not a regular file (a device); QuizApp reads bank files only"
    ]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.mkdir()

    assert refusal(path) == [
        f"{path}:0: not a regular file (a folder); QuizApp reads bank files only"
    ]


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "gone.gift"

    assert refusal(path) == [f"{path}:0: cannot read the file: No such file or directory"]


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="no /proc here")
def test_the_size_limit_holds_while_reading_a_file_that_claims_to_be_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # /proc files are regular files of size 0 that read as much as they hold.
    monkeypatch.setattr(formats, "MAX_TEXT_BANK_BYTES", 1000)
    path = tmp_path / "maps.csv"
    path.symlink_to("/proc/self/maps")
    assert Path("/proc/self/maps").stat().st_size == 0
    assert len(Path("/proc/self/maps").read_bytes()) > 1000

    (message,) = refusal(path)
    assert message.startswith(f"{path}:0: the file is ")
    assert message.endswith("QuizApp reads as a csv bank")


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formats, "MAX_TEXT_BANK_BYTES", 3 * 2**20)
    path = tmp_path / "big.csv"
    path.write_bytes(b"front,back\n" * 400_000)

    assert refusal(path) == [
        f"{path}:0: the file is 4 MB, more than the 3 MB QuizApp reads as a csv bank"
    ]


# --- the chosen deck, in one place ----------------------------------------------------------

_EVERY_FORMAT = {
    "bank.gift": b"$CATEGORY: Mine/Own\n\nQ1 {T}\n\nQ2 {=a}\n",
    "bank.xml": (
        b"<quiz><question type='category'><category><text>$course$/top/Own</text>"
        b"</category></question><question type='truefalse'><name><text>T</text></name>"
        b"<questiontext><text>Q</text></questiontext>"
        b"<answer fraction='100'><text>true</text></answer>"
        b"<answer fraction='0'><text>false</text></answer></question></quiz>"
    ),
    "bank.csv": b"#deck column:3\nq,a,Own\n",
    "bank.yaml": (
        b"quizapp_bank: 1\ndecks:\n  - name: Own\n    notes:\n      - {front: q, back: a}\n"
    ),
}


@pytest.mark.parametrize("name", sorted(_EVERY_FORMAT))
def test_a_chosen_deck_takes_every_note_whatever_the_format(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(_EVERY_FORMAT[name])

    own = read_bank(path)
    chosen = read_bank(path, options=ParseOptions(deck="Chosen::Deck"))

    assert "Chosen::Deck" not in own.deck_names
    assert chosen.deck_names == ("Chosen::Deck",)
    assert [item.note for item in chosen.notes] == [item.note for item in own.notes]


# --- bounded lists of problems --------------------------------------------------------------


def test_warnings_beyond_the_first_hundred_are_counted_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "many.gift"
    descriptions = "\n\n".join(f"Description {n}, no answers." for n in range(250))
    path.write_text(descriptions + "\n\nQ {T}\n", encoding="utf-8")

    batch: ImportBatch = read_bank(path)

    assert len(batch.notes) == 1
    assert len(batch.warnings) == MAX_LISTED_ISSUES + 1
    assert batch.warnings[0].line == 1
    assert str(batch.warnings[-1]) == f"{path}:201: … and 150 more warnings like these"


def test_problems_beyond_the_first_hundred_are_counted_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.gift"
    path.write_text("\n\n".join(f"Q{n} {{=a ~%200%b}}" for n in range(130)), encoding="utf-8")

    messages = refusal(path)

    assert len(messages) == MAX_LISTED_ISSUES + 1
    assert messages[-1] == f"{path}:201: … and 30 more problems like these"


# --- one bound on the questions of a file, kept while reading ------------------------------


def _bound_banks(count: int) -> dict[str, bytes]:
    """A bank of ``count`` questions in each text format, one question per line (two
    decks in YAML, a header row in one workbook)."""
    half = count // 2
    yaml_notes = [f"      - {{front: q{n}, back: a}}\n" for n in range(count)]
    moodle = "".join(_TRUE_FALSE.format(n=n) for n in range(count))
    header = b'<row r="1">' + cell("A1", "Front") + cell("B1", "Back") + b"</row>"
    rows = [
        b'<row r="%d">' % (n + 2) + cell(f"A{n + 2}", f"q{n}") + cell(f"B{n + 2}", "a") + b"</row>"
        for n in range(count)
    ]
    return {
        "bank.gift": "".join(f"Q{n} {{T}}\n\n" for n in range(count)).encode(),
        "bank.xml": f"<quiz>\n{moodle}</quiz>\n".encode(),
        "bank.csv": "".join(f"q{n},a\n" for n in range(count)).encode(),
        "bank.yaml": (
            "quizapp_bank: 1\ndecks:\n  - name: D1\n    notes:\n"
            + "".join(yaml_notes[:half])
            + "  - name: D2\n    notes:\n"
            + "".join(yaml_notes[half:])
        ).encode(),
        "bank.xlsx": with_sheet(sheet_of([header, *rows])),
    }


# Where the fourth question of each bank above is.
_FOURTH_LINE = {"bank.gift": 7, "bank.xml": 5, "bank.csv": 4, "bank.yaml": 10, "bank.xlsx": 5}


@pytest.mark.parametrize("name", sorted(_FOURTH_LINE))
def test_a_file_of_more_questions_than_the_bound_is_refused_where_it_passes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    from quizapp.banks import bounds

    monkeypatch.setattr(bounds, "MAX_NOTES", 3)
    path = tmp_path / name
    path.write_bytes(_bound_banks(3)[name])
    assert len(within(lambda: read_bank(path)).notes) == 3

    path.write_bytes(_bound_banks(4)[name])
    assert refusal(path) == [
        f"{path}:{_FOURTH_LINE[name]}: the file holds more than 3 questions; "
        "QuizApp imports at most 3 from one file — split it"
    ]


def test_the_bound_on_questions_is_two_hundred_thousand() -> None:
    from quizapp.banks import bounds

    assert bounds.MAX_NOTES == 200_000
    assert str(bounds.too_many_notes("big.csv", 200_001)) == (
        "big.csv:200001: the file holds more than 200,000 questions; "
        "QuizApp imports at most 200,000 from one file — split it"
    )


# --- YAML: 1.2 values, bounded numbers, no aliases -------------------------------------------


def yaml_bank(note: str) -> bytes:
    """A native bank of one note, given as a flow mapping, on line 5."""
    return f"quizapp_bank: 1\ndecks:\n  - name: D\n    notes:\n      - {note}\n".encode()


def native(tmp_path: Path, data: bytes) -> ImportBatch:
    path = tmp_path / "bank.yaml"
    path.write_bytes(data)
    return within(lambda: read_bank(path))


def native_problems(tmp_path: Path, data: bytes) -> list[str]:
    with pytest.raises(BankError) as caught:
        native(tmp_path, data)
    return [f"{issue.line}: {issue.message}" for issue in caught.value.issues]


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "OFF", "y", "n"])
def test_yaml_1_1_booleans_are_text(tmp_path: Path, word: str) -> None:
    batch = native(tmp_path, yaml_bank(f"{{front: {word}, back: {word}}}"))
    assert batch.notes[0].note.content.front == word  # type: ignore[union-attr]

    problems = native_problems(
        tmp_path, yaml_bank(f"{{kind: true_false, statement: s, answer: {word}}}")
    )
    assert problems == [f"5: 'answer' must be true or false, not '{word}'"]


@pytest.mark.parametrize(
    ("written", "read"),
    [("010", 10.0), ("1e3", 1000.0), ("-.5", -0.5), ("+7", 7.0), ("1.", 1.0)],
)
def test_yaml_numbers_are_read_as_yaml_1_2_decimals(
    tmp_path: Path, written: str, read: float
) -> None:
    batch = native(tmp_path, yaml_bank(f"{{kind: numeric, question: q, answer: {written}}}"))
    assert batch.notes[0].note.content.answer == read  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "written",
    ["1:59:59", "1:59:59:59:59:59:59:59:59:59:59:59", "0o17", "0x1F", "1_000", "2024-01-01"],
)
def test_yaml_1_1_sexagesimal_octal_and_dates_are_text_not_numbers(
    tmp_path: Path, written: str
) -> None:
    batch = native(tmp_path, yaml_bank(f"{{front: {written}, back: b}}"))
    assert batch.notes[0].note.content.front == written  # type: ignore[union-attr]

    problems = native_problems(
        tmp_path, yaml_bank(f"{{kind: numeric, question: q, answer: {written}}}")
    )
    assert problems == [f"5: 'answer' must be a number, not '{written}'"]


@pytest.mark.parametrize("digits", [17, 401, 5000])
@pytest.mark.parametrize(
    "note",
    [
        "{{kind: numeric, question: q, answer: {big}}}",
        "{{kind: numeric, question: q, answer: 1, tolerance: {big}}}",
        "{{kind: numeric, question: q, answer: 1, alternatives: [{{low: -{big}, high: 1}}]}}",
        "{{kind: numeric, question: q, answer: .inf}}",
    ],
)
def test_a_yaml_number_beyond_1e15_is_out_of_range_not_an_overflow(
    tmp_path: Path, note: str, digits: int
) -> None:
    problems = native_problems(tmp_path, yaml_bank(note.format(big="9" * digits)))

    (problem,) = problems
    assert problem.startswith("5: '")
    assert problem.endswith("is out of range: QuizApp holds numbers within ±1e15")


def test_a_yaml_list_holding_a_huge_number_is_out_of_range(tmp_path: Path) -> None:
    note = f"{{kind: multiple_response, question: q, choices: [a, b], weights: [1, {'9' * 401}]}}"

    problem = native_problems(tmp_path, yaml_bank(note))[0]

    assert problem.startswith("5: 'weights' holds the number '9999")
    assert "(401 characters) is out of range" in problem


def alias_bomb(width: int) -> bytes:
    """``width`` decks each of ``width`` aliases of one note: ``width``² notes expanded."""
    notes = ", ".join(["*n"] * width)
    decks = ", ".join(["*d"] * width)
    return (
        "quizapp_bank: 1\nx: &n {front: q, back: a}\n"
        f"y: &d {{name: Bomb, notes: [{notes}]}}\n"
        f"decks:\n  - {{name: Fine, notes: [{{front: f, back: b}}]}}\n  - [{decks}]\n"
    ).encode()


@pytest.mark.parametrize("width", [600, 6000])
def test_a_yaml_alias_bomb_is_refused_before_it_expands(tmp_path: Path, width: int) -> None:
    assert native_problems(tmp_path, alias_bomb(width)) == [
        "3: YAML aliases (*name) are not allowed in a bank"
    ]


def test_an_asterisk_in_text_is_no_alias(tmp_path: Path) -> None:
    batch = native(tmp_path, yaml_bank("{front: '*bold* and 2 * 3', back: \"*x\"}"))
    assert batch.notes[0].note.content.front == "*bold* and 2 * 3"  # type: ignore[union-attr]


# --- GIFT: bounded answers and numbers, patterns that cannot backtrack -----------------------


def gift(tmp_path: Path, data: bytes) -> ImportBatch:
    path = tmp_path / "bank.gift"
    path.write_bytes(data)
    return within(lambda: read_bank(path))


def gift_problems(tmp_path: Path, data: bytes) -> list[str]:
    with pytest.raises(BankError) as caught:
        gift(tmp_path, data)
    return [f"{issue.line}: {issue.message}" for issue in caught.value.issues]


@pytest.mark.parametrize("count", [1001, 400_000])
@pytest.mark.parametrize(
    "block", ["Q {{=a{rest}}}", "Q {{{rest}}}", "Q {{#1{rest}}}", "Q {{=a->b{rest}}}"]
)
def test_a_gift_question_with_too_many_answers_is_refused_at_its_line(
    tmp_path: Path, count: int, block: str
) -> None:
    rest = ("~a" if "{=a{" in block else "=") * count
    data = b"Fine {T}\n\n" + block.format(rest=rest).encode()

    (problem,) = gift_problems(tmp_path, data)

    assert problem.startswith("3: question 'Q': ")
    assert problem.endswith(
        "answers ('=' and '~') in one question, more than the 1,000 QuizApp reads: "
        "split the question"
    )


def test_a_gift_question_with_a_thousand_answers_is_read(tmp_path: Path) -> None:
    batch = gift(tmp_path, b"Q {=a" + b"".join(b"~b%d" % n for n in range(999)) + b"}")
    assert len(batch.notes[0].note.content.choices) == 1000  # type: ignore[union-attr]


@pytest.mark.parametrize("digits", [17, 401, 100_000])
@pytest.mark.parametrize(
    ("block", "what"),
    [
        ("{{#{big}}}", "numerical answer"),
        ("{{#1:{big}}}", "the margin"),
        ("{{#-{big}..1}}", "the range"),
        ("{{#1e{big}}}", "numerical answer"),
    ],
)
def test_a_gift_number_beyond_1e15_is_out_of_range(
    tmp_path: Path, digits: int, block: str, what: str
) -> None:
    (problem,) = gift_problems(tmp_path, ("Q " + block.format(big="9" * digits)).encode())

    assert problem.startswith(f"1: question 'Q': {what} '")
    assert problem.endswith("is out of range: QuizApp holds numbers within ±1e15")


def test_a_tiny_exponent_is_a_number_near_zero(tmp_path: Path) -> None:
    batch = gift(tmp_path, b"Q {#0:1e-99999999999999999999}")
    assert batch.notes[0].note.content.tolerance == 0  # type: ignore[union-attr]


@pytest.mark.parametrize("size", [50_000, 500_000])
@pytest.mark.parametrize(
    "shape",
    [
        "<" * 2,  # a description full of "<": its label's tags
        "<a" * 2,
        "[id:" * 2,  # comments the [id:] and [tag:] patterns search
        "[tag:\\]" * 2,
        "%" + "-" * 2,  # weights
    ],
)
def test_pathological_gift_texts_are_read_in_linear_time(
    tmp_path: Path, size: int, shape: str
) -> None:
    filler = (shape * (size // len(shape)))[:size]
    data = f"// {filler}\n{filler}\n\nQ {{={filler}}}\n".encode()

    within(lambda: gift_outcome(tmp_path, data), seconds=30)


def gift_outcome(tmp_path: Path, data: bytes) -> ImportBatch | BankError:
    try:
        return gift(tmp_path, data)
    except BankError as error:
        return error


# --- Moodle XML: bounded elements and numbers -------------------------------------------------


def moodle(tmp_path: Path, data: bytes) -> ImportBatch:
    path = tmp_path / "bank.xml"
    path.write_bytes(data)
    return within(lambda: read_bank(path))


def moodle_problems(tmp_path: Path, data: bytes) -> list[str]:
    with pytest.raises(BankError) as caught:
        moodle(tmp_path, data)
    return [f"{issue.line}: {issue.message}" for issue in caught.value.issues]


_TRUE_FALSE = (
    "<question type='truefalse'><name><text>T{n}</text></name>"
    "<questiontext format='html'><text><![CDATA[<p><b>Is</b> <i>{n}</i> <u>odd</u>?</p>]]>"
    "</text></questiontext><answer fraction='100'><text>true</text></answer>"
    "<answer fraction='0'><text>false</text></answer></question>\n"
)


@pytest.mark.parametrize("count", [1_000_001, 3_000_000])
def test_a_moodle_file_of_too_many_elements_is_refused_before_it_is_parsed(
    tmp_path: Path, count: int
) -> None:
    data = b"<?xml version='1.0'?>\n<quiz>\n" + b"<a/>\n" * (count - 1) + b"</quiz>\n"

    assert moodle_problems(tmp_path, data) == [
        "1000002: the file holds more than 1,000,000 XML elements: split it"
    ]


def test_tags_inside_cdata_do_not_count_as_elements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.banks import moodle_xml

    monkeypatch.setattr(moodle_xml, "MAX_ELEMENTS", 100)
    questions = "".join(_TRUE_FALSE.format(n=n) for n in range(9))  # 9 x 9 elements

    batch = moodle(tmp_path, f"<quiz>\n{questions}</quiz>".encode())
    assert len(batch.notes) == 9

    more = "".join(_TRUE_FALSE.format(n=n) for n in range(12))  # 108 elements and <quiz>
    assert moodle_problems(tmp_path, f"<quiz>\n{more}</quiz>".encode()) == [
        "13: the file holds more than 100 XML elements: split it"
    ]


def test_questions_are_read_as_they_are_parsed_with_their_lines(tmp_path: Path) -> None:
    questions = "".join(_TRUE_FALSE.format(n=n) for n in range(3))
    batch = moodle(tmp_path, f"<quiz>\n<stray/>\n{questions}</quiz>".encode())

    assert [item.line for item in batch.notes] == [3, 4, 5]
    assert [str(w) for w in batch.warnings] == [
        f"{tmp_path / 'bank.xml'}:2: <stray> is not a question; skipped"
    ]


@pytest.mark.parametrize("digits", [17, 401, 5000])
@pytest.mark.parametrize(
    ("answer", "what"),
    [
        ("<answer fraction='{big}'><text>1</text></answer>", "the answer's fraction"),
        ("<answer fraction='100'><text>{big}</text></answer>", "a numerical answer"),
        (
            "<answer fraction='100'><text>1</text><tolerance>{big}</tolerance></answer>",
            "the tolerance",
        ),
        ("<answer fraction='100'><text>1e400</text></answer>", "a numerical answer"),
    ],
)
def test_a_moodle_number_beyond_1e15_is_out_of_range(
    tmp_path: Path, digits: int, answer: str, what: str
) -> None:
    data = (
        "<quiz>\n<question type='numerical'><name><text>N</text></name>\n"
        "<questiontext><text>How many?</text></questiontext>\n"
        f"{answer.format(big='9' * digits)}\n</question></quiz>"
    ).encode()

    (problem,) = moodle_problems(tmp_path, data)

    assert problem.startswith(f"4: question 'N': {what} '")
    assert problem.endswith("is out of range: QuizApp holds numbers within ±1e15")


# --- CSV: a quote never closed -----------------------------------------------------------------


@pytest.mark.parametrize("size", [3_000_000, 30_000_000])
def test_a_quote_never_closed_is_reported_where_it_opens_in_bounded_memory(
    tmp_path: Path, size: int
) -> None:
    path = tmp_path / "bank.csv"
    path.write_bytes(b'front,back\nq,"a\nb",c\nq2,"never closed\n' + b"x,y\n" * (size // 4))

    assert refusal(path) == [f"{path}:4: a quoted field opened here is never closed"]


def test_a_long_quoted_field_that_closes_is_too_long_not_unclosed(tmp_path: Path) -> None:
    path = tmp_path / "bank.csv"
    path.write_bytes(b'front,back\nq,"' + b"x\n" * (1 << 20) + b'"\nq2,b\n')

    assert refusal(path) == [f"{path}:2: a field is longer than 1 MB: is a quote never closed?"]


# --- XLSX: only the used columns, bounded rows -------------------------------------------------

_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def with_sheet(sheet_xml: bytes) -> bytes:
    """A workbook made by openpyxl whose first sheet's XML is ``sheet_xml``."""
    import io
    import zipfile

    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            target.writestr(item.filename, data)
    return out.getvalue()


def cell(reference: str, text: str) -> bytes:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def sheet_of(rows: list[bytes], dimension: str = "") -> bytes:
    declared = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return _SHEET_HEAD + declared + b"<sheetData>" + b"".join(rows) + b"</sheetData></worksheet>"


def xlsx(tmp_path: Path, data: bytes) -> ImportBatch:
    path = tmp_path / "bank.xlsx"
    path.write_bytes(data)
    return within(lambda: read_bank(path))


def xlsx_problems(tmp_path: Path, data: bytes) -> list[str]:
    with pytest.raises(BankError) as caught:
        xlsx(tmp_path, data)
    return [f"{issue.line}: {issue.message}" for issue in caught.value.issues]


@pytest.mark.parametrize("count", [2_000, 20_000])
@pytest.mark.parametrize("dimension", ["", "A1:XFD{last}"])
def test_a_cell_in_column_xfd_costs_one_cell_not_a_row_of_16384(
    tmp_path: Path, count: int, dimension: str
) -> None:
    header = b'<row r="1">' + cell("A1", "Front") + cell("B1", "Back") + b"</row>"
    far = [
        b'<row r="%d">' % n + cell(f"A{n}", f"q{n}") + cell(f"XFD{n}", "far") + b"</row>"
        for n in range(2, count + 2)
    ]
    data = with_sheet(sheet_of([header, *far], dimension.format(last=count + 1)))

    batch = xlsx(tmp_path, data)

    assert len(batch.notes) == count
    assert batch.notes[-1].note.content.front == f"q{count + 1}"  # type: ignore[union-attr]


@pytest.mark.parametrize("row", [1_048_577, 10**12])
def test_a_row_beyond_excels_last_is_refused_without_making_the_rows_between(
    tmp_path: Path, row: int
) -> None:
    rows = [
        b'<row r="1">' + cell("A1", "q") + b"</row>",
        b'<row r="%d">' % row + cell(f"A{row}", "far") + b"</row>",
    ]

    assert xlsx_problems(tmp_path, with_sheet(sheet_of(rows))) == [
        f"0: the sheet declares row {row:,}, beyond the 1,048,576 rows a sheet can have: refused"
    ]


def test_a_sheet_declaring_too_many_rows_is_refused(tmp_path: Path) -> None:
    rows = [b'<row r="1">' + cell("A1", "q") + b"</row>"]

    assert xlsx_problems(tmp_path, with_sheet(sheet_of(rows, "A1:B2000000"))) == [
        "0: the sheet declares row 2,000,000, beyond the 1,048,576 rows a sheet can have: refused"
    ]


def test_a_sheet_with_a_document_type_is_refused(tmp_path: Path) -> None:
    sheet = sheet_of([b'<row r="1">' + cell("A1", "q") + b"</row>"])
    sheet = sheet.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY a "aaaa">]><worksheet', 1)

    (problem,) = xlsx_problems(tmp_path, with_sheet(sheet))
    assert problem.startswith("0: cannot read the sheet")
    assert "document type" in problem


def test_cell_values_are_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    import datetime
    import io

    import openpyxl

    from quizapp.banks import xlsx_sheet

    book = openpyxl.Workbook()
    sheet = book.active
    rows = [
        ["Front", "Back", "Extra", "Tags"],
        ["text", 42, 3.5, True],
        [datetime.date(2024, 2, 29), datetime.datetime(2024, 1, 2, 3, 4, 5), datetime.time(7, 8)],
        [None, "", 1e20, -0.0],
        ["=1+1", False, 7.0, "  spaced  "],
    ]
    for row in rows:
        sheet.append(row)
    sheet["A6"] = "after a gap"
    buffer = io.BytesIO()
    book.save(buffer)

    loaded = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()), read_only=True, data_only=True)
    expected = []
    for number, values in enumerate(loaded.worksheets[0].iter_rows(values_only=True), 1):
        cells = [xlsx_sheet.cell_text(value) for value in values]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            expected.append((number, tuple(cells)))
    loaded.close()

    mine = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()), read_only=True, data_only=True)
    assert list(xlsx_sheet.sheet_rows(mine)) == expected
    mine.close()


@pytest.mark.parametrize("size", [20_000, 200_000])
@pytest.mark.parametrize("shape", ["1", "1.", ".1", "1e", "-", "t"])
def test_yaml_values_that_almost_are_numbers_are_read_in_linear_time(
    tmp_path: Path, size: int, shape: str
) -> None:
    value = (shape * (size // len(shape)))[:size] + "x"
    batch = native(tmp_path, yaml_bank(f"{{front: {value}, back: b}}"))
    assert batch.notes[0].note.content.front == value  # type: ignore[union-attr]


@pytest.mark.parametrize("count", [2_000, 20_000])
def test_a_sheet_head_full_of_dimension_openings_is_searched_in_linear_time(
    tmp_path: Path, count: int
) -> None:
    # Not XML: each "<dimension" opens a tag the next one breaks.
    sheet = _SHEET_HEAD + b"<dimension a='1' " * count + b"/><sheetData></sheetData></worksheet>"

    (problem,) = xlsx_problems(tmp_path, with_sheet(sheet))
    assert problem.startswith("0: cannot read the")


def test_rich_inline_text_is_read_without_its_phonetic_guide(tmp_path: Path) -> None:
    rich = (
        b'<c r="A2" t="inlineStr"><is><r><t>To</t></r><r><t xml:space="preserve">kyo &amp; '
        b"</t></r><rPh><t>tokyo</t></rPh><r><t>more</t></r></is></c>"
    )
    header = b'<row r="1">' + cell("A1", "Front") + cell("B1", "Back") + b"</row>"
    row = b'<row r="2">' + rich + b'<c r="B2" t="b"><v>1</v></c></row>'

    batch = xlsx(tmp_path, with_sheet(sheet_of([header, row])))

    content = batch.notes[0].note.content
    assert (content.front, content.back) == ("Tokyo & more", "TRUE")  # type: ignore[union-attr]
