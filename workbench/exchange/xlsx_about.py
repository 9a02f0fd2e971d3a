"""The About sheet: what the workbook is, the rating scale, and what each score means.

The legend's code and level cells double as the lists behind the drop-downs:
the workbook names ``RatingScale`` and ``WeightLevels`` point at them.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from workbench.core.model import Project
from workbench.core.ratings import RATING_SCALE, SCALE, Level, Rating
from workbench.exchange import workbook_layout as layout
from workbench.exchange import xlsx_styles as st
from workbench.exchange.xlsx_cells import styled

SCORE_EXPLANATIONS = (
    (
        layout.INCONSISTENCY_LABEL,
        f"How much evidence argues against the hypothesis: {RATING_SCALE.counted(-1)}. "
        "Lower is better: ACH looks for the hypothesis with the least evidence against it, "
        "not the most for it.",
    ),
    (
        layout.WEIGHTED_INCONSISTENCY_LABEL,
        "The same, with each item counted by its weight (credibility x relevance). "
        "This is the main ranking score: rank 1 has the lowest.",
    ),
    (
        layout.CONSISTENCY_LABEL,
        "Weighted count of the evidence that fits the hypothesis "
        f"({RATING_SCALE.counted(+1)}). "
        "Only breaks ties: evidence that fits several hypotheses proves little.",
    ),
    (
        layout.NORMALIZED_LABEL,
        "Weighted inconsistency divided by the total weight of the rated evidence, so "
        "hypotheses rated on different amounts of evidence can be compared.",
    ),
    (
        "Posterior",
        "A Bayesian reading of the same ratings: the probability of each hypothesis given "
        f"the evidence, using the likelihoods above; unrated and {Rating.NA.code} cells "
        "count as neutral.",
    ),
    (
        "Diagnosticity",
        "How much an evidence item tells the hypotheses apart (spread of its ratings). "
        "Evidence consistent with every hypothesis has none.",
    ),
    (
        "Excluded evidence",
        "Keeps its ratings but is left out of every score (greyed in the Matrix, where its "
        "Active column after the hypotheses is 0). Set it to 1 to count the row again.",
    ),
)


def write_about(
    workbook: Workbook,
    sheet,
    project: Project,
    exported_at: str,
    app_version: str,
    layer_note: str,
) -> None:
    widths = {1: 26, 2: 22, 3: 12, 4: 60}
    st.set_widths(sheet, widths)
    # Print setup and row heights must be in place before the first row streams out.
    st.landscape_fit_to_width(sheet)
    rows: list[list] = [
        [styled(sheet, "About this workbook", st.TITLE)],
        [],
        # Shown by formula: the Matrix and Project sheets hold these values.
        [styled(sheet, "Project", st.CODE), f"={layout.MATRIX_SHEET}!$A${layout.MATRIX_TITLE_ROW}"],
        [
            styled(sheet, "Key question", st.CODE),
            f"={layout.MATRIX_SHEET}!$A${layout.MATRIX_QUESTION_ROW}",
        ],
        [styled(sheet, "Classification", st.CODE), f"={_project_cell(1)}"],
        [styled(sheet, "Ratings shown", st.CODE), layer_note],
        [styled(sheet, "Exported", st.CODE), exported_at],
        [styled(sheet, "By", st.CODE), f"ACH Workbench {app_version}"],
        [],
        [styled(sheet, h, st.HEADER) for h in ("Rating scale", "Meaning", "Value", "Likelihood")],
    ]
    scale_first = len(rows) + 1
    for k, rating in enumerate(SCALE):
        likelihood = f"={_project_cell(len(layout.PROJECT_TEXT_FIELDS) + k)}"
        rows.append(
            [
                rating.code,
                rating.label,
                styled(sheet, rating.numeric, st.CENTRED),
                styled(sheet, likelihood, st.CENTRED),
            ]
        )
    rows.append(
        [Rating.NA.code, Rating.NA.label, "not scored", "counts as neutral in the posterior"]
    )
    scale_last = len(rows)
    rows.append(["(empty)", Rating.BLANK.label, "not scored", "counts as neutral"])
    rows.append([])
    rows.append([styled(sheet, h, st.HEADER) for h in ("Credibility / relevance", "Weight")])
    levels_first = len(rows) + 1
    for level in Level:
        rows.append([level.label, styled(sheet, round(level.weight, 3), st.CENTRED)])
    levels_last = len(rows)
    rows.append(["(empty)", "counts as Medium"])
    rows.append(
        [
            styled(sheet, "Evidence weight", st.CODE),
            styled(sheet, "credibility weight x relevance weight (0.5 to 2)", st.WRAPPED),
        ]
    )
    rows.append([])
    rows.append([styled(sheet, h, st.HEADER) for h in ("Score", "What it means")])
    for name, meaning in SCORE_EXPLANATIONS:
        rows.append([styled(sheet, name, st.CODE), styled(sheet, meaning, st.WRAPPED)])

    # Long texts in column B span B:D so they wrap over a readable width.
    merged = {2: sum(widths[c] for c in (2, 3, 4))}
    for number, row in enumerate(rows, start=1):
        if len(row) == 2 and getattr(row[1], "style", None) == st.WRAPPED:
            sheet.merged_cells.add(f"B{number}:D{number}")
            st.fit_row(sheet, number, row, merged)
    for row in rows:
        sheet.append(row)

    _define(workbook, layout.RATING_SCALE_NAME, sheet.title, scale_first, scale_last)
    _define(workbook, layout.WEIGHT_LEVELS_NAME, sheet.title, levels_first, levels_last)


def _project_cell(index: int) -> str:
    return f"{layout.PROJECT_SHEET}!$B${layout.project_value_row(index)}"


def _define(workbook: Workbook, name: str, sheet_title: str, first: int, last: int) -> None:
    reference = f"'{sheet_title}'!$A${first}:$A${last}"
    workbook.defined_names[name] = DefinedName(name, attr_text=reference)
