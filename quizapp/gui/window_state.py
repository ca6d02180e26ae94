"""What the window remembers between runs: its place on screen, folded decks, the last deck."""

from __future__ import annotations

import json
from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QSettings

GEOMETRY = "window/geometry"
COLLAPSED_DECKS = "decks/collapsed"
LAST_DECK = "decks/lastStudied"


class WindowState:
    """Typed reading and writing of the window's :class:`QSettings`.

    The app passes ``QSettings()`` (the user's settings); tests pass an INI file of their own.
    """

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def geometry(self) -> QByteArray | None:
        """The window's size and place as :meth:`QWidget.saveGeometry` gave them, if saved."""
        value = self._settings.value(GEOMETRY)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def collapsed_decks(self) -> set[str]:
        """The full names of the decks folded in the deck list."""
        try:
            names = json.loads(str(self._settings.value(COLLAPSED_DECKS, "[]")))
        except ValueError:
            return set()
        return (
            {name for name in names if isinstance(name, str)} if isinstance(names, list) else set()
        )

    def last_deck(self) -> str | None:
        """The full name of the deck studied last, or None (never, or every deck at once)."""
        value = self._settings.value(LAST_DECK, "")
        return value if isinstance(value, str) and value else None

    def save(self, geometry: QByteArray, collapsed: Iterable[str]) -> None:
        """Remember the window's geometry and the folded decks, on disk now."""
        self._settings.setValue(GEOMETRY, geometry)
        self._settings.setValue(COLLAPSED_DECKS, json.dumps(sorted(collapsed)))
        self._settings.sync()

    def save_last_deck(self, name: str | None) -> None:
        """Remember the deck a session was started on (None: every deck)."""
        self._settings.setValue(LAST_DECK, name or "")
        self._settings.sync()
