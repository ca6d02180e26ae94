"""The shared import path: re-imports keep progress, dropped notes are suspended, media, history."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.banks import BankError
from quizapp.bootstrap import App
from quizapp.domain import (
    BankFormat,
    BasicContent,
    BatchMedia,
    BatchNote,
    BatchReview,
    CardState,
    ClozeContent,
    ImportBatch,
    Note,
    NoteKind,
    Rating,
    TextFormat,
)
from quizapp.services import ManualClock

BANK = """quizapp_bank: 1
decks:
  - name: Imported
    notes:
      - id: weight
        front: What does a weight do?
        back: {back}
      - id: bias
        kind: {bias_kind}
        front: Bias
        back: A learned offset.
{extra}"""
EXTRA_NOTE = """      - id: dropout
        front: Does dropout have parameters?
        back: No.
"""


def write_bank(
    tmp_path: Path, back: str = "It scales an input.", bias_kind: str = "basic", extra: str = ""
) -> Path:
    path = tmp_path / "course.yaml"
    path.write_text(BANK.format(back=back, bias_kind=bias_kind, extra=extra), encoding="utf-8")
    return path


CARDS_OF = (
    "SELECT {columns} FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid = 'course/{id}'"
)


def rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql).fetchall()


def test_first_import_adds_notes_and_cards(small_app: App, tmp_path: Path) -> None:
    report = small_app.banks.import_file(write_bank(tmp_path, extra=EXTRA_NOTE))
    assert (report.added, report.updated, report.unchanged, report.cards_added) == (3, 0, 0, 3)
    assert report.decks == ("Imported",)


def test_reimport_updates_in_place_and_keeps_schedule_and_history(
    small_app: App, tmp_path: Path, db_path: Path
) -> None:
    small_app.banks.import_file(write_bank(tmp_path))
    session = small_app.study(small_app.decks.find("Imported"))
    while session.current is not None and session.current.note.guid != "course/weight":
        session.answer(Rating.EASY, 1000)
    assert session.current is not None
    session.answer(Rating.GOOD, 1000)
    before = rows(
        db_path,
        CARDS_OF.format(columns="c.id, c.state, c.due", id="weight"),
    )

    report = small_app.banks.import_file(write_bank(tmp_path, back="It multiplies one input."))

    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    after = rows(
        db_path,
        CARDS_OF.format(columns="c.id, c.state, c.due", id="weight"),
    )
    assert after == before  # same card, same schedule
    assert rows(
        db_path,
        "SELECT COUNT(*) FROM reviews WHERE card_id IN ("
        + CARDS_OF.format(columns="c.id", id="weight")
        + ")",
    ) == [(1,)]
    with small_app.database.transaction() as store:
        note = store.notes.by_guid(["course/weight"])["course/weight"].note
    assert isinstance(note.content, BasicContent)
    assert note.content.back == "It multiplies one input."


def test_importing_the_same_file_twice_changes_nothing(
    small_app: App, tmp_path: Path, db_path: Path
) -> None:
    path = write_bank(tmp_path)
    small_app.banks.import_file(path)
    snapshot = rows(db_path, "SELECT * FROM cards ORDER BY id")
    report = small_app.banks.import_file(path)
    assert (report.added, report.updated, report.unchanged, report.cards_added) == (0, 0, 2, 0)
    assert rows(db_path, "SELECT * FROM cards ORDER BY id") == snapshot


def test_a_note_that_becomes_reversed_gains_a_card(small_app: App, tmp_path: Path) -> None:
    small_app.banks.import_file(write_bank(tmp_path))
    report = small_app.banks.import_file(write_bank(tmp_path, bias_kind="basic_reversed"))
    assert (report.updated, report.cards_added) == (1, 1)


def test_notes_gone_from_the_bank_are_suspended_not_deleted(
    small_app: App, tmp_path: Path, db_path: Path
) -> None:
    small_app.banks.import_file(write_bank(tmp_path, extra=EXTRA_NOTE))
    report = small_app.banks.import_file(write_bank(tmp_path))
    assert report.missing == ("course/dropout",)
    assert not report.missing_deleted
    assert rows(
        db_path,
        CARDS_OF.format(columns="c.suspended", id="dropout"),
    ) == [(1,)]


def test_notes_gone_from_the_bank_are_deleted_when_asked(
    small_app: App, tmp_path: Path, db_path: Path
) -> None:
    small_app.banks.import_file(write_bank(tmp_path, extra=EXTRA_NOTE))
    report = small_app.banks.import_file(write_bank(tmp_path), delete_missing=True)
    assert report.missing_deleted
    assert rows(db_path, "SELECT COUNT(*) FROM notes WHERE guid = 'course/dropout'") == [(0,)]


def test_a_bank_with_errors_leaves_the_database_exactly_as_it_was(
    small_app: App, tmp_path: Path, db_path: Path
) -> None:
    before = rows(db_path, "SELECT COUNT(*) FROM notes UNION ALL SELECT COUNT(*) FROM cards")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "quizapp_bank: 1\ndecks:\n  - name: X\n    notes:\n      - id: a\n        front: f\n"
        "      - id: b\n        kind: numeric\n        question: q\n        answer: many\n"
    )
    with pytest.raises(BankError) as caught:
        small_app.banks.import_file(bad)
    assert [issue.line for issue in caught.value.issues] == [5, 10]  # missing back; "many"
    assert (
        rows(db_path, "SELECT COUNT(*) FROM notes UNION ALL SELECT COUNT(*) FROM cards") == before
    )


def _batch(
    source: str,
    *,
    reviews: tuple[BatchReview, ...] = (),
    media: tuple[BatchMedia, ...] = (),
    html: str = "x",
) -> ImportBatch:
    note = Note(
        guid="anki-guid-1",
        kind=NoteKind.BASIC,
        content=BasicContent(f'<img src="diagram.png"> {html}', "back"),
        text_format=TextFormat.HTML,
    )
    return ImportBatch(
        source=source, notes=(BatchNote(note, "From Anki"),), reviews=reviews, media=media
    )


def test_media_are_stored_once_by_content_and_cards_point_at_them(small_app: App) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    report = small_app.banks.import_batch(_batch("a.apkg", media=(BatchMedia("diagram.png", png),)))
    assert report.media_added == 1
    stored = list(small_app.media.folder.iterdir())
    assert len(stored) == 1
    assert stored[0].read_bytes() == png
    with small_app.database.transaction() as store:
        note = store.notes.by_guid(["anki-guid-1"])["anki-guid-1"].note
    assert isinstance(note.content, BasicContent)
    assert f'src="{stored[0].name}"' in note.content.front


def test_imported_history_rebuilds_the_schedule_and_is_not_imported_twice(
    small_app: App, clock: ManualClock, db_path: Path
) -> None:
    start = clock.now() - timedelta(days=30)
    history = (
        BatchReview("anki-guid-1", 0, start, int(Rating.GOOD), 5000),
        BatchReview("anki-guid-1", 0, start + timedelta(minutes=10), int(Rating.GOOD), 4000),
        BatchReview("anki-guid-1", 0, start + timedelta(days=3), int(Rating.EASY), 3000),
    )
    report = small_app.banks.import_batch(_batch("b.apkg", reviews=history))
    assert report.reviews_added == 3
    again = small_app.banks.import_batch(_batch("b.apkg", reviews=history))
    assert again.reviews_added == 0
    logged = rows(
        db_path,
        "SELECT rating, kind, imported, state_before, state_after "
        "FROM reviews ORDER BY reviewed_at",
    )
    assert logged == [(3, 0, 1, 0, 1), (3, 0, 1, 1, 2), (4, 1, 1, 2, 2)]
    card = rows(
        db_path,
        "SELECT state, last_review FROM cards c JOIN notes n ON n.id = c.note_id "
        "WHERE n.guid = 'anki-guid-1'",
    )
    assert card == [(int(CardState.REVIEW), int((start + timedelta(days=3)).timestamp() * 1000))]


def test_export_yaml_then_import_gives_the_same_notes(small_app: App, tmp_path: Path) -> None:
    out = tmp_path / "export.yaml"
    report = small_app.banks.export(out, BankFormat.YAML, "Test")
    assert (report.notes, report.skipped) == (6, 0)
    from quizapp.services.banks import read_and_check

    batch = read_and_check(out)
    with small_app.database.transaction() as store:
        stored = store.notes.by_guid([item.note.guid for item in batch.notes])
    assert {item.note.guid: (item.note.kind, item.note.content) for item in batch.notes} == {
        guid: (found.note.kind, found.note.content) for guid, found in stored.items()
    }
    assert {item.deck for item in batch.notes} == {"Test::Concepts", "Test::Counting"}


def test_export_csv_leaves_out_what_a_text_file_cannot_hold(small_app: App, tmp_path: Path) -> None:
    out = tmp_path / "export.txt"
    report = small_app.banks.export(out, BankFormat.CSV, None)
    assert (report.notes, report.skipped) == (2, 4)  # basic and reversed; TF, MC, typed, numeric
    assert out.read_text(encoding="utf-8").startswith("#separator:tab\n")


def _note(guid: str, kind: NoteKind, text: str) -> Note:
    content: BasicContent | ClozeContent
    if kind is NoteKind.CLOZE:
        content = ClozeContent(text)
    else:
        content = BasicContent(text, f"answer to {text}")
    return Note(guid=guid, kind=kind, content=content)


def test_new_cards_are_made_deck_by_deck_in_bank_order(small_app: App, db_path: Path) -> None:
    # Decks interleaved: "Plain" holds only basic notes and "Both" only reversed ones
    # (one statement makes each deck's cards); "Mixed" holds reversed, cloze and
    # suspended faces (a row per card).
    items = (
        BatchNote(_note("p1", NoteKind.BASIC, "plain one"), "Plain"),
        BatchNote(_note("m1", NoteKind.BASIC_REVERSED, "mixed one"), "Mixed"),
        BatchNote(_note("p2", NoteKind.BASIC, "plain two"), "Plain"),
        BatchNote(
            _note("m2", NoteKind.CLOZE, "{{c1::a}} {{c2::b}} {{c3::c}}"),
            "Mixed",
            suspended_faces=frozenset({2}),
        ),
        BatchNote(_note("b1", NoteKind.BASIC_REVERSED, "both one"), "Both"),
        BatchNote(_note("p3", NoteKind.BASIC, "plain three"), "Plain"),
        BatchNote(_note("m3", NoteKind.BASIC, "mixed three"), "Mixed"),
        BatchNote(_note("b2", NoteKind.BASIC_REVERSED, "both two"), "Both"),
    )
    report = small_app.banks.import_batch(ImportBatch(source="order.apkg", notes=items))
    assert (report.added, report.cards_added) == (8, 13)
    cards = rows(
        db_path,
        "SELECT n.guid, c.face, d.name, c.state, c.suspended FROM cards c "
        "JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = c.deck_id "
        "WHERE n.source = 'order.apkg' ORDER BY c.id",
    )
    assert cards == [
        ("p1", 0, "Plain", 0, 0),
        ("p2", 0, "Plain", 0, 0),
        ("p3", 0, "Plain", 0, 0),
        ("m1", 0, "Mixed", 0, 0),
        ("m1", 1, "Mixed", 0, 0),
        ("m2", 1, "Mixed", 0, 0),
        ("m2", 2, "Mixed", 0, 1),
        ("m2", 3, "Mixed", 0, 0),
        ("m3", 0, "Mixed", 0, 0),
        ("b1", 0, "Both", 0, 0),
        ("b1", 1, "Both", 0, 0),
        ("b2", 0, "Both", 0, 0),
        ("b2", 1, "Both", 0, 0),
    ]
    # The bank's order is the order new cards are studied in, within a deck.
    session = small_app.study(small_app.decks.find("Plain"))
    shown = []
    while session.current is not None:
        shown.append(session.current.note.guid)
        session.answer(Rating.EASY, 1000)
    assert shown == ["p1", "p2", "p3"]


def test_reimport_into_a_collection_holding_other_banks_finds_its_own_notes(
    small_app: App,
) -> None:
    # More notes stored than in the bank, then fewer: both ways of finding stored guids.
    first = ImportBatch(
        source="few.apkg", notes=(BatchNote(_note("f1", NoteKind.BASIC, "few"), "Few"),)
    )
    assert small_app.banks.import_batch(first).added == 1
    again = small_app.banks.import_batch(first)
    assert (again.added, again.unchanged) == (0, 1)
    many = tuple(
        BatchNote(_note(f"g{index}", NoteKind.BASIC, f"many {index}"), "Many")
        for index in range(40)
    )
    with_known = ImportBatch(source="few.apkg", notes=(*many, first.notes[0]))
    report = small_app.banks.import_batch(with_known)
    assert (report.added, report.unchanged, report.cards_added) == (40, 1, 40)


def test_history_imported_after_a_forget_replays_from_the_forget(
    small_app: App, db_path: Path, clock: ManualClock
) -> None:
    start = clock.now() - timedelta(days=40)
    early = tuple(
        BatchReview("anki-guid-1", 0, start + timedelta(days=day), int(Rating.GOOD), 3000)
        for day in (0, 1, 5)
    )
    small_app.banks.import_batch(_batch("b.apkg", reviews=early))
    (card_id,) = (
        row[0]
        for row in rows(
            db_path,
            "SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id "
            "WHERE n.guid = 'anki-guid-1'",
        )
    )
    small_app.cards.forget([card_id])  # the learner starts this card over
    later = (BatchReview("anki-guid-1", 0, clock.now() + timedelta(hours=1), int(Rating.GOOD)),)
    clock.advance(timedelta(hours=2))

    small_app.banks.import_batch(_batch("b.apkg", reviews=early + later))

    # One Good on a new card: learning, not the review state the old answers built.
    (state,) = rows(db_path, f"SELECT state FROM cards WHERE id = {card_id}")[0]
    assert state == int(CardState.LEARNING)
