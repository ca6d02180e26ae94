"""The large collection the benchmarks measure: generated notes and a simulated history.

``build_collection(path, cards)`` makes, at ``path``, a collection with the bundled banks
and ``cards`` generated BASIC notes spread over 20 subdecks, the first 30 % of them with
120 days of answers (scheduled by FSRS, as the learner would have given them), a few
left in (re)learning, so that new, learning and review cards are all due today.
Used by ``study_bench.py`` and ``cli_bench.py``; deterministic for a given day.
``build_collection(path, cards, reviews=N)`` instead studies every card over a year
until about ``N`` answers are logged (``stats_bench.py``: 1,000,000 answers).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy import text  # noqa: E402

from quizapp.bootstrap import open_app  # noqa: E402
from quizapp.domain import (  # noqa: E402
    BasicContent,
    BatchNote,
    CardState,
    ImportBatch,
    MemoryState,
    Note,
    NoteKind,
    Rating,
    ReviewKind,
    ReviewLog,
)
from quizapp.scheduling import FsrsScheduler  # noqa: E402
from quizapp.scheduling.days import study_day_start  # noqa: E402
from quizapp.services import ManualClock, SystemClock  # noqa: E402
from quizapp.services.importing import insert_batch  # noqa: E402
from quizapp.storage import Store  # noqa: E402

SEED = 20240611
GENERATED_GUID_PREFIX = "bench-"
GENERATED_DECKS = 20
HISTORY_DAYS = 120
# The first cards of the import (in import order, as a learner meets them) have a history.
STUDIED_SHARE = 0.30
# Of those, the share the learner failed in their last session and left in (re)learning.
LAPSED_SHARE = 0.01
MAX_REVIEWS_PER_CARD = 30
RATING_WEIGHTS = {Rating.AGAIN: 10, Rating.HARD: 12, Rating.GOOD: 70, Rating.EASY: 8}

_WORDS = (
    "learning",
    "rate",
    "weight",
    "decay",
    "dropout",
    "batch",
    "size",
    "momentum",
    "embedding",
    "attention",
    "head",
    "layer",
    "norm",
    "residual",
    "gradient",
    "optimizer",
    "warmup",
    "schedule",
    "token",
    "vocabulary",
    "parameter",
    "bias",
    "kernel",
    "stride",
    "padding",
    "channel",
    "activation",
    "softmax",
    "logit",
    "loss",
    "regularization",
    "epoch",
    "checkpoint",
    "tensor",
    "matrix",
    "rank",
    "adapter",
    "quantization",
    "precision",
    "inference",
    "latency",
    "throughput",
)


def _quiet(message: str) -> None:
    """Progress nobody asked for."""


def phrase(rng: Random, words: int) -> str:
    """Some words of the benchmark's vocabulary."""
    return " ".join(rng.choice(_WORDS) for _ in range(words))


def generated_batch(cards: int, rng: Random) -> ImportBatch:
    """``cards`` BASIC notes with unique guids, spread over subdecks of ``Generated``."""
    notes = []
    for index in range(cards):
        note = Note(
            guid=f"{GENERATED_GUID_PREFIX}{index:07d}",
            kind=NoteKind.BASIC,
            content=BasicContent(
                front=f"Q{index}: what does the {phrase(rng, 3)} control in a {phrase(rng, 2)}?",
                back=f"It sets the {phrase(rng, rng.randint(10, 25))}.",
            ),
            explanation=phrase(rng, rng.randint(15, 40)).capitalize() + ".",
            tags=("generated", rng.choice(_WORDS)),
            source="study_bench",
        )
        deck = f"Generated::Subject {index % GENERATED_DECKS:02d}"
        notes.append(BatchNote(note=note, deck=deck, line=index + 1))
    return ImportBatch(source="study_bench", notes=tuple(notes))


def draw_rating(rng: Random) -> Rating:
    """A grade: mostly Good, some Again, Hard and Easy."""
    return rng.choices(list(RATING_WEIGHTS), weights=list(RATING_WEIGHTS.values()))[0]


def generated_card_ids(store: Store) -> list[int]:
    """The ids of the generated cards, in import order."""
    rows = store.connection.execute(
        text(
            "SELECT cards.id FROM cards JOIN notes ON notes.id = cards.note_id "
            "WHERE notes.guid LIKE :prefix ORDER BY cards.id"
        ),
        {"prefix": f"{GENERATED_GUID_PREFIX}%"},
    )
    return [row[0] for row in rows]


@dataclass
class History:
    """Past answers, scheduled one by one and written in bulk at the end."""

    scheduler: FsrsScheduler
    rng: Random
    logs: list[ReviewLog] = field(default_factory=list)

    def answer(
        self, card_id: int, memory: MemoryState, when: datetime, rating: Rating | None = None
    ) -> MemoryState:
        """Schedule one answer given at ``when`` and log it; the card's new state."""
        rating = rating or draw_rating(self.rng)
        after = self.scheduler.review(memory, rating, when, self.rng)
        log_entry = ReviewLog(
            card_id=card_id,
            reviewed_at=when,
            rating=rating,
            duration_ms=self.rng.randint(2_000, 15_000),
            kind=ReviewKind.of(memory.state),
            before=memory,
            after=after,
        )
        self.logs.append(log_entry)
        return after

    def write(self, store: Store) -> None:
        """Insert the logged answers in bulk (``append`` builds a new INSERT per answer)."""
        for start in range(0, len(self.logs), 10_000):
            store.reviews.insert_many(self.logs[start : start + 10_000])


def review_until(
    history: History,
    memory: MemoryState,
    card_id: int,
    first: datetime,
    cutoff: datetime,
    most: int = MAX_REVIEWS_PER_CARD,
) -> tuple[MemoryState, datetime]:
    """Answer a card whenever it comes due, from ``first`` until ``cutoff`` (``most`` times).

    Returns its final state and the time of its last answer.
    """
    when, last, answers = first, first, 0
    while when < cutoff and answers < most:
        memory = history.answer(card_id, memory, when)
        last, answers = when, answers + 1
        # Learning steps are answered within the session; reviews some hours after due.
        if memory.state is CardState.REVIEW:
            lag = timedelta(hours=history.rng.uniform(0, 12))
        else:
            lag = timedelta(seconds=history.rng.uniform(5, 90))
        when = max(memory.due, when + timedelta(seconds=30)) + lag
    return memory, last


def simulate_history(store: Store, now: datetime, rng: Random, reviews: int | None = None) -> int:
    """Give the first cards of the import a review history ending before today.

    The learner met them in order over :data:`HISTORY_DAYS` days and answered each one
    whenever it came due, until an hour before today's study day began; a few were failed
    in that last session and left in (re)learning.  Returns the number of answers made.
    With ``reviews``, every card is met in the first half of a year, and the learner
    stops meeting new ones once about that many answers are logged.
    """
    history = History(FsrsScheduler(store.decks.preset(store.decks.default_preset_id())), rng)
    cutoff = study_day_start(now, SystemClock().local_zone()) - timedelta(hours=1)
    start = now - timedelta(days=HISTORY_DAYS if reviews is None else 365)
    card_ids = generated_card_ids(store)
    studied = card_ids[: int(len(card_ids) * (STUDIED_SHARE if reviews is None else 1.0))]
    most = MAX_REVIEWS_PER_CARD if reviews is None else 2 * -(-reviews // len(studied))
    for position, card_id in enumerate(studied):
        if reviews is not None and len(history.logs) >= reviews:
            break
        card = store.cards.get(card_id)
        # With a number of answers to reach, every card is met in the first half year.
        share = position / len(studied) * (1.0 if reviews is None else 0.5)
        first = start + (cutoff - start) * share
        memory, last = review_until(history, card.memory, card_id, first, cutoff, most)
        if rng.random() < LAPSED_SHARE:
            when = max(last + timedelta(minutes=1), cutoff - timedelta(minutes=30))
            memory = history.answer(card_id, memory, when, Rating.AGAIN)
        store.cards.set_memory(card, memory)
    history.write(store)
    return len(history.logs)


def build_collection(
    path: Path, cards: int, log: Callable[[str], None] = _quiet, *, reviews: int | None = None
) -> None:
    """Create the collection at ``path``: the bundled bank, ``cards`` generated cards, history.

    ``log`` is told how long the import and the history took; ``reviews`` asks for a
    history of about that many answers (see :func:`simulate_history`).
    """
    now = datetime.now(UTC)
    rng = Random(SEED)
    history_start = now - timedelta(days=HISTORY_DAYS if reviews is None else 365)
    app = open_app(path, clock=ManualClock(history_start), rng=Random(SEED))
    try:
        batch = generated_batch(cards, rng)
        started = time.perf_counter()
        with app.database.transaction() as store:
            insert_batch(store, batch, history_start)
        log(f"imported {len(batch.notes)} notes in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        with app.database.transaction() as store:
            answers = simulate_history(store, now, rng, reviews)
        log(f"simulated {answers} past answers in {time.perf_counter() - started:.1f} s")
    finally:
        app.close()


def describe_collection(path: Path, log: Callable[[str], None]) -> None:
    """Log how many cards are in each state, and what a session started now would show."""
    app = open_app(path)
    try:
        with app.database.transaction() as store:
            rows = store.connection.execute(
                text("SELECT state, COUNT(*) FROM cards GROUP BY state ORDER BY state")
            )
            states = {CardState(state).name.lower(): count for state, count in rows}
            reviews = store.reviews.count()
        current = app.study(None).current
        counts = "nothing due" if current is None else str(current.counts)
    finally:
        app.close()
    log(f"collection: {states}, {reviews} reviews; a session now shows {counts}")
