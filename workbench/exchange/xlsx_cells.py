"""Cells for the exported workbook: user text that always stays text.

Every string an analyst typed (titles, notes, rationales, tags...) goes through
:func:`text` before it reaches a sheet. openpyxl turns any string beginning
with ``=`` into a formula, and Excel or LibreOffice would then run it: an
evidence title ``=HYPERLINK("http://...")`` must arrive as those characters,
not as a live link. ``+``, ``-`` and ``@`` also start formulas when a user edits
the cell, so they get the same explicit string type.
"""

from __future__ import annotations

import re
import weakref

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workbench.exchange.output_file import ExportError
from workbench.exchange.safety import MAX_CELL_CHARS

#: Characters that make a spreadsheet program read a typed cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@")


_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c]")


def clean_text(value: str, where: str) -> str:
    """Replace control characters XML cannot hold; refuse text Excel would truncate.

    Control characters (other than tab and line feed) cannot be stored in an
    .xlsx at all. A carriage return, vertical tab or form feed becomes a line
    feed and any other a space, so words they separated stay separate.
    """
    value = ILLEGAL_CHARACTERS_RE.sub(" ", _LINE_BREAKS.sub("\n", value))
    if len(value) > MAX_CELL_CHARS:
        raise ExportError(
            f"{where} has {len(value):,} characters; a spreadsheet cell holds at most "
            f"{MAX_CELL_CHARS:,}. Shorten it before exporting."
        )
    return value


def text(sheet: WriteOnlyWorksheet, value: str | None, where: str, style: str | None = None):
    """A cell value for user text: plain ``str`` when safe, an explicit string cell otherwise.

    ``where`` names the field for error messages (e.g. ``"Evidence E12 notes"``).
    Returns None for empty unstyled text so blank cells stay blank.
    """
    if not value:
        return styled(sheet, None, style) if style else None
    value = clean_text(value, where)
    if value.startswith(FORMULA_TRIGGERS):
        cell = styled(sheet, value, style) if style else WriteOnlyCell(sheet, value)
        # Assigned after the value because openpyxl's setter guesses "f" for "=...".
        cell.data_type = "s"
        return cell
    return styled(sheet, value, style) if style else value


#: sheet -> named style -> the style array cells of that style share.
_STYLE_ARRAYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def styled(sheet: WriteOnlyWorksheet, value: object, style: str) -> Cell:
    """A cell with a named style.

    Setting ``cell.style`` resolves the name through the workbook on every call,
    which made a 5,000 x 40 matrix export three times slower than needed; the
    resolved style array is computed once per sheet and copied into each cell
    (openpyxl's ``Cell(..., style_array=...)`` copies it).
    """
    arrays = _STYLE_ARRAYS.setdefault(sheet, {})
    array = arrays.get(style)
    if array is None:
        template = WriteOnlyCell(sheet)
        template.style = style
        array = arrays[style] = template._style
    # row and column are placeholders: the write-only sheet sets them when it writes the cell.
    return Cell(sheet, row=1, column=1, value=value, style_array=array)
