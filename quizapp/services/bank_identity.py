"""Which stored bank a file is: never guessed from its name alone.

A file is the same bank as one imported before when it comes from the same path,
declares the same id (a YAML bank's ``id``), or its notes carry ids of their own
(Anki's guids) that the stored bank's notes have.  A file without ids of its own
from somewhere else, whose name or note ids match a stored bank, could be a new
version of that bank or another teacher's file of the same name: the import
does not guess, it raises :class:`BankQuestion` and the user says which
(:class:`BankChoice`).  A file kept apart from a bank of the same name gets a
namespace that is added to the ids its notes are given, so the two never meet.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from pathlib import Path

from quizapp.domain import BatchNote, BatchReview, ImportBatch
from quizapp.domain.wording import count
from quizapp.errors import UserError
from quizapp.storage import Store
from quizapp.storage.bank_repository import StoredBank


class BankChoice(Enum):
    """What the user said about a file that could be a bank imported before."""

    AUTO = "auto"  # decide only when it is certain; else ask
    SAME = "same"  # it is a new version of the stored bank of that name
    NEW = "new"  # it is another bank: keep both


@dataclass(frozen=True, slots=True)
class ResolvedBank:
    """The stored bank an import writes to, and the namespace of its made-up ids."""

    id: int
    name: str
    namespace: str


class BankQuestion(UserError):
    """The file could be a bank imported before, or another one: the user must say."""

    def __init__(self, path: str, candidates: list[StoredBank], *, several: bool = False) -> None:
        self.path = path
        self.candidates = candidates
        if several:  # told "same bank", but more than one bank could be meant
            listed = "; ".join(f"{bank.uid} ({_describe(bank)})" for bank in candidates)
            super().__init__(
                f"{path}: several banks imported before could be the one this file is a new "
                f"version of: {listed}. Say which with --same-bank ID."
            )
            return
        described = "; ".join(_describe(bank) for bank in candidates)
        name = Path(path).name
        alike = (
            "another bank with the same name"
            if any(bank.name == name for bank in candidates)
            else "another bank whose questions have the same titles or ids"
        )
        super().__init__(
            f"{path}: this file could be a new version of a bank imported before "
            f"({described}), or {alike}. QuizApp will not guess: import it again with "
            "--same-bank to update that bank, or with --new-bank to keep both."
        )


def _describe(bank: StoredBank) -> str:
    where = f"from {bank.path}" if bank.path else "from a place not recorded"
    return f"{bank.name} {where}, {count(bank.notes, 'note')}"


def resolve_bank(
    store: Store,
    batch: ImportBatch,
    now: datetime,
    choice: BankChoice = BankChoice.AUTO,
    same_as: str | None = None,
) -> tuple[ResolvedBank, ImportBatch]:
    """The bank ``batch`` belongs to (made if new), and the batch with its ids namespaced.

    ``same_as`` (a stored bank's uid) says which bank a :attr:`BankChoice.SAME` file is a
    new version of; without it, the bank of the file's name.
    """
    path = _absolute(batch.source)
    name = Path(batch.source).name
    banks = store.banks.all()
    if choice is BankChoice.SAME and same_as is not None:
        bank = next((stored for stored in banks if stored.uid == same_as), None)
        if bank is None:
            raise UserError(f"{batch.source}: there is no stored bank with the id {same_as}.")
    else:
        bank = _choose(store, batch, path, name, banks, choice)
    if bank is None:
        namespace = ""
        if choice is BankChoice.NEW and (
            any(other.name == name for other in banks) or _owners(store, batch, banks)
        ):
            namespace = _fresh_namespace(name, banks)
        bank_id = store.banks.add(
            name, _format_of(name), batch.identity or None, path, namespace, now
        )
        resolved = ResolvedBank(bank_id, name, namespace)
    else:
        store.banks.record_import(bank.id, path, batch.identity or None, now)
        resolved = ResolvedBank(bank.id, name, bank.namespace)
    return resolved, namespaced(batch, resolved.namespace)


def _choose(
    store: Store,
    batch: ImportBatch,
    path: str,
    name: str,
    banks: list[StoredBank],
    choice: BankChoice,
) -> StoredBank | None:
    same_name = [bank for bank in banks if bank.name == name]
    if choice is BankChoice.NEW:
        return None
    if choice is BankChoice.SAME:
        at_path = [bank for bank in same_name if bank.path == path]
        if at_path or len(same_name) == 1:
            return (at_path or same_name)[-1]
        candidates = same_name or [bank for bank, _ in _owners(store, batch, banks)]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            return None
        raise BankQuestion(batch.source, store.banks.with_counts(candidates), several=True)
    at_path = [bank for bank in banks if bank.path == path]
    if at_path:
        return at_path[-1]
    if batch.identity:
        declared = [bank for bank in banks if bank.declared_id == batch.identity]
        if declared:
            return declared[-1]
    held = _owners(store, batch, banks)
    if batch.identity or batch.global_guids:
        # Ids of the bank's own: the stored notes that have them are this bank's.
        return max(held, key=lambda pair: pair[1])[0] if held else None
    owners = [bank for bank, _ in held]
    owner_ids = {bank.id for bank in owners}
    candidates = [
        bank
        for bank in store.banks.with_counts(same_name)
        if bank.notes and bank.id not in owner_ids
    ]
    candidates += store.banks.with_counts(owners)
    if not candidates:
        return None
    raise BankQuestion(batch.source, candidates)


def _owners(
    store: Store, batch: ImportBatch, banks: list[StoredBank]
) -> list[tuple[StoredBank, int]]:
    """The stored banks that hold notes with the ids this batch gives (without namespace),
    each with how many."""
    by_id = {bank.id: bank for bank in banks}
    held = store.banks.owners([item.note.guid for item in batch.notes])
    return [(by_id[bank_id], count) for bank_id, count in held.items() if bank_id in by_id]


def _fresh_namespace(name: str, banks: list[StoredBank]) -> str:
    taken = {bank.namespace for bank in banks if bank.name == name}
    namespace = uuid.uuid4().hex[:8]
    while namespace in taken:
        namespace = uuid.uuid4().hex[:8]
    return namespace


def namespaced(batch: ImportBatch, namespace: str) -> ImportBatch:
    """``batch`` with ``~namespace`` added to every note id it made up (not ids of its own)."""
    if not namespace or batch.global_guids:
        return batch

    def guid(original: str) -> str:
        return f"{original}~{namespace}"

    notes = tuple(
        BatchNote(
            replace(item.note, guid=guid(item.note.guid)),
            item.deck,
            item.line,
            item.suspended_faces,
        )
        for item in batch.notes
    )
    reviews = tuple(
        BatchReview(guid(r.guid), r.face, r.reviewed_at, r.rating, r.duration_ms)
        for r in batch.reviews
    )
    lines = {(guid(note_guid), part): line for (note_guid, part), line in batch.field_lines.items()}
    return replace(batch, notes=notes, reviews=reviews, field_lines=lines)


def _absolute(source: str) -> str:
    try:
        return str(Path(source).expanduser().resolve())
    except (OSError, RuntimeError):
        return source


_SUFFIX_FORMATS = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".gift": "gift",
    ".xml": "moodle-xml",
    ".apkg": "apkg",
    ".colpkg": "apkg",
}


def _format_of(name: str) -> str:
    return _SUFFIX_FORMATS.get(Path(name).suffix.lower(), "")
