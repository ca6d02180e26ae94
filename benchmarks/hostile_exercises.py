"""Hostile shapes of exercise templates, card HTML, cloze notes and Anki packages, for
``hostile_bench.py``.

Each maker writes its file into the folder it is given and returns the path.  Shapes
whose harm shows only past parsing run a small driver instead of ``quizapp validate``:
an import into a new collection without the bundled banks (the media renaming, the
review history replayed by the scheduler), or the card renderer showing a cloze
note's question and answer, as the reviewer and the import preview do.

The sizes are those the attacks were first run at; pass ``scale`` to :func:`shapes` to
try the same shapes smaller or larger.
"""

from __future__ import annotations

import io
import sqlite3
import sys
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from hostile_bench import Shape

Maker = Callable[[Path], Path]
UPDATE1 = Path(__file__).resolve().parents[1] / "tests" / "data" / "apkg" / "anki-update1.apkg"

# Imports the file into a new collection beside it, without the bundled banks.
_IMPORT = (
    "import sys; from pathlib import Path; from quizapp.bootstrap import open_app; "
    "path = Path(sys.argv[1]); app = open_app(path.with_suffix('.db'), seed_banks=[]); "
    "print(app.banks.import_file(path)); app.close()"
)
# Shows the cloze note in the file as the reviewer does: question and answer of two cards.
_RENDER_CLOZE = (
    "import sys; from pathlib import Path; "
    "from quizapp.domain import ClozeContent, Note, NoteKind, TextFormat; "
    "from quizapp.services.card_html import CardRenderer; "
    "note = Note('n', NoteKind.CLOZE, ClozeContent(Path(sys.argv[1]).read_text()), "
    "text_format=TextFormat.HTML); renderer = CardRenderer(); "
    "shown = [renderer.question(note, f) + renderer.answer(note, f) for f in (1, 2)]; "
    "print(sum(map(len, shown)), 'characters shown')"
)


def _import_command() -> list[str]:
    return [sys.executable, "-c", _IMPORT, "{file}"]


def _write(name: str, content: str | bytes) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / name
        data = content.encode() if isinstance(content, str) else content
        path.write_bytes(data)
        return path

    return make


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _exercise_bank(explanation_tail: str) -> str:
    """A bank of one sound exercise whose explanation ends with ``explanation_tail``."""
    explanation = _quoted("{a} + {b} = {answer}. " + explanation_tail)
    return (
        "quizapp_bank: 1\ndecks:\n  - name: Hostile\n    notes:\n"
        "      - id: sum\n        kind: exercise\n        variables:\n"
        "          - {name: a, integer: [1, 9]}\n          - {name: b, integer: [1, 9]}\n"
        '        question: "What is {a} + {b}?"\n        answer: "a + b"\n'
        f"        explanation: {explanation}\n"
    )


def _lists_bank(count: int) -> str:
    """An exercise with ``count`` list variables and a constraint no values meet."""
    variables = "".join(
        f"          - {{name: v{i}, integer_list: [1, 9], length: [10, 30]}}\n"
        for i in range(count)
    )
    return (
        "quizapp_bank: 1\ndecks:\n  - name: Hostile\n    notes:\n"
        "      - id: lists\n        kind: exercise\n        variables:\n"
        f"{variables}"
        '        constraints:\n          - "sum(v0) > sum(v1) + 1000"\n'
        '        question: "What is the sum of {v0}?"\n        answer: "sum(v0)"\n'
        '        explanation: "The sum is {answer}."\n'
    )


def _html_bank(front: str) -> Maker:
    """A bank with an image beside it, so that an import renames its notes' sources, and a
    plain-text note (not sanitized: its text is kept as written) with ``front``."""
    bank = (
        "quizapp_bank: 1\ndecks:\n  - name: Hostile\n    notes:\n"
        "      - id: picture\n        format: html\n"
        "        front: '<img src=\"diagram.png\"> What does this show?'\n        back: B.\n"
        f"      - id: text\n        front: {_quoted(front)}\n        back: B.\n"
    )

    def make(folder: Path) -> Path:
        (folder / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(24))
        return _write("img.yaml", bank)(folder)

    return make


def _cloze_bank(text: str) -> str:
    return (
        "quizapp_bank: 1\ndecks:\n  - name: Hostile\n    notes:\n"
        f"      - id: cloze\n        kind: cloze\n        text: {_quoted(text)}\n"
    )


def _answers_dated(year: int) -> Maker:
    """An Anki package of one note answered (Easy) in 2023 and on 31 December ``year``."""

    def make(folder: Path) -> Path:
        with zipfile.ZipFile(UPDATE1) as archive:
            entries = {name: archive.read(name) for name in archive.namelist()}
        with tempfile.TemporaryDirectory() as scratch:
            collection = Path(scratch) / "collection.anki2"
            collection.write_bytes(entries["collection.anki2"])
            connection = sqlite3.connect(collection)
            with connection:
                (card,) = connection.execute("SELECT id FROM cards").fetchone()
                for when in (
                    datetime(2023, 11, 14, tzinfo=UTC),
                    datetime(year, 12, 31, tzinfo=UTC),
                ):
                    connection.execute(
                        "INSERT INTO revlog VALUES (?, ?, 0, 4, 1, 0, 2500, 4000, 1)",
                        (int(when.timestamp() * 1000), card),
                    )
            connection.close()
            entries["collection.anki2"] = collection.read_bytes()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries.items():
                archive.writestr(name, data)
        return _write(f"answered-{year}.apkg", buffer.getvalue())(folder)

    return make


def _zstd_bomb(total: int, padding: int) -> Maker:
    """A current package whose collection is a zstd frame of ``total`` zeros (RLE blocks,
    no size declared) followed by a skippable frame of ``padding`` bytes, so that its
    packed size times the allowed ratio passes the 2 GiB QuizApp unpacks."""
    block = 128 * 1024
    count = total // block
    frame = bytearray(b"\x28\xb5\x2f\xfd\x00\x38")
    for index in range(count):
        last = 1 if index == count - 1 else 0
        frame += ((block << 3) | (1 << 1) | last).to_bytes(3, "little") + b"\x00"
    pad = b"\x50\x2a\x4d\x18" + padding.to_bytes(4, "little") + bytes(padding)

    def make(folder: Path) -> Path:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr("meta", b"\x08\x03")
            archive.writestr("collection.anki21b", bytes(frame) + pad)
        return _write("bomb.apkg", buffer.getvalue())(folder)

    return make


def shapes(scale: float = 1.0) -> list[Shape]:
    """The hostile exercise, HTML, cloze and package shapes, at the attacks' sizes."""

    def n(count: int) -> int:
        return max(1, int(count * scale))

    ones = "+".join(["1"] * (n(4_000) // 2))
    cloze = "{{c1::a}}" + "{{c1::" * n(1_000)
    return [
        Shape("exercise_ones_4k", _write("ones.yaml", _exercise_bank(ones)), None),
        Shape(
            "exercise_spaces_4k",
            _write("spaces.yaml", _exercise_bank("1 =" + " " * n(4_000) + "x")),
            None,
        ),
        Shape("exercise_lists_100", _write("lists.yaml", _lists_bank(n(100))), None),
        Shape("html_img_10k", _html_bank("<img " * n(10_000)), _import_command()),
        Shape("html_img_100kb", _html_bank("<img " * n(20_000)), _import_command()),
        Shape(
            "cloze_render_6kb",
            _write("cloze.txt", cloze),
            [sys.executable, "-c", _RENDER_CLOZE, "{file}"],
        ),
        Shape("cloze_validate_6kb", _write("cloze.yaml", _cloze_bank(cloze)), None),
        Shape("apkg_answer_9999", _answers_dated(9999), _import_command()),
        Shape("apkg_zstd_bomb_padded", _zstd_bomb(3 * 1024**3, n(11 * 1024**2)), None),
    ]
