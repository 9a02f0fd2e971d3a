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
from openpyxl.utils import get_column_letter

from workbench.core.model import Project
from workbench.core.ratings import RATING_SCALE, Rating
from workbench.exchange import workbook_layout as layout
from workbench.exchange import xlsx_formulas as fx
from workbench.exchange import xlsx_styles as st
from workbench.exchange.xlsx_cells import styled, text


def table(sheet, headers: Sequence[str], rows: Iterable[list], widths: Sequence[float]) -> int:
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


def _letter(headers: Sequence[str], name: str) -> str:
    return get_column_letter(headers.index(name) + 1)


def write_evidence(sheet, project: Project) -> None:
    """Fields the Matrix has no room for; what the Matrix holds is shown by formula."""
    refs = {s.id: layout.source_ref(i) for i, s in enumerate(project.sources)}
    n_evidence, n_hypotheses = len(project.evidence), len(project.hypotheses)
    col = {name: _letter(layout.EVIDENCE_HEADERS, name) for name in layout.EVIDENCE_HEADERS}
    at = col["Matrix row"]
    titles = fx.matrix_range(layout.EVIDENCE_COLUMN, n_evidence)
    cred = fx.matrix_range(layout.CREDIBILITY_COLUMN, n_evidence)
    rel = fx.matrix_range(layout.RELEVANCE_COLUMN, n_evidence)
    active = fx.matrix_range(layout.active_column(n_hypotheses), n_evidence)
    codes = fx.matrix_range(layout.ID_COLUMN, n_evidence)
    # The Matrix's hidden column after Active holds each row's diagnosticity.
    helper = fx.matrix_range(layout.active_column(n_hypotheses) + 1, n_evidence)
    sources = f"{layout.SOURCES_SHEET}!$A:$A"

    def source_field(letter: str, n: int) -> str:
        found = f"MATCH(${col['Source ref']}{n},{sources},0)"
        return f'INDEX({layout.SOURCES_SHEET}!${letter}:${letter},{found})&""'

    def rows():
        for r, e in enumerate(project.evidence):
            n = layout.TABLE_FIRST_ROW + r
            where = f"Evidence {e.code}"
            found = f"${at}{n}=0"
            citation, author, year = (source_field(x, n) for x in "BCD")
            cite = (
                f'=IF(${col["Source ref"]}{n}="","",IFERROR(IF({citation}<>"",{citation},'
                f'{author}&IF({year}="","",", "&{year})),""))'
            )
            diagnosticity = f"=IF({found},0,INDEX({helper},${at}{n}))" if n_hypotheses else "=0"
            yield [
                text(sheet, e.code, "An evidence code", st.CODE),
                styled(sheet, f'=IF({found},"",INDEX({titles},${at}{n})&"")', st.WRAPPED),
                text(sheet, e.description, f"{where} description", st.WRAPPED),
                e.type.label,
                str(e.date) if e.date else None,
                cite,
                refs.get(e.source_id) if e.source_id is not None else None,
                text(sheet, e.locator, f"{where} locator"),
                f'=IF({found},"",INDEX({cred},${at}{n})&"")',
                f'=IF({found},"",INDEX({rel},${at}{n})&"")',
                styled(
                    sheet,
                    f"=IF({found},0,{fx.level_weight(col['Credibility'] + str(n))}"
                    f"*{fx.level_weight(col['Relevance'] + str(n))})",
                    st.NUMBER,
                ),
                f'=IF({found},"",INDEX({active},${at}{n}))',
                text(sheet, layout.TAG_SEPARATOR.join(e.tags), f"{where} tags"),
                text(sheet, e.notes, f"{where} notes", st.WRAPPED),
                styled(sheet, diagnosticity, st.NUMBER),
                styled(sheet, f"={col['Weight']}{n}*{col['Diagnosticity']}{n}", st.NUMBER),
                f"=IFERROR(MATCH($A{n},{codes},0),0)",
            ]

    widths = (9, 45, 45, 18, 11, 24, 10, 18, 11, 11, 9, 8, 20, 40, 13, 13, 8)
    sheet.column_dimensions[at].hidden = True
    count = table(sheet, layout.EVIDENCE_HEADERS, rows(), widths)
    add_filter(sheet, len(layout.EVIDENCE_HEADERS), count)


def add_filter(sheet, n_columns: int, count: int) -> None:
    """An autofilter over the header and every record row."""
    sheet.auto_filter.ref = f"A1:{get_column_letter(n_columns)}{max(count, 1) + 1}"


def write_hypotheses(sheet, project: Project) -> None:
    headers = fx.matrix_codes_row(len(project.hypotheses)).replace(
        f"${layout.MATRIX_CODES_ROW}", f"${layout.MATRIX_HEADER_ROW}"
    )
    codes = fx.matrix_codes_row(len(project.hypotheses))

    def title(n: int) -> str:
        return f'=IFERROR(MID(INDEX({headers},MATCH($A{n},{codes},0)),LEN($A{n})+3,32767),"")'

    rows = (
        [
            text(sheet, h.code, "A hypothesis code", st.CODE),
            styled(sheet, title(layout.TABLE_FIRST_ROW + k), st.WRAPPED),
            text(sheet, h.description, f"Hypothesis {h.code} description", st.WRAPPED),
            h.prior,
        ]
        for k, h in enumerate(project.hypotheses)
    )
    count = table(sheet, layout.HYPOTHESES_HEADERS, rows, (9, 50, 70, 10))
    add_filter(sheet, len(layout.HYPOTHESES_HEADERS), count)


#: Helper columns after the Scores table: the prior used, log score, relative weight.
SCORES_HELPERS = ("Prior used", "Log score", "Relative")


def write_scores(sheet, project: Project) -> None:
    """Live scores in matrix order: Rank and Posterior are formulas too (spec 3)."""
    n_evidence, n_h = len(project.evidence), len(project.hypotheses)
    last = layout.TABLE_FIRST_ROW + max(n_h, 1) - 1
    first_score = layout.first_score_row(n_evidence)
    priors = f"{layout.HYPOTHESES_SHEET}!$D${layout.TABLE_FIRST_ROW}:$D${last}"
    prior_codes = f"{layout.HYPOTHESES_SHEET}!$A${layout.TABLE_FIRST_ROW}:$A${last}"
    first_likelihood = len(layout.PROJECT_TEXT_FIELDS)
    likelihoods = {
        code: f"{layout.PROJECT_SHEET}!$B${layout.project_value_row(first_likelihood + k)}"
        for k, code in enumerate(SCALE_CODES)
    }

    def span(letter: str) -> str:
        return f"${letter}${layout.TABLE_FIRST_ROW}:${letter}${last}"

    def rounded(letter: str, n: int) -> tuple[str, str]:
        return f"ROUND({span(letter)},9)", f"ROUND({letter}{n},9)"

    def rows():
        for c in range(n_h):
            n = layout.TABLE_FIRST_ROW + c
            column = get_column_letter(layout.hypothesis_column(c))
            (wa, wi), (ca, ci), (ia, ii) = rounded("E", n), rounded("F", n), rounded("D", n)
            rank = (
                f"=1+SUMPRODUCT(({wa}<{wi})+({wa}={wi})*({ca}>{ci})"
                f"+({wa}={wi})*({ca}={ci})*({ia}<{ii})"
                f"+({wa}={wi})*({ca}={ci})*({ia}={ii})*(ROW({span('D')})<ROW(D{n})))"
            )
            given = f"INDEX({priors},MATCH($B{n},{prior_codes},0))"
            prior = (
                f'=IFERROR(IF({given}&""="",MAX(0,1-SUM({priors}))/COUNTBLANK({priors}),'
                f"{given}),1/{n_h})"
            )
            log_score = (
                f'=IF(I{n}<=0,"",LN(I{n})+'
                f"{fx.log_evidence(layout.hypothesis_column(c), n_evidence, n_h, likelihoods)})"
            )
            yield [
                rank,
                styled(
                    sheet, f"={layout.MATRIX_SHEET}!{column}${layout.MATRIX_CODES_ROW}", st.CODE
                ),
                styled(
                    sheet,
                    f"=MID({layout.MATRIX_SHEET}!{column}${layout.MATRIX_HEADER_ROW},LEN(B{n})+3,32767)",
                    st.WRAPPED,
                ),
                *(
                    styled(sheet, f"={layout.MATRIX_SHEET}!{column}{first_score + k}", style)
                    for k, style in enumerate((st.TOP, st.NUMBER, st.NUMBER, st.NUMBER))
                ),
                styled(sheet, f"=IF(SUM({span('K')})=0,0,K{n}/SUM({span('K')}))", st.PERCENT),
                styled(sheet, prior, st.NUMBER),
                log_score,
                f'=IF(J{n}="",0,EXP(J{n}-MAX({span("J")})))',
            ]

    if n_h:
        _add_chart(sheet, n_h)
    for letter in ("J", "K"):
        sheet.column_dimensions[letter].hidden = True
    count = table(
        sheet,
        (*layout.SCORES_HEADERS, *SCORES_HELPERS),
        rows(),
        (7, 9, 50, 15, 15, 13, 12, 11, 11, 8, 8),
    )
    add_filter(sheet, len(layout.SCORES_HEADERS), count)


SCALE_CODES = tuple(r.code for r in RATING_SCALE.scored)


def _add_chart(sheet, count: int) -> None:
    column = layout.SCORES_HEADERS.index(layout.WEIGHTED_INCONSISTENCY_LABEL) + 1
    chart = BarChart()
    chart.type = "bar"  # horizontal bars read best with hypothesis labels
    chart.title = "Weighted inconsistency (lower = more likely)"
    chart.y_axis.title = "Weighted inconsistency"
    chart.y_axis.number_format = "0"
    chart.x_axis.title = None
    chart.legend = None
    chart.x_axis.scaling.orientation = "maxMin"  # the first hypothesis at the top, as in the table
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
    count = table(sheet, layout.SOURCES_HEADERS, rows, (6, 24, 30, 7, 60, 40))
    add_filter(sheet, len(layout.SOURCES_HEADERS), count)


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
    count = table(sheet, layout.MILESTONES_HEADERS, rows, (11, 60, 12, 13, 50))
    add_filter(sheet, len(layout.MILESTONES_HEADERS), count)


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
            yield [
                text(sheet, e, "An evidence code"),
                text(sheet, h, "A hypothesis code"),
                text(sheet, names[aid], "An analyst name"),
                text(sheet, note, f"The rationale of {e} x {h}", st.WRAPPED),
            ]

    count = table(sheet, layout.RATIONALES_HEADERS, records(), (10, 11, 18, 90))
    add_filter(sheet, len(layout.RATIONALES_HEADERS), count)


def write_metadata(sheet, entries: list[tuple]) -> None:
    sheet.sheet_state = "hidden"
    st.set_widths(sheet, {1: 16, 2: 40})
    for key, *values in entries:
        sheet.append(
            [key, *(text(sheet, v, f"The {key}") if isinstance(v, str) else v for v in values)]
        )


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
