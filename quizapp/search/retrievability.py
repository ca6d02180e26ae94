"""FSRS-6's forgetting curve: retrievability from the time since the last answer.

R(t) = (1 + F·t/S)^-decay with F = 0.9^(-1/decay) - 1, so that R(S) = 0.9: ``S`` is the
stability in days, ``t`` the days since the last answer.  R falls as t/S grows, so a
search compares t/S with :func:`elapsed_ratio` instead of computing powers in SQL.
"""

from __future__ import annotations

import math


def curve_factor(decay: float) -> float:
    """F of the curve: the factor that makes R equal 0.9 after S days."""
    return float(0.9 ** (-1 / decay) - 1)


def retrievability(stability: float | None, elapsed_days: float, decay: float) -> float | None:
    """R after ``elapsed_days`` for ``stability``; None for a card without a memory state."""
    if stability is None or stability <= 0:
        return None
    return float(math.pow(1 + curve_factor(decay) * max(0.0, elapsed_days) / stability, -decay))


def elapsed_ratio(target: float, decay: float) -> float:
    """The t/S at which R equals ``target`` (0 < target < 1)."""
    return float((target ** (-1 / decay) - 1) / curve_factor(decay))
