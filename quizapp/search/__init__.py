"""The collection's search: Anki's search syntax parsed into a small typed tree.

Pure: no database, no Qt.  :func:`parse_search` turns what the learner typed into
:mod:`quizapp.search.nodes`; the storage layer turns that tree into SQL, and the
search service runs it.
"""

from quizapp.search.columns import CardColumn, NoteColumn
from quizapp.search.parser import parse_search

__all__ = ["CardColumn", "NoteColumn", "parse_search"]
