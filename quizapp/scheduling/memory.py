"""FSRS-6's forgetting curve, pure: how likely a card is recalled after some days.

The curve is ``R(t, S) = (1 + F·t/S) ** -w20`` with ``F = 0.9 ** (-1/w20) - 1``, so
that a card is recalled with probability 0.9 when ``t`` equals its stability ``S``
(``w20`` is FSRS-6's decay parameter).  ``fsrs`` computes the same, on whole days.
"""

from __future__ import annotations

from datetime import datetime

from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.domain import MemoryState

# FSRS-6's default decay (``w20``), the one the scheduler uses without trained parameters.
DEFAULT_DECAY = float(DEFAULT_PARAMETERS[20])
SECONDS_PER_DAY = 86_400


def _factor(decay: float) -> float:
    return float(0.9 ** (-1 / decay) - 1)


def retrievability(stability: float, elapsed_days: float, decay: float = DEFAULT_DECAY) -> float:
    """The probability of recalling a card of ``stability`` days, ``elapsed_days`` after
    its last review."""
    if stability <= 0:
        raise ValueError(f"stability must be positive, not {stability}")
    elapsed = max(0.0, elapsed_days)
    return float((1 + _factor(decay) * elapsed / stability) ** -decay)


def stability_for_interval(
    interval_days: float, desired_retention: float, decay: float = DEFAULT_DECAY
) -> float:
    """The stability at which FSRS schedules ``interval_days`` for ``desired_retention``.

    The inverse of FSRS's next interval, ``S / F · (r ** (-1/w20) - 1)``: at a desired
    retention of 0.9 it is the interval itself.
    """
    return float(interval_days * _factor(decay) / (desired_retention ** (-1 / decay) - 1))


def elapsed_days(since: datetime, until: datetime) -> int:
    """Whole days from ``since`` to ``until``, as FSRS counts them (never negative)."""
    return max(0, (until - since).days)


def memory_retrievability(
    memory: MemoryState, when: datetime, decay: float = DEFAULT_DECAY
) -> float | None:
    """A card's retrievability at ``when``, or None before it has a stability."""
    if memory.stability is None or memory.last_review is None or memory.stability <= 0:
        return None
    return retrievability(memory.stability, elapsed_days(memory.last_review, when), decay)
