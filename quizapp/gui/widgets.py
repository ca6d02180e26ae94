"""Small helpers for building widgets."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

ObjectT = TypeVar("ObjectT", bound=QObject)


def named(qt_object: ObjectT, name: str) -> ObjectT:
    """``qt_object`` with its objectName set, so tests and stylesheets can find it."""
    qt_object.setObjectName(name)
    return qt_object
