"""Importing a bank: every format goes through this one insert path, in one transaction."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from pathlib import Path

from quizapp.banks.errors import BankError
from quizapp.banks.html import rename_sources
from quizapp.domain import BatchNote, ImportBatch, ImportIssue, Note, NoteKind
from quizapp.domain.notes import map_texts
from quizapp.services.history import import_reviews
from quizapp.services.validation import exercise_issues
from quizapp.storage import Store
from quizapp.storage.media import MediaStore
from quizapp.storage.models import to_millis

Progress = Callable[[str, float], None]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did, for the user to read."""

    source: str
    added: int
    updated: int
    unchanged: int
    cards_added: int
    missing: tuple[str, ...]  # guids of notes the bank brought before and no longer has
    missing_deleted: bool
    reviews_added: int
    media_added: int
    warnings: tuple[ImportIssue, ...]
    decks: tuple[str, ...]


def bank_name(source: str) -> str:
    """The name notes remember their bank by: the file name, wherever it was imported from."""
    return Path(source).name


def insert_batch(
    store: Store,
    batch: ImportBatch,
    now: datetime,
    media: MediaStore | None = None,
    *,
    delete_missing: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Write ``batch`` into the open transaction, matching notes by guid.

    A note already there is updated in place when its content changed; its cards
    and their history stay.  Notes the same bank brought before but no longer has
    are suspended, or deleted with their history when ``delete_missing``.
    Raises :class:`BankError` (writing nothing) when a template does not hold up.
    """
    issues = exercise_issues(batch)
    if issues:
        raise BankError(issues)
    report = _Tally()
    name = bank_name(batch.source)
    renames = {item.name: media.add(item.name, item.data) for item in batch.media} if media else {}
    notes = batch.notes
    if renames:
        notes = tuple(replace(item, note=_renamed(item.note, renames)) for item in notes)
    previous = store.notes.guids_from_source(name)
    deck_ids = _deck_ids(store, [item.deck for item in notes])
    written = _write_notes(store, notes, name, now, report)
    _step(progress, "notes", 0.6)
    report.cards_added = _write_cards(store, notes, written, deck_ids, to_millis(now))
    missing = sorted(guid for guid in previous if guid not in written.ids)
    _retire(store, [previous[guid] for guid in missing], delete_missing)
    _step(progress, "cards", 0.8)
    reviews_added = import_reviews(store, batch.reviews, written.ids) if batch.reviews else 0
    _step(progress, "history", 1.0)
    return ImportReport(
        source=batch.source,
        added=report.added,
        updated=report.updated,
        unchanged=report.unchanged,
        cards_added=report.cards_added,
        missing=tuple(missing),
        missing_deleted=delete_missing,
        reviews_added=reviews_added,
        media_added=len(set(renames.values())),
        warnings=batch.warnings,
        decks=tuple(deck_ids),
    )


@dataclass
class _Tally:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    cards_added: int = 0


def _step(progress: Progress | None, stage: str, fraction: float) -> None:
    if progress is not None:
        progress(stage, fraction)


def _renamed(note: Note, renames: dict[str, str]) -> Note:
    """The note with its media names replaced by the stored files' names."""
    return replace(
        note,
        content=map_texts(note.content, lambda text: rename_sources(text, renames)),
        explanation=rename_sources(note.explanation, renames),
    )


def _deck_ids(store: Store, names: Sequence[str]) -> dict[str, int]:
    preset_id = store.decks.default_preset_id()
    return {name: store.decks.ensure(name, preset_id).id for name in dict.fromkeys(names)}


@dataclass(frozen=True, slots=True)
class _Written:
    """The notes an import stored: the new ones and those already there."""

    fresh: dict[str, list[BatchNote]]  # new notes by deck, ids consecutive from first_id
    first_id: int
    kept: dict[str, int]  # stored notes' ids by guid
    ids: dict[str, int]  # every note's id by guid


def _write_notes(
    store: Store, notes: Sequence[BatchNote], bank: str, now: datetime, tally: _Tally
) -> _Written:
    """Insert new notes in bulk and update the stored ones whose content changed.

    New notes get their ids deck by deck, in the bank's order within each deck, so
    that each deck's new cards can be made from one range of notes.
    """
    existing = store.notes.by_guid([item.note.guid for item in notes])
    fresh: dict[str, list[BatchNote]] = {}
    for item in notes:
        if item.note.guid in existing:
            continue
        group = fresh.get(item.deck)
        if group is None:
            group = fresh[item.deck] = []
        group.append(item)
    ordered = [item for group in fresh.values() for item in group]
    first_id = store.notes.insert_many([item.note for item in ordered], bank, now)
    tally.added = len(ordered)
    kept = _update_notes(store, notes, existing, bank, now, tally)
    ids = dict(zip([item.note.guid for item in ordered], itertools.count(first_id)))
    ids.update(kept)
    return _Written(fresh, first_id, kept, ids)


def _write_cards(
    store: Store,
    notes: Sequence[BatchNote],
    written: _Written,
    deck_ids: dict[str, int],
    stamp: int,
) -> int:
    """Insert the cards notes make and do not have yet; how many."""
    kept = written.kept
    stored = [item for item in notes if item.note.guid in kept] if kept else []
    return _add_cards(store, written.fresh, written.first_id, deck_ids, stamp) + _complete_cards(
        store, stored, kept, deck_ids, stamp
    )


# What a re-import compares: every field of a note but its id and the bank it came from.
_COMPARED = tuple(field.name for field in fields(Note) if field.name not in ("id", "source"))


def _update_notes(
    store: Store,
    notes: Sequence[BatchNote],
    existing: dict[str, Note],
    bank: str,
    now: datetime,
    tally: _Tally,
) -> dict[str, int]:
    """Update the stored notes whose content changed; the ids of all stored ones by guid."""
    ids: dict[str, int] = {}
    if not existing:
        return ids
    for item in notes:
        stored = existing.get(item.note.guid)
        if stored is None:
            continue
        assert stored.id is not None
        ids[stored.guid] = stored.id
        if stored.source == bank and _same_note(stored, item.note):
            tally.unchanged += 1
        else:
            store.notes.update(stored.id, replace(item.note, source=bank, id=None), now)
            tally.updated += 1
    return ids


def _same_note(stored: Note, incoming: Note) -> bool:
    """Whether two notes hold the same text, kind, tags and format (ids and banks aside)."""
    return all(getattr(stored, name) == getattr(incoming, name) for name in _COMPARED)


def _add_cards(
    store: Store,
    fresh: dict[str, list[BatchNote]],
    first_id: int,
    deck_ids: dict[str, int],
    stamp: int,
) -> int:
    """Insert the cards of new notes, stored deck by deck from ``first_id`` on; how many.

    A deck whose new notes all make the same faces, none suspended, takes one
    statement over its range of notes; the others one row per card.
    """
    added = 0
    start = first_id
    for deck, group in fresh.items():
        deck_id = deck_ids[deck]
        faces = _shared_faces(group)
        if faces is not None:
            store.cards.insert_new_of_notes(start, start + len(group) - 1, faces, deck_id, stamp)
            added += len(group) * len(faces)
        else:
            rows = [
                (note_id, face, deck_id, stamp, face in item.suspended_faces)
                for note_id, item in enumerate(group, start)
                for face in item.note.faces
            ]
            store.cards.insert_new(rows)
            added += len(rows)
        start += len(group)
    return added


def _shared_faces(group: Sequence[BatchNote]) -> tuple[int, ...] | None:
    """The faces every note of ``group`` makes, when they are the same and none is suspended."""
    if any(item.suspended_faces for item in group):
        return None
    # Only cloze notes' faces depend on their text: one note of each other kind tells.
    by_kind = {item.note.kind: item.note for item in group}
    if NoteKind.CLOZE in by_kind:
        shapes = {item.note.faces for item in group}
    else:
        shapes = {note.faces for note in by_kind.values()}
    return shapes.pop() if len(shapes) == 1 else None


def _complete_cards(
    store: Store,
    notes: Sequence[BatchNote],
    note_ids: dict[str, int],
    deck_ids: dict[str, int],
    stamp: int,
) -> int:
    """Give stored notes the cards they now make; suspend faces they no longer make."""
    if not notes:
        return 0
    have = store.cards.faces_by_note([note_ids[item.note.guid] for item in notes])
    rows: list[tuple[int, int, int, int, int]] = []
    retired: list[int] = []
    for item in notes:
        note_id = note_ids[item.note.guid]
        faces = have.get(note_id, {})
        wanted = item.note.faces
        retired.extend(card_id for face, card_id in faces.items() if face not in wanted)
        deck_id = deck_ids[item.deck]
        suspended = item.suspended_faces
        rows.extend(
            (note_id, face, deck_id, stamp, face in suspended)
            for face in wanted
            if face not in faces
        )
    store.cards.insert_new(rows)
    store.cards.set_suspended(retired, True)
    return len(rows)


def _retire(store: Store, note_ids: list[int], delete: bool) -> None:
    """Suspend the cards of notes gone from their bank, or delete them with their history."""
    if not note_ids:
        return
    faces = store.cards.faces_by_note(note_ids).values()
    card_ids = [card_id for by_face in faces for card_id in by_face.values()]
    if delete:
        store.reviews.delete_of_cards(card_ids)
        store.cards.delete_of_notes(note_ids)
        store.notes.delete(note_ids)
    else:
        store.cards.set_suspended(card_ids, True)
