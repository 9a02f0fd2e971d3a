"""Rating in the real window by keyboard, mouse and clipboard, with undo/redo.

After each step the matrix and the score footer must agree with
``score_project`` on the project as it now is.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QToolButton

from workbench.core.ratings import Rating
from workbench.ui.matrix.matrix_model import LEADING
from workbench.ui.matrix.matrix_view import SEQUENCE_MS, RatingPicker


def go_to(window, row: int, column: int):  # noqa: ANN001, ANN201
    view = window.view
    index = view.model().index(row, LEADING + column)
    view.setCurrentIndex(index)
    view.setFocus()
    return index


def shown(window, row: int, column: int) -> str:  # noqa: ANN001
    return window.view.model().index(row, LEADING + column).data()


def stored(window, row: int, column: int) -> Rating:  # noqa: ANN001
    project = window.document.project
    return Rating(int(project.layer(project.analysts[0].id)[row, column]))


def set_start(window, qtbot, row: int, column: int, rating: Rating) -> None:  # noqa: ANN001
    """Put a known rating in a cell first (so every key below is a real change)."""
    go_to(window, row, column)
    window.view.rate(rating)
    assert stored(window, row, column) == rating


@pytest.fixture(scope="module")
def _key_window_holder(qapp):  # noqa: ANN001, ANN202
    held: dict = {}
    yield held
    window = held.get("window")
    if window is not None:
        window.document.close()
        window.close()
        window.deleteLater()


@pytest.fixture
def key_window(_key_window_holder, tmp_path_factory, _example_master: Path, message_boxes, qtbot):  # noqa: ANN001, ANN201
    """The real window of ``main_window``, one for all the key-form cases: each case
    starts with Delete on its cell, which blanks it and ends any key sequence the
    case before it typed, and with no history, as a freshly opened project has."""
    from workbench.ui.main_window import MainWindow

    window = _key_window_holder.get("window")
    if window is None:
        folder = tmp_path_factory.mktemp("key-window")
        path = folder / "belarus.achwb"
        shutil.copyfile(_example_master, path)
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        window = _key_window_holder["window"] = MainWindow(settings=settings)
        window.resize(1600, 1000)
        window.show()
        assert QTest.qWaitForWindowExposed(window)
        assert window.files.open_path(path), message_boxes
    go_to(window, 5, 2)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    window.document.undo_stack.clear()
    return window


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("c", Rating.C),
        ("cc", Rating.CC),
        ("n", Rating.N),
        ("i", Rating.I),
        ("ii", Rating.II),
        ("+", Rating.C),
        ("++", Rating.CC),
        ("-", Rating.I),
        ("--", Rating.II),
        ("0", Rating.N),
        ("a", Rating.NA),
        ("na", Rating.NA),
        ("C", Rating.C),
    ],
)
def test_every_key_form_rates_the_cell_as_one_undo_step(
    key_window,
    qtbot,
    keys,
    expected,
    scores_agree,  # noqa: ANN001
):
    main_window = key_window
    start = Rating.BLANK
    set_start(main_window, qtbot, 5, 2, start)
    steps = main_window.document.undo_stack.count()
    qtbot.keyClicks(main_window.view, keys)
    assert stored(main_window, 5, 2) == expected
    assert shown(main_window, 5, 2) == expected.code
    assert main_window.document.undo_stack.count() == steps + 1
    assert main_window.document.undo_stack.undoText().endswith(f"-> {expected.code}")
    scores_agree(main_window)
    main_window.findChild(QAction, "actionUndo").trigger()
    assert stored(main_window, 5, 2) == start
    scores_agree(main_window)


@pytest.mark.parametrize("key", [Qt.Key.Key_Delete, Qt.Key.Key_Backspace])
def test_delete_and_backspace_blank_the_cell(main_window, qtbot, key, scores_agree):  # noqa: ANN001
    set_start(main_window, qtbot, 0, 0, Rating.CC)
    qtbot.keyClick(main_window.view, key)
    assert stored(main_window, 0, 0) == Rating.BLANK
    assert shown(main_window, 0, 0) == ""
    scores_agree(main_window)


def test_a_slow_second_key_is_a_new_rating_not_an_upgrade(main_window, qtbot):  # noqa: ANN001
    set_start(main_window, qtbot, 1, 1, Rating.N)
    steps = main_window.document.undo_stack.count()
    qtbot.keyClicks(main_window.view, "c")
    qtbot.wait(SEQUENCE_MS + 150)
    qtbot.keyClicks(main_window.view, "c")
    assert stored(main_window, 1, 1) == Rating.C
    # The second press changed nothing, so it adds no undo step either.
    assert main_window.document.undo_stack.count() == steps + 1


def test_enter_moves_down_tab_moves_right_arrows_move(main_window, qtbot):  # noqa: ANN001
    view = main_window.view
    go_to(main_window, 3, 1)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (4, LEADING + 1)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.currentIndex().column() == LEADING + 2
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert view.currentIndex().column() == LEADING + 1
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.currentIndex().row() == 3
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.currentIndex().column() == LEADING + 2


def test_typing_then_enter_rates_a_column_quickly(main_window, qtbot, scores_agree):  # noqa: ANN001
    view = main_window.view
    go_to(main_window, 0, 3)
    for keys in ("i", "cc", "n", "--"):
        qtbot.keyClicks(view, keys)
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert [stored(main_window, r, 3) for r in range(4)] == [
        Rating.I,
        Rating.CC,
        Rating.N,
        Rating.II,
    ]
    scores_agree(main_window)


def test_undo_redo_labels_and_menu_actions(main_window, qtbot):  # noqa: ANN001
    set_start(main_window, qtbot, 0, 0, Rating.C)
    project = main_window.document.project
    qtbot.keyClicks(main_window.view, "i")
    code_e, code_h = project.evidence[0].code, project.hypotheses[0].code
    undo = main_window.findChild(QAction, "actionUndo")
    redo = main_window.findChild(QAction, "actionRedo")
    assert undo.text() == f"&Undo Rate {code_e} x {code_h}: C -> I"
    undo.trigger()
    assert stored(main_window, 0, 0) == Rating.C
    assert redo.isEnabled() and "C -> I" in redo.text()
    redo.trigger()
    assert stored(main_window, 0, 0) == Rating.I
    history = main_window.history
    assert history.model().rowCount() == main_window.document.undo_stack.count() + 1


def test_rating_several_selected_cells_is_one_undo_step(main_window, qtbot, scores_agree):  # noqa: ANN001
    view = main_window.view
    model = view.model()
    go_to(main_window, 0, 0)
    selection = view.selectionModel()
    for row in range(3):
        for column in range(2):
            selection.select(
                model.index(row, LEADING + column), QItemSelectionModel.SelectionFlag.Select
            )
    steps = main_window.document.undo_stack.count()
    qtbot.keyClicks(view, "ii")
    assert all(stored(main_window, r, c) == Rating.II for r in range(3) for c in range(2))
    assert main_window.document.undo_stack.count() == steps + 1
    assert main_window.document.undo_stack.undoText() == "Rate 6 cells: II"
    scores_agree(main_window)


def test_copy_and_paste_ratings_as_tab_separated_text(main_window, qtbot):  # noqa: ANN001
    view = main_window.view
    model = view.model()
    go_to(main_window, 0, 0)
    view.selectionModel().select(model.index(0, LEADING), QItemSelectionModel.SelectionFlag.Select)
    view.selectionModel().select(
        model.index(0, LEADING + 1), QItemSelectionModel.SelectionFlag.Select
    )
    main_window.findChild(QAction, "actionCopy").trigger()
    expected = f"{shown(main_window, 0, 0)}\t{shown(main_window, 0, 1)}"
    assert QGuiApplication.clipboard().text() == expected

    QGuiApplication.clipboard().setText("cc\t--\nN/A\t0\n")
    go_to(main_window, 10, 1)
    steps = main_window.document.undo_stack.count()
    main_window.findChild(QAction, "actionPaste").trigger()
    assert [stored(main_window, 10, 1), stored(main_window, 10, 2)] == [Rating.CC, Rating.II]
    assert [stored(main_window, 11, 1), stored(main_window, 11, 2)] == [Rating.NA, Rating.N]
    assert main_window.document.undo_stack.count() == steps + 1
    assert main_window.document.undo_stack.undoText() == "Paste 4 ratings"


def test_pasting_a_bad_rating_names_the_place_and_changes_nothing(
    main_window,
    qtbot,
    message_boxes,  # noqa: ANN001
):
    before = main_window.document.project.layer(main_window.document.analyst_id).copy()
    QGuiApplication.clipboard().setText("C\tI\nC\tmaybe\n")
    go_to(main_window, 0, 0)
    main_window.findChild(QAction, "actionPaste").trigger()
    assert [b.name for b in message_boxes] == ["errorDialog"]
    assert "line 2, column 2" in message_boxes[0].text and "'maybe'" in message_boxes[0].text
    after = main_window.document.project.layer(main_window.document.analyst_id)
    assert (before == after).all()


def test_double_click_opens_the_picker_and_a_click_rates(main_window, qtbot):  # noqa: ANN001
    set_start(main_window, qtbot, 2, 0, Rating.N)
    view = main_window.view
    index = view.model().index(2, LEADING)
    rect = view.visualRect(index)
    # Qt 6's QTest double click needs the press of a first click on the same cell.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    picker = view.findChild(RatingPicker)
    assert picker.isVisible()
    button = picker.findChild(QToolButton, "pick-II")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert stored(main_window, 2, 0) == Rating.II
    assert not picker.isVisible()


def test_context_menu_offers_every_rating_and_exclusion(main_window, qtbot, scores_agree):  # noqa: ANN001
    view = main_window.view
    index = go_to(main_window, 4, 1)
    menu = view.build_cell_menu(index)
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    for code in ("CC", "C", "N", "I", "II", "NA", "blank"):
        assert f"rate-{code}" in names
    assert {"editRationale", "toggleEvidence", "editEvidence", "deleteEvidence"} <= set(names)
    menu.findChild(QAction, "rate-NA").trigger()
    assert stored(main_window, 4, 1) == Rating.NA
    menu.findChild(QAction, "toggleEvidence").trigger()
    assert not main_window.document.project.evidence[4].active
    assert main_window.document.undo_stack.undoText().startswith("Exclude")
    scores_agree(main_window)


def test_rationale_from_the_menu_and_the_panel(main_window, qtbot, monkeypatch):  # noqa: ANN001
    go_to(main_window, 6, 2)
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", staticmethod(lambda *a, **k: ("Source is biased.", True))
    )
    main_window.findChild(QAction, "actionRationale").trigger()
    assert main_window.document.rationale(6, 2) == "Source is biased."
    tip = main_window.view.model().index(6, LEADING + 2).data(Qt.ItemDataRole.ToolTipRole)
    assert "Source is biased." in tip

    panel = main_window.evidence_panel
    assert panel.rationale.toPlainText() == "Source is biased."
    panel.rationale.setPlainText("Second look: the source is reliable.")
    panel.rationale.commit()
    assert main_window.document.rationale(6, 2) == "Second look: the source is reliable."
    main_window.findChild(QAction, "actionUndo").trigger()
    assert main_window.document.rationale(6, 2) == "Source is biased."


def test_space_opens_the_picker_on_the_current_cell(main_window, qtbot):  # noqa: ANN001
    go_to(main_window, 1, 3)
    qtbot.keyClick(main_window.view, Qt.Key.Key_Space)
    picker = main_window.view.findChild(RatingPicker)
    assert picker is not None and picker.isVisible()
    picker.findChild(QToolButton, "pick-CC").click()
    assert stored(main_window, 1, 3) == Rating.CC
