"""Anki packages (``.apkg``, ``.colpkg``): notes, decks, suspensions, history and media.

Both the legacy layout (plain SQLite ``collection.anki2``/``.anki21`` with a
JSON media map) and the current one (zstd-compressed ``collection.anki21b``,
schema 18, protobuf media list) are read; see :mod:`apkg_archive` for what is
refused as unsafe, :mod:`apkg_collection` for the SQLite, :mod:`apkg_notetypes`
for how note types are recognised and :mod:`apkg_media` for the media.

Cards become faces: 0 front and 1 reverse for basic types, *n* for the cloze
deletion ``c``\\ *n* (Anki's card ``ord`` + 1).  A note goes to the deck of its
first card.  Answers in the review log (learning, review, relearning and
filtered, ease 1 to 4) become reviews; manual reschedules are left out.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from operator import attrgetter
from typing import NamedTuple

from quizapp.banks.apkg_archive import open_package, package_layout
from quizapp.banks.apkg_collection import AnkiCard, AnkiCollection, AnkiNote, read_collection
from quizapp.banks.apkg_media import read_media
from quizapp.banks.apkg_notetypes import NoteTypeMapping, classify, describe
from quizapp.banks.errors import BankError
from quizapp.banks.formats import MAX_PACKAGE_BYTES, ParseOptions
from quizapp.banks.html import (
    has_script,
    html_to_text,
    is_clean_html,
    remote_references,
    sanitize_html,
)
from quizapp.domain import (
    BasicContent,
    BatchMedia,
    BatchNote,
    BatchReview,
    ClozeContent,
    ImportBatch,
    ImportIssue,
    Note,
    NoteContent,
    NoteKind,
    TextFormat,
    TypedContent,
    card_faces,
)
from quizapp.domain.notes import content_guid

SUSPENDED_QUEUE = -1
BURIED_QUEUES = frozenset({-2, -3})  # buried as a sibling, buried by hand
ANSWER_KINDS = frozenset({0, 1, 2, 3})  # learning, review, relearning, filtered (cram)
DEFAULT_DECK = "Default"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The times an answer in a package may have: from 1970 until 2200.  Scheduling adds up
# to a hundred years to an answer's time, and Python's dates end with the year 9999.
LATEST_ANSWER = datetime(2200, 1, 1, tzinfo=UTC)
_LATEST_ANSWER_MS = (LATEST_ANSWER - _EPOCH) // timedelta(milliseconds=1)
_NAMED_NOTES = 10  # notes named one by one in a warning; the rest are counted
# Text without these cannot hold markup, and the sanitizer returns it unchanged.
_MARKUP = re.compile(r"[<>&\r\x00\xa0\ufeff]")
# A letter or digit outside any tag: the quick proof that a field is not empty.  It is
# ``(?:^|>)[^<&]*?\w`` in a form that reads each stretch between two "<" or "&" once.
_VISIBLE_WORD = re.compile(r"^[^<&\w]*+\w|[<&][^<&>]*+>[^<&\w]*+\w")
_has_markup = _MARKUP.search
_type_id_of = attrgetter("type_id")
_NONE_SUSPENDED: frozenset[int] = frozenset()
_BASIC, _HTML = NoteKind.BASIC, TextFormat.HTML
_SUSPENDED_FRONT = frozenset({0})
_FRONT = frozenset({0})
_NO_FLAGS: dict[int, int] = {}  # shared by every note without one: never written to


def parse_apkg(data: bytes, source: str, options: ParseOptions) -> ImportBatch:
    """Parse an Anki package's bytes; ``source`` names it in messages.

    Raises :class:`BankError` for a package that is unsafe, damaged, or not an
    Anki package; everything skipped inside a good one is a warning.
    """
    if len(data) > MAX_PACKAGE_BYTES:
        raise BankError(
            [ImportIssue(source, 0, f"the package is larger than {MAX_PACKAGE_BYTES // 2**20} MB")]
        )
    archive = open_package(data, source)
    try:
        layout = package_layout(archive)
        collection = read_collection(archive, layout)
        media, media_warnings = read_media(archive, layout)
    finally:
        archive.close()
    return _BatchBuilder(collection, source, options).build(media, media_warnings)


class _BatchBuilder:
    """Turns the records of one collection into an :class:`ImportBatch`."""

    def __init__(self, collection: AnkiCollection, source: str, options: ParseOptions) -> None:
        self.collection = collection
        self.source = source
        self.options = options
        self.warnings: list[str] = []
        self.mappings = {
            type_id: classify(note_type) for type_id, note_type in collection.note_types.items()
        }
        self.cards = _cards_by_note(collection.cards)
        self.card_faces: dict[int, tuple[str, int]] = {}  # card id → (guid, face)
        self.has_history = bool(collection.reviews)  # card_faces is needed only then
        self.skipped_faces: set[int] = set()  # cards of imported notes that make no face
        self.counts: Counter[str] = Counter()
        self.bad_times: dict[str, list[int]] = defaultdict(list)  # guid → answer times
        self.deck_names = {deck_id: _deck_name(name) for deck_id, name in collection.decks.items()}
        self._cleaned: dict[str, tuple[str, tuple[str, ...]]] = {}

    def build(self, media: list[BatchMedia], media_warnings: list[str]) -> ImportBatch:
        """The batch, with a warning for each thing skipped."""
        self._warn_note_types()
        notes: list[BatchNote] = []
        guids: set[str] = set()
        batch_note_of, plain_note_of = self._batch_note, self._plain_basic_note
        add_guid, append = guids.add, notes.append
        plain_types = self._plain_basic_types()
        for note in self.collection.notes:
            layout = plain_types.get(note.type_id)
            batch_note = None if layout is None else plain_note_of(note, layout, guids)
            if batch_note is None:
                batch_note = batch_note_of(note, guids)
            if batch_note is not None:
                add_guid(batch_note.note.guid)
                append(batch_note)
        reviews = self._reviews()
        self._warn_counts()
        self._warn_times(notes)
        return ImportBatch(
            source=self.source,
            notes=tuple(notes),
            warnings=tuple(
                ImportIssue(self.source, 0, message)
                for message in (*self.warnings, *media_warnings)
            ),
            reviews=tuple(reviews),
            media=tuple(media),
            global_guids=True,  # Anki's guids are its notes' own, the same in every export
        )

    def _warn_note_types(self) -> None:
        used = Counter(map(_type_id_of, self.collection.notes))
        for type_id, count in used.items():
            note_type = self.collection.note_types.get(type_id)
            mapping = self.mappings.get(type_id)
            if note_type is None or mapping is None:
                self.warnings.append(
                    f"{count} notes have a note type missing from the package; skipped"
                )
            elif mapping.kind is None:
                self.warnings.append(
                    f"note type '{note_type.name}' with {count} notes is not supported "
                    f"({mapping.reason}); its notes were skipped"
                )
            elif mapping.adapted:
                self.warnings.append(
                    f"note type '{note_type.name}' is not one of Anki's stock types; its "
                    f"{count} notes were imported as {mapping.kind.value} notes "
                    f"({describe(note_type, mapping)})"
                )

    def _plain_basic_types(self) -> dict[int, tuple[int, int, int]]:
        """Basic types with one front and one back field: (front, back, fields needed)."""
        return {
            type_id: (mapping.front[0], mapping.back[0], max(mapping.front[0], mapping.back[0]) + 1)
            for type_id, mapping in self.mappings.items()
            if mapping.kind is NoteKind.BASIC and len(mapping.front) == len(mapping.back) == 1
        }

    def _plain_basic_note(
        self, note: AnkiNote, layout: tuple[int, int, int], guids: set[str]
    ) -> BatchNote | None:
        """:meth:`_batch_note` for the usual note (most of a big package), or None.

        A note of a plain basic type with its one card, a visible question, no
        markup to remove and a guid of its own gives the same note here with
        fewer steps; any other gives None, and goes the general way.
        """
        front_index, back_index, needed = layout
        fields, guid = note.fields, note.guid
        if len(fields) < needed or not guid or guid in guids:
            return None
        front, back = fields[front_index], fields[back_index]
        if (_has_markup(front) or _has_markup(back)) and not (
            is_clean_html(front) and is_clean_html(back)
        ):
            problems: list[str] = []
            front = self._cleaned_field(front, problems)
            back = self._cleaned_field(back, problems)
            if problems:
                return None
        cards = self.cards.get(note.id)
        if cards is None or len(cards) != 1 or cards[0].ord != 0:
            return None
        if not _VISIBLE_WORD.search(front) and _is_empty(front):
            return None
        (card,) = cards
        if self.has_history:
            self.card_faces[card.id] = (guid, 0)
        return BatchNote(
            Note(guid, _BASIC, BasicContent(front, back), "", note.tags, self.source, _HTML),
            self.deck_names.get(card.deck_id, DEFAULT_DECK),
            0,
            _SUSPENDED_FRONT if card.queue == SUSPENDED_QUEUE else _NONE_SUSPENDED,
            {0: card.flags} if card.flags else _NO_FLAGS,
            _FRONT if card.queue in BURIED_QUEUES else _NONE_SUSPENDED,
        )

    def _batch_note(self, note: AnkiNote, guids: set[str]) -> BatchNote | None:
        mapping = self.mappings.get(note.type_id)
        if mapping is None or mapping.kind is None:
            return None
        kind, content, problems = self._content(note, mapping)
        faces, empty = _faces(kind, content)
        if empty:
            self.warnings.append(f"{_label(note, content)}: {empty}; skipped")
            return None
        guid = note.guid or content_guid(kind, content)
        if guid in guids:
            self.warnings.append(f"{_label(note, content)}: another note has its guid; skipped")
            return None
        if problems:
            self.warnings.append(f"{_label(note, content)}: {'; '.join(problems)}")
        cards = self.cards.get(note.id, [])
        placed = self._place_cards(cards, guid, faces, cloze=kind is NoteKind.CLOZE)
        return BatchNote(
            note=Note(
                guid=guid,
                kind=kind,
                content=content,
                tags=note.tags,
                source=self.source,
                text_format=TextFormat.HTML,
            ),
            deck=self._deck(cards),
            suspended_faces=placed.suspended,
            flags=placed.flags,
            buried_faces=placed.buried,
        )

    def _content(
        self, note: AnkiNote, mapping: NoteTypeMapping
    ) -> tuple[NoteKind, NoteContent, list[str]]:
        """The note's kind and content from its fields, and what sanitizing removed."""
        problems: list[str] = []
        front = self._joined(note.fields, mapping.front, problems)
        back = self._joined(note.fields, mapping.back, problems)
        if mapping.kind is NoteKind.CLOZE:
            return NoteKind.CLOZE, ClozeContent(text=front, extra=back), problems
        if mapping.kind is NoteKind.TYPED:
            answer = html_to_text(back)
            return NoteKind.TYPED, TypedContent(question=front, answers=(answer,)), problems
        kind = NoteKind.BASIC if mapping.kind is None else mapping.kind
        # Anki makes no reverse card from an empty back or an empty "Add Reverse".
        if kind is NoteKind.BASIC_REVERSED and (
            _is_empty(back)
            or (
                mapping.reverse_if is not None
                and _is_empty(_field(note.fields, mapping.reverse_if))
            )
        ):
            kind = NoteKind.BASIC
        return kind, BasicContent(front=front, back=back), problems

    def _joined(
        self, fields: tuple[str, ...], indexes: tuple[int, ...], problems: list[str]
    ) -> str:
        """The sanitized fields at ``indexes``, joined by line breaks."""
        if len(indexes) == 1:
            (index,) = indexes
            text = fields[index] if index < len(fields) else ""
            # Most fields hold no markup: what _clean returns them as, without the calls.
            return text if not _has_markup(text) else self._cleaned_field(text, problems)
        parts = [self._cleaned_field(_field(fields, index), problems) for index in indexes]
        return "<br>".join(part for part in parts if part)

    def _cleaned_field(self, text: str, problems: list[str]) -> str:
        cleaned, found = self._cleaned.get(text) or self._clean(text)
        if found:
            problems.extend(problem for problem in found if problem not in problems)
        return cleaned

    def _clean(self, text: str) -> tuple[str, tuple[str, ...]]:
        """``text`` sanitized, and what was removed from it (remembered per text)."""
        if not _MARKUP.search(text) or is_clean_html(text):
            return text, ()
        problems = []
        lowered = text.lower()
        # A script needs a <script> tag, a javascript: address or an on…= handler.
        if ("script" in lowered or "=" in text) and has_script(text):
            problems.append("scripts were removed")
        remote = remote_references(text) if "src" in lowered or "href" in lowered else []
        if remote:
            problems.append(f"remote images or links were removed ({', '.join(remote)})")
        result = self._cleaned[text] = (sanitize_html(text), tuple(problems))
        return result

    def _place_cards(
        self, cards: list[AnkiCard], guid: str, faces: tuple[int, ...], *, cloze: bool
    ) -> _PlacedCards:
        """Record which face each card is; the faces suspended, buried and flagged."""
        suspended: set[int] = set()
        buried: set[int] = set()
        flags: dict[int, int] = {}
        for card in cards:
            face = card.ord + 1 if cloze else card.ord
            if face not in faces:
                self.skipped_faces.add(card.id)
                continue
            self.card_faces[card.id] = (guid, face)
            if card.queue == SUSPENDED_QUEUE:
                suspended.add(face)
            elif card.queue in BURIED_QUEUES:
                buried.add(face)
            if card.flags:
                flags[face] = card.flags
        return _PlacedCards(frozenset(suspended), frozenset(buried), flags or _NO_FLAGS)

    def _deck(self, cards: list[AnkiCard]) -> str:
        """The name of the first card's deck."""
        if not cards:
            return DEFAULT_DECK
        first = cards[0].deck_id
        if len(cards) > 1 and any(card.deck_id != first for card in cards):
            self.counts["split"] += 1
        return self.deck_names.get(first, DEFAULT_DECK)

    def _reviews(self) -> list[BatchReview]:
        """The answers in the review log, for the cards of imported notes."""
        reviews = []
        for review in self.collection.reviews:
            if review.kind not in ANSWER_KINDS or not 1 <= review.ease <= 4:
                continue
            target = self.card_faces.get(review.card_id)
            if target is None:
                if review.card_id in self.skipped_faces:
                    self.counts["orphan"] += 1
                continue
            guid, face = target
            if not 0 <= review.id < _LATEST_ANSWER_MS:
                self.bad_times[guid].append(review.id)
                continue
            reviewed_at = _EPOCH + timedelta(milliseconds=review.id)
            reviews.append(
                BatchReview(guid, face, reviewed_at, review.ease, max(0, review.duration_ms))
            )
        return reviews

    def _warn_times(self, notes: list[BatchNote]) -> None:
        """A warning naming each note (the first few) whose answers were left out for their time."""
        if not self.bad_times:
            return
        named = {guid: None for guid in list(self.bad_times)[:_NAMED_NOTES]}
        for batch_note in notes:
            if batch_note.note.guid in named:
                times = self.bad_times[batch_note.note.guid]
                self.warnings.append(
                    f"{_note_label(batch_note.note.guid, batch_note.note.content)}: "
                    f"{_answers(len(times))} dated outside {_EPOCH.year} to "
                    f"{LATEST_ANSWER.year} (the first {_date_of(times[0])}); skipped"
                )
        others = len(self.bad_times) - len(named)
        if others:
            count = sum(len(times) for times in list(self.bad_times.values())[_NAMED_NOTES:])
            self.warnings.append(
                f"{_answers(count)} of {others} more notes are dated outside "
                f"{_EPOCH.year} to {LATEST_ANSWER.year}; skipped"
            )

    def _warn_counts(self) -> None:
        messages = {
            "split": "{} notes have cards in several decks; each went to its first card's deck",
            "orphan": "{} answers were for cards QuizApp does not make (empty cloze numbers or "
            "reverse cards); skipped",
        }
        for key, message in messages.items():
            if self.counts[key]:
                self.warnings.append(message.format(self.counts[key]))


class _PlacedCards(NamedTuple):
    """The faces of a note's cards that Anki had suspended or buried, and their flags."""

    suspended: frozenset[int]
    buried: frozenset[int]
    flags: dict[int, int]


def _cards_by_note(cards: list[AnkiCard]) -> dict[int, list[AnkiCard]]:
    """Each note's cards, by template order (the first is the one whose deck counts)."""
    by_note: dict[int, list[AnkiCard]] = defaultdict(list)
    for card in cards:
        by_note[card.note_id].append(card)
    for note_cards in by_note.values():
        if len(note_cards) > 1:
            note_cards.sort(key=_card_order)
    return by_note


def _card_order(card: AnkiCard) -> int:
    return card.ord


def _field(fields: tuple[str, ...], index: int) -> str:
    return fields[index] if index < len(fields) else ""


def _deck_name(name: str) -> str:
    """``A::B`` with empty or blank levels dropped; the default deck if none is left."""
    levels = [level.strip() for level in name.split("::") if level.strip()]
    return "::".join(levels) or DEFAULT_DECK


def _is_empty(text: str) -> bool:
    """Whether a field counts as empty for Anki's ``{{#Field}}`` (no text, no image)."""
    if _VISIBLE_WORD.search(text):
        return False
    return not html_to_text(text).strip() and "<img" not in text.lower()


def _label(note: AnkiNote, content: NoteContent) -> str:
    """How a warning names a note: its guid and the start of its question."""
    return _note_label(note.guid, content)


def _note_label(guid: str, content: NoteContent) -> str:
    if isinstance(content, ClozeContent):
        front = content.text
    elif isinstance(content, TypedContent):
        front = content.question
    else:
        front = content.front if isinstance(content, BasicContent) else ""
    return f"note {guid!r} ({html_to_text(front)[:40]!r})"


def _answers(count: int) -> str:
    return "1 answer" if count == 1 else f"{count:,} answers"


def _date_of(milliseconds: int) -> str:
    """An answer's time as a day, ``9999-12-31``, or which way it is out of Python's range."""
    try:
        return f"{_EPOCH + timedelta(milliseconds=milliseconds):%Y-%m-%d}"
    except OverflowError:
        return "after the year 9999" if milliseconds > 0 else "before the year 1"


def _faces(kind: NoteKind, content: NoteContent) -> tuple[tuple[int, ...], str]:
    """:func:`card_faces` and :func:`_emptiness`, written out for basic notes (most)."""
    if type(content) is BasicContent:
        basic_faces: tuple[int, ...] = (0, 1) if kind is NoteKind.BASIC_REVERSED else (0,)
        return basic_faces, "the question is empty" if _is_empty(content.front) else ""
    faces = card_faces(kind, content)
    return faces, _emptiness(content, faces)


def _emptiness(content: NoteContent, faces: tuple[int, ...]) -> str:
    """Why a note cannot make a card (an empty question or answer to type), or ``""``."""
    if isinstance(content, ClozeContent):
        return "" if faces else "the cloze text has no deletions like {{c1::…}}"
    if isinstance(content, TypedContent):
        if not content.answers[0].strip():
            return "the answer to type is empty"
        question = content.question
    else:
        question = content.front if isinstance(content, BasicContent) else ""
    return "the question is empty" if _is_empty(question) else ""
