"""Editing evidence, hypotheses and sources through the real window's menus and docks."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QPushButton

from workbench.core.model import EvidenceType
from workbench.core.ratings import Rating
from workbench.ui.matrix.matrix_model import LEADING, SortKey
from workbench.ui.matrix.matrix_view import MatrixView


def trigger(window, name: str) -> None:  # noqa: ANN001
    action = window.findChild(QAction, name)
    assert action is not None, name
    assert action.isEnabled(), name
    action.trigger()


def go_to(window, row: int, column: int) -> None:  # noqa: ANN001
    window.view.setCurrentIndex(window.view.model().index(row, LEADING + column))


def codes(window) -> list[str]:  # noqa: ANN001
    return [e.code for e in window.document.project.evidence]


def test_add_evidence_then_edit_every_field_in_the_panel(main_window, qtbot, scores_agree):  # noqa: ANN001
    go_to(main_window, 2, 0)
    before = codes(main_window)
    trigger(main_window, "actionAddEvidence")
    project = main_window.document.project
    added = project.evidence[3]
    assert added.code == f"E{len(before) + 1}" and codes(main_window)[3] == added.code
    panel = main_window.evidence_panel
    assert panel.row == 3 and panel.code.text() == added.code

    panel.title.setText("Satellite images show new barracks")
    panel.title.editingFinished.emit()
    panel.date.setText("2021-06")
    panel.date.editingFinished.emit()
    panel.type.setCurrentIndex(panel.type.findText("Statement"))
    panel.type.activated.emit(panel.type.currentIndex())
    panel.credibility.setCurrentIndex(panel.credibility.findText("High"))
    panel.credibility.activated.emit(panel.credibility.currentIndex())
    panel.tags.setText("bases, #imagery")
    panel.tags.editingFinished.emit()
    panel.locator.setText("p. 4")
    panel.locator.editingFinished.emit()
    panel.source.setCurrentIndex(2)
    panel.source.activated.emit(2)
    panel.notes.load("")
    panel.notes.setPlainText("Check the resolution.")
    panel.notes.commit()
    added = project.evidence[3]
    assert added.title == "Satellite images show new barracks"
    assert str(added.date) == "2021-06"
    assert added.credibility.label == "High"
    assert added.type is EvidenceType.STATEMENT  # an enum again, not Qt's plain str
    assert added.tags == ["bases", "imagery"]
    assert added.locator == "p. 4"
    assert added.source_id == project.sources[1].id
    assert added.notes == "Check the resolution."
    assert main_window.view.model().index(3, 1).data() == added.title
    assert main_window.document.undo_stack.undoText() == f"Edit {added.code} notes"
    scores_agree(main_window)


def test_a_bad_date_is_refused_with_a_message_and_nothing_changes(main_window):  # noqa: ANN001
    go_to(main_window, 0, 0)
    panel = main_window.evidence_panel
    before = main_window.document.project.evidence[0].date
    steps = main_window.document.undo_stack.count()
    panel.date.setText("2020-13")
    panel.date.editingFinished.emit()
    assert main_window.document.project.evidence[0].date == before
    assert main_window.document.undo_stack.count() == steps
    assert "2020-13" in panel.status.text() and not panel.status.isHidden()


def test_a_duplicate_code_is_refused(main_window):  # noqa: ANN001
    go_to(main_window, 0, 0)
    panel = main_window.evidence_panel
    panel.code.setText("E2")
    panel.code.editingFinished.emit()
    assert main_window.document.project.evidence[0].code == "E1"
    assert "already used" in panel.status.text()


def test_delete_evidence_and_undo_brings_its_ratings_back(main_window, scores_agree, message_boxes):  # noqa: ANN001
    document = main_window.document
    layer_before = document.project.layer(document.analyst_id).copy()
    go_to(main_window, 4, 1)
    gone = codes(main_window)[4]
    rated = int((layer_before[4] != 0).sum())
    trigger(main_window, "actionDeleteEvidence")
    # It said what would go, before it went.
    asked = message_boxes[-1]
    assert asked.name == "confirmDialog" and gone in asked.text
    assert f"{rated} ratings" in asked.informative and "Undo" in asked.informative
    assert gone not in codes(main_window)
    assert document.undo_stack.undoText() == f"Delete {gone}"
    scores_agree(main_window)
    trigger(main_window, "actionUndo")
    assert codes(main_window)[4] == gone
    assert np.array_equal(document.project.layer(document.analyst_id), layer_before)
    scores_agree(main_window)


def test_duplicate_evidence_copies_its_ratings(main_window):  # noqa: ANN001
    go_to(main_window, 0, 0)
    trigger(main_window, "actionDuplicateEvidence")
    project = main_window.document.project
    layer = project.layer(main_window.document.analyst_id)
    assert project.evidence[1].title.endswith("(copy)")
    assert np.array_equal(layer[1], layer[0])


def test_move_evidence_up_and_down_from_the_panel(main_window):  # noqa: ANN001
    go_to(main_window, 3, 0)
    order = codes(main_window)
    main_window.evidence_panel.findChild(QPushButton, "moveEvidenceUpButton").click()
    assert codes(main_window)[2] == order[3] and codes(main_window)[3] == order[2]
    main_window.evidence_panel.findChild(QPushButton, "moveEvidenceDownButton").click()
    assert codes(main_window) == order


def test_add_rename_and_delete_a_hypothesis(main_window, scores_agree):  # noqa: ANN001
    document = main_window.document
    go_to(main_window, 0, 1)
    trigger(main_window, "actionAddHypothesis")
    project = document.project
    added = project.hypotheses[2]
    assert added.code == "H5"
    assert main_window.view.model().columnCount() == LEADING + 5
    assert main_window.matrix.footer_model.columnCount() == LEADING + 5
    panel = main_window.hypothesis_panel
    panel.title.setText("Frozen conflict")
    panel.title.editingFinished.emit()
    panel.prior.setText("10%")
    panel.prior.editingFinished.emit()
    assert added.title == "Frozen conflict" and added.prior == 0.1
    header = main_window.view.model().headerData(LEADING + 2, Qt.Orientation.Horizontal)
    assert header == "H5\nFrozen conflict"
    scores_agree(main_window)
    go_to(main_window, 0, 2)
    trigger(main_window, "actionDeleteHypothesis")
    assert [h.code for h in project.hypotheses] == ["H1", "H2", "H3", "H4"]
    scores_agree(main_window)


def test_dragging_a_hypothesis_header_moves_the_hypothesis(main_window, scores_agree):  # noqa: ANN001
    header = main_window.view.horizontalHeader()
    header.moveSection(LEADING + 3, LEADING + 0)
    project = main_window.document.project
    assert [h.code for h in project.hypotheses] == ["H4", "H1", "H2", "H3"]
    # The header itself stays in model order: the model moved, not the view.
    assert header.visualIndex(LEADING + 0) == LEADING + 0
    assert main_window.document.undo_stack.undoText() == "Move H4"
    scores_agree(main_window)
    trigger(main_window, "actionUndo")
    assert [h.code for h in project.hypotheses] == ["H1", "H2", "H3", "H4"]


def test_sort_hypotheses_by_rank(main_window, scores_agree):  # noqa: ANN001
    document = main_window.document
    header = main_window.view.horizontalHeader()
    header.moveSection(LEADING + 0, LEADING + 3)
    assert document.scores.rank.tolist() != [1, 2, 3, 4]
    trigger(main_window, "actionSortHypotheses")
    assert document.scores.rank.tolist() == [1, 2, 3, 4]
    assert document.undo_stack.undoText() == "Sort hypotheses by rank"
    scores_agree(main_window)


def test_search_box_filters_and_find_focuses_it(main_window, qtbot):  # noqa: ANN001
    main_window.activateWindow()
    trigger(main_window, "actionFind")
    search = main_window.matrix.search
    qtbot.keyClicks(search, "#sovereignty")
    model = main_window.view.model()
    evidence = main_window.document.project.evidence
    assert 0 < model.rowCount() < len(evidence)
    assert all("sovereignty" in evidence[r].tags for r in model.row_order)
    assert "shown" in main_window.matrix.count.text()
    # Rating a filtered row rates the right evidence.
    target = int(model.row_order[0])
    main_window.view.setCurrentIndex(model.index(0, LEADING + 2))
    qtbot.keyClicks(main_window.view, "ii")
    layer = main_window.document.project.layer(main_window.document.analyst_id)
    assert Rating(int(layer[target, 2])) == Rating.II
    search.clear()
    assert model.rowCount() == len(evidence)


def test_sort_box_orders_by_weighted_diagnosticity(main_window):  # noqa: ANN001
    box = main_window.matrix.sort
    box.setCurrentIndex(box.findData(SortKey.DIAGNOSTICITY))
    model = main_window.view.model()
    shown = main_window.document.scores.weighted_diagnosticity[model.row_order]
    assert np.all(np.diff(shown) <= 0)
    box.setCurrentIndex(box.findData(SortKey.MATRIX))
    assert model.row_order.tolist() == list(range(len(main_window.document.project.evidence)))


def test_sources_add_edit_delete_and_undo_relinks(main_window):  # noqa: ANN001
    document = main_window.document
    project = document.project
    panel = main_window.sources_panel
    panel.findChild(QPushButton, "addSourceButton").click()
    added = project.sources[-1]
    panel.edits["author"].setText("Wilk, A.")
    panel.edits["author"].editingFinished.emit()
    panel.edits["year"].setText("2021")
    panel.edits["year"].editingFinished.emit()
    assert (added.author, added.year) == ("Wilk, A.", 2021)

    cited = project.sources[0]
    citing = [e.code for e in project.evidence if e.source_id == cited.id]
    assert citing
    panel.list.setCurrentIndex(panel.model.index(0))
    panel.findChild(QPushButton, "deleteSourceButton").click()
    assert all(e.source_id != cited.id for e in project.evidence)
    assert "no longer cite" in panel.status.text()
    trigger(main_window, "actionUndo")
    assert [e.code for e in project.evidence if e.source_id == cited.id] == citing


def test_clicking_a_cell_shows_its_evidence_and_hypothesis(main_window, qtbot):  # noqa: ANN001
    view: MatrixView = main_window.view
    rect = view.visualRect(view.model().index(7, LEADING + 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    project = main_window.document.project
    assert main_window.evidence_panel.code.text() == project.evidence[7].code
    assert main_window.hypothesis_panel.code.text() == project.hypotheses[2].code
    label = main_window.evidence_panel.cell_label.text()
    assert label.startswith(f"{project.evidence[7].code} x {project.hypotheses[2].code}")
    QApplication.processEvents()


def test_double_clicking_a_hypothesis_header_opens_its_editor(main_window, qtbot):  # noqa: ANN001
    header = main_window.view.horizontalHeader()
    header.sectionDoubleClicked.emit(LEADING + 2)
    panel = main_window.hypothesis_panel
    assert panel.code.text() == main_window.document.project.hypotheses[2].code
    assert main_window.docks["hypothesis"].isVisible()


def test_move_evidence_from_the_menu_keeps_it_selected(main_window):  # noqa: ANN001
    go_to(main_window, 2, 1)
    order = codes(main_window)
    trigger(main_window, "actionMoveEvidenceDown")
    assert codes(main_window)[3] == order[2]
    assert main_window.view.current_project_row() == 3
    assert main_window.view.current_hypothesis() == 1
    shortcut = main_window.findChild(QAction, "actionMoveEvidenceUp").shortcut().toString()
    assert shortcut == "Ctrl+Shift+Up"
    trigger(main_window, "actionMoveEvidenceUp")
    assert codes(main_window) == order


def test_making_an_item_a_conclusion_excludes_it_in_one_undo_step(main_window, scores_agree):  # noqa: ANN001
    go_to(main_window, 0, 0)
    document = main_window.document
    item = document.project.evidence[0]
    assert item.type.counts_by_default and item.active
    panel = main_window.evidence_panel
    panel.type.setCurrentIndex(panel.type.findText("Conclusion"))
    panel.type.activated.emit(panel.type.currentIndex())
    assert item.type is EvidenceType.CONCLUSION and not item.active
    assert not panel.active.isChecked()
    assert "no longer counts in the scores" in panel.status.text()
    document.undo_stack.undo()
    assert item.type is EvidenceType.EVENT and item.active


def test_cancelling_a_delete_keeps_everything(main_window, monkeypatch):  # noqa: ANN001
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Cancel)
    project = main_window.document.project
    go_to(main_window, 2, 1)
    before = (len(project.evidence), len(project.hypotheses))
    trigger(main_window, "actionDeleteEvidence")
    trigger(main_window, "actionDeleteHypothesis")
    assert (len(project.evidence), len(project.hypotheses)) == before
    assert main_window.document.undo_stack.count() == 0
