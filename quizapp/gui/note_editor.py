"""The note editor: add a note of any kind (A) or edit one (E, or a double-click in the browser).

Ctrl+Enter saves; Esc asks before throwing changes away.  Adding keeps the window
open for the next note, as Anki's Add window does; editing closes it.  Every save
is one step of the collection's undo history (the service pushes it).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from quizapp.bootstrap import App
from quizapp.domain import NoteContent, NoteKind, TextFormat, cloze_numbers
from quizapp.domain.wording import count
from quizapp.errors import QuizAppError
from quizapp.gui.errors import show_error
from quizapp.gui.note_editor_fields import FORMS, NoteForm
from quizapp.gui.note_editor_parts import KIND_LABELS, TagsEdit, editor_style, format_bar
from quizapp.gui.note_editor_rows import FieldError
from quizapp.gui.rich_text import RichTextEdit
from quizapp.gui.template_editor import TemplateForm
from quizapp.gui.theme import current_colors
from quizapp.gui.widgets import named, restyle
from quizapp.services.editor_support import collection_tags, duplicate_in_deck
from quizapp.services.note_checks import InvalidNote
from quizapp.services.notes_editing import EditableNote

DUPLICATE_DELAY_MS = 300


def _form(app: App, kind: NoteKind) -> NoteForm:
    return TemplateForm(app) if kind is NoteKind.EXERCISE else FORMS[kind](app, kind)


class NoteEditorDialog(QDialog):
    """Adds notes (:meth:`for_new`) or edits one (:meth:`for_note`)."""

    saved = Signal(object)  # SavedNote

    def __init__(self, parent: QWidget | None, app: App, editable: EditableNote | None) -> None:
        super().__init__(parent)
        self.setObjectName("noteEditor")
        self.app = app
        self.editable = editable
        self.kind = editable.note.kind if editable else NoteKind.BASIC
        self.is_html = bool(editable and editable.note.text_format is TextFormat.HTML)
        self.dirty = False
        self.question: QMessageBox | None = None  # the question open now (discard, cloze)
        self.setWindowTitle("Edit note" if editable else "Add note")
        self.setStyleSheet(editor_style(current_colors(_qt_app())))
        self.resize(880, 720)
        self._active: RichTextEdit | None = None
        self._duplicate_timer = QTimer(self)
        self._duplicate_timer.setSingleShot(True)
        self._duplicate_timer.setInterval(DUPLICATE_DELAY_MS)
        self._duplicate_timer.timeout.connect(self.check_duplicate)
        self._build()
        self._set_form(self.kind)
        if editable is not None:
            self._load(editable)
        self.dirty = False

    @classmethod
    def for_new(
        cls, parent: QWidget | None, app: App, deck_id: int | None = None
    ) -> NoteEditorDialog:
        """The Add window, on the deck ``deck_id`` (else the first deck)."""
        dialog = cls(parent, app, None)
        names = [dialog.deck_choice.itemText(i) for i in range(dialog.deck_choice.count())]
        wanted = next((c.deck.name for c in app.decks.overview() if c.deck.id == deck_id), None)
        if wanted in names:
            dialog.deck_choice.setCurrentText(wanted)
        dialog.dirty = False
        return dialog

    @classmethod
    def for_note(cls, parent: QWidget | None, app: App, note_id: int) -> NoteEditorDialog:
        """The Edit window on note ``note_id``; raises UserError when it is gone."""
        return cls(parent, app, app.note_editor.open(note_id))

    # -- building ----------------------------------------------------------------------

    def _build(self) -> None:
        header = QGridLayout()
        header.setHorizontalSpacing(10)
        self.kind_choice = named(QComboBox(), "kindChoice")
        self.kind_choice.setAccessibleName("Kind of note")
        for kind, label in KIND_LABELS.items():
            self.kind_choice.addItem(label, kind.value)
        self.kind_choice.setCurrentIndex(list(KIND_LABELS).index(self.kind))
        self.kind_choice.setEnabled(self.editable is None)  # a note's kind cannot change
        self.kind_choice.currentIndexChanged.connect(self._on_kind_changed)
        self.deck_choice = named(QComboBox(), "deckChoice")
        self.deck_choice.setAccessibleName("Deck")
        self.deck_choice.setEditable(self.editable is None)  # a new name makes a deck
        self.deck_choice.addItems([c.deck.name for c in self.app.decks.overview()] or ["Default"])
        if self.editable is not None:
            self.deck_choice.setCurrentText(self.editable.deck_name)
            self.deck_choice.setEnabled(False)
            self.deck_choice.setToolTip("Move the cards to another deck in the browser (Ctrl+D)")
        for column, (title, widget) in enumerate(
            (("&Kind:", self.kind_choice), ("&Deck:", self.deck_choice))
        ):
            caption = named(QLabel(title), "fieldLabel")
            caption.setBuddy(widget)
            header.addWidget(caption, 0, column * 2)
            header.addWidget(widget, 0, column * 2 + 1)
            header.setColumnStretch(column * 2 + 1, 1)
        self.format_bar, self.format_actions, self.format_buttons = format_bar(
            self, self._on_format
        )
        self.scroll_area = named(QScrollArea(), "editorScroll")
        self.scroll_area.setWidgetResizable(True)
        self.preview_area = named(QScrollArea(), "previewScroll")
        self.preview_area.setWidgetResizable(True)
        self.preview_area.setFixedWidth(340)
        self.preview_area.hide()
        self.duplicate_label = named(QLabel(), "duplicateWarning")
        self.duplicate_label.setWordWrap(True)
        self.duplicate_label.hide()
        self.status = named(QLabel(), "editorStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setIcon(QIcon())  # the theme's dark icon vanishes on the dark palette
        self.save_button = buttons.addButton(
            "&Add" if self.editable is None else "&Save", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("saveButton")
        self.save_button.setProperty("primary", True)
        self.save_button.setToolTip("Ctrl+Enter")
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        self.deck_choice.currentTextChanged.connect(self._on_field_changed)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.format_bar)
        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(self.scroll_area, 1)
        body.addWidget(self.preview_area)
        layout.addLayout(body, 1)
        layout.addWidget(self.duplicate_label)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def _set_form(self, kind: NoteKind) -> None:
        self.kind = kind
        self.form = _form(self.app, kind)
        if not isinstance(self.form, TemplateForm):
            self.explanation = self.form.rich("explanation", "E&xplanation:", 64)
        self.tags = TagsEdit(collection_tags(self.app.database))
        self.form.add_field("tags", "&Tags:", self.tags)
        page = named(QWidget(), "editorPage")
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 8, 0)
        page_layout.addWidget(self.form)
        page_layout.addStretch(1)
        self.scroll_area.setWidget(page)  # the old page goes with its form
        self.format_bar.setVisible(bool(self.form.rich_fields))
        if isinstance(self.form, TemplateForm):
            self.preview_area.setWidget(self.form.preview)
        self.preview_area.setVisible(isinstance(self.form, TemplateForm))
        self.format_actions["cloze"].setEnabled(kind is NoteKind.CLOZE)
        self.format_buttons["cloze"].setVisible(kind is NoteKind.CLOZE)
        for field in self.form.rich_fields:
            field.focused.connect(self._on_rich_focused)
        self._active = self.form.rich_fields[0] if self.form.rich_fields else None
        self.form.changed.connect(self._on_field_changed)
        self.tags.textChanged.connect(self._on_field_changed)
        self.form.first_field.setFocus()
        self.resize(max(self.width(), 1220 if kind is NoteKind.EXERCISE else 880), self.height())

    def _load(self, editable: EditableNote) -> None:
        note = editable.note
        self.form.load(note.content, self.is_html)
        if not isinstance(self.form, TemplateForm):
            self.explanation.set_text(note.explanation, self.is_html)
        self.tags.setText(" ".join(note.tags))
        self.check_duplicate()

    # -- saving ----------------------------------------------------------------------

    def save(self) -> None:
        """Check and save the note (asking first when cloze cards would go)."""
        written = self._written()
        if written is None:
            return
        content, text_format = written
        if self.editable is None:
            self._add(content, text_format)
            return
        assert self.editable.note.id is not None
        try:
            impact = self.app.note_editor.edit_impact(self.editable.note.id, content)
        except QuizAppError as error:
            show_error(self, error)
            return
        if impact.cards_removed:
            self._ask_cloze_removal(len(impact.cards_removed), impact.reviews_removed, written)
        else:
            self._edit(content, text_format, delete_removed=False)

    def _written(self) -> tuple[NoteContent, TextFormat] | None:
        """The note as written, or None when a field cannot be read (shown at it)."""
        rich = [*self.form.rich_fields]
        is_html = self.is_html or any(field.has_markup() for field in rich)
        try:
            content = self.form.content(is_html)
        except FieldError as error:
            self._show_problems({error.field: [error.message]})
            return None
        self.is_html = is_html
        return content, TextFormat.HTML if is_html else TextFormat.PLAIN

    def _explanation(self) -> str:
        if isinstance(self.form, TemplateForm):
            return ""
        return self.explanation.html() if self.is_html else self.explanation.plain()

    def _add(self, content: NoteContent, text_format: TextFormat) -> None:
        deck = self.deck_choice.currentText()
        try:
            saved = self.app.note_editor.add_note(
                self.kind, content, deck, self.tags.tags(), self._explanation(), text_format
            )
        except InvalidNote as invalid:
            self._show_invalid(invalid)
            return
        except QuizAppError as error:
            show_error(self, error)
            return
        self.saved.emit(saved)
        tags = self.tags.text()
        self._set_form(self.kind)  # a fresh form for the next note, in the same deck
        self.tags.setText(tags)
        self.is_html = False
        self.dirty = False
        self._say(
            f"Added {count(len(saved.card_ids), 'card')} to {deck.strip()}. "
            "Edit ▸ Undo in the main window (Ctrl+Z) takes it back.",
            done=True,
        )

    def _edit(self, content: NoteContent, text_format: TextFormat, delete_removed: bool) -> None:
        assert self.editable is not None
        assert self.editable.note.id is not None
        try:
            saved = self.app.note_editor.edit_note(
                self.editable.note.id,
                content,
                self.tags.tags(),
                self._explanation(),
                text_format,
                stamp=self.editable.stamp,
                delete_removed_cards=delete_removed,
            )
        except InvalidNote as invalid:
            self._show_invalid(invalid)
            return
        except QuizAppError as error:
            show_error(self, error)
            return
        self.saved.emit(saved)
        self.dirty = False
        self.accept()

    def _ask_cloze_removal(
        self, cards: int, reviews: int, written: tuple[NoteContent, TextFormat]
    ) -> None:
        box = named(
            QMessageBox(
                QMessageBox.Icon.Question,
                "Cloze deletions removed",
                f"The text no longer has {count(cards, 'deletion')} that had "
                f"{'a card' if cards == 1 else 'cards'} ({count(reviews, 'review')}).",
                QMessageBox.StandardButton.Cancel,
                self,
            ),
            "clozeRemovalQuestion",
        )
        box.setInformativeText(
            "Suspend keeps the cards and their history aside; Delete removes them with "
            "their reviews. Either can be undone with Ctrl+Z."
        )
        suspend = box.addButton("&Suspend the cards", QMessageBox.ButtonRole.AcceptRole)
        delete = box.addButton("&Delete them", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(suspend)

        def on_finished() -> None:
            if box.clickedButton() in (suspend, delete):
                self._edit(*written, delete_removed=box.clickedButton() is delete)

        box.finished.connect(on_finished)
        self.question = box
        box.open()

    def _show_invalid(self, invalid: InvalidNote) -> None:
        problems: dict[str, list[str]] = {}
        for problem in invalid.problems:
            problems.setdefault(problem.field, []).append(problem.message)
        self._show_problems(problems)

    def _show_problems(self, problems: dict[str, list[str]]) -> None:
        elsewhere = self.form.show_problems(problems)
        if elsewhere:
            self._say("The note cannot be saved: " + "; ".join(elsewhere) + ".")
        else:
            self._say("The note cannot be saved yet: see the fields marked in red.")

    def _say(self, text: str, done: bool = False) -> None:
        self.status.setText(text)
        restyle(self.status, "outcome", "done" if done else "")
        self.status.show()

    # -- checks, keys and closing ------------------------------------------------------

    def check_duplicate(self) -> None:
        """Warn when the first field already begins another note of the deck."""
        self._duplicate_timer.stop()
        note_id = self.editable.note.id if self.editable else None
        try:
            warning = duplicate_in_deck(
                self.app.database, self.deck_choice.currentText(), self.form.first_text(), note_id
            )
        except QuizAppError:
            warning = None  # a deck name being typed: nothing to compare with yet
        self.duplicate_label.setText(warning or "")
        self.duplicate_label.setVisible(warning is not None)

    def wrap_cloze(self) -> None:
        """Hide the selection (or an empty deletion at the cursor) as the next ``{{cN::…}}``."""
        field = self._active
        if field is None or self.kind is not NoteKind.CLOZE:
            return
        texts = " ".join(edit.plain() for edit in self.form.rich_fields)
        number = max(cloze_numbers(texts), default=0) + 1
        cursor = field.textCursor()
        selected = cursor.selectedText()
        cursor.insertText(f"{{{{c{number}::{selected}}}}}")
        if not selected:
            cursor.movePosition(cursor.MoveOperation.Left, n=2)
            field.setTextCursor(cursor)
        field.setFocus()

    def reject(self) -> None:
        """Esc or Close: straight away when nothing changed, else after asking."""
        if not self.dirty:
            super().reject()
            return
        box = named(
            QMessageBox(
                QMessageBox.Icon.Question,
                "Discard changes?",
                "Close without saving? What you wrote in this note is lost.",
                QMessageBox.StandardButton.Cancel,
                self,
            ),
            "discardQuestion",
        )
        discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.button(QMessageBox.StandardButton.Cancel).setText("&Keep editing")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def on_finished() -> None:
            if box.clickedButton() is discard:
                self.dirty = False
                super(NoteEditorDialog, self).reject()

        box.finished.connect(on_finished)
        self.question = box
        box.open()

    def _on_kind_changed(self, index: int) -> None:
        kind = NoteKind(self.kind_choice.itemData(index))
        if kind is not self.kind:
            tags = self.tags.text()
            self._set_form(kind)
            self.tags.setText(tags)

    def _on_field_changed(self) -> None:
        self.dirty = True
        self.status.hide()
        self._duplicate_timer.start()

    def _on_rich_focused(self, field: object) -> None:
        if isinstance(field, RichTextEdit):
            self._active = field

    def _on_format(self, name: str) -> None:
        field = self._active
        if name == "cloze":
            self.wrap_cloze()
            return
        if field is None:
            return
        if name == "image":
            path, _ = QFileDialog.getOpenFileName(
                self, "Insert an image", "", "Images (*.png *.jpg *.jpeg *.gif *.webp *.svg)"
            )
            if path:
                from pathlib import Path

                field.insert_image(Path(path).name, Path(path).read_bytes())
            return
        actions = {
            "bold": field.toggle_bold,
            "italic": field.toggle_italic,
            "code": field.toggle_code,
            "bullets": lambda: field.toggle_list(numbered=False),
            "numbers": lambda: field.toggle_list(numbered=True),
            "link": field.ask_link,
        }
        actions[name]()
        field.setFocus()


def _qt_app() -> QApplication:
    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    return instance


__all__ = ["NoteEditorDialog"]
