"""The Matrix sheet: the analyst's matrix, editable, with live score rows underneath."""

from __future__ import annotations

import numpy as np
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter

from workbench.core.model import Project
from workbench.core.ratings import Rating
from workbench.core.scoring import MatrixScores
from workbench.exchange import workbook_layout as layout
from workbench.exchange import xlsx_styles as st
from workbench.exchange.xlsx_cells import clean_text, styled, text
from workbench.exchange.xlsx_formulas import (
    code_formula,
    consensus_formula,
    row_diagnosticity,
    score_formulas,
)

_CODES = [Rating(i).code or None for i in range(len(Rating))]
ID_WIDTH = 9
TITLE_WIDTH = 50
LEVEL_WIDTH = 11
HYPOTHESIS_WIDTH = 15
#: Up to this many rating cells, each is centred with a cell style. Beyond it
#: (thousands of rows) the cells stay unstyled: styling doubles the cost of every
#: cell, and a 5,000 x 40 export must stay within three times a bare dump. Their
#: colour comes from conditional formatting either way.
CENTRED_RATINGS_LIMIT = 50_000


def write_matrix(
    sheet,
    project: Project,
    codes: np.ndarray,
    scores: MatrixScores,
    comments: dict[tuple[int, int], str],
    layer_note: str,
    formula_cells: np.ndarray | None = None,
) -> dict[str, float | str]:
    """Write the whole Matrix sheet; return the cached value of every score cell.

    ``comments`` maps (row index, column index) of the matrix to the text of the
    rating cell's comment (the rationales). ``formula_cells`` marks the rating
    cells written as a formula of the Ratings sheet (a team's consensus). The
    returned mapping (cell -> value) lets the exporter store the workbench's own
    results as the formulas' results.
    """
    n_evidence, n_hypotheses = len(project.evidence), len(project.hypotheses)
    first, last = layout.MATRIX_FIRST_EVIDENCE_ROW, layout.evidence_row(max(n_evidence, 1) - 1)
    _set_up(sheet, project, n_evidence, n_hypotheses, first, last)

    sheet.append([text(sheet, project.title, "The project title", st.TITLE)])
    sheet.append([text(sheet, project.question, "The key question", st.NOTE)])
    codes_row = [styled(sheet, layer_note, st.SUBTITLE)]
    codes_row += [None] * (layout.FIRST_HYPOTHESIS_COLUMN - 2)
    for c in range(n_hypotheses):
        codes_row.append(styled(sheet, code_formula(layout.hypothesis_column(c)), st.SUBTITLE))
    sheet.append(codes_row)
    header = [styled(sheet, name, st.HEADER) for name in layout.MATRIX_LEADING_HEADERS]
    for h in project.hypotheses:
        title = layout.hypothesis_header(h.code, h.title)
        header.append(text(sheet, title, f"Hypothesis {h.code} title", st.HEADER))
    header.append(styled(sheet, layout.ACTIVE_HEADER, st.HEADER))
    sheet.append(header)

    centred = n_evidence * n_hypotheses <= CENTRED_RATINGS_LIMIT
    cached: dict[str, float | str] = {}
    for r, item in enumerate(project.evidence):
        row = [
            text(sheet, item.code, "An evidence code", st.CODE),
            text(sheet, item.title, f"Evidence {item.code} title", st.WRAPPED),
            styled(sheet, item.credibility.label, st.CENTRED),
            styled(sheet, item.relevance.label, st.CENTRED),
        ]
        for c, code in enumerate(codes[r].tolist()):
            note = comments.get((r, c))
            if formula_cells is not None and formula_cells[r, c]:
                at = (layout.evidence_row(r), layout.hypothesis_column(c))
                cell = styled(sheet, consensus_formula(*at), st.RATING)
                cached[f"{get_column_letter(at[1])}{at[0]}"] = _CODES[code] or ""
            elif centred:
                cell = styled(sheet, _CODES[code], st.RATING)
            elif note:
                cell = WriteOnlyCell(sheet, _CODES[code])
            else:
                row.append(_CODES[code])
                continue
            if note:
                cell.comment = _comment(note, f"{item.code} x {project.hypotheses[c].code}")
            row.append(cell)
        row.append(1 if item.active else 0)
        if n_hypotheses:
            # A hidden, unheaded helper: the row's diagnosticity, for the Evidence sheet.
            number = layout.evidence_row(r)
            last_h = get_column_letter(layout.hypothesis_column(n_hypotheses - 1))
            ratings = f"$E{number}:${last_h}{number}"
            row.append(f"={row_diagnosticity(ratings)}")
        sheet.append(row)
    if n_evidence == 0:
        sheet.append([])
    sheet.append([])

    formulas = {
        c: score_formulas(layout.hypothesis_column(c), n_evidence, n_hypotheses)
        for c in range(n_hypotheses)
    }
    values = {
        layout.INCONSISTENCY_LABEL: scores.inconsistency,
        layout.WEIGHTED_INCONSISTENCY_LABEL: scores.weighted_inconsistency,
        layout.CONSISTENCY_LABEL: scores.consistency,
        layout.NORMALIZED_LABEL: scores.normalized,
    }
    for k, label in enumerate(layout.SCORE_ROW_LABELS):
        row_number = layout.first_score_row(n_evidence) + k
        style = st.SCORE_COUNT if label == layout.INCONSISTENCY_LABEL else st.SCORE
        row = [styled(sheet, label, st.SCORE_LABEL)]
        row += [styled(sheet, None, st.SCORE_LABEL) for _ in range(layout.RELEVANCE_COLUMN - 1)]
        for c in range(n_hypotheses):
            row.append(styled(sheet, formulas[c][label], style))
            cell = f"{get_column_letter(layout.hypothesis_column(c))}{row_number}"
            cached[cell] = float(values[label][c])
        sheet.append(row)
    return cached


def _set_up(sheet, project: Project, n_evidence: int, n_hypotheses: int, first: int, last: int):
    """Everything a write-only sheet needs before its first row."""
    st.set_widths(
        sheet,
        {
            layout.ID_COLUMN: ID_WIDTH,
            layout.EVIDENCE_COLUMN: TITLE_WIDTH,
            layout.CREDIBILITY_COLUMN: LEVEL_WIDTH,
            layout.RELEVANCE_COLUMN: LEVEL_WIDTH,
        },
    )
    for c in range(n_hypotheses):
        st.set_widths(sheet, {layout.hypothesis_column(c): HYPOTHESIS_WIDTH})
    active = get_column_letter(layout.active_column(n_hypotheses))
    sheet.column_dimensions[active].width = 8
    sheet.column_dimensions[get_column_letter(layout.active_column(n_hypotheses) + 1)].hidden = True

    header_lines = max(
        (
            st.wrapped_lines(layout.hypothesis_header(h.code, h.title), HYPOTHESIS_WIDTH, bold=True)
            for h in project.hypotheses
        ),
        default=1,
    )
    sheet.row_dimensions[layout.MATRIX_HEADER_ROW].height = (
        st.LINE_HEIGHT * min(header_lines, 10) + 2
    )
    sheet.row_dimensions[layout.MATRIX_TITLE_ROW].height = 21
    # The question spans the table's width and wraps there instead of running off the page.
    table_width = ID_WIDTH + TITLE_WIDTH + 2 * LEVEL_WIDTH + HYPOTHESIS_WIDTH * n_hypotheses
    last_col = get_column_letter(
        max(layout.active_column(n_hypotheses) - 1, layout.RELEVANCE_COLUMN)
    )
    sheet.merged_cells.add(f"A{layout.MATRIX_QUESTION_ROW}:{last_col}{layout.MATRIX_QUESTION_ROW}")
    question_lines = st.wrapped_lines(project.question, table_width)
    sheet.row_dimensions[layout.MATRIX_QUESTION_ROW].height = (
        st.LINE_HEIGHT * min(question_lines, 6) + 2
    )
    for r, item in enumerate(project.evidence):
        lines = st.wrapped_lines(item.title, TITLE_WIDTH)
        if lines > 1:
            sheet.row_dimensions[layout.evidence_row(r)].height = (
                st.LINE_HEIGHT * min(lines, 10) + 2
            )

    sheet.freeze_panes = f"{get_column_letter(layout.CREDIBILITY_COLUMN)}{first}"
    st.add_rating_colours(sheet, first, last, n_hypotheses)
    st.add_drop_downs(sheet, first, last, n_hypotheses)
    st.landscape_fit_to_width(
        sheet, repeat_rows=f"{layout.MATRIX_HEADER_ROW}:{layout.MATRIX_HEADER_ROW}"
    )
    # Every data column, Active included, so a sort moves each row as a whole.
    sheet.auto_filter.ref = f"A{layout.MATRIX_HEADER_ROW}:{active}{last}"


def _comment(note: str, where: str) -> Comment:
    body = clean_text(note, f"The rationale of {where}")
    comment = Comment(body, "ACH Workbench")
    comment.width = 300
    comment.height = min(400, 20 + 15 * st.wrapped_lines(body, 40))
    return comment
