"""The statistics' figures as values: what each chart shows, ready for JSON.

Built from the grouped rows of :mod:`quizapp.storage.stats_sql` (a few thousand
at most, whatever the collection's size); only the estimate of knowledge reads
one row per memory stretch, and sums them with numpy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

REVIEW_CATEGORIES = ("learning", "young", "mature", "relearning")
CARD_CATEGORIES = ("new", "learning", "relearning", "young", "mature", "suspended", "buried")
BUTTON_GROUPS = ("learning", "young", "mature")
# Bin edges in days for intervals and stability: fine where most cards are, wide after.
DAY_EDGES = (0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90, 120, 180, 270, 365, 540, 730)
# True retention's windows: today, and the last 7, 30 and 365 study days.
RETENTION_WINDOWS = (("today", 1), ("week", 7), ("month", 30), ("year", 365))


@dataclass(frozen=True, slots=True)
class Bin:
    """One bar of a distribution: ``low <= value < high`` (``high`` None: and above)."""

    label: str
    low: float
    high: float | None
    count: int


@dataclass(frozen=True, slots=True)
class Today:
    """What the learner did today."""

    studied: int
    answers: int
    minutes: float
    again: int
    true_retention: float | None


@dataclass(frozen=True, slots=True)
class ReviewDay:
    """One study day's answers by category (learning, young, mature, relearning)."""

    day: int
    learning: int
    young: int
    mature: int
    relearning: int
    minutes: float

    @property
    def total(self) -> int:
        """Every answer of the day."""
        return self.learning + self.young + self.mature + self.relearning


@dataclass(frozen=True, slots=True)
class ForecastDay:
    """Cards coming due on a day (0 today, overdue ones included)."""

    day: int
    learning: int
    young: int
    mature: int


@dataclass(frozen=True, slots=True)
class Retention:
    """Review answers passed (not Again) and failed, and their ratio."""

    passed: int
    failed: int

    @property
    def retention(self) -> float | None:
        """passed / all, or None without answers."""
        total = self.passed + self.failed
        return self.passed / total if total else None


@dataclass(frozen=True, slots=True)
class HourRate:
    """Answers given at one local hour, and the share not Again."""

    hour: int
    answers: int
    success: float | None


@dataclass(frozen=True, slots=True)
class Accuracy:
    """Answers and their share not Again, for a card kind or a template family."""

    name: str
    answers: int
    accuracy: float
    # The family's accuracy week by week, oldest first: (first day of the week, answers, accuracy).
    trend: tuple[tuple[int, int, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Mistake:
    """A named mistake and how often the learner made it in the period."""

    template_id: str
    mistake: str
    count: int

    @property
    def sentence(self) -> str:
        """ "forgot the biases — 12 times"."""
        return f"{self.mistake} — {self.count} time{'s' if self.count != 1 else ''}"


def _ratio(passed: int, total: int) -> float | None:
    return passed / total if total else None


def bins_by_edges(
    values: Iterable[tuple[float, int]], edges: Sequence[float], unit: str
) -> list[Bin]:
    """(value, count) pairs counted into ``edges`` bins, the last one open-ended."""
    bounds: list[float | None] = [*edges, None]
    counts = [0] * len(edges)
    for value, count in values:
        index = max(0, int(np.searchsorted(edges, value, side="right")) - 1)
        counts[index] += int(count)
    return [
        Bin(_bin_label(low, high, unit), low, high, counts[index])
        for index, (low, high) in enumerate(zip(edges, bounds[1:], strict=True))
    ]


def _bin_label(low: float, high: float | None, unit: str) -> str:
    if high is None:
        return f"{low:g}+ {unit}".strip()
    if high - low == 1 and unit == "d":
        return f"{low:g} {unit}"
    return f"{low:g}–{high:g} {unit}".strip()


def review_days(rows: Sequence[tuple[Any, ...]], since_day: int) -> list[ReviewDay]:
    """Answers per day from ``since_day`` to today (days without answers left out)."""
    days: dict[int, list[float]] = {}
    for day, category, _rating, answers, millis in rows:
        if day < since_day:
            continue
        totals = days.setdefault(day, [0, 0, 0, 0, 0.0])
        totals[category] += answers
        totals[4] += (millis or 0) / 60_000
    return [
        ReviewDay(day, int(t[0]), int(t[1]), int(t[2]), int(t[3]), round(t[4], 2))
        for day, t in sorted(days.items())
    ]


def today_figures(rows: Sequence[tuple[Any, ...]], studied: int) -> Today:
    """Today's figures from the per-day rows."""
    answers = again = passed = reviewed = 0
    millis = 0
    for day, category, rating, count, duration in rows:
        if day != 0:
            continue
        answers += count
        millis += duration or 0
        again += count if rating == 1 else 0
        if category in (1, 2):
            reviewed += count
            passed += count if rating > 1 else 0
    return Today(studied, answers, round(millis / 60_000, 2), again, _ratio(passed, reviewed))


def true_retention(rows: Sequence[tuple[Any, ...]]) -> dict[str, dict[str, Retention]]:
    """Review answers passed and failed, young / mature / all × today, week, month, year."""
    table: dict[str, dict[str, list[int]]] = {
        group: {window: [0, 0] for window, _ in RETENTION_WINDOWS}
        for group in ("young", "mature", "all")
    }
    for day, category, rating, count, _millis in rows:
        if category not in (1, 2):
            continue
        group = "young" if category == 1 else "mature"
        for window, length in RETENTION_WINDOWS:
            if -length < day <= 0:
                for name in (group, "all"):
                    table[name][window][0 if rating > 1 else 1] += count
    return {
        group: {window: Retention(*counts) for window, counts in windows.items()}
        for group, windows in table.items()
    }


def buttons(rows: Sequence[tuple[Any, ...]], since_day: int) -> dict[str, list[int]]:
    """Again, Hard, Good, Easy counts for learning (and relearning), young and mature cards."""
    result = {group: [0, 0, 0, 0] for group in BUTTON_GROUPS}
    for day, category, rating, count, _millis in rows:
        if day < since_day or not 1 <= rating <= 4:
            continue
        group = BUTTON_GROUPS[0] if category in (0, 3) else BUTTON_GROUPS[category]
        result[group][rating - 1] += count
    return result


def calendar(rows: Sequence[tuple[Any, ...]], since_day: int) -> dict[int, int]:
    """Answers per day from ``since_day`` on, for the heatmap."""
    days: dict[int, int] = {}
    for day, _category, _rating, count, _millis in rows:
        if day >= since_day:
            days[day] = days.get(day, 0) + int(count)
    return dict(sorted(days.items()))


def hours(rows: Sequence[tuple[Any, ...]]) -> list[HourRate]:
    """Answers and success rate for each of the 24 local hours."""
    found = {int(hour): (int(count), int(passed)) for hour, count, passed in rows}
    return [
        HourRate(
            hour,
            found.get(hour, (0, 0))[0],
            _ratio(found.get(hour, (0, 0))[1], found.get(hour, (0, 0))[0]),
        )
        for hour in range(24)
    ]


def memory_bins(rows: Sequence[tuple[Any, ...]]) -> tuple[list[Bin], list[Bin], list[Bin]]:
    """Stability (days), difficulty (1–10) and retrievability (%) distributions."""
    stability = bins_by_edges(((s, n) for s, _d, _p, n in rows), DAY_EDGES, "d")
    difficulty = bins_by_edges(((d / 10, n) for _s, d, _p, n in rows), range(1, 11), "")
    difficulty[-2:] = [Bin("9–10", 9, 10, difficulty[-2].count + difficulty[-1].count)]
    retrievability = bins_by_edges(((p, n) for _s, _d, p, n in rows), range(0, 101, 5), "%")
    retrievability[-2:] = [
        Bin("95–100 %", 95, 100, retrievability[-2].count + retrievability[-1].count)
    ]
    return stability, difficulty, retrievability


def knowledge(
    segments: Sequence[tuple[Any, ...]], times_ms: Sequence[int], factor: float, decay: float
) -> list[float]:
    """The sum of every card's retrievability at each of ``times_ms``.

    A segment (from, until or None, stability) is a stretch in which a card kept one
    memory state; at time ``t`` within it the card is recalled with FSRS-6's
    probability after the whole days elapsed since ``from``.
    """
    if not segments:
        return [0.0] * len(times_ms)
    data = np.array(
        [
            (start, -1 if until is None else until, stability)
            for start, until, stability in segments
        ],
        dtype=np.float64,
    )
    start, until, stability = data[:, 0], data[:, 1], data[:, 2]
    until[until < 0] = np.inf
    result = []
    for moment in times_ms:
        inside = (start <= moment) & (moment < until)
        elapsed = np.floor((moment - start[inside]) / 86_400_000)
        recall = (1 + factor * elapsed / stability[inside]) ** -decay
        result.append(round(float(recall.sum()), 2))
    return result


def jsonable(value: Any) -> Any:
    """Dataclasses, tuples and dicts as JSON-ready values (with derived ratios)."""
    if isinstance(value, Retention):
        return {"passed": value.passed, "failed": value.failed, "retention": value.retention}
    if isinstance(value, ReviewDay):
        return {**asdict(value), "total": value.total}
    if isinstance(value, Mistake):
        return {**asdict(value), "sentence": value.sentence}
    if hasattr(value, "__dataclass_fields__"):
        return {name: jsonable(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value
