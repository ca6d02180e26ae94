"""Storage: the schema (SQLAlchemy models, Alembic migrations), repositories, media.

Nothing outside this package imports SQLAlchemy or Alembic, and this package
imports them only where they are used: opening an up-to-date collection and
studying it run on the driver alone (:mod:`quizapp.storage.driver`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.storage.database import Database
    from quizapp.storage.hot_repositories import HotStore
    from quizapp.storage.repositories import Store

__all__ = ["Database", "HotStore", "Store"]
_HOMES = {
    "Database": "quizapp.storage.database",
    "HotStore": "quizapp.storage.hot_repositories",
    "Store": "quizapp.storage.repositories",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'quizapp.storage' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(home), name)
