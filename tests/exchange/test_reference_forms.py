"""Every reference form the reader takes is measured exactly as the reader places it.

The same forms as the hostile corpus (round three) at a small reference: the
sheet-extent scan must find the rows and columns python-calamine fills, whether the
XML comes in one chunk or cut byte by byte around the reference.
"""

from __future__ import annotations

import io
import zipfile
from unittest import mock

import bad_corpus_round3
import pytest
import python_calamine

from workbench.exchange import sheet_extent
from workbench.exchange.spreadsheet_reader import Workbook

_XLSX_FORMS = [
    ("single quotes", " r='7'", " r='C7'"),
    ("single-quoted row, no cell reference", " r='7'", ""),
    ("spaces around =", ' r = "7"', ' r = "C7"'),
    ("tab before r", '\tr="7"', '\tr="C7"'),
    ("newline after =", ' r=\n"7"', ' r=\n"C7"'),
    ("carriage return before =", ' r\r="7"', ' r\r="C7"'),
    ("r right after a quote", ' spans="1:3"r="7"', ' s="0"r="C7"'),
    ("leading zeros", ' r="000000000007"', ' r="C00000000007"'),
    ("zero-padded row, no cell reference", ' r="000000000007"', ""),
    ("four letters", ' r="7"', ' r="AAAB7"'),
    ("lower case", ' r="7"', ' r="c7"'),
]


def _calamine_extent(data: bytes, suffix: str, tmp_path) -> tuple[int, int]:  # noqa: ANN001
    path = tmp_path / f"book{suffix}"
    path.write_bytes(data)
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    return len(rows), max((len(row) for row in rows), default=0)


def _scan(member_xml: bytes, member: str, cut_at: int | None) -> tuple[int, int]:
    scanner = sheet_extent.scanner_for("book", member)
    assert scanner is not None
    if cut_at is None:
        scanner.feed(member_xml)
    else:  # byte by byte around the reference, whole chunks elsewhere
        start = max(0, cut_at - 300)
        scanner.feed(member_xml[:start])
        for at in range(start, min(len(member_xml), cut_at + 300)):
            scanner.feed(member_xml[at : at + 1])
        scanner.feed(member_xml[cut_at + 300 :])
    scanner.finish()
    return scanner.rows, scanner.columns


@pytest.mark.parametrize(("form", "row", "cell"), _XLSX_FORMS, ids=[f[0] for f in _XLSX_FORMS])
def test_an_xlsx_reference_form_is_measured_as_the_reader_places_it(
    tmp_path,  # noqa: ANN001
    form: str,
    row: str,
    cell: str,
) -> None:
    data = bad_corpus_round3.xlsx_with_row(row, cell)
    expected = _calamine_extent(data, ".xlsx", tmp_path)
    assert expected[0] == 7, form  # the reader did place the extra row
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    member = "xl/worksheets/sheet1.xml"
    assert _scan(xml, member, None) == expected
    assert _scan(xml, member, xml.rindex(b"<row")) == expected
    with Workbook(tmp_path / "book.xlsx") as book:  # the zip guard lets it through
        assert len(book.sheet("Matrix").rows) == expected[0]


_ODS_FORMS = [
    ("double quotes", 'table:number-rows-repeated="3"', 'table:number-columns-repeated="4"'),
    ("single quotes", "table:number-rows-repeated='3'", "table:number-columns-repeated='4'"),
    (
        "whitespace around =",
        'table:number-rows-repeated = "3"',
        'table:number-columns-repeated=\n"4"',
    ),
    (
        "leading zeros and a plus sign",
        'table:number-rows-repeated="+000000000000003"',
        'table:number-columns-repeated="00000000000000004"',
    ),
    (
        "a quoted > before the count",
        'text:x=">" table:number-rows-repeated="3"',
        "text:x='>' table:number-columns-repeated=\"4\"",
    ),
]


@pytest.mark.parametrize(("form", "row", "cell"), _ODS_FORMS, ids=[f[0] for f in _ODS_FORMS])
def test_an_ods_repeat_form_is_measured_as_the_reader_places_it(
    tmp_path,  # noqa: ANN001
    form: str,
    row: str,
    cell: str,
) -> None:
    data = bad_corpus_round3.ods_bytes(row, cell)
    expected = _calamine_extent(data, ".ods", tmp_path)
    assert expected == (4, 5), form
    xml = zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
    assert _scan(xml, "content.xml", None) == expected
    assert _scan(xml, "content.xml", xml.rindex(b"number-")) == expected


def test_an_ods_table_column_does_not_start_a_new_table() -> None:
    """``table:table-column`` between rows is not ``table:table``: the rows before it
    still count."""
    row = (
        '<table:table-row table:number-rows-repeated="30000"><table:table-cell '
        'table:number-columns-repeated="1000"><text:p>x</text:p></table:table-cell>'
        "</table:table-row>"
    )
    xml = (
        ('<table:table table:name="S">' + row + '<table:table-column table:style-name="co1"/>')
        + row
        + "</table:table>"
    )
    scanner = sheet_extent.OdsExtentScanner("book.ods", "content.xml")
    with pytest.raises(sheet_extent.BadInput, match="60,000 rows x 1,000 columns"):
        scanner.feed(xml.encode())
        scanner.finish()


def test_an_ods_tag_longer_than_a_chunk_is_read_whole() -> None:
    padding = " " * 100_000
    xml = (
        f'<table:table table:name="S"><table:table-row{padding}table:number-rows-repeated="90000">'
        '<table:table-cell table:number-columns-repeated="1000"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table>"
    ).encode()
    scanner = sheet_extent.OdsExtentScanner("book.ods", "content.xml")
    with pytest.raises(sheet_extent.BadInput, match="90,000 rows x 1,000 columns"):
        for at in range(0, len(xml), 4096):
            scanner.feed(xml[at : at + 4096])
        scanner.finish()


def test_cells_without_a_reference_are_counted_where_the_reader_places_them() -> None:
    """The reader places a cell without ``r`` one column right of the previous cell
    (and a row without ``r`` one row down): 100 such cells after a cell at row
    1,048,576 span 101 columns there, and the scan counts them."""
    xml = (
        b'<sheetData><row r="1"><c r="A1"/></row><row r="1048576"><c r="A1048576"/>'
        + b'<c t="n"><v>1</v></c>' * 100
        + b"</row></sheetData>"
    )
    scanner = sheet_extent.ExtentScanner("book.xlsx", "xl/worksheets/sheet1.xml")
    with mock.patch.object(sheet_extent, "MAX_SHEET_CELLS", 10**12):
        for at in range(0, len(xml), 7):
            scanner.feed(xml[at : at + 7])
        scanner.finish()
    assert (scanner.rows, scanner.columns) == (1_048_576, 1)
    assert scanner.most_cells_without_reference == 100
    assert scanner.rows_without_reference == 0
    scanner = sheet_extent.ExtentScanner("book.xlsx", "xl/worksheets/sheet1.xml")
    with pytest.raises(sheet_extent.BadInput, match="1,048,576 rows x"):
        scanner.feed(xml)
        scanner.finish()


def test_rows_without_a_reference_are_counted_where_the_reader_places_them() -> None:
    xml = b'<row r="1048576"><c r="XFD1048576"/></row>' + b"<x:row><x:c/></x:row>" * 30
    scanner = sheet_extent.ExtentScanner("book.xlsx", "xl/worksheets/sheet1.xml")
    with mock.patch.object(sheet_extent, "MAX_SHEET_CELLS", 10**12):
        for at in range(0, len(xml), 5):
            scanner.feed(xml[at : at + 5])
        scanner.finish()
    assert scanner.rows_without_reference == 30
    assert scanner.most_cells_without_reference == 1
