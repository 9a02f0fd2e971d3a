"""What the analyst sees: rating colours on screen, readable headers, light and dark."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from workbench.core.ratings import Rating
from workbench.ui.base import palette
from workbench.ui.matrix.matrix_model import LEADING, TITLE


@pytest.fixture
def restore_palette():  # noqa: ANN201
    yield
    palette.apply_appearance("system")


def test_rating_cells_are_painted_in_their_colours(main_window, qtbot):  # noqa: ANN001
    view = main_window.view
    model = view.model()
    view.setCurrentIndex(model.index(0, 1))  # a leading cell: no rating cell is framed
    image = view.viewport().grab().toImage()
    seen = set()
    evidence = main_window.document.project.evidence
    for row in range(1, 20):
        if not evidence[model.project_row(row)].active:
            continue  # excluded items (the example's conclusions) are greyed on purpose
        for column in range(LEADING, model.columnCount()):
            code = model.index(row, column).data()
            rating = Rating.from_code(code)
            rect = view.visualRect(model.index(row, column))
            # Sample beside the code's letters, inside the cell.
            pixel = QColor(image.pixel(rect.left() + 6, rect.center().y()))
            if rating in palette.RATING_FILL:
                assert pixel.name() == palette.RATING_FILL[rating].name().lower(), (row, code)
                seen.add(rating)
    assert {Rating.C, Rating.N, Rating.I} <= seen


def test_headers_and_titles_are_not_clipped_at_the_default_size(main_window):  # noqa: ANN001
    view = main_window.view
    header = view.horizontalHeader()
    assert header.height() >= 3 * header.fontMetrics().lineSpacing()
    metrics = view.fontMetrics()
    for column in (0, 2, 3, 4):
        text = view.model().headerData(column, Qt.Orientation.Horizontal)
        assert metrics.horizontalAdvance(text) + 12 <= view.columnWidth(column), text
    assert metrics.horizontalAdvance("0 · non-diagnostic") + 12 <= view.columnWidth(4)
    assert view.columnWidth(TITLE) >= 300
    # The footer's columns line up with the matrix's.
    footer = main_window.matrix.footer
    for column in range(LEADING, view.model().columnCount()):
        assert footer.columnWidth(column) == view.columnWidth(column)
        top_left = footer.visualRect(footer.model().index(0, column)).left()
        assert top_left == view.visualRect(view.model().index(0, column)).left()


def test_footer_follows_horizontal_scrolling(main_window, qtbot):  # noqa: ANN001
    main_window.resize(900, 700)
    qtbot.wait(50)
    bar = main_window.view.horizontalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    assert main_window.matrix.footer.horizontalScrollBar().value() == bar.value()


def test_dark_and_light_appearance_from_the_view_menu(main_window, restore_palette):  # noqa: ANN001
    main_window.findChild(QAction, "appearance_dark").trigger()
    window_colour = QApplication.palette().color(QPalette.ColorRole.Window)
    assert window_colour.lightness() < 100
    assert main_window.settings.value("view/appearance") == "dark"
    # Excluded rows stay distinguishable from the base colour in the dark.
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    assert abs(palette.excluded_fill().lightness() - base.lightness()) >= 15
    main_window.findChild(QAction, "appearance_light").trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 180
    assert main_window.settings.value("view/appearance") == "light"


def test_status_bar_names_the_least_inconsistent_hypothesis(main_window, qtbot):  # noqa: ANN001
    status = main_window.findChild(QLabel, "leaderStatus")
    document = main_window.document
    leader = document.project.hypotheses[document.scores.leader]
    assert status is not None and leader.code in status.text()
    # Rate the leader down hard on many rows: the leader changes and so does the text.
    view = main_window.view
    model = view.model()
    column = LEADING + document.scores.leader
    for row in range(12):
        view.setCurrentIndex(model.index(row, column))
        qtbot.keyClicks(view, "ii")
    new_leader = document.project.hypotheses[document.scores.leader]
    assert new_leader.code in status.text()


def test_evidence_stays_in_view_while_hypotheses_scroll(main_window, qtbot):  # noqa: ANN001
    main_window.resize(900, 700)
    qtbot.wait(50)
    view = main_window.view
    frozen = view.frozen
    model = view.model()
    bar = view.horizontalScrollBar()
    bar.setValue(bar.maximum())
    overlay = frozen.frozen
    assert overlay.isVisible() and overlay.geometry().width() == frozen.width()
    # The overlay shows row 0's title at the same height as row 0 of the table.
    title_cell = overlay.visualRect(model.index(0, TITLE))
    assert title_cell.width() > 0
    assert title_cell.top() == view.visualRect(model.index(0, LEADING)).top()
    # Moving onto the first hypothesis scrolls it out from under the frozen columns.
    view.setCurrentIndex(model.index(0, model.columnCount() - 1))
    view.setFocus()
    for _ in range(model.columnCount() - LEADING - 1):
        qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.currentIndex().column() == LEADING
    assert view.visualRect(view.currentIndex()).left() >= frozen.width()


def test_an_empty_matrix_says_what_to_do(main_window, qtbot):  # noqa: ANN001
    search = main_window.matrix.search
    search.setText("no such words anywhere")
    assert main_window.view.model().rowCount() == 0
    # Painting the hint must not fail, and the count says nothing is shown.
    main_window.view.viewport().repaint()
    assert "0 of" in main_window.matrix.count.text()


def _lightness_at(widget, qtbot) -> int:  # noqa: ANN001
    """The lightness of a widget's background as drawn (a point away from any text)."""
    qtbot.wait(20)
    image = widget.grab().toImage()
    return QColor(image.pixel(image.width() - 4, image.height() - 4)).lightness()


def test_dark_and_light_switch_the_whole_window_at_once(main_window, qtbot, restore_palette):  # noqa: ANN001
    """The frozen ID/Evidence columns and the score footer follow at once, not after a restart."""
    main_window.findChild(QAction, "appearance_light").trigger()
    frozen = main_window.view.frozen.frozen
    footer = main_window.matrix.footer
    assert _lightness_at(frozen.viewport(), qtbot) > 180
    assert _lightness_at(footer.viewport(), qtbot) > 180
    main_window.findChild(QAction, "appearance_dark").trigger()
    assert _lightness_at(frozen.viewport(), qtbot) < 100
    assert _lightness_at(footer.viewport(), qtbot) < 100
    main_window.findChild(QAction, "appearance_light").trigger()
    assert _lightness_at(frozen.viewport(), qtbot) > 180
    assert _lightness_at(footer.viewport(), qtbot) > 180
