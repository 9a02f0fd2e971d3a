"""How many cells a worksheet spans, learnt from its XML before a reader sees it.

python-calamine allocates the whole rectangle from A1 to the furthest cell a
sheet declares or uses, before handing back a single value: one cell at
XFD1048576 in a 5 KB file asks for half a terabyte and aborts the process.
So while the zip guard inflates each worksheet anyway, the rows and columns
it names (``<dimension ref>``, ``<row r>``, ``<c r>``) are tracked, and a sheet
spanning more than :data:`MAX_SHEET_CELLS` is refused before it is read.

A reference is counted in every form the reader places a cell by: either quote,
whitespace around ``=``, ``r`` right after the previous value's quote, any run of
letters and digits (``AAAB2``, ``C00000000005``); counting one the reader would
refuse only refuses a sheet that is already broken, missing one lets it allocate.
Every row and cell reference is read at once with numpy when it has the plain
form writers use (``r="AB12"``, or in single quotes); a stretch of XML holding any
other form (a range, whitespace beside an ``=``, a longer run) is read with the
regular expressions below.
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

#: The longest run of column letters or row digits read in a reference. The reader
#: takes any run (``AAAB2`` is column 18,280, ``C00000000005`` is row 5); a longer
#: run than this (no writer's, and past any real sheet unless it is leading zeros)
#: refuses the sheet, so a reference never has to be read across more than a window.
MAX_RUN = 32

#: What may stand just before the attribute name ``r``: the reader takes ``r`` after
#: whitespace and right after the previous value's closing quote (``t="n"r="C5"``);
#: anything that cannot be part of a longer name (``xmlns:r``, ``header``) counts.
_LEAD = rb"[^A-Za-z0-9_.:\-\x80-\xff]"
#: A row, cell or declared-range value as the reader takes it: either quote, any
#: whitespace around ``=``, any run of letters and digits. Read in a lookahead, so
#: one match never hides the next: (quote, letters, digits, range end letters,
#: range end digits, closing quote if any).
_VALUE = rb"""\s*=\s*(["'])\$?([A-Za-z]*)\$?([0-9]*)(?::\$?([A-Za-z]*)\$?([0-9]*))?(["']?)"""
#: Every row and cell reference (``r="B7"``, in any attribute order, on any element).
#: Written to begin with its literal ``r``, which the engine finds by a fast search.
_REFERENCE = re.compile(rb"r(?<=" + _LEAD + rb"r)(?=" + _VALUE + rb")")
#: The declared range (``<dimension ref="A1:D9"/>``).
_DIMENSION = re.compile(rb"dimension\s+ref(?=" + _VALUE + rb")")
_WHITESPACE_RUN = re.compile(rb"\s+")
#: How much of each window the next one starts with (whitespace runs shortened to
#: one space): more than the longest reference read whole, or the start of a run
#: too long to read, so every such reference is whole in one window.
_CARRY = 4 * MAX_RUN + 64


def column_number(letters: bytes) -> int:
    """A -> 1, Z -> 26, AA -> 27, XFD -> 16384 (0 for no letters)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def is_worksheet(member: str) -> bool:
    return member.startswith("xl/worksheets/") and member.endswith(".xml")


def scanner_for(file_name: str, member: str) -> ExtentScanner | OdsExtentScanner | None:
    """The scanner for a member that may hold cells, or None (a folder entry).

    An ODS body is always ``content.xml``. An xlsx sheet is wherever the
    workbook's relationships say, whatever its folder, case or extension
    (``xl/data/s.bin`` reads as well as ``xl/worksheets/sheet1.xml``), so every
    other member is measured as if it were a sheet: a part that is not one
    holds no cell references (or, like the calculation chain, only references
    within the sheets), and counting too much can only refuse an odd file.
    """
    if member == "content.xml":
        return OdsExtentScanner(file_name, member)
    if member.endswith("/"):
        return None
    return ExtentScanner(file_name, member)


#: A row or cell reference in its plain form: ``r`` after a lead byte, ``=`` and a
#: quote right beside it, at most three letters and seven digits, the same quote.
#: Every row and cell Excel and other writers produce has it; :func:`plain_extent`
#: reads these with numpy.
_PLAIN = re.compile(rb"(?<=" + _LEAD + rb""")r=(["'])\$?[A-Za-z]{0,3}\$?[0-9]{0,7}\1""")


def _byte_class(members: bytes) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(members)] = True
    return table


_WHITESPACE = _byte_class(b" \t\n\r\x0b\x0c")  # what ``\s`` matches in a bytes pattern
#: What :data:`_LEAD` matches.
_LEADS = ~_byte_class(
    (string.ascii_letters + string.digits + "_.:-").encode() + bytes(range(128, 256))
)


# Letters and digits are told by arithmetic on the bytes, cheaper than a table:
# uint8 arithmetic wraps, so everything else lands at 26 and above, or 10 and above
# (a test checks all 256 bytes).
def _letter_index(byte: np.ndarray) -> np.ndarray:
    """A letter's place in the alphabet from 0, either case; 26 or more for any other byte."""
    return (byte | 0x20) - ord("a")


def _digit_value(byte: np.ndarray) -> np.ndarray:
    """A digit's value; 10 or more for any other byte."""
    return byte - ord("0")


#: Room for the longest look past the end (a reference cut there is not plain).
_PAD = bytes(16)


def plain_extent(data: bytes) -> tuple[int, int, int]:
    rows, columns, first, _a, _references, _declares = _plain(data)
    return rows, columns, first


def _plain(data: bytes) -> tuple[int, int, int, np.ndarray, np.ndarray, bool]:
    """(furthest row, furthest column, where the first other reference starts or -1,
    the bytes, where each plain-looking ``r`` is, whether a declared range may be there).

    Every ``=`` is looked at once with numpy (the whole scan of a 5,000 x 40 sheet takes
    about 30 ms), where the regular expressions, stepping through its 200,000
    references, took 130 ms.
    A reference of the plain form (:data:`_PLAIN`) counts as the regular expressions
    count it; for any other (a range, more letters or digits, no closing quote) its
    start (the lead byte before ``r``) is returned instead, and for an ``=`` with
    whitespace beside it (``r = "C5"``, wherever its ``r`` is) 0.

    A declared range (:data:`_DIMENSION`) ends its name in ``ref``, then ``=`` (with
    no whitespace between unless there is whitespace beside some ``=``): without an
    ``f=`` or such whitespace the window has none, and its search is skipped.
    """
    a = np.frombuffer(data + _PAD, dtype=np.uint8)
    equals = np.flatnonzero(a[2 : len(data)] == ord("=")) + 2
    before, after = a[equals - 1], a[equals + 1]
    # Table lookups cost more than comparisons: whitespace is below 33, and a
    # window whose ``=`` have nothing that low beside them needs no closer look.
    loose = bool((np.minimum(before, after) <= ord(" ")).any()) and bool(
        (_WHITESPACE[before] | _WHITESPACE[after]).any()
    )
    declares = loose or bool((before == ord("f")).any())
    equals = equals[before == ord("r")]  # first: the tests below then see only ``r=``
    quote = a[equals + 1]
    kept = ((quote == ord('"')) | (quote == ord("'"))) & _LEADS[a[equals - 2]]
    equals, quote = equals[kept], quote[kept]
    references = equals - 1  # where each ``r`` is
    at = equals + 2  # the first byte of the reference
    at += a[at] == ord("$")
    columns = np.zeros(at.shape, dtype=np.int32)
    letters = np.zeros(at.shape, dtype=np.intp)
    more = np.ones(at.shape, dtype=bool)
    for k in range(4):
        letter = _letter_index(a[at + k])
        more &= letter < 26
        if k == 3 or not more.any():
            break
        columns = np.where(more, columns * 26 + letter + 1, columns)
        letters += more
    other = more  # a fourth letter
    at += letters
    at += a[at] == ord("$")
    rows = np.zeros(at.shape, dtype=np.int32)
    digits = np.zeros(at.shape, dtype=np.intp)
    more = np.ones(at.shape, dtype=bool)
    for k in range(7):
        digit = _digit_value(a[at + k])
        more &= digit < 10
        if not more.any():
            break
        rows = np.where(more, rows * 10 + digit, rows)
        digits += more
    other |= a[at + digits] != quote  # an eighth digit, a range, anything else
    plain = ~other
    found = equals[other]
    first = int(found[0]) - 2 if found.size else -1
    return (
        int(rows[plain].max(initial=0)),
        int(columns[plain].max(initial=0)),
        0 if loose else first,
        a,
        references,
        declares,
    )


_TAG_END = _byte_class(b" \t\n\r\x0b\x0c/>")
_PREFIX_BYTE = _byte_class((string.ascii_letters + string.digits + "_.-").encode())


def _opening_tags(
    a: np.ndarray, named: np.ndarray, colons: np.ndarray, limit: int, name: bytes
) -> np.ndarray:
    """Where each opening (or empty) tag ``name`` whose ``<`` is before ``limit`` has
    its local name: ``<c``, ``<x:c``, not ``</c`` or ``</x:c``. ``named``: where a
    name's first byte follows ``<``; ``colons``: where one follows ``:``."""
    at = named[: np.searchsorted(named, limit + 1)]
    for i, byte in enumerate(name):
        at = at[a[at + i] == byte]
    at = at[_TAG_END[a[at + len(name)]]]
    prefixed = colons
    for i, byte in enumerate(name):
        prefixed = prefixed[a[prefixed + i] == byte]
    prefixed = prefixed[_TAG_END[a[prefixed + len(name)]]]
    if prefixed.size:
        start = np.maximum(prefixed - 2, 0)
        for _ in range(32):  # back over the namespace prefix to its ``<``
            start -= _PREFIX_BYTE[a[start]] & (start > 0)
        prefixed = prefixed[(a[start] == ord("<")) & (start < limit)]
        at = np.sort(np.concatenate((at, prefixed)))
    return at


def _without_reference(
    a: np.ndarray, tags: np.ndarray, name: bytes, references: np.ndarray
) -> np.ndarray:
    """Which of these tags hold no ``r`` attribute (none before their first ``>``)."""
    after = tags + len(name)
    # As writers put it: ``<c r=`` (read at once); any other is looked for.
    plain = _WHITESPACE[a[after]] & (a[after + 1] == ord("r")) & (a[after + 2] == ord("="))
    rest = tags[~plain]
    without = np.zeros(tags.shape, dtype=bool)
    if rest.size:
        ends = np.append(np.flatnonzero(a == ord(">")), a.size)  # unended: to the end
        end = ends[np.searchsorted(ends, rest)]
        held = np.zeros(rest.shape, dtype=bool)
        if references.size:
            nearest = np.searchsorted(references, rest)
            held = (nearest < references.size) & (
                references[np.minimum(nearest, references.size - 1)] < end
            )
        without[~plain] = ~held
    return without


def _all_tags_plain(a: np.ndarray, limit: int, references: np.ndarray) -> bool:
    """Whether every ``<c`` and ``<r`` whose ``<`` is before ``limit`` opens a tag as
    writers put it, ``<c r=`` or ``<row r=`` (its ``r`` one of ``references``), and
    no ``:`` is there (a prefixed tag, ``<x:c``, needs one): then no tag lacks its
    ``r``, and :func:`_without_reference` would find none.

    Counted, not found: each such tag is one of the ``<c`` or ``<r`` counted, so
    equal counts mean every one is such a tag. Listing where every tag is, as the
    search does, is what costs (about 0.2 ms of 0.7 saved per megabyte).
    """
    if (a == ord(":")).any():
        return False
    # A reference near the start looks back past index 0, which numpy wraps round
    # to the zero padding at the end: no ``<`` there.
    r = references
    plain = _WHITESPACE[a[r - 1]] & (a[r + 1] == ord("="))
    cell = plain & (a[r - 2] == ord("c")) & (a[r - 3] == ord("<")) & (r - 3 < limit)
    row = plain & (a[r - 2] == ord("w")) & (a[r - 3] == ord("o")) & (a[r - 4] == ord("r"))
    row &= (a[r - 5] == ord("<")) & (r - 5 < limit)
    opening, name = a[:limit] == ord("<"), a[1 : limit + 1]
    cells = np.count_nonzero(opening & (name == ord("c")))
    rows = np.count_nonzero(opening & (name == ord("r")))
    return cells == np.count_nonzero(cell) and rows == np.count_nonzero(row)


def _carried(data: bytes) -> tuple[int, bytes]:
    """(where the carried part starts, the carried part with whitespace runs shortened).

    At least :data:`_CARRY` bytes once shortened (or all of ``data``), however long
    its whitespace runs: ``r``, a megabyte of spaces and ``="C5"`` still meet."""
    size = _CARRY
    while True:
        piece = data[-size:]
        short = _WHITESPACE_RUN.sub(b" ", piece)
        if len(short) >= _CARRY or size >= len(data):
            return len(data) - len(piece), short
        size *= 4


class ExtentScanner:
    """Feed a worksheet's XML chunk by chunk; it tracks the furthest row and column.

    Each chunk is read with the end of the previous window in front (see
    :func:`_carried`), so a reference cut by a chunk boundary is whole in one of
    the two; counting one twice changes no maximum. A window whose references are
    all plain is measured by :func:`plain_extent`; one with any other, by the
    regular expressions.
    """

    def __init__(self, file_name: str, member: str) -> None:
        self.file_name = file_name
        self.member = member
        self.rows = 0
        self.columns = 0
        #: Chunks that needed the regular expressions (for tests).
        self.chunks_read_by_patterns = 0
        self._tail = b""
        #: Rows and cells without ``r``: the reader puts such a row one below the
        #: previous and such a cell one right of the previous, so each may reach one
        #: past the furthest reference. Rows without ``r`` in the sheet; cells without
        #: ``r`` in the current row, and in the row with most of them.
        self.rows_without_reference = 0
        self._cells_without_reference = 0
        self.most_cells_without_reference = 0

    def feed(self, chunk: bytes) -> None:
        data = self._tail + chunk if self._tail else chunk
        # A reference starting in the carried part is whole in the next window
        # (which begins with it): left to it, if it is not plain.
        start, self._tail = _carried(data)
        self._window(data, start)

    def finish(self) -> None:
        tail, self._tail = self._tail, b""
        self._window(tail, len(tail))

    def _window(self, data: bytes, last_start: int) -> None:
        rows, columns, other, a, references, declares = _plain(data)
        if other < 0 or other >= last_start:
            self._add_numbers(rows, columns)
            if declares:
                self._add_matches(_DIMENSION.findall(data))
        else:
            self.chunks_read_by_patterns += 1
            self._add_matches(_REFERENCE.findall(data) + _DIMENSION.findall(data))
            found = [match.start() for match in _REFERENCE.finditer(data)]
            references = np.array(found, dtype=np.intp)
        # Tags starting in the carried part are counted in the next window.
        self._count_without_reference(a, max(last_start, 0), references)
        _check_span(
            self.file_name,
            self.member,
            self.rows + self.rows_without_reference,
            self.columns + self.most_cells_without_reference,
        )

    def _count_without_reference(self, a: np.ndarray, limit: int, references: np.ndarray) -> None:
        if not self._cells_without_reference and _all_tags_plain(a, limit, references):
            return  # nothing to count, as the search below would find
        # Only ``<c`` and ``<row`` matter: one pass finds both first bytes after ``<``.
        first = a[1:]
        opening = (a[:-1] == ord("<")) & ((first == ord("c")) | (first == ord("r")))
        named = np.flatnonzero(opening) + 1
        colons = np.flatnonzero(a == ord(":")) + 1  # rare: ``<x:c``
        row_tags = _opening_tags(a, named, colons, limit, b"row")
        cell_tags = _opening_tags(a, named, colons, limit, b"c")
        bare_rows = _without_reference(a, row_tags, b"row", references)
        self.rows_without_reference += int(bare_rows.sum())
        bare = cell_tags[_without_reference(a, cell_tags, b"c", references)]
        if not bare.size and not self._cells_without_reference:
            return
        # Per row: index 0 is the row open when the window began.
        per_row = np.bincount(np.searchsorted(row_tags, bare), minlength=row_tags.size + 1)
        per_row[0] += self._cells_without_reference
        self.most_cells_without_reference = max(
            self.most_cells_without_reference, int(per_row.max())
        )
        self._cells_without_reference = int(per_row[-1])

    def _add_matches(self, found: list[tuple[bytes, ...]]) -> None:
        if not found:
            return
        longest = max(found, key=lambda found: max(map(len, found[1:5])))
        if max(map(len, longest[1:5])) > MAX_RUN:
            shown = b"".join(longest[1:5])[: MAX_RUN + 8].decode("ascii")
            raise BadInput(
                f"{self.file_name}: worksheet {self.member} names a row or column with more "
                f"than {MAX_RUN} letters or digits ({shown}...); such a sheet is not read"
            )
        # A sheet names a few dozen columns and each row number a few dozen times:
        # the distinct ones are all that need converting. A reference without its
        # closing quote is not one (the reader refuses it); one cut by the window's
        # end is whole in the next.
        closed = [found for found in found if found[0] == found[5]]
        columns = {found[1] for found in closed} | {found[3] for found in closed}
        rows = {found[2] for found in closed} | {found[4] for found in closed}
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
#: The element name ends at whitespace, ``/`` or ``>`` (``table:table-column`` is not
#: ``table:table``); a quoted value may hold ``>`` (the reader takes it), so quoted
#: values are skipped whole.
_ODS_NAME = rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)"
_ODS_ATTRIBUTES = rb"""((?:[^>"'/]|/(?!>)|"[^"]*"|'[^']*')*)"""
_ODS_TAG = re.compile(_ODS_NAME + rb"(?=[\s/>])" + _ODS_ATTRIBUTES + rb"(/?)>")
#: Such a tag begun and not ended when the data ends: read whole with the next chunk.
_ODS_UNENDED = re.compile(
    _ODS_NAME + rb"(?=[\s/>]|\Z)" + _ODS_ATTRIBUTES + rb"""(?:"[^"]*|'[^']*|/)?\Z"""
)
#: No real tag is this long; one that is (unended for a megabyte) refuses the file
#: rather than being carried from chunk to chunk.
_ODS_LONGEST_TAG = 1024 * 1024
#: A repeat count as the reader takes it: either quote, whitespace around ``=``, a
#: plus sign, any number of leading zeros (the count itself is capped below).
_ODS_REPEAT = re.compile(
    rb"""(?<![\w.:-])table:number-(?:rows|columns)-repeated\s*=\s*(["'])\+?0*([0-9]*)\1"""
)
#: A count with more digits than this stands for more cells than any sheet may hold.
_ODS_COUNT_DIGITS = 12


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
        # A table tag the data ends inside (however long, whatever its quoted values
        # hold), or any tag cut before its name is whole, is read with the next chunk.
        unended = _ODS_UNENDED.search(data)
        cut = unended.start() if unended else len(data)
        last_tag = data.rfind(b"<", max(0, len(data) - 64))
        if last_tag >= 0 and data.find(b">", last_tag) < 0:
            cut = min(cut, last_tag)
        for match in _ODS_TAG.finditer(data, 0, cut):
            self._tag(match[1] == b"/", match[2], match[3], match[4] == b"/")
        self._tail = data[cut:]
        if len(self._tail) > _ODS_LONGEST_TAG:
            raise BadInput(
                f"{self.file_name}: {self.member} has a table tag longer than "
                f"{_ODS_LONGEST_TAG:,} bytes; such a file is not read"
            )

    def finish(self) -> None:
        self.feed(b"")

    def _tag(self, closing: bool, name: bytes, attributes: bytes, empty: bool) -> None:
        repeat_found = _ODS_REPEAT.search(attributes)
        repeat = 1
        if repeat_found:
            digits = repeat_found[2][: _ODS_COUNT_DIGITS + 1]
            repeat = int(digits or b"0")
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
