"""Small helpers for building widgets."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

ObjectT = TypeVar("ObjectT", bound=QObject)


def named(qt_object: ObjectT, name: str) -> ObjectT:
    """``qt_object`` with its objectName set, so tests and stylesheets can find it."""
    qt_object.setObjectName(name)
    return qt_object


def restyle(widget: QWidget, name: str, value: object) -> None:
    """Set a property the style sheet selects on, and apply the style it now matches."""
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
