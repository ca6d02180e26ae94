"""What the browser remembers between openings: its place, its columns, its mode and order."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QByteArray, QSettings

GEOMETRY = "browser/geometry"
SPLITTER = "browser/splitter"
CARD_COLUMNS = "browser/cardColumns"
NOTE_COLUMNS = "browser/noteColumns"
WIDTHS = "browser/columnWidths"
NOTES_MODE = "browser/notesMode"
SORT_KEY = "browser/sortKey"
DESCENDING = "browser/sortDescending"


class BrowserState:
    """Typed reading and writing of the browser's part of :class:`QSettings`."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def bytes(self, key: str) -> QByteArray | None:
        """A saved geometry or splitter state, if any."""
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def columns(self, notes: bool) -> list[str] | None:
        """The column keys chosen for the cards (or notes) mode, in order, if chosen."""
        names = self._json(NOTE_COLUMNS if notes else CARD_COLUMNS)
        if not isinstance(names, list):
            return None
        return [name for name in names if isinstance(name, str)] or None

    def widths(self) -> dict[str, int]:
        """Column widths by key."""
        widths = self._json(WIDTHS)
        if not isinstance(widths, dict):
            return {}
        return {str(key): int(value) for key, value in widths.items() if isinstance(value, int)}

    def notes_mode(self) -> bool:
        """Whether the browser showed notes (not cards) last."""
        return str(self._settings.value(NOTES_MODE, "false")).lower() == "true"

    def sort(self) -> tuple[str, bool]:
        """The column key sorted by, and whether descending."""
        key = self._settings.value(SORT_KEY, "added")
        descending = str(self._settings.value(DESCENDING, "false")).lower() == "true"
        return (key if isinstance(key, str) and key else "added"), descending

    def save_columns(self, notes: bool, keys: Sequence[str]) -> None:
        """Remember the columns chosen for one mode, on disk now."""
        self._settings.setValue(NOTE_COLUMNS if notes else CARD_COLUMNS, json.dumps(list(keys)))
        self._settings.sync()

    def save(
        self,
        geometry: QByteArray,
        splitter: QByteArray,
        widths: Mapping[str, int],
        notes: bool,
        sort: tuple[str, bool],
    ) -> None:
        """Remember the window as it closes."""
        self._settings.setValue(GEOMETRY, geometry)
        self._settings.setValue(SPLITTER, splitter)
        self._settings.setValue(WIDTHS, json.dumps(dict(widths)))
        self._settings.setValue(NOTES_MODE, "true" if notes else "false")
        self._settings.setValue(SORT_KEY, sort[0])
        self._settings.setValue(DESCENDING, "true" if sort[1] else "false")
        self._settings.sync()

    def _json(self, key: str) -> object:
        try:
            return json.loads(str(self._settings.value(key, "null")))
        except ValueError:
            return None
