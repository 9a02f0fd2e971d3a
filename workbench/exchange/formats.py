"""Every file format the workbench reads or writes, in one table: the CLI and the window
both read it for their readers, writers, file-dialog filters and help text.

Our own export is recognised by its hidden ``_workbench`` sheet, not by its
name, so a team's edited copy comes back by code while any other workbook
is read as a plain matrix.

A reader returns an :class:`~workbench.exchange.diff.Imported`: the project
and what the file could speak for (a plain matrix says nothing about
milestones), so importing it into an open project leaves the rest alone.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.errors import BadInput
from workbench.core.limits import check_size
from workbench.exchange.imported import WHOLE_PROJECT, Imported

if TYPE_CHECKING:
    from workbench.core.analysis import LayerKey
    from workbench.core.model import Project

Reader = Callable[[Path, "str | None"], Imported]
Writer = Callable[["Project", Path, "LayerKey", str], None]
#: The consensus layer (core.analysis.CONSENSUS, spelled here so numpy loads only on use).
_CONSENSUS = "consensus"


@dataclasses.dataclass(frozen=True)
class Format:
    """One kind of file: its name for people, its extensions, and what can be done with it."""

    name: str
    #: Extensions read (lower case, with the dot); the first is the one written.
    suffixes: tuple[str, ...]
    #: How the window and the CLI describe it in a list ("PARC .achz").
    short: str
    read: Reader | None = None
    write: Writer | None = None
    #: What the export writes, for menus and help ("live formulas").
    note: str = ""

    @property
    def export_suffix(self) -> str:
        return self.suffixes[0]

    @property
    def dialog_filter(self) -> str:
        return f"{self.name} ({' '.join('*' + s for s in self.suffixes)})"

    @property
    def export_filter(self) -> str:
        return f"{self.name} (*{self.export_suffix})"


# -- readers and writers (imported lazily: openpyxl and friends take time to load) -------


def _read_spreadsheet(path: Path, sheet: str | None) -> Imported:
    """Our own export as a whole project, any other workbook as a plain matrix.

    The workbook is opened (and its safety checks run) once for both the question
    and the reading.
    """
    from workbench.exchange.matrix_import import import_matrix
    from workbench.exchange.spreadsheet_reader import Workbook
    from workbench.exchange.workbook_import import import_workbook
    from workbench.exchange.workbook_layout import META_SHEET

    if sheet is not None and not path.exists():
        raise BadInput(f"{path.name}: no such file")  # as the plain-matrix reader says it
    with Workbook(path) as workbook:
        if sheet is None and META_SHEET in workbook.sheet_names:
            return import_workbook(path, workbook=workbook)
        return import_matrix(path, sheet=sheet, workbook=workbook)


def _read_matrix(path: Path, sheet: str | None) -> Imported:
    from workbench.exchange.matrix_import import import_matrix

    return import_matrix(path, sheet=sheet)


def _read_parc(path: Path, sheet: str | None) -> Imported:
    from workbench.exchange.parc import PARC_SCOPE, read_parc

    return Imported(read_parc(path), PARC_SCOPE)


def _read_json(path: Path, sheet: str | None) -> Imported:
    from workbench.exchange.json_format import read_json

    return Imported(read_json(path), WHOLE_PROJECT)


def _write_xlsx(project: Project, path: Path, layer: LayerKey, app_version: str) -> None:
    from workbench.exchange.xlsx_export import export_xlsx

    export_xlsx(project, path, layer=layer, app_version=app_version)


def _write_csv(project: Project, path: Path, layer: LayerKey, app_version: str) -> None:
    from workbench.exchange.csv_export import export_csv

    export_csv(project, path, layer=layer)


def _write_json(project: Project, path: Path, layer: LayerKey, app_version: str) -> None:
    from workbench.exchange.json_format import export_json

    export_json(project, path)  # every layer: the JSON form has no view


#: Every format, in the order menus and help list them.
FORMATS: tuple[Format, ...] = (
    Format(
        "Excel workbook",
        (".xlsx", ".xlsm"),
        ".xlsx",
        _read_spreadsheet,
        _write_xlsx,
        "live formulas",
    ),
    Format("OpenDocument spreadsheet", (".ods",), ".ods", _read_matrix),
    Format("CSV", (".csv", ".tsv", ".txt"), ".csv", _read_matrix, _write_csv, "plain matrix"),
    #: The full-fidelity project form (exchange/json_format.md).
    Format(
        "ACH Workbench JSON",
        (".json",),
        ".json",
        _read_json,
        _write_json,
        "the whole project, every layer",
    ),
    Format("PARC ACH", (".achz",), "PARC .achz", _read_parc),
)

IMPORTS: tuple[Format, ...] = tuple(f for f in FORMATS if f.read is not None)
EXPORTS: tuple[Format, ...] = tuple(f for f in FORMATS if f.write is not None)
IMPORT_SUFFIXES: tuple[str, ...] = tuple(s for f in IMPORTS for s in f.suffixes)
EXPORT_SUFFIXES: tuple[str, ...] = tuple(f.export_suffix for f in EXPORTS)

#: The file dialog's filter for importing: every readable file first, then each format.
IMPORT_FILTER = ";;".join(
    [f"Matrices ({' '.join('*' + s for s in IMPORT_SUFFIXES)})"]
    + [f.dialog_filter for f in IMPORTS]
)


def listed(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)


#: "(.xlsx, .xlsm, .ods, .csv, .tsv, .txt or PARC .achz)": the CLI's help and error messages.
IMPORT_CHOICES = listed(
    [s for f in IMPORTS for s in (f.suffixes if f.short.startswith(".") else [f.short])]
)
EXPORT_CHOICES = listed([f.export_suffix for f in EXPORTS])


def format_of(path: Path) -> Format | None:
    suffix = path.suffix.lower()
    return next((f for f in FORMATS if suffix in f.suffixes), None)


def exporter(suffix: str) -> Format:
    """The export format written for ``suffix`` (".xlsx")."""
    for f in EXPORTS:
        if f.export_suffix == suffix.lower():
            return f
    raise BadInput(f"export writes {EXPORT_CHOICES}, not {suffix or 'no extension'}")


def import_any(path: str | os.PathLike[str], sheet: str | None = None) -> Imported:
    """Read a spreadsheet, CSV, PARC or JSON file, with what it can speak for.

    ``sheet`` picks the sheet of a plain matrix; without it a workbook's first
    sheet with an Evidence header is read, or the whole of our own export.
    """
    path = Path(path)
    found = format_of(path)
    if found is None or found.read is None:
        suffix = path.suffix.lower()
        kind = f"a {suffix} file" if suffix else "a file without an extension"
        raise BadInput(f"{path}: cannot import {kind} (use {IMPORT_CHOICES})")
    imported = found.read(path, sheet)
    project = imported.project
    # Beyond the supported size, scoring and exporting take minutes and gigabytes.
    check_size(len(project.evidence), len(project.hypotheses), len(project.analysts), path.name)
    return imported


def read_any(path: str | os.PathLike[str], sheet: str | None = None) -> Project:
    """Read a spreadsheet, CSV, PARC or JSON file into a core Project."""
    return import_any(path, sheet).project


def export_any(
    project: Project,
    path: str | os.PathLike[str],
    layer: LayerKey = _CONSENSUS,
    app_version: str = "",
) -> None:
    """Write ``project`` seen on ``layer`` in the format its extension names."""
    path = Path(path)
    found = format_of(path)
    if found is None or found.write is None or path.suffix.lower() != found.export_suffix:
        raise BadInput(
            f"{path}: export writes {EXPORT_CHOICES}, not {path.suffix.lower() or 'no extension'}"
        )
    found.write(project, path, layer, app_version)
