"""The real command line, run as a user runs it: a separate process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.banks import load_native_bank
from quizapp.bootstrap import bundled_banks


def run_quizapp(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m quizapp ARGS`` with a clean environment (offscreen Qt, no QUIZAPP_DB)."""
    environment = {k: v for k, v in os.environ.items() if k != "QUIZAPP_DB"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "quizapp", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        check=False,
    )


def test_help_lists_the_commands() -> None:
    result = run_quizapp("--help")
    assert result.returncode == 0
    for word in ("study", "stats", "--db", "QUIZAPP_DB"):
        assert word in result.stdout
    study_help = run_quizapp("study", "--help")
    assert study_help.returncode == 0
    assert "--deck" in study_help.stdout


def test_stats_json_on_a_new_database_shows_the_seeded_deck(tmp_path: Path) -> None:
    db_path = tmp_path / "new.db"
    result = run_quizapp("--db", str(db_path), "stats", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    batches = [load_native_bank(path) for path in bundled_banks()]
    assert stats["notes"] == sum(len(batch.notes) for batch in batches)
    assert stats["cards"] >= 60
    assert stats["reviews"] == 0
    by_name = {deck["name"]: deck for deck in stats["decks"]}
    deck_names = [name for batch in batches for name in batch.deck_names]
    for name in deck_names:
        assert set(by_name[name]) >= {"name", "cards", "new", "learning", "due"}
    assert sum(by_name[name]["cards"] for name in deck_names) == stats["cards"]


def test_environment_variable_chooses_the_database(tmp_path: Path) -> None:
    db_path = tmp_path / "from-env.db"
    result = run_quizapp("stats", "--json", env={"QUIZAPP_DB": str(db_path)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["database"] == str(db_path)
    assert db_path.exists()


def test_plain_stats_prints_a_table(tmp_path: Path) -> None:
    result = run_quizapp("--db", str(tmp_path / "t.db"), "stats")
    assert result.returncode == 0
    assert "Deck" in result.stdout
    assert "ML Parameters::Counting" in result.stdout


def _assert_one_sentence(result: subprocess.CompletedProcess[str], phrase: str) -> None:
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert phrase in lines[0]


def test_a_file_that_is_not_a_database_gives_one_sentence(tmp_path: Path) -> None:
    db_path = tmp_path / "notes.txt"
    db_path.write_text("shopping list\n" * 200)
    _assert_one_sentence(run_quizapp("--db", str(db_path), "stats"), "not a QuizApp database")


def test_a_newer_schema_gives_one_sentence(tmp_path: Path) -> None:
    db_path = tmp_path / "future.db"
    assert run_quizapp("--db", str(db_path), "stats").returncode == 0
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00d_future'")
    _assert_one_sentence(run_quizapp("--db", str(db_path), "stats"), "newer version of QuizApp")


def test_a_locked_database_gives_one_sentence(tmp_path: Path) -> None:
    db_path = tmp_path / "locked.db"
    assert run_quizapp("--db", str(db_path), "stats").returncode == 0
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("INSERT INTO meta (key, value) VALUES ('held', 'yes')")
        _assert_one_sentence(run_quizapp("--db", str(db_path), "stats"), "locked")
    finally:
        holder.close()


def test_an_unwritable_location_gives_one_sentence(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        blocker = tmp_path / "a-file"
        blocker.write_text("")
        db_path = blocker / "sub" / "q.db"  # a folder cannot be made inside a file
    else:
        locked_dir = tmp_path / "ro"
        locked_dir.mkdir(mode=0o500)
        db_path = locked_dir / "sub" / "q.db"
    _assert_one_sentence(run_quizapp("--db", str(db_path), "stats"), "Cannot create the folder")


@pytest.mark.parametrize("command", [["stats"], ["stats", "--json"], ["--help"]])
def test_command_line_commands_never_load_qt(tmp_path: Path, command: list[str]) -> None:
    code = (
        "import sys\n"
        "from quizapp.__main__ import main\n"
        "try:\n"
        f"    main(['--db', {str(tmp_path / 'q.db')!r}, *{command!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('QT LOADED' if any(m.startswith('PySide6') for m in sys.modules) else 'NO QT')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.strip().endswith("NO QT"), result.stdout + result.stderr


HEAVY_PACKAGES = ("sqlalchemy", "alembic", "PySide6")


def imported_modules(*args: str, db_path: Path | None = None) -> tuple[int, set[str]]:
    """The exit status of ``python -X importtime -m quizapp ARGS`` and every module it imported."""
    environment = {k: v for k, v in os.environ.items() if k != "QUIZAPP_DB"}
    if db_path is not None:
        environment["QUIZAPP_DB"] = str(db_path)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "quizapp", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        check=False,
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "quizapp.__main__" in modules or "quizapp.cli" in modules, result.stderr[-2000:]
    return result.returncode, modules


def _heavy(modules: set[str], packages: tuple[str, ...] = HEAVY_PACKAGES) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in packages)


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["--version"], 0),
        (["--help"], 0),
        (["import", "--help"], 0),
        (["--no-such-option"], 2),
        (["validate", "--format", "word-doc", "bank.docx"], 2),
        (["no-such-command"], 2),
    ],
)
def test_help_version_and_argument_errors_load_no_database_or_qt(
    args: list[str], status: int
) -> None:
    returncode, modules = imported_modules(*args)
    assert returncode == status
    assert _heavy(modules) == []


def test_import_help_still_lists_every_bank_format() -> None:
    result = run_quizapp("import", "--help")
    assert result.returncode == 0
    assert "auto, yaml, csv, xlsx, gift, moodle-xml, apkg" in " ".join(result.stdout.split())
    refused = run_quizapp("validate", "--format", "word-doc", "bank.docx")
    assert refused.returncode == 2
    assert "invalid choice: 'word-doc'" in refused.stderr
    assert "'moodle-xml'" in refused.stderr


def test_stats_on_an_up_to_date_database_loads_neither_alembic_nor_qt(tmp_path: Path) -> None:
    db_path = tmp_path / "q.db"
    assert run_quizapp("--db", str(db_path), "stats").returncode == 0  # created, seeded
    returncode, modules = imported_modules("stats", db_path=db_path)
    assert returncode == 0
    assert _heavy(modules, ("alembic", "PySide6")) == []
    # Nor the bank readers, which only a new collection's seeding needs.
    assert _heavy(modules, ("yaml", "openpyxl", "nh3", "defusedxml", "zstandard")) == []
