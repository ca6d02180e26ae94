"""Times as the database stores them: integer milliseconds since the epoch, UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def to_millis(value: datetime) -> int:
    """Milliseconds since the epoch of a UTC-aware datetime."""
    return round(value.timestamp() * 1000)


def from_millis(value: int) -> datetime:
    """The UTC-aware datetime of ``value`` milliseconds since the epoch."""
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def maybe_from_millis(value: int | None) -> datetime | None:
    """:func:`from_millis`, or None for NULL."""
    return None if value is None else from_millis(value)
