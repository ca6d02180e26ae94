"""What the note editor window needs beyond saving: the editor's view of HTML, media, tags,
duplicates and exercise templates, decided here so that the window stays a view.

HTML written in the editor goes through the imports' sanitizer (:func:`safe_html`)
before the service saves it (which sanitizes again); a pasted or dropped image is
stored in the collection's media folder by its content hash, as imports store theirs.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from quizapp.banks.html import html_to_text, sanitize_html
from quizapp.domain import ExerciseContent, ExerciseTemplate, NoteKind
from quizapp.errors import EnvironmentProblem, QuizAppError
from quizapp.storage import Database
from quizapp.storage.media import MediaStore, stored_name

_SPACES = re.compile(r"\s+")
# Every note's tags, space-separated, as stored.
_TAGS = "SELECT DISTINCT tags FROM notes WHERE tags != ''"
PREVIEW_SEEDS = (1, 2, 3)


def safe_html(text: str) -> str:
    """``text`` cut down to the HTML the app shows: the same sanitizer as imports."""
    return sanitize_html(text)


def plain_text(text: str) -> str:
    """The text an HTML fragment reads as (tags dropped, entities decoded)."""
    return html_to_text(text)


def store_media(media: MediaStore, name: str, data: bytes) -> str:
    """Put ``data`` in the media folder (once, by content hash); the name cards refer to.

    Written under a temporary name and renamed, so that a crash leaves no half file.
    A file of a note never saved stays unused, as an abandoned edit's does in Anki.
    """
    stored = stored_name(name, data)
    target = media.path(stored)
    if target.exists():
        return stored
    try:
        media.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=media.folder, prefix=".incoming-")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temporary).replace(target)
    except OSError as error:
        raise EnvironmentProblem(
            f"Cannot store the image {name} in {media.folder}: {error.strerror}."
        ) from error
    return stored


def collection_tags(database: Database) -> list[str]:
    """Every tag of the collection, once each (case ignored), sorted: for completion."""
    with database.quick() as store:
        rows = list(store.connection.exec_driver_sql(_TAGS))
    found: dict[str, str] = {}
    for (tags,) in rows:
        for tag in str(tags).split():
            found.setdefault(tag.casefold(), tag)
    return sorted(found.values(), key=str.casefold)


def _comparable(text: str) -> str:
    return _SPACES.sub(" ", html_to_text(text)).strip().casefold()


def duplicate_in_deck(
    database: Database, deck_name: str, first_field: str, note_id: int | None = None
) -> str | None:
    """A warning when another note of ``deck_name`` has the same first field (case and
    markup ignored), as the service's save warns; None when there is none."""
    wanted = _comparable(first_field)
    if not wanted or not deck_name.strip():
        return None
    with database.transaction() as store:
        deck = store.decks.by_name(deck_name.strip())
        if deck is None:
            return None
        fields = store.notes.first_fields_in_deck(deck.id)
    for other_id, text in fields:
        if other_id != note_id and _comparable(text) == wanted:
            return f"Another note in {deck_name.strip()} already begins with this text."
    return None


@dataclass(frozen=True, slots=True)
class PreviewInstance:
    """One seeded drawing of a template, as the learner would read it."""

    seed: int
    question: str
    answer: str
    explanation: str
    choices: tuple[str, ...] = ()  # "label" or "label — mistake", the right one marked ✓


@dataclass(frozen=True, slots=True)
class TemplateCheck:
    """A template's problems by field (``"steps[1]"``) and a few seeded instances."""

    problems: dict[str, list[str]]
    instances: tuple[PreviewInstance, ...]
    failure: str = ""  # why no instance could be drawn


def check_template(template: ExerciseTemplate) -> TemplateCheck:
    """Every problem of ``template``, each at its field, and its instances for
    :data:`PREVIEW_SEEDS` when it can draw them."""
    from quizapp.exercises.instances import draw_instance_seeded
    from quizapp.services.note_checks import note_problems

    problems: dict[str, list[str]] = defaultdict(list)
    for problem in note_problems(NoteKind.EXERCISE, ExerciseContent(template), ()):
        problems[problem.field].append(problem.message)
    instances: list[PreviewInstance] = []
    failure = ""
    try:
        for seed in PREVIEW_SEEDS:
            instance = draw_instance_seeded(template, seed)
            choices = tuple(
                ("✓ " if choice.correct else "✗ ")
                + choice.label
                + (f" — {choice.mistake}" if choice.mistake else "")
                for choice in instance.choices
            )
            instances.append(
                PreviewInstance(
                    seed, instance.question, instance.expected, instance.explanation, choices
                )
            )
    except QuizAppError as error:
        failure = error.user_message
    return TemplateCheck(dict(problems), tuple(instances), failure)
