"""Pure scheduling: our Scheduler protocol and the FSRS adapter.  Takes ``now`` and ``rng``."""

from quizapp.scheduling.fsrs_scheduler import FsrsScheduler
from quizapp.scheduling.intervals import format_interval
from quizapp.scheduling.memory import retrievability, stability_for_interval
from quizapp.scheduling.protocol import Scheduler, SchedulingOutcome

__all__ = [
    "FsrsScheduler",
    "Scheduler",
    "SchedulingOutcome",
    "format_interval",
    "retrievability",
    "stability_for_interval",
]
