"""The search index kept current as notes are written, its bulk build, a 0004 upgrade,
and searching on SQLite's driver alone."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from random import Random

import pytest

from quizapp.bootstrap import App, open_app
from quizapp.domain import BasicContent, BatchNote, ImportBatch, Note, NoteKind
from quizapp.services import ManualClock
from quizapp.services import search as search_service
from quizapp.services.importing import insert_batch
from quizapp.services.search import SearchService
from quizapp.storage import search_index
from quizapp.storage.migrate import SCHEMA_HEAD

REPO = Path(__file__).parents[2]


def bank(count: int, word: str = "gradient") -> ImportBatch:
    notes = tuple(
        BatchNote(
            Note(
                guid=f"n{index}",
                kind=NoteKind.BASIC,
                content=BasicContent(f"Q{index}: what is the {word}?", f"underdog {index}"),
                tags=("bulk",),
            ),
            "Bulk",
        )
        for index in range(count)
    )
    return ImportBatch("bulk.yaml", notes, global_guids=True)


def pending(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM search_pending").fetchone()[0])


@pytest.fixture
def app(db_path: Path, clock: ManualClock) -> Iterator[App]:
    opened = open_app(db_path, clock=clock, rng=Random(3), seed_banks=[])
    yield opened
    opened.close()


def test_an_import_indexes_its_notes_in_its_own_transaction(
    app: App, db_path: Path, clock: ManualClock
) -> None:
    with app.database.transaction() as store:
        insert_batch(store, bank(30), clock.now())
    assert pending(db_path) == 0  # nothing left for the first search to do
    search = SearchService(app.database, clock)
    assert search.count("gradient") == 30
    assert search.count("dog") == 30  # inside "underdog"
    assert search.count("q17") == 1


def test_a_large_import_is_left_to_the_catch_up_which_finds_every_note(
    app: App, db_path: Path, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_service.index_written, "__defaults__", (10,))
    monkeypatch.setattr(search_index, "BULK_WORDS", 5)  # the vocabulary taken in bulk
    with app.database.transaction() as store:
        insert_batch(store, bank(40, "momentum"), clock.now())
    assert pending(db_path) == 40
    search = SearchService(app.database, clock)
    assert search.refresh() == 40
    assert pending(db_path) == 0
    assert search.count("momentum") == 40
    assert search.count("mentu") == 40  # a word's inside, from the bulk vocabulary
    assert search.count("q39") == 1
    assert search.count("tag:bulk") == 40


def test_an_edited_note_is_found_by_its_new_text_only(
    app: App, db_path: Path, clock: ManualClock
) -> None:
    saved = app.note_editor.add_note(NoteKind.BASIC, BasicContent("Old wording", "x"), "Mine")
    assert pending(db_path) == 0
    search = SearchService(app.database, clock)
    assert search.count("wording") == 1
    app.note_editor.edit_note(saved.note_id, BasicContent("Fresh phrasing", "x"), ())
    assert pending(db_path) == 0
    assert search.count("wording") == 0
    assert search.count("phrasing") == 1
    assert search.count('"fresh phrasing"') == 1


def test_deleted_notes_leave_the_index(app: App, clock: ManualClock) -> None:
    with app.database.transaction() as store:
        insert_batch(store, bank(5), clock.now())
    search = SearchService(app.database, clock)
    (victim,) = search.rows("q3")
    app.cards.delete_notes([victim.note_id])
    assert search.count("gradient") == 4
    assert search.count("q3") == 0


def test_a_0004_collection_upgrades_with_every_note_searchable(
    db_path: Path, clock: ManualClock
) -> None:
    from alembic import command
    from alembic.config import Config

    opened = open_app(db_path, clock=clock, rng=Random(3), seed_banks=[])
    with opened.database.transaction() as store:
        insert_batch(store, bank(12), clock.now())
        config = Config()
        config.set_main_option("script_location", str(REPO / "quizapp" / "storage" / "migrations"))
        config.attributes["connection"] = store.connection
        command.downgrade(config, "0004")
    opened.close()
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0004",)
    upgraded = open_app(db_path, clock=clock, rng=Random(3), seed_banks=[])
    try:
        search = SearchService(upgraded.database, clock)
        assert search.count("gradient") == 12
        assert search.count("dog") == 12
        assert len(search.card_ids("deck:Bulk")) == 12
    finally:
        upgraded.close()
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            SCHEMA_HEAD,
        )


SEARCH = """
import sys
from pathlib import Path
from quizapp.bootstrap import open_app
from quizapp.services.search import SearchService
app = open_app(Path(sys.argv[1]), seed_banks=[Path(sys.argv[2])])
search = SearchService(app.database, app.clock)
page = search.page("is:new -tag:nothing")
assert page.total > 0 and page.rows, page
app.close()
print(sorted({name.split(".")[0] for name in sys.modules} & {"sqlalchemy", "alembic"}))
"""


def test_searching_an_up_to_date_collection_loads_no_sqlalchemy(tmp_path: Path) -> None:
    from tests.conftest import SMALL_BANK

    db = tmp_path / "c.db"

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", SEARCH, str(db), str(SMALL_BANK)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )

    first = run()  # creates and seeds: SQLAlchemy then
    assert first.returncode == 0, first.stderr
    again = run()
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "[]"


@pytest.mark.parametrize("probes", [1, 10_000])
@pytest.mark.parametrize(
    "query", ["gradient", "q1* gradient", "dog -tag:none", "(q1 or q2) is:new", "-q3*"]
)
def test_a_first_page_found_by_looking_notes_up_is_the_same_page(
    app: App, clock: ManualClock, monkeypatch: pytest.MonkeyPatch, probes: int, query: str
) -> None:
    with app.database.transaction() as store:
        insert_batch(store, bank(60), clock.now())
    search = SearchService(app.database, clock)
    expected = search.card_ids(query)
    monkeypatch.setattr(search_service, "FEW_CARDS", 0)  # never "few": look notes up
    monkeypatch.setattr(search_service, "PROBES", probes)  # 1: over budget, listed again
    page = search.page(query, limit=7)
    assert page.total == len(expected)
    assert [row.card_id for row in page.rows] == expected[:7]
    later = search.page(query, offset=7, limit=7)
    assert [row.card_id for row in later.rows] == expected[7:14]
