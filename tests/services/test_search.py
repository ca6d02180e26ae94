"""The search service over a small collection: which cards each search finds, sorted,
paged, as rows for the list, and kept current as notes change."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from random import Random

import pytest

from quizapp.bootstrap import App, open_app
from quizapp.domain import (
    BasicContent,
    BatchNote,
    BatchReview,
    CardState,
    ClozeContent,
    ImportBatch,
    MultipleChoiceContent,
    Note,
    NoteKind,
    NumericContent,
    Rating,
    TrueFalseContent,
    TypedContent,
)
from quizapp.errors import UserError
from quizapp.services import ManualClock
from quizapp.services.importing import ImportOptions, insert_batch
from quizapp.services.search import CardColumn, NoteColumn, SearchService
from quizapp.storage import search_index
from tests.conftest import START

OLD = START - timedelta(days=40)  # when the first bank was imported
DAY = timedelta(days=1)


def basic(guid: str, front: str, back: str, tags: tuple[str, ...] = ()) -> Note:
    return Note(guid=guid, kind=NoteKind.BASIC, content=BasicContent(front, back), tags=tags)


FIRST_BANK = (
    BatchNote(
        basic("paris", "What is the capital of France?", "Paris", tags=("geo", "geo::capitals")),
        "Geo::Europe",
    ),
    BatchNote(basic("lapsed", "Boiling point of ethanol", "78 °C"), "Science::Chemistry"),
    BatchNote(basic("star", "What does 5*3 give?", "15_x"), "Default"),
)
SECOND_BANK = (
    BatchNote(
        Note(
            guid="berlin",
            kind=NoteKind.BASIC_REVERSED,
            content=BasicContent("Capital of Germany", "Berlin"),
            tags=("geo::capitals",),
        ),
        "Geo::Europe::Central",
        suspended_faces=frozenset({1}),
        flags={0: 2},
    ),
    BatchNote(
        basic("uber", "Über alles", "café naïve", tags=("vocab",)),
        "Lang::German",
        buried_faces=frozenset({0}),
    ),
    BatchNote(
        Note(
            guid="cloze",
            kind=NoteKind.CLOZE,
            content=ClozeContent("{{c1::Ottawa}} is the capital of {{c2::Canada}}", "Since 1857"),
        ),
        "Geo::Americas",
    ),
    BatchNote(
        Note(
            guid="mc",
            kind=NoteKind.MULTIPLE_CHOICE,
            content=MultipleChoiceContent("Which planet is red?", ("Venus", "Mars", "Jupiter"), 1),
            explanation="Iron oxide",
        ),
        "Science",
    ),
    BatchNote(
        Note(
            guid="tf",
            kind=NoteKind.TRUE_FALSE,
            content=TrueFalseContent("Water boils at 100 °C at sea level", True),
        ),
        "Science::Physics",
    ),
    BatchNote(
        Note(
            guid="typed",
            kind=NoteKind.TYPED,
            content=TypedContent("The French word for dog?", ("chien",)),
        ),
        "Lang::French",
    ),
    BatchNote(
        Note(
            guid="num",
            kind=NoteKind.NUMERIC,
            content=NumericContent("How many legs has a spider?", 8),
        ),
        "Science",
    ),
)
HISTORY = (
    BatchReview("paris", 0, START - 10 * DAY, Rating.GOOD),
    BatchReview("paris", 0, START - 9 * DAY, Rating.GOOD),
    BatchReview("paris", 0, START - 2 * DAY, Rating.GOOD),
    BatchReview("lapsed", 0, START - 30 * DAY, Rating.GOOD),
    BatchReview("lapsed", 0, START - 29 * DAY, Rating.GOOD),
    BatchReview("lapsed", 0, START - 20 * DAY, Rating.GOOD),
    BatchReview("lapsed", 0, START - 3 * DAY, Rating.AGAIN),
    BatchReview("lapsed", 0, START - 3 * DAY + timedelta(minutes=10), Rating.GOOD),
    BatchReview("cloze", 1, START - timedelta(hours=1), Rating.AGAIN),
)
ALL_CARDS = {
    "paris:0",
    "lapsed:0",
    "star:0",
    "berlin:0",
    "berlin:1",
    "uber:0",
    "cloze:1",
    "cloze:2",
    "mc:0",
    "tf:0",
    "typed:0",
    "num:0",
}
NEW_CARDS = ALL_CARDS - {"paris:0", "lapsed:0", "cloze:1"}


@pytest.fixture
def app(db_path: Path, clock: ManualClock) -> Iterator[App]:
    """The collection: a first bank imported 40 days ago, a second one now, a history."""
    opened = open_app(db_path, clock=clock, rng=Random(3), seed_banks=[])
    with opened.database.transaction() as store:
        insert_batch(store, ImportBatch("search-a.yaml", FIRST_BANK, global_guids=True), OLD)
    with opened.database.transaction() as store:
        batch = ImportBatch("search-b.yaml", SECOND_BANK, global_guids=True)
        insert_batch(store, batch, START)
    with opened.database.transaction() as store:
        history = ImportBatch("search-a.yaml", FIRST_BANK, reviews=HISTORY[:8], global_guids=True)
        insert_batch(store, history, START)
        history = ImportBatch("search-b.yaml", SECOND_BANK, reviews=HISTORY[8:], global_guids=True)
        insert_batch(store, history, START)
    yield opened
    opened.close()


@pytest.fixture
def search(app: App, clock: ManualClock) -> SearchService:
    return SearchService(app.database, clock)


def found(search: SearchService, query: str) -> set[str]:
    """The cards ``query`` finds, as note guid:face."""
    ids = search.card_ids(query)
    return {f"{row.note_guid}:{row.face}" for row in search.rows_of(ids)}


CASES: list[tuple[str, set[str]]] = [
    ("", ALL_CARDS),
    ("capital", {"paris:0", "berlin:0", "berlin:1", "cloze:1", "cloze:2"}),
    ("CAPITAL of", {"paris:0", "berlin:0", "berlin:1", "cloze:1", "cloze:2"}),
    ("apit", {"paris:0", "berlin:0", "berlin:1", "cloze:1", "cloze:2"}),  # inside a word
    ('"capital of g"', {"berlin:0", "berlin:1"}),
    ('"the capital of"', {"paris:0", "cloze:1", "cloze:2"}),
    ("capital -deck:Geo::Americas", {"paris:0", "berlin:0", "berlin:1"}),
    ("capital (france or germany)", {"paris:0", "berlin:0", "berlin:1"}),
    ("-capital -boil*", NEW_CARDS - {"berlin:0", "berlin:1", "cloze:2", "tf:0"}),
    ("c*p*t*l", {"paris:0", "berlin:0", "berlin:1", "cloze:1", "cloze:2"}),
    ("b_rlin", {"berlin:0", "berlin:1"}),
    ("über", {"uber:0"}),
    ("ÜBER", {"uber:0"}),
    ("uber", set()),  # plain words keep their accents, as in Anki
    ("nc:uber", {"uber:0"}),
    ("nc:cafe", {"uber:0"}),
    ("café", {"uber:0"}),
    ("nc:naive*", {"uber:0"}),
    (r"5\*3", {"star:0"}),
    (r"15\_x", {"star:0"}),
    ("15_x", {"star:0"}),
    ("back:paris", {"paris:0"}),
    ("Back:PAR*", {"paris:0"}),
    ("back:pari", set()),  # a field is matched whole
    ("front:*capital*", {"paris:0", "berlin:0", "berlin:1"}),
    ("front:nc:uber*", {"uber:0"}),
    ("choices:mars", {"mc:0"}),
    ("choices:ma*", {"mc:0"}),
    ("text:*ottawa*", {"cloze:1", "cloze:2"}),
    ('"back extra:since*"', {"cloze:1", "cloze:2"}),
    ('explanation:"iron oxide"', {"mc:0"}),
    ("statement:*boils*", {"tf:0"}),
    ("answers:chien", {"typed:0"}),
    ("front:*", {"paris:0", "lapsed:0", "star:0", "berlin:0", "berlin:1", "uber:0"}),
    ("deck:Geo", {"paris:0", "berlin:0", "berlin:1", "cloze:1", "cloze:2"}),
    ("deck:geo::europe -deck:geo::europe::*", {"paris:0"}),
    ("deck:Geo -deck:Geo::*", set()),
    ("deck:Geo::E*", {"paris:0", "berlin:0", "berlin:1"}),
    ("deck:Lang::*", {"uber:0", "typed:0"}),
    ("deck:Nowhere", set()),
    ("tag:geo", {"paris:0", "berlin:0", "berlin:1"}),
    ("tag:GEO::capitals", {"paris:0", "berlin:0", "berlin:1"}),
    ("tag:capitals", set()),  # a child tag alone is not a tag
    ("tag:voc*", {"uber:0"}),
    ("-tag:geo::*", ALL_CARDS - {"paris:0", "berlin:0", "berlin:1"}),
    ("tag:none", ALL_CARDS - {"paris:0", "berlin:0", "berlin:1", "uber:0"}),
    ("is:new", NEW_CARDS),
    ("is:learn", {"cloze:1"}),
    ("is:review", {"paris:0", "lapsed:0"}),
    ("is:suspended", {"berlin:1"}),
    ("is:buried", {"uber:0"}),
    ("is:flagged", {"berlin:0"}),
    ("flag:2", {"berlin:0"}),
    ("flag:0 deck:Geo::Europe", {"paris:0", "berlin:1"}),
    ("kind:cloze", {"cloze:1", "cloze:2"}),
    ("kind:mc or kind:tf", {"mc:0", "tf:0"}),
    ("note:basic", {"paris:0", "lapsed:0", "star:0", "uber:0"}),
    ("note:basic*", {"paris:0", "lapsed:0", "star:0", "uber:0", "berlin:0", "berlin:1", "typed:0"}),
    ("card:2", {"berlin:1", "cloze:2"}),
    ("card:1", ALL_CARDS - {"berlin:1", "cloze:2"}),
    ("card:reverse", {"berlin:1"}),
    ('"card:card 2"', {"berlin:1"}),
    ("card:c2", {"cloze:2"}),
    ("card:cloze", {"cloze:1", "cloze:2"}),
    ("prop:reps>=3", {"paris:0", "lapsed:0"}),
    ("prop:reps=1", {"cloze:1"}),
    ("prop:reps=0", NEW_CARDS),
    ("prop:lapses>=1", {"lapsed:0"}),
    ("prop:lapses=0 is:review", {"paris:0"}),
    ("prop:ivl>=1", {"paris:0", "lapsed:0"}),
    ("prop:ivl=0", ALL_CARDS - {"paris:0", "lapsed:0"}),
    ("prop:s>0", {"paris:0", "lapsed:0", "cloze:1"}),
    ("prop:d>=0 prop:d<=1", {"paris:0", "lapsed:0", "cloze:1"}),
    ("rated:1", {"cloze:1"}),
    ("rated:3", {"cloze:1", "paris:0"}),
    ("rated:4", {"cloze:1", "paris:0", "lapsed:0"}),
    ("rated:4:1", {"cloze:1", "lapsed:0"}),
    ("rated:60:3", {"paris:0", "lapsed:0"}),
    ("introduced:1", {"cloze:1"}),
    ("introduced:11", {"cloze:1", "paris:0"}),
    ("introduced:40", {"cloze:1", "paris:0", "lapsed:0"}),
    ("added:1", ALL_CARDS - {"paris:0", "lapsed:0", "star:0"}),
    ("added:41", ALL_CARDS),
    ("edited:1", ALL_CARDS - {"paris:0", "lapsed:0", "star:0"}),
    ("source:search-a*", {"paris:0", "lapsed:0", "star:0"}),
    ('"re:^what"', {"paris:0", "star:0"}),
    ("re:MARS", {"mc:0"}),
    ("re:cap.tal", {"paris:0", "berlin:0", "berlin:1", "cloze:1", "cloze:2"}),
    ("front:re:^capital", {"berlin:0", "berlin:1"}),
    ("w:capital", {"paris:0", "berlin:0", "berlin:1", "cloze:1", "cloze:2"}),
    ("w:cap", set()),
    # many terms with values of their own, in one query: each value in its place
    ("rated:30:3 deck:Science prop:reps>=3 boiling", {"lapsed:0"}),
    ("tag:geo* -card:2 prop:lapses=0 nc:france is:review", {"paris:0"}),
    ("(flag:2 or is:buried) -nc:cafe capital", {"berlin:0"}),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[case[0] or "empty" for case in CASES])
def test_a_search_finds_the_cards_it_names(
    search: SearchService, query: str, expected: set[str]
) -> None:
    assert found(search, query) == expected
    assert search.count(query) == len(expected)


def test_due_searches_follow_the_clock(search: SearchService, clock: ManualClock) -> None:
    assert "cloze:1" in found(search, "is:due")  # failed an hour ago: due again already
    assert found(search, "prop:due<=0") >= {"cloze:1"}
    clock.advance(400 * DAY)
    assert found(search, "is:due") == {"paris:0", "lapsed:0", "cloze:1"}
    assert found(search, "prop:due<=-300") == {"paris:0", "lapsed:0", "cloze:1"}
    assert found(search, "prop:due>0") == set()
    assert found(search, "prop:r<0.9") == {"paris:0", "lapsed:0", "cloze:1"}


@pytest.mark.parametrize(
    ("query", "value"),
    [
        ("prop:r>0.9", lambda row: row.retrievability is not None and row.retrievability > 0.9),
        ("prop:r<=0.95", lambda row: row.retrievability is not None and row.retrievability <= 0.95),
        ("prop:s>3", lambda row: row.stability is not None and row.stability > 3),
        ("prop:d<0.5", lambda row: row.difficulty is not None and row.difficulty < 0.5),
        ("prop:ivl>=5", lambda row: row.interval >= 5),
        ("prop:due>=2", lambda row: row.due is not None and row.state is not CardState.NEW),
    ],
)
def test_property_searches_agree_with_the_rows_shown(
    search: SearchService, query: str, value: object
) -> None:
    rows = search.rows_of(search.card_ids(""))
    assert callable(value)
    expected = {row.card_id for row in rows if value(row)}
    if query == "prop:due>=2":  # due from the day after tomorrow on, not suspended or buried
        tomorrow_but_one = START.replace(hour=4, minute=0) + 2 * DAY
        expected = {
            row.card_id
            for row in rows
            if row.due is not None
            and row.state is not CardState.NEW
            and row.due >= tomorrow_but_one
            and not (row.suspended or row.buried)
        }
    assert set(search.card_ids(query)) == expected


def test_ids_search_by_the_collections_own_ids(search: SearchService) -> None:
    rows = {row.note_guid: row for row in search.rows_of(search.card_ids(""))}
    assert found(search, f"nid:{rows['mc'].note_id},{rows['tf'].note_id}") == {"mc:0", "tf:0"}
    assert found(search, f"cid:{rows['num'].card_id}") == {"num:0"}


def test_rows_show_each_card_as_the_list_does(search: SearchService) -> None:
    rows = {f"{row.note_guid}:{row.face}": row for row in search.rows("deck:Geo or deck:Science")}
    reverse = rows["berlin:1"]
    assert (reverse.question, reverse.answer, reverse.face_name) == (
        "Berlin",
        "Capital of Germany",
        "reverse",
    )
    assert reverse.suspended
    assert reverse.deck == "Geo::Europe::Central"
    assert rows["berlin:0"].flag == 2
    deletion = rows["cloze:1"]
    assert deletion.question == "[…] is the capital of Canada"
    assert deletion.answer == "[Ottawa] is the capital of Canada"
    assert (deletion.face_name, deletion.state, deletion.reviews) == ("c1", CardState.LEARNING, 1)
    lapsed = rows["lapsed:0"]
    assert (lapsed.reviews, lapsed.lapses, lapsed.state) == (5, 1, CardState.REVIEW)
    assert lapsed.interval >= 1
    assert lapsed.due is not None
    assert lapsed.retrievability is not None
    assert 0 < lapsed.retrievability < 1
    assert rows["mc:0"].answer == "Mars"
    assert rows["mc:0"].due is None  # new
    assert rows["paris:0"].added == OLD


def test_sorting_by_any_column_and_paging(search: SearchService) -> None:
    by_question = [
        f"{row.note_guid}:{row.face}" for row in search.rows("deck:Geo", CardColumn.QUESTION)
    ]
    assert by_question == ["berlin:1", "berlin:0", "cloze:1", "cloze:2", "paris:0"]
    by_reviews = search.rows("", CardColumn.REVIEWS, descending=True, limit=2)
    assert [row.note_guid for row in by_reviews] == ["lapsed", "paris"]
    by_deck = [row.deck for row in search.rows("", CardColumn.DECK)]
    assert by_deck == sorted(by_deck, key=str.lower)
    for column in CardColumn:
        ids = search.card_ids("", column)
        assert sorted(ids) == sorted(search.card_ids("")), column
        assert search.card_ids("", column, descending=True) == ids[::-1], column
    page = search.page("", CardColumn.CARD_ID, offset=10, limit=5)
    assert page.total == len(ALL_CARDS)
    assert [row.card_id for row in page.rows] == search.card_ids("")[10:15]


def test_the_notes_mode_lists_each_note_once(search: SearchService) -> None:
    assert search.count("capital", notes=True) == 3
    page = search.note_page("capital", NoteColumn.QUESTION)
    assert page.total == 3
    assert [row.note_guid for row in page.rows] == ["berlin", "cloze", "paris"]
    berlin = page.rows[0]
    assert (berlin.cards, berlin.deck, berlin.kind) == (
        2,
        "Geo::Europe::Central",
        NoteKind.BASIC_REVERSED,
    )
    assert search.note_ids("is:suspended") == [berlin.note_id]
    for column in NoteColumn:
        ids = search.note_ids("", column)
        assert sorted(ids) == sorted(search.note_ids("")), column
        assert search.note_ids("", column, descending=True) == ids[::-1], column


def test_edits_and_deletions_are_searched_at_once(app: App, search: SearchService) -> None:
    assert found(search, "fifteen") == set()
    changed = tuple(
        replace(
            item, note=replace(item.note, content=BasicContent("What does 5*3 give?", "fifteen"))
        )
        if item.note.guid == "star"
        else item
        for item in FIRST_BANK
        if item.note.guid != "lapsed"
    )
    with app.database.transaction() as store:
        insert_batch(
            store,
            ImportBatch("search-a.yaml", changed, global_guids=True),
            START,
            options=ImportOptions(delete_missing=True),
        )
    assert found(search, "fifteen") == {"star:0"}
    assert found(search, r"15\_x") == set()
    assert found(search, "boiling") == set()
    assert found(search, "edited:1 source:search-a*") == {"star:0"}


def test_a_malformed_search_raises_its_sentence(search: SearchService) -> None:
    with pytest.raises(UserError, match="is: takes new, learn"):
        search.card_ids("is:foo")
    with pytest.raises(UserError, match="never closed"):
        search.page('"open')


def test_a_regular_expression_past_its_time_stops_with_a_sentence(
    search: SearchService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "SEARCH_SECONDS", -1.0)
    with pytest.raises(UserError, match="took longer than"):
        search.card_ids("re:capital")
    monkeypatch.undo()
    assert found(search, "re:capital")  # the connection is usable again


PAST_RELEASE = Path(__file__).parents[1] / "data" / "databases" / "schema-0002.db"


def test_a_collection_from_a_past_release_is_searchable_after_its_upgrade(
    tmp_path: Path, clock: ManualClock
) -> None:
    copy = tmp_path / "old.db"
    copy.write_bytes(PAST_RELEASE.read_bytes())
    upgraded = open_app(copy, clock=clock, seed_banks=[])
    try:
        search = SearchService(upgraded.database, clock)
        assert search.count("") == search.count("is:new") + search.count("-is:new")
        found = search.rows("bias", limit=0)
        assert "ml-parameters/bias-role" in {row.note_guid for row in search.rows("bias")}
        assert found == []  # a page of no rows is empty
        answered = search.count("prop:reps>=1")
        assert answered == search.count("-prop:reps=0")
        assert answered > 0  # the answers given before the upgrade are counted
    finally:
        upgraded.close()
