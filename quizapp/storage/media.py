"""Media files that cards show, stored once by content hash in a folder beside the database."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from quizapp.errors import EnvironmentProblem

_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


class MediaStore:
    """A folder of files named by the SHA-256 of their content."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def beside(cls, database_path: Path) -> MediaStore:
        """The media folder of the collection at ``database_path``: ``NAME.media``."""
        return cls(database_path.with_name(database_path.name + ".media"))

    def add(self, name: str, data: bytes) -> str:
        """Store ``data`` (once) and return the file name cards should refer to."""
        suffix = Path(name).suffix.lower()
        if not _SAFE_SUFFIX.match(suffix):
            suffix = ""
        stored = hashlib.sha256(data).hexdigest()[:40] + suffix
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
                f"Cannot store the media file {name} in {self.folder}: {error.strerror}."
            ) from error
        return stored

    def path(self, stored_name: str) -> Path:
        """Where a stored file is."""
        return self.folder / stored_name
