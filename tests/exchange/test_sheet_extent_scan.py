"""The sheet-extent scan refuses what a straightforward reading of the XML, byte by
byte as the spreadsheet reader takes a reference, would refuse, however the bytes
are laid out and cut into chunks, and whatever the limit; measured exactly, it
finds the same extent (it never counts less than the reader places)."""

from __future__ import annotations

import re
import string
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.errors import BadInput
from workbench.exchange import sheet_extent

_MEMBER = "xl/worksheets/sheet1.xml"
_SPACE = b" \t\n\r\x0b\x0c"
_NAME_BYTES = (string.ascii_letters + string.digits + "_.:-").encode()


def _run(xml: bytes, at: int, allowed: bytes) -> int:
    end = at
    while end < len(xml) and xml[end] in allowed:
        end += 1
    return end


def _read_value(xml: bytes, at: int) -> tuple[list[bytes], list[bytes], bool] | None:
    """After an attribute name: (letter runs, digit runs, closed), or None if no value."""
    at = _run(xml, at, _SPACE)
    if xml[at : at + 1] != b"=":
        return None
    at = _run(xml, at + 1, _SPACE)
    quote = xml[at : at + 1]
    if quote not in (b'"', b"'"):
        return None
    at += 1
    letters: list[bytes] = []
    digits: list[bytes] = []
    for part in range(2):
        if part == 1:
            if xml[at : at + 1] != b":":
                break
            at += 1
        at += xml[at : at + 1] == b"$"
        end = _run(xml, at, string.ascii_letters.encode())
        letters.append(xml[at:end])
        at = end + (xml[end : end + 1] == b"$")
        end = _run(xml, at, string.digits.encode())
        digits.append(xml[at:end])
        at = end
    return letters, digits, xml[at : at + 1] == quote


def _reader_extent(xml: bytes) -> tuple[int, int, bool]:
    """(rows, columns, whether a run is too long to read): every ``r`` after a byte
    that cannot end a longer name, and every ``dimension ref``, read by hand."""
    rows = columns = 0
    too_long = False
    starts = [i + 1 for i in range(len(xml) - 1) if xml[i + 1] == ord("r")]
    starts = [i for i in starts if xml[i - 1] not in _NAME_BYTES and xml[i - 1] < 128]
    names = [i + 1 for i in starts]
    names += [m.end() for m in re.finditer(rb"dimension\sref", xml)]
    for at in names:
        value = _read_value(xml, at)
        if value is None:
            continue
        letters, digits, closed = value
        if any(len(run) > sheet_extent.MAX_RUN for run in letters + digits):
            too_long = True
        elif closed:
            for run in letters:
                columns = max(columns, sheet_extent.column_number(run.upper()))
            for run in digits:
                rows = max(rows, int(run or b"0"))
    return rows, columns, too_long


_BARE = re.compile(rb"<(?:[A-Za-z0-9_.-]+:)?(?:c|row)[\s/>]")


def _feed(scanner: sheet_extent.ExtentScanner, xml: bytes, cuts: list[int]) -> None:
    start = 0
    for cut in sorted(c for c in cuts if c <= len(xml)):
        scanner.feed(xml[start:cut])
        start = cut
    scanner.feed(xml[start:])
    scanner.finish()


_LETTERS = st.one_of(st.text("AbXFDzNnO", max_size=4), st.text("AZz", min_size=4, max_size=36)).map(
    str.encode
)
_DIGITS = st.one_of(
    st.text("01789", max_size=8),
    st.builds(lambda n, d: "0" * n + d, st.integers(0, 40), st.text("0123456789", max_size=8)),
).map(str.encode)
_DOLLAR = st.sampled_from([b"", b"$"])
_QUOTES = st.sampled_from([b'"', b"'"])
_AROUND = st.sampled_from([b"", b"", b" ", b"\t", b"\r\n", b" " * 70, b" " * 300])
_LEAD = st.sampled_from([b" r", b"\tr", b"\nr", b'"r', b"'r", b"/r", b"x:r", b"xr"])
#: None keeps the lead drawn before (half the time); else a declared range.
_RANGE = st.sampled_from([None, None, b"<dimension ref", b"<dimension\tref"])
#: None closes with the opening quote (a third of the time).
_CLOSE = st.sampled_from([None, None, b"", b'x"', b'"', b"'"])
# The strategies are made once, here: one made inside _reference for each draw (as a
# choice among values already drawn) was validated anew every time, about a fifth of
# the time spent generating the examples. The same draws, the same odds.


@st.composite
def _reference(draw: st.DrawFn) -> bytes:
    """Something shaped like a reference, well or badly (long runs, no closing quote,
    the other quote), after any lead or none, or a declared range."""
    lead = draw(_LEAD)
    lead = draw(_RANGE) or lead
    quote = draw(_QUOTES)
    out = lead + draw(_AROUND) + b"=" + draw(_AROUND) + quote
    out += draw(_DOLLAR) + draw(_LETTERS) + draw(_DOLLAR) + draw(_DIGITS)
    if draw(st.booleans()):
        out += b":" + draw(_DOLLAR) + draw(_LETTERS) + draw(_DOLLAR) + draw(_DIGITS)
    close = draw(_CLOSE)
    return out + (quote if close is None else close)


_PIECES = st.one_of(
    _reference(),
    st.sampled_from(
        [b"<c", b"<row", b"/>", b"<v>3</v>", b'"', b"  ", b"<", b" " * 70, b'r="', b"$", b"=", b"r"]
    ),
)
#: Limits that refuse some of these small sheets and accept others.
_LIMITS = st.one_of(st.just(sheet_extent.MAX_SHEET_CELLS), st.integers(1, 10**14))


@settings(max_examples=1000, deadline=None)
@given(
    parts=st.lists(_PIECES, max_size=40),
    cuts=st.lists(st.integers(0, 3000), max_size=8),
    limit=_LIMITS,
)
def test_the_scan_refuses_what_the_reader_would_place_beyond_the_limit(
    parts: list[bytes], cuts: list[int], limit: int
) -> None:
    xml = b"".join(parts)
    rows, columns, too_long = _reader_extent(xml)
    with mock.patch.object(sheet_extent, "MAX_SHEET_CELLS", limit):
        scanner = sheet_extent.ExtentScanner("book.xlsx", _MEMBER)
        try:
            _feed(scanner, xml, cuts)
        except BadInput:
            # Rows and cells without ``r`` may reach past the references.
            assert too_long or max(rows, 1) * max(columns, 1) > limit or _BARE.search(xml)
        else:
            assert not too_long
            assert max(rows, 1) * max(columns, 1) <= limit
            assert (scanner.rows, scanner.columns) == (rows, columns)


@settings(max_examples=600, deadline=None)
@given(parts=st.lists(_PIECES, max_size=40))
def test_numpy_reads_plain_references_as_the_patterns_do_and_finds_the_first_other(
    parts: list[bytes],
) -> None:
    xml = b"".join(parts)
    rows = columns = 0
    other = -1
    for at in range(2, len(xml)):
        if xml[at] != ord("="):
            continue
        after = xml[at + 1] if at + 1 < len(xml) else 0
        if xml[at - 1] in _SPACE or after in _SPACE:
            other = 0  # ``r = "C5"``: wherever the r is, the patterns read this
            continue
        if xml[at - 1] != ord("r") or after not in b"\"'":
            continue
        if xml[at - 2] in _NAME_BYTES or xml[at - 2] >= 128:
            continue
        plain = sheet_extent._PLAIN.match(xml, at - 1)
        if plain is None:
            other = at - 2 if other < 0 else other
            continue
        more_rows, more_columns, _ = _reader_extent(b" " + plain[0])
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


@settings(max_examples=600, deadline=None)
@given(parts=st.lists(_PIECES, max_size=40))
def test_a_window_said_to_hold_no_declared_range_holds_none(parts: list[bytes]) -> None:
    """The declared-range search is skipped only where it would find nothing."""
    xml = b"".join(parts)
    *_, declares = sheet_extent._plain(xml)
    assert declares or not sheet_extent._DIMENSION.findall(xml)


def test_letters_and_digits_are_told_apart_from_every_other_byte() -> None:
    """The arithmetic that reads a reference's letters and digits, on all 256 bytes."""
    every = np.arange(256, dtype=np.uint8)
    letters = sheet_extent._letter_index(every)
    digits = sheet_extent._digit_value(every)
    for byte in range(256):
        if chr(byte) in string.ascii_letters:
            assert letters[byte] == string.ascii_lowercase.index(chr(byte).lower())
        else:
            assert letters[byte] >= 26
        if chr(byte) in string.digits:
            assert digits[byte] == byte - ord("0")
        else:
            assert digits[byte] >= 10


_TAG_PIECES = st.one_of(
    _PIECES,
    st.sampled_from(
        [b'<c r="A1">', b"<c>", b"<c/>", b'<row r="2">', b"<row>", b'<c\tr="B2"', b"<col ", b"<r>"]
        + [b'<x:c r="C3">', b"<x:row>", b'<row  r="4">', b"<c r=5>", b"<rPr/>", b"</c>", b"</row>"]
    ),
)


@settings(max_examples=1000, deadline=None)
@given(parts=st.lists(_TAG_PIECES, max_size=40), cut=st.integers(0, 3000))
def test_tags_said_to_be_plain_hide_no_tag_without_a_reference(
    parts: list[bytes], cut: int
) -> None:
    """The count that skips the search for tags without ``r`` skips it only where the
    search finds none, with the references of either reading."""
    xml = b"".join(parts)
    limit = min(cut, len(xml))
    *_, a, plain_references, _declares = sheet_extent._plain(xml)
    found = [m.start() for m in sheet_extent._REFERENCE.finditer(xml)]
    for references in (plain_references, np.array(found, dtype=np.intp)):
        if not sheet_extent._all_tags_plain(a, limit, references):
            continue
        named = np.flatnonzero(a[:-1] == ord("<")) + 1
        colons = np.flatnonzero(a == ord(":")) + 1
        for name in (b"row", b"c"):
            tags = sheet_extent._opening_tags(a, named, colons, limit, name)
            assert not sheet_extent._without_reference(a, tags, name, references).any()


def test_a_sheet_as_writers_write_it_needs_no_search_for_tags_without_r() -> None:
    xml = b'<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1" t="s"><v>0</v></c></row>'
    a = np.frombuffer(xml + bytes(16), dtype=np.uint8)
    references = sheet_extent._plain(xml)[4]
    assert sheet_extent._all_tags_plain(a, len(xml), references)
    assert not sheet_extent._all_tags_plain(a, len(xml), references[1:])
    bare = xml.replace(b'<c r="B1"', b"<c")
    assert not sheet_extent._all_tags_plain(
        np.frombuffer(bare + bytes(16), dtype=np.uint8), len(bare), sheet_extent._plain(bare)[4]
    )
