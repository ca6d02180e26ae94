"""Row ⇄ domain mapping."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring as _json_text
from typing import TYPE_CHECKING, Any

from quizapp.domain import (
    BasicContent,
    Card,
    CardState,
    Deck,
    MemoryState,
    Note,
    NoteKind,
    Rating,
    ReviewKind,
    ReviewLog,
    SchedulingPreset,
    TextFormat,
)
from quizapp.domain.notes import content_from_fields, content_to_fields
from quizapp.storage.times import from_millis, maybe_from_millis, to_millis

if TYPE_CHECKING:  # rows of SQLAlchemy's expression queries; the driver gives tuples
    from sqlalchemy import RowMapping


def card_from_row(row: Any) -> Card:
    """A domain card from a row selected with :data:`hot_sql.CARD_COLUMNS`."""
    return Card(
        id=row[0],
        note_id=row[1],
        deck_id=row[2],
        face=row[3],
        memory=MemoryState(
            state=CardState(row[4]),
            due=from_millis(row[5]),
            step=row[6],
            stability=row[7],
            difficulty=row[8],
            last_review=None if row[9] is None else from_millis(row[9]),
        ),
        suspended=bool(row[10]),
        buried=bool(row[11]),
        flag=row[12],
        version=row[13],
    )


def note_from_row(row: RowMapping) -> Note:
    """A domain note from a ``notes`` row."""
    kind = NoteKind(row["kind"])
    return Note(
        id=row["id"],
        guid=row["guid"],
        kind=kind,
        content=content_from_fields(kind, row["content"]),
        explanation=row["explanation"],
        tags=tuple(row["tags"].split()),
        source=row["source"],
        text_format=TextFormat(row["text_format"]),
    )


def note_values(note: Note) -> dict[str, Any]:
    """Column values for a note (without id and timestamps)."""
    return {
        "guid": note.guid,
        "kind": note.kind.value,
        "content": content_to_fields(note.content),
        "explanation": note.explanation,
        "tags": " ".join(note.tags),
        "source": note.source,
        "text_format": note.text_format.value,
    }


def preset_from_row(row: RowMapping) -> SchedulingPreset:
    """A domain preset from a ``presets`` row."""
    return SchedulingPreset(
        id=row["id"],
        name=row["name"],
        desired_retention=row["desired_retention"],
        learning_steps=tuple(row["learning_steps"]),
        relearning_steps=tuple(row["relearning_steps"]),
        maximum_interval_days=row["maximum_interval_days"],
        new_per_day=row["new_per_day"],
        reviews_per_day=row["reviews_per_day"],
        fuzz=bool(row["fuzz"]),
    )


def deck_from_row(row: RowMapping) -> Deck:
    """A domain deck from a ``decks`` row."""
    return Deck(id=row["id"], name=row["name"], preset_id=row["preset_id"])


def deck_from_values(values: Sequence[Any]) -> Deck:
    """A domain deck from a row of :data:`hot_sql.DECK_COLUMNS`."""
    deck_id, name, preset_id = values
    return Deck(id=deck_id, name=name, preset_id=preset_id)


def preset_from_values(values: Sequence[Any]) -> SchedulingPreset:
    """A domain preset from a row of :data:`hot_sql.PRESET_COLUMNS` (steps as JSON text)."""
    (
        preset_id,
        name,
        retention,
        learning,
        relearning,
        maximum_interval,
        new_per_day,
        reviews_per_day,
        fuzz,
    ) = values
    return SchedulingPreset(
        id=preset_id,
        name=name,
        desired_retention=retention,
        learning_steps=tuple(json.loads(learning)),
        relearning_steps=tuple(json.loads(relearning)),
        maximum_interval_days=maximum_interval,
        new_per_day=new_per_day,
        reviews_per_day=reviews_per_day,
        fuzz=bool(fuzz),
    )


def review_from_values(values: Sequence[Any]) -> ReviewLog:
    """A domain review log from a row of :data:`hot_sql.REVIEW_COLUMNS` (times in ms)."""
    (
        review_id,
        card_id,
        reviewed_ms,
        rating,
        duration_ms,
        kind,
        state_before,
        step_before,
        stability_before,
        difficulty_before,
        due_before,
        last_review_before,
        state_after,
        step_after,
        stability_after,
        difficulty_after,
        due_after,
        answer,
        imported,
        shown,
        choice_order,
        uid,
    ) = values
    reviewed_at = from_millis(reviewed_ms)
    return ReviewLog(
        id=review_id,
        card_id=card_id,
        reviewed_at=reviewed_at,
        rating=Rating(rating),
        duration_ms=duration_ms,
        kind=ReviewKind(kind),
        before=MemoryState(
            state=CardState(state_before),
            due=from_millis(due_before),
            step=step_before,
            stability=stability_before,
            difficulty=difficulty_before,
            last_review=maybe_from_millis(last_review_before),
        ),
        after=MemoryState(
            state=CardState(state_after),
            due=from_millis(due_after),
            step=step_after,
            stability=stability_after,
            difficulty=difficulty_after,
            last_review=reviewed_at,
        ),
        answer=answer,
        imported=bool(imported),
        shown=None if shown is None else json.loads(shown),
        choice_order=None if choice_order is None else tuple(json.loads(choice_order)),
        uid=uid,
    )


def review_from_row(row: RowMapping) -> ReviewLog:
    """A domain review log from a ``reviews`` row (datetimes already UTC-aware)."""
    return ReviewLog(
        id=row["id"],
        card_id=row["card_id"],
        reviewed_at=row["reviewed_at"],
        rating=Rating(row["rating"]),
        duration_ms=row["duration_ms"],
        kind=ReviewKind(row["kind"]),
        before=MemoryState(
            state=CardState(row["state_before"]),
            due=row["due_before"],
            step=row["step_before"],
            stability=row["stability_before"],
            difficulty=row["difficulty_before"],
            last_review=row["last_review_before"],
        ),
        after=MemoryState(
            state=CardState(row["state_after"]),
            due=row["due_after"],
            step=row["step_after"],
            stability=row["stability_after"],
            difficulty=row["difficulty_after"],
            last_review=row["reviewed_at"],
        ),
        answer=row["answer"],
        imported=bool(row["imported"]),
        shown=row["shown"],
        choice_order=None if row["choice_order"] is None else tuple(row["choice_order"]),
        uid=row["uid"],
    )


# Plain str values: sqlite3 binds an exact str directly, a str enum through its adapters.
_KIND_VALUES = {kind: kind.value for kind in NoteKind}
_FORMAT_VALUES = {text_format: text_format.value for text_format in TextFormat}


@dataclass(frozen=True, slots=True)
class NoteOrigin:
    """Where new notes come from: their bank, the time, and the change stamp."""

    source: str
    bank_id: int | None
    stamp_ms: int
    hlc: int
    device: str


def note_params(notes: Sequence[Note], first_id: int, origin: NoteOrigin) -> list[tuple[Any, ...]]:
    """Positional parameters of :data:`hot_sql.INSERT_NOTE`, ids counting from ``first_id``.

    One loop for the lot: this runs for every note of a large import.  A new note's
    bank fingerprint is NULL: it says what its bank says (see :func:`note_fingerprint`).
    """
    kinds, formats, text = _KIND_VALUES, _FORMAT_VALUES, _json_text
    source, bank_id, stamp = origin.source, origin.bank_id, origin.stamp_ms
    hlc, device = origin.hlc, origin.device
    rows = []
    for note_id, note in enumerate(notes, first_id):
        content = note.content
        if type(content) is BasicContent:
            # Front/back notes (most of a big import) written directly.
            stored = f'{{"front": {text(content.front)}, "back": {text(content.back)}}}'
        else:
            stored = json.dumps(content_to_fields(content), ensure_ascii=False)
        tags = " ".join(note.tags)
        rows.append(
            (
                note_id,
                note.guid,
                kinds[note.kind],
                stored,
                note.explanation,
                tags,
                source,
                formats[note.text_format],
                stamp,
                stamp,
                bank_id,
                None,
                hlc,
                device,
            )
        )
    return rows


def note_fingerprint(note: Note) -> str:
    """A hash of what a note says (kind, content, explanation, tags, format).

    A note's ``bank_fingerprint`` is NULL while it says what its bank last gave;
    editing it in the app stores the fingerprint of the bank's version first, so a
    note that no longer hashes to its stored fingerprint was edited here since.
    """
    content = note.content
    if type(content) is BasicContent:
        stored = f'{{"front": {_json_text(content.front)}, "back": {_json_text(content.back)}}}'
    else:
        stored = json.dumps(content_to_fields(content), ensure_ascii=False)
    return _fingerprint(
        note.kind.value, stored, note.explanation, " ".join(note.tags), note.text_format
    )


def _fingerprint(
    kind: str, content_json: str, explanation: str, tags: str, text_format: TextFormat
) -> str:
    payload = "\x1f".join((kind, content_json, explanation, tags, text_format.value))
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()


def review_params(log: ReviewLog, uid: str, device: str) -> tuple[Any, ...]:
    """Positional parameters of :data:`hot_sql.INSERT_REVIEW` for ``log``."""
    before, after = log.before, log.after
    return (
        log.card_id,
        to_millis(log.reviewed_at),
        int(log.rating),
        log.duration_ms,
        int(log.kind),
        int(before.state),
        before.step,
        before.stability,
        before.difficulty,
        to_millis(before.due),
        None if before.last_review is None else to_millis(before.last_review),
        int(after.state),
        after.step,
        after.stability,
        after.difficulty,
        to_millis(after.due),
        log.answer,
        int(log.imported),
        None if log.shown is None else json.dumps(dict(log.shown)),
        None if log.choice_order is None else json.dumps(list(log.choice_order)),
        uid,
        device,
    )


def note_from_values(values: Sequence[Any]) -> Note:
    """A domain note from a row of :data:`hot_sql.GET_NOTE` (content still JSON text)."""
    note_id, guid, kind_name, content, explanation, tags, source, text_format = values
    kind = NoteKind(kind_name)
    return Note(
        id=note_id,
        guid=guid,
        kind=kind,
        content=content_from_fields(kind, json.loads(content)),
        explanation=explanation,
        tags=tuple(tags.split()),
        source=source,
        text_format=TextFormat(text_format),
    )
