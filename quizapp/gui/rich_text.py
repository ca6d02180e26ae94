"""A rich-text field of the note editor: bold, italic, code, lists, links and images.

What it saves is not Qt's own HTML (a whole document of inline styles, which the
sanitizer would strip to nothing) but the few tags the cards use, written from the
document's blocks and fragments (:func:`document_html`).  A pasted or dropped image
goes into the collection's media folder and the field refers to it by its stored name.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QUrl, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QFont,
    QImage,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
    QTextImageFormat,
    QTextListFormat,
)
from PySide6.QtWidgets import QInputDialog, QTextEdit, QWidget

from quizapp.bootstrap import App
from quizapp.errors import QuizAppError
from quizapp.gui.errors import show_error
from quizapp.services.editor_support import safe_html, store_media

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp")
CODE_FAMILY = "monospace"
_OBJECT = "\ufffc"  # the character an image stands on in a document
_LINE_BREAKS = ("\u2028", "\n")  # Shift+Enter, and a pasted line end
_BULLETED = (
    QTextListFormat.Style.ListDisc,
    QTextListFormat.Style.ListCircle,
    QTextListFormat.Style.ListSquare,
)


def is_code(char_format: QTextCharFormat) -> bool:
    """Whether a run of text is set as code (monospace)."""
    return char_format.fontFixedPitch() or CODE_FAMILY in (char_format.fontFamilies() or [])


def _fragment_html(text: str, char_format: QTextCharFormat) -> str:
    if char_format.isImageFormat():
        source = char_format.toImageFormat().name()
        return f'<img src="{html.escape(source)}">' * text.count(_OBJECT)
    written = html.escape(text.replace(_OBJECT, ""), quote=False)
    for line_break in _LINE_BREAKS:
        written = written.replace(line_break, "<br>")
    if not written:
        return ""
    tags = []
    if char_format.fontWeight() >= QFont.Weight.DemiBold.value:
        tags.append("b")
    if char_format.fontItalic():
        tags.append("i")
    if char_format.fontUnderline() and not char_format.isAnchor():
        tags.append("u")
    if is_code(char_format):
        tags.append("code")
    for tag in reversed(tags):
        written = f"<{tag}>{written}</{tag}>"
    if char_format.isAnchor() and char_format.anchorHref():
        written = f'<a href="{html.escape(char_format.anchorHref())}">{written}</a>'
    return written


def _block_html(block: QTextBlock) -> str:
    parts = []
    fragments = block.begin()
    while not fragments.atEnd():
        fragment = fragments.fragment()
        if fragment.isValid():
            parts.append(_fragment_html(fragment.text(), fragment.charFormat()))
        fragments += 1
    return "".join(parts)


def document_html(document: QTextDocument) -> str:
    """The document as the card HTML subset: ``<b> <i> <u> <code> <a> <img> <ul> <ol> <br>``."""
    out: list[str] = []
    open_list: tuple[int, str] | None = None  # (the list's object index, its tag)
    block = document.begin()
    while block.isValid():
        text_list = block.textList()
        if text_list is None:
            if open_list is not None:
                out.append(f"</{open_list[1]}>")
                open_list = None
            elif out:
                out.append("<br>")
            out.append(_block_html(block))
        else:
            index = text_list.objectIndex()
            if open_list is None or open_list[0] != index:
                if open_list is not None:
                    out.append(f"</{open_list[1]}>")
                tag = "ul" if text_list.format().style() in _BULLETED else "ol"
                out.append(f"<{tag}>")
                open_list = (index, tag)
            out.append(f"<li>{_block_html(block)}</li>")
        block = block.next()
    if open_list is not None:
        out.append(f"</{open_list[1]}>")
    return "".join(out)


def has_markup(document: QTextDocument) -> bool:
    """Whether the document holds anything plain text cannot: formatting, a list, an image."""
    written = document_html(document)
    plain = html.escape(document.toPlainText(), quote=False).replace("\n", "<br>")
    return written != plain


class RichTextEdit(QTextEdit):
    """One field of a note.  :meth:`set_text` and :meth:`text` speak the note's format."""

    focused = Signal(object)  # this field, when it takes the focus (the toolbar acts on it)

    def __init__(self, app: App, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(name)
        self.setAcceptRichText(True)
        self.setTabChangesFocus(True)  # Tab moves on, as in a form
        self._app = app
        self._media_folder: Path = app.media.folder
        self.setMinimumHeight(64)

    # -- content ------------------------------------------------------------------

    def set_text(self, text: str, is_html: bool) -> None:
        """Show ``text``: HTML as formatted, plain text as it is."""
        if is_html:
            self.setHtml(text)
        else:
            self.setPlainText(text)
        self.document().setModified(False)

    def html(self) -> str:
        """The field as card HTML (before the sanitizer the save applies)."""
        return document_html(self.document())

    def plain(self) -> str:
        """The field as plain text."""
        return self.document().toPlainText()

    def has_markup(self) -> bool:
        """Whether saving as plain text would lose something."""
        return has_markup(self.document())

    # -- formatting (the toolbar's buttons and keys) ----------------------------------

    def toggle_bold(self) -> None:
        """Bold on or off for the selection (or what is typed next)."""
        bold = self.fontWeight() < QFont.Weight.DemiBold.value
        self.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)

    def toggle_italic(self) -> None:
        """Italic on or off."""
        self.setFontItalic(not self.fontItalic())

    def toggle_code(self) -> None:
        """Code (monospace) on or off."""
        char_format = QTextCharFormat()
        code = not is_code(self.currentCharFormat())
        char_format.setFontFixedPitch(code)
        char_format.setFontFamilies([CODE_FAMILY] if code else [self.font().family()])
        self.mergeCurrentCharFormat(char_format)

    def toggle_list(self, numbered: bool) -> None:
        """Make the current paragraphs a bulleted or numbered list, or plain again."""
        cursor = self.textCursor()
        style = QTextListFormat.Style.ListDecimal if numbered else QTextListFormat.Style.ListDisc
        current = cursor.currentList()
        if current is not None and current.format().style() == style:
            for _ in range(current.count()):
                current.remove(current.item(0))
            block_format = cursor.blockFormat()
            block_format.setIndent(0)
            cursor.setBlockFormat(block_format)
            return
        cursor.createList(style)

    def insert_link(self, address: str) -> None:
        """Make the selection (or the address itself) a link to ``address``."""
        cursor = self.textCursor()
        char_format = QTextCharFormat()
        char_format.setAnchor(True)
        char_format.setAnchorHref(address)
        char_format.setFontUnderline(True)
        text = cursor.selectedText() or address
        cursor.insertText(text, char_format)
        self.setCurrentCharFormat(QTextCharFormat())

    def ask_link(self) -> None:
        """Ask for a link's address (a media file name), then insert it."""
        address, chosen = QInputDialog.getText(self, "Insert link", "Link to (a file name):")
        if chosen and address.strip():
            self.insert_link(address.strip())

    def insert_image(self, name: str, data: bytes) -> str | None:
        """Store an image in the media folder and show it here; its stored name."""
        try:
            stored = store_media(self._app.media, name, data)
        except QuizAppError as error:
            show_error(self, error)
            return None
        image_format = QTextImageFormat()
        image_format.setName(stored)
        self.textCursor().insertImage(image_format)
        return stored

    # -- Qt's hooks ------------------------------------------------------------------

    def loadResource(self, kind: int, name: QUrl | str) -> object:  # noqa: N802 (Qt's name)
        """Images come from the collection's media folder, never from anywhere else."""
        if kind == QTextDocument.ResourceType.ImageResource.value:
            written = name.toString() if isinstance(name, QUrl) else name
            path = self._media_folder / Path(written).name
            image = QImage(str(path))
            return image if not image.isNull() else QImage()
        return super().loadResource(kind, name)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 (Qt's name)
        return (
            source.hasImage() or bool(_image_paths(source)) or super().canInsertFromMimeData(source)
        )

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt's name)
        """Images into the media store; HTML through the sanitizer first; else as Qt does."""
        paths = _image_paths(source)
        if paths:
            for path in paths:
                self.insert_image(path.name, path.read_bytes())
            return
        if source.hasImage():
            data = _png_bytes(source.imageData())
            if data:
                self.insert_image("pasted.png", data)
            return
        if source.hasHtml():
            self.textCursor().insertHtml(safe_html(source.html()))
            return
        super().insertFromMimeData(source)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        super().focusInEvent(event)
        self.focused.emit(self)


def _image_paths(source: QMimeData) -> list[Path]:
    if not source.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in source.urls() if url.isLocalFile()]
    return [path for path in paths if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file()]


def _png_bytes(image: object) -> bytes:
    if not isinstance(image, QImage) or image.isNull():
        return b""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide takes the format as str, whatever its stubs say.
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    data: QByteArray = buffer.data()
    return bytes(data.data())
