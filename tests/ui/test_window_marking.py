"""The classification marking leads the window title; it is edited in File > Project Details."""

from __future__ import annotations

from PySide6.QtGui import QAction


def test_marking_edited_in_project_details_leads_the_title_and_undoes(main_window, qtbot):  # noqa: ANN001
    before = main_window.document.project.classification
    action = main_window.findChild(QAction, "actionProjectDetails")
    action.trigger()
    dialog = main_window.project_dialog
    qtbot.waitExposed(dialog)
    dialog.fields["classification"].setText("  SECRET \n  NOFORN ")
    dialog.accept()
    project = main_window.document.project
    assert project.classification == "SECRET NOFORN"  # one line, as printed on every page
    assert main_window.windowTitle().startswith("SECRET NOFORN — ")
    main_window.document.undo_stack.undo()
    assert main_window.document.project.classification == before
    assert not main_window.windowTitle().startswith("SECRET")
