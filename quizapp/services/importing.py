"""Importing a bank: every format goes through this one insert path, in one transaction.

The rules live here (which bank a file is, which notes are new, changed, edited
here or gone, which cards a note makes); the bulk writes are the repositories'.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime

from quizapp.banks.errors import BankError
from quizapp.banks.html import rename_sources
from quizapp.domain import BatchNote, ImportBatch, ImportIssue, Note, NoteKind
from quizapp.domain.notes import map_texts
from quizapp.services.bank_identity import BankChoice, ResolvedBank, resolve_bank
from quizapp.services.history import import_reviews
from quizapp.services.search import index_written
from quizapp.services.validation import exercise_issues
from quizapp.storage import Store
from quizapp.storage.card_repository import NewCard
from quizapp.storage.mapping import note_fingerprint
from quizapp.storage.media import MediaStaging
from quizapp.storage.note_repository import StoredNote

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
    # Notes edited in the app since their bank gave them, kept as edited (guids).
    kept_edits: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What the user asked of an import beyond the file itself."""

    delete_missing: bool = False  # delete notes the bank dropped, with their history
    overwrite_edits: bool = False  # a note edited here takes the bank's text anyway
    bank: BankChoice = BankChoice.AUTO
    # With BankChoice.SAME: the uid of the stored bank the file is a new version of, when
    # the question named several (``BankQuestion.candidates``); else the one of its name.
    same_as: str | None = None


def insert_batch(
    store: Store,
    batch: ImportBatch,
    now: datetime,
    media: MediaStaging | None = None,
    options: ImportOptions = ImportOptions(),
    progress: Progress | None = None,
) -> ImportReport:
    """Write ``batch`` into the open transaction, matching notes by guid within its bank.

    A note already there is updated in place when its content changed; its cards
    and their history stay.  Notes the same bank brought before but no longer has
    are suspended, or deleted with their history when ``options.delete_missing``.
    Raises :class:`BankError` (writing nothing) when a template does not hold up,
    and :class:`~quizapp.services.bank_identity.BankQuestion` when the file could
    be a bank imported before or another one.
    """
    issues = exercise_issues(batch)
    if issues:
        raise BankError(issues)
    bank, batch = resolve_bank(store, batch, now, options.bank, options.same_as)
    tally = _Tally()
    renames = {item.name: media.add(item.name, item.data) for item in batch.media} if media else {}
    notes = batch.notes
    if renames:
        notes = tuple(replace(item, note=_renamed(item.note, renames)) for item in notes)
    previous = store.notes.of_bank(bank.id)
    deck_ids = _deck_ids(store, [item.deck for item in notes])
    written = _write_notes(store, notes, bank, now, options, tally)
    _step(progress, "notes", 0.6)
    tally.cards_added = _write_cards(store, notes, written, deck_ids, now)
    missing = sorted(guid for guid in previous if guid not in written.ids)
    _retire(store, [previous[guid] for guid in missing], options.delete_missing, now)
    _step(progress, "cards", 0.8)
    reviews_added = import_reviews(store, batch.reviews, written.ids) if batch.reviews else 0
    index_written(store.connection)  # a large bank is left to the search's catch-up
    _step(progress, "history", 1.0)
    return ImportReport(
        source=batch.source,
        added=tally.added,
        updated=tally.updated,
        unchanged=tally.unchanged,
        cards_added=tally.cards_added,
        missing=tuple(missing),
        missing_deleted=options.delete_missing,
        reviews_added=reviews_added,
        media_added=len(set(renames.values())),
        warnings=batch.warnings,
        decks=tuple(deck_ids),
        kept_edits=tuple(tally.kept_edits),
    )


@dataclass
class _Tally:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    cards_added: int = 0
    kept_edits: list[str] = field(default_factory=list)


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

    fresh: dict[str, list[BatchNote]]  # new notes by deck, their ids consecutive
    fresh_ids: range
    kept: dict[str, int]  # stored notes' ids by guid
    ids: dict[str, int]  # every note's id by guid


def _write_notes(
    store: Store,
    notes: Sequence[BatchNote],
    bank: ResolvedBank,
    now: datetime,
    options: ImportOptions,
    tally: _Tally,
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
    fresh_ids = store.notes.insert_many([item.note for item in ordered], bank.name, now, bank.id)
    tally.added = len(ordered)
    kept = _update_notes(store, notes, existing, bank, now, options, tally)
    ids = dict(zip([item.note.guid for item in ordered], fresh_ids, strict=True))
    ids.update(kept)
    return _Written(fresh, fresh_ids, kept, ids)


def _write_cards(
    store: Store,
    notes: Sequence[BatchNote],
    written: _Written,
    deck_ids: dict[str, int],
    now: datetime,
) -> int:
    """Insert the cards notes make and do not have yet; how many."""
    kept = written.kept
    stored = [item for item in notes if item.note.guid in kept] if kept else []
    return _add_cards(store, written.fresh, written.fresh_ids, deck_ids, now) + _complete_cards(
        store, stored, kept, deck_ids, now
    )


# What a re-import compares: every field of a note but its id and the bank it came from.
_COMPARED = tuple(item.name for item in fields(Note) if item.name not in ("id", "source"))


def _update_notes(
    store: Store,
    notes: Sequence[BatchNote],
    existing: dict[str, StoredNote],
    bank: ResolvedBank,
    now: datetime,
    options: ImportOptions,
    tally: _Tally,
) -> dict[str, int]:
    """Update the stored notes whose content changed; the ids of all stored ones by guid.

    A note edited in the app since its bank last gave it keeps the edit (and is
    reported) unless ``options.overwrite_edits``.
    """
    ids: dict[str, int] = {}
    if not existing:
        return ids
    moved: list[int] = []
    for item in notes:
        stored = existing.get(item.note.guid)
        if stored is None:
            continue
        note = stored.note
        assert note.id is not None
        ids[note.guid] = note.id
        if _same_note(note, item.note):
            tally.unchanged += 1
            if stored.bank_id != bank.id or note.source != bank.name:
                moved.append(note.id)
        elif _edited_here(stored) and not options.overwrite_edits:
            tally.kept_edits.append(note.guid)
            if stored.bank_id != bank.id:
                moved.append(note.id)
        else:
            store.notes.update(note.id, replace(item.note, source=bank.name, id=None), now, bank.id)
            tally.updated += 1
    store.notes.move_to_bank(moved, bank.id, bank.name)
    return ids


def _edited_here(stored: StoredNote) -> bool:
    """Whether a stored note was edited in the app since its bank last gave it."""
    return stored.fingerprint is not None and note_fingerprint(stored.note) != stored.fingerprint


def _same_note(stored: Note, incoming: Note) -> bool:
    """Whether two notes hold the same text, kind, tags and format (ids and banks aside)."""
    return all(getattr(stored, name) == getattr(incoming, name) for name in _COMPARED)


def _add_cards(
    store: Store,
    fresh: dict[str, list[BatchNote]],
    fresh_ids: range,
    deck_ids: dict[str, int],
    now: datetime,
) -> int:
    """Insert the cards of new notes, stored deck by deck in ``fresh_ids``; how many.

    A deck whose new notes all make the same faces, none suspended, buried or
    flagged, takes one statement over its range of notes; the others one row per card.
    """
    added = 0
    start = 0
    for deck, group in fresh.items():
        deck_id = deck_ids[deck]
        ids = fresh_ids[start : start + len(group)]
        faces = _shared_faces(group)
        if faces is not None:
            store.cards.insert_new_of_notes(ids, faces, deck_id, now)
            added += len(group) * len(faces)
        else:
            cards = [
                _new_card(item, note_id, face, deck_id)
                for note_id, item in zip(ids, group, strict=True)
                for face in item.note.faces
            ]
            store.cards.insert_new(cards, now)
            added += len(cards)
        start += len(group)
    return added


def _new_card(item: BatchNote, note_id: int, face: int, deck_id: int) -> NewCard:
    """The new card of ``face``, suspended, buried and flagged as the batch says."""
    return NewCard(
        note_id,
        face,
        deck_id,
        face in item.suspended_faces,
        item.flags.get(face, 0),
        face in item.buried_faces,
    )


def _shared_faces(group: Sequence[BatchNote]) -> tuple[int, ...] | None:
    """The faces every note of ``group`` makes, when they are the same and arrive plain.

    None when they differ, or when a card arrives suspended, buried or flagged.
    """
    if any(item.suspended_faces or item.buried_faces or item.flags for item in group):
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
    now: datetime,
) -> int:
    """Give stored notes the cards they now make; suspend faces they no longer make."""
    if not notes:
        return 0
    have = store.cards.faces_by_note([note_ids[item.note.guid] for item in notes])
    cards: list[NewCard] = []
    retired: list[int] = []
    for item in notes:
        note_id = note_ids[item.note.guid]
        faces = have.get(note_id, {})
        wanted = item.note.faces
        retired.extend(card_id for face, card_id in faces.items() if face not in wanted)
        deck_id = deck_ids[item.deck]
        cards.extend(
            _new_card(item, note_id, face, deck_id) for face in wanted if face not in faces
        )
    store.cards.insert_new(cards, now)
    store.cards.set_suspended(retired, True, store.stamp(now))
    return len(cards)


def _retire(store: Store, note_ids: list[int], delete: bool, now: datetime) -> None:
    """Suspend the cards of notes gone from their bank, or delete them with their history."""
    if not note_ids:
        return
    faces = store.cards.faces_by_note(note_ids).values()
    card_ids = [card_id for by_face in faces for card_id in by_face.values()]
    if delete:
        store.reviews.delete_of_cards(card_ids)
        store.cards.delete_of_notes(note_ids)
        store.notes.delete(note_ids, now)
    else:
        store.cards.set_suspended(card_ids, True, store.stamp(now))
