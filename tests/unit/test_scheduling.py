"""The FSRS adapter agrees with the fsrs package; interval labels; the study day."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from random import Random
from zoneinfo import ZoneInfo

import fsrs
import pytest

from quizapp.domain import CardState, MemoryState, Rating, SchedulingPreset
from quizapp.scheduling import FsrsScheduler, format_interval
from quizapp.scheduling.days import study_day_start

T0 = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
NO_FUZZ = SchedulingPreset(fuzz=False)
FUZZ = SchedulingPreset(fuzz=True)
# One history per card state the learner can be in, as (rating, minutes after the last answer);
# None means "at the moment the card fell due".
HISTORIES: dict[str, list[tuple[Rating, float | None]]] = {
    "new": [],
    "learning": [(Rating.GOOD, 0)],
    "review": [(Rating.EASY, 0)],
    "relearning": [(Rating.EASY, 0), (Rating.AGAIN, None)],
    "long review": [(Rating.EASY, 0), (Rating.GOOD, None), (Rating.GOOD, None)],
}


def fsrs_scheduler(preset: SchedulingPreset, *, fuzz: bool) -> fsrs.Scheduler:
    """The fsrs package's own scheduler, configured as ``preset``."""
    return fsrs.Scheduler(
        desired_retention=preset.desired_retention,
        learning_steps=tuple(timedelta(seconds=s) for s in preset.learning_steps),
        relearning_steps=tuple(timedelta(seconds=s) for s in preset.relearning_steps),
        maximum_interval=preset.maximum_interval_days,
        enable_fuzzing=fuzz,
    )


def replay(name: str) -> tuple[MemoryState, fsrs.Card, datetime]:
    """A card after ``HISTORIES[name]`` in both schedulers, unfuzzed, and when it is next seen."""
    ours, theirs = FsrsScheduler(NO_FUZZ), fsrs_scheduler(NO_FUZZ, fuzz=False)
    memory, card, now = MemoryState.new(T0), fsrs.Card(card_id=1, due=T0), T0
    for rating, minutes in HISTORIES[name]:
        now = memory.due if minutes is None else now + timedelta(minutes=minutes)
        memory = ours.review(memory, rating, now, Random(0))
        card, _ = theirs.review_card(card, fsrs.Rating(int(rating)), now)
        assert_same_state(memory, card)
    next_seen = now + timedelta(minutes=10) if memory.state is not CardState.REVIEW else memory.due
    return memory, card, max(next_seen, T0)


def assert_same_state(memory: MemoryState, card: fsrs.Card) -> None:
    assert int(memory.state) == int(card.state)
    assert memory.step == card.step
    assert memory.stability == card.stability
    assert memory.difficulty == card.difficulty
    assert memory.due == card.due


@pytest.fixture
def global_random() -> Iterator[None]:
    """Leave the global ``random`` as it was: fsrs draws its fuzz from it."""
    state = random.getstate()
    yield
    random.setstate(state)


def test_histories_reach_the_card_states_they_are_named_after() -> None:
    states = {name: replay(name)[0].state for name in HISTORIES}
    assert states == {
        "new": CardState.NEW,
        "learning": CardState.LEARNING,
        "review": CardState.REVIEW,
        "relearning": CardState.RELEARNING,
        "long review": CardState.REVIEW,
    }


@pytest.mark.parametrize("rating", list(Rating))
@pytest.mark.parametrize("history", list(HISTORIES))
def test_review_without_fuzz_equals_fsrs(history: str, rating: Rating) -> None:
    memory, card, now = replay(history)
    ours = FsrsScheduler(NO_FUZZ).review(memory, rating, now, Random(1))
    theirs, _ = fsrs_scheduler(NO_FUZZ, fuzz=False).review_card(card, fsrs.Rating(int(rating)), now)
    assert_same_state(ours, theirs)
    assert ours.last_review == now


def test_new_card_answered_again_stays_in_learning_for_one_minute() -> None:
    memory = FsrsScheduler(NO_FUZZ).review(MemoryState.new(T0), Rating.AGAIN, T0, Random(0))
    assert memory.state is CardState.LEARNING
    assert memory.due - T0 == timedelta(minutes=1)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 7, 42, 1234, 99999])
@pytest.mark.parametrize("rating", [Rating.HARD, Rating.GOOD, Rating.EASY])
def test_review_with_fuzz_equals_fsrs_seeded_the_same_way(
    global_random: None, rating: Rating, seed: int
) -> None:
    memory, card, now = replay("long review")
    ours = FsrsScheduler(FUZZ).review(memory, rating, now, Random(seed))
    random.seed(seed)
    theirs, _ = fsrs_scheduler(FUZZ, fuzz=True).review_card(card, fsrs.Rating(int(rating)), now)
    assert ours.state is CardState.REVIEW
    assert ours.due == theirs.due


def test_fuzz_actually_spreads_long_intervals_over_several_days() -> None:
    memory, _, now = replay("long review")
    scheduler = FsrsScheduler(FUZZ)
    unfuzzed = FsrsScheduler(NO_FUZZ).review(memory, Rating.GOOD, now, Random(0)).due - now
    assert unfuzzed.days >= 20
    dues = {scheduler.review(memory, Rating.GOOD, now, Random(seed)).due for seed in range(40)}
    assert len(dues) >= 3
    assert all(abs((due - now) - unfuzzed) <= unfuzzed * 0.15 for due in dues)


def test_fuzz_never_touches_learning_steps() -> None:
    memory, _, now = replay("learning")
    dues = {
        FsrsScheduler(FUZZ).review(memory, Rating.AGAIN, now, Random(seed)).due
        for seed in range(10)
    }
    assert dues == {now + timedelta(minutes=1)}


@pytest.mark.parametrize("seed", [0, 5, 31337])
@pytest.mark.parametrize("history", list(HISTORIES))
def test_preview_shows_exactly_what_each_answer_schedules(history: str, seed: int) -> None:
    memory, _, now = replay(history)
    scheduler = FsrsScheduler(FUZZ)
    outcomes = scheduler.preview(memory, now, seed)
    assert list(outcomes) == list(Rating)
    for rating, outcome in outcomes.items():
        answered = scheduler.review(memory, rating, now, Random(seed))
        assert outcome.rating is rating
        assert outcome.memory == answered
        assert outcome.interval_from(now) == (answered.due - now).total_seconds()


def test_preview_intervals_grow_from_again_to_easy_on_a_review_card() -> None:
    memory, _, now = replay("long review")
    outcomes = FsrsScheduler(NO_FUZZ).preview(memory, now, 0)
    intervals = [outcomes[rating].interval_from(now) for rating in Rating]
    assert intervals == sorted(intervals)
    assert len(set(intervals)) == 4


def test_higher_desired_retention_gives_shorter_intervals() -> None:
    memory, _, now = replay("long review")
    lenient = FsrsScheduler(SchedulingPreset(desired_retention=0.80, fuzz=False))
    strict = FsrsScheduler(SchedulingPreset(desired_retention=0.95, fuzz=False))
    for rating in (Rating.HARD, Rating.GOOD, Rating.EASY):
        long_wait = lenient.review(memory, rating, now, Random(0)).due - now
        short_wait = strict.review(memory, rating, now, Random(0)).due - now
        assert short_wait < long_wait


@pytest.mark.parametrize("fuzz", [False, True])
def test_interval_never_exceeds_the_maximum_interval(fuzz: bool) -> None:
    scheduler = FsrsScheduler(SchedulingPreset(maximum_interval_days=30, fuzz=fuzz))
    rng = Random(3)
    memory = scheduler.review(MemoryState.new(T0), Rating.EASY, T0, rng)
    longest = timedelta(0)
    for _ in range(12):
        now = memory.due
        memory = scheduler.review(memory, Rating.EASY, now, rng)
        longest = max(longest, memory.due - now)
        assert memory.due - now <= timedelta(days=30)
    assert longest >= timedelta(days=25)


@pytest.mark.parametrize(
    ("seconds", "label"),
    [
        (0, "<1m"),
        (59, "<1m"),
        (60, "1m"),
        (600, "10m"),
        (3 * 3600, "3h"),
        (4 * 86400, "4d"),
        (45 * 86400, "1.5mo"),
        (30 * 86400, "1mo"),
        (2 * 365 * 86400, "2y"),
        (int(2.5 * 365 * 86400), "2.5y"),
    ],
)
def test_format_interval_labels_as_on_grade_buttons(seconds: float, label: str) -> None:
    assert format_interval(seconds) == label


BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK_WINTER = timezone(timedelta(hours=-5))


@pytest.mark.parametrize(
    ("now", "zone", "start"),
    [
        # 03:30 in Berlin (UTC+1): still yesterday's study day, which began at 04:00 then.
        (datetime(2026, 11, 25, 2, 30, tzinfo=UTC), BERLIN, datetime(2026, 11, 24, 3, tzinfo=UTC)),
        # 04:30 in Berlin: today's study day began at 04:00 local, 03:00 UTC.
        (datetime(2026, 11, 25, 3, 30, tzinfo=UTC), BERLIN, datetime(2026, 11, 25, 3, tzinfo=UTC)),
        # Summer time (UTC+2): 04:00 local is 02:00 UTC.
        (datetime(2026, 7, 1, 2, 0, tzinfo=UTC), BERLIN, datetime(2026, 7, 1, 2, tzinfo=UTC)),
        # The night clocks go forward: 03:30 CEST is before the rollover; yesterday was CET.
        (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), BERLIN, datetime(2026, 3, 28, 3, tzinfo=UTC)),
        # 03:00 at UTC-5 (08:00 UTC) is still the previous study day.
        (
            datetime(2026, 11, 25, 8, tzinfo=UTC),
            NEW_YORK_WINTER,
            datetime(2026, 11, 24, 9, tzinfo=UTC),
        ),
        # 23:00 at UTC-5 is 04:00 UTC the next calendar day in UTC, but the same local day.
        (
            datetime(2026, 11, 26, 4, tzinfo=UTC),
            NEW_YORK_WINTER,
            datetime(2026, 11, 25, 9, tzinfo=UTC),
        ),
    ],
)
def test_study_day_starts_at_four_in_the_morning_local_time(
    now: datetime, zone: ZoneInfo | timezone, start: datetime
) -> None:
    result = study_day_start(now, zone)
    assert result == start
    assert result.utcoffset() == timedelta(0)


def test_study_day_start_at_exactly_four_is_that_day() -> None:
    now = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 04:00:00 in Berlin
    assert study_day_start(now, BERLIN) == now


def test_study_day_rollover_hour_can_be_changed() -> None:
    now = datetime(2026, 11, 25, 5, 30, tzinfo=UTC)  # 06:30 in Berlin
    assert study_day_start(now, BERLIN, rollover_hour=7) == datetime(2026, 11, 24, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    ("seconds", "label"),
    [
        (3570, "1h"),  # 59.5 minutes does not read "60m"
        (86_000, "1d"),
        (29.8 * 86_400, "1mo"),
        (364 * 86_400, "1y"),
    ],
)
def test_interval_labels_never_show_a_full_next_unit(seconds: float, label: str) -> None:
    assert format_interval(seconds) == label
