"""Rating sheets: one workbook per analyst to rate alone, then collected back.

Heuer's advice for a team is that each analyst rates the matrix on their own
before anyone sees another's ratings or the scores, so that the first opinion
voiced in the room does not anchor everyone else. A rating sheet is the
matrix without scores, with the hypothesis columns in an order of its own for
each analyst (no one's left-most column is everyone's left-most column), and
with the evidence details an analyst needs to rate without the application.

Sheet ``Ratings``: the instructions (the scale in words) at the top, then a
header row whose first cell is ``ID``, then one row per evidence item. Each
hypothesis has two columns side by side: the rating (``H1: <title>``, with the
scale as a drop-down) and ``Rationale for H1``, the analyst's reason, which
becomes that analyst's rationale for the cell. A rationale per cell, rather
than one notes column per row, is what the disagreement view shows side by
side when the team discusses a cell.

Collecting matches rows and columns BY CODE, so shuffled or re-sorted columns
and rows land where they belong. A blank rating cell leaves the analyst's
rating as it is (an unanswered cell is not an instruction to erase one), and
an empty rationale cell leaves the rationale as it is.

The hidden sheet ``_workbench`` (and the document properties) carry the
format, the project's uid, the analyst's name and a digest of the evidence and
hypothesis codes the sheet was written with, so a sheet of another project or
one whose IDs were edited is refused before anything changes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import math
import random
import re
from copy import copy
from pathlib import Path

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from workbench.core.errors import BadInput
from workbench.core.model import Evidence, Hypothesis, Project
from workbench.core.names import analyst_name
from workbench.core.ratings import RATING_LABELS, RATING_SCALE
from workbench.exchange import workbook_layout as layout
from workbench.exchange import xlsx_styles as styles
from workbench.exchange.output_file import ExportError, replacing, save_workbook
from workbench.exchange.xlsx_cells import FORMULA_TRIGGERS, clean_text
from workbench.exchange.xlsx_formulas import CONSISTENT_TERMS, INCONSISTENT_TERMS, sumproducts

RATINGS_SHEET = "Ratings"
FORMAT_NAME = "ach-workbench-ratings"
FORMAT_VERSION = 1
META_DIGEST = "codes_digest"
RATIONALE_PREFIX = "Rationale for "
SCORE_LABELS = (
    layout.INCONSISTENCY_LABEL,
    layout.WEIGHTED_INCONSISTENCY_LABEL,
    layout.CONSISTENCY_LABEL,
)
#: Columns before the first hypothesis, in order.
DETAIL_HEADERS = (
    layout.ID_HEADER,
    "Evidence",
    "Type",
    "Date",
    "Source",
    "Credibility",
    "Relevance",
    "Description",
)
_WEIGHT_HEADER = "Weight (for the scores)"
#: Widths (characters) of the detail columns, and the longest wrapped cell shown in full.
_WIDTHS = {1: 7, 2: 38, 3: 14, 4: 11, 5: 20, 6: 11, 7: 11, 8: 56}
_DETAILS_WIDTH = sum(_WIDTHS.values())
_MAX_LINES = 10
_RATING_CHOICES = ",".join(layout.RATING_CHOICES)
_RESERVED_FILE_NAMES = {"con", "prn", "aux", "nul"} | {
    f"{p}{n}" for p in ("com", "lpt") for n in range(10)
}


def codes_digest(evidence_codes: list[str], hypothesis_codes: list[str]) -> str:
    """A fingerprint of which items a sheet covers; independent of row and column order."""
    text = "E:" + ",".join(sorted(evidence_codes)) + "|H:" + ",".join(sorted(hypothesis_codes))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def hypothesis_order(
    project: Project, analyst: str, shuffle: bool = True, seed: int | str | None = None
) -> list[Hypothesis]:
    """The column order of one analyst's sheet: the same every time it is written again.

    Seeded by the project's uid and the analyst's name (or by ``seed`` and the
    name), so re-sending Ana her sheet does not move her columns around.
    """
    order = list(project.hypotheses)
    if shuffle and len(order) > 1:
        base = project.uid if seed is None else str(seed)
        random.Random(f"{base}:{analyst.strip().casefold()}").shuffle(order)
    return order


def sheet_file_name(analyst: str) -> str:
    """A file name any operating system accepts, recognisably the analyst's name."""
    stem = re.sub(r"[^\w\- .]+", "_", analyst.strip()).strip(" .") or "analyst"
    if stem.casefold() in _RESERVED_FILE_NAMES:
        stem += "_"
    return stem[:80] + ".xlsx"


def _analyst_names(raw: list[str]) -> list[str]:
    names, seen = [], set()
    for typed in raw:
        name = analyst_name(typed, "")
        if name.casefold() in seen:
            raise BadInput(f"analyst {name!r} is listed twice")
        seen.add(name.casefold())
        names.append(name)
    if not names:
        raise BadInput("no analysts given: name at least one")
    return names


def write_rating_sheets(
    project: Project,
    analysts: list[str],
    out_dir: str | Path,
    *,
    shuffle: bool = True,
    hide_scores: bool = True,
    seed: int | str | None = None,
    overwrite: bool = False,
) -> list[Path]:
    """Write one rating workbook per analyst into ``out_dir``; returns the paths.

    An analyst already in the project finds their ratings and rationales
    filled in; a new name gets an empty sheet (they join the project when the
    sheet is collected). Nothing is written if any target is refused, and a
    failure part-way removes the sheets already written.
    """
    names = _analyst_names(analysts)
    if not project.hypotheses or not project.evidence:
        raise BadInput("the project needs hypotheses and evidence before rating sheets make sense")
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"{folder}: is a file, not a folder")
    targets: list[Path] = []
    for name in names:
        target = folder / sheet_file_name(name)
        while target in targets:
            target = target.with_name(f"{target.stem}_{len(targets) + 1}.xlsx")
        if target.exists() and not overwrite:
            raise BadInput(f"{target}: already exists (use --force to replace it)")
        targets.append(target)
    made_folder = not folder.exists()
    if made_folder:
        if not folder.parent.is_dir():
            raise BadInput(f"{folder}: the folder {folder.parent} does not exist")
        try:
            folder.mkdir()
        except OSError as err:
            raise ExportError(f"{folder}: cannot make the folder ({err.strerror or err})") from None
    written: list[Path] = []
    try:
        for name, target in zip(names, targets, strict=True):
            book = _rating_workbook(
                project, name, hypothesis_order(project, name, shuffle, seed), hide_scores
            )
            with replacing(target) as temp:
                save_workbook(book, temp)
            written.append(target)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        if made_folder:
            # The folder is ours only if we made it; leave nothing behind.
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return written


# -- building one workbook --------------------------------------------------------


def _put_text(sheet, row: int, column: int, value: str, where: str, style: str | None = None):
    """User text that stays text: ``=1+1`` arrives as those characters, not a formula."""
    cell = sheet.cell(row, column)
    if style:
        cell.style = style
    if value:
        value = clean_text(value, where)
        cell.value = value
        if value.startswith(FORMULA_TRIGGERS):
            cell.data_type = "s"
    return cell


class _Styler:
    """``cell.style = name`` for the many cells of one workbook, at the cost of a copy.

    openpyxl looks the name up in the workbook's list of style names twice for every
    cell it styles, and a 2,000 x 100 sheet styles 400,000 rating and rationale
    cells. The first cell of each style is styled that way; the others get a copy of
    its style record (openpyxl's ``_style``, copied the same way by its own
    worksheet copier), which is what the lookup would have made.
    """

    def __init__(self) -> None:
        self._records: dict[str, object] = {}

    def __call__(self, cell, name: str) -> None:  # noqa: ANN001 - an openpyxl cell
        record = self._records.get(name)
        if record is None:
            cell.style = name
            self._records[name] = copy(cell._style)
        else:
            cell._style = copy(record)


def _instructions(scores_shown: bool) -> list[str]:
    scale = " \u00b7 ".join(f"{r.code} = {RATING_LABELS[r]}" for r in RATING_SCALE.choices)
    return [
        "How to rate: take one evidence item (one row) at a time and ask of each hypothesis: "
        "if this hypothesis were true, how consistent would this evidence be with it?",
        f"Pick a rating from the drop-down in each hypothesis column: {scale}. "
        "Leave a cell blank if you cannot judge it.",
        "Write your reason in the 'Rationale for ...' column next to each rating; the team "
        "reads it when you disagree.",
        (
            "Scores are shown at the bottom for your own ratings only. "
            if scores_shown
            else "Rate on your own: scores are left out so that no one is anchored by them. "
        )
        + "Do not change the ID column or the headers. Save the file and send it back.",
    ]


def _rating_workbook(
    project: Project, analyst_name: str, order: list[Hypothesis], hide_scores: bool
) -> OpenpyxlWorkbook:
    book = OpenpyxlWorkbook()
    styles.register_styles(book)
    sheet = book.active
    sheet.title = RATINGS_SHEET
    analyst = project.analyst_by_name(analyst_name)
    _put_text(sheet, 1, 1, f"Rating sheet for {analyst_name}", "the title", styles.TITLE)
    _put_text(sheet, 2, 1, project.title, "the project title", styles.SUBTITLE)
    if project.question:
        _put_text(sheet, 3, 1, f"Question: {project.question}", "the key question", styles.SUBTITLE)
    notes = _instructions(not hide_scores)
    for k, text in enumerate(notes):
        # Across the detail columns: in column A alone the text would wrap word by word.
        sheet.cell(4 + k, 1, text).style = styles.NOTE
        sheet.merge_cells(
            start_row=4 + k, start_column=1, end_row=4 + k, end_column=len(DETAIL_HEADERS)
        )
        sheet.row_dimensions[4 + k].height = _height([(text, _DETAILS_WIDTH)])
    header_row = 4 + len(notes) + 1
    first_row = header_row + 1
    n_details = len(DETAIL_HEADERS)

    for c, text in enumerate(DETAIL_HEADERS, start=1):
        sheet.cell(header_row, c, text).style = styles.HEADER
    rating_columns: list[int] = []
    for k, hypothesis in enumerate(order):
        column = n_details + 1 + 2 * k
        rating_columns.append(column)
        _put_text(
            sheet,
            header_row,
            column,
            layout.hypothesis_header(hypothesis.code, hypothesis.title),
            f"{hypothesis.code} title",
            styles.HEADER,
        )
        sheet.cell(header_row, column + 1, RATIONALE_PREFIX + hypothesis.code).style = styles.HEADER
    last_column = n_details + 2 * len(order)

    style = _Styler()
    for r, evidence in enumerate(project.evidence):
        row = first_row + r
        _evidence_details(sheet, row, project, evidence)
        for column, hypothesis in zip(rating_columns, order, strict=True):
            cell = sheet.cell(row, column)
            style(cell, styles.RATING)
            style(sheet.cell(row, column + 1), styles.WRAPPED)
            if analyst is None:
                continue
            rating = project.rating(analyst.id, evidence.id, hypothesis.id)
            cell.value = rating.code or None
            _put_text(
                sheet,
                row,
                column + 1,
                project.rationale(analyst.id, evidence.id, hypothesis.id),
                f"{analyst_name}'s rationale for {evidence.code} x {hypothesis.code}",
            )
    last_row = first_row + len(project.evidence) - 1

    _rating_cells(sheet, rating_columns, first_row, last_row)
    if not hide_scores:
        _score_rows(sheet, project, rating_columns, first_row, last_row, last_column + 1)
    _shape(sheet, header_row, n_details, len(order), last_column, last_row)
    _identity(book, project, analyst_name, order)
    for each in book.worksheets:
        styles.mark_classification(each, project.classification)
    return book


def _evidence_details(sheet, row: int, project: Project, evidence: Evidence) -> None:
    source = project.source_by_id(evidence.source_id)
    citation = source.cite() if source else ""
    if citation and evidence.locator:
        citation += f", {evidence.locator}"
    kind = evidence.type.label + ("" if evidence.active else " (excluded from scoring)")
    sheet.cell(row, 1, evidence.code).style = styles.CODE
    _put_text(sheet, row, 2, evidence.title, f"{evidence.code} title", styles.WRAPPED)
    sheet.cell(row, 3, kind).style = styles.WRAPPED
    sheet.cell(row, 4, str(evidence.date) if evidence.date else None).style = styles.WRAPPED
    _put_text(sheet, row, 5, citation, f"{evidence.code} source", styles.WRAPPED)
    sheet.cell(row, 6, evidence.credibility.label).style = styles.CENTRED
    sheet.cell(row, 7, evidence.relevance.label).style = styles.CENTRED
    _put_text(sheet, row, 8, evidence.description, f"{evidence.code} description", styles.WRAPPED)
    # Spreadsheet programs do not all grow rows for wrapped text on opening.
    texts = [(evidence.title, 2), (kind, 3), (citation, 5), (evidence.description, 8)]
    sheet.row_dimensions[row].height = _height([(t, _WIDTHS[c]) for t, c in texts])


def _height(texts: list[tuple[str, float]]) -> float:
    """Row height in points for wrapped texts in columns of the given widths (capped)."""
    lines = max((math.ceil(len(t) / max(w * 1.1, 1)) for t, w in texts if t), default=1)
    return 15.0 * min(max(lines, 1), _MAX_LINES) + 2


def _rating_cells(sheet, columns: list[int], first_row: int, last_row: int) -> None:
    validation = DataValidation(
        type="list",
        formula1=f'"{_RATING_CHOICES}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a rating",
        error=f"Choose one of {_RATING_CHOICES}, or leave the cell blank.",
        showInputMessage=True,
        promptTitle="Rating",
        prompt=RATING_SCALE.legend,
    )
    sheet.add_data_validation(validation)
    for column in columns:
        letter = get_column_letter(column)
        cells = f"{letter}{first_row}:{letter}{last_row}"
        validation.add(cells)
        for code, (fill, text) in styles.RATING_COLOURS.items():
            sheet.conditional_formatting.add(
                cells,
                CellIsRule(
                    operator="equal",
                    formula=[f'"{code}"'],
                    fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                    font=Font(color=text, bold=True),
                ),
            )


def _score_rows(
    sheet, project: Project, columns: list[int], first_row: int, last_row: int, weight_column: int
) -> None:
    """Live scores of this analyst's own ratings (spec 3), only when asked for."""
    sheet.cell(first_row - 1, weight_column, _WEIGHT_HEADER).style = styles.HEADER
    for r, evidence in enumerate(project.evidence):
        # Excluded evidence weighs 0 here, which is what the spec's sums skip.
        sheet.cell(first_row + r, weight_column, evidence.weight if evidence.active else 0.0)
    sheet.column_dimensions[get_column_letter(weight_column)].hidden = True
    w = get_column_letter(weight_column)
    weights = f"${w}${first_row}:${w}${last_row}"
    active = f"--({weights}>0)"
    label_row = last_row + 2
    for k, label in enumerate(SCORE_LABELS):
        sheet.cell(label_row + k, 1, label).style = styles.SCORE_LABEL
    for column in columns:
        letter = get_column_letter(column)
        cells = f"{letter}{first_row}:{letter}{last_row}"
        formulas = (
            "=" + sumproducts(cells, active, INCONSISTENT_TERMS),
            "=" + sumproducts(cells, weights, INCONSISTENT_TERMS),
            "=" + sumproducts(cells, weights, CONSISTENT_TERMS),
        )
        for k, formula in enumerate(formulas):
            sheet.cell(label_row + k, column, formula).style = styles.SCORE


def _shape(
    sheet, header_row: int, n_details: int, n_hypotheses: int, last_column: int, last_row: int
) -> None:
    for column, width in _WIDTHS.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    for k in range(n_hypotheses):
        rating = n_details + 1 + 2 * k
        sheet.column_dimensions[get_column_letter(rating)].width = 16
        sheet.column_dimensions[get_column_letter(rating + 1)].width = 28
    sheet.row_dimensions[header_row].height = 48
    # Keep the IDs, titles and headers in view while scrolling across and down.
    sheet.freeze_panes = sheet.cell(header_row + 1, 3)
    # Down to the last evidence row, so a sort moves whole rows.
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(last_column)}{last_row}"
    # Printed across several pages rather than shrunk to one unreadable page width.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_title_cols = "A:B"


def _identity(
    book: OpenpyxlWorkbook, project: Project, analyst_name: str, order: list[Hypothesis]
) -> None:
    digest = codes_digest([e.code for e in project.evidence], [h.code for h in order])
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = book.create_sheet(layout.META_SHEET)
    rows = (
        (layout.META_FORMAT, FORMAT_NAME),
        (layout.META_FORMAT_VERSION, str(FORMAT_VERSION)),
        (layout.META_PROJECT_ID, project.uid),
        (layout.META_ANALYST, analyst_name),
        (META_DIGEST, digest),
        (layout.META_EXPORTED_AT, stamp),
    )
    for r, (key, value) in enumerate(rows, start=1):
        meta.cell(r, 1, key)
        _put_text(meta, r, 2, value, "the analyst's name")
    meta.sheet_state = "hidden"
    props = book.properties
    props.title = clean_text(f"Rating sheet for {analyst_name}: {project.title}", "the title")
    props.subject = FORMAT_NAME
    props.creator = "ACH Workbench"
    props.identifier = project.uid
    props.keywords = f"{FORMAT_NAME} {project.uid}"
    for key, value in (
        (layout.META_PROJECT_ID, project.uid),
        (layout.META_ANALYST, analyst_name),
        (META_DIGEST, digest),
    ):
        book.custom_doc_props.append(StringProperty(name=key, value=clean_text(value, key)))
