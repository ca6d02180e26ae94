"""The importer's short path for plain basic notes gives what the general path gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.banks import apkg
from quizapp.banks.apkg_collection import (
    AnkiCard,
    AnkiCollection,
    AnkiNote,
    AnkiNoteType,
    AnkiReview,
    AnkiTemplate,
)
from quizapp.banks.formats import ParseOptions
from quizapp.domain import ImportBatch, NoteKind

BASIC = AnkiNoteType(
    id=1,
    name="Basic",
    is_cloze=False,
    fields=("Front", "Back"),
    templates=(AnkiTemplate("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),),
)
DECKS = {1: "Default", 2: "Course::Week 1", 3: " :: "}


class _GeneralOnly(apkg._BatchBuilder):
    """The builder with its short path turned off."""

    def _plain_basic_types(self) -> dict[int, tuple[int, int, int]]:
        return {}


_FIELD = st.sampled_from(
    [
        "",
        " ",
        "What is a weight?",
        "It scales an <b>input</b>.<br>Learned.",
        "<img src=diagram.png>",
        "<b>unclosed",
        "<script>alert(1)</script>Hi",
        '<img src="http://example.com/x.png">',
        "a &amp; b",
        "&nbsp;",
        "<br>",
        "\ufeffLead",
    ]
)
_CARD = st.tuples(st.integers(0, 2), st.sampled_from([1, 2, 3, 99]), st.sampled_from([0, -1, 2]))
_NOTE = st.tuples(
    st.sampled_from(["g1", "g2", "g3", ""]),
    st.lists(_FIELD, min_size=1, max_size=3),
    st.sampled_from(["", "tag", "a b"]),
    st.lists(_CARD, max_size=2),
    st.sampled_from([1, 7]),  # 7: a type missing from the package
)


Drawn = list[tuple[str, list[str], str, list[tuple[int, int, int]], int]]


def _collection(drawn: Drawn) -> AnkiCollection:
    notes, cards, reviews = [], [], []
    for note_id, (guid, fields, tags, card_specs, type_id) in enumerate(drawn, 1):
        notes.append(AnkiNote(note_id, guid, type_id, tuple(tags.split()), tuple(fields)))
        for ord_, deck_id, queue in card_specs:
            card_id = note_id * 10 + ord_
            if all(card.id != card_id for card in cards):
                cards.append(AnkiCard(card_id, note_id, deck_id, ord_, queue))
                reviews.append(AnkiReview(1_700_000_000_000 + card_id, card_id, 3, 2000, 1))
    return AnkiCollection({1: BASIC}, DECKS, notes, cards, reviews)


def _build(builder: type[apkg._BatchBuilder], collection: AnkiCollection) -> ImportBatch:
    return builder(collection, "test.apkg", ParseOptions()).build([], [])


@settings(max_examples=300)
@given(st.lists(_NOTE, max_size=6), st.booleans())
def test_the_short_path_gives_the_same_batch(drawn: Drawn, with_history: bool) -> None:
    collection = _collection(drawn)
    if not with_history:
        collection = AnkiCollection(
            collection.note_types, collection.decks, collection.notes, collection.cards, []
        )
    assert _build(apkg._BatchBuilder, collection) == _build(_GeneralOnly, collection)


def test_the_short_path_takes_the_usual_note() -> None:
    # A plain basic note with one card: the short path makes it on its own.
    collection = _collection([("g1", ["Front <b>x</b>", "Back"], "t", [(0, 2, -1)], 1)])
    builder = apkg._BatchBuilder(collection, "test.apkg", ParseOptions())
    layout = builder._plain_basic_types()[1]
    made = builder._plain_basic_note(collection.notes[0], layout, set())
    assert made is not None
    assert (made.note.kind, made.deck, made.suspended_faces) == (
        NoteKind.BASIC,
        "Course::Week 1",
        frozenset({0}),
    )
