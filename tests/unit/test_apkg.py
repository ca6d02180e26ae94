"""Anki packages: what a user's decks become, and hostile packages refused without harm.

Real packages are written by Anki's own library (the ``anki`` package, a
test-only dependency) in every layout it exports: current and legacy
``.apkg`` and ``.colpkg``.  Hostile ones are built here, byte by byte.
"""

from __future__ import annotations

import ast
import contextlib
import io
import sqlite3
import struct
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import zstandard
from anki import import_export_pb2 as import_export
from anki.collection import Collection, ExportAnkiPackageOptions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.banks import BankError
from quizapp.banks.apkg import parse_apkg
from quizapp.banks.apkg_archive import MAX_RATIO
from quizapp.banks.apkg_media import media_type
from quizapp.banks.apkg_protobuf import ProtobufError, iter_fields
from quizapp.banks.formats import ParseOptions, detect_format, read_bank
from quizapp.domain import (
    BankFormat,
    BasicContent,
    BatchNote,
    ClozeContent,
    ImportBatch,
    NoteKind,
    TextFormat,
    TypedContent,
)
from tests.unit.test_html import nh3_clean

DATA = Path(__file__).parent.parent / "data" / "apkg"
UPDATE1 = DATA / "anki-update1.apkg"
MEDIA = DATA / "anki-media.apkg"
OPTIONS = ParseOptions()
PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + bytes(16)
BASE_MS = 1_700_000_000_000  # 2023-11-14 22:13:20 UTC
LAYOUTS = ("current.apkg", "legacy.apkg", "current.colpkg", "legacy.colpkg")


def parse(data: bytes, options: ParseOptions = OPTIONS) -> ImportBatch:
    return parse_apkg(data, "deck.apkg", options)


def by_front(batch: ImportBatch) -> dict[str, BatchNote]:
    """The batch's notes by the start of their question text."""
    found = {}
    for batch_note in batch.notes:
        content = batch_note.note.content
        if isinstance(content, ClozeContent):
            found[content.text] = batch_note
        elif isinstance(content, TypedContent):
            found[content.question] = batch_note
        else:
            assert isinstance(content, BasicContent)
            found[content.front] = batch_note
    return found


def zip_of(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def entries_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zstd_bomb(total: int) -> bytes:
    """A zstd frame of RLE blocks: about 4 bytes per 128 KiB of zeros, no size declared."""
    block = 128 * 1024
    count = total // block
    frame = bytearray(b"\x28\xb5\x2f\xfd\x00\x38")  # magic, no content size, 128 KiB window
    for index in range(count):
        last = 1 if index == count - 1 else 0
        frame += ((block << 3) | (1 << 1) | last).to_bytes(3, "little") + b"\x00"
    return bytes(frame)


def set_central_size(data: bytes, name: str, size: int) -> bytes:
    """``data`` with the uncompressed size that the central directory gives ``name`` changed."""
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        name_length = int.from_bytes(data[position + 28 : position + 30], "little")
        if data[position + 46 : position + 46 + name_length] == name.encode():
            patched = bytearray(data)
            patched[position + 24 : position + 28] = size.to_bytes(4, "little")
            return bytes(patched)
        position = data.find(b"PK\x01\x02", position + 4)
    raise AssertionError(f"{name} not in the directory")


# --- packages written by Anki ---------------------------------------------------------


@dataclass
class Written:
    """Packages Anki wrote, and what the test put into them."""

    paths: dict[str, Path]
    guids: dict[str, str] = field(default_factory=dict)
    answered_between: tuple[datetime, datetime] = (datetime.min, datetime.min)
    answered_face: int = -1


def _add(col: Any, type_name: str, deck: str, values: dict[str, str], tags: list[str]) -> Any:
    note = col.new_note(col.models.by_name(type_name))
    for name, value in values.items():
        note[name] = value
    note.tags = tags
    col.add_note(note, col.decks.id(deck))
    return note


def _custom_types(col: Any) -> None:
    """A renamed Basic, a three-field one-card type and a three-card type."""
    models = col.models
    renamed = models.copy(models.by_name("Basic"))
    renamed["name"] = "My Flashcards"
    models.rename_field(renamed, renamed["flds"][0], "Question")
    models.rename_field(renamed, renamed["flds"][1], "Answer")
    renamed["tmpls"][0]["name"] = "Ask"
    models.update_dict(renamed)
    vocabulary = models.new("Vocabulary")
    for name in ("Word", "Meaning", "Example"):
        models.add_field(vocabulary, models.new_field(name))
    template = models.new_template("Recognise")
    template["qfmt"] = "<div>{{Word}}</div>"
    template["afmt"] = "{{FrontSide}}<hr id=answer>{{Meaning}}<br>{{Example}}"
    models.add_template(vocabulary, template)
    models.add_dict(vocabulary)
    triple = models.new("Triple")
    for name in ("A", "B", "C"):
        models.add_field(triple, models.new_field(name))
    for number, (asked, shown) in enumerate((("A", "B"), ("B", "C"), ("C", "A"))):
        template = models.new_template(f"Card {number + 1}")
        template["qfmt"], template["afmt"] = f"{{{{{asked}}}}}", f"{{{{{shown}}}}}"
        models.add_template(triple, template)
    models.add_dict(triple)


# key: (note type, deck, fields, tags)
NOTES: dict[str, tuple[str, str, dict[str, str], list[str]]] = {
    "basic": (
        "Basic",
        "Geo::Europe",
        {"Front": "Capital of <b>France</b>?", "Back": 'Paris <img src="paris.png">'},
        ["geo", "europe::france"],
    ),
    "reversed": (
        "Basic (and reversed card)",
        "Languages::French",
        {"Front": "chien", "Back": "dog [sound:bark.mp3]"},
        [],
    ),
    "optional_on": (
        "Basic (optional reversed card)",
        "Languages::French",
        {"Front": "chat", "Back": "cat", "Add Reverse": "y"},
        [],
    ),
    "optional_off": (
        "Basic (optional reversed card)",
        "Languages::French",
        {"Front": "oiseau", "Back": "bird"},
        [],
    ),
    "typed": ("Basic (type in the answer)", "Maths", {"Front": "2+2?", "Back": "<b>4</b>"}, []),
    "cloze": (
        "Cloze",
        "Geo::Europe",
        {
            "Text": "{{c1::Paris}} is in {{c2::France}}, in {{c3::Europe}}",
            "Back Extra": "Since 987",
        },
        ["geo"],
    ),
    "renamed": ("My Flashcards", "Maths", {"Question": "1+1?", "Answer": "2"}, []),
    "vocabulary": (
        "Vocabulary",
        "Languages::French",
        {"Word": "maison", "Meaning": "house", "Example": 'Ma maison <img src="readme.txt">'},
        [],
    ),
    "triple": ("Triple", "Maths", {"A": "a", "B": "b", "C": "c"}, []),
    "hostile": (
        "Basic",
        "Maths",
        {
            "Front": 'Hi<script>alert(1)</script> <img src="https://evil.example/t.png">',
            "Back": "there",
        },
        [],
    ),
    "empty_back": ("Basic (and reversed card)", "Maths", {"Front": "lonely", "Back": ""}, []),
    "blank": ("Basic", "Maths", {"Front": "soon blank", "Back": "x"}, []),
    "no_cloze": ("Cloze", "Maths", {"Text": "soon {{c1::plain}}"}, []),
    "shrunk": ("Cloze", "Maths", {"Text": "{{c1::one}} {{c2::two}}"}, []),
}


def _fill(col: Any, written: Written) -> dict[str, Any]:
    _custom_types(col)
    notes = {key: _add(col, *spec) for key, spec in NOTES.items()}
    written.guids = {key: note.guid for key, note in notes.items()}
    _edit_behind_ankis_back(col, notes)
    return notes


def _edit_behind_ankis_back(col: Any, notes: dict[str, Any]) -> None:
    """Fields Anki's editor would not save, and a card moved to another deck."""
    edits = {
        "blank": "<div> </div>\x1fx",
        "no_cloze": "soon plain\x1f",
        "shrunk": "{{c1::one}} two\x1f",
    }
    for key, fields in edits.items():
        col.db.execute("UPDATE notes SET flds = ? WHERE id = ?", fields, notes[key].id)
    col.set_deck([notes["optional_on"].cards()[1].id], col.decks.id("Maths"))


def _history(col: Any, notes: dict[str, Any], written: Written) -> None:
    """Suspensions, revlog rows with exact times, and one answer through the scheduler."""
    reverse_card = notes["reversed"].cards()[1]
    cloze_cards = {card.ord: card for card in notes["cloze"].cards()}
    col.sched.suspend_cards([reverse_card.id, cloze_cards[1].id])
    basic_card = notes["basic"].cards()[0].id
    rows = [
        (BASE_MS, basic_card, 3, 4200, 0),  # learning
        (BASE_MS + 600_000, basic_card, 1, 8000, 1),  # review
        (BASE_MS + 86_400_000, basic_card, 4, 1500, 2),  # relearning
        (BASE_MS + 172_800_000, basic_card, 2, 3000, 3),  # filtered deck
        (BASE_MS + 259_200_000, basic_card, 0, 0, 4),  # manual reschedule: not an answer
        (BASE_MS + 259_200_001, basic_card, 3, 0, 5),  # rescheduled: not an answer
        (BASE_MS + 100_000, reverse_card.id, 4, 2000, 1),
        (BASE_MS + 200_000, cloze_cards[2].id, 3, 2500, 1),
        (BASE_MS + 300_000, notes["shrunk"].cards()[1].id, 3, 900, 1),  # its c2 is gone
    ]
    col.db.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
        "VALUES (?, ?, -1, ?, 1, 0, 2500, ?, ?)",
        rows,
    )
    col.decks.select(col.decks.id("Maths"))
    card = col.sched.getCard()
    assert card is not None
    before = datetime.now(UTC)
    card.start_timer()
    col.sched.answerCard(card, 2)
    written.answered_between = (before - timedelta(seconds=1), datetime.now(UTC))
    written.guids["answered"] = card.note().guid
    written.answered_face = card.ord


def write_packages(folder: Path) -> Written:
    """An Anki collection with every stock note type, exported in every layout."""
    col = Collection(str(folder / "collection.anki2"))
    written = Written({name: folder / name for name in LAYOUTS})
    notes = _fill(col, written)
    media = Path(col.media.dir())
    (media / "paris.png").write_bytes(PNG)
    (media / "bark.mp3").write_bytes(MP3)
    (media / "readme.txt").write_bytes(b"not an image\n")
    _history(col, notes, written)
    for name in ("current.apkg", "legacy.apkg"):
        options = ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=True,
            legacy=name.startswith("legacy"),
        )  # fmt: skip
        col.export_anki_package(out_path=str(written.paths[name]), options=options, limit=None)
    col.export_collection_package(str(written.paths["current.colpkg"]), True, False)
    col = Collection(str(folder / "collection.anki2"))
    col.export_collection_package(str(written.paths["legacy.colpkg"]), True, True)
    return written


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    return write_packages(tmp_path_factory.mktemp("anki"))


@pytest.fixture(scope="module", params=LAYOUTS)
def layout_batch(request: pytest.FixtureRequest, written: Written) -> ImportBatch:
    return parse(written.paths[request.param].read_bytes())


# --- the corpus -----------------------------------------------------------------------


def test_update1_package_gives_its_one_basic_note() -> None:
    batch = read_bank(UPDATE1)

    assert len(batch.notes) == 1
    note = batch.notes[0].note
    assert note.kind is NoteKind.BASIC
    assert note.content == BasicContent(front="hello", back="world")
    assert note.guid == "cU1%zNUzk1"
    assert note.text_format is TextFormat.HTML
    assert batch.notes[0].deck == "Default"
    assert batch.warnings == ()
    assert detect_format(UPDATE1, UPDATE1.read_bytes()[:4]) is BankFormat.APKG


def test_media_package_keeps_the_sound_reference_and_skips_a_file_that_is_no_sound() -> None:
    batch = parse(MEDIA.read_bytes())

    assert [n.note.content for n in batch.notes] == [BasicContent("[sound:foo.wav]", "")]
    # Its foo.wav holds the text "abc", so it is not kept as a sound.
    assert batch.media == ()
    assert [issue.message for issue in batch.warnings] == [
        "media file 'foo.wav' is not an image or sound QuizApp knows "
        "(png, jpeg, gif, webp, svg, mp3, ogg, wav, m4a/mp4); skipped"
    ]


def test_a_legacy_media_file_with_known_bytes_is_kept_under_its_name() -> None:
    entries = entries_of(MEDIA.read_bytes())
    entries["0"] = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(20)

    batch = parse(zip_of(entries))

    assert [(media.name, media.data) for media in batch.media] == [("foo.wav", entries["0"])]
    assert batch.warnings == ()


def test_deck_option_puts_every_note_in_that_deck() -> None:
    batch = read_bank(UPDATE1, options=ParseOptions(deck="Imported::Anki"))

    assert batch.deck_names == ("Imported::Anki",)


# --- packages Anki writes -------------------------------------------------------------


def test_every_layout_anki_exports_gives_the_same_batch(written: Written) -> None:
    batches = [parse(written.paths[name].read_bytes()) for name in LAYOUTS]

    first = batches[0]
    for other in batches[1:]:
        assert {n.note.guid: n for n in other.notes} == {n.note.guid: n for n in first.notes}
        assert sorted(other.reviews, key=repr) == sorted(first.reviews, key=repr)
        assert {m.name: m.data for m in other.media} == {m.name: m.data for m in first.media}
        assert sorted(map(str, other.warnings)) == sorted(map(str, first.warnings))


def test_stock_note_types_become_their_kinds(layout_batch: ImportBatch, written: Written) -> None:
    notes = by_front(layout_batch)
    expected = {
        "Capital of <b>France</b>?": (NoteKind.BASIC, 'Paris <img src="paris.png">'),
        "chien": (NoteKind.BASIC_REVERSED, "dog [sound:bark.mp3]"),
        "chat": (NoteKind.BASIC_REVERSED, "cat"),
        "oiseau": (NoteKind.BASIC, "bird"),
        "1+1?": (NoteKind.BASIC, "2"),
    }
    for front, (kind, back) in expected.items():
        assert notes[front].note.kind is kind, front
        assert notes[front].note.content == BasicContent(front=front, back=back)
    typed = notes["2+2?"].note
    assert (typed.kind, typed.content) == (NoteKind.TYPED, TypedContent("2+2?", ("4",)))
    text = "{{c1::Paris}} is in {{c2::France}}, in {{c3::Europe}}"
    cloze = notes[text].note
    assert cloze.kind is NoteKind.CLOZE
    assert cloze.content == ClozeContent(text, extra="Since 987")
    assert cloze.faces == (1, 2, 3)
    assert all(n.note.text_format is TextFormat.HTML for n in layout_batch.notes)
    assert notes["chien"].note.guid == written.guids["reversed"]


def test_decks_tags_and_suspended_cards_are_kept(layout_batch: ImportBatch) -> None:
    notes = by_front(layout_batch)
    cloze = notes["{{c1::Paris}} is in {{c2::France}}, in {{c3::Europe}}"]

    assert notes["Capital of <b>France</b>?"].deck == "Geo::Europe"
    assert notes["chien"].deck == "Languages::French"
    assert notes["2+2?"].deck == "Maths"
    assert set(notes["Capital of <b>France</b>?"].note.tags) == {"geo", "europe::france"}
    assert notes["chien"].suspended_faces == {1}
    assert cloze.suspended_faces == {2}
    assert notes["Capital of <b>France</b>?"].suspended_faces == frozenset()
    assert set(layout_batch.deck_names) == {"Geo::Europe", "Languages::French", "Maths"}


def test_review_history_keeps_answers_with_exact_times_and_skips_reschedules(
    layout_batch: ImportBatch, written: Written
) -> None:
    def at(offset_ms: int) -> datetime:
        return datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC) + timedelta(milliseconds=offset_ms)

    history = sorted(
        (review.reviewed_at, review.guid, review.face, review.rating, review.duration_ms)
        for review in layout_batch.reviews
        if review.reviewed_at.year == 2023
    )
    guids = written.guids
    assert history == [
        (at(0), guids["basic"], 0, 3, 4200),
        (at(100_000), guids["reversed"], 1, 4, 2000),
        (at(200_000), guids["cloze"], 3, 3, 2500),
        (at(600_000), guids["basic"], 0, 1, 8000),
        (at(86_400_000), guids["basic"], 0, 4, 1500),
        (at(172_800_000), guids["basic"], 0, 2, 3000),
    ]
    (answered,) = [review for review in layout_batch.reviews if review.reviewed_at.year != 2023]
    assert answered.guid == guids["answered"]
    assert answered.face == written.answered_face
    assert answered.rating == 2
    low, high = written.answered_between
    assert low <= answered.reviewed_at <= high
    assert answered.reviewed_at.tzinfo is UTC


def test_media_keeps_images_and_sounds_and_warns_of_other_files(layout_batch: ImportBatch) -> None:
    media = {item.name: item.data for item in layout_batch.media}

    assert media == {"paris.png": PNG, "bark.mp3": MP3}
    assert any("'readme.txt' is not an image or sound" in str(w) for w in layout_batch.warnings)


def test_other_note_types_are_adapted_or_skipped_with_a_warning(
    layout_batch: ImportBatch,
) -> None:
    notes = by_front(layout_batch)
    messages = [issue.message for issue in layout_batch.warnings]

    vocabulary = notes["maison"]
    assert vocabulary.note.kind is NoteKind.BASIC
    assert vocabulary.note.content == BasicContent(
        "maison", 'house<br>Ma maison <img src="readme.txt">'
    )
    assert (
        "note type 'Vocabulary' is not one of Anki's stock types; its 1 notes were imported as "
        "basic notes (question: Word; answer: Meaning, Example)"
    ) in messages
    assert "a" not in notes
    assert any(m.startswith("note type 'Triple' with 1 notes is not supported") for m in messages)
    assert not any("My Flashcards" in m for m in messages)


def test_scripts_and_remote_images_are_removed_with_a_warning(layout_batch: ImportBatch) -> None:
    ((front, hostile),) = [
        (front, note) for front, note in by_front(layout_batch).items() if front.startswith("Hi")
    ]

    assert "script" not in front
    assert "evil.example" not in front
    assert front.startswith("Hi")
    (warning,) = [w.message for w in layout_batch.warnings if hostile.note.guid in w.message]
    assert "scripts were removed" in warning
    assert "https://evil.example/t.png" in warning


# --- hostile and broken packages ------------------------------------------------------


def refusal(data: bytes) -> str:
    with pytest.raises(BankError) as raised:
        parse(data)
    (issue,) = raised.value.issues
    assert issue.file == "deck.apkg"
    return issue.message


@pytest.mark.parametrize(
    "name", ["../evil.png", "/etc/evil", "media\\..\\evil", "C:evil", "a/../../b"]
)
def test_entry_names_that_escape_are_refused(name: str) -> None:
    entries = entries_of(UPDATE1.read_bytes())
    entries[name] = PNG

    assert "points outside the package" in refusal(zip_of(entries))


def test_a_zip_bomb_is_refused_from_its_header() -> None:
    entries = entries_of(UPDATE1.read_bytes())
    entries["0"] = bytes(8 * 1024**2)

    assert "a zip bomb" in refusal(zip_of(entries))


def test_a_header_that_understates_an_entry_is_caught_while_reading() -> None:
    data = zip_of(entries_of(UPDATE1.read_bytes()))

    message = refusal(set_central_size(data, "collection.anki2", 4096))

    assert "damaged" in message
    assert "collection.anki2" in message


def test_a_header_that_overstates_an_entry_is_refused() -> None:
    data = zip_of(entries_of(UPDATE1.read_bytes()))

    message = refusal(set_central_size(data, "collection.anki2", 0xFFFF_FFF0))

    assert "would unpack to" in message


def with_directory_claim(data: bytes, entries: int, size: int, *, zip64: bool) -> bytes:
    """``data`` whose end record claims ``entries`` entries in a ``size``-byte directory."""
    end = data.rfind(b"PK\x05\x06")
    record = bytearray(data[end:])
    offset = int.from_bytes(record[16:20], "little")
    if not zip64:
        record[10:12], record[12:16] = entries.to_bytes(2, "little"), size.to_bytes(4, "little")
        return data[:end] + bytes(record)
    record[8:12], record[12:16] = b"\xff" * 4, b"\xff" * 4
    zip64_end = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, size, offset
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    return data[:end] + zip64_end + locator + bytes(record)


@pytest.mark.parametrize("zip64", [False, True])
def test_a_directory_too_large_to_hold_is_refused_before_it_is_read(zip64: bool) -> None:
    data = zip_of(entries_of(UPDATE1.read_bytes()))

    message = refusal(with_directory_claim(data, 60_000, 64 * 1024**2, zip64=zip64))

    assert "60,000 entries in a 67,108,864-byte directory" in message


def test_a_zstd_bomb_collection_is_refused_while_streaming() -> None:
    bomb = zstd_bomb(3 * 1024**3)
    data = zip_of({"meta": b"\x08\x03", "collection.anki21b": bomb}, zipfile.ZIP_STORED)

    message = refusal(data)

    assert "collection.anki21b" in message
    assert f"past {MAX_RATIO} times its packed size" in message


def test_a_zstd_bomb_media_file_is_refused(written: Written) -> None:
    entries = entries_of(written.paths["current.apkg"].read_bytes())
    assert "0" in entries
    entries["0"] = zstd_bomb(3 * 1024**3)

    assert "unpacks to more than" in refusal(zip_of(entries, zipfile.ZIP_STORED))


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.99])
def test_a_truncated_package_is_refused(cut: float) -> None:
    data = UPDATE1.read_bytes()

    refusal(data[: int(len(data) * cut)])


def test_not_a_zip_is_refused() -> None:
    assert "not an Anki package" in refusal(b"front,back\nhello,world\n")


def test_a_zip_without_a_collection_is_refused() -> None:
    assert "no collection inside" in refusal(zip_of({"media": b"{}"}))


def test_a_package_from_a_newer_anki_is_refused() -> None:
    entries = entries_of(UPDATE1.read_bytes())
    entries["meta"] = b"\x08\x04"

    assert "newer Anki" in refusal(zip_of(entries))


def test_duplicate_and_encrypted_entries_are_refused() -> None:
    entries = entries_of(UPDATE1.read_bytes())
    buffer = io.BytesIO(zip_of(entries))
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("media", b"{}")
    assert "appears twice" in refusal(buffer.getvalue())

    data = bytearray(zip_of(entries))
    directory = data.find(b"PK\x01\x02")
    data[directory + 8] |= 0x1
    assert "encrypted" in refusal(bytes(data))


def test_a_corrupt_collection_is_refused_naming_the_file() -> None:
    entries = entries_of(UPDATE1.read_bytes())
    entries["collection.anki2"] = b"SQLite format 3\x00" + bytes(range(256)) * 16

    message = refusal(zip_of(entries))

    assert "'collection.anki2' in the package is not a collection QuizApp can read" in message


def _sqlite_bytes(tmp_path: Path, script: str) -> bytes:
    path = tmp_path / "made.sqlite"
    with sqlite3.connect(path) as connection:
        connection.executescript(script)
    connection.close()
    return path.read_bytes()


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("CREATE TABLE notes (id, guid, mid, tags, flds);", "no 'col' table"),
        (
            "CREATE TABLE col (ver); INSERT INTO col VALUES (11);"
            "CREATE TABLE cards (id, nid, did, odid, ord, queue);"
            "CREATE TABLE revlog (id, cid, ease, time, type);"
            "CREATE TABLE real_notes (id, guid, mid, tags, flds);"
            "CREATE VIEW notes AS SELECT * FROM real_notes;",
            "no 'notes' table",
        ),
        (
            "CREATE TABLE col (ver, models, decks); INSERT INTO col VALUES (99, '{}', '{}');"
            "CREATE TABLE notes (id, guid, mid, tags, flds);"
            "CREATE TABLE cards (id, nid, did, odid, ord, queue);"
            "CREATE TABLE revlog (id, cid, ease, time, type);",
            "schema version 99",
        ),
        (
            "CREATE TABLE col (ver, models, decks); INSERT INTO col VALUES (11, '[1]', '{}');"
            "CREATE TABLE notes (id, guid, mid, tags, flds);"
            "CREATE TABLE cards (id, nid, did, odid, ord, queue);"
            "CREATE TABLE revlog (id, cid, ease, time, type);",
            "not JSON objects",
        ),
    ],
)
def test_a_collection_with_an_unexpected_schema_is_refused(
    tmp_path: Path, script: str, expected: str
) -> None:
    data = zip_of({"collection.anki2": _sqlite_bytes(tmp_path, script), "media": b"{}"})

    assert expected in refusal(data)


def test_unsafe_media_names_are_skipped_with_a_warning() -> None:
    entries = entries_of(MEDIA.read_bytes())
    entries["media"] = b'{"0": "../escape.png", "1": "C:evil.png"}'
    entries["0"] = entries["1"] = PNG

    batch = parse(zip_of(entries))

    assert batch.media == ()
    assert len([w for w in batch.warnings if "name" in w.message]) == 2


def test_temporary_files_are_removed_after_success_and_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    parse(UPDATE1.read_bytes())
    entries = entries_of(UPDATE1.read_bytes())
    entries["collection.anki2"] = b"SQLite format 3\x00" + bytes(4096)
    refusal(zip_of(entries))
    bomb = {"meta": b"\x08\x03", "collection.anki21b": zstd_bomb(3 * 1024**3)}
    refusal(zip_of(bomb, zipfile.ZIP_STORED))

    assert list(scratch.iterdir()) == []


# --- properties -----------------------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_give_a_batch_or_a_bank_error(data: bytes) -> None:
    with contextlib.suppress(BankError):
        parse(data)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 3136), st.integers(0, 255)), min_size=1, max_size=8))
def test_mutated_packages_give_a_batch_or_a_bank_error(mutations: list[tuple[int, int]]) -> None:
    data = bytearray(UPDATE1.read_bytes())
    for position, value in mutations:
        data[position % len(data)] = value
    with contextlib.suppress(BankError):
        parse(bytes(data))


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 57343), st.integers(0, 255)), min_size=1, max_size=8))
def test_mutated_collections_give_a_batch_or_a_bank_error(mutations: list[tuple[int, int]]) -> None:
    entries = entries_of(MEDIA.read_bytes())
    collection = bytearray(entries["collection.anki2"])
    for position, value in mutations:
        collection[position % len(collection)] = value
    entries["collection.anki2"] = bytes(collection)
    with contextlib.suppress(BankError):
        parse(zip_of(entries))


@FUZZ
@given(
    st.sampled_from(["collection.anki21b", "media", "meta"]),
    st.lists(st.tuples(st.integers(0, 2**20), st.integers(0, 255)), min_size=1, max_size=8),
)
def test_mutated_current_packages_give_a_batch_or_a_bank_error(
    written: Written, name: str, mutations: list[tuple[int, int]]
) -> None:
    entries = entries_of(written.paths["current.apkg"].read_bytes())
    compressed = name != "meta"
    content = bytearray(
        zstandard.ZstdDecompressor().stream_reader(io.BytesIO(entries[name])).read()
        if compressed
        else entries[name]
    )
    for position, value in mutations:
        content[position % len(content)] = value
    changed = bytes(content)
    entries[name] = zstandard.ZstdCompressor().compress(changed) if compressed else changed
    with contextlib.suppress(BankError):
        parse(zip_of(entries, zipfile.ZIP_STORED))


@given(st.binary(max_size=512))
def test_the_protobuf_reader_reads_or_refuses_any_bytes(data: bytes) -> None:
    try:
        fields = list(iter_fields(data))
    except ProtobufError:
        return
    assert all(number > 0 for number, _, _ in fields)


def test_the_media_list_reader_agrees_with_ankis_own_protobuf(written: Written) -> None:
    entries = import_export.MediaEntries(
        entries=[
            import_export.MediaEntries.MediaEntry(name="a.png", size=24, sha1=b"\x01" * 20),
            import_export.MediaEntries.MediaEntry(
                name="é b.mp3", size=26, sha1=b"\x02" * 20, legacy_zip_filename=7
            ),
        ]
    )
    package = entries_of(written.paths["current.apkg"].read_bytes())
    package["media"] = zstandard.ZstdCompressor().compress(entries.SerializeToString())
    package["0"] = zstandard.ZstdCompressor().compress(PNG)
    package["7"] = zstandard.ZstdCompressor().compress(MP3)

    batch = parse(zip_of(package))

    assert {item.name: item.data for item in batch.media} == {"a.png": PNG, "é b.mp3": MP3}


@given(st.text(st.characters(codec="utf-8", exclude_characters="<>&\r\x00\xa0\ufeff")))
def test_text_without_markup_is_what_the_sanitizer_returns(text: str) -> None:
    # The importer skips the sanitizer for such text; this is why that is safe.
    assert nh3_clean(text) == text


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (PNG, "png"),
        (b"\xff\xd8\xff\xe0", "jpeg"),
        (b"GIF89a", "gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "wav"),
        (b"OggS\x00", "ogg"),
        (MP3, "mp3"),
        (b"\xff\xfb\x90\x00", "mp3"),
        (b"\x00\x00\x00\x20ftypM4A ", "mp4"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "svg"),
        (b"abc\n", None),
        (b"MZ\x90\x00", None),
    ],
)
def test_media_types_are_recognised_by_their_first_bytes(head: bytes, kind: str | None) -> None:
    assert media_type(head) == kind


def test_notes_that_make_no_card_are_skipped_with_a_warning(
    layout_batch: ImportBatch, written: Written
) -> None:
    notes = by_front(layout_batch)
    messages = [issue.message for issue in layout_batch.warnings]
    guids = {batch_note.note.guid for batch_note in layout_batch.notes}

    assert notes["lonely"].note.kind is NoteKind.BASIC  # Anki made no reverse of an empty back
    assert written.guids["blank"] not in guids
    assert written.guids["no_cloze"] not in guids
    assert notes["{{c1::one}} two"].note.faces == (1,)
    assert f"note {written.guids['blank']!r} (''): the question is empty; skipped" in messages
    assert any(
        written.guids["no_cloze"] in m and "has no deletions" in m and m.endswith("skipped")
        for m in messages
    )
    assert "1 answers were for cards QuizApp does not make" in " ".join(messages)


def test_a_note_whose_cards_are_in_several_decks_goes_to_its_first_cards_deck(
    layout_batch: ImportBatch,
) -> None:
    assert by_front(layout_batch)["chat"].deck == "Languages::French"
    assert any(
        w.message.startswith("1 notes have cards in several decks") for w in layout_batch.warnings
    )


def test_the_importer_does_not_use_ankis_library_at_run_time() -> None:
    modules = sorted((Path(__file__).parents[2] / "quizapp" / "banks").glob("apkg*.py"))
    assert len(modules) >= 2
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        imported |= {
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        }
        assert not any(name.split(".")[0] == "anki" for name in imported), module.name
