"""Where the learner's study day starts: daily limits count from there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

# As in Anki: the next day starts at 4 a.m. local time, so a late session counts
# towards the evening it began in.
ROLLOVER_HOUR = 4


def study_day_start(now: datetime, zone: tzinfo, rollover_hour: int = ROLLOVER_HOUR) -> datetime:
    """The UTC instant at which the study day containing ``now`` began."""
    local = now.astimezone(zone)
    start = local.replace(hour=rollover_hour, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(UTC)
