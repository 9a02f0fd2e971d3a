"""The classification marking leads the window title and is edited from the Edit menu."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog


def test_marking_edited_from_the_menu_leads_the_title_and_undoes(main_window, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(
        QInputDialog, "getText", staticmethod(lambda *args, **kwargs: ("  SECRET  ", True))
    )
    before = main_window.document.project.classification
    action = main_window.findChild(QAction, "actionClassification")
    action.trigger()
    project = main_window.document.project
    assert project.classification == "SECRET"
    assert main_window.windowTitle().startswith("SECRET — ")
    main_window.document.undo_stack.undo()
    assert main_window.document.project.classification == before
    assert not main_window.windowTitle().startswith("SECRET")
