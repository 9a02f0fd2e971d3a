"""How many cells a worksheet spans, learnt from its XML before a reader sees it.

python-calamine allocates the whole rectangle from A1 to the furthest cell a
sheet declares or uses, before handing back a single value: one cell at
XFD1048576 in a 5 KB file asks for half a terabyte and aborts the process.
So while the zip guard inflates each worksheet anyway, the rows and columns
it names (``<dimension ref>``, ``<row r>``, ``<c r>``) are tracked, and a sheet
spanning more than :data:`MAX_SHEET_CELLS` is refused before it is read.

Most sheets are far inside the limit, and for them one search proves it: no
reference names a column past ``NZ`` (390) or a row past 99,999, and
390 x 99,999 is within the limit. Only a sheet where that search finds such a
reference (a large or a hostile one) is measured exactly, with the regular
expressions below; see :class:`ExtentScanner`.
"""

from __future__ import annotations

import re
import string

import numpy as np

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
#: The same for cells and rows (`` r="..."``) in three patterns that each begin with a
#: literal, which the regular-expression engine finds by a fast search instead of
#: trying every byte, and two of which return one group (no tuple per cell). They run
#: on the XML with every whitespace byte ``\s`` matches turned into a space first.
_SPACES = bytes.maketrans(b"\t\n\r\x0b\x0c", b"     ")
_TO_END = rb'(?::\$?[A-Za-z]{0,3}\$?[0-9]{0,7})?"'
_COLUMN = re.compile(rb' r="\$?([A-Za-z]{1,3})(?=\$?[0-9]{0,7}' + _TO_END + rb")")
_ROW = re.compile(rb' r="\$?[A-Za-z]{0,3}\$?([0-9]{1,7})(?=' + _TO_END + rb")")
_RANGE_END = re.compile(rb' r="\$?[A-Za-z]{0,3}\$?[0-9]{0,7}:\$?([A-Za-z]{0,3})\$?([0-9]{0,7})"')
#: The declared range, once a sheet: the general pattern, which begins with its literal.
_DIMENSION = re.compile(b"dimension ref" + _REFERENCE.pattern[len(rb"(\sr|dimension ref)") :])
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


def scanner_for(file_name: str, member: str) -> ExtentScanner | OdsExtentScanner | None:
    """The scanner for a member that holds cells (an xlsx worksheet, an ODS body), or None."""
    if is_worksheet(member):
        return ExtentScanner(file_name, member)
    if member == "content.xml":
        return OdsExtentScanner(file_name, member)
    return None


#: What one search proves of every reference that passes it (see the module text).
QUICK_ROWS = 99_999
QUICK_COLUMNS = 390  # NZ
#: A row or cell reference (`` r="..."`` after any whitespace) that is not a small one:
#: no more than two letters, the first of two at most N, and no more than five digits,
#: then the closing quote. The literal ``r="`` leads, so the engine finds candidates by a
#: fast search; whitespace before it is checked only there (``xmlns:r="..."`` is not a
#: reference). A reference the exact patterns count is either small or found here.
_NOT_SMALL = re.compile(rb'r="(?<=\sr=")(?!\$?(?:[A-Na-n]?[A-Za-z])?\$?[0-9]{0,5}")')


def _byte_class(members: bytes) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(members)] = True
    return table


_WHITESPACE = _byte_class(b" \t\n\r\x0b\x0c")  # what ``\s`` matches in a bytes pattern
_LETTER = _byte_class(string.ascii_letters.encode())
_A_TO_N = _byte_class(b"ABCDEFGHIJKLMNabcdefghijklmn")
_DIGIT = _byte_class(string.digits.encode())
#: Room for the longest look past the end (a reference at the very end is never small).
_PAD = bytes(16)


def first_not_small(data: bytes) -> int:
    """Where ``_NOT_SMALL.search(data)`` starts, or -1: the same test, done on every
    ``r="`` at once with numpy (twice as fast as the regular expression on a sheet,
    which steps through its 200,000 references one by one)."""
    a = np.frombuffer(data + _PAD, dtype=np.uint8)
    equals = np.flatnonzero(a[2:] == ord("=")) + 2
    equals = equals[(a[equals + 1] == ord('"')) & (a[equals - 1] == ord("r"))]
    equals = equals[_WHITESPACE[a[equals - 2]]]
    at = equals + 2  # the first byte of the reference
    at += a[at] == ord("$")
    first = a[at]
    one_letter = _LETTER[first]
    two_letters = one_letter & _LETTER[a[at + 1]]
    not_small = (two_letters & _LETTER[a[at + 2]]) | (two_letters & ~_A_TO_N[first])
    at += one_letter
    at += two_letters
    at += a[at] == ord("$")
    digits = np.zeros(at.shape, dtype=np.intp)
    still = np.ones(at.shape, dtype=bool)
    for k in range(6):
        still &= _DIGIT[a[at + k]]
        digits += still
    not_small |= (digits > 5) | (a[at + digits] != ord('"'))
    found = equals[not_small]
    return int(found[0]) - 1 if found.size else -1


#: ``_DIMENSION`` on XML whose whitespace has not been turned into spaces.
_DIMENSION_RAW = re.compile(rb"dimension\sref" + _DIMENSION.pattern[len(b"dimension ref") :])


class ExtentScanner:
    """Feed a worksheet's XML chunk by chunk; it refuses one that spans too many cells.

    Each chunk is searched with the previous chunk's last :data:`_CARRY` bytes in
    front, so a reference cut by a chunk boundary is whole in one of the two (a
    reference is at most 41 bytes); counting one twice changes no maximum.

    A chunk in which :data:`_NOT_SMALL` finds nothing adds at most
    :data:`QUICK_ROWS` x :data:`QUICK_COLUMNS` to what is known; from the first
    chunk where it finds something on, chunks are measured exactly. When the bound
    of the quickly passed chunks and the exact rest together might pass the limit,
    the quick chunks' true extent is needed: :attr:`needs_exact` is then set, and
    the caller feeds the whole member again to a scanner made with ``exact=True``.
    ``rows`` and ``columns`` are the exact extent only for such a scanner.
    """

    def __init__(self, file_name: str, member: str, *, exact: bool = False) -> None:
        self.file_name = file_name
        self.member = member
        #: The furthest row and column of the parts measured exactly.
        self.rows = 0
        self.columns = 0
        self.exact = exact
        #: Some chunk passed the quick search only: its extent is bounded, not known.
        self.bounded = False
        #: The bound cannot settle the sheet: scan it again with ``exact=True``.
        self.needs_exact = False
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        if self.needs_exact:
            return  # the whole member is scanned again; nothing here changes that
        data = self._tail + chunk if self._tail else chunk
        # References starting in the last _CARRY bytes are seen whole in the next
        # window (which begins with those bytes); the quick search leaves them to it.
        self._window(data, len(data) - _CARRY)
        self._tail = data[-_CARRY:]

    def finish(self) -> None:
        if not self.needs_exact:
            self._window(self._tail, len(self._tail))
        self._tail = b""

    def _window(self, data: bytes, last_start: int) -> None:
        if not self.exact:
            for letters, digits, more_letters, more_digits in _DIMENSION_RAW.findall(data):
                self._add({letters, more_letters}, {digits, more_digits})
            found = first_not_small(data)
            if found < 0 or found > last_start:
                self.bounded = True
                self._check()
                return
            self.exact = True  # this window and every later one are measured exactly
        self._scan(data, len(data))
        self._check()

    def _scan(self, data: bytes, end: int) -> None:
        text = data[:end].translate(_SPACES)
        # A sheet names a few dozen columns and each row number a few dozen times:
        # the distinct ones, gathered in C, are all that need converting.
        columns = set(_COLUMN.findall(text))
        rows = set(_ROW.findall(text))
        for letters, digits, more_letters, more_digits in _DIMENSION.findall(text):
            columns.update((letters, more_letters))
            rows.update((digits, more_digits))
        for letters, digits in _RANGE_END.findall(text):
            columns.add(letters)
            rows.add(digits)
        self._add(columns, rows)

    def _add(self, columns: set[bytes], rows: set[bytes]) -> None:
        columns.discard(b"")
        rows.discard(b"")
        if columns:
            self.columns = max(self.columns, max(column_number(c.upper()) for c in columns))
        if rows:
            self.rows = max(self.rows, max(int(r) for r in rows))

    def _check(self) -> None:
        # What was measured exactly is a lower bound of the extent: too much is refused.
        _check_span(self.file_name, self.member, self.rows, self.columns)
        if self.bounded:
            rows, columns = max(self.rows, QUICK_ROWS), max(self.columns, QUICK_COLUMNS)
            if rows * columns > MAX_SHEET_CELLS:
                self.needs_exact = True


def _check_span(file_name: str, member: str, rows: int, columns: int) -> None:
    cells = max(rows, 1) * max(columns, 1)
    if cells > MAX_SHEET_CELLS:
        raise BadInput(
            f"{file_name}: worksheet {member} spans {rows:,} rows x "
            f"{columns:,} columns = {cells:,} cells; at most {MAX_SHEET_CELLS:,} cells "
            "are read (the sheet-size limit)"
        )


#: The ODS elements that shape a table, with their repeat counts.
_ODS_TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)\b([^>]*?)(/?)>")
_ODS_REPEAT = re.compile(rb'table:number-(?:rows|columns)-repeated="([0-9]{1,10})"')


class OdsExtentScanner:
    """The same bound for an OpenDocument sheet, whose rows and cells carry repeat counts.

    ``number-rows-repeated`` and ``number-columns-repeated`` let a few bytes
    stand for millions of cells. Counted as a reader must store them: empty
    cells at the end of a row and empty rows at the end of a table are free
    (LibreOffice writes those for every sheet), everything up to the last
    cell with content counts.
    """

    #: Always measured exactly (see :class:`ExtentScanner`).
    needs_exact = False

    def __init__(self, file_name: str, member: str) -> None:
        self.file_name = file_name
        self.member = member
        self._tail = b""
        self._new_table()

    def _new_table(self) -> None:
        self.rows = self.columns = 0
        self._empty_rows = 0
        self._row_repeat = 1
        self._row_cells = self._row_used = 0

    def feed(self, chunk: bytes) -> None:
        data = self._tail + chunk
        last_tag = data.rfind(b"<", max(0, len(data) - 4096))
        cut = last_tag if last_tag >= 0 else len(data)
        if data.find(b">", cut) >= 0:  # the last tag is complete: read it now
            cut = len(data)
        for match in _ODS_TAG.finditer(data, 0, cut):
            self._tag(match[1] == b"/", match[2], match[3], match[4] == b"/")
        self._tail = data[cut:]

    def finish(self) -> None:
        self.feed(b"")

    def _tag(self, closing: bool, name: bytes, attributes: bytes, empty: bool) -> None:
        repeat_found = _ODS_REPEAT.search(attributes)
        repeat = int(repeat_found[1]) if repeat_found else 1
        if name == b"table" and not closing:
            self._new_table()
        elif name == b"table-row" and not closing:
            self._row_repeat, self._row_cells, self._row_used = repeat, 0, 0
            if empty:
                self._end_row()
        elif name == b"table-row":
            self._end_row()
        elif not closing:  # a cell
            self._row_cells += repeat
            if not empty:
                self._row_used = self._row_cells

    def _end_row(self) -> None:
        if self._row_used:
            self.rows += self._empty_rows + self._row_repeat
            self.columns = max(self.columns, self._row_used)
            self._empty_rows = 0
            _check_span(self.file_name, self.member, self.rows, self.columns)
        else:
            self._empty_rows += self._row_repeat
