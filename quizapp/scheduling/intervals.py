"""Short human labels for scheduling intervals, as on Anki's grade buttons."""

from __future__ import annotations

_MINUTE = 60.0
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR
_MONTH = 30 * _DAY
_YEAR = 365 * _DAY


def format_interval(seconds: float) -> str:
    """``<1m``, ``10m``, ``3h``, ``4d``, ``1.5mo``, ``2.1y``.

    Each unit is used only while its rounded count stays below the next unit,
    so 59.6 minutes reads ``1h``, not ``60m``.
    """
    if seconds < _MINUTE:
        return "<1m"
    for unit, size, next_size in (("m", _MINUTE, _HOUR), ("h", _HOUR, _DAY), ("d", _DAY, _MONTH)):
        count = round(seconds / size)
        if count * size < next_size:
            return f"{count}{unit}"
    if round(seconds / _MONTH, 1) < 12:
        return _one_decimal(seconds / _MONTH) + "mo"
    return _one_decimal(seconds / _YEAR) + "y"


def _one_decimal(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
