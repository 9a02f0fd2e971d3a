"""Warnings an import gives alongside the project it read.

A warning is for something read differently from how it looks, or kept in a
place of its own (a spelling the workbook's formulas cannot count, a number
read as a weight word, a block ignored below a matrix). The CLI prints each as
a ``warning:`` line; the window lists them in the import preview.
"""

from __future__ import annotations

from workbench.core.model import Project

_ATTRIBUTE = "import_warnings"


def set_import_warnings(project: Project, warnings: list[str]) -> None:
    setattr(project, _ATTRIBUTE, list(warnings))


def add_import_warnings(project: Project, warnings: list[str]) -> None:
    set_import_warnings(project, [*import_warnings(project), *warnings])


def import_warnings(project: Project) -> list[str]:
    return list(getattr(project, _ATTRIBUTE, []))
