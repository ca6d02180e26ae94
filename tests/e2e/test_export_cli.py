"""quizapp export names every note a format leaves out, and why."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.e2e.test_cli import run_quizapp


def test_a_text_file_export_prints_each_note_it_leaves_out(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    out = tmp_path / "all.txt"
    result = run_quizapp("--db", str(db), "export", "--format", "csv", str(out))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as connection:
        kinds = dict(connection.execute("SELECT guid, kind FROM notes").fetchall())
    written = {line.split("\t")[2] for line in out.read_text("utf-8").splitlines()[7:]}
    left_out = sorted(set(kinds) - written)
    assert left_out  # the bundled bank has exercises, multiple choice, true/false…
    lines = result.stdout.splitlines()
    assert lines[0] == f"Wrote {len(written)} notes to {out}."
    assert lines[1] == f"Left out {len(left_out)} notes the file cannot hold:"
    listed = lines[2:]
    assert sorted(line.split()[0] for line in listed) == left_out
    exercise = next(guid for guid in left_out if kinds[guid] == "exercise")
    assert (
        f"  {exercise} (exercise): an Anki text file has no note type for exercise templates; "
        "export as yaml to keep it"
    ) in listed
    assert all(line.endswith("; export as yaml to keep it") for line in listed)


def test_a_yaml_export_leaves_nothing_out(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    out = tmp_path / "all.yaml"
    result = run_quizapp("--db", str(db), "export", str(out))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as connection:
        (notes,) = connection.execute("SELECT COUNT(*) FROM notes").fetchone()
    assert result.stdout == f"Wrote {notes} notes to {out}.\n"
