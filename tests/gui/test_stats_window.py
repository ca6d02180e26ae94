"""The statistics window: opened by keyboard, its scope and period changed, charts saved."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quizapp.domain import Rating
from quizapp.domain.answers import TypedResponse
from quizapp.gui.main_window import MainWindow
from quizapp.gui.stats_window import StatsWindow


def _answer_three(window: MainWindow) -> None:
    session = window.app.study(None)
    for rating in (Rating.GOOD, Rating.AGAIN, Rating.GOOD):
        current = session.current
        assert current is not None
        if current.mode.value == "type":
            session.check(TypedResponse("55"))
        session.answer(rating, 4000)


def _stats_window(qtbot: QtBot) -> StatsWindow:
    found: list[StatsWindow] = []

    def opened() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, StatsWindow)]
        return bool(found) and found[0].isVisible()

    qtbot.waitUntil(opened)
    return found[0]


def test_t_opens_the_statistics_and_the_choosers_recompute_them(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    _answer_three(window)
    qtbot.keyClick(window.deck_list.tree, Qt.Key.Key_T)
    stats = _stats_window(qtbot)
    qtbot.waitUntil(lambda: stats.stats is not None)

    assert stats.stats is not None
    assert stats.stats.today.answers == 3
    assert "Today" in stats.today_label.text()
    assert "True retention" in stats.retention_label.text()
    assert stats.status.text() == "Whole collection · 1 month"

    # Alt+P focuses the period chooser; Down picks "3 months", and the charts follow.
    with qtbot.waitSignal(stats.drawn, timeout=10_000):
        qtbot.keyClick(stats, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClick(stats.period_box, Qt.Key.Key_Down)
    assert stats.stats.period_days == 90

    # Alt+S, then a deck below the collection: only that deck's cards are counted.
    with qtbot.waitSignal(stats.drawn, timeout=10_000):
        qtbot.keyClick(stats, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClick(stats.scope_box, Qt.Key.Key_Down)
    deck = stats.scope_box.currentText()
    assert stats.stats.scope == f"Deck {deck}"

    picture = tmp_path / "stats.png"
    stats.save_png(str(picture))
    assert picture.stat().st_size > 10_000
    stats.close()


def test_a_search_scope_counts_the_cards_it_finds(qtbot: QtBot, window: MainWindow) -> None:
    _answer_three(window)
    stats = StatsWindow(window.app, window)
    qtbot.addWidget(stats)
    stats.show()
    qtbot.waitUntil(lambda: stats.stats is not None)
    everything = sum(stats.stats.card_counts.values()) if stats.stats else 0

    stats.scope_box.setCurrentIndex(stats.scope_box.count() - 1)  # "Search…"
    assert stats.search_edit.isVisible()
    qtbot.keyClicks(stats.search_edit, "kind:typed")
    with qtbot.waitSignal(stats.drawn, timeout=10_000):
        qtbot.keyClick(stats.search_edit, Qt.Key.Key_Return)

    assert stats.stats is not None
    assert stats.stats.scope == "Search kind:typed"
    assert sum(stats.stats.card_counts.values()) == 1 < everything
    hover = stats.charts["cardCountsChart"].describe(3, 0)  # the Young bar
    assert hover.startswith("<b>Young</b>")
