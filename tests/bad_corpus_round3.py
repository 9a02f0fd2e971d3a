"""Hostile files, round three (issue 12): references written in the forms the reader
takes but the first sheet-extent scanner did not count, and a reader panic.

python-calamine places a cell at ``r='C5'`` (single quotes), ``r = "C5"`` and
``r=<newline>"C5"`` (whitespace around ``=``), ``t="n"r="C5"`` (no space before
``r``), ``C00000000005`` (leading zeros) and ``AAAB2`` (more than three letters);
an OpenDocument repeat count likewise with single quotes, whitespace, a plus sign,
leading zeros or a quoted ``>`` before it in the tag. Each file here uses one such
form to reach past the sheet-size limit; each must be refused before the reader
allocates. :func:`forms` gives the same forms at a small reference, which must be
read exactly as the reader places them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from bad_corpus_round2 import _rewrite_sheet, _small_matrix_bytes, ods_bytes
from corpus_kit import IMPORT_COMMANDS, BadFile

#: What each refusal says about the sheet (the member holding it) and its size.
_XLSX_SHEET = "worksheet xl/worksheets/sheet1.xml"
_CELL = '<c{attributes} t="inlineStr"><is><t>x</t></is></c>'


def xlsx_with_row(row_attributes: str, cell_attributes: str) -> bytes:
    """The small matrix with one more row carrying one cell, attributes as given."""
    cell = _CELL.format(attributes=cell_attributes)
    extra = f"<row{row_attributes}>{cell}</row>".encode()
    return _rewrite_sheet(
        _small_matrix_bytes(), lambda xml: xml.replace(b"</sheetData>", extra + b"</sheetData>")
    )


def _xlsx(row_attributes: str, cell_attributes: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(xlsx_with_row(row_attributes, cell_attributes))

    return make


def _cells_without_reference(path: Path) -> None:
    row = (
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c>'
        + '<c t="n"><v>1</v></c>' * 100
        + "</row>"
    ).encode()
    path.write_bytes(
        _rewrite_sheet(
            _small_matrix_bytes(), lambda xml: xml.replace(b"</sheetData>", row + b"</sheetData>")
        )
    )


def _dimension(ref: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        def change(xml: bytes) -> bytes:
            return re.sub(rb"<dimension [^>]*/>", ref.encode(), xml)

        path.write_bytes(_rewrite_sheet(_small_matrix_bytes(), change))

    return make


def _ods(row_attributes: str, cell_attributes: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(ods_bytes(row_attributes, cell_attributes))

    return make


def _date_out_of_range(path: Path) -> None:
    """A date-formatted cell of -10^300 days: the reader's date conversion panics."""

    book = openpyxl.load_workbook(io.BytesIO(_small_matrix_bytes()))
    book["Matrix"]["E2"] = 1.0
    book["Matrix"]["E2"].number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)

    def to_panic(xml: bytes) -> bytes:
        out, count = re.subn(rb'(<c r="E2"[^>]*>)<v>[^<]*</v>', rb"\1<v>-1e300</v>", xml)
        assert count == 1
        return out

    path.write_bytes(_rewrite_sheet(buffer.getvalue(), to_panic))


def _sheet_moved_to(name: str) -> Callable[[Path], None]:
    """The far cell in a sheet stored at ``name``: the reader opens whatever part the
    workbook's relationships name, so the scan may not go by the folder or extension."""

    def make(path: Path) -> None:
        source = zipfile.ZipFile(io.BytesIO(xlsx_with_row(' r="1048576"', ' r="XFD1048576"')))
        target = name.removeprefix("xl/")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for member in source.infolist():
                data = source.read(member)
                if member.filename == "xl/_rels/workbook.xml.rels":
                    data = data.replace(b"worksheets/sheet1.xml", target.encode())
                    assert target.encode() in data
                moved = member.filename == "xl/worksheets/sheet1.xml"
                out.writestr(name if moved else member, data)

    return make


_FAR = "spans 1,048,576 rows x 16,384 columns"
_ODS_FAR = "90,001 rows x 1,001 columns"

ROUND_THREE: tuple[BadFile, ...] = (
    BadFile(
        "sheet-outside-worksheets.xlsx",
        "the far cell in a sheet the relationships place at xl/data/sheet1.xml",
        _sheet_moved_to("xl/data/sheet1.xml"),
        IMPORT_COMMANDS,
        where=f"worksheet xl/data/sheet1.xml {_FAR}",
    ),
    BadFile(
        "sheet-with-upper-case-extension.xlsx",
        "the far cell in a sheet stored as xl/worksheets/sheet1.XML",
        _sheet_moved_to("xl/worksheets/sheet1.XML"),
        IMPORT_COMMANDS,
        where=f"worksheet xl/worksheets/sheet1.XML {_FAR}",
    ),
    BadFile(
        "single-quoted-reference.xlsx",
        "r='XFD1048576' (single quotes)",
        _xlsx(" r='1048576'", " r='XFD1048576'"),
        IMPORT_COMMANDS,
        where=f"{_XLSX_SHEET} {_FAR}",
    ),
    BadFile(
        "spaced-reference.xlsx",
        'r = "XFD1048576" (spaces around =)',
        _xlsx(' r = "1048576"', ' r = "XFD1048576"'),
        IMPORT_COMMANDS,
        where=f"{_XLSX_SHEET} {_FAR}",
    ),
    BadFile(
        "tab-newline-reference.xlsx",
        'a tab before r and a newline after = (r=\\n"XFD1048576")',
        _xlsx('\tr="1048576"', '\tr=\n"XFD1048576"'),
        IMPORT_COMMANDS,
        where=f"{_XLSX_SHEET} {_FAR}",
    ),
    BadFile(
        "reference-after-quote.xlsx",
        'r right after the previous closing quote (t="s"r="XFD1048576")',
        _xlsx(' spans="1:2"r="1048576"', ' s="0"r="XFD1048576"'),
        IMPORT_COMMANDS,
        where=f"{_XLSX_SHEET} {_FAR}",
    ),
    BadFile(
        "zero-padded-reference.xlsx",
        "ZZ00000000200000 (row 200,000 behind leading zeros)",
        _xlsx(' r="000000000200000"', ' r="ZZ00000000200000"'),
        IMPORT_COMMANDS,
        where=f"{_XLSX_SHEET} spans 200,000 rows x 702 columns",
    ),
    BadFile(
        "five-letter-column.xlsx",
        "ZZZZZ100 (12 million columns)",
        _xlsx(' r="100"', ' r="ZZZZZ100"'),
        IMPORT_COMMANDS,
        where=f"{_XLSX_SHEET} spans 100 rows x 12,356,630 columns",
    ),
    BadFile(
        "long-letter-run.xlsx",
        "a column of 40 letters (the reader's arithmetic wraps)",
        _xlsx(' r="2"', ' r="' + "A" * 40 + '2"'),
        IMPORT_COMMANDS,
        where=f"{_XLSX_SHEET} names a row or column with more than 32 letters or digits",
    ),
    BadFile(
        "single-quoted-dimension.xlsx",
        "a dimension of A1:XFD1048576 in single quotes, spaced",
        _dimension("<dimension ref = 'A1:XFD1048576'/>"),
        IMPORT_COMMANDS,
        where=f"{_XLSX_SHEET} {_FAR}",
    ),
    BadFile(
        "cells-without-reference.xlsx",
        "a cell at row 1,048,576 and 100 more without r (the reader puts each one right)",
        _cells_without_reference,
        IMPORT_COMMANDS,
        where=f"{_XLSX_SHEET} spans 1,048,576 rows x",
    ),
    BadFile(
        "date-out-of-range.xlsx",
        "a date of -10^300 days (the reader panics)",
        _date_out_of_range,
        IMPORT_COMMANDS,
        where="sheet 'Matrix' could not be read: the spreadsheet reader failed on it",
    ),
    BadFile(
        "single-quoted-repeat.ods",
        "ODS repeat counts in single quotes (90 million cells)",
        _ods("table:number-rows-repeated='90000'", "table:number-columns-repeated='1000'"),
        IMPORT_COMMANDS,
        where=_ODS_FAR,
    ),
    BadFile(
        "spaced-repeat.ods",
        "ODS repeat counts with whitespace around = (90 million cells)",
        _ods('table:number-rows-repeated = "90000"', 'table:number-columns-repeated=\n"1000"'),
        IMPORT_COMMANDS,
        where=_ODS_FAR,
    ),
    BadFile(
        "zero-padded-repeat.ods",
        "ODS repeat counts behind 12 leading zeros and a plus sign (90 million cells)",
        _ods(
            'table:number-rows-repeated="+00000000000090000"',
            'table:number-columns-repeated="0000000000001000"',
        ),
        IMPORT_COMMANDS,
        where=_ODS_FAR,
    ),
    BadFile(
        "quoted-bracket-repeat.ods",
        "ODS repeat counts after a quoted > in the tag (90 million cells)",
        _ods(
            'text:x=">" table:number-rows-repeated="90000"',
            "text:x='>' table:number-columns-repeated=\"1000\"",
        ),
        IMPORT_COMMANDS,
        where=_ODS_FAR,
    ),
)
