"""Hybrid logical clock stamps: when and in what order a row last changed, across machines.

A stamp is one integer, milliseconds since the epoch shifted left by 16 bits plus
a counter: it sorts by time, never goes backwards on one device (even when the
wall clock does), and after :meth:`HybridClock.observe` of another device's stamp
it sorts after that one too.  Rows that change carry a stamp and the device that
made it, so that merging two devices' edits is "the higher stamp wins".
"""

from __future__ import annotations

from datetime import datetime

COUNTER_BITS = 16
_COUNTER_MASK = (1 << COUNTER_BITS) - 1


def stamp_of(physical_ms: int, counter: int = 0) -> int:
    """The stamp of a physical time in milliseconds and a counter."""
    return (physical_ms << COUNTER_BITS) | (counter & _COUNTER_MASK)


def physical_ms(stamp: int) -> int:
    """The physical part of a stamp, in milliseconds since the epoch."""
    return stamp >> COUNTER_BITS


class HybridClock:
    """Issues stamps for one device; ``last`` is the newest stamp it issued or observed."""

    def __init__(self, last: int = 0) -> None:
        self.last = last

    def tick(self, now: datetime) -> int:
        """A new stamp, later than every stamp issued or observed so far."""
        wall = stamp_of(round(now.timestamp() * 1000))
        self.last = wall if wall > self.last else self.last + 1
        return self.last

    def observe(self, stamp: int) -> None:
        """Take note of another device's stamp, so that the next tick sorts after it."""
        if stamp > self.last:
            self.last = stamp
