"""Short human labels for scheduling intervals, as on Anki's grade buttons."""

from __future__ import annotations

_MINUTE = 60.0
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR
_MONTH = 30 * _DAY
_YEAR = 365 * _DAY


def format_interval(seconds: float) -> str:
    """``<1m``, ``10m``, ``3h``, ``4d``, ``1.5mo``, ``2.1y``."""
    if seconds < _MINUTE:
        return "<1m"
    if seconds < _HOUR:
        return f"{round(seconds / _MINUTE)}m"
    if seconds < _DAY:
        return f"{round(seconds / _HOUR)}h"
    if seconds < _MONTH:
        return f"{round(seconds / _DAY)}d"
    if seconds < _YEAR:
        return _one_decimal(seconds / _MONTH) + "mo"
    return _one_decimal(seconds / _YEAR) + "y"


def _one_decimal(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
