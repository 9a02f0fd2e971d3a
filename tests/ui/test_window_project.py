"""The project's own fields from the window, and Open Example that never loses work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox

from workbench.core.edits import SetRating
from workbench.core.ratings import Rating
from workbench.store import ProjectFile


def trigger(window, name: str) -> None:  # noqa: ANN001
    action = window.findChild(QAction, name)
    assert action is not None and action.isEnabled(), name
    action.trigger()


def test_project_details_are_edited_in_one_undoable_step(main_window, qtbot):  # noqa: ANN001
    project = main_window.document.project
    before = (project.title, project.question, project.classification, project.time_horizon)
    trigger(main_window, "actionProjectDetails")
    dialog = main_window.project_dialog
    qtbot.waitExposed(dialog)
    fields = dialog.fields
    fields["title"].selectAll()
    qtbot.keyClicks(fields["title"], "Belarus 2026")
    fields["question"].selectAll()
    qtbot.keyClicks(fields["question"], "Will Minsk host a Russian base by 2027?")
    # The example carries a marking and a horizon of its own: replace them.
    fields["classification"].selectAll()
    qtbot.keyClicks(fields["classification"], "OFFICIAL-SENSITIVE")
    fields["time_horizon"].selectAll()
    qtbot.keyClicks(fields["time_horizon"], "through 2027")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert project.title == "Belarus 2026"
    assert project.question == "Will Minsk host a Russian base by 2027?"
    assert (project.classification, project.time_horizon) == ("OFFICIAL-SENSITIVE", "through 2027")
    assert main_window.windowTitle().startswith("OFFICIAL-SENSITIVE — Belarus 2026 — ")
    document = main_window.document
    assert document.undo_stack.count() == 1
    assert document.undo_stack.undoText().startswith("Edit project")
    trigger(main_window, "actionUndo")
    assert (
        project.title,
        project.question,
        project.classification,
        project.time_horizon,
    ) == before
    assert not main_window.windowTitle().startswith("OFFICIAL")
    # On disk too: the edit went through the store.
    trigger(main_window, "actionRedo")
    path = document.file.path
    document.close()
    with ProjectFile.open(path, read_only=True) as reopened:
        assert reopened.project.classification == "OFFICIAL-SENSITIVE"


def test_open_example_never_replaces_a_copy_that_holds_work(main_window, example_file):  # noqa: ANN001
    trigger(main_window, "actionOpenExample")
    first = main_window.document.file.path
    document = main_window.document
    project = document.project
    analyst = document.editing_analyst()
    cell = (project.evidence[0].id, project.hypotheses[3].id)
    document.do(SetRating(analyst, *cell, Rating.CC, "My own judgement."))
    # Leave the example (its lock goes), then ask for the example again.
    assert main_window.files.open_path(example_file)
    trigger(main_window, "actionOpenExample")
    second = main_window.document.file.path
    assert second != first and first.exists()
    with ProjectFile.open(first, read_only=True) as kept:
        assert kept.project.rating(analyst, *cell) is Rating.CC
        assert kept.project.rationale(analyst, *cell) == "My own judgement."
    assert "hold work" in main_window.statusBar().currentMessage()
    # An untouched copy is simply reused.
    assert main_window.files.open_path(example_file)
    trigger(main_window, "actionOpenExample")
    assert main_window.document.file.path == second
