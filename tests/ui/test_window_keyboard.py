"""Everything by keyboard, and what a screen reader hears: shortcuts, redo keys,
Tab wrapping, credibility and relevance from the matrix, accessible names."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from workbench.core.edits import SetRating
from workbench.core.ratings import Level, Rating
from workbench.ui.matrix.matrix_model import CREDIBILITY, LEADING, RELEVANCE

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def focus_matrix(window, qtbot, row: int = 0, column: int = LEADING):  # noqa: ANN001, ANN201
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    view = window.view
    view.setFocus()
    view.setCurrentIndex(view.model().index(row, column))
    return view


def test_shortcuts_add_evidence_and_hypotheses(main_window, qtbot):  # noqa: ANN001
    project = main_window.document.project
    evidence, hypotheses = len(project.evidence), len(project.hypotheses)
    view = focus_matrix(main_window, qtbot)
    qtbot.keyClick(view, Qt.Key.Key_E, CTRL | SHIFT)
    assert len(project.evidence) == evidence + 1
    view = focus_matrix(main_window, qtbot)
    qtbot.keyClick(view, Qt.Key.Key_H, CTRL | SHIFT)
    assert len(project.hypotheses) == hypotheses + 1


def test_ctrl_y_and_ctrl_shift_z_both_redo(main_window, qtbot):  # noqa: ANN001
    view = focus_matrix(main_window, qtbot)
    document = main_window.document
    qtbot.keyClick(view, Qt.Key.Key_I)
    assert document.codes[0, 0] == Rating.I
    for redo in ((Qt.Key.Key_Y, CTRL), (Qt.Key.Key_Z, CTRL | SHIFT)):
        qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
        assert document.codes[0, 0] != Rating.I
        qtbot.keyClick(view, *redo)
        assert document.codes[0, 0] == Rating.I, redo


def test_tab_wraps_to_the_next_row_and_back(main_window, qtbot):  # noqa: ANN001
    model = main_window.view.model()
    last = model.columnCount() - 1
    view = focus_matrix(main_window, qtbot, 0, last)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, LEADING)
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (0, last)
    # Typing a row then Tab: rate across, wrap, keep going.
    view.setCurrentIndex(model.index(2, LEADING))
    hypotheses = model.columnCount() - LEADING
    for _ in range(hypotheses):
        qtbot.keyClick(view, Qt.Key.Key_N)
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (3, LEADING)
    assert (main_window.document.codes[2] == Rating.N).all()


def test_credibility_and_relevance_from_the_matrix(main_window, qtbot):  # noqa: ANN001
    project = main_window.document.project
    before = (project.evidence[1].credibility, project.evidence[1].relevance)
    assert before != (Level.LOW, Level.HIGH)
    view = focus_matrix(main_window, qtbot, 1, CREDIBILITY)
    qtbot.keyClick(view, Qt.Key.Key_L)
    assert project.evidence[1].credibility is Level.LOW
    view.setCurrentIndex(view.model().index(1, RELEVANCE))
    qtbot.keyClick(view, Qt.Key.Key_H)
    assert project.evidence[1].relevance is Level.HIGH
    assert view.model().index(1, CREDIBILITY).data() == "Low"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert (project.evidence[1].credibility, project.evidence[1].relevance) == before


def test_a_matrix_cell_reads_to_a_screen_reader(main_window):  # noqa: ANN001
    document = main_window.document
    project = document.project
    row, column = 11, 1
    analyst = document.editing_analyst()
    evidence, hypothesis = project.evidence[row], project.hypotheses[column]
    document.do(
        SetRating(analyst, evidence.id, hypothesis.id, Rating.I, "Minsk kept its own command.")
    )
    view = main_window.view
    interface = QAccessible.queryAccessibleInterface(view)
    assert interface.role() == QAccessible.Role.Table
    spoken = {interface.child(i).text(QAccessible.Text.Name) for i in range(interface.childCount())}
    note = "rationale: Minsk kept its own command."
    assert f"{evidence.code} by {hypothesis.code}: Inconsistent, {note}" in spoken
    other = project.evidence[0]
    assert any(text.startswith(f"{other.code} by {hypothesis.code}: ") for text in spoken)


def _controls(root: QWidget) -> list[QWidget]:
    kinds = (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit, QTextEdit, QAbstractSpinBox)
    return [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, kinds)
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and w.objectName() not in ("qt_spinbox_lineedit",)
        and not w.objectName().startswith("qt_")
    ]


def test_every_control_has_an_accessible_name(main_window, qtbot):  # noqa: ANN001
    for key in main_window.analysis_area.pages:
        main_window.show_dock(key)
    nameless = []
    for widget in _controls(main_window):
        name = QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)
        if not name.strip():
            nameless.append(f"{type(widget).__name__} {widget.objectName()!r}")
    assert not nameless, nameless


def test_read_only_disables_every_editing_action(main_window, example_file, qtbot):  # noqa: ANN001
    main_window.document.close()
    assert main_window.files.open_path(example_file, read_only=True)
    for name in (
        "addEvidenceButton",
        "duplicateEvidenceButton",
        "deleteEvidenceButton",
        "moveEvidenceUpButton",
        "moveEvidenceDownButton",
        "addHypothesisButton",
        "deleteHypothesisButton",
        "addSourceButton",
    ):
        button = main_window.findChild(QAbstractButton, name)
        assert button is not None and not button.isEnabled(), name
    for name in ("actionAddEvidence", "actionMoveEvidenceUp", "actionPaste", "actionRationale"):
        assert not main_window.findChild(QAction, name).isEnabled(), name
    assert "Read-only" in main_window.saved_label.text()


def test_the_status_bar_says_saved_and_when(main_window, qtbot):  # noqa: ANN001
    view = focus_matrix(main_window, qtbot)
    qtbot.keyClick(view, Qt.Key.Key_C)
    text = main_window.saved_label.text()
    assert text.startswith("Saved ") and text.count(":") == 2
    assert main_window.saved_label.isVisible()


def test_f1_opens_the_guide_to_the_eight_steps(main_window, qtbot):  # noqa: ANN001
    focus_matrix(main_window, qtbot)
    qtbot.keyClick(main_window.view, Qt.Key.Key_F1)
    guide = main_window.guide
    assert guide.isVisible()
    text = guide.browser.toPlainText()
    for words in ("1. Identify the hypotheses", "8. Set milestones", "Belarus", "cc or ++"):
        assert words in text
