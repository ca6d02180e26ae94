"""Decks, presets and meta facts; :class:`Store` groups every repository of one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, delete, func, insert, select, update

from quizapp.domain import Deck, SchedulingPreset
from quizapp.domain.decks import DECK_SEPARATOR
from quizapp.storage.bank_repository import BankRepository
from quizapp.storage.card_repository import CardRepository
from quizapp.storage.hot_repositories import HotDecks, HotMeta, HotStore
from quizapp.storage.models import (
    DeckRow,
    GraveRow,
    PresetRow,
)
from quizapp.storage.note_repository import NoteRepository
from quizapp.storage.review_repository import ReviewRepository
from quizapp.storage.snapshots import SnapshotRepository
from quizapp.storage.stamps import device_stamps


class DeckRepository(HotDecks):
    """Decks and their presets (read in :class:`HotDecks`)."""

    def ensure(self, name: str, preset_id: int, stamp: tuple[int, str] | None = None) -> Deck:
        """The deck ``name``, created with its missing parents if need be.

        ``stamp`` is the change stamp of decks created (by default: none yet, this device).
        """
        parts = name.split(DECK_SEPARATOR)
        hlc, device = stamp if stamp is not None else (0, device_stamps(self._connection).device)
        deck: Deck | None = None
        for depth in range(1, len(parts) + 1):
            level_name = DECK_SEPARATOR.join(parts[:depth])
            deck = self.by_name(level_name)
            if deck is None:
                deck_id = self._connection.execute(
                    insert(DeckRow).values(
                        name=level_name,
                        preset_id=preset_id,
                        uid=uuid.uuid4().hex,
                        modified_hlc=hlc,
                        modified_by=device,
                    )
                ).inserted_primary_key
                assert deck_id is not None
                deck = Deck(id=deck_id[0], name=level_name, preset_id=preset_id)
        assert deck is not None
        return deck

    def rename(self, names: Mapping[int, str], stamp: tuple[int, str]) -> None:
        """Give each deck its new name, as one change."""
        hlc, device = stamp
        for deck_id, name in names.items():
            self._connection.execute(
                update(DeckRow)
                .where(DeckRow.id == deck_id)
                .values(name=name, modified_hlc=hlc, modified_by=device)
            )

    def delete(self, deck_ids: Sequence[int], stamp: tuple[int, str]) -> None:
        """Delete these decks (their cards must be gone first), leaving a grave for each."""
        hlc, device = stamp
        for start in range(0, len(deck_ids), 900):
            chunk = deck_ids[start : start + 900]
            uids = self._connection.execute(
                select(DeckRow.uid).where(DeckRow.id.in_(chunk))
            ).scalars()
            graves = [
                {"kind": "deck", "uid": uid, "modified_hlc": hlc, "modified_by": device}
                for uid in uids
            ]
            if graves:
                self._connection.execute(insert(GraveRow), graves)
            self._connection.execute(delete(DeckRow).where(DeckRow.id.in_(chunk)))

    def default_preset_id(self) -> int:
        """The id of the first preset, made with default settings when there is none."""
        found = self._connection.execute(select(func.min(PresetRow.id))).scalar()
        if found is not None:
            return int(found)
        default = SchedulingPreset()
        result = self._connection.execute(
            insert(PresetRow).values(
                uid=uuid.uuid4().hex,
                modified_by=device_stamps(self._connection).device,
                name=default.name,
                desired_retention=default.desired_retention,
                learning_steps=list(default.learning_steps),
                relearning_steps=list(default.relearning_steps),
                maximum_interval_days=default.maximum_interval_days,
                new_per_day=default.new_per_day,
                reviews_per_day=default.reviews_per_day,
                fuzz=default.fuzz,
            )
        )
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])


class MetaRepository(HotMeta):
    """Small facts about the collection."""


class Store(HotStore):
    """The repositories of one SQLAlchemy transaction, all on the same connection."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        self.connection: Connection = connection
        self.decks: DeckRepository = DeckRepository(connection)
        self.notes: NoteRepository = NoteRepository(connection)
        self.cards: CardRepository = CardRepository(connection)
        self.reviews: ReviewRepository = ReviewRepository(connection)
        self.meta: MetaRepository = MetaRepository(connection)
        self.banks = BankRepository(connection)
        self.snapshots = SnapshotRepository(connection)
