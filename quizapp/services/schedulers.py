"""The one place schedulers are built: one per preset, shared by every service."""

from __future__ import annotations

from functools import lru_cache

from quizapp.domain import SchedulingPreset
from quizapp.scheduling import FsrsScheduler, Scheduler


@lru_cache(maxsize=64)
def scheduler_for(preset: SchedulingPreset) -> Scheduler:
    """The scheduler of ``preset`` (built once per distinct set of settings)."""
    return FsrsScheduler(preset)
