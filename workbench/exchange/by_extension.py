"""Which reader or writer a file needs, by its extension: one answer for the CLI and the window.

Our own export is recognised by its hidden ``_workbench`` sheet, not by its
name, so a team's edited copy comes back by code while any other workbook
is read as a plain matrix.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbench.core.analysis import CONSENSUS, LayerKey
from workbench.core.errors import BadInput
from workbench.core.limits import check_size
from workbench.core.model import Project

#: Spreadsheets and text matrices read as a plain matrix (or as our own export).
MATRIX_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".csv", ".tsv", ".txt")
PARC_SUFFIX = ".achz"
#: The full-fidelity project form (exchange/json_format.md).
JSON_SUFFIX = ".json"
IMPORT_SUFFIXES = (*MATRIX_SUFFIXES, PARC_SUFFIX, JSON_SUFFIX)
EXPORT_SUFFIXES = (".xlsx", ".csv", JSON_SUFFIX)


def read_any(path: str | os.PathLike[str], sheet: str | None = None) -> Project:
    """Read a spreadsheet, CSV or PARC file into a core Project.

    ``sheet`` picks the sheet of a plain matrix; without it a workbook's first
    sheet with an Evidence header is read, or the whole of our own export.
    """
    project = _read(Path(path), sheet)
    # Beyond the supported size, scoring and exporting take minutes and gigabytes.
    check_size(
        len(project.evidence), len(project.hypotheses), len(project.analysts), Path(path).name
    )
    return project


def _read(path: Path, sheet: str | None) -> Project:
    suffix = path.suffix.lower()
    if suffix == PARC_SUFFIX:
        from workbench.exchange.parc import read_parc

        return read_parc(path)
    if suffix == JSON_SUFFIX:
        from workbench.exchange.json_format import read_json

        return read_json(path)
    if suffix not in MATRIX_SUFFIXES:
        kind = f"a {suffix} file" if suffix else "a file without an extension"
        raise BadInput(
            f"{path}: cannot import {kind} (use .xlsx, .xlsm, .ods, .csv, .json or PARC .achz)"
        )
    if suffix in (".xlsx", ".xlsm") and sheet is None:
        from workbench.exchange.workbook_import import is_workbench_workbook, read_workbook

        if is_workbench_workbook(path):
            return read_workbook(path)
    from workbench.exchange.matrix_import import read_matrix

    return read_matrix(path, sheet=sheet)


def export_any(
    project: Project,
    path: str | os.PathLike[str],
    layer: LayerKey = CONSENSUS,
    app_version: str = "",
) -> None:
    """Write an .xlsx (live formulas) or a .csv (plain matrix) of ``project`` seen on ``layer``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from workbench.exchange.xlsx_export import export_xlsx

        export_xlsx(project, path, layer=layer, app_version=app_version)
    elif suffix == ".csv":
        from workbench.exchange.csv_export import export_csv

        export_csv(project, path, layer=layer)
    elif suffix == JSON_SUFFIX:
        from workbench.exchange.json_format import export_json

        export_json(project, path)  # every layer: the JSON form has no view
    else:
        raise BadInput(
            f"{path}: export writes .xlsx, .csv or .json, not {suffix or 'no extension'}"
        )
