"""Which reader or writer a file needs, by its extension.

These functions take paths and core objects only, so they run on a worker
thread (see tasks.py) without touching the window or the open project file.
"""

from __future__ import annotations

import copy
from pathlib import Path

from workbench import __version__
from workbench.core.analysis import LayerKey
from workbench.core.errors import BadInput
from workbench.core.model import Project
from workbench.exchange import by_extension

PROJECT_SUFFIX = ".achwb"
IMPORT_SUFFIXES = by_extension.IMPORT_SUFFIXES
EXPORT_SUFFIXES = by_extension.EXPORT_SUFFIXES

OPEN_FILTER = "ACH Workbench projects (*.achwb)"
IMPORT_FILTER = (
    "Matrices (*.xlsx *.xlsm *.ods *.csv *.tsv *.txt *.achz *.json);;"
    "Excel workbooks (*.xlsx *.xlsm);;CSV (*.csv *.tsv *.txt);;PARC ACH (*.achz);;"
    "ACH Workbench JSON (*.json)"
)


def is_own_workbook(path: Path) -> bool:
    """True for a workbook exported by ACH Workbench (it round-trips by code), or its JSON."""
    if path.suffix.lower() == ".json":
        return True
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    from workbench.exchange.workbook_import import is_workbench_workbook

    return is_workbench_workbook(path)


def read_any(path: Path) -> Project:
    """Read a spreadsheet, CSV or PARC file into a core Project (the CLI's reader)."""
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    return by_extension.read_any(path)


def export_to(project: Project, path: Path, layer: LayerKey) -> Path:
    """Write an .xlsx (live formulas) or .csv of ``project`` seen on ``layer``."""
    by_extension.export_any(project, path, layer=layer, app_version=__version__)
    return path


def snapshot(project: Project) -> Project:
    """A private copy for a worker thread, so the analyst can keep editing meanwhile."""
    return copy.deepcopy(project)
