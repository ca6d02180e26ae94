"""The statistics' figures equal hand counts on a small collection with a chosen history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from random import Random

import pytest

from quizapp.bootstrap import App, open_app
from quizapp.domain import CardState, MemoryState, Rating, ReviewKind, ReviewLog
from quizapp.domain.answers import TypedResponse
from quizapp.scheduling.memory import retrievability
from quizapp.services import ManualClock
from quizapp.services.statistics import Period, Scope, StatisticsService
from tests.conftest import DATA, SMALL_BANK, START

DAY = timedelta(days=1)
# START is 9:30 UTC (the zone is UTC): today's study day began at 4:00.
TODAY = START.replace(hour=4, minute=0)
DENSE = {
    "in_features": 10,
    "out_features": 4,
    "bias": True,
    "dtype": "float32",
    "sizes": [2, 3, 4],
    "rate": 0.5,
}


@pytest.fixture
def app(db_path: Path, clock: ManualClock) -> Iterator[App]:
    application = open_app(db_path, clock=clock, rng=Random(3), seed_banks=[SMALL_BANK])
    yield application
    application.close()


def _card_ids(app: App) -> dict[str, int]:
    """Card id of each note's first card, by guid."""
    with app.database.quick() as store:
        rows = store.connection.exec_driver_sql(
            "SELECT n.guid, min(c.id) FROM notes n JOIN cards c ON c.note_id = n.id GROUP BY n.guid"
        ).all()
    return {guid.split("/")[-1]: card_id for guid, card_id in rows}


def _review(
    card_id: int,
    when: datetime,
    rating: Rating,
    interval_days: float | None,
    *,
    duration_ms: int = 6000,
    stability: float = 5.0,
    shown: dict[str, object] | None = None,
    answer: str | None = None,
) -> ReviewLog:
    """An answer at ``when``: a learning answer without ``interval_days``, else a review
    of a card last seen that many days before."""
    if interval_days is None:
        before = MemoryState(CardState.LEARNING, when, 0)
        kind = ReviewKind.LEARNING
    else:
        last = when - timedelta(days=interval_days)
        before = MemoryState(CardState.REVIEW, when, None, stability, 5.0, last)
        kind = ReviewKind.REVIEW
    after = MemoryState(CardState.REVIEW, when + 3 * DAY, None, stability + 1, 5.0, when)
    return ReviewLog(
        card_id, when, rating, duration_ms, kind, before, after, answer=answer, shown=shown
    )


def _insert(app: App, logs: list[ReviewLog]) -> None:
    with app.database.transaction() as store:
        store.reviews.insert_many(logs)


def _set_cards(app: App, memories: dict[int, MemoryState]) -> None:
    with app.database.transaction() as store:
        store.cards.set_memories(list(memories.items()), (0, ""))


def _stats(app: App, clock: ManualClock, scope: Scope | None = None, period: Period = Period.MONTH):  # type: ignore[no-untyped-def]
    return StatisticsService(app.database, clock).compute(scope or Scope(), period)


def test_reviews_per_day_today_and_buttons_are_the_answers_given(
    app: App, clock: ManualClock
) -> None:
    ids = _card_ids(app)
    basic, typed, tf = ids["basic-param"], ids["typed-lr"], ids["tf-activation"]
    _insert(
        app,
        [
            _review(basic, TODAY + timedelta(hours=1), Rating.AGAIN, None, duration_ms=30_000),
            _review(basic, TODAY + timedelta(hours=2), Rating.GOOD, None, duration_ms=30_000),
            _review(typed, TODAY + timedelta(hours=3), Rating.GOOD, 30),  # mature, passed
            _review(tf, TODAY + timedelta(hours=3), Rating.AGAIN, 4),  # young, failed
            _review(tf, TODAY - DAY + timedelta(hours=5), Rating.HARD, 3),  # yesterday, young
            # 3:00 today is before the 4 a.m. rollover: it counts for yesterday.
            _review(typed, TODAY - timedelta(hours=1), Rating.EASY, 25),
            _review(typed, TODAY - 40 * DAY, Rating.GOOD, 25),  # outside a month
        ],
    )
    stats = _stats(app, clock)

    assert stats.today.answers == 4
    assert stats.today.studied == 3
    assert stats.today.again == 2
    assert stats.today.minutes == pytest.approx((30 + 30 + 6 + 6) / 60, abs=0.01)
    assert stats.today.true_retention == pytest.approx(0.5)
    by_day = {day.day: day for day in stats.reviews_per_day}
    assert set(by_day) == {0, -1}
    assert (by_day[0].learning, by_day[0].young, by_day[0].mature) == (2, 1, 1)
    assert (by_day[-1].young, by_day[-1].mature, by_day[-1].total) == (1, 1, 2)
    assert stats.buttons == {
        "learning": [1, 0, 1, 0],
        "young": [1, 1, 0, 0],
        "mature": [0, 0, 1, 1],
    }
    assert stats.calendar == {-40: 1, -1: 2, 0: 4}
    hours = {rate.hour: (rate.answers, rate.success) for rate in stats.hours if rate.answers}
    assert hours == {5: (1, 0.0), 6: (1, 1.0), 7: (2, 0.5), 9: (1, 1.0), 3: (1, 1.0)}


def test_true_retention_table_counts_review_answers_in_each_window(
    app: App, clock: ManualClock
) -> None:
    card = _card_ids(app)["basic-param"]
    _insert(
        app,
        [
            _review(card, TODAY + timedelta(hours=1), Rating.GOOD, 2),  # today, young
            _review(card, TODAY - 3 * DAY, Rating.AGAIN, 2),  # week, young
            _review(card, TODAY - 10 * DAY, Rating.GOOD, 40),  # month, mature
            _review(card, TODAY - 100 * DAY, Rating.AGAIN, 40),  # year, mature
            _review(card, TODAY - 400 * DAY, Rating.GOOD, 40),  # older than a year
            _review(card, TODAY - 2 * DAY, Rating.AGAIN, None),  # learning: not counted
        ],
    )
    table = _stats(app, clock).true_retention

    assert (table["young"]["today"].passed, table["young"]["today"].failed) == (1, 0)
    assert (table["young"]["week"].passed, table["young"]["week"].failed) == (1, 1)
    assert (table["mature"]["week"].passed, table["mature"]["week"].failed) == (0, 0)
    assert (table["mature"]["month"].passed, table["mature"]["month"].failed) == (1, 0)
    assert (table["mature"]["year"].passed, table["mature"]["year"].failed) == (1, 1)
    assert table["all"]["year"].retention == pytest.approx(2 / 4)


def test_card_counts_intervals_forecast_and_memory_follow_the_cards(
    app: App, clock: ManualClock
) -> None:
    ids = sorted(_card_ids(app).values())
    now = clock.now()
    young = MemoryState(CardState.REVIEW, TODAY + 2 * DAY, None, 4.0, 3.0, now - 3 * DAY)
    mature = MemoryState(CardState.REVIEW, TODAY + 5 * DAY, None, 60.0, 7.5, now - 25 * DAY)
    overdue = MemoryState(CardState.REVIEW, TODAY - 4 * DAY, None, 2.0, 9.2, now - 10 * DAY)
    learning = MemoryState(CardState.LEARNING, now + timedelta(minutes=10), 1, 1.0, 5.0, now)
    _set_cards(app, {ids[0]: young, ids[1]: mature, ids[2]: overdue, ids[3]: learning})
    app.cards.suspend([ids[4]])
    stats = _stats(app, clock)

    total = sum(stats.card_counts.values())
    assert stats.card_counts["young"] == 2  # 4 and 5 days
    assert stats.card_counts["mature"] == 1
    assert stats.card_counts["learning"] == 1
    assert stats.card_counts["suspended"] == 1
    assert stats.card_counts["new"] == total - 5
    intervals = {b.label: b.count for b in stats.intervals if b.count}
    # Whole days from the last answer (9:30) to the due time (4:00): 4, 29 and 5.
    assert intervals == {"3–5 d": 1, "5–7 d": 1, "21–30 d": 1}
    forecast = {day.day: (day.learning, day.young, day.mature) for day in stats.forecast}
    assert forecast == {0: (1, 1, 0), 2: (0, 1, 0), 5: (0, 0, 1)}
    assert {b.label: b.count for b in stats.stability if b.count} == {
        "1 d": 1,
        "2 d": 1,
        "3–5 d": 1,
        "60–90 d": 1,
    }
    assert {b.label: b.count for b in stats.difficulty if b.count} == {
        "3–4": 1,
        "5–6": 1,
        "7–8": 1,
        "9–10": 1,
    }
    # 5 % bins, the last one 95-100 %.
    expected = sorted(
        min(95, int(retrievability(s, d) * 100) // 5 * 5)
        for s, d in ((4, 3), (60, 25), (2, 10), (1, 0))
    )
    shown = sorted(b.low for b in stats.retrievability for _ in range(b.count))
    assert shown == expected


def test_knowledge_is_the_sum_of_retrievability_on_each_day(app: App, clock: ManualClock) -> None:
    ids = sorted(_card_ids(app).values())
    now = clock.now()
    # One card answered five days ago (stability 3, then 10) and still in that state.
    answered = now - 5 * DAY
    _insert(app, [_review(ids[0], answered, Rating.GOOD, 4, stability=3.0)])
    _set_cards(
        app,
        {ids[0]: MemoryState(CardState.REVIEW, now + 5 * DAY, None, 10.0, 5.0, answered)},
    )
    knowledge = dict(_stats(app, clock).knowledge)

    before = answered - 4 * DAY  # its previous answer: stability 3 until five days ago
    for day in (-7, -6, -5, -4, 0):
        moment = min(now, TODAY + (day + 1) * DAY)
        if moment >= answered:
            value = retrievability(10.0, (moment - answered).days)
        elif moment >= before:
            value = retrievability(3.0, (moment - before).days)
        else:
            value = 0.0
        assert knowledge[day] == pytest.approx(value, abs=0.01), day


def test_added_per_day_and_accuracy_per_kind(app: App, clock: ManualClock) -> None:
    ids = _card_ids(app)
    _insert(
        app,
        [
            _review(ids["basic-param"], TODAY + timedelta(hours=1), Rating.GOOD, 3),
            _review(ids["basic-param"], TODAY - 2 * DAY, Rating.AGAIN, 3),
            _review(ids["typed-lr"], TODAY - 2 * DAY, Rating.HARD, 3),
        ],
    )
    stats = _stats(app, clock)

    with app.database.quick() as store:
        cards = store.cards.count()
    assert stats.added == [(0, cards)]  # the bank was imported this morning
    kinds = {kind.name: (kind.answers, kind.accuracy) for kind in stats.kinds}
    assert kinds == {"basic": (2, 0.5), "typed": (1, 1.0)}


def test_named_mistakes_and_family_accuracy_of_exercises(db_path: Path, clock: ManualClock) -> None:
    app = open_app(db_path, clock=clock, rng=Random(3), seed_banks=[DATA / "every-kind.yaml"])
    request_close = app.close
    card = _card_ids(app)["dense"]
    logs = [
        # 10·4 weights and 4 biases: 40 is "forgot the biases", 99 no named mistake.
        _review(card, TODAY - d * DAY, Rating.AGAIN, 3, shown=DENSE, answer="40")
        for d in (1, 2, 9)
    ]
    logs.append(_review(card, TODAY - 3 * DAY, Rating.AGAIN, 3, shown=DENSE, answer="99"))
    logs.append(_review(card, TODAY - 8 * DAY, Rating.GOOD, 3, shown=DENSE, answer="44"))
    logs.append(_review(card, TODAY - 60 * DAY, Rating.AGAIN, 3, shown=DENSE, answer="40"))
    _insert(app, logs)
    stats = _stats(app, clock)

    assert [(m.template_id, m.mistake, m.count) for m in stats.mistakes] == [
        ("dense", "forgot the biases", 3)
    ]
    assert stats.mistakes[0].sentence == "forgot the biases — 3 times"
    (family,) = stats.exercises
    assert (family.name, family.answers, family.accuracy) == ("dense", 5, pytest.approx(0.2))
    # Weeks end today: days -6..0 hold 3 wrong answers, -13..-7 one right and one wrong.
    assert family.trend == ((-13, 2, 0.5), (-6, 3, 0.0))
    all_time = _stats(app, clock, period=Period.ALL)
    request_close()
    assert all_time.mistakes[0].count == 4


def test_a_deck_scope_and_a_search_scope_count_only_their_cards(
    app: App, clock: ManualClock
) -> None:
    ids = _card_ids(app)
    _insert(
        app,
        [
            _review(ids["basic-param"], TODAY + timedelta(hours=1), Rating.GOOD, 3),
            _review(ids["typed-lr"], TODAY + timedelta(hours=1), Rating.AGAIN, 3),
            _review(ids["typed-lr"], TODAY + timedelta(hours=2), Rating.GOOD, 3),
        ],
    )
    service = StatisticsService(app.database, clock)
    concepts = next(deck for deck in service.decks() if deck.name == "Test::Concepts")
    parent = next(deck for deck in service.decks() if deck.name == "Test")

    assert service.compute(Scope(deck=concepts), Period.MONTH).today.answers == 1
    assert service.compute(Scope(deck=parent), Period.MONTH).today.answers == 3
    searched = service.compute(Scope(search="deck:Test::Counting"), Period.MONTH)
    assert searched.today.answers == 2
    assert searched.today.again == 1
    assert sum(searched.card_counts.values()) < sum(
        service.compute(Scope(), Period.MONTH).card_counts.values()
    )


def test_answers_through_the_study_service_are_counted_today(app: App, clock: ManualClock) -> None:
    session = app.study(None)
    given = []
    for _ in range(4):
        current = session.current
        assert current is not None
        if current.mode.value == "type":
            session.check(TypedResponse("55"))
        rating = Rating.AGAIN if len(given) % 2 else Rating.GOOD
        session.answer(rating, 2000)
        given.append(rating)
        clock.advance(timedelta(minutes=1))
    stats = _stats(app, clock)

    assert stats.today.answers == 4
    assert stats.today.again == given.count(Rating.AGAIN)
    assert stats.today.minutes == pytest.approx(8 / 60, abs=0.01)
    assert sum(day.learning for day in stats.reviews_per_day) == 4


def test_period_of_days_picks_the_shortest_period_that_covers_them() -> None:
    assert Period.of_days(7) is Period.MONTH
    assert Period.of_days(31) is Period.THREE_MONTHS
    assert Period.of_days(200) is Period.YEAR
    assert Period.of_days(None) is Period.ALL
