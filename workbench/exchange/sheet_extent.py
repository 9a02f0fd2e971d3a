"""How many cells a worksheet spans, learnt from its XML before a reader sees it.

python-calamine allocates the whole rectangle from A1 to the furthest cell a
sheet declares or uses, before handing back a single value: one cell at
XFD1048576 in a 5 KB file asks for half a terabyte and aborts the process.
So while the zip guard inflates each worksheet anyway, the rows and columns
it names (``<dimension ref>``, ``<row r>``, ``<c r>``) are tracked with one
linear regular-expression scan, and a sheet spanning more than
:data:`MAX_SHEET_CELLS` is refused before it is read.
"""

from __future__ import annotations

import re

from workbench.core.errors import BadInput

#: Rows x columns one sheet may span. The app's own largest export (a 100,000 x
#: 200 matrix: about 100,010 rows x 210 columns, 21 million) fits with margin;
#: the reader then needs about a gigabyte, which is the price of that size.
MAX_SHEET_CELLS = 40_000_000

#: A cell or row reference (``r="B7"``, ``r="7"``, in any attribute order, with any
#: namespace prefix) or the declared range (``dimension ref="A1:XFD1048576"``).
_REFERENCE = re.compile(
    rb'(\sr|dimension ref)="\$?([A-Za-z]{0,3})\$?([0-9]{0,7})'
    rb'(?::\$?([A-Za-z]{0,3})\$?([0-9]{0,7}))?"'
)
#: Long enough to hold one whole reference split across two chunks.
_CARRY = 64


def column_number(letters: bytes) -> int:
    """A -> 1, Z -> 26, AA -> 27, XFD -> 16384 (0 for no letters)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def is_worksheet(member: str) -> bool:
    return member.startswith("xl/worksheets/") and member.endswith(".xml")


class ExtentScanner:
    """Feed a worksheet's XML chunk by chunk; it tracks the furthest row and column."""

    def __init__(self, file_name: str, member: str) -> None:
        self.file_name = file_name
        self.member = member
        self.rows = 0
        self.columns = 0
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        data = self._tail + chunk
        # A reference cut by the chunk boundary is completed by the next chunk: keep
        # the last tag that starts near the end for then.
        last_tag = data.rfind(b"<", max(0, len(data) - _CARRY))
        cut = last_tag if last_tag >= 0 else len(data)
        self._scan(data, cut)
        self._tail = data[cut:]

    def finish(self) -> None:
        self._scan(self._tail, len(self._tail))
        self._tail = b""

    def _scan(self, data: bytes, end: int) -> None:
        for match in _REFERENCE.finditer(data, 0, end):
            for letters, digits in ((match[2], match[3]), (match[4], match[5])):
                if letters:
                    self.columns = max(self.columns, column_number(letters.upper()))
                if digits:
                    self.rows = max(self.rows, int(digits))
        self._check()

    def _check(self) -> None:
        cells = max(self.rows, 1) * max(self.columns, 1)
        if cells > MAX_SHEET_CELLS:
            raise BadInput(
                f"{self.file_name}: worksheet {self.member} spans {self.rows:,} rows x "
                f"{self.columns:,} columns = {cells:,} cells; at most {MAX_SHEET_CELLS:,} cells "
                "are read (the sheet-size limit)"
            )
