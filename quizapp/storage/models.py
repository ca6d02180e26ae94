"""SQLAlchemy 2.x typed models.  The schema itself is made only by Alembic migrations."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcMillis(TypeDecorator[datetime]):
    """A UTC-aware datetime stored as integer milliseconds since the epoch.

    Integers compare and index fast, and SQLite's naive text datetimes never
    reach the domain.
    """

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use UTC-aware ones")
        return round(value.timestamp() * 1000)

    def process_result_value(self, value: int | None, dialect: Dialect) -> datetime | None:
        return None if value is None else from_millis(value)


def to_millis(value: datetime) -> int:
    """Milliseconds since the epoch of a UTC-aware datetime."""
    return round(value.timestamp() * 1000)


def from_millis(value: int) -> datetime:
    """The UTC-aware datetime of ``value`` milliseconds since the epoch."""
    return datetime.fromtimestamp(value / 1000, tz=UTC)


class Base(DeclarativeBase):
    """Declarative base of every QuizApp table."""


class ChangeStamp:
    """When and where a row that can change was last changed, for merging devices' edits.

    ``modified_hlc`` is a hybrid logical clock stamp (:mod:`quizapp.domain.hlc`),
    ``modified_by`` the id of the device that made the change.
    """

    modified_hlc: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    modified_by: Mapped[str] = mapped_column(String(64), default="", server_default="")


class PresetRow(ChangeStamp, Base):
    __tablename__ = "presets"
    __table_args__ = (Index("ix_presets_uid", "uid", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), server_default="")
    name: Mapped[str] = mapped_column(String(200))
    desired_retention: Mapped[float] = mapped_column(Float)
    learning_steps: Mapped[list[int]] = mapped_column(JSON)
    relearning_steps: Mapped[list[int]] = mapped_column(JSON)
    maximum_interval_days: Mapped[int] = mapped_column(Integer)
    new_per_day: Mapped[int] = mapped_column(Integer)
    reviews_per_day: Mapped[int] = mapped_column(Integer)
    fuzz: Mapped[bool] = mapped_column(Boolean)


class DeckRow(ChangeStamp, Base):
    __tablename__ = "decks"
    __table_args__ = (Index("ix_decks_uid", "uid", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), server_default="")
    name: Mapped[str] = mapped_column(String(500), unique=True)
    preset_id: Mapped[int] = mapped_column(ForeignKey("presets.id"))


class BankRow(Base):
    """A bank file notes came from, told apart from others of the same name.

    ``declared_id`` is the id the bank gives itself (a YAML bank's ``id``), ``path``
    where it was last imported from; ``namespace`` is added to the ids a file without
    ids of its own makes, when a second bank of the same name is kept apart.
    """

    __tablename__ = "banks"
    __table_args__ = (Index("ix_banks_uid", "uid", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(20), default="", server_default="")
    declared_id: Mapped[str | None] = mapped_column(Text)
    path: Mapped[str | None] = mapped_column(Text)
    namespace: Mapped[str] = mapped_column(String(64), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UtcMillis)
    modified_at: Mapped[datetime] = mapped_column(UtcMillis)


class NoteRow(ChangeStamp, Base):
    __tablename__ = "notes"
    __table_args__ = (
        # Re-importing a bank finds the notes it brought before, to report those now gone.
        Index("ix_notes_source", "source"),
        Index("ix_notes_bank", "bank_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    content: Mapped[dict[str, object]] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    text_format: Mapped[str] = mapped_column(String(10), default="plain", server_default="plain")
    created_at: Mapped[datetime] = mapped_column(UtcMillis)
    modified_at: Mapped[datetime] = mapped_column(UtcMillis)
    # The bank the note came from (banks.id); None for a note made in the app.  Not a
    # declared foreign key: SQLite adds one to an existing table only by copying it.
    bank_id: Mapped[int | None] = mapped_column(Integer)
    # A hash of the note as its bank last gave it: a stored note that no longer
    # hashes to it was edited here, and a re-import does not overwrite it silently.
    bank_fingerprint: Mapped[str | None] = mapped_column(String(64))


class CardRow(ChangeStamp, Base):
    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("note_id", "face", name="uq_cards_note_face"),
        # The next card and the deck counts; counting reads only this index.
        Index("ix_cards_studyable", "deck_id", "state", "suspended", "buried", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id"))
    face: Mapped[int] = mapped_column(Integer)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id"))
    state: Mapped[int] = mapped_column(Integer)
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(UtcMillis)
    last_review: Mapped[datetime | None] = mapped_column(UtcMillis)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    buried: Mapped[bool] = mapped_column(Boolean, default=False)
    flag: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Counts writes: a write checks the version it read (optimistic concurrency).
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ReviewRow(Base):
    """One answer.  Rows are inserted, and deleted only by undo; never updated."""

    __tablename__ = "reviews"
    __table_args__ = (
        Index("ix_reviews_card_time", "card_id", "reviewed_at"),
        Index("ix_reviews_time", "reviewed_at"),
        Index("ix_reviews_uid", "uid", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique across machines, so that merging two devices' histories is a union.
    uid: Mapped[str] = mapped_column(String(64), server_default="")
    device: Mapped[str] = mapped_column(String(64), default="", server_default="")
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"))
    reviewed_at: Mapped[datetime] = mapped_column(UtcMillis)
    rating: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    kind: Mapped[int] = mapped_column(Integer)
    state_before: Mapped[int] = mapped_column(Integer)
    step_before: Mapped[int | None] = mapped_column(Integer)
    stability_before: Mapped[float | None] = mapped_column(Float)
    difficulty_before: Mapped[float | None] = mapped_column(Float)
    due_before: Mapped[datetime] = mapped_column(UtcMillis)
    last_review_before: Mapped[datetime | None] = mapped_column(UtcMillis)
    state_after: Mapped[int] = mapped_column(Integer)
    step_after: Mapped[int | None] = mapped_column(Integer)
    stability_after: Mapped[float | None] = mapped_column(Float)
    difficulty_after: Mapped[float | None] = mapped_column(Float)
    due_after: Mapped[datetime] = mapped_column(UtcMillis)
    answer: Mapped[str | None] = mapped_column(Text)
    imported: Mapped[bool] = mapped_column(Boolean, default=False)
    # For an exercise: the variable values the learner was shown.
    shown: Mapped[dict[str, object] | None] = mapped_column(JSON)
    # The order the choices were shown in, as indices into the note's choices.
    choice_order: Mapped[list[int] | None] = mapped_column(JSON)


class GraveRow(Base):
    """A deleted row, remembered so that other devices delete it too."""

    __tablename__ = "graves"
    __table_args__ = (Index("ix_graves_kind_uid", "kind", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # note, card, deck, preset, review
    uid: Mapped[str] = mapped_column(Text)  # a note's guid, a card's "guid/face", a uid
    modified_hlc: Mapped[int] = mapped_column(Integer)
    modified_by: Mapped[str] = mapped_column(String(64))


class MetaRow(Base):
    """Small key/value facts about the collection, such as which bank seeded it."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- The search index (schemas 0004, 0005): derived from notes and reviews, rebuilt at will. ---
# Besides these tables the schema holds the FTS5 tables ``search_fts`` (the word index of
# search_texts, rowid = note id) and ``search_vocab`` (trigrams of search_words.folded,
# rowid = search_words.id), and the triggers that keep them current; see
# migrations/versions/0004_search_index.py and 0005_search_index_smaller.py.


class SearchPendingRow(Base):
    """A note to (re)index before the next search: added, changed or deleted since."""

    __tablename__ = "search_pending"

    note_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class SearchNoteRow(Base):
    """What a search reads of a note, without its wide row: kind, tags, times."""

    __tablename__ = "search_notes"
    __table_args__ = (Index("ix_search_notes_kind", "kind"),)

    note_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(40))
    tags: Mapped[str] = mapped_column(Text)  # lower case, space-separated
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(Integer)  # epoch milliseconds
    modified_at: Mapped[int] = mapped_column(Integer)
    # Sort keys of the question and answer where no text field holds them (else NULL).
    question: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)


class SearchTextRow(Base):
    """A note's texts, one column per search field: the content of ``search_fts``."""

    __tablename__ = "search_texts"

    note_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    front: Mapped[str] = mapped_column(Text)
    back: Mapped[str] = mapped_column(Text)
    statement: Mapped[str] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text)
    choices: Mapped[str] = mapped_column(Text)
    answers: Mapped[str] = mapped_column(Text)
    feedback: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text)
    pairs: Mapped[str] = mapped_column(Text)
    distractors: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    extra: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    steps: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text)


class SearchTagRow(Base):
    """One tag of a note, lower case: ``tag:`` reads this index."""

    __tablename__ = "search_tags"
    __table_args__ = ({"sqlite_with_rowid": False},)

    tag: Mapped[str] = mapped_column(Text, primary_key=True)
    note_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class SearchCardStatsRow(Base):
    """A card's answers, lapses and first answer (epoch ms), kept by triggers on reviews."""

    __tablename__ = "search_card_stats"

    card_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    reviews: Mapped[int] = mapped_column(Integer)
    lapses: Mapped[int] = mapped_column(Integer)
    first_review: Mapped[int | None] = mapped_column(Integer)


class SearchWordRow(Base):
    """A word of the search index, and its form without accents (for ``nc:``)."""

    __tablename__ = "search_words"
    __table_args__ = (Index("ix_search_words_folded", "folded"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(Text, unique=True)
    folded: Mapped[str] = mapped_column(Text)
