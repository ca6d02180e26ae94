"""Media files that cards show, stored once by content hash in a folder beside the database.

An import writes its files into a staging folder first (in ``NAME.media-staging``,
beside the media folder, so that looking for leftovers never lists the media).  The transaction that
stores the notes also records the staging folder's name; only after it commits
are the files moved in.  So a file is in the media folder only if a committed
import brought it: an import that fails, or is killed, leaves no orphans (its
staging folder is removed when the collection is next opened), and one killed
after its commit gets its files moved in then.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from quizapp.errors import EnvironmentProblem
from quizapp.storage.driver import Runner

_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")
STAGING_PREFIX = "import-"
# meta rows ``media_staging:NAME`` name the staging folders of committed imports.
_PENDING_KEY = "media_staging:"
_PENDING = "SELECT key FROM meta WHERE key LIKE ?"
_FORGET_PENDING = "DELETE FROM meta WHERE key LIKE ?"
_FORGET_ONE = "DELETE FROM meta WHERE key = ?"
_RECORD = "INSERT INTO meta (key, value) VALUES (?, '')"


def stored_name(name: str, data: bytes) -> str:
    """The name a file is stored under: the hash of its content, with a safe suffix."""
    suffix = Path(name).suffix.lower()
    if not _SAFE_SUFFIX.match(suffix):
        suffix = ""
    return hashlib.sha256(data).hexdigest()[:40] + suffix


class MediaStore:
    """A folder of files named by the SHA-256 of their content."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def beside(cls, database_path: Path) -> MediaStore:
        """The media folder of the collection at ``database_path``: ``NAME.media``."""
        return cls(database_path.with_name(database_path.name + ".media"))

    def path(self, stored: str) -> Path:
        """Where a stored file is."""
        return self.folder / stored

    @property
    def staging_root(self) -> Path:
        """The folder that holds the staging folders of imports under way."""
        return self.folder.with_name(self.folder.name + "-staging")

    @contextmanager
    def staged(self) -> Iterator[MediaStaging]:
        """A staging folder for one import; removed if the block fails.

        Inside the import's transaction, :meth:`MediaStaging.attach` it to the
        connection and :meth:`~MediaStaging.record` it before the commit; after the
        commit, :meth:`~MediaStaging.publish` moves the files in.
        """
        staging = MediaStaging(self)
        try:
            yield staging
        except BaseException:
            staging.discard()
            raise

    def recover(self, connection: Runner) -> int:
        """Finish or undo the staging folders an interrupted import left; files moved in."""
        pending = {
            key.removeprefix(_PENDING_KEY)
            for (key,) in connection.exec_driver_sql(_PENDING, (_PENDING_KEY + "%",))
        }
        moved = 0
        if self.staging_root.is_dir():
            for entry in self.staging_root.iterdir():
                if entry.name in pending and entry.is_dir():
                    moved += _move_into(entry, self.folder)
                else:
                    shutil.rmtree(entry, ignore_errors=True)
            with contextlib.suppress(OSError):
                self.staging_root.rmdir()
        if pending:
            connection.exec_driver_sql(_FORGET_PENDING, (_PENDING_KEY + "%",))
        return moved


class MediaStaging:
    """The files of one import, written aside until its transaction commits."""

    def __init__(self, store: MediaStore) -> None:
        self._store = store
        self._connection: Runner | None = None
        self.folder = store.staging_root / f"{STAGING_PREFIX}{uuid.uuid4().hex}"
        self._written = 0

    def attach(self, connection: Runner) -> None:
        """The connection of the import's transaction, where the staging is recorded."""
        self._connection = connection

    def add(self, name: str, data: bytes) -> str:
        """Stage ``data`` (unless the store has it already); the name cards refer to."""
        stored = stored_name(name, data)
        if self._store.path(stored).exists():
            return stored
        target = self.folder / stored
        if target.exists():
            return stored
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written under a temporary name and renamed, so a crash never leaves half a file.
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".incoming-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            Path(temporary).replace(target)
        except OSError as error:
            raise EnvironmentProblem(
                f"Cannot store the media file {name} in {self._store.folder}: {error.strerror}."
            ) from error
        self._written += 1
        return stored

    def record(self) -> None:
        """Note in the transaction that this folder's files belong to the collection."""
        if self._written:
            assert self._connection is not None, "attach the staging to the transaction first"
            self._connection.exec_driver_sql(_RECORD, (_PENDING_KEY + self.folder.name,))

    def discard(self) -> None:
        """Remove the staged files (the import did not commit)."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def publish(self, connection: Runner) -> None:
        """Move the staged files in (after the commit) and forget the record."""
        if not self._written:
            return
        _move_into(self.folder, self._store.folder)
        connection.exec_driver_sql(_FORGET_ONE, (_PENDING_KEY + self.folder.name,))
        with contextlib.suppress(OSError):
            self._store.staging_root.rmdir()


def _move_into(staging: Path, folder: Path) -> int:
    moved = 0
    folder.mkdir(parents=True, exist_ok=True)
    for entry in staging.iterdir():
        if entry.name.startswith(".incoming-"):
            continue
        entry.replace(folder / entry.name)
        moved += 1
    shutil.rmtree(staging, ignore_errors=True)
    return moved
