"""The browser window through the real main window: open, search, side panel, sort, columns."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from quizapp.bootstrap import App
from quizapp.gui.card_table_model import LIGHT_TINTS, RowColors
from quizapp.gui.main_window import MainWindow
from quizapp.gui.theme import LIGHT
from tests.gui.browser_helpers import open_browser, questions, search, select_question

FIRST = "What is a model parameter?"
ALL_QUESTIONS = {
    FIRST,
    "Weight",
    "A learned number that scales one input.",
    "The activation function is a learned parameter.",
    "Which optimizer keeps running averages of the gradient and its square?",
    "Which hyperparameter scales each gradient step?",
    "How many parameters has a dense layer with 10 inputs and 5 outputs?",
}


def test_b_opens_the_browser_on_every_card(qtbot: QtBot, window: MainWindow) -> None:
    browser = open_browser(qtbot, window)

    assert set(questions(browser)) == ALL_QUESTIONS
    assert browser.count_label.text() == "7 cards found"
    assert browser.search_line.hasFocus()
    assert browser.table.selected_rows() == [0]


def test_go_menu_browse_opens_one_browser(qtbot: QtBot, window: MainWindow) -> None:
    first = open_browser(qtbot, window)
    action = window.findChild(type(window.undo_action), "browseAction")
    assert action is not None
    action.trigger()
    assert window.browser is first


def test_typing_a_search_finds_its_cards(qtbot: QtBot, window: MainWindow) -> None:
    browser = open_browser(qtbot, window)

    search(qtbot, browser, "deck:Test::Counting")
    assert set(questions(browser)) == {
        "Which optimizer keeps running averages of the gradient and its square?",
        "Which hyperparameter scales each gradient step?",
        "How many parameters has a dense layer with 10 inputs and 5 outputs?",
    }
    search(qtbot, browser, "learned")
    assert set(questions(browser)) == {
        FIRST,
        "Weight",
        "A learned number that scales one input.",
        "The activation function is a learned parameter.",
    }
    assert browser.count_label.text() == "4 cards found"


def test_a_malformed_search_says_what_is_wrong_and_keeps_the_table(
    qtbot: QtBot, window: MainWindow
) -> None:
    browser = open_browser(qtbot, window)
    search(qtbot, browser, "deck:Test::Counting")

    search(qtbot, browser, "(dropout")

    assert browser.search_error.isVisible()
    assert "parenthesis" in browser.search_error.text()
    assert browser.search_line.property("problem") is True
    assert browser.model.rowCount() == 3  # the last search's cards stay
    search(qtbot, browser, "tag:concepts")
    assert browser.search_error.isHidden()
    assert questions(browser) == [FIRST]


def test_a_side_panel_click_searches_for_it(
    qtbot: QtBot, window: MainWindow, small_app: App
) -> None:
    browser = open_browser(qtbot, window)
    card_id = select_question(browser, "Weight")
    small_app.cards.flag([card_id], 4)

    sidebar = browser.sidebar
    for search_text, expected in (
        ("flag:4", ["Weight"]),
        ('tag:"concepts"', [FIRST]),
        ("kind:numeric", ["How many parameters has a dense layer with 10 inputs and 5 outputs?"]),
        ('deck:"Test::Concepts"', None),
    ):
        item = sidebar.item_for(search_text)
        assert item is not None, search_text
        sidebar.scrollToItem(item)
        rect = sidebar.visualItemRect(item)
        qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert browser.search_line.text() == search_text
        if expected is not None:
            assert questions(browser) == expected
    assert browser.model.rowCount() == 4  # Test::Concepts


def test_clicking_a_header_sorts_by_that_column_in_sql(qtbot: QtBot, window: MainWindow) -> None:
    browser = open_browser(qtbot, window)
    header = browser.table.horizontalHeader()
    column = browser.model.column_of("question")
    assert column is not None
    position = header.sectionViewportPosition(column) + 10

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(position, 5))
    ascending = questions(browser)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(position, 5))
    descending = questions(browser)

    assert browser.model.sort_key == "question"
    assert ascending == sorted(ALL_QUESTIONS, key=str.casefold)
    assert descending == list(reversed(ascending))


def test_columns_chosen_are_remembered_when_the_browser_opens_again(
    qtbot: QtBot, window: MainWindow
) -> None:
    browser = open_browser(qtbot, window)
    menu = browser.table.header_menu_for()
    lapses = next(a for a in menu.actions() if a.objectName() == "column_lapses")
    deck = next(a for a in menu.actions() if a.objectName() == "column_deck")

    lapses.trigger()
    deck.trigger()
    assert browser.model.column_of("lapses") is not None
    assert browser.model.column_of("deck") is None
    browser.close()
    qtbot.waitUntil(lambda: window.browser is None)
    window.activateWindow()

    again = open_browser(qtbot, window)
    assert again is not browser
    keys = [column.key for column in again.model.columns]
    assert "lapses" in keys
    assert "deck" not in keys


def test_notes_mode_shows_one_row_per_note(qtbot: QtBot, window: MainWindow) -> None:
    browser = open_browser(qtbot, window)
    assert browser.model.rowCount() == 7

    qtbot.keyClick(
        browser.search_line,
        Qt.Key.Key_T,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )

    assert browser.model.notes
    assert browser.notes_button.isChecked()
    assert browser.model.rowCount() == 6  # the reversed pair is one note
    assert browser.model.column_of("cards") is not None
    browser.notes_button.click()
    browser.cards_button.click()
    assert not browser.model.notes
    assert browser.model.rowCount() == 7


def test_suspended_and_flagged_rows_are_tinted(
    qtbot: QtBot, window: MainWindow, small_app: App
) -> None:
    browser = open_browser(qtbot, window)
    weight = select_question(browser, "Weight")
    basic = select_question(browser, FIRST)
    small_app.cards.suspend([weight])
    small_app.cards.flag([basic], 1)
    browser.model.reload_rows()

    rows = questions(browser)
    colors = RowColors.of(LIGHT)
    weight_bg = browser.model.index(rows.index("Weight"), 0).data(Qt.ItemDataRole.BackgroundRole)
    basic_bg = browser.model.index(rows.index(FIRST), 0).data(Qt.ItemDataRole.BackgroundRole)
    plain = rows.index("The activation function is a learned parameter.")
    plain_bg = browser.model.index(plain, 0).data(Qt.ItemDataRole.BackgroundRole)

    assert weight_bg == QColor(colors.suspended)
    assert basic_bg == QColor(LIGHT_TINTS[1])
    assert plain_bg is None
    browser.table.toggle_column("flag", True)
    flag_column = browser.model.column_of("flag")
    assert flag_column is not None
    assert browser.model.index(rows.index(FIRST), flag_column).data() == "Red"
    assert (
        browser.model.index(rows.index(FIRST), flag_column).data(Qt.ItemDataRole.DecorationRole)
        is not None
    )
