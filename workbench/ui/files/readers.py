"""The window's side of the format registry (exchange/formats.py).

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
from workbench.exchange import formats
from workbench.exchange.imported import Imported

PROJECT_SUFFIX = ".achwb"
IMPORT_SUFFIXES = formats.IMPORT_SUFFIXES
EXPORT_SUFFIXES = formats.EXPORT_SUFFIXES

OPEN_FILTER = f"ACH Workbench projects (*{PROJECT_SUFFIX})"
IMPORT_FILTER = formats.IMPORT_FILTER


def is_own_workbook(path: Path) -> bool:
    """True for a workbook exported by ACH Workbench (it round-trips by code), or its JSON."""
    if path.suffix.lower() == ".json":
        return True
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    from workbench.exchange.workbook_import import is_workbench_workbook

    return is_workbench_workbook(path)


def read_any(path: Path) -> Imported:
    """Read a spreadsheet, CSV or PARC file, with what it can speak for."""
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    return formats.import_any(path)


def export_to(project: Project, path: Path, layer: LayerKey) -> Path:
    """Write ``project`` seen on ``layer`` in the format its extension names."""
    formats.export_any(project, path, layer=layer, app_version=__version__)
    return path


def snapshot(project: Project) -> Project:
    """A private copy for a worker thread, so the analyst can keep editing meanwhile."""
    return copy.deepcopy(project)
