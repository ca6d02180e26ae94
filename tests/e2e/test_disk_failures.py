"""The command line on a world that refuses: folders it may not enter, files it may not
write, a disk that fills up during a schema upgrade.  One sentence, exit status 1.

Root ignores permission bits, and the test suite runs as root in CI: the permission
tests run the command as the ``nobody`` user (loading what the command needs first,
as the interpreter may sit in root's home).  The full disk is a real one: a small
tmpfs mounted in a mount namespace of the test's own, where one can be made.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.bootstrap import open_app
from quizapp.domain import Rating
from quizapp.services import ManualClock
from quizapp.storage import Database, migrate
from tests.conftest import SMALL_BANK, START

REPO = Path(__file__).resolve().parents[2]
SKIPPED = "SKIPPED: "

# Runs ``quizapp ARGS`` as an ordinary user: the modules the command needs are loaded
# while still root, and the rest of the run is denied what an ordinary user is denied.
# (Python's own library lies in root's home here, which the ordinary user cannot read:
# every module of QuizApp's but the GUI's is loaded, with what it loads.)
AS_ORDINARY_USER = """
import importlib, os, pkgutil, sys, sqlite3
import quizapp
for module in pkgutil.walk_packages(quizapp.__path__, "quizapp."):
    if not module.name.startswith(("quizapp.gui", "quizapp.storage.migrations")):
        try:
            importlib.import_module(module.name)
        except ImportError:  # an optional extra not installed
            pass
import sqlalchemy.dialects.sqlite.pysqlite
if os.geteuid() == 0:
    os.setgroups([])
    os.setgid(int(sys.argv[1]))
    os.setuid(int(sys.argv[1]))
    if not os.access(quizapp.__file__, os.R_OK):
        print("@SKIPPED@the source tree is not readable by an ordinary user")
        sys.exit(0)
sys.exit(quizapp.__main__.main(sys.argv[2:]))
""".replace("@SKIPPED@", SKIPPED)


def _ordinary_uid() -> int:
    if os.geteuid() != 0:
        return os.geteuid()
    try:
        return pwd.getpwnam("nobody").pw_uid
    except KeyError:
        return 65534


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder the ordinary user may enter (pytest's tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="quizapp-perm-"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


def run_as_ordinary_user(*args: str) -> subprocess.CompletedProcess[str]:
    """``quizapp ARGS`` as ``nobody`` (or as oneself, when not root)."""
    uid = str(_ordinary_uid())
    result = subprocess.run(
        [sys.executable, "-c", AS_ORDINARY_USER, uid, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    if result.stdout.startswith(SKIPPED):
        pytest.skip(result.stdout.removeprefix(SKIPPED).strip())
    return result


def _one_sentence(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def _collection_for(folder: Path, owner: int) -> Path:
    db_path = folder / "collection.db"
    open_app(db_path, seed_banks=[SMALL_BANK]).close()
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, owner, owner)
    return db_path


def test_the_ordinary_user_can_read_their_own_collection(shared_folder: Path) -> None:
    # The harness works: what the tests below deny is all that stops them.
    home = shared_folder / "home"
    home.mkdir()
    db_path = _collection_for(home, _ordinary_uid())
    result = run_as_ordinary_user("--db", str(db_path), "stats", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["cards"] == 7


def test_a_folder_that_cannot_be_entered_gives_one_sentence(shared_folder: Path) -> None:
    closed = shared_folder / "closed"
    closed.mkdir()
    db_path = closed / "collection.db"
    closed.chmod(0)
    line = _one_sentence(run_as_ordinary_user("--db", str(db_path), "stats"))
    assert line == f"quizapp: Cannot open the database {db_path}: Permission denied ({db_path})."


def test_a_folder_that_cannot_be_created_gives_one_sentence(shared_folder: Path) -> None:
    closed = shared_folder / "closed"
    closed.mkdir(mode=0o555)
    closed.chmod(0o555)
    db_path = closed / "sub" / "collection.db"
    line = _one_sentence(run_as_ordinary_user("--db", str(db_path), "stats"))
    assert line == (
        f"quizapp: Cannot create the folder for the database {db_path}: "
        f"Permission denied ({db_path.parent})."
    )


def test_a_read_only_collection_gives_one_sentence(shared_folder: Path) -> None:
    home = shared_folder / "home"
    home.mkdir()
    db_path = _collection_for(home, _ordinary_uid())
    db_path.chmod(0o444)
    home.chmod(0o555)
    line = _one_sentence(run_as_ordinary_user("--db", str(db_path), "stats"))
    assert line.startswith(f"quizapp: The database {db_path} is read-only")


# -- a schema upgrade whose backup cannot be written ---------------------------------------

# Opens the collection with the next release installed (one more migration), after
# limiting how large a file this process may write: the copy fails part way.
UPGRADE_CHILD = """
import resource, signal, sys
from pathlib import Path
import pytest
from quizapp.__main__ import main
from tests.storage.test_upgrade import install_next_release

db_path, scripts, limit = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
with pytest.MonkeyPatch.context() as patch:
    install_next_release(scripts, patch)
    if limit:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write fails, not the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    sys.exit(main(["--db", str(db_path), "stats"]))
"""


def _studied_collection(db_path: Path) -> None:
    app = open_app(db_path, clock=ManualClock(START), seed_banks=[SMALL_BANK])
    session = app.study(None)
    for rating in (Rating.GOOD, Rating.AGAIN):
        session.answer(rating, 1000)
    app.close()


def _upgrade(db_path: Path, scripts: Path, limit: int = 0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", UPGRADE_CHILD, str(db_path), str(scripts), str(limit)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def _assert_unchanged(db_path: Path) -> None:
    """Still at this release's schema, no copy left beside it, and it opens as before."""
    leftovers = [p.name for p in db_path.parent.iterdir() if ".bak" in p.name]
    assert leftovers == []
    with sqlite3.connect(db_path) as connection:
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        reviews = connection.execute("SELECT COUNT(*) FROM reviews").fetchone()
    assert version == (migrate.SCHEMA_HEAD,)
    assert reviews == (2,)
    database = Database.open(db_path)
    database.close()
    assert database.backup is None


def test_a_backup_the_system_refuses_to_write_stops_the_upgrade(tmp_path: Path) -> None:
    folder = tmp_path / "collection"
    folder.mkdir()
    db_path = folder / "collection.db"
    _studied_collection(db_path)
    # Room for the collection's shared-memory file (32 KiB), not for a copy of it.
    limit = 48 * 1024
    assert db_path.stat().st_size > 2 * limit
    line = _one_sentence(_upgrade(db_path, tmp_path / "scripts", limit))
    assert line.startswith(
        f"quizapp: Cannot upgrade {db_path}: the backup copy could not be written ("
    )
    assert line.endswith("); nothing was changed.")
    _assert_unchanged(db_path)


def test_without_the_limit_the_same_upgrade_goes_through(tmp_path: Path) -> None:
    # The control for the test above: the child upgrades when nothing stops it.
    db_path = tmp_path / "collection.db"
    _studied_collection(db_path)
    result = _upgrade(db_path, tmp_path / "scripts")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "9002",
        )
    assert len(list(tmp_path.glob("collection.db.before-upgrade-*.bak"))) == 1


# Inside its own mount namespace: a small tmpfs, the collection copied onto it, the
# rest of it filled but for room to open the collection, then the upgrade.
FULL_DISK_CHILD = """
import json, os, shutil, subprocess, sys
from pathlib import Path

source, mount_point, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)], check=True)
db_path = mount_point / "collection.db"
shutil.copy(source, db_path)
filler = os.open(mount_point / "filler", os.O_WRONLY | os.O_CREAT)
try:
    while os.write(filler, b"x" * 4096):
        pass
except OSError:  # the disk is full
    pass
os.close(filler)
os.truncate(mount_point / "filler", max(0, os.path.getsize(mount_point / "filler") - 64 * 1024))
upgrade = subprocess.run(
    [sys.executable, "-c", sys.argv[4], str(db_path), str(out / "scripts"), "0"],
    capture_output=True, text=True, timeout=120,
)
shutil.copy(db_path, out / "collection.db")
names = sorted(os.listdir(mount_point))
print(json.dumps({"status": upgrade.returncode, "stderr": upgrade.stderr, "files": names}))
"""


def _namespace_command() -> list[str] | None:
    unshare = shutil.which("unshare")
    if unshare is None or shutil.which("mount") is None:
        return None
    command = [unshare, "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        command.append("--map-root-user")
    probe = subprocess.run([*command, "true"], capture_output=True, timeout=30, check=False)
    return command if probe.returncode == 0 else None


def test_a_backup_on_a_full_disk_says_the_disk_is_full_and_changes_nothing(
    tmp_path: Path,
) -> None:
    namespace = _namespace_command()
    if namespace is None:
        pytest.skip("no mount namespace can be made here for a small, full disk")
    source = tmp_path / "source.db"
    _studied_collection(source)
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    result = subprocess.run(
        [
            *namespace,
            sys.executable,
            "-c",
            FULL_DISK_CHILD,
            str(source),
            str(mount_point),
            str(out),
            UPGRADE_CHILD,
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    db_path = mount_point / "collection.db"
    assert report["status"] == 1
    assert report["stderr"].strip() == (
        f"quizapp: Cannot upgrade {db_path}: the backup copy could not be written "
        "(the disk is full); nothing was changed."
    )
    assert report["files"] == ["collection.db", "filler"]
    _assert_unchanged(out / "collection.db")
