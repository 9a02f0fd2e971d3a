"""How many cells a worksheet spans, learnt from its XML before a reader sees it.

python-calamine allocates the whole rectangle from A1 to the furthest cell a
sheet declares or uses, before handing back a single value: one cell at
XFD1048576 in a 5 KB file asks for half a terabyte and aborts the process.
So while the zip guard inflates each worksheet anyway, the rows and columns
it names (``<dimension ref>``, ``<row r>``, ``<c r>``) are tracked, and a sheet
spanning more than :data:`MAX_SHEET_CELLS` is refused before it is read.

Every row and cell reference is read at once with numpy when it has the plain
form writers use (``r="AB12"``); a stretch of XML holding any other form (a
range, a malformed reference) is read with the regular expressions below.
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


#: A row or cell reference in its plain form: `` r="`` after any whitespace, then what
#: ``_REFERENCE`` reads of one cell (no range), then the closing quote. Every row and cell
#: Excel and other writers produce has it; :func:`plain_extent` reads these with numpy.
_PLAIN = re.compile(rb'\sr="\$?[A-Za-z]{0,3}\$?[0-9]{0,7}"')


def _byte_class(members: bytes) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(members)] = True
    return table


_WHITESPACE = _byte_class(b" \t\n\r\x0b\x0c")  # what ``\s`` matches in a bytes pattern
_LETTER = _byte_class(string.ascii_letters.encode())
_DIGIT = _byte_class(string.digits.encode())
#: A letter's place in the alphabet, either case (``column_number`` of one letter).
_LETTER_NUMBER = np.zeros(256, dtype=np.int32)
for _number, _letter in enumerate(string.ascii_uppercase, start=1):
    _LETTER_NUMBER[ord(_letter)] = _LETTER_NUMBER[ord(_letter.lower())] = _number
#: Room for the longest look past the end (a reference cut there is not plain).
_PAD = bytes(16)


def plain_extent(data: bytes) -> tuple[int, int, int]:
    """(furthest row, furthest column, where the first other reference starts or -1).

    Every `` r="`` is read at once with numpy: 16 ms for a 5,000 x 40 sheet, where the
    regular expressions, stepping through its 200,000 references, took 130 ms.
    A reference of the plain form (:data:`_PLAIN`) counts as the regular expressions
    count it; any other (a range, too many letters or digits, no closing quote) is
    not counted, and its start (the whitespace before ``r``) is returned instead.
    """
    a = np.frombuffer(data + _PAD, dtype=np.uint8)
    equals = np.flatnonzero(a[2:] == ord("=")) + 2
    equals = equals[(a[equals + 1] == ord('"')) & (a[equals - 1] == ord("r"))]
    equals = equals[_WHITESPACE[a[equals - 2]]]
    at = equals + 2  # the first byte of the reference
    at += a[at] == ord("$")
    columns = np.zeros(at.shape, dtype=np.int32)
    letters = np.zeros(at.shape, dtype=np.intp)
    more = np.ones(at.shape, dtype=bool)
    for k in range(4):
        byte = a[at + k]
        more &= _LETTER[byte]
        if k == 3 or not more.any():
            break
        columns = np.where(more, columns * 26 + _LETTER_NUMBER[byte], columns)
        letters += more
    other = more  # a fourth letter
    at += letters
    at += a[at] == ord("$")
    rows = np.zeros(at.shape, dtype=np.int32)
    digits = np.zeros(at.shape, dtype=np.intp)
    more = np.ones(at.shape, dtype=bool)
    for k in range(7):
        byte = a[at + k]
        more &= _DIGIT[byte]
        if not more.any():
            break
        rows = np.where(more, rows * 10 + (byte.astype(np.int32) - ord("0")), rows)
        digits += more
    other |= a[at + digits] != ord('"')  # an eighth digit, a range, anything else
    plain = ~other
    found = equals[other]
    return (
        int(rows[plain].max(initial=0)),
        int(columns[plain].max(initial=0)),
        int(found[0]) - 2 if found.size else -1,
    )


#: ``_DIMENSION`` on XML whose whitespace has not been turned into spaces.
_DIMENSION_RAW = re.compile(rb"dimension\sref" + _DIMENSION.pattern[len(b"dimension ref") :])


class ExtentScanner:
    """Feed a worksheet's XML chunk by chunk; it tracks the furthest row and column.

    Each chunk is read with the previous chunk's last :data:`_CARRY` bytes in
    front, so a reference cut by a chunk boundary is whole in one of the two (a
    reference is at most 41 bytes); counting one twice changes no maximum.
    A chunk whose references are all plain is measured by :func:`plain_extent`;
    one with any other reference, by the regular expressions.
    """

    def __init__(self, file_name: str, member: str) -> None:
        self.file_name = file_name
        self.member = member
        self.rows = 0
        self.columns = 0
        #: Chunks that needed the regular expressions (for tests).
        self.chunks_read_by_patterns = 0
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        data = self._tail + chunk if self._tail else chunk
        # A reference starting in the last _CARRY bytes is whole in the next window
        # (which begins with those bytes): left to it, if it is not plain.
        self._window(data, len(data) - _CARRY)
        self._tail = data[-_CARRY:]

    def finish(self) -> None:
        self._window(self._tail, len(self._tail))
        self._tail = b""

    def _window(self, data: bytes, last_start: int) -> None:
        rows, columns, other = plain_extent(data)
        if other < 0 or other > last_start:
            self._add_numbers(rows, columns)
            for letters, digits, more_letters, more_digits in _DIMENSION_RAW.findall(data):
                self._add({letters, more_letters}, {digits, more_digits})
        else:
            self.chunks_read_by_patterns += 1
            self._scan(data, len(data))
        _check_span(self.file_name, self.member, self.rows, self.columns)

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
        self._add_numbers(
            max((int(r) for r in rows), default=0),
            max((column_number(c.upper()) for c in columns), default=0),
        )

    def _add_numbers(self, rows: int, columns: int) -> None:
        self.rows = max(self.rows, rows)
        self.columns = max(self.columns, columns)


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
