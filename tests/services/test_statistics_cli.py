"""``quizapp stats --json`` gives the statistics window's figures under named keys."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

import pytest

from quizapp.__main__ import main
from quizapp.bootstrap import open_app
from quizapp.cli.commands import run_stats
from quizapp.cli.parser import build_parser
from quizapp.domain import Rating
from quizapp.domain.answers import TypedResponse
from quizapp.services import ManualClock
from tests.conftest import SMALL_BANK

FIGURE_KEYS = {
    "today",
    "forecast",
    "calendar",
    "reviews_per_day",
    "card_counts",
    "intervals",
    "stability",
    "difficulty",
    "retrievability",
    "true_retention",
    "knowledge",
    "added",
    "hours",
    "buttons",
    "exercises",
    "mistakes",
    "kinds",
}


@pytest.fixture
def studied(db_path: Path) -> Path:
    """A collection of the small bank with three answers given in the last minute."""
    clock = ManualClock(datetime.now(UTC) - timedelta(minutes=1))
    app = open_app(db_path, clock=clock, rng=Random(5), seed_banks=[SMALL_BANK])
    session = app.study(None)
    for rating in (Rating.GOOD, Rating.AGAIN, Rating.GOOD):
        current = session.current
        assert current is not None
        if current.mode.value == "type":
            session.check(TypedResponse("55"))
        session.answer(rating, 3000)
        clock.advance(timedelta(seconds=20))
    app.close()
    return db_path


def _stats(capsys: pytest.CaptureFixture[str], *arguments: str) -> dict[str, object]:
    out = io.StringIO()
    assert run_stats(build_parser().parse_args(list(arguments)), out) == 0
    return dict(json.loads(out.getvalue()))


def test_stats_json_keeps_its_keys_and_adds_every_figure(
    studied: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stats = _stats(capsys, "--db", str(studied), "stats", "--json")

    assert {"database", "notes", "cards", "reviews", "decks"} <= set(stats)
    assert stats["reviews"] == 3
    assert set(stats) >= FIGURE_KEYS
    assert stats["period_days"] == 30
    today = stats["today"]
    assert isinstance(today, dict)
    # The failed card comes back in a minute, not within the three answers.
    assert (today["answers"], today["again"], today["studied"]) == (3, 1, 3)
    assert today["minutes"] == pytest.approx(0.15)
    assert sum(stats["calendar"].values()) == 3  # type: ignore[attr-defined]
    assert set(stats["true_retention"]) == {"young", "mature", "all"}  # type: ignore[arg-type]


def test_stats_json_of_a_deck_and_of_a_search_counts_their_cards_only(
    studied: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = _stats(capsys, "--db", str(studied), "stats", "--json", "--days", "0")
    deck = _stats(capsys, "--db", str(studied), "stats", "--json", "--deck", "Test::Concepts")
    search = _stats(capsys, "--db", str(studied), "stats", "--json", "--search", "kind:typed")

    def cards(stats: dict[str, object]) -> int:
        return sum(stats["card_counts"].values())  # type: ignore[attr-defined]

    assert whole["period_days"] is None
    assert deck["scope"] == "Deck Test::Concepts"
    assert cards(deck) == 4  # basic, reversed (two cards) and true/false
    assert cards(search) == 1
    assert cards(whole) == whole["cards"]


def test_stats_with_an_unknown_deck_says_which_decks_there_are(
    studied: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(studied), "stats", "--json", "--deck", "Nope"]) == 2
    assert "There is no deck called 'Nope'" in capsys.readouterr().err
