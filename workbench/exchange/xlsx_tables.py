"""The record sheets of the export: Evidence, Hypotheses, Scores, Sources, Milestones,
Rationales and the hidden _workbench metadata.

Each is a plain table (headers in row 1, one record per row) so that the
importer, a pivot table or pandas can read it without knowing the workbench.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference

from workbench.core.model import Project
from workbench.core.ratings import Rating
from workbench.core.scoring import MatrixScores
from workbench.exchange import workbook_layout as layout
from workbench.exchange import xlsx_styles as st
from workbench.exchange.xlsx_cells import styled, text


def _table(sheet, headers: Sequence[str], rows: Iterable[list], widths: Sequence[float]) -> int:
    """Write a header row and records; returns the number of records."""
    width_of = dict(enumerate(widths, start=1))
    st.set_widths(sheet, width_of)
    sheet.freeze_panes = "A2"
    st.landscape_fit_to_width(sheet, repeat_rows="1:1")
    header = [styled(sheet, name, st.HEADER) for name in headers]
    st.fit_row(sheet, layout.TABLE_HEADER_ROW, header, width_of)
    sheet.append(header)
    count = 0
    for row in rows:
        if st.fit_row(sheet, layout.TABLE_FIRST_ROW + count, row, width_of) > 1:
            row = [_top(sheet, value) for value in row]
        sheet.append(row)
        count += 1
    return count


def _top(sheet, value):
    """Top-align a plain value in a tall row, so it lines up with the wrapped text."""
    if isinstance(value, Cell):
        if value.style == "Normal":
            value.style = st.TOP
        return value
    return value if value is None else styled(sheet, value, st.TOP)


def write_evidence(sheet, project: Project, scores: MatrixScores) -> None:
    refs = {s.id: layout.source_ref(i) for i, s in enumerate(project.sources)}
    sources = {s.id: s for s in project.sources}

    def rows():
        for r, e in enumerate(project.evidence):
            where = f"Evidence {e.code}"
            source = sources.get(e.source_id) if e.source_id is not None else None
            yield [
                text(sheet, e.code, "An evidence code", st.CODE),
                text(sheet, e.title, f"{where} title", st.WRAPPED),
                text(sheet, e.description, f"{where} description", st.WRAPPED),
                e.type.label,
                str(e.date) if e.date else None,
                text(sheet, source.cite() if source else "", f"{where} source"),
                refs.get(e.source_id) if e.source_id is not None else None,
                text(sheet, e.locator, f"{where} locator"),
                e.credibility.label,
                e.relevance.label,
                styled(sheet, e.weight, st.NUMBER),
                bool(e.active),
                text(sheet, layout.TAG_SEPARATOR.join(e.tags), f"{where} tags"),
                text(sheet, e.notes, f"{where} notes", st.WRAPPED),
                styled(sheet, float(scores.diagnosticity[r]), st.NUMBER),
                styled(sheet, float(scores.weighted_diagnosticity[r]), st.NUMBER),
            ]

    widths = (9, 45, 45, 18, 11, 24, 10, 18, 11, 11, 9, 8, 20, 40, 13, 13)
    _table(sheet, layout.EVIDENCE_HEADERS, rows(), widths)


def write_hypotheses(sheet, project: Project) -> None:
    rows = (
        [
            text(sheet, h.code, "A hypothesis code", st.CODE),
            text(sheet, h.title, f"Hypothesis {h.code} title", st.WRAPPED),
            text(sheet, h.description, f"Hypothesis {h.code} description", st.WRAPPED),
            h.prior,
        ]
        for h in project.hypotheses
    )
    _table(sheet, layout.HYPOTHESES_HEADERS, rows, (9, 50, 70, 10))


def write_scores(sheet, project: Project, scores: MatrixScores) -> None:
    """Hypotheses from most to least likely, with a bar chart of weighted inconsistency."""

    def rows():
        for c in scores.order().tolist():
            h = project.hypotheses[c]
            yield [
                int(scores.rank[c]),
                text(sheet, h.code, "A hypothesis code", st.CODE),
                text(sheet, h.title, f"Hypothesis {h.code} title", st.WRAPPED),
                float(scores.inconsistency[c]),
                styled(sheet, float(scores.weighted_inconsistency[c]), st.NUMBER),
                styled(sheet, float(scores.consistency[c]), st.NUMBER),
                styled(sheet, float(scores.normalized[c]), st.NUMBER),
                styled(sheet, float(scores.posterior[c]), st.PERCENT),
            ]

    count = len(project.hypotheses)
    if count:
        _add_chart(sheet, count)
    _table(sheet, layout.SCORES_HEADERS, rows(), (7, 9, 50, 15, 15, 13, 12, 11))


def _add_chart(sheet, count: int) -> None:
    column = layout.SCORES_HEADERS.index(layout.WEIGHTED_INCONSISTENCY_LABEL) + 1
    chart = BarChart()
    chart.type = "bar"  # horizontal bars read best with hypothesis labels
    chart.title = "Weighted inconsistency (lower = more likely)"
    chart.y_axis.title = "Weighted inconsistency"
    chart.y_axis.number_format = "0"
    chart.x_axis.title = None
    chart.legend = None
    chart.x_axis.scaling.orientation = "maxMin"  # rank 1 at the top, as in the table
    chart.y_axis.crosses = "max"  # ...and the value axis still along the bottom
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    data = Reference(sheet, min_col=column, min_row=1, max_row=count + 1)
    labels = Reference(sheet, min_col=2, min_row=2, max_row=count + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    chart.height = max(6.0, 1.0 + 0.8 * count)
    chart.width = 24
    # Under the table, so the sheet prints on one readable page.
    sheet.add_chart(chart, f"B{count + 4}")


def write_sources(sheet, project: Project) -> None:
    rows = (
        [
            layout.source_ref(i),
            text(sheet, s.citation, "A source citation"),
            text(sheet, s.author, "A source author", st.WRAPPED),
            s.year,
            text(sheet, s.title, "A source title", st.WRAPPED),
            text(sheet, s.link, "A source link"),
        ]
        for i, s in enumerate(project.sources)
    )
    _table(sheet, layout.SOURCES_HEADERS, rows, (6, 24, 30, 7, 60, 40))


def write_milestones(sheet, project: Project) -> None:
    codes = {h.id: h.code for h in project.hypotheses}
    rows = (
        [
            codes.get(m.hypothesis_id),
            text(sheet, m.indicator, "A milestone indicator", st.WRAPPED),
            str(m.expected_by) if m.expected_by else None,
            m.status.label,
            text(sheet, m.note, "A milestone note", st.WRAPPED),
        ]
        for m in project.milestones
    )
    _table(sheet, layout.MILESTONES_HEADERS, rows, (11, 60, 12, 13, 50))


def write_rationales(sheet, project: Project) -> None:
    """Every analyst's rationale, whatever layer the Matrix shows, so none is lost."""
    names = {a.id: a.name for a in project.analysts}
    order = {a.id: i for i, a in enumerate(project.analysts)}
    rows = {e.id: i for i, e in enumerate(project.evidence)}
    columns = {h.id: i for i, h in enumerate(project.hypotheses)}
    notes = sorted(
        ((order[a], rows[e], columns[h]), a, note)
        for (a, e, h), note in project.rationales.items()
        if note
    )

    def records():
        for (_, r, c), aid, note in notes:
            e, h = project.evidence[r].code, project.hypotheses[c].code
            rating = Rating(int(project.layer(aid)[r, c]))
            yield [
                text(sheet, e, "An evidence code"),
                text(sheet, h, "A hypothesis code"),
                text(sheet, names[aid], "An analyst name"),
                rating.code or None,
                text(sheet, note, f"The rationale of {e} x {h}", st.WRAPPED),
            ]

    _table(sheet, layout.RATIONALES_HEADERS, records(), (10, 11, 18, 8, 90))


def write_metadata(sheet, entries: list[tuple[str, object]]) -> None:
    sheet.sheet_state = "hidden"
    st.set_widths(sheet, {1: 16, 2: 40})
    for key, value in entries:
        sheet.append([key, text(sheet, value, f"The {key}") if isinstance(value, str) else value])


def comment_texts(project: Project, codes: np.ndarray, analyst_id: int | None) -> dict:
    """(row, column) -> comment text of each matrix cell that has a rationale.

    For the team view every analyst's rationale is listed with their name and
    rating, plus the facilitator's note where the consensus was set by hand; for
    one analyst's layer, only that analyst's rationales.
    """
    names = {a.id: a.name for a in project.analysts}
    rows = {e.id: i for i, e in enumerate(project.evidence)}
    columns = {h.id: i for i, h in enumerate(project.hypotheses)}
    parts: dict[tuple[int, int], list[str]] = {}
    for (aid, eid, hid), note in project.rationales.items():
        if not note or (analyst_id is not None and aid != analyst_id):
            continue
        r, c = rows[eid], columns[hid]
        if analyst_id is not None:
            parts.setdefault((r, c), []).append(note)
        else:
            own = Rating(int(project.layer(aid)[r, c])).code or "not rated"
            parts.setdefault((r, c), []).append(f"{names[aid]} ({own}): {note}")
    if analyst_id is None:
        for (eid, hid), override in project.overrides.items():
            r, c = rows[eid], columns[hid]
            line = f"Consensus set by the facilitator ({override.rating.code or 'blank'})"
            parts.setdefault((r, c), []).append(
                f"{line}: {override.note}" if override.note else line
            )
    return {key: "\n\n".join(lines) for key, lines in parts.items()}
