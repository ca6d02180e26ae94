"""Adding and editing notes, as the editor window does: checked, sanitized, undoable.

Every kind the reviewer studies can be written here.  HTML goes through the same
sanitizer as imports; a note that cannot be saved raises :class:`InvalidNote`
naming each field at fault; a first field that another note of the deck already
has is a warning, not an error.  Editing keeps the note's cards with their
schedules and history: a cloze deletion added makes a card, one taken away
suspends its card, or deletes it with its reviews only when asked
(:meth:`NoteEditor.edit_impact` says first which cards and how many reviews).

A note from a bank, edited here, keeps the fingerprint of the bank's version from
before its first edit, so that a re-import keeps the edit and reports it
(:mod:`quizapp.services.importing`).  A note made here belongs to no bank and
gets a fresh guid.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from quizapp.banks.html import html_to_text, sanitize_html
from quizapp.domain import ExerciseContent, Note, NoteContent, NoteKind, TextFormat
from quizapp.domain.notes import content_type, map_texts
from quizapp.errors import UserError
from quizapp.services.clock import Clock
from quizapp.services.deck_editing import clean_deck_name
from quizapp.services.deletion import delete_rows
from quizapp.services.note_checks import InvalidNote, note_problems
from quizapp.services.search import index_written
from quizapp.services.undo import Action, UndoHistory, undoable
from quizapp.storage import Database, Store
from quizapp.storage.card_repository import NewCard
from quizapp.storage.mapping import note_fingerprint
from quizapp.storage.note_repository import NoteRecord

NOTE_GONE = "That note was deleted meanwhile (in another QuizApp window?)."
NOTE_CHANGED = (
    "That note was changed in another QuizApp window or program since you opened it; "
    "open it again to edit it (your text was not saved)."
)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class EditableNote:
    """A note as the editor opens it; ``stamp`` goes back with the save."""

    note: Note
    deck_name: str
    stamp: int
    card_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SavedNote:
    """What a save did: the note, its cards now, cards added and set aside, and warnings."""

    note_id: int
    card_ids: tuple[int, ...]
    cards_added: tuple[int, ...] = ()
    cards_suspended: tuple[int, ...] = ()
    cards_deleted: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EditImpact:
    """What saving an edit would do to the note's cards (cloze deletions added or gone)."""

    faces_added: tuple[int, ...]
    cards_removed: tuple[int, ...]  # cards of deletions no longer in the text
    reviews_removed: int  # their reviews, were they deleted


class NoteEditor:
    """The editor's calls: open, check, add and save notes."""

    def __init__(self, database: Database, clock: Clock, history: UndoHistory) -> None:
        self._database = database
        self._clock = clock
        self._history = history

    def open(self, note_id: int) -> EditableNote:
        """The note to edit, with the deck of its first card and the stamp to save with."""
        with self._database.transaction() as store:
            record = _record(store, note_id)
            faces = store.cards.faces_by_note([note_id]).get(note_id, {})
            card_ids = tuple(faces[face] for face in sorted(faces))
            cards = store.cards.many(card_ids[:1])
            deck_name = store.decks.get(cards[0].deck_id).name if cards else ""
        return EditableNote(record.note, deck_name, record.stamp, card_ids)

    def add_note(
        self,
        kind: NoteKind,
        content: NoteContent,
        deck: str,
        tags: Sequence[str] = (),
        explanation: str = "",
        text_format: TextFormat = TextFormat.PLAIN,
    ) -> SavedNote:
        """Add a note of ``kind`` to the deck ``deck`` (made if need be) with its cards."""
        note = _checked(
            Note(
                uuid.uuid4().hex,
                kind,
                _of_kind(kind, content),
                explanation,
                tuple(tags),
                text_format=text_format,
            )
        )
        name = clean_deck_name(deck)
        with undoable(self._database, self._clock, self._history) as action:
            store = action.store
            deck_id = store.decks.ensure(
                name, store.decks.default_preset_id(), store.stamp(action.now)
            ).id
            warnings = _duplicates(store, note, deck_id, name)
            note_id = store.notes.insert_many([note], "", action.now)[0]
            store.cards.insert_new(
                [NewCard(note_id, face, deck_id) for face in note.faces], action.now
            )
            faces = store.cards.faces_by_note([note_id])[note_id]
            index_written(store.connection)
            action.description = "add note"
        card_ids = tuple(faces[face] for face in sorted(faces))
        return SavedNote(note_id, card_ids, card_ids, warnings=warnings)

    def edit_impact(self, note_id: int, content: NoteContent) -> EditImpact:
        """What saving ``content`` in the note would do to its cards; writes nothing."""
        with self._database.transaction() as store:
            record = _record(store, note_id)
            note = replace(record.note, content=_of_kind(record.note.kind, content))
            added, removed = _face_changes(store, note_id, note)
            return EditImpact(added, removed, store.reviews.count_of_cards(removed))

    def edit_note(
        self,
        note_id: int,
        content: NoteContent,
        tags: Sequence[str],
        explanation: str = "",
        text_format: TextFormat = TextFormat.PLAIN,
        *,
        stamp: int | None = None,
        delete_removed_cards: bool = False,
    ) -> SavedNote:
        """Save the note's new text; its cards keep their schedules and history.

        ``stamp`` is the one :meth:`open` gave: when the note was changed elsewhere
        since, nothing is saved.  Cards of cloze deletions no longer in the text are
        suspended, or deleted with their reviews when ``delete_removed_cards``.
        """
        with undoable(self._database, self._clock, self._history) as action:
            store = action.store
            record = _record(store, note_id)
            if stamp is not None and record.stamp != stamp:
                raise UserError(NOTE_CHANGED)
            note = _checked(
                replace(
                    record.note,
                    content=_of_kind(record.note.kind, content),
                    tags=tuple(tags),
                    explanation=explanation,
                    text_format=text_format,
                )
            )
            if note == record.note:
                return _unchanged(store, note_id)
            saved = _save(action, record, note, delete_removed_cards)
            action.description = "edit note"
        return saved


def _record(store: Store, note_id: int) -> NoteRecord:
    record = store.notes.record(note_id)
    if record is None:
        raise UserError(NOTE_GONE)
    return record


def _of_kind(kind: NoteKind, content: NoteContent) -> NoteContent:
    expected = content_type(kind)
    if type(content) is not expected:
        raise UserError(
            f"A {kind.value.replace('_', ' ')} note holds {expected.__name__}, "
            f"not {type(content).__name__}; the kind of a note cannot change."
        )
    return content


def _checked(note: Note) -> Note:
    """``note`` with its HTML sanitized, once nothing is wrong with it."""
    problems = note_problems(note.kind, note.content, note.tags)
    if problems:
        raise InvalidNote(problems)
    if note.text_format is TextFormat.HTML:
        note = replace(
            note,
            content=map_texts(note.content, sanitize_html),
            explanation=sanitize_html(note.explanation),
        )
    return note


def first_field(note: Note) -> str:
    """The text a duplicate is told by: the front, statement, question or cloze text."""
    content = note.content
    if isinstance(content, ExerciseContent):
        return content.template.question
    for name in ("front", "statement", "text", "question"):
        if hasattr(content, name):
            return str(getattr(content, name))
    return ""


def _comparable(text: str) -> str:
    return _SPACES.sub(" ", html_to_text(text)).strip().casefold()


def _duplicates(
    store: Store, note: Note, deck_id: int, deck_name: str, note_id: int | None = None
) -> tuple[str, ...]:
    """A warning when another note of the deck has the same first field (case ignored)."""
    wanted = _comparable(first_field(note))
    if not wanted:
        return ()
    for other_id, text in store.notes.first_fields_in_deck(deck_id):
        if other_id != note_id and _comparable(text) == wanted:
            return (f"Another note in {deck_name} already begins with this text (a duplicate?).",)
    return ()


def _face_changes(
    store: Store, note_id: int, note: Note
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The faces the note now makes and has no card for; the cards of faces it no longer makes."""
    have = store.cards.faces_by_note([note_id]).get(note_id, {})
    wanted = note.faces
    added = tuple(face for face in wanted if face not in have)
    removed = tuple(card_id for face, card_id in sorted(have.items()) if face not in wanted)
    return added, removed


def _unchanged(store: Store, note_id: int) -> SavedNote:
    faces = store.cards.faces_by_note([note_id]).get(note_id, {})
    return SavedNote(note_id, tuple(faces[face] for face in sorted(faces)))


def _save(action: Action, record: NoteRecord, note: Note, delete_removed: bool) -> SavedNote:
    """Write the edited note and its cards (watched first)."""
    store, now = action.store, action.now
    note_id = record.note.id
    assert note_id is not None
    added, removed = _face_changes(store, note_id, note)
    cards = store.cards.many(list(store.cards.faces_by_note([note_id]).get(note_id, {}).values()))
    if cards:
        deck_id = cards[0].deck_id
    else:  # a note left without cards: its new ones go to the first deck
        deck_id = store.decks.ensure("Default", store.decks.default_preset_id()).id
    action.watch.watch("notes", [note_id])
    if removed and delete_removed:
        delete_rows(store, action.watch, [], removed, now)
    elif removed:
        action.watch.watch("cards", removed)
        store.cards.set_suspended(list(removed), True, store.stamp(now))
    store.cards.insert_new([NewCard(note_id, face, deck_id) for face in added], now)
    store.notes.update(note_id, note, now, record.bank_id, _fingerprint(record))
    index_written(store.connection)
    faces = store.cards.faces_by_note([note_id]).get(note_id, {})
    card_ids = tuple(faces[face] for face in sorted(faces))
    deck_name = store.decks.get(deck_id).name
    return SavedNote(
        note_id,
        card_ids,
        cards_added=tuple(faces[face] for face in added),
        cards_suspended=() if delete_removed else removed,
        cards_deleted=removed if delete_removed else (),
        warnings=_duplicates(store, note, deck_id, deck_name, note_id),
    )


def _fingerprint(record: NoteRecord) -> str | None:
    """The fingerprint to keep: the bank's version's, taken at the first edit here."""
    if record.bank_id is None or record.fingerprint is not None:
        return record.fingerprint
    return note_fingerprint(record.note)
