"""Light and dark palettes, and the few colours the reviewer uses beyond them."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True, slots=True)
class Colors:
    """Semantic colours of one scheme.

    Every text colour reads at WCAG AA (4.5:1) on the backgrounds it is drawn on
    (tests/gui/test_contrast.py lists the pairs).
    """

    window: str
    surface: str
    text: str
    muted: str  # secondary and disabled text
    border: str
    accent: str  # links, focus rings, the revealed cloze deletion: text on window and surface
    fill: str  # selection and primary buttons, under on_fill text
    on_fill: str
    tint: str  # a ticked choice, under text
    notice: str  # the banner above a card (a card changed elsewhere, a leech), under text
    groove: str  # a scroll bar's track
    handle: str  # and its handle: darker than the groove in light, lighter in dark
    new: str
    learning: str
    due: str
    again: str
    hard: str
    good: str
    easy: str
    right: str
    wrong: str


LIGHT = Colors(
    window="#f4f5f7",
    surface="#ffffff",
    text="#1d2026",
    muted="#5d6470",
    border="#d5d9e0",
    accent="#2563d0",
    fill="#2563d0",
    on_fill="#ffffff",
    tint="#e3ecfb",
    notice="#fbefcb",
    groove="#e6e8ec",
    handle="#a4abb6",
    new="#1f63d6",
    learning="#c4401c",
    due="#177a35",
    again="#c9372c",
    hard="#8a6a12",
    good="#177a35",
    easy="#1f63d6",
    right="#177a35",
    wrong="#c9372c",
)
DARK = Colors(
    window="#1e1f22",
    surface="#2b2d31",
    text="#e8e9ec",
    muted="#a3a8b1",
    border="#43464d",
    accent="#74a4f6",
    fill="#2f62c4",
    on_fill="#ffffff",
    tint="#2d3f5e",
    notice="#45391b",
    groove="#27292d",
    handle="#62676f",
    new="#6ea2ff",
    learning="#ff8a65",
    due="#5fd07f",
    again="#ff6b5e",
    hard="#e0b84c",
    good="#5fd07f",
    easy="#6ea2ff",
    right="#5fd07f",
    wrong="#ff6b5e",
)


def apply_theme(app: QApplication, scheme: str) -> Colors:
    """Fusion style with our palette: ``light``, ``dark``, or ``system`` (follow the desktop)."""
    if scheme == "system":
        dark = QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
        scheme = "dark" if dark else "light"
    colors = DARK if scheme == "dark" else LIGHT
    app.setStyle("Fusion")
    app.setPalette(_palette(colors))
    app.setStyleSheet(_style_sheet(colors))
    app.setProperty("quizapp_colors", scheme)
    return colors


def current_colors(app: QApplication) -> Colors:
    """The colours applied by :func:`apply_theme`."""
    return DARK if app.property("quizapp_colors") == "dark" else LIGHT


def _palette(colors: Colors) -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: colors.window,
        QPalette.ColorRole.WindowText: colors.text,
        QPalette.ColorRole.Base: colors.surface,
        QPalette.ColorRole.AlternateBase: colors.window,
        QPalette.ColorRole.Text: colors.text,
        QPalette.ColorRole.Button: colors.surface,
        QPalette.ColorRole.ButtonText: colors.text,
        QPalette.ColorRole.ToolTipBase: colors.surface,
        QPalette.ColorRole.ToolTipText: colors.text,
        QPalette.ColorRole.PlaceholderText: colors.muted,
        QPalette.ColorRole.Highlight: colors.fill,
        QPalette.ColorRole.HighlightedText: colors.on_fill,
        QPalette.ColorRole.Link: colors.accent,
        QPalette.ColorRole.Mid: colors.border,
    }
    for role, value in roles.items():
        palette.setColor(role, QColor(value))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colors.muted))
    return palette


def _style_sheet(colors: Colors) -> str:
    return f"""
    QWidget#card {{
        background: {colors.surface};
        border: 1px solid {colors.border};
        border-radius: 10px;
    }}
    QFrame#answerSeparator {{ border: none; border-top: 1px solid {colors.border}; }}
    QWidget#gradeButtons QPushButton {{ font-size: 15px; padding: 8px 18px; }}
    QLabel#questionLabel {{ font-size: 21px; }}
    QWidget#matchingBox QLabel {{ font-size: 16px; }}
    QWidget#matchingBox QComboBox {{ font-size: 15px; padding: 5px 10px; min-height: 26px; }}
    QLabel#answerLabel {{ font-size: 19px; font-weight: 600; }}
    QLabel#explanationLabel {{ font-size: 15px; color: {colors.muted}; }}
    QLabel#feedbackLabel {{ font-size: 15px; }}
    QLabel#noticeBanner {{
        font-size: 15px; color: {colors.text}; background: {colors.notice};
        border: 1px solid {colors.hard}; border-left: 5px solid {colors.hard};
        border-radius: 6px; padding: 9px 14px;
    }}
    QLabel#deckTitle, QLabel#summaryTitle {{ font-size: 24px; font-weight: 600; }}
    QLabel#summaryDetails {{ font-size: 16px; line-height: 140%; }}
    QLabel#hintLabel, QLabel#chooseHintLabel, QLabel#deckCaption {{ color: {colors.muted}; }}
    QLabel#deckLabel {{ font-size: 14px; color: {colors.muted}; }}
    QLabel#countsLabel {{ font-size: 16px; font-weight: 600; }}
    QLabel#importStatus, QLabel#exportStatus {{ font-size: 14px; }}
    QFrame#importQuestion {{
        background: {colors.notice}; border: 1px solid {colors.hard};
        border-left: 5px solid {colors.hard}; border-radius: 6px;
    }}
    QLabel#importQuestionText {{ font-size: 14px; color: {colors.text}; background: transparent; }}
    QLabel[outcome="done"] {{ font-weight: 600; }}
    QPushButton {{
        padding: 7px 16px;
        border: 1px solid {colors.border};
        border-radius: 6px;
        background: {colors.surface};
        min-height: 22px;
    }}
    QPushButton:hover {{ border-color: {colors.accent}; }}
    QPushButton:focus {{ border: 2px solid {colors.accent}; }}
    QPushButton:disabled {{ color: {colors.muted}; }}
    QPushButton[proposed="true"] {{ border: 2px solid {colors.accent}; font-weight: 600; }}
    QPushButton[grade="again"] {{ color: {colors.again}; }}
    QPushButton[grade="hard"] {{ color: {colors.hard}; }}
    QPushButton[grade="good"] {{ color: {colors.good}; }}
    QPushButton[grade="easy"] {{ color: {colors.easy}; }}
    QWidget#choicesBox QPushButton {{ text-align: left; padding: 10px 14px; font-size: 16px; }}
    QWidget#choicesBox QPushButton:checked {{
        background: {colors.tint}; border: 2px solid {colors.accent}; padding: 9px 13px;
        font-weight: 600;
    }}
    QPushButton[choice="right"] {{ border: 2px solid {colors.right}; color: {colors.right}; }}
    QPushButton[choice="wrong"] {{ border: 2px solid {colors.wrong}; color: {colors.wrong}; }}
    QPushButton[choice="missed"] {{ border: 2px dashed {colors.right}; color: {colors.right}; }}
    QWidget#choicesBox QPushButton[choice="right"],
    QWidget#choicesBox QPushButton[choice="missed"],
    QWidget#choicesBox QPushButton[choice="wrong"] {{ padding: 9px 13px; font-weight: 600; }}
    QPushButton[primary="true"] {{
        background: {colors.fill}; color: {colors.on_fill}; border-color: {colors.fill};
        font-weight: 600;
    }}
    QPushButton[primary="true"]:focus {{ border: 2px solid {colors.text}; }}
    QPushButton[primary="true"]:disabled {{
        background: {colors.surface}; color: {colors.muted}; border-color: {colors.border};
    }}
    QLineEdit {{
        font-size: 18px; padding: 6px 10px;
        border: 1px solid {colors.border}; border-radius: 6px; background: {colors.surface};
    }}
    QLineEdit:focus {{ border: 2px solid {colors.accent}; padding: 5px 9px; }}
    QTreeView {{
        font-size: 15px; border: 1px solid {colors.border}; border-radius: 8px;
        background: {colors.surface};
    }}
    QTreeView::item {{ padding: 6px 4px; }}
    QHeaderView::section {{
        padding: 6px; border: none; border-bottom: 1px solid {colors.border};
        background: {colors.surface}; color: {colors.muted}; font-weight: 600;
    }}
    QScrollBar:vertical {{
        background: {colors.groove}; width: 12px; margin: 0; border: none; border-radius: 6px;
    }}
    QScrollBar:horizontal {{
        background: {colors.groove}; height: 12px; margin: 0; border: none; border-radius: 6px;
    }}
    QScrollBar::handle {{ background: {colors.handle}; border-radius: 4px; margin: 2px; }}
    QScrollBar::handle:vertical {{ min-height: 32px; }}
    QScrollBar::handle:horizontal {{ min-width: 32px; }}
    QScrollBar::handle:hover, QScrollBar::handle:pressed {{ background: {colors.muted}; }}
    QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; }}
    QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
    """
