"""Notes, matched by guid on re-import."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update

from quizapp.domain import Note
from quizapp.storage import hot_sql
from quizapp.storage.hot_repositories import HotNotes
from quizapp.storage.mapping import (
    NoteOrigin,
    note_from_row,
    note_from_values,
    note_params,
    note_values,
)
from quizapp.storage.models import BankRow, CardRow, GraveRow, NoteRow, to_millis
from quizapp.storage.stamps import device_stamps

# Rows per executemany: bounds the memory a large import holds at once.
_CHUNK = 10_000


@dataclass(frozen=True, slots=True)
class StoredNote:
    """A note as stored: the bank it belongs to, and its bank fingerprint.

    ``fingerprint`` is None while the note says what its bank last gave; else the
    hash of the bank's version, from before the note was edited in the app.
    """

    note: Note
    bank_id: int | None
    fingerprint: str | None


@dataclass(frozen=True, slots=True)
class NoteRecord:
    """A note as the editor reads it: its bank, fingerprint, times and change stamp.

    ``stamp`` is the note's ``modified_hlc``: every write to a note moves it, so an
    editor's save checks it to refuse overwriting another window's edit.
    """

    note: Note
    bank_id: int | None
    fingerprint: str | None
    stamp: int
    created_at: datetime
    modified_at: datetime


@dataclass(frozen=True, slots=True)
class BankOrigin:
    """The bank file a note came from: its name, format and where it was imported from."""

    name: str
    format: str
    path: str | None


# The first field of each kind of note, as stored (for duplicate warnings).
_FIRST_FIELD = (
    "CASE notes.kind WHEN 'basic' THEN '$.front' WHEN 'basic_reversed' THEN '$.front' "
    "WHEN 'true_false' THEN '$.statement' WHEN 'cloze' THEN '$.text' ELSE '$.question' END"
)
# Each note of a deck, with its first field (params: deck id).
_FIRST_FIELDS_IN_DECK = (
    f"SELECT notes.id, json_extract(notes.content, {_FIRST_FIELD}) FROM notes "  # noqa: S608
    "WHERE notes.id IN (SELECT note_id FROM cards WHERE deck_id = ?)"
)


class NoteRepository(HotNotes):
    """Notes, matched by guid on re-import (the hot half in :class:`HotNotes`)."""

    def by_guid(self, guids: Sequence[str]) -> dict[str, StoredNote]:
        """The stored notes with these guids, where they exist.

        The guids go into a temporary table joined with the notes' guid index: one
        statement for a bank of any size, instead of one per few hundred guids.  When
        fewer notes are stored than guids asked for, the stored guids are read instead
        and only those asked for are looked up.
        """
        if not guids:
            return {}
        run = self._connection.exec_driver_sql
        stored = int(run(hot_sql.COUNT_NOTES).scalar_one())
        if stored < len(guids):
            asked = set(guids)
            guids = [guid for (guid,) in run(hot_sql.ALL_GUIDS) if guid in asked]
            if not guids:
                return {}
        run(hot_sql.CREATE_WANTED_GUIDS)
        run(hot_sql.CLEAR_WANTED_GUIDS)
        run(hot_sql.ADD_WANTED_GUID, [(guid,) for guid in guids])
        rows = run(hot_sql.NOTES_OF_WANTED_GUIDS).all()
        run(hot_sql.CLEAR_WANTED_GUIDS)
        return {row[1]: StoredNote(note_from_values(row[:8]), row[8], row[9]) for row in rows}

    def insert_many(
        self, notes: Sequence[Note], source: str, now: datetime, bank_id: int | None = None
    ) -> range:
        """Store new notes from the bank ``source`` in bulk; returns their ids.

        The notes get consecutive ids in their order, after the highest one, so that
        no read-back is needed.
        """
        first = int(self._connection.exec_driver_sql(hot_sql.NEXT_NOTE_ID).scalar_one())
        stamps = device_stamps(self._connection)
        origin = NoteOrigin(source, bank_id, to_millis(now), stamps.stamp(now), stamps.device)
        for start in range(0, len(notes), _CHUNK):
            rows = note_params(notes[start : start + _CHUNK], first + start, origin)
            self._connection.exec_driver_sql(hot_sql.INSERT_NOTE, rows)
        return range(first, first + len(notes))

    def update(
        self,
        note_id: int,
        note: Note,
        now: datetime,
        bank_id: int | None = None,
        fingerprint: str | None = None,
    ) -> None:
        """Replace a note's content in place (its cards and history stay).

        ``bank_id`` and ``fingerprint`` are stored as given: an update from a bank
        passes its bank and None (the note now says what the bank says).
        """
        stamps = device_stamps(self._connection)
        self._connection.execute(
            update(NoteRow)
            .where(NoteRow.id == note_id)
            .values(
                **note_values(note),
                modified_at=now,
                bank_id=bank_id,
                bank_fingerprint=fingerprint,
                modified_hlc=stamps.stamp(now),
                modified_by=stamps.device,
            )
        )

    def of_bank(self, bank_id: int) -> dict[str, int]:
        """Every note of a bank, by guid."""
        rows = self._connection.execute(
            select(NoteRow.guid, NoteRow.id).where(NoteRow.bank_id == bank_id)
        )
        return {guid: note_id for guid, note_id in rows}

    def move_to_bank(self, note_ids: Sequence[int], bank_id: int, source: str) -> None:
        """Make these notes belong to ``bank_id`` (a re-import of their bank took them)."""
        for start in range(0, len(note_ids), 900):
            self._connection.execute(
                update(NoteRow)
                .where(NoteRow.id.in_(note_ids[start : start + 900]))
                .values(bank_id=bank_id, source=source)
            )

    def in_decks(self, deck_ids: Sequence[int]) -> list[tuple[Note, int]]:
        """Notes with a card in these decks, each with the deck of its first card."""
        first_cards = (
            select(CardRow.note_id, func.min(CardRow.deck_id).label("deck_id"))
            .where(CardRow.deck_id.in_(deck_ids))
            .group_by(CardRow.note_id)
            .subquery()
        )
        rows = self._connection.execute(
            select(NoteRow.__table__, first_cards.c.deck_id)
            .join(first_cards, first_cards.c.note_id == NoteRow.id)
            .order_by(NoteRow.id)
        )
        return [(note_from_row(row._mapping), row.deck_id) for row in rows]

    def delete(self, note_ids: Sequence[int], now: datetime) -> None:
        """Delete these notes (their cards must be deleted first), leaving graves."""
        stamps = device_stamps(self._connection)
        hlc = stamps.stamp(now)
        for start in range(0, len(note_ids), 900):
            chunk = note_ids[start : start + 900]
            guids = self._connection.execute(
                select(NoteRow.guid).where(NoteRow.id.in_(chunk))
            ).scalars()
            graves = [
                {"kind": "note", "uid": guid, "modified_hlc": hlc, "modified_by": stamps.device}
                for guid in guids
            ]
            if graves:
                self._connection.execute(insert(GraveRow), graves)
            self._connection.execute(delete(NoteRow).where(NoteRow.id.in_(chunk)))

    # -- the editor's and the browser's writes --------------------------------------

    def record(self, note_id: int) -> NoteRecord | None:
        """The note ``note_id`` with what the editor needs of its row, or None if gone."""
        row = self._connection.execute(
            select(NoteRow.__table__).where(NoteRow.id == note_id)
        ).first()
        if row is None:
            return None
        return NoteRecord(
            note=note_from_row(row._mapping),
            bank_id=row.bank_id,
            fingerprint=row.bank_fingerprint,
            stamp=row.modified_hlc,
            created_at=row.created_at,
            modified_at=row.modified_at,
        )

    def tags_of(self, note_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """The tags of each of these notes that exists."""
        found: dict[int, tuple[str, ...]] = {}
        for start in range(0, len(note_ids), 900):
            rows = self._connection.execute(
                select(NoteRow.id, NoteRow.tags).where(
                    NoteRow.id.in_(note_ids[start : start + 900])
                )
            )
            found.update((note_id, tuple(tags.split())) for note_id, tags in rows)
        return found

    def set_tags(self, tags: Mapping[int, Sequence[str]], now: datetime) -> None:
        """Give each note these tags, as one change."""
        if not tags:
            return
        stamps = device_stamps(self._connection)
        hlc = stamps.stamp(now)
        self._connection.exec_driver_sql(
            "UPDATE notes SET tags = ?, modified_at = ?, modified_hlc = ?, modified_by = ? "
            "WHERE id = ?",
            [
                (" ".join(note_tags), to_millis(now), hlc, stamps.device, note_id)
                for note_id, note_tags in tags.items()
            ],
        )

    def ids_of_cards(self, card_ids: Sequence[int]) -> list[int]:
        """The notes of these cards, each once, in id order."""
        rows = self._connection.exec_driver_sql(
            "SELECT DISTINCT cards.note_id FROM json_each(?) AS wanted "
            "CROSS JOIN cards ON cards.id = wanted.value ORDER BY cards.note_id",
            (json.dumps(list(card_ids)),),
        )
        return [note_id for (note_id,) in rows]

    def without_cards(self, note_ids: Sequence[int]) -> list[int]:
        """Those of these notes that have no card left."""
        rows = self._connection.exec_driver_sql(
            "SELECT wanted.value FROM json_each(?) AS wanted "
            "WHERE NOT EXISTS (SELECT 1 FROM cards WHERE cards.note_id = wanted.value)",
            (json.dumps(list(note_ids)),),
        )
        return [int(note_id) for (note_id,) in rows]

    def first_fields_in_deck(self, deck_id: int) -> list[tuple[int, str]]:
        """Each note with a card in ``deck_id`` and its first field as stored."""
        rows = self._connection.exec_driver_sql(_FIRST_FIELDS_IN_DECK, (deck_id,))
        return [(note_id, str(text)) for note_id, text in rows if text is not None]

    def origin(self, note_id: int) -> BankOrigin | None:
        """The bank the note came from, or None for a note made in the app."""
        row = self._connection.execute(
            select(BankRow.name, BankRow.format, BankRow.path)
            .join(NoteRow, NoteRow.bank_id == BankRow.id)
            .where(NoteRow.id == note_id)
        ).first()
        return None if row is None else BankOrigin(row.name, row.format, row.path)
