"""Named styles, rating colours, drop-downs and print setup of the exported workbook.

Styles are registered once as named styles and cells refer to them by name:
creating a Font/Fill object per cell would make a 5,000-row export several
times slower and the file bigger. Rating colours are conditional formatting,
not cell fills, so they follow the rating when a team edits the sheet.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from workbench.core import palette as colours
from workbench.core.ratings import RATING_SCALE
from workbench.exchange import workbook_layout as layout

#: The window's rating palette in openpyxl's spelling: code -> (fill, text colour).
RATING_COLOURS: dict[str, tuple[str, str]] = {
    rating.code: (colours.excel(colours.RATING_FILL[rating]), colours.excel(ink))
    for rating, ink in colours.RATING_INK.items()
}
#: Codes shown in bold: the two ends of the scale.
BOLD_CODES = frozenset(
    r.code for r in RATING_SCALE.scored if abs(RATING_SCALE.values[r]) == RATING_SCALE.max_value
)
EXCLUDED_TEXT = colours.excel(colours.SHEET_EXCLUDED)
HEADER_FILL = colours.excel(colours.SHEET_HEADER)

TITLE = "ACH title"
SUBTITLE = "ACH subtitle"
HEADER = "ACH header"
CODE = "ACH code"
WRAPPED = "ACH wrapped"
CENTRED = "ACH centred"
#: Centred rating codes (rating sheets; the big Matrix leaves rating cells unstyled for speed).
RATING = "ACH rating"
SCORE_LABEL = "ACH score label"
SCORE = "ACH score"
NUMBER = "ACH number"
PERCENT = "ACH percent"
NOTE = "ACH note"
TOP = "ACH top"
SCORE_COUNT = "ACH score count"
#: Styles whose cells wrap, so their rows need room for several lines.
WRAPPING = frozenset({WRAPPED, NOTE, HEADER})
#: One font everywhere: without a name each program picks its own default.
FONT_NAME = "Calibri"
LINE_HEIGHT = 15.0


def register_styles(workbook: Workbook) -> None:
    """Add every named style the exporter uses; call once per workbook."""
    thin = Side(style="thin", color=colours.excel(colours.SHEET_BORDER))

    def font(**kwargs) -> Font:
        return Font(name=FONT_NAME, size=kwargs.pop("size", 11), **kwargs)

    top = Alignment(vertical="top")
    styles = [
        NamedStyle(TITLE, font=font(bold=True, size=14)),
        NamedStyle(
            SUBTITLE,
            font=font(italic=True, color=colours.excel(colours.SHEET_NOTE)),
            alignment=Alignment(vertical="top", wrap_text=False),
        ),
        NamedStyle(
            HEADER,
            font=font(bold=True),
            fill=PatternFill("solid", fgColor=HEADER_FILL),
            border=Border(bottom=thin),
            alignment=Alignment(vertical="bottom", wrap_text=True),
        ),
        NamedStyle(CODE, font=font(bold=True), alignment=top),
        NamedStyle(WRAPPED, font=font(), alignment=Alignment(vertical="top", wrap_text=True)),
        NamedStyle(CENTRED, font=font(), alignment=Alignment(horizontal="center", vertical="top")),
        NamedStyle(
            RATING, font=font(), alignment=Alignment(horizontal="center", vertical="center")
        ),
        NamedStyle(SCORE_LABEL, font=font(bold=True), border=Border(top=thin)),
        NamedStyle(
            SCORE,
            font=font(bold=True),
            border=Border(top=thin),
            number_format="0.000",
            alignment=Alignment(horizontal="center"),
        ),
        NamedStyle(
            SCORE_COUNT,
            font=font(bold=True),
            border=Border(top=thin),
            number_format="0",
            alignment=Alignment(horizontal="center"),
        ),
        NamedStyle(NUMBER, font=font(), number_format="0.000", alignment=top),
        NamedStyle(TOP, font=font(), alignment=top),
        NamedStyle(PERCENT, font=font(), number_format="0.0%", alignment=top),
        NamedStyle(
            NOTE,
            font=font(italic=True, color=colours.excel(colours.SHEET_NOTE)),
            alignment=Alignment(vertical="top", wrap_text=True),
        ),
    ]
    for style in styles:
        workbook.add_named_style(style)


def add_rating_colours(sheet, first_row: int, last_row: int, n_hypotheses: int) -> None:
    """Colour ratings by code and grey out excluded rows, live with the sheet's contents.

    The exclusion rule comes first and stops the others, so an excluded row reads
    grey whatever its ratings; it looks at the Active column, so a team
    that switches a row back on (Active 1) sees it coloured again.
    """
    active = get_column_letter(layout.active_column(n_hypotheses))
    last_col = get_column_letter(layout.active_column(n_hypotheses) - 1)
    first_col = get_column_letter(layout.FIRST_HYPOTHESIS_COLUMN)

    def excluded() -> FormulaRule:
        # One rule object per range: a shared object would give two ranges one priority.
        return FormulaRule(
            formula=[f'AND(${active}{first_row}=0,${active}{first_row}<>"")'],
            font=Font(italic=True, color=EXCLUDED_TEXT),
            fill=PatternFill(
                "solid",
                fgColor=colours.excel(colours.WHITE),
                bgColor=colours.excel(colours.WHITE),
            ),
            stopIfTrue=True,
        )

    leading = f"A{first_row}:{get_column_letter(layout.RELEVANCE_COLUMN)}{last_row}"
    rules: list[tuple[str, object]] = [(leading, excluded())]
    if n_hypotheses:
        ratings = f"{first_col}{first_row}:{last_col}{last_row}"
        rules.append((ratings, excluded()))
        for code, (fill, text) in RATING_COLOURS.items():
            rule = CellIsRule(
                operator="equal",
                formula=[f'"{code}"'],
                fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                font=Font(color=text, bold=code in BOLD_CODES),
            )
            rules.append((ratings, rule))
    for priority, (cells, rule) in enumerate(rules, start=1):
        rule.priority = priority  # type: ignore[attr-defined]
        sheet.conditional_formatting.add(cells, rule)


def add_drop_downs(sheet, first_row: int, last_row: int, n_hypotheses: int) -> None:
    """Rating cells offer the scale, credibility/relevance cells Low/Medium/High."""
    rating = DataValidation(
        type="list",
        formula1=layout.RATING_SCALE_NAME,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a rating",
        error=f"Use {RATING_SCALE.code_list}, or leave the cell empty.",
        promptTitle="Rating",
        prompt=RATING_SCALE.legend,
        showInputMessage=True,
    )
    level = DataValidation(
        type="list",
        formula1=layout.WEIGHT_LEVELS_NAME,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a weight",
        error="Use Low, Medium or High (empty counts as Medium).",
    )
    cred = get_column_letter(layout.CREDIBILITY_COLUMN)
    rel = get_column_letter(layout.RELEVANCE_COLUMN)
    level.add(f"{cred}{first_row}:{rel}{last_row}")
    sheet.data_validations.append(level)
    active = DataValidation(
        type="list",
        formula1='"1,0"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="Not 1 or 0",
        error="1 counts the evidence in the scores, 0 excludes it (its ratings are kept).",
        promptTitle="Active",
        prompt="1 counts this evidence in the scores, 0 excludes it",
        showInputMessage=True,
    )
    column = get_column_letter(layout.active_column(n_hypotheses))
    active.add(f"{column}{first_row}:{column}{last_row}")
    sheet.data_validations.append(active)
    if n_hypotheses:
        first_col = get_column_letter(layout.FIRST_HYPOTHESIS_COLUMN)
        last_col = get_column_letter(layout.active_column(n_hypotheses) - 1)
        rating.add(f"{first_col}{first_row}:{last_col}{last_row}")
        sheet.data_validations.append(rating)


def landscape_fit_to_width(sheet, repeat_rows: str | None = None) -> None:
    """Print across one page width, as many pages down as needed."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    if repeat_rows:
        sheet.print_title_rows = repeat_rows


def set_widths(sheet, widths: Mapping[int, float]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


def wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` characters wide.

    Neither Excel nor LibreOffice grows a row for wrapped text written by a
    program, so the exporter sets row heights from this estimate. Proportional
    text fits about 1.2 characters per unit of column width (bold about 1).
    """
    chars = max(4, int(width * (1.0 if bold else 1.2)))
    return sum(_lines(part, chars) for part in str(text).split("\n"))


#: Rows are never made taller than a dozen lines, so a paragraph this long is "many".
_WRAP_LIMIT_LINES = 50


def _lines(part: str, chars: int) -> int:
    # textwrap's time grows with the square of a long word's length (10 MB of one
    # word took 25 s); past what a row can show, a division is as good an answer.
    if len(part) > chars * _WRAP_LIMIT_LINES:
        return -(-len(part) // chars)
    return len(textwrap.wrap(part, chars)) or 1


def fit_row(sheet, row: int, cells: list, widths: Mapping[int, float], cap: int = 12) -> int:
    """Give ``row`` the height its wrapped cells need (call before appending the row).

    Returns the number of lines, so the caller can top-align the row's other cells.
    """
    lines = 1
    for column, cell in enumerate(cells, start=1):
        style = getattr(cell, "style", None)
        if style in WRAPPING and cell.value and column in widths:
            lines = max(lines, wrapped_lines(cell.value, widths[column], bold=style == HEADER))
    if lines > 1:
        sheet.row_dimensions[row].height = LINE_HEIGHT * min(lines, cap) + 2
    return lines


def mark_classification(sheet, marking: str) -> None:
    """Print the project's classification marking centred in the header and footer."""
    if not marking:
        return
    # "&" starts a code in Excel headers; one " " per line keeps it to one line.
    text = " ".join(marking.split()).replace("&", "&&")
    sheet.HeaderFooter.oddHeader.center.text = text
    sheet.HeaderFooter.oddFooter.center.text = text
