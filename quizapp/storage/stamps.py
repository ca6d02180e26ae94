"""This device's id and its hybrid logical clock, one per database file.

Rows that change carry ``modified_hlc`` and ``modified_by`` (see
:class:`quizapp.storage.models.ChangeStamp`): the stamp comes from here.  The
clock starts from the newest stamp stored, so stamps keep growing across
restarts even if the wall clock was set back.
"""

from __future__ import annotations

import os
import threading
import uuid
from datetime import datetime
from typing import Any

from quizapp.domain.hlc import HybridClock
from quizapp.storage.driver import Runner

DEVICE_KEY = "device_id"
_VERSION_7 = 0x7 << 76
_VARIANT = 0x2 << 62
_STAMPED_TABLES = ("notes", "cards", "decks", "presets")


def time_ordered_uid(at: datetime) -> str:
    """A UUID (version 7: milliseconds since 1970, then 74 random bits) as 32 hex digits.

    Ids made in time order sort in time order, so a review's id is written next to
    the previous one's in the unique index instead of on a random page of it (one
    page fewer written by each answer), and they stay unique across devices.
    """
    random_bits = int.from_bytes(os.urandom(10), "big")
    millis = int(at.timestamp() * 1000) & 0xFFFF_FFFF_FFFF
    value = (
        (millis << 80)
        | _VERSION_7
        | ((random_bits >> 62) & 0xFFF) << 64
        | _VARIANT
        | (random_bits & 0x3FFF_FFFF_FFFF_FFFF)
    )
    return f"{value:032x}"


class DeviceStamps:
    """Issues change stamps for the device that owns one database file."""

    def __init__(self, device: str, clock: HybridClock) -> None:
        self.device = device
        self._clock = clock
        self._lock = threading.Lock()

    @classmethod
    def load(cls, connection: Runner) -> DeviceStamps:
        """Read (or make) the device id, and start the clock after every stored stamp."""
        device = connection.exec_driver_sql(
            "SELECT value FROM meta WHERE key = ?", (DEVICE_KEY,)
        ).scalar()
        if device is None:
            device = uuid.uuid4().hex
            connection.exec_driver_sql(
                "INSERT INTO meta (key, value) VALUES (?, ?)", (DEVICE_KEY, device)
            )
        newest = max(
            int(
                connection.exec_driver_sql(
                    f"SELECT COALESCE(MAX(modified_hlc), 0) FROM {table}"  # noqa: S608
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


def database_key(connection: Any) -> str:
    """The file a connection is on: a driver connection's key, or a SQLAlchemy engine's."""
    key = getattr(connection, "key", None)
    if isinstance(key, str):
        return key
    return str(connection.engine.url.database)


def device_stamps(connection: Runner) -> DeviceStamps:
    """The stamps of the database ``connection`` is on (loaded once per process)."""
    key = database_key(connection)
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
