"""This device's id and its hybrid logical clock, one per database file.

Rows that change carry ``modified_hlc`` and ``modified_by`` (see
:class:`quizapp.storage.models.ChangeStamp`): the stamp comes from here.  The
clock starts from the newest stamp stored, so stamps keep growing across
restarts even if the wall clock was set back.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime

from sqlalchemy import Connection, text

from quizapp.domain.hlc import HybridClock

DEVICE_KEY = "device_id"
_STAMPED_TABLES = ("notes", "cards", "decks", "presets")


class DeviceStamps:
    """Issues change stamps for the device that owns one database file."""

    def __init__(self, device: str, clock: HybridClock) -> None:
        self.device = device
        self._clock = clock
        self._lock = threading.Lock()

    @classmethod
    def load(cls, connection: Connection) -> DeviceStamps:
        """Read (or make) the device id, and start the clock after every stored stamp."""
        device = connection.execute(
            text("SELECT value FROM meta WHERE key = :key"), {"key": DEVICE_KEY}
        ).scalar()
        if device is None:
            device = uuid.uuid4().hex
            connection.execute(
                text("INSERT INTO meta (key, value) VALUES (:key, :value)"),
                {"key": DEVICE_KEY, "value": device},
            )
        newest = max(
            int(
                connection.execute(
                    text(f"SELECT COALESCE(MAX(modified_hlc), 0) FROM {table}")  # noqa: S608
                ).scalar_one()
            )
            for table in _STAMPED_TABLES
        )
        return cls(str(device), HybridClock(newest))

    def stamp(self, now: datetime) -> int:
        """A new stamp, later than any this device issued before."""
        with self._lock:
            return self._clock.tick(now)


_BY_DATABASE: dict[str, DeviceStamps] = {}
_LOCK = threading.Lock()


def device_stamps(connection: Connection) -> DeviceStamps:
    """The stamps of the database ``connection`` is on (loaded once per process)."""
    key = str(connection.engine.url)
    found = _BY_DATABASE.get(key)
    if found is None:
        with _LOCK:
            found = _BY_DATABASE.get(key)
            if found is None:
                found = _BY_DATABASE[key] = DeviceStamps.load(connection)
    return found


def forget(url: str) -> None:
    """Drop the cached stamps of a database that was closed (it may be replaced on disk)."""
    with _LOCK:
        _BY_DATABASE.pop(url, None)
