"""Decks are listed level by level, ignoring case, in the window and on the command line."""

from __future__ import annotations

from pathlib import Path
from random import Random

from quizapp.bootstrap import open_app
from quizapp.services import ManualClock
from quizapp.services.stats import collection_stats
from tests.e2e.test_cli import run_quizapp

NAMES = ["Math::Zeta", "math-extra", "Math", "anki-headers", "Math::algebra", "Zoo", "B::b"]
# "anki-headers" before "Math"; a deck's subdecks right after it, in the same order;
# "Math" and its subdecks before "math-extra", whatever the bytes of '-' and ':' say.
LISTED = ["anki-headers", "B", "B::b", "Math", "Math::algebra", "Math::Zeta", "math-extra", "Zoo"]


def _bank(tmp_path: Path) -> Path:
    decks = "".join(
        f'  - name: "{name}"\n    notes: [{{id: n{number}, front: Q{number}?, back: A}}]\n'
        for number, name in enumerate(NAMES)
    )
    bank = tmp_path / "decks.yaml"
    bank.write_text(f"quizapp_bank: 1\nid: order\ntitle: Order\ndecks:\n{decks}", "utf-8")
    return bank


def test_the_deck_overview_ignores_case_and_keeps_children_under_parents(
    tmp_path: Path, clock: ManualClock
) -> None:
    app = open_app(tmp_path / "c.db", clock=clock, rng=Random(1), seed_banks=[_bank(tmp_path)])
    try:
        assert [counts.deck.name for counts in app.decks.overview()] == LISTED
        stats = collection_stats(app.database, app.decks)
        assert [deck["name"] for deck in stats["decks"]] == LISTED
    finally:
        app.close()


def test_quizapp_stats_lists_decks_in_the_same_order(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    imported = run_quizapp("--db", db, "import", str(_bank(tmp_path)))
    assert imported.returncode == 0, imported.stderr
    result = run_quizapp("--db", db, "stats")
    assert result.returncode == 0, result.stderr
    listed = [line.split()[0] for line in result.stdout.splitlines()[4:]]
    ours = [name for name in listed if name in LISTED]
    assert ours == LISTED
