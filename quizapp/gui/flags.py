"""Anki's seven flags: their names, the colour of their mark, and the mark as an icon."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

FLAG_NAMES = ("", "Red", "Orange", "Green", "Blue", "Pink", "Turquoise", "Purple")
FLAG_MARKS = ("", "#e03131", "#f08c00", "#2f9e44", "#1c7ed6", "#e64980", "#0ca678", "#7048e8")


def flag_icon(flag: int, size: int = 12) -> QIcon:
    """A round mark in the colour of ``flag`` (1-7)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(FLAG_MARKS[flag]))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)
