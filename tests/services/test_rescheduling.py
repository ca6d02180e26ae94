"""Forgetting, repositioning new cards and setting due dates, as Anki's browser does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.bootstrap import App, open_app
from quizapp.domain import CardState, Rating
from quizapp.domain.manual import ManualAction
from quizapp.errors import UserError
from quizapp.scheduling.days import study_day_start
from quizapp.services import ManualClock
from quizapp.services.due_dates import DueDateSpec, parse_due_date
from quizapp.services.rescheduling import new_queue_dues

NOTES = 8
BANK = "quizapp_bank: 1\nid: order\ndecks:\n  - name: Order\n    notes:\n" + "".join(
    f"      - id: n{number}\n        front: Question {number}\n        back: Answer {number}\n"
    for number in range(1, NOTES + 1)
)


@pytest.fixture
def order_app(tmp_path: Path, clock: ManualClock) -> Iterator[App]:
    bank = tmp_path / "order.yaml"
    bank.write_text(BANK, encoding="utf-8")
    app = open_app(tmp_path / "order.db", clock=clock, rng=Random(9), seed_banks=[bank])
    yield app
    app.close()


def _queue(app: App) -> list[int]:
    with app.database.transaction() as store:
        return [card_id for card_id, _ in store.cards.new_queue()]


def _shown_order(app: App) -> list[int]:
    """The order a study session introduces the new cards in."""
    session = app.study(None)
    shown = []
    while session.current is not None and session.current.card.memory.state is CardState.NEW:
        shown.append(session.current.card.id)
        session.answer(Rating.EASY, 1000)
    return shown


def test_repositioned_cards_are_introduced_where_they_were_put(order_app: App) -> None:
    first, *middle, last = _queue(order_app)
    assert order_app.cards.reposition([last], 0) == 1
    assert _queue(order_app) == [last, first, *middle]
    order_app.cards.reposition([first], 3)
    queued = _queue(order_app)
    assert queued == [last, *middle[:2], first, *middle[2:]]
    assert _shown_order(order_app) == queued


def test_repositioning_spaces_cards_by_the_step_and_leaves_the_others_in_order(
    order_app: App,
) -> None:
    queue = _queue(order_app)
    chosen = [queue[6], queue[7]]
    order_app.cards.reposition(chosen, 1, step=3)
    after = _queue(order_app)
    assert after.index(chosen[0]) == 1
    assert after.index(chosen[1]) == 4
    assert [card for card in after if card not in chosen] == queue[:6]


def test_repositioning_in_a_random_order_keeps_the_others_as_they_were(order_app: App) -> None:
    queue = _queue(order_app)
    order_app.cards.reposition(queue[:4], 4, randomize=True)
    after = _queue(order_app)
    assert after[:4] == queue[4:]
    assert sorted(after[4:]) == sorted(queue[:4])


def test_only_new_cards_are_repositioned(order_app: App) -> None:
    studied = _shown_order(order_app)[0]
    with pytest.raises(UserError, match="Only new cards"):
        order_app.cards.reposition([studied], 0)


def test_forgetting_keeps_the_history_and_puts_the_card_back_where_it_was(
    order_app: App,
) -> None:
    with order_app.database.transaction() as store:
        dues = dict(store.cards.new_queue())
    shown = _shown_order(order_app)
    forgotten = shown[2]
    assert order_app.cards.forget([forgotten]) == 1
    with order_app.database.transaction() as store:
        card = store.cards.get(forgotten)
        assert card.memory.state is CardState.NEW
        assert card.memory.stability is None
        assert len(store.reviews.history(forgotten)) == 1
        (entry,) = store.reviews.manual_entries(forgotten)
        assert entry.action is ManualAction.FORGET
        assert entry.before.state is CardState.REVIEW
        assert card.memory.due == dues[forgotten]  # the place it had when it was new
    assert _queue(order_app) == [forgotten]


def test_forgetting_to_the_end_of_the_new_queue(order_app: App, clock: ManualClock) -> None:
    studied = _shown_order(order_app)[:2]
    order_app.cards.forget(studied[:1])
    clock.advance(timedelta(minutes=5))
    order_app.cards.forget(studied[1:], restore_position=False)
    order_app.cards.forget(studied[:1], restore_position=False)  # already new: nothing
    assert _queue(order_app) == studied
    assert order_app.cards.forget(studied, reset_counts=True) == 2  # resets even new cards


def test_a_due_date_of_today_makes_a_new_card_a_review_due_now(
    order_app: App, clock: ManualClock
) -> None:
    card_id = _queue(order_app)[5]
    assert order_app.cards.set_due_date([card_id], "0") == 1
    session = order_app.study(None)
    assert session.current is not None
    assert session.current.card.id == card_id  # a review due today comes before new cards
    memory = session.current.card.memory
    assert memory.state is CardState.REVIEW
    assert memory.stability == pytest.approx(1.0)  # the interval of one day at 90 %
    assert memory.last_review == clock.now()


def test_a_range_draws_a_day_for_each_card_within_it(order_app: App, clock: ManualClock) -> None:
    cards = _queue(order_app)
    order_app.cards.set_due_date(cards, "3-7")
    today = study_day_start(clock.now(), clock.local_zone())
    with order_app.database.transaction() as store:
        days = {(card.memory.due - today).days for card in store.cards.many(cards)}
        assert all(
            card.memory.due == today + timedelta(days=(card.memory.due - today).days)
            for card in store.cards.many(cards)
        )
    assert days <= set(range(3, 8))
    assert len(days) > 1


def test_a_bang_sets_the_interval_too(order_app: App, clock: ManualClock) -> None:
    card_id = _shown_order(order_app)[0]
    clock.advance(timedelta(days=1))
    with order_app.database.transaction() as store:
        before = store.cards.get(card_id).memory
    order_app.cards.set_due_date([card_id], "10")
    with order_app.database.transaction() as store:
        kept = store.cards.get(card_id).memory
    assert (kept.stability, kept.last_review) == (before.stability, before.last_review)
    order_app.cards.set_due_date([card_id], "10!")
    with order_app.database.transaction() as store:
        reset = store.cards.get(card_id).memory
    assert reset.stability == pytest.approx(10.0)  # FSRS gives 10 days at 90 % retention
    assert reset.last_review == clock.now()
    assert reset.due == kept.due


@pytest.mark.parametrize(
    ("typed", "spec"),
    [("0", DueDateSpec(0, 0)), (" 3 - 7 ", DueDateSpec(3, 7)), ("5!", DueDateSpec(5, 5, True))],
)
def test_due_dates_are_read_as_anki_reads_them(typed: str, spec: DueDateSpec) -> None:
    assert parse_due_date(typed) == spec


@pytest.mark.parametrize(
    ("typed", "says"),
    [("tomorrow", "days from today"), ("7-3", "runs backwards"), ("99999", "at most")],
)
def test_a_due_date_that_cannot_be_read_says_how_to_write_one(typed: str, says: str) -> None:
    with pytest.raises(UserError, match=says):
        parse_due_date(typed)


def _intended(queue: list[int], chosen: list[int], start: int, step: int) -> list[int]:
    """The order asked for, built another way: the others, with each chosen card put in."""
    order = [card_id for card_id in queue if card_id not in chosen]
    for index, card_id in enumerate(chosen):
        order.insert(min(start + index * step, len(order)), card_id)
    return order


@given(
    dues=st.lists(st.integers(0, 6), min_size=1, max_size=30),
    picks=st.lists(st.integers(0, 29), max_size=8, unique=True),
    start=st.integers(0, 35),
    step=st.integers(1, 4),
)
def test_repositioning_gives_the_order_asked_for_whatever_dues_tie(
    dues: list[int], picks: list[int], start: int, step: int
) -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    queue = sorted(
        ((card_id, base + timedelta(milliseconds=due)) for card_id, due in enumerate(dues, 1)),
        key=lambda item: (item[1], item[0]),
    )
    ids = [card_id for card_id, _ in queue]
    chosen = [ids[pick] for pick in picks if pick < len(ids)]
    changed = new_queue_dues(queue, chosen, start, step)
    after = {**dict(queue), **changed}
    assert sorted(after, key=lambda card_id: (after[card_id], card_id)) == _intended(
        ids, chosen, start, step
    )
    assert len(changed) <= len(queue)
