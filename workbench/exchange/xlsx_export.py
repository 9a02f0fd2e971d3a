"""Export a project to an Excel workbook a team can read, edit and send back.

The layout (sheet names, headers, rows) is in :mod:`workbook_layout`, shared
with the importer. Sheets are streamed with openpyxl's write-only mode, which
keeps a 10,000-row matrix fast and small in memory; write-only sheets still
carry conditional formatting, drop-downs, comments, charts and print setup.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os

from openpyxl import Workbook

from workbench.core.analysis import CONSENSUS, LayerKey, layer_codes, score_project
from workbench.core.model import Project
from workbench.exchange import workbook_layout as layout
from workbench.exchange import xlsx_styles as st
from workbench.exchange.export_layer import layer_description
from workbench.exchange.output_file import replacing, save_workbook
from workbench.exchange.xlsx_about import write_about
from workbench.exchange.xlsx_cached import write_cached_values
from workbench.exchange.xlsx_matrix import write_matrix
from workbench.exchange.xlsx_styles import register_styles
from workbench.exchange.xlsx_tables import (
    comment_texts,
    write_evidence,
    write_hypotheses,
    write_metadata,
    write_milestones,
    write_rationales,
    write_scores,
    write_sources,
)
from workbench.exchange.xlsx_team import (
    MatrixView,
    consensus_cells,
    evidence_meta,
    write_analysts,
    write_overrides,
    write_project_sheet,
    write_ratings,
)


def export_xlsx(
    project: Project,
    path: str | os.PathLike[str],
    *,
    layer: LayerKey = CONSENSUS,
    app_version: str,
    exported_at: dt.datetime | None = None,
) -> None:
    """Write ``project`` as an .xlsx at ``path``, replacing it only once complete.

    ``layer`` chooses whose ratings the Matrix shows (the team consensus or one
    analyst id); the Rationales sheet always carries every analyst's notes.
    """
    layer_description(project, layer)  # an unknown analyst is refused before any work
    when = (exported_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")

    workbook = Workbook(write_only=True)
    # Only the Matrix score cells carry cached results: the rest are computed on load.
    workbook.calculation.fullCalcOnLoad = True
    try:
        cached = _write_sheets(workbook, project, layer, stamp, app_version)
        with replacing(path) as temp:
            save_workbook(workbook, temp)
            write_cached_values(temp, layout.MATRIX_SHEET, cached)
    except BaseException:
        _discard(workbook)
        raise


def _discard(workbook: Workbook) -> None:
    """Close the sheets' streams and delete their temporary files after a failure.

    Write-only sheets stream into temporary files of openpyxl's own; without
    this they would stay open (and on disk) until the program exits.
    """
    for sheet in workbook.worksheets:
        rows, writer = getattr(sheet, "_rows", None), getattr(sheet, "_writer", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()
        with contextlib.suppress(Exception):
            if writer is not None:
                writer.close()
                writer.cleanup()


def _write_sheets(
    workbook: Workbook, project: Project, layer: LayerKey, stamp: str, app_version: str
) -> dict[str, float | str]:
    """Fill every sheet; returns the cached values of the Matrix formula cells."""
    layer_note, analyst_name = layer_description(project, layer)
    codes = layer_codes(project, layer)
    scores = score_project(project, layer)
    analyst_id = None if layer == CONSENSUS else int(layer)
    register_styles(workbook)
    sheets = {title: workbook.create_sheet(title) for title in layout.SHEET_ORDER}
    view = MatrixView.of(project, layer)
    live = consensus_cells(project, view)
    cached = write_matrix(
        sheets[layout.MATRIX_SHEET],
        project,
        codes,
        scores,
        comment_texts(project, codes, analyst_id),
        layer_note,
        live,
    )
    write_evidence(sheets[layout.EVIDENCE_SHEET], project)
    write_hypotheses(sheets[layout.HYPOTHESES_SHEET], project)
    write_scores(sheets[layout.SCORES_SHEET], project)
    write_sources(sheets[layout.SOURCES_SHEET], project)
    write_milestones(sheets[layout.MILESTONES_SHEET], project)
    write_project_sheet(sheets[layout.PROJECT_SHEET], project)
    write_analysts(sheets[layout.ANALYSTS_SHEET], project)
    write_ratings(sheets[layout.RATINGS_SHEET], project, view)
    write_overrides(sheets[layout.OVERRIDES_SHEET], project, view)
    write_rationales(sheets[layout.RATIONALES_SHEET], project)
    write_about(workbook, sheets[layout.ABOUT_SHEET], project, stamp, app_version, layer_note)
    meta = [
        (layout.META_FORMAT, layout.FORMAT_NAME),
        (layout.META_FORMAT_VERSION, layout.FORMAT_VERSION),
        (layout.META_PROJECT_ID, project.uid),
        (layout.META_EXPORTED_AT, stamp),
        (layout.META_APP_VERSION, app_version),
        (layout.META_LAYER, analyst_name or layout.CONSENSUS_LAYER_NAME),
    ]
    if analyst_name is not None:
        meta.append((layout.META_ANALYST, analyst_name))
    if view.analyst_id is not None:
        names = {a.id: a.name for a in project.analysts}
        meta.append((layout.META_MATRIX_LAYER, names[view.analyst_id]))
    if live is not None:
        meta.append((layout.META_LIVE_CONSENSUS, 1))
    meta.extend(evidence_meta(project, view, codes))
    write_metadata(sheets[layout.META_SHEET], meta)
    for sheet in sheets.values():
        st.mark_classification(sheet, project.classification)

    return cached
