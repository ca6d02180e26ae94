"""The shared insert path every bank format goes through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quizapp.domain import CardState, ImportBatch
from quizapp.storage import Store


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did."""

    added_notes: int
    added_cards: int
    unchanged: int
    decks: tuple[str, ...]


def insert_batch(store: Store, batch: ImportBatch, now: datetime) -> ImportSummary:
    """Write ``batch`` into the open transaction; notes whose guid exists are left as they are.

    New cards are due from ``now`` on; they are shown in the bank's order (by id).
    """
    preset_id = store.decks.default_preset_id()
    deck_ids = {name: store.decks.ensure(name, preset_id).id for name in batch.deck_names}
    existing = store.notes.ids_by_guid(batch_note.note.guid for batch_note in batch.notes)
    card_rows = []
    for batch_note in batch.notes:
        if batch_note.note.guid in existing:
            continue
        note_id = store.notes.insert(batch_note.note, now)
        for face in batch_note.note.faces:
            card_rows.append(
                {
                    "note_id": note_id,
                    "face": face,
                    "deck_id": deck_ids[batch_note.deck],
                    "state": int(CardState.NEW),
                    "due": now,
                    "suspended": False,
                    "buried": False,
                }
            )
    store.cards.insert_many(card_rows)
    added_notes = len(batch.notes) - len(existing)
    return ImportSummary(added_notes, len(card_rows), len(existing), tuple(deck_ids))
