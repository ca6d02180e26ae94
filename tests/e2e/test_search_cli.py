"""``quizapp search`` as a user runs it: a separate process on a real collection."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import SMALL_BANK
from tests.e2e.test_cli import run_quizapp

CARD_KEYS = {"card_id", "note_id", "note_guid", "deck", "kind", "face", "due", "question"}


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A collection with the bundled banks and the small test bank."""
    db_path = tmp_path_factory.mktemp("search") / "collection.db"
    imported = run_quizapp("--db", str(db_path), "import", str(SMALL_BANK))
    assert imported.returncode == 0, imported.stderr
    return db_path


def search_json(db_path: Path, *arguments: str) -> list[dict[str, object]]:
    result = run_quizapp("--db", str(db_path), "search", *arguments, "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


def test_json_lists_each_card_found_with_its_note_deck_and_question(collection: Path) -> None:
    every = search_json(collection, "", "--limit", "0")
    assert len(every) > 60  # the bundled banks and the small one
    for row in every:
        assert set(row) >= CARD_KEYS
    first = every[0]
    word = max(re.findall(r"[^\W\d_]{4,}", str(first["question"])), key=len)
    found = search_json(collection, word, "--limit", "0")
    assert first["card_id"] in {row["card_id"] for row in found}
    assert len(found) < len(every)


def test_a_deck_search_finds_only_that_decks_cards(collection: Path) -> None:
    every = search_json(collection, "", "--limit", "0")
    deck = str(every[-1]["deck"])
    found = search_json(collection, f'deck:"{deck}"', "--limit", "0")
    assert found
    assert {row["deck"] for row in found} <= {
        name for name in {str(row["deck"]) for row in every} if name.startswith(deck)
    }
    assert {row["card_id"] for row in found} == {
        row["card_id"] for row in every if str(row["deck"]).startswith(deck)
    }


def test_the_notes_mode_gives_one_row_per_note(collection: Path) -> None:
    notes = search_json(collection, "is:new", "--notes", "--limit", "0")
    assert notes
    assert len({row["note_id"] for row in notes}) == len(notes)
    cards = search_json(collection, "is:new", "--limit", "0")
    assert {row["note_id"] for row in cards} == {row["note_id"] for row in notes}


def test_the_table_shows_the_cards_and_how_many(collection: Path) -> None:
    result = run_quizapp("--db", str(collection), "search", "card:1", "--limit", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Card", "Deck", "Face", "Due", "Question"]
    assert len(lines) == 4
    assert "3 of " in result.stderr
    assert "--limit 0 shows all" in result.stderr


def test_a_malformed_search_exits_2_with_its_sentence(collection: Path) -> None:
    result = run_quizapp("--db", str(collection), "search", "is:foo")
    assert result.returncode == 2
    assert result.stdout == ""
    assert (
        "Unknown search term 'is:foo': is: takes new, learn, review, due, suspended, "
        "buried or flagged." in result.stderr
    )
    assert "Traceback" not in result.stderr
    unclosed = run_quizapp("--db", str(collection), "search", 'front:"dog')
    assert unclosed.returncode == 2
    assert "A quote opened at character 7 is never closed." in unclosed.stderr


def test_an_unknown_sort_column_is_named(collection: Path) -> None:
    result = run_quizapp("--db", str(collection), "search", "", "--order", "colour")
    assert result.returncode == 2
    assert "--order takes one of card_id" in result.stderr
