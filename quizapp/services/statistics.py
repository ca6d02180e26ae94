"""Statistics a learner reads as charts: for a scope (a deck, the collection, a search)
and a period (a month, three months, a year, all), every figure of the statistics
window and of ``quizapp stats --json``.

Each figure is one GROUP BY in SQLite (:mod:`quizapp.storage.stats_sql`), run on the
driver in one read transaction, so the figures agree with each other.  Days are
study days: they start at the rollover hour (4 a.m. local time, as in Anki), day 0
is today.  Young and mature: an interval under 21 days, or 21 and more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from quizapp.domain import Deck
from quizapp.scheduling.days import study_day_start
from quizapp.scheduling.memory import DEFAULT_DECAY
from quizapp.services.clock import Clock
from quizapp.services.statistics_exercises import families, named_mistakes
from quizapp.services.statistics_figures import (
    DAY_EDGES,
    Accuracy,
    Bin,
    ForecastDay,
    HourRate,
    Mistake,
    Retention,
    ReviewDay,
    Today,
    bins_by_edges,
    buttons,
    calendar,
    hours,
    jsonable,
    knowledge,
    memory_bins,
    review_days,
    today_figures,
    true_retention,
)
from quizapp.storage import Database
from quizapp.storage.stats_sql import DAY_MS, ScopeFilter, StatsQueries
from quizapp.storage.times import to_millis

CALENDAR_DAYS = 365
FORECAST_LIMIT_DAYS = 365
KNOWLEDGE_POINTS = 60


class Period(Enum):
    """How far back the charts look."""

    MONTH = 30
    THREE_MONTHS = 90
    YEAR = 365
    ALL = 0

    @property
    def days(self) -> int | None:
        """The period's length in days, None for all of the history."""
        return self.value or None

    @property
    def label(self) -> str:
        """As the chooser shows it."""
        return {30: "1 month", 90: "3 months", 365: "1 year", 0: "All"}[self.value]

    @classmethod
    def of_days(cls, days: int | None) -> Period:
        """The period of ``days`` (``--days``): the shortest that covers them."""
        if days is None or days <= 0:
            return cls.ALL
        for period in (cls.MONTH, cls.THREE_MONTHS, cls.YEAR):
            if days <= period.value:
                return period
        return cls.ALL


@dataclass(frozen=True, slots=True)
class Scope:
    """Which cards the statistics count: a deck and its subdecks, a search, or all."""

    deck: Deck | None = None
    search: str = ""

    @property
    def label(self) -> str:
        """ "Deck Physics", "Search deck:x is:due", "Whole collection"."""
        if self.deck is not None:
            return f"Deck {self.deck.name}"
        if self.search:
            return f"Search {self.search}"
        return "Whole collection"


@dataclass(frozen=True, slots=True)
class Statistics:
    """Every figure for one scope and period (see the module's docstring)."""

    scope: str
    period_days: int | None
    # The first day the period's charts show (negative: days before today).
    first_day: int
    today_start: datetime
    desired_retention: float
    today: Today
    forecast: list[ForecastDay]
    calendar: dict[int, int]
    reviews_per_day: list[ReviewDay]
    card_counts: dict[str, int]
    intervals: list[Bin]
    stability: list[Bin]
    difficulty: list[Bin]
    retrievability: list[Bin]
    true_retention: dict[str, dict[str, Retention]]
    knowledge: list[tuple[int, float]]
    added: list[tuple[int, int]]
    hours: list[HourRate]
    buttons: dict[str, list[int]]
    exercises: list[Accuracy]
    mistakes: list[Mistake]
    kinds: list[Accuracy]
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Every figure as JSON-ready values under its name."""
        data = jsonable(self)
        data["today_start"] = self.today_start.isoformat()
        data.pop("extra")
        return dict(data)


class StatisticsService:
    """Computes :class:`Statistics`; safe to call from a background thread."""

    def __init__(self, database: Database, clock: Clock, decay: float = DEFAULT_DECAY) -> None:
        self._database = database
        self._clock = clock
        self._decay = decay

    def decks(self) -> list[Deck]:
        """The decks a scope can be, listed as the deck list lists them."""
        from quizapp.services.decks import deck_order

        with self._database.quick() as store:
            return sorted(store.decks.all(), key=deck_order)

    def compute(self, scope: Scope, period: Period | int) -> Statistics:
        """Every figure of ``scope`` over ``period`` (or that many days; 0: all)."""
        now = self._clock.now()
        zone = self._clock.local_zone()
        day_start = study_day_start(now, zone)
        offset = zone.utcoffset(now) or timedelta(0)
        card_ids = self._search_ids(scope.search) if scope.deck is None and scope.search else None
        with self._database.quick() as store:
            deck_ids = None
            if scope.deck is not None:
                from quizapp.services.decks import subtree_ids

                deck_ids = subtree_ids(scope.deck, store.decks.all())
            queries = StatsQueries(store.connection, ScopeFilter(deck_ids, card_ids))
            figures = _Figures(queries, to_millis(now), to_millis(day_start), self._decay)
            return figures.compute(scope, period, day_start, int(offset.total_seconds() * 1000))

    def _search_ids(self, query: str) -> tuple[int, ...]:
        from quizapp.services.search import SearchService

        return tuple(SearchService(self._database, self._clock).card_ids(query))


class _Figures:
    """The queries of one :meth:`StatisticsService.compute`, in its transaction."""

    def __init__(self, queries: StatsQueries, now_ms: int, today_ms: int, decay: float) -> None:
        self.queries = queries
        self.now_ms = now_ms
        self.today_ms = today_ms
        self.decay = decay
        # FSRS-6's curve: R = (1 + factor·t/S) ** -decay, 0.9 when t equals S.
        self.factor = 0.9 ** (-1 / decay) - 1

    def compute(
        self, scope: Scope, period: Period | int, day_start: datetime, offset_ms: int
    ) -> Statistics:
        q = self.queries
        days = period.days if isinstance(period, Period) else (period if period > 0 else None)
        first_day = self._first_day(days)
        since_ms = self.today_ms + first_day * DAY_MS
        year_day = min(first_day, -(CALENDAR_DAYS - 1))
        by_day = q.reviews_by_day(self.today_ms, self.today_ms + year_day * DAY_MS)
        stability, difficulty, retrievability = memory_bins(
            q.memory(self.now_ms, self.factor, self.decay)
        )
        exercise_rows = q.exercise_answers(since_ms)
        contents = dict(q.exercise_contents(sorted({row[0] for row in exercise_rows})))
        return Statistics(
            scope=scope.label,
            period_days=days,
            first_day=first_day,
            today_start=day_start,
            desired_retention=q.desired_retention(None if scope.deck is None else scope.deck.id),
            today=today_figures(by_day, q.cards_studied(self.today_ms)),
            forecast=self._forecast(days),
            calendar=calendar(by_day, -(CALENDAR_DAYS - 1)),
            reviews_per_day=review_days(by_day, first_day),
            card_counts=self._card_counts(),
            intervals=bins_by_edges(q.intervals(), DAY_EDGES, "d"),
            stability=stability,
            difficulty=difficulty,
            retrievability=retrievability,
            true_retention=true_retention(by_day),
            knowledge=self._knowledge(first_day, since_ms),
            added=[(int(d), int(n)) for d, n in q.added_by_day(self.today_ms, since_ms)],
            hours=hours(q.by_hour(offset_ms, since_ms)),
            buttons=buttons(by_day, first_day),
            exercises=families(q.exercise_days(self.today_ms, since_ms), first_day),
            mistakes=named_mistakes(exercise_rows, contents),
            kinds=[
                Accuracy(str(kind), int(n), int(ok) / int(n))
                for kind, n, ok in sorted(q.accuracy_by_kind(since_ms))
                if n
            ],
        )

    def _first_day(self, days: int | None) -> int:
        if days is not None:
            return -(days - 1)
        first = self.queries.first_answer()
        if first is None:
            return 0
        return min(0, (first - self.today_ms) // DAY_MS)

    def _forecast(self, days: int | None) -> list[ForecastDay]:
        horizon = min(days or FORECAST_LIMIT_DAYS, FORECAST_LIMIT_DAYS)
        rows = self.queries.forecast(self.today_ms, self.today_ms + horizon * DAY_MS)
        by_day: dict[int, list[int]] = {}
        for day, category, count in rows:
            by_day.setdefault(int(day), [0, 0, 0])[category] += int(count)
        return [ForecastDay(day, *counts) for day, counts in sorted(by_day.items())]

    def _card_counts(self) -> dict[str, int]:
        from quizapp.services.statistics_figures import CARD_CATEGORIES

        found = dict(self.queries.card_counts())
        return {name: int(found.get(name, 0)) for name in CARD_CATEGORIES}

    def _knowledge(self, first_day: int, since_ms: int) -> list[tuple[int, float]]:
        """The sum of retrievability at the end of days from ``first_day`` to now."""
        span = 1 - first_day
        step = max(1, -(-span // KNOWLEDGE_POINTS))
        days = list(range(0, first_day - 1, -step))[::-1]
        # The end of each day (its next day's start), and now for today.
        times = [min(self.now_ms, self.today_ms + (day + 1) * DAY_MS) for day in days]
        values = knowledge(
            self.queries.memory_segments(since_ms - DAY_MS), times, self.factor, self.decay
        )
        return list(zip(days, values, strict=True))
