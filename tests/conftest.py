"""Shared fixtures.  Qt runs offscreen, so the suite needs no screen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from random import Random

import pytest

from quizapp.bootstrap import App, open_app
from quizapp.services import ManualClock

DATA = Path(__file__).parent / "data"
SMALL_BANK = DATA / "small-bank.yaml"
START = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    """A clock at a fixed morning, in UTC."""
    return ManualClock(START)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's collection lives."""
    return tmp_path / "collection.db"


@pytest.fixture
def small_app(db_path: Path, clock: ManualClock) -> Iterator[App]:
    """A collection seeded from the small test bank (one note of each kind)."""
    app = open_app(db_path, clock=clock, rng=Random(7), seed_banks=[SMALL_BANK])
    yield app
    app.close()
