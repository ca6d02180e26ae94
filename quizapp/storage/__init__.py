"""Storage: SQLAlchemy models, repositories, Alembic migrations.

Nothing outside this package imports SQLAlchemy or Alembic.
"""

from quizapp.storage.database import Database
from quizapp.storage.repositories import Store

__all__ = ["Database", "Store"]
