"""The statistics' SQL: every figure is a GROUP BY in SQLite, run through the driver.

A scope narrows every statement to some cards: a deck's subtree (deck ids) or a
search's cards (card ids), passed as one JSON array parameter; the whole
collection adds no condition at all.  Days are counted from the start of the
learner's study day (``day 0`` is today, ``-1`` yesterday), whole days of 86,400 s.
These strings hold only ``?`` placeholders and column names of ours.
"""

# ruff: noqa: S608 (the statements are formatted from constants of this module only)

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from quizapp.storage.driver import Runner

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
MATURE_DAYS = 21
MANUAL_KIND = 4
# A review's category: 0 learning, 1 young, 2 mature, 3 relearning (Anki's, by the
# interval the card had before this answer: < 21 days is young).
REVIEW_CATEGORY = (
    "CASE WHEN r.kind = 0 THEN 0 WHEN r.kind = 2 THEN 3 "
    f"WHEN r.last_review_before IS NOT NULL AND r.due_before - r.last_review_before >= "
    f"{MATURE_DAYS * DAY_MS} THEN 2 ELSE 1 END"
)
# A card's interval in whole days.
CARD_INTERVAL = f"((c.due - c.last_review) / {DAY_MS})"
# The day ``column`` (epoch ms) falls on, counted from ``?`` (today's start); floor, not
# SQLite's truncation towards zero, for the days before it.
_DAY_OF = "CAST(floor((({column}) - ?) / {day}.0) AS INTEGER)"


def day_of(column: str) -> str:
    """The SQL of the study day ``column`` falls on (one ``?``: today's start in ms)."""
    return _DAY_OF.format(column=column, day=DAY_MS)


@dataclass(frozen=True, slots=True)
class ScopeFilter:
    """Which cards a statement counts: ``deck_ids``, ``card_ids``, or (neither) all."""

    deck_ids: tuple[int, ...] | None = None
    card_ids: tuple[int, ...] | None = None

    def cards(self) -> tuple[str, list[Any]]:
        """A condition on ``cards c`` and its parameters."""
        if self.deck_ids is not None:
            return "c.deck_id IN (SELECT value FROM json_each(?))", [json.dumps(self.deck_ids)]
        if self.card_ids is not None:
            return "c.id IN (SELECT value FROM json_each(?))", [json.dumps(self.card_ids)]
        return "1", []

    def reviews(self) -> tuple[str, list[Any]]:
        """A condition on ``reviews r`` and its parameters."""
        if self.deck_ids is not None:
            return (
                "r.card_id IN (SELECT id FROM cards WHERE deck_id IN "
                "(SELECT value FROM json_each(?)))",
                [json.dumps(self.deck_ids)],
            )
        if self.card_ids is not None:
            return "r.card_id IN (SELECT value FROM json_each(?))", [json.dumps(self.card_ids)]
        return "1", []


class StatsQueries:
    """The statistics' aggregations on one connection (driver or SQLAlchemy)."""

    def __init__(self, connection: Runner, scope: ScopeFilter) -> None:
        self._connection: Any = connection
        self._scope = scope

    def _rows(self, statement: str, parameters: Sequence[Any]) -> list[tuple[Any, ...]]:
        return list(self._connection.exec_driver_sql(statement, tuple(parameters)).all())

    def reviews_by_day(self, today_ms: int, since_ms: int) -> list[tuple[Any, ...]]:
        """(day, category, rating, answers, milliseconds) of the answers since ``since_ms``."""
        where, params = self._scope.reviews()
        return self._rows(
            f"SELECT {day_of('r.reviewed_at')} AS day, {REVIEW_CATEGORY} AS category, "
            "r.rating, COUNT(*), SUM(r.duration_ms) FROM reviews r "
            f"WHERE r.reviewed_at >= ? AND r.kind != {MANUAL_KIND} AND {where} "
            "GROUP BY day, category, r.rating",
            [today_ms, since_ms, *params],
        )

    def cards_studied(self, since_ms: int) -> int:
        """How many cards were answered since ``since_ms``."""
        where, params = self._scope.reviews()
        rows = self._rows(
            "SELECT COUNT(DISTINCT r.card_id) FROM reviews r "
            f"WHERE r.reviewed_at >= ? AND r.kind != {MANUAL_KIND} AND {where}",
            [since_ms, *params],
        )
        return int(rows[0][0])

    def by_hour(self, offset_ms: int, since_ms: int) -> list[tuple[Any, ...]]:
        """(local hour, answers, answers not Again) since ``since_ms``."""
        where, params = self._scope.reviews()
        return self._rows(
            f"SELECT ((r.reviewed_at + ?) / {HOUR_MS}) % 24 AS hour, COUNT(*), "
            "SUM(r.rating > 1) FROM reviews r "
            f"WHERE r.reviewed_at >= ? AND r.kind != {MANUAL_KIND} AND {where} GROUP BY hour",
            [offset_ms, since_ms, *params],
        )

    def card_counts(self) -> list[tuple[Any, ...]]:
        """(category, cards): suspended, buried, new, learning, relearning, young, mature."""
        where, params = self._scope.cards()
        return self._rows(
            "SELECT CASE WHEN c.suspended THEN 'suspended' WHEN c.buried THEN 'buried' "
            "WHEN c.state = 0 THEN 'new' WHEN c.state = 1 THEN 'learning' "
            "WHEN c.state = 3 THEN 'relearning' "
            f"WHEN {CARD_INTERVAL} >= {MATURE_DAYS} THEN 'mature' ELSE 'young' END AS category, "
            f"COUNT(*) FROM cards c WHERE {where} GROUP BY category",
            params,
        )

    def intervals(self) -> list[tuple[Any, ...]]:
        """(interval in days, cards) of the review cards."""
        where, params = self._scope.cards()
        return self._rows(
            f"SELECT {CARD_INTERVAL} AS days, COUNT(*) FROM cards c "
            f"WHERE c.state = 2 AND c.last_review IS NOT NULL AND {where} GROUP BY days",
            params,
        )

    def memory(self, now_ms: int, factor: float, decay: float) -> list[tuple[Any, ...]]:
        """(stability in whole days, difficulty in tenths, retrievability in %, cards).

        Retrievability is FSRS-6's curve on whole elapsed days, as
        :func:`quizapp.scheduling.memory.retrievability` computes it.
        """
        where, params = self._scope.cards()
        elapsed = f"max(0, (? - c.last_review) / {DAY_MS})"
        return self._rows(
            "SELECT CAST(c.stability AS INTEGER) AS s, CAST(round(c.difficulty * 10) AS INTEGER) "
            f"AS d, CAST(pow(1 + ? * {elapsed} / c.stability, ?) * 100 AS INTEGER) AS p, "
            "COUNT(*) FROM cards c WHERE c.state != 0 AND c.stability > 0 "
            f"AND c.last_review IS NOT NULL AND {where} GROUP BY s, d, p",
            [factor, now_ms, -decay, *params],
        )

    def forecast(self, today_ms: int, until_ms: int) -> list[tuple[Any, ...]]:
        """(day, category, cards) coming due before ``until_ms``; overdue ones on day 0.

        Category: 0 learning or relearning, 1 young, 2 mature.
        """
        where, params = self._scope.cards()
        return self._rows(
            f"SELECT max(0, {day_of('c.due')}) AS day, CASE WHEN c.state != 2 THEN 0 "
            f"WHEN {CARD_INTERVAL} >= {MATURE_DAYS} THEN 2 ELSE 1 END AS category, COUNT(*) "
            "FROM cards c WHERE c.state != 0 AND c.suspended = 0 AND c.due < ? "
            f"AND {where} GROUP BY day, category",
            [today_ms, until_ms, *params],
        )

    def added_by_day(self, today_ms: int, since_ms: int) -> list[tuple[Any, ...]]:
        """(day, cards) of the cards whose note was added since ``since_ms``."""
        where, params = self._scope.cards()
        return self._rows(
            f"SELECT {day_of('n.created_at')} AS day, COUNT(*) FROM cards c "
            f"JOIN notes n ON n.id = c.note_id WHERE n.created_at >= ? AND {where} "
            "GROUP BY day",
            [today_ms, since_ms, *params],
        )

    def accuracy_by_kind(self, since_ms: int) -> list[tuple[Any, ...]]:
        """(note kind, answers, answers not Again) since ``since_ms``."""
        where, params = self._scope.cards()
        return self._rows(
            "SELECT n.kind, SUM(a.answers), SUM(a.passed) FROM (SELECT r.card_id, COUNT(*) "
            "AS answers, SUM(r.rating > 1) AS passed FROM reviews r WHERE r.reviewed_at >= ? "
            f"AND r.kind != {MANUAL_KIND} GROUP BY r.card_id) a JOIN cards c ON c.id = a.card_id "
            f"JOIN notes n ON n.id = c.note_id WHERE {where} GROUP BY n.kind",
            [since_ms, *params],
        )

    def exercise_days(self, today_ms: int, since_ms: int) -> list[tuple[Any, ...]]:
        """(template id, day, answers, answers not Again) of exercise cards since ``since_ms``."""
        where, params = self._scope.cards()
        return self._rows(
            "SELECT json_extract(n.content, '$.template_id') AS template, "
            f"{day_of('r.reviewed_at')} AS day, COUNT(*), SUM(r.rating > 1) FROM notes n "
            "JOIN cards c ON c.note_id = n.id JOIN reviews r ON r.card_id = c.id "
            f"WHERE n.kind = 'exercise' AND r.reviewed_at >= ? AND r.kind != {MANUAL_KIND} "
            f"AND {where} GROUP BY template, day",
            [today_ms, since_ms, *params],
        )

    def exercise_answers(self, since_ms: int) -> list[tuple[Any, ...]]:
        """(note id, shown values JSON, answer, times) of wrong exercise answers since then."""
        where, params = self._scope.cards()
        return self._rows(
            "SELECT n.id, r.shown, r.answer, COUNT(*) FROM notes n "
            "JOIN cards c ON c.note_id = n.id JOIN reviews r ON r.card_id = c.id "
            "WHERE n.kind = 'exercise' AND r.reviewed_at >= ? AND r.rating = 1 "
            f"AND r.shown IS NOT NULL AND r.answer IS NOT NULL AND {where} "
            "GROUP BY n.id, r.shown, r.answer",
            [since_ms, *params],
        )

    def exercise_contents(self, note_ids: Sequence[int]) -> list[tuple[Any, ...]]:
        """(note id, content JSON) of these exercise notes."""
        return self._rows(
            "SELECT id, content FROM notes WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(note_ids))],
        )

    def memory_segments(self, since_ms: int) -> list[tuple[Any, ...]]:
        """(from ms, until ms or None, stability) of each stretch a card kept one memory
        state, for those that reach past ``since_ms``.

        A stretch either ended with an entry of the log since then (whose ``_before``
        columns are the state it ended) or still goes on (the card's state now).
        """
        review_where, review_params = self._scope.reviews()
        card_where, card_params = self._scope.cards()
        return self._rows(
            "SELECT r.last_review_before, r.reviewed_at, r.stability_before FROM reviews r "
            "WHERE r.reviewed_at >= ? AND r.stability_before > 0 "
            f"AND r.last_review_before IS NOT NULL AND {review_where} "
            "UNION ALL SELECT c.last_review, NULL, c.stability FROM cards c "
            "WHERE c.state != 0 AND c.stability > 0 AND c.last_review IS NOT NULL "
            f"AND {card_where}",
            [since_ms, *review_params, *card_params],
        )

    def first_answer(self) -> int | None:
        """When the first answer in scope was given (epoch ms), if any."""
        where, params = self._scope.reviews()
        rows = self._rows(
            f"SELECT min(r.reviewed_at) FROM reviews r WHERE r.kind != {MANUAL_KIND} AND {where}",
            params,
        )
        return None if rows[0][0] is None else int(rows[0][0])

    def desired_retention(self, deck_id: int | None) -> float:
        """The desired retention of ``deck_id``'s preset, or of the first preset."""
        if deck_id is None:
            rows = self._rows("SELECT desired_retention FROM presets ORDER BY id LIMIT 1", [])
        else:
            rows = self._rows(
                "SELECT p.desired_retention FROM decks d JOIN presets p ON p.id = d.preset_id "
                "WHERE d.id = ?",
                [deck_id],
            )
        return float(rows[0][0]) if rows else 0.9
