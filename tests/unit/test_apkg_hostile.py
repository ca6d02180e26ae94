"""Anki packages built to hurt: bombs padded past the size checks, dates out of range.

A bomb is stopped while it streams, before more than a bounded amount is written,
wherever its padding sits and whatever its size; an answer dated outside 1970 to
2200 is left out with a warning naming its note, and the rest of the history kept;
fields of bare markup are judged in linear time.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
import time
import zipfile
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.banks import BankError
from quizapp.banks.apkg import _VISIBLE_WORD, LATEST_ANSWER, parse_apkg
from quizapp.banks.apkg_archive import MAX_AHEAD_BYTES, MAX_RATIO, open_package
from quizapp.banks.formats import ParseOptions
from quizapp.domain import ImportBatch
from tests.unit.test_apkg import UPDATE1, entries_of, zip_of, zstd_bomb

# Far more than a stopped bomb writes (MAX_AHEAD_BYTES and a little), far less than the
# 2 GiB a padded bomb wrote before.
WRITTEN_AT_MOST = 2 * MAX_AHEAD_BYTES
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NOTE = "note 'cU1%zNUzk1' ('hello')"  # the one note of UPDATE1


class CountingSink:
    """A place to unpack into that keeps only the count."""

    def __init__(self) -> None:
        self.written = 0

    def write(self, chunk: bytes) -> int:
        self.written += len(chunk)
        return len(chunk)


def skippable_frame(size: int) -> bytes:
    """A zstd frame that decoders skip: padding that is still valid zstd."""
    return b"\x50\x2a\x4d\x18" + size.to_bytes(4, "little") + bytes(size)


def current_package(collection: bytes) -> bytes:
    return zip_of({"meta": b"\x08\x03", "collection.anki21b": collection}, zipfile.ZIP_STORED)


def unpacked_before_refusal(data: bytes, name: str, *, compressed: bool) -> tuple[int, str]:
    archive = open_package(data, "deck.apkg")
    sink = CountingSink()
    with pytest.raises(BankError) as raised:
        archive.copy_to(name, sink, compressed=compressed)  # type: ignore[arg-type]
    archive.close()
    (issue,) = raised.value.issues
    assert issue.file == "deck.apkg"
    return sink.written, issue.message


# --- bombs ------------------------------------------------------------------------------


@pytest.mark.parametrize("padding", [2 * 1024**2, 11 * 1024**2])
@pytest.mark.parametrize("padding_first", [False, True])
def test_a_padded_zstd_bomb_is_stopped_while_it_streams(padding: int, padding_first: bool) -> None:
    bomb, pad = zstd_bomb(3 * 1024**3), skippable_frame(padding)
    data = current_package(pad + bomb if padding_first else bomb + pad)

    written, message = unpacked_before_refusal(data, "collection.anki21b", compressed=True)

    assert written <= WRITTEN_AT_MOST
    assert "'collection.anki21b'" in message
    assert f"past {MAX_RATIO} times its packed size" in message


def test_a_padded_zstd_bomb_package_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    data = current_package(zstd_bomb(3 * 1024**3) + skippable_frame(11 * 1024**2))

    with pytest.raises(BankError) as raised:
        parse_apkg(data, "deck.apkg", ParseOptions())

    assert "collection.anki21b" in str(raised.value.issues[0])


def with_deflate_bomb(entries: dict[str, bytes], name: str, total: int) -> bytes:
    """A zip of ``entries`` where ``name`` holds ``total`` zeros deflated, padded so that
    its header's sizes (which tell the truth about the size) look like an honest ratio.
    The checksum is wrong, but a bomb is stopped long before it could be checked."""
    squeezer = zlib.compressobj(9, zlib.DEFLATED, -15)
    # After a full flush the compressor starts afresh: one mebibyte's output repeats.
    mebibyte = squeezer.compress(bytes(1024**2)) + squeezer.flush(zlib.Z_FULL_FLUSH)
    stream = mebibyte * (total // 1024**2) + squeezer.flush()
    entries = {**entries, name: stream + bytes(total // MAX_RATIO)}
    data = bytearray(zip_of(entries, zipfile.ZIP_STORED))
    position = data.find(b"PK\x01\x02")
    while data[position + 46 : position + 46 + len(name)] != name.encode():
        position = data.find(b"PK\x01\x02", position + 4)
    data[position + 10 : position + 12] = (8).to_bytes(2, "little")  # deflated
    data[position + 24 : position + 28] = total.to_bytes(4, "little")
    return bytes(data)


@pytest.mark.parametrize("total", [256 * 1024**2, 1024**3])
def test_a_padded_deflate_bomb_is_stopped_while_it_streams(total: int) -> None:
    data = with_deflate_bomb({}, "collection.anki2", total)

    written, message = unpacked_before_refusal(data, "collection.anki2", compressed=False)

    assert written <= WRITTEN_AT_MOST
    assert "a zip bomb?" in message


def test_a_padded_bomb_as_a_media_file_refuses_the_package() -> None:
    entries = {**entries_of(UPDATE1.read_bytes()), "media": b'{"0": "silence.mp3"}'}
    data = with_deflate_bomb(entries, "0", 256 * 1024**2)

    with pytest.raises(BankError) as raised:
        parse_apkg(data, "deck.apkg", ParseOptions())

    assert "'0' in the package unpacks to" in raised.value.issues[0].message


def test_an_honest_package_still_reads() -> None:
    batch = parse_apkg(zip_of(entries_of(UPDATE1.read_bytes())), "deck.apkg", ParseOptions())

    assert len(batch.notes) == 1


# --- answers out of range ----------------------------------------------------------------


def with_answers(times: list[int], *, notes: int = 1, ease: int = 3) -> bytes:
    """UPDATE1 with ``notes`` copies of its note, each answered at ``times`` (seconds
    since 1970) with ``ease`` (3: Good)."""
    entries = entries_of(UPDATE1.read_bytes())
    path = Path(tempfile.mkdtemp()) / "collection.sqlite"
    path.write_bytes(entries["collection.anki2"])
    connection = sqlite3.connect(path)
    with connection:
        note = connection.execute("SELECT * FROM notes").fetchone()
        card = connection.execute("SELECT * FROM cards").fetchone()
        for index in range(1, notes):
            connection.execute(
                "INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (note[0] + index, f"{note[1]}-{index}", *note[2:6], f"hello {index}\x1fworld",
                 *note[7:]),
            )  # fmt: skip
            connection.execute(
                "INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (card[0] + index, note[0] + index, *card[2:]),
            )
        for index in range(notes):
            for offset, time in enumerate(times):
                connection.execute(
                    "INSERT INTO revlog VALUES (?,?,0,?,1,0,2500,4000,1)",
                    (time * 1000 + offset + index * 10, card[0] + index, ease),
                )  # ids are unique; the answer times stay within a second of ``time``
    connection.close()
    entries["collection.anki2"] = path.read_bytes()
    return zip_of(entries)


def seconds(when: datetime) -> int:
    return (when - EPOCH) // timedelta(seconds=1)


GOOD = seconds(datetime(2023, 11, 14, tzinfo=UTC))


def parse(data: bytes) -> ImportBatch:
    return parse_apkg(data, "deck.apkg", ParseOptions())


@pytest.mark.parametrize(
    ("when", "shown"),
    [
        (seconds(datetime(9999, 12, 31, tzinfo=UTC)), "9999-12-31"),
        (seconds(datetime(9990, 6, 1, tzinfo=UTC)), "9990-06-01"),
        (seconds(LATEST_ANSWER), "2200-01-01"),
        (-1, "1969-12-31"),
        (2**52, "after the year 9999"),
        (-(2**52), "before the year 1"),
    ],
)
def test_an_answer_outside_1970_to_2200_is_skipped_naming_its_note(when: int, shown: str) -> None:
    batch = parse(with_answers([GOOD, when]))

    assert [review.reviewed_at.year for review in batch.reviews] == [2023]
    assert [str(warning) for warning in batch.warnings] == [
        f"deck.apkg:0: {NOTE}: 1 answer dated outside 1970 to 2200 (the first {shown}); skipped"
    ]


def test_the_last_moment_before_2200_is_kept() -> None:
    last = seconds(LATEST_ANSWER) - 1

    batch = parse(with_answers([last]))

    assert [review.reviewed_at.year for review in batch.reviews] == [2199]
    assert batch.warnings == ()


def test_many_notes_with_answers_out_of_range_are_named_up_to_ten_then_counted() -> None:
    batch = parse(with_answers([GOOD, seconds(datetime(9999, 1, 1, tzinfo=UTC))] * 2, notes=13))

    messages = [warning.message for warning in batch.warnings]
    assert len(batch.reviews) == 13 * 2
    assert len(messages) == 11
    assert all("2 answers dated outside 1970 to 2200" in message for message in messages[:10])
    assert messages[10] == "6 answers of 3 more notes are dated outside 1970 to 2200; skipped"


# --- the quick proof that a field shows a word --------------------------------------------

OLD_VISIBLE_WORD = re.compile(r"(?:^|>)[^<&]*?\w")
HANG_GUARD_SECONDS = 3.0  # the shapes below take milliseconds; the old pattern, minutes


@given(st.text(st.sampled_from("<>&a ;/é_-"), max_size=30))
def test_a_visible_word_is_found_where_it_was_before(text: str) -> None:
    assert bool(_VISIBLE_WORD.search(text)) == bool(OLD_VISIBLE_WORD.search(text))


@pytest.mark.parametrize("size", [10_000, 100_000])
@pytest.mark.parametrize("unit", [">", "<>", "> ", "&>", ">;<"])
def test_a_field_of_markup_without_words_is_judged_without_hanging(unit: str, size: int) -> None:
    text = unit * (size // len(unit))
    started = time.perf_counter()

    assert _VISIBLE_WORD.search(text) is None

    assert time.perf_counter() - started < HANG_GUARD_SECONDS
