"""The sheets that make the workbook carry a whole team's analysis: the project's
own fields, the analysts, every rating the Matrix does not show, the consensus
set by hand, and the hidden record of evidence order (so a sort loses nothing).

Which ratings the Matrix shows decides what goes where, so that every rating is
in exactly one cell: see :class:`MatrixView`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from workbench.core.analysis import CONSENSUS, LayerKey
from workbench.core.model import Project
from workbench.core.ratings import SCALE, Rating
from workbench.exchange import workbook_layout as layout
from workbench.exchange import xlsx_formulas as fx
from workbench.exchange import xlsx_styles as st
from workbench.exchange.output_file import ExportError
from workbench.exchange.xlsx_cells import text
from workbench.exchange.xlsx_tables import add_filter, table

#: Rows in one Excel sheet (the header takes one).
EXCEL_ROWS = 1_048_576


@dataclasses.dataclass(frozen=True)
class MatrixView:
    """Whose ratings the Matrix cells are.

    ``analyst_id`` is the analyst whose layer the cells are (outside the cells
    set by hand when ``consensus``): one analyst's export, or the consensus of a
    one-analyst project. None means a team's consensus, computed from the layers
    on the Ratings sheet.
    """

    consensus: bool
    analyst_id: int | None

    @classmethod
    def of(cls, project: Project, layer: LayerKey) -> MatrixView:
        if layer == CONSENSUS:
            only = project.analysts[0].id if len(project.analysts) == 1 else None
            return cls(True, only)
        return cls(False, int(layer))

    def shows(self, project: Project, analyst_id: int, overridden: np.ndarray) -> np.ndarray:
        """Mask of the cells of ``analyst_id``'s layer that the Matrix holds."""
        shape = (len(project.evidence), len(project.hypotheses))
        if analyst_id != self.analyst_id:
            return np.zeros(shape, dtype=bool)
        return ~overridden if self.consensus else np.ones(shape, dtype=bool)


#: A team's consensus is a live formula of the Ratings sheet up to this many
#: (cells x rating rows); beyond it the workbook would take minutes to open, so
#: the consensus is written as values (and follows an analyst's change on import).
LIVE_CONSENSUS_LIMIT = 20_000_000


def consensus_cells(project: Project, view: MatrixView) -> np.ndarray | None:
    """Mask of the Matrix cells written as consensus formulas, or None for values."""
    if not view.consensus or view.analyst_id is not None:
        return None
    overridden = overridden_mask(project)
    rows = sum(int(np.count_nonzero(project.layer(a.id))) for a in project.analysts)
    if (~overridden).sum() * max(rows, 1) > LIVE_CONSENSUS_LIMIT:
        return None
    return ~overridden


def overridden_mask(project: Project) -> np.ndarray:
    rows = {e.id: i for i, e in enumerate(project.evidence)}
    cols = {h.id: j for j, h in enumerate(project.hypotheses)}
    mask = np.zeros((len(project.evidence), len(project.hypotheses)), dtype=bool)
    for e, h in project.overrides:
        if e in rows and h in cols:
            mask[rows[e], cols[h]] = True
    return mask


def write_project_sheet(sheet, project: Project) -> None:
    rows = [
        [field, text(sheet, getattr(project, name), f"The project {field.lower()}", st.WRAPPED)]
        for field, name in layout.PROJECT_TEXT_FIELDS
    ]
    rows += [[layout.likelihood_field(r.code), float(project.likelihoods[r])] for r in SCALE]
    table(sheet, layout.PROJECT_HEADERS, rows, (18, 90))


def write_analysts(sheet, project: Project) -> None:
    rows = ([text(sheet, a.name, "An analyst name")] for a in project.analysts)
    count = table(sheet, layout.ANALYSTS_HEADERS, rows, (30,))
    add_filter(sheet, 1, count)


def write_ratings(sheet, project: Project, view: MatrixView) -> None:
    """Every non-blank rating of every layer, except the cells the Matrix holds."""
    overridden = overridden_mask(project)
    count = sum(
        int(np.count_nonzero((project.layer(a.id) != 0) & ~view.shows(project, a.id, overridden)))
        for a in project.analysts
    )
    if count >= EXCEL_ROWS:
        raise ExportError(
            f"The team's ratings need {count:,} rows on the Ratings sheet; a spreadsheet holds "
            f"{EXCEL_ROWS - 1:,}. Export the project as .json, or one analyst at a time."
        )

    def rows():
        for analyst in project.analysts:
            layer = project.layer(analyst.id)
            listed = (layer != 0) & ~view.shows(project, analyst.id, overridden)
            for i, j in zip(*np.nonzero(listed), strict=True):
                yield [
                    text(sheet, project.evidence[i].code, "An evidence code"),
                    text(sheet, project.hypotheses[j].code, "A hypothesis code"),
                    text(sheet, analyst.name, "An analyst name"),
                    Rating(int(layer[i, j])).code,
                ]

    count = table(sheet, layout.RATINGS_HEADERS, rows(), (10, 11, 24, 8))
    add_filter(sheet, len(layout.RATINGS_HEADERS), count)


def write_overrides(sheet, project: Project, view: MatrixView) -> None:
    """Consensus cells set by hand; the rating is the Matrix cell when it shows consensus."""
    n_e, n_h = len(project.evidence), len(project.hypotheses)
    rows = {e.id: i for i, e in enumerate(project.evidence)}
    cols = {h.id: j for j, h in enumerate(project.hypotheses)}
    cells = sorted(
        (rows[e], cols[h], override)
        for (e, h), override in project.overrides.items()
        if e in rows and h in cols
    )
    block = fx.matrix_block(n_e, n_h)
    codes = fx.matrix_range(layout.ID_COLUMN, n_e)
    heads = fx.matrix_codes_row(n_h)

    def records():
        for k, (i, j, override) in enumerate(cells):
            n = layout.TABLE_FIRST_ROW + k
            if view.consensus:
                rating: object = (
                    f'=IFERROR(INDEX({block},MATCH($A{n},{codes},0),MATCH($B{n},{heads},0))&"","")'
                )
            else:
                rating = override.rating.code
            yield [
                text(sheet, project.evidence[i].code, "An evidence code"),
                text(sheet, project.hypotheses[j].code, "A hypothesis code"),
                rating,
                text(sheet, override.note, "A consensus note", st.WRAPPED),
            ]

    count = table(sheet, layout.OVERRIDES_HEADERS, records(), (10, 11, 8, 80))
    add_filter(sheet, len(layout.OVERRIDES_HEADERS), count)


def evidence_meta(project: Project, view: MatrixView, codes: np.ndarray) -> list[tuple]:
    """The hidden rows that record evidence order (and a team's exported consensus)."""
    snapshot = view.consensus and view.analyst_id is None
    out: list[tuple] = []
    for r, item in enumerate(project.evidence):
        if snapshot:
            shown = " ".join(Rating(int(x)).code or "-" for x in codes[r].tolist())
            out.append((layout.META_EVIDENCE, item.code, shown))
        else:
            out.append((layout.META_EVIDENCE, item.code))
    return out


def project_value_cell(field_index: int) -> str:
    return f"{layout.PROJECT_SHEET}!$B${layout.project_value_row(field_index)}"
