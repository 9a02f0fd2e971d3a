"""The sheet-extent scan refuses exactly what a plain regular-expression pass over
the whole XML, match by match, would refuse, however the bytes are laid out and cut
into chunks, and whatever the limit; measured exactly, it finds the same extent."""

from __future__ import annotations

import re
from unittest import mock

import pytest
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
#: Limits that refuse some of these small sheets and accept others.
_LIMITS = st.one_of(st.just(sheet_extent.MAX_SHEET_CELLS), st.integers(1, 10**14))


@settings(max_examples=600, deadline=None)
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
        scanner = sheet_extent.ExtentScanner("book.xlsx", _MEMBER)
        try:
            _feed(scanner, xml, cuts)
        except BadInput:
            assert max(rows, 1) * max(columns, 1) > limit
        else:
            assert max(rows, 1) * max(columns, 1) <= limit
            assert (scanner.rows, scanner.columns) == (rows, columns)


_ROW_OR_CELL = re.compile(rb'\sr="')


@settings(max_examples=600, deadline=None)
@given(parts=st.lists(_PIECES, max_size=40))
def test_numpy_reads_plain_references_as_the_patterns_do_and_finds_the_first_other(
    parts: list[bytes],
) -> None:
    xml = b"".join(parts)
    rows = columns = 0
    other = -1
    for candidate in _ROW_OR_CELL.finditer(xml):
        plain = sheet_extent._PLAIN.match(xml, candidate.start())
        if plain is None:
            other = candidate.start() if other < 0 else other
            continue
        more_rows, more_columns = _plain_extent(plain[0])
        rows, columns = max(rows, more_rows), max(columns, more_columns)
    assert sheet_extent.plain_extent(xml) == (rows, columns, other)


def test_a_reference_cut_by_a_chunk_boundary_far_from_its_tag_start_is_seen() -> None:
    """A tag padded with whitespace puts its reference on the boundary, away from the ``<``."""
    xml = b'<row r="1"><c' + b" " * 200 + b'r="XFD1048576"/></row>'
    cut = xml.index(b"XFD") + 2
    scanner = sheet_extent.ExtentScanner("book.xlsx", _MEMBER)
    with pytest.raises(BadInput, match="1,048,576 rows x 16,384 columns"):
        _feed(scanner, xml, [cut])


def test_an_excel_sheet_is_read_by_numpy_alone() -> None:
    """Excel's own attributes (``xmlns:r``, ``header="0.3"``, ``spans``) are not
    references, so a sheet Excel wrote never needs the regular expressions."""
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
    assert (scanner.rows, scanner.columns) == (99_999, 390)
    assert scanner.chunks_read_by_patterns == 0


def test_a_range_where_a_cell_belongs_is_read_by_the_patterns() -> None:
    xml = b'<row r="1"><c r="A1:C300"/></row>' + b"<x/>" * 100
    scanner = sheet_extent.ExtentScanner("book.xlsx", _MEMBER)
    _feed(scanner, xml, [200])
    assert (scanner.rows, scanner.columns) == (300, 3)
    assert scanner.chunks_read_by_patterns == 1
