"""The sheet-extent scan refuses exactly what a plain regular-expression pass over
the whole XML, match by match, would refuse, however the bytes are laid out and cut
into chunks, and whatever the limit; measured exactly, it finds the same extent."""

from __future__ import annotations

import re
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.errors import BadInput
from workbench.exchange import sheet_extent

_MEMBER = "xl/worksheets/sheet1.xml"


#: Any whitespace before ``ref`` too, as an XML parser reads the tag.
_ANY_REFERENCE = re.compile(
    sheet_extent._REFERENCE.pattern.replace(b"dimension ref", b"dimension\\sref")
)


def _plain_extent(xml: bytes) -> tuple[int, int]:
    """The reference: one regular-expression pass, match by match, over the whole XML."""
    rows = columns = 0
    for match in _ANY_REFERENCE.finditer(xml):
        for letters, digits in ((match[2], match[3]), (match[4], match[5])):
            if letters:
                columns = max(columns, sheet_extent.column_number(letters.upper()))
            if digits:
                rows = max(rows, int(digits))
    return rows, columns


def _feed(scanner: sheet_extent.ExtentScanner, xml: bytes, cuts: list[int]) -> None:
    start = 0
    for cut in sorted(c for c in cuts if c <= len(xml)):
        scanner.feed(xml[start:cut])
        start = cut
    scanner.feed(xml[start:])
    scanner.finish()


def _scan_as_the_zip_guard_does(xml: bytes, cuts: list[int]) -> sheet_extent.ExtentScanner:
    """The quick scanner, then (when it asks) an exact one over the member again."""
    scanner = sheet_extent.ExtentScanner("book.xlsx", _MEMBER)
    _feed(scanner, xml, cuts)
    if scanner.needs_exact:
        scanner = sheet_extent.ExtentScanner("book.xlsx", _MEMBER, exact=True)
        _feed(scanner, xml, cuts)
    return scanner


_LETTERS = st.text("AbXFDzNnO", max_size=4).map(str.encode)
_DIGITS = st.text("01789", max_size=8).map(str.encode)
_DOLLAR = st.sampled_from([b"", b"$"])


@st.composite
def _reference(draw: st.DrawFn) -> bytes:
    """Something shaped like a reference, well or badly (too many letters or
    digits, no closing quote), after any whitespace, or a declared range."""
    lead = draw(st.sampled_from([b" r", b"\tr", b"\nr", b"\rr", b"\x0br", b"\x0cr", b"x:r"]))
    lead = draw(st.sampled_from([lead, lead, b"<dimension ref", b"<dimension\tref"]))
    out = lead + b'="' + draw(_DOLLAR) + draw(_LETTERS) + draw(_DOLLAR) + draw(_DIGITS)
    if draw(st.booleans()):
        out += b":" + draw(_DOLLAR) + draw(_LETTERS) + draw(_DOLLAR) + draw(_DIGITS)
    return out + draw(st.sampled_from([b'"', b'"', b"", b'x"']))


_PIECES = st.one_of(
    _reference(),
    st.sampled_from(
        [b"<c", b"<row", b"/>", b"<v>3</v>", b'"', b"  ", b"<", b" " * 70, b'r="', b"$", b"="]
    ),
)
#: The real limit (where the quick bound settles most sheets) and limits around it.
_LIMITS = st.one_of(
    st.just(sheet_extent.MAX_SHEET_CELLS),
    st.integers(1, 10**14),
    st.sampled_from([sheet_extent.QUICK_ROWS * sheet_extent.QUICK_COLUMNS - 1, 10**4]),
)


@settings(max_examples=1500, deadline=None)
@given(
    parts=st.lists(_PIECES, max_size=40),
    cuts=st.lists(st.integers(0, 600), max_size=6),
    limit=_LIMITS,
)
def test_the_scan_refuses_what_a_plain_pass_refuses(
    parts: list[bytes], cuts: list[int], limit: int
) -> None:
    xml = b"".join(parts)
    rows, columns = _plain_extent(xml)
    with mock.patch.object(sheet_extent, "MAX_SHEET_CELLS", limit):
        try:
            _scan_as_the_zip_guard_does(xml, cuts)
        except BadInput:
            refused = True
        else:
            refused = False
        assert refused == (max(rows, 1) * max(columns, 1) > limit)
        exact = sheet_extent.ExtentScanner("book.xlsx", _MEMBER, exact=True)
        try:
            _feed(exact, xml, cuts)
        except BadInput:
            assert refused
        else:
            assert (exact.rows, exact.columns) == (rows, columns)


@settings(max_examples=1500, deadline=None)
@given(parts=st.lists(_PIECES, max_size=40))
def test_the_vectorised_quick_search_finds_what_its_regular_expression_finds(
    parts: list[bytes],
) -> None:
    xml = b"".join(parts)
    found = sheet_extent._NOT_SMALL.search(xml)
    assert sheet_extent.first_not_small(xml) == (-1 if found is None else found.start())


def test_a_reference_cut_by_a_chunk_boundary_far_from_its_tag_start_is_seen() -> None:
    """A tag padded with whitespace puts its reference on the boundary, away from the ``<``."""
    xml = b'<row r="1"><c' + b" " * 200 + b'r="XFD1048576"/></row>'
    cut = xml.index(b"XFD") + 2
    for exact in (False, True):
        scanner = sheet_extent.ExtentScanner("book.xlsx", _MEMBER, exact=exact)
        try:
            _feed(scanner, xml, [cut])
        except BadInput as err:
            assert "1,048,576 rows x 16,384 columns" in str(err)
        else:
            raise AssertionError("the cut reference was missed")


def test_an_excel_sheet_within_the_bound_is_settled_by_the_quick_search() -> None:
    """Excel's own attributes (``xmlns:r``, ``header="0.3"``, ``spans``) are not
    references; a 99,999 x 390 sheet never needs the exact scan."""
    xml = (
        b'<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
        b' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        b' mc:Ignorable="x14ac xr xr2 xr3"><dimension ref="A1:NZ99999"/><sheetData>'
        b'<row r="1" spans="1:390"><c r="A1" t="s"><v>0</v></c><c r="NZ1"><v>1</v></c></row>'
        b'<row r="99999" spans="1:390"><c r="$b$99999"><v>1</v></c></row></sheetData>'
        b'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        b"</worksheet>"
    )
    scanner = sheet_extent.ExtentScanner("book.xlsx", _MEMBER)
    _feed(scanner, xml, [len(xml) // 3, len(xml) // 2])
    assert not scanner.needs_exact and not scanner.exact
    assert sheet_extent.column_number(b"NZ") == sheet_extent.QUICK_COLUMNS
    assert sheet_extent.QUICK_ROWS * sheet_extent.QUICK_COLUMNS <= sheet_extent.MAX_SHEET_CELLS


def test_a_larger_sheet_is_measured_exactly_from_where_the_quick_search_finds_it() -> None:
    """100,010 x 210 (the app's largest export): the rows past 99,999 are measured,
    and with the quick part's bound the sheet is still settled without a second scan."""
    head = b'<worksheet><sheetData><row r="1"><c r="A1"/><c r="HB1"/></row>' + b"<x/>" * 5000
    xml = head + b'<row r="100010"><c r="A100010"/></row></sheetData></worksheet>'
    scanner = sheet_extent.ExtentScanner("book.xlsx", _MEMBER)
    _feed(scanner, xml, [len(head) // 2, len(head) + 3])
    assert scanner.exact and scanner.bounded and not scanner.needs_exact
    assert scanner.rows == 100_010
    exact = sheet_extent.ExtentScanner("book.xlsx", _MEMBER, exact=True)
    _feed(exact, xml, [1000])
    assert (exact.rows, exact.columns) == (100_010, 210)
