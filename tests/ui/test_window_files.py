"""The File menu of the real window: new, open, example, recent, copy,
import (as new and into the open project), export, drag and drop, start-up."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QDropEvent

from workbench.core.analysis import score_project
from workbench.core.edits import SetRating
from workbench.core.ratings import Rating
from workbench.store import ProjectFile
from workbench.ui.app import open_start_project
from workbench.ui.main_window import MainWindow


@pytest.fixture
def answer(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Answer the next open/save file dialogs with given paths."""
    from PySide6.QtWidgets import QFileDialog

    answers: dict[str, str] = {}
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (answers.pop("open", ""), ""))
    )
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (answers.pop("save", ""), ""))
    )
    return answers


def trigger(window, name: str) -> None:  # noqa: ANN001
    action = window.findChild(QAction, name)
    assert action is not None and action.isEnabled(), name
    action.trigger()


def test_new_project_asks_where_and_is_durable_at_once(main_window, answer, tmp_path, qtbot):  # noqa: ANN001
    target = tmp_path / "fresh"
    answer["save"] = str(target)
    trigger(main_window, "actionNew")
    wizard = main_window.files.wizard
    qtbot.waitExposed(wizard)
    # The key question comes first; Finish skips the other steps.
    finish = wizard.button(wizard.WizardButton.FinishButton)
    assert not finish.isEnabled()
    qtbot.keyClicks(wizard.question_page.question, "Will the bridge open by June?")
    assert finish.isEnabled()
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    path = tmp_path / "fresh.achwb"
    assert path.exists()
    assert main_window.document.file.path == path.absolute()
    assert "fresh.achwb" in main_window.windowTitle()
    project = main_window.document.project
    assert project.question == "Will the bridge open by June?"
    assert project.title == "Will the bridge open by June"
    assert len(project.analysts) == 1 and [h.code for h in project.hypotheses] == ["H1", "H2"]
    trigger(main_window, "actionAddEvidence")
    main_window.document.close()
    with ProjectFile.open(path, read_only=True) as reopened:
        assert [e.code for e in reopened.project.evidence] == ["E1"]
        assert reopened.project.question == "Will the bridge open by June?"


def test_new_project_walks_question_hypotheses_and_evidence(main_window, answer, tmp_path, qtbot):  # noqa: ANN001
    answer["save"] = str(tmp_path / "bridge.achwb")
    trigger(main_window, "actionNew")
    wizard = main_window.files.wizard
    qtbot.waitExposed(wizard)
    page = wizard.question_page
    qtbot.keyClicks(page.question, "Will the bridge open by June?")
    qtbot.keyClicks(page.title_box, "Bridge")
    qtbot.keyClicks(page.horizon, "through June 2027")
    qtbot.keyClicks(page.classification, "OFFICIAL")
    qtbot.mouseClick(wizard.button(wizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.hypotheses_page
    box = wizard.hypotheses_page.entries
    for line in ("On time", "Late", "Never"):
        qtbot.keyClicks(box, line)
        qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.mouseClick(wizard.button(wizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.evidence_page
    qtbot.keyClicks(wizard.evidence_page.entries, "Steel delivered in May")
    qtbot.mouseClick(wizard.button(wizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    project = main_window.document.project
    assert (project.title, project.time_horizon, project.classification) == (
        "Bridge",
        "through June 2027",
        "OFFICIAL",
    )
    assert [(h.code, h.title) for h in project.hypotheses] == [
        ("H1", "On time"),
        ("H2", "Late"),
        ("H3", "Never"),
    ]
    assert [(e.code, e.title) for e in project.evidence] == [("E1", "Steel delivered in May")]
    # The classification marking leads the window title.
    assert main_window.windowTitle().startswith("OFFICIAL — Bridge")


def test_cancelling_the_new_project_wizard_changes_nothing(main_window, answer, qtbot):  # noqa: ANN001
    before = main_window.document.file.path
    trigger(main_window, "actionNew")
    wizard = main_window.files.wizard
    qtbot.waitExposed(wizard)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert main_window.document.file.path == before


def test_open_by_dialog_and_recent_files(main_window, answer, tmp_path, example_file):  # noqa: ANN001
    from workbench.exchange.example import load_example

    other = tmp_path / "second.achwb"
    ProjectFile.create(other, load_example()).close()
    answer["open"] = str(other)
    trigger(main_window, "actionOpen")
    assert main_window.document.file.path == other.absolute()
    recent = main_window.files.recent_files()
    assert recent[:2] == [str(other.absolute()), str(example_file.absolute())]
    main_window.recent_menu.aboutToShow.emit()
    entries = [a.text() for a in main_window.recent_menu.actions()]
    assert entries[:2] == recent[:2]
    main_window.recent_menu.actions()[1].trigger()
    assert main_window.document.file.path == example_file.absolute()


def test_open_a_file_that_is_not_a_project_shows_a_dialog(
    main_window,
    answer,
    tmp_path,
    message_boxes,  # noqa: ANN001
):
    bogus = tmp_path / "notes.achwb"
    bogus.write_text("not a database")
    before = main_window.document.file.path
    answer["open"] = str(bogus)
    trigger(main_window, "actionOpen")
    assert [m.name for m in message_boxes] == ["errorDialog"]
    assert "notes.achwb" in message_boxes[0].text and "Traceback" not in message_boxes[0].text
    assert main_window.document.file.path == before


def test_open_example_writes_a_fresh_copy_to_the_data_folder(main_window):  # noqa: ANN001
    trigger(main_window, "actionOpenExample")
    path = main_window.document.file.path
    assert path.name.startswith("Belarus example") and path.exists()
    from workbench.exchange.example import load_example

    assert len(main_window.document.project.evidence) == len(load_example().evidence)
    first = path
    trigger(main_window, "actionOpenExample")
    second = main_window.document.file.path
    assert second.exists() and first.exists()
    # The first copy was open (locked) when the second was asked for: both survive.
    trigger(main_window, "actionOpenExample")
    assert main_window.document.file.path.exists()


def test_save_a_copy(main_window, answer, tmp_path):  # noqa: ANN001
    target = tmp_path / "copy.achwb"
    answer["save"] = str(target)
    trigger(main_window, "actionSaveCopy")
    with ProjectFile.open(target, read_only=True) as copy:
        assert len(copy.project.evidence) == len(main_window.document.project.evidence)
    assert main_window.document.file.path != target


def test_export_csv_and_xlsx_through_the_menu(main_window, answer, tmp_path):  # noqa: ANN001
    answer["save"] = str(tmp_path / "matrix.csv")
    trigger(main_window, "actionExportCsv")
    rows = list(csv.reader((tmp_path / "matrix.csv").open(encoding="utf-8-sig")))
    codes = [e.code for e in main_window.document.project.evidence]
    assert all(any(code in row for row in rows) for code in codes)

    answer["save"] = str(tmp_path / "matrix")
    trigger(main_window, "actionExportXlsx")
    assert (tmp_path / "matrix.xlsx").exists()


def test_export_then_import_into_the_project_restores_a_rating_in_one_step(
    main_window,
    answer,
    tmp_path,
    message_boxes,
    scores_agree,  # noqa: ANN001
):
    document = main_window.document
    project = document.project
    exported = tmp_path / "round.xlsx"
    answer["save"] = str(exported)
    trigger(main_window, "actionExportXlsx")

    analyst = document.analyst_id
    evidence, hypothesis = project.evidence[0], project.hypotheses[0]
    before = project.rating(analyst, evidence.id, hypothesis.id)
    changed = Rating.II if before != Rating.II else Rating.CC
    document.do(SetRating(analyst, evidence.id, hypothesis.id, changed))
    steps = document.undo_stack.count()

    answer["open"] = str(exported)
    trigger(main_window, "actionImportInto")
    confirm = [m for m in message_boxes if m.name == "confirmDialog"]
    assert confirm and "1 rating changed" in confirm[0].informative
    assert project.rating(analyst, evidence.id, hypothesis.id) == before
    assert document.undo_stack.count() == steps + 1
    assert document.undo_stack.undoText() == "Import round.xlsx"
    scores_agree(main_window)
    trigger(main_window, "actionUndo")
    assert project.rating(analyst, evidence.id, hypothesis.id) == changed


def test_import_a_csv_matrix_as_a_new_project(main_window, answer, tmp_path):  # noqa: ANN001
    source = tmp_path / "team.csv"
    source.write_text(
        "Evidence,Credibility,H1: Accident,H2: Sabotage\n"
        "Valve found open,High,I,C\n"
        "Operator logged off early,Medium,C,N\n",
        encoding="utf-8",
    )
    answer["open"] = str(source)
    answer["save"] = str(tmp_path / "team.achwb")
    trigger(main_window, "actionImportNew")
    document = main_window.document
    assert document.file.path == (tmp_path / "team.achwb").absolute()
    assert [h.title for h in document.project.hypotheses] == ["Accident", "Sabotage"]
    assert main_window.view.model().rowCount() == 2
    expected = score_project(document.project)
    np.testing.assert_allclose(
        document.scores.weighted_inconsistency, expected.weighted_inconsistency, atol=1e-9
    )


def _drop(window: MainWindow, path: Path) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def test_dropping_a_project_file_opens_it(main_window, tmp_path):  # noqa: ANN001
    from workbench.exchange.example import load_example

    other = tmp_path / "dropped.achwb"
    ProjectFile.create(other, load_example()).close()
    _drop(main_window, other)
    assert main_window.document.file.path == other.absolute()


def test_dropping_an_unknown_file_says_what_to_drop(main_window, tmp_path, message_boxes):  # noqa: ANN001
    junk = tmp_path / "picture.png"
    junk.write_bytes(b"\x89PNG")
    _drop(main_window, junk)
    assert [m.name for m in message_boxes] == ["errorDialog"]
    assert "picture.png" in message_boxes[0].text


def test_read_only_project_says_so_and_refuses_edits(qtbot, tmp_path, example_file, message_boxes):  # noqa: ANN001
    window = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert window.files.open_path(example_file, read_only=True)
    assert "[read-only]" in window.windowTitle()
    assert not window.findChild(QAction, "actionAddEvidence").isEnabled()
    window.view.setCurrentIndex(window.view.model().index(0, 6))
    qtbot.keyClicks(window.view, "i")
    assert [m.name for m in message_boxes] == ["errorDialog"]
    assert "read-only" in message_boxes[0].text
    window.document.close()


def test_start_up_opens_the_recent_file_else_the_example(qtbot, tmp_path, example_file):  # noqa: ANN001
    settings = QSettings(str(tmp_path / "start.ini"), QSettings.Format.IniFormat)
    first = MainWindow(settings=settings)
    qtbot.addWidget(first)
    assert open_start_project(first, None)
    assert first.document.file.path.name.startswith("Belarus example")
    first.files.open_path(example_file)
    first.close()

    second = MainWindow(settings=settings)
    qtbot.addWidget(second)
    assert open_start_project(second, None)
    assert second.document.file.path == example_file.absolute()
    second.close()


def test_edits_survive_closing_without_any_save_question(
    qtbot, tmp_path, example_file, message_boxes
):  # noqa: ANN001
    settings = QSettings(str(tmp_path / "close.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.files.open_path(example_file)
    window.view.setCurrentIndex(window.view.model().index(2, 5))
    qtbot.keyClicks(window.view, "--")
    window.close()
    assert message_boxes == []
    with ProjectFile.open(example_file, read_only=True) as reopened:
        project = reopened.project
        assert Rating(int(project.layer(project.analysts[0].id)[2, 0])) == Rating.II


def test_the_import_preview_lists_what_the_workbook_meant_differently(
    main_window,
    answer,
    tmp_path,
    message_boxes,  # noqa: ANN001
):
    """A spelling the workbook's formulas cannot count is named, cell and all."""
    import openpyxl

    from workbench.exchange import workbook_layout as layout

    exported = tmp_path / "round.xlsx"
    answer["save"] = str(exported)
    trigger(main_window, "actionExportXlsx")
    book = openpyxl.load_workbook(exported)
    cell = book[layout.MATRIX_SHEET].cell(layout.MATRIX_FIRST_EVIDENCE_ROW, 5)
    cell.value = "Very inconsistent" if cell.value != "II" else "++"
    book.save(exported)
    answer["open"] = str(exported)
    trigger(main_window, "actionImportInto")
    (confirm,) = [m for m in message_boxes if m.name == "confirmDialog"]
    assert "Warning: round.xlsx: Matrix!E5:" in confirm.informative
    assert "the workbook's own score formulas did not count it" in confirm.informative
