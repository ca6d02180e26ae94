"""SQL of the hot paths (answering a card, importing a bank in bulk), run through the driver.

Each answer runs a handful of tiny statements, and an import one statement per
thousands of rows; building and compiling them through SQLAlchemy's expression
layer would cost more than SQLite takes to run them.  These strings hold only
``?`` placeholders and column names of ours: no user text is ever formatted in.
"""

from __future__ import annotations

from functools import lru_cache

CARD_COLUMNS = (
    "id, note_id, deck_id, face, state, due, step, stability, difficulty, last_review, "
    "suspended, buried, flag, version"
)
STUDYABLE = "suspended = 0 AND buried = 0"

GET_CARD = f"SELECT {CARD_COLUMNS} FROM cards WHERE id = ?"
COUNT_CARDS = "SELECT COUNT(*) FROM cards"
CARDS_BY_DECK = "SELECT deck_id, COUNT(*) FROM cards GROUP BY deck_id"
# One index seek per deck, where counting would walk every card.
DECKS_HOLDING_CARDS = (
    "SELECT id FROM decks WHERE EXISTS (SELECT 1 FROM cards WHERE cards.deck_id = decks.id)"
)
# Buried cards back (params: card ids as a JSON array), or all of them on a new day.
UNBURY_CARDS = (
    "UPDATE cards SET buried = 0, version = version + 1 "
    "WHERE buried = 1 AND id IN (SELECT value FROM json_each(?))"
)
UNBURY_ALL = "UPDATE cards SET buried = 0, version = version + 1 WHERE buried = 1"
DECK_COLUMNS = "id, name, preset_id"
ALL_DECKS = f"SELECT {DECK_COLUMNS} FROM decks ORDER BY name"
DECK_BY_NAME = f"SELECT {DECK_COLUMNS} FROM decks WHERE name = ?"
DECK_BY_ID = f"SELECT {DECK_COLUMNS} FROM decks WHERE id = ?"
PRESET_COLUMNS = (
    "id, name, desired_retention, learning_steps, relearning_steps, maximum_interval_days, "
    "new_per_day, reviews_per_day, fuzz"
)
GET_PRESET = f"SELECT {PRESET_COLUMNS} FROM presets WHERE id = ?"
GET_META = "SELECT value FROM meta WHERE key = ?"
SET_META = (
    "INSERT INTO meta (key, value) VALUES (?, ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)
REVIEW_COLUMNS = (
    "id, card_id, reviewed_at, rating, duration_ms, kind, state_before, step_before, "
    "stability_before, difficulty_before, due_before, last_review_before, state_after, "
    "step_after, stability_after, difficulty_after, due_after, answer, imported, shown, "
    "choice_order, uid"
)
# Answers only: manual changes of a schedule (rating 0) are not answers.
GET_REVIEW = f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE id = ? AND rating > 0"
LAST_SHOWN = (
    "SELECT shown FROM reviews WHERE card_id = ? AND rating > 0 "
    "ORDER BY reviewed_at DESC, id DESC LIMIT 1"
)
REVIEW_UID = "SELECT uid FROM reviews WHERE id = ?"
DELETE_REVIEW = "DELETE FROM reviews WHERE id = ?"
COUNT_ANSWERS = "SELECT COUNT(*) FROM reviews WHERE rating > 0"
# Where a card's counts were last reset ("forget, reset counts"), and its lapses since.
LAST_COUNTS_RESET = (
    "SELECT reviewed_at, id FROM reviews WHERE card_id = ? AND kind = 4 AND answer = ? "
    "ORDER BY reviewed_at DESC, id DESC LIMIT 1"
)
LAPSES_SINCE = (
    "SELECT COUNT(*) FROM reviews WHERE card_id = ? AND rating = 1 AND kind = 1 "
    "AND (reviewed_at > ? OR (reviewed_at = ? AND id > ?))"
)
ADD_GRAVE = "INSERT INTO graves (kind, uid, modified_hlc, modified_by) VALUES (?, ?, ?, ?)"
# Only if the card is still at the version that was read (params end: id, version).
SET_MEMORY = (
    "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
    "last_review = ?, version = version + 1 WHERE id = ? AND version = ?"
)
# Siblings of a card just answered wait for the next day (params: note id, card id).
BURY_SIBLINGS = (
    "UPDATE cards SET buried = 1, version = version + 1 "
    "WHERE note_id = ? AND id != ? AND state IN (0, 2) AND suspended = 0 AND buried = 0 "
    "RETURNING id"
)
GET_NOTE = (
    "SELECT id, guid, kind, content, explanation, tags, source, text_format FROM notes WHERE id = ?"
)
COUNT_NOTES = "SELECT COUNT(*) FROM notes"
NEXT_NOTE_ID = "SELECT COALESCE(MAX(id), 0) + 1 FROM notes"
ALL_GUIDS = "SELECT guid FROM notes"
ALL_GUIDS_AND_BANKS = "SELECT guid, bank_id FROM notes"
# A bank's guids, to find its notes already stored with one join.
CREATE_WANTED_GUIDS = "CREATE TEMP TABLE IF NOT EXISTS wanted_guids (guid TEXT)"
CLEAR_WANTED_GUIDS = "DELETE FROM wanted_guids"
ADD_WANTED_GUID = "INSERT INTO wanted_guids (guid) VALUES (?)"
NOTES_OF_WANTED_GUIDS = (
    "SELECT n.id, n.guid, n.kind, n.content, n.explanation, n.tags, n.source, n.text_format, "
    "n.bank_id, n.bank_fingerprint "
    "FROM wanted_guids AS w JOIN notes AS n ON n.guid = w.guid"
)
BANKS_OF_WANTED_GUIDS = (
    "SELECT n.bank_id, COUNT(*) FROM wanted_guids AS w JOIN notes AS n ON n.guid = w.guid "
    "GROUP BY n.bank_id"
)
INSERT_NOTE = (
    "INSERT INTO notes (id, guid, kind, content, explanation, tags, source, text_format, "
    "created_at, modified_at, bank_id, bank_fingerprint, modified_hlc, modified_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_NEW_CARD = (
    "INSERT INTO cards (note_id, face, deck_id, state, due, suspended, buried) "
    "VALUES (?, ?, ?, 0, ?, ?, 0)"
)
# The cards of the notes whose ids are in a JSON array, through the (note, face) index.
CARDS_OF_NOTES = (
    "SELECT cards.note_id, cards.face, cards.id "
    "FROM json_each(?) AS wanted CROSS JOIN cards ON cards.note_id = wanted.value"
)
# Every face of every note in an id range (params: deck id, due, faces as a JSON array,
# first and last note id): one statement instead of a row per card.  CROSS JOIN keeps
# the notes the outer loop, read in id order (so ORDER BY sorts nothing), each note's
# faces in the array's order.
INSERT_NEW_CARDS_OF_NOTES = (
    "INSERT INTO cards (note_id, face, deck_id, state, due, suspended, buried) "
    "SELECT notes.id, face.value, ?, 0, ?, 0, 0 "
    "FROM notes CROSS JOIN json_each(?) AS face WHERE notes.id BETWEEN ? AND ? "
    "ORDER BY notes.id"
)
INSERT_REVIEW = (
    "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, kind, state_before, "
    "step_before, stability_before, difficulty_before, due_before, last_review_before, "
    "state_after, step_after, stability_after, difficulty_after, due_after, answer, imported, "
    "shown, choice_order, uid, device) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _marks(count: int) -> str:
    return ", ".join("?" * count)


@lru_cache(maxsize=256)
def next_card(decks: int, states: int) -> str:
    """The earliest-due studiable card: params are deck ids, states, then the due limit.

    The index leads with (deck, state, suspended, buried) and ends with due, so for
    each (deck, state) SQLite reads it in due order and stops at the first row.
    """
    return (
        f"SELECT {CARD_COLUMNS} FROM cards WHERE deck_id IN ({_marks(decks)}) "
        f"AND state IN ({_marks(states)}) AND {STUDYABLE} AND due <= ? "
        "ORDER BY due, id LIMIT 1"
    )


@lru_cache(maxsize=256)
def next_due_time(decks: int) -> str:
    """When the earliest studied (not new) card of these decks comes due (params: deck ids)."""
    return (
        f"SELECT MIN(due) FROM cards WHERE deck_id IN ({_marks(decks)}) "
        f"AND state IN (1, 2, 3) AND {STUDYABLE}"
    )


@lru_cache(maxsize=256)
def exercises_in_decks(decks: int) -> str:
    """The exercise notes with a card in these decks (params: deck ids), as GET_NOTE's rows."""
    return (
        "SELECT id, guid, kind, content, explanation, tags, source, text_format FROM notes "
        f"WHERE kind = 'exercise' AND id IN (SELECT note_id FROM cards "
        f"WHERE deck_id IN ({_marks(decks)}))"
    )


@lru_cache(maxsize=256)
def count_due(decks: int, states: int) -> str:
    """How many cards are due, up to a limit: params are deck ids, states, due limit, limit."""
    return (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM cards WHERE deck_id IN ({_marks(decks)}) "
        f"AND state IN ({_marks(states)}) AND due <= ? AND {STUDYABLE} LIMIT ?)"
    )


@lru_cache(maxsize=256)
def answered_today(decks: int) -> str:
    """New cards and reviews answered since a time in these decks (params: time, deck ids).

    ``CROSS JOIN`` makes SQLite read the day's few reviews first (by time) and look
    up their cards, instead of walking every card of the decks.
    """
    return (
        "SELECT COALESCE(SUM(reviews.state_before = 0), 0), "
        "COALESCE(SUM(reviews.state_before = 2), 0) "
        "FROM reviews CROSS JOIN cards ON cards.id = reviews.card_id "
        "WHERE reviews.reviewed_at >= ? AND reviews.imported = 0 AND reviews.rating > 0 "
        f"AND cards.deck_id IN ({_marks(decks)})"
    )


@lru_cache(maxsize=256)
def queue_counts(decks: int) -> str:
    """New, learning and review cards due, each up to a limit, in one statement.

    Params: (deck ids, new limit), (deck ids, learning due-by, learning limit),
    (deck ids, review due-by, review limit).
    """
    due = f"SELECT 1 FROM cards WHERE deck_id IN ({_marks(decks)}) AND {STUDYABLE} "
    return (
        f"SELECT (SELECT COUNT(*) FROM ({due} AND state = 0 LIMIT ?)), "
        f"(SELECT COUNT(*) FROM ({due} AND state IN (1, 3) AND due <= ? LIMIT ?)), "
        f"(SELECT COUNT(*) FROM ({due} AND state = 2 AND due <= ? LIMIT ?))"
    )
