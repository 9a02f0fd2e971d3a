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

PROJECT_SUFFIX = ".achwb"
IMPORT_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".csv", ".tsv", ".achz")
EXPORT_SUFFIXES = (".xlsx", ".csv")

OPEN_FILTER = "ACH Workbench projects (*.achwb)"
IMPORT_FILTER = (
    "Matrices (*.xlsx *.xlsm *.ods *.csv *.tsv *.achz);;Excel workbooks (*.xlsx *.xlsm);;"
    "CSV (*.csv *.tsv);;PARC ACH (*.achz)"
)


def is_own_workbook(path: Path) -> bool:
    """True for a workbook exported by ACH Workbench (it round-trips by code)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    from workbench.exchange.workbook_import import is_workbench_workbook

    return is_workbench_workbook(path)


def read_any(path: Path) -> Project:
    """Read a spreadsheet, CSV or PARC file into a core Project."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    if suffix == ".achz":
        from workbench.exchange.parc import read_parc

        return read_parc(path)
    if suffix in IMPORT_SUFFIXES:
        if is_own_workbook(path):
            from workbench.exchange.workbook_import import read_workbook

            return read_workbook(path)
        from workbench.exchange.matrix_import import read_matrix

        return read_matrix(path)
    raise BadInput(
        f"{path.name}: cannot import a {suffix or 'extension-less'} file "
        "(use .xlsx, .xlsm, .ods, .csv or PARC .achz)"
    )


def export_to(project: Project, path: Path, layer: LayerKey) -> Path:
    """Write an .xlsx (live formulas) or .csv of ``project`` seen on ``layer``."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from workbench.exchange.xlsx_export import export_xlsx

        export_xlsx(project, path, layer=layer, app_version=__version__)
    elif suffix == ".csv":
        from workbench.exchange.csv_export import export_csv

        export_csv(project, path, layer=layer)
    else:
        raise BadInput(f"{path.name}: export writes .xlsx or .csv, not {suffix or 'no extension'}")
    return path


def snapshot(project: Project) -> Project:
    """A private copy for a worker thread, so the analyst can keep editing meanwhile."""
    return copy.deepcopy(project)
