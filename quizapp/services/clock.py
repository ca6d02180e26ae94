"""The one place services read the time from, so tests and benchmarks can set it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    """Tells the current time (UTC-aware) and the learner's time zone."""

    def now(self) -> datetime:
        """The current time, UTC-aware."""
        ...

    def local_zone(self) -> tzinfo:
        """The zone in which the learner's day starts and ends."""
        ...


class SystemClock:
    """The computer's clock and time zone."""

    def now(self) -> datetime:
        """The current time, UTC-aware."""
        return datetime.now(UTC)

    def local_zone(self) -> tzinfo:
        """The computer's local time zone."""
        zone = datetime.now().astimezone().tzinfo
        return zone if zone is not None else UTC


class ManualClock:
    """A clock that moves only when told to: for tests, benchmarks and demos."""

    def __init__(self, start: datetime, zone: tzinfo = UTC) -> None:
        self._now = start
        self._zone = zone

    def now(self) -> datetime:
        """The time this clock was set to."""
        return self._now

    def local_zone(self) -> tzinfo:
        """The zone given at construction."""
        return self._zone

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self._now += delta
