"""Identities that travel: banks told apart, review and deck uids, change stamps, graves.

Also carries forward the identity of notes written by the first release, whose
ids were not yet scoped by their bank and whose bank was remembered by its path.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import json
import uuid
from pathlib import PurePosixPath, PureWindowsPath

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_FORMATS = {
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


def upgrade() -> None:
    op.create_table(
        "banks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("format", sa.String(20), nullable=False, server_default=""),
        sa.Column("declared_id", sa.Text(), nullable=True),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("namespace", sa.String(64), nullable=False, server_default=""),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("modified_at", sa.Integer(), nullable=False),
    )
    op.create_index("ix_banks_uid", "banks", ["uid"], unique=True)
    op.create_table(
        "graves",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("uid", sa.Text(), nullable=False),
        sa.Column("modified_hlc", sa.Integer(), nullable=False),
        sa.Column("modified_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_graves_kind_uid", "graves", ["kind", "uid"])
    stamp_columns = (
        ("modified_hlc", sa.Integer(), "0"),
        ("modified_by", sa.String(64), ""),
    )
    for table in ("presets", "decks", "notes", "cards"):
        for name, kind, default in stamp_columns:
            op.add_column(table, sa.Column(name, kind, nullable=False, server_default=default))
    for table in ("presets", "decks"):
        op.add_column(table, sa.Column("uid", sa.String(64), nullable=False, server_default=""))
    op.add_column("notes", sa.Column("bank_id", sa.Integer(), nullable=True))
    op.add_column("notes", sa.Column("bank_fingerprint", sa.String(64), nullable=True))
    op.add_column("cards", sa.Column("flag", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("cards", sa.Column("version", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("reviews", sa.Column("uid", sa.String(64), nullable=False, server_default=""))
    op.add_column("reviews", sa.Column("device", sa.String(64), nullable=False, server_default=""))
    op.add_column("reviews", sa.Column("choice_order", sa.JSON(), nullable=True))

    # Every row that must be told apart across machines gets its own random id.
    for table in ("presets", "decks", "reviews"):
        op.execute(f"UPDATE {table} SET uid = lower(hex(randomblob(16)))")  # noqa: S608
    op.execute("UPDATE notes SET modified_hlc = modified_at * 65536")
    op.execute(
        "INSERT INTO meta (key, value) SELECT 'device_id', lower(hex(randomblob(16))) "
        "WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'device_id')"
    )
    _carry_bank_identities(op.get_bind())

    op.create_index("ix_presets_uid", "presets", ["uid"], unique=True)
    op.create_index("ix_decks_uid", "decks", ["uid"], unique=True)
    op.create_index("ix_reviews_uid", "reviews", ["uid"], unique=True)
    op.create_index("ix_notes_bank", "notes", ["bank_id"])
    # SQLite adds a column with a foreign key only through a copy of the table; the
    # application keeps notes.bank_id pointing at banks (it never deletes a bank).


def _file_name(source: str) -> str:
    """The file name of a bank source, written as a POSIX or a Windows path."""
    return PureWindowsPath(PurePosixPath(source).name).name


def _carry_bank_identities(connection: sa.Connection) -> None:
    """One bank row per bank notes came from; scope the first release's note ids."""
    sources = [row[0] for row in connection.execute(sa.text("SELECT DISTINCT source FROM notes"))]
    banks: dict[str, int] = {}
    for source in sources:
        if not source:
            continue
        name = _file_name(source)
        path = source if name != source else None
        if name not in banks:
            banks[name] = _insert_bank(connection, name, path)
        elif path is not None:
            connection.execute(
                sa.text("UPDATE banks SET path = :path WHERE id = :id"),
                {"path": path, "id": banks[name]},
            )
        connection.execute(
            sa.text("UPDATE notes SET source = :name, bank_id = :bank WHERE source = :source"),
            {"name": name, "bank": banks[name], "source": source},
        )
    for name, bank_id in banks.items():
        if _FORMATS.get(PurePosixPath(name).suffix.lower()) == "yaml":
            _scope_native_ids(connection, bank_id, PurePosixPath(name).stem)


def _insert_bank(connection: sa.Connection, name: str, path: str | None) -> int:
    stamp = connection.execute(
        sa.text("SELECT COALESCE(MIN(created_at), 0) FROM notes WHERE source LIKE :pattern"),
        {"pattern": f"%{name}"},
    ).scalar_one()
    result = connection.execute(
        sa.text(
            "INSERT INTO banks (uid, name, format, declared_id, path, namespace, "
            "created_at, modified_at) VALUES (:uid, :name, :format, NULL, :path, '', "
            ":stamp, :stamp)"
        ),
        {
            "uid": uuid.uuid4().hex,
            "name": name,
            "format": _FORMATS.get(PurePosixPath(name).suffix.lower(), ""),
            "path": path,
            "stamp": stamp,
        },
    )
    assert result.lastrowid is not None
    return int(result.lastrowid)


def _scope_native_ids(connection: sa.Connection, bank_id: int, stem: str) -> None:
    """Give the notes of a YAML bank from the first release the ids they have now.

    The first release stored a YAML note's ``id`` as it was written (``q1``); later
    releases scope it by its bank (``bank/q1``).  Where a later re-import already
    made the scoped note beside the old one, the old one (with its history) takes its
    place, unless the newer one was studied too: then both stay.
    """
    rows = connection.execute(
        sa.text(
            "SELECT id, guid FROM notes WHERE bank_id = :bank "
            "AND instr(guid, '/') = 0 AND guid NOT LIKE 'h-%'"
        ),
        {"bank": bank_id},
    ).all()
    for note_id, guid in rows:
        scoped = f"{stem}/{guid}"
        twin = connection.execute(
            sa.text("SELECT id FROM notes WHERE guid = :guid"), {"guid": scoped}
        ).scalar()
        if twin is not None and not _drop_unstudied_twin(connection, twin, note_id):
            continue
        connection.execute(
            sa.text("UPDATE notes SET guid = :guid WHERE id = :id"), {"guid": scoped, "id": note_id}
        )


def _drop_unstudied_twin(connection: sa.Connection, twin: int, original: int) -> bool:
    """Delete ``twin`` (a duplicate made by re-importing) if it was never studied.

    The original note takes the twin's content, which is the bank's newer text.
    """
    studied = connection.execute(
        sa.text(
            "SELECT COUNT(*) FROM reviews JOIN cards ON cards.id = reviews.card_id "
            "WHERE cards.note_id = :twin"
        ),
        {"twin": twin},
    ).scalar_one()
    if studied:
        return False
    content = connection.execute(
        sa.text("SELECT kind, content, explanation, tags FROM notes WHERE id = :twin"),
        {"twin": twin},
    ).one()
    connection.execute(sa.text("DELETE FROM cards WHERE note_id = :twin"), {"twin": twin})
    connection.execute(sa.text("DELETE FROM notes WHERE id = :twin"), {"twin": twin})
    connection.execute(
        sa.text(
            "UPDATE notes SET kind = :kind, content = :content, explanation = :explanation, "
            "tags = :tags WHERE id = :id"
        ),
        {
            "kind": content.kind,
            "content": content.content
            if isinstance(content.content, str)
            else json.dumps(content.content),
            "explanation": content.explanation,
            "tags": content.tags,
            "id": original,
        },
    )
    return True


def downgrade() -> None:
    for index, table in (
        ("ix_notes_bank", "notes"),
        ("ix_reviews_uid", "reviews"),
        ("ix_decks_uid", "decks"),
        ("ix_presets_uid", "presets"),
    ):
        op.drop_index(index, table_name=table)
    with op.batch_alter_table("reviews") as batch:
        for column in ("choice_order", "device", "uid"):
            batch.drop_column(column)
    with op.batch_alter_table("cards") as batch:
        for column in ("version", "flag", "modified_by", "modified_hlc"):
            batch.drop_column(column)
    with op.batch_alter_table("notes") as batch:
        for column in ("bank_fingerprint", "bank_id", "modified_by", "modified_hlc"):
            batch.drop_column(column)
    for table in ("decks", "presets"):
        with op.batch_alter_table(table) as batch:
            for column in ("uid", "modified_by", "modified_hlc"):
                batch.drop_column(column)
    op.drop_index("ix_graves_kind_uid", table_name="graves")
    op.drop_table("graves")
    op.drop_index("ix_banks_uid", table_name="banks")
    op.drop_table("banks")
