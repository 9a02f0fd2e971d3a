"""Reading spreadsheet files (xlsx, xlsm, ods, csv) into plain rows of cell values.

Workbooks are read with python-calamine, which parses in Rust and hands back a
whole sheet as lists in one call: an order of magnitude faster than openpyxl
and free of per-cell Python objects. CSV files are decoded and split here.
Every file passes the size guards in :mod:`workbench.exchange.safety` first.

Cell values are ``str`` (``""`` for empty), ``float``/``int``, ``bool``,
``datetime.date``/``datetime.datetime`` or ``datetime.timedelta``.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import python_calamine

from workbench.core.errors import BadInput
from workbench.exchange import safety

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_DELIMITERS = (",", ";", "\t")
_SNIFF_LINES = 50

Row = list[Any]


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quote_sheet(name: str) -> str:
    """A sheet name as Excel writes it in a reference (``'My sheet'!A1``)."""
    if name.replace("_", "").isalnum():
        return name
    return "'" + name.replace("'", "''") + "'"


@dataclasses.dataclass
class Sheet:
    """One table of cells read from a file, with what is needed to name a cell."""

    file_name: str
    #: None for a CSV file, which has no sheets.
    name: str | None
    rows: list[Row]
    #: CSV rows longer than the header are an error (a shifted row), not ignored.
    is_csv: bool = False

    def where(self, row: int, column: int) -> str:
        """``matrix.xlsx: Matrix!E7`` for 0-based ``row`` and ``column``."""
        cell = f"{column_letters(column)}{row + 1}"
        if self.name is None:
            return f"{self.file_name}: {cell}"
        return f"{self.file_name}: {quote_sheet(self.name)}!{cell}"

    def check_text(self, text: str, row: int, column: int) -> None:
        """Refuse a cell text longer than Excel allows, naming the cell."""
        if len(text) >= safety.MAX_CELL_CHARS:
            safety.check_cell_text(text, self.where(row, column))

    def where_row(self, row: int) -> str:
        place = f"row {row + 1}"
        if self.name is None:
            return f"{self.file_name}: {place}"
        return f"{self.file_name}: {quote_sheet(self.name)} {place}"


class Workbook:
    """An open xlsx/xlsm/ods file whose sheets are read on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        safety.check_zip_container(path)
        try:
            with _quiet_panic():
                self._book = python_calamine.CalamineWorkbook.from_path(str(path))
                self.sheet_names: list[str] = list(self._book.sheet_names)
                #: Hidden (or "very hidden") sheets: read only when asked for by name.
                self.hidden = [
                    meta.name
                    for meta in self._book.sheets_metadata
                    if meta.visible != python_calamine.SheetVisibleEnum.Visible
                ]
        except python_calamine.CalamineError as err:
            raise BadInput(f"{path.name}: cannot read the workbook ({_reason(err)})") from None
        except BaseException as err:
            if not _reader_failed(err):
                raise
            raise BadInput(
                f"{path.name}: the workbook could not be read: the spreadsheet reader "
                f"failed on it ({_reason(err)})"
            ) from None

    def sheet(self, name: str) -> Sheet:
        if name not in self.sheet_names:
            raise BadInput(
                f"{self.path.name}: no sheet named {name!r} (sheets: {', '.join(self.sheet_names)})"
            )
        try:
            with _quiet_panic():
                rows = self._book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except python_calamine.CalamineError as err:
            raise BadInput(
                f"{self.path.name}: cannot read sheet {name!r} ({_reason(err)})"
            ) from None
        except BaseException as err:
            if not _reader_failed(err):
                raise
            raise BadInput(
                f"{self.path.name}: sheet {name!r} could not be read: the spreadsheet reader "
                f"failed on it ({_reason(err)})"
            ) from None
        return Sheet(self.path.name, name, rows)

    def sheets(self) -> Iterator[Sheet]:
        """The visible sheets in order; a hidden sheet is never read unasked."""
        for name in self.sheet_names:
            if name not in self.hidden:
                yield self.sheet(name)

    def close(self) -> None:
        self._book.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reader_failed(err: BaseException) -> bool:
    """Whether ``err`` is python-calamine failing inside its Rust code.

    A Rust panic reaches Python as ``pyo3_runtime.PanicException``, which derives
    from ``BaseException`` (so ``except Exception`` misses it) and cannot be
    imported by name; a value it cannot convert (a duration of 10^300 days) as
    ``OverflowError``. Both are the file's fault, never an interrupt or an exit.
    """
    return type(err).__name__ == "PanicException" or isinstance(err, OverflowError)


@contextlib.contextmanager
def _quiet_panic() -> Iterator[None]:
    """Keep a Rust panic's report (and backtrace) off standard error.

    The reader's panic hook writes straight to file descriptor 2 before the panic
    reaches Python as an exception, which is then refused in one line. Whatever
    else is written meanwhile is passed on once the call returns.

    Only on the main thread (the command line, where the one-line error is the
    whole output): file descriptor 2 belongs to the process, and the window
    reads files on worker threads that may overlap (a cancelled import still
    running beside the next), which would leave it pointing at a deleted file.
    There a panic's report stays on standard error and the dialog says what failed.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        saved = os.dup(2)
    except OSError:  # no standard error at all (a windowed app)
        yield
        return
    panicked = False
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        except BaseException as err:
            panicked = _reader_failed(err)
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            written = caught.read()
            if written and not panicked:
                os.write(2, written)


def _reason(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return text[:200] or type(err).__name__


def read_csv(path: Path) -> Sheet:
    """A CSV file as one sheet: UTF-8 (BOM or not) or Windows-1252; , ; or tab."""
    safety.check_file_size(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise BadInput(f"{path.name}: cannot read the file ({err.strerror or err})") from None
    text = _decode(data, path.name)
    delimiter = _sniff_delimiter(text)
    # The csv module refuses fields over 128 KB with no hint of where; lift the limit
    # (the file size is already bounded) so the importer can name the long cell.
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    from workbench.exchange.csv_export import unescape_field

    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows: list[Row] = []
        start = last_start = 1
        for row in reader:
            # A field written as '=1+2 so spreadsheets show text comes back as =1+2.
            rows.append([unescape_field(field) for field in row])
            last_start, start = start, reader.line_num + 1
        _check_quotes_closed(text, delimiter, last_start, path.name)
    except csv.Error as err:
        raise BadInput(f"{path.name}: not readable as CSV ({err})") from None
    finally:
        csv.field_size_limit(limit)
    return Sheet(path.name, None, rows, is_csv=True)


def _check_quotes_closed(text: str, delimiter: str, last_start: int, file_name: str) -> None:
    """Refuse a quoted field that is never closed (it swallows the rest of the file).

    The lenient reader takes everything after an unclosed quote as one field, so
    the following rows vanish into a title. Such a field is always the last
    record: the strict reader re-reads just that record to tell.
    """
    # Lines split as the csv reader counts them (\n, \r or \r\n), not str.splitlines.
    tail = "".join(io.StringIO(text, newline="").readlines()[last_start - 1 :])
    try:
        for _row in csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as err:
        if "end of data" not in str(err):
            return  # other strictness the lenient reading tolerates on purpose
        raise BadInput(
            f"{file_name}: line {last_start}: a quoted field starts here and its closing "
            'quote is missing, so it would swallow the rest of the file (add the closing ")'
        ) from None


#: Excel's "Unicode Text" and some "CSV UTF-16" exports start with a UTF-16 byte order mark.
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _decode(data: bytes, file_name: str) -> str:
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise BadInput(f"{file_name}: the text claims to be UTF-16 but is not") from None
    if b"\x00" in data:
        # UTF-16 without a byte order mark has a NUL beside every ASCII letter.
        guess = _utf16_without_bom(data)
        if guess is None:
            raise BadInput(f"{file_name}: this is a binary file, not CSV text")
        return guess
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Windows saves "CSV" in the ANSI code page, which for Western
        # Europe is cp1252; it is the one fallback analysts actually produce.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise BadInput(
            f"{file_name}: the text is neither UTF-8 nor Windows-1252; "
            "save it as 'CSV UTF-8' and import again"
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte order mark, or None for binary data."""
    if len(data) % 2:
        return None
    head = data[:4096]
    for encoding, zeros in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        if zeros.count(0) > len(zeros) * 0.9:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return None if "\x00" in text else text
    return None


def _sniff_delimiter(text: str) -> str:
    """The delimiter under which the header row splits into the most cells.

    ``csv.Sniffer`` guesses wrong on short files and on text full of commas, so
    prefer the delimiter that yields an ``Evidence`` cell, then the widest row.
    """
    head = text.splitlines()[:_SNIFF_LINES]
    best, best_key = ",", (False, 0)
    for delimiter in _DELIMITERS:
        try:
            rows = list(csv.reader(head, delimiter=delimiter))
        except csv.Error:
            continue
        has_header = any(
            any(str(cell).strip().casefold() == "evidence" for cell in row) for row in rows
        )
        width = max((len(row) for row in rows), default=0)
        key = (has_header, width)
        if key > best_key:
            best, best_key = delimiter, key
    return best


def open_sheets(
    path: Path, sheet: str | None = None, *, workbook: Workbook | None = None
) -> Iterator[Sheet]:
    """The sheets of a workbook (or the one named), or the single table of a CSV.

    ``workbook`` is ``path`` already open (and checked): it is read, not opened again.
    """
    suffix = path.suffix.lower()
    if not path.exists():
        raise BadInput(f"{path.name}: no such file")
    if suffix in CSV_SUFFIXES:
        if sheet is not None:
            raise BadInput(f"{path.name}: a CSV file has no sheets (asked for {sheet!r})")
        yield read_csv(path)
        return
    if suffix not in WORKBOOK_SUFFIXES:
        raise BadInput(
            f"{path.name}: cannot import {suffix or 'a file without extension'} files "
            "(use .xlsx, .xlsm, .ods or .csv)"
        )
    if workbook is not None:
        yield from _workbook_sheets(path, workbook, sheet)
        return
    with Workbook(path) as book:
        yield from _workbook_sheets(path, book, sheet)


def _workbook_sheets(path: Path, book: Workbook, sheet: str | None) -> Iterator[Sheet]:
    if sheet is not None:
        yield book.sheet(sheet)
        return
    yield from book.sheets()
    if book.hidden:
        # The caller found nothing in the visible sheets: say what was not read.
        names = ", ".join(repr(name) for name in book.hidden)
        raise BadInput(
            f"{path.name}: no visible sheet has an 'Evidence' header; hidden sheets are "
            f"not read unless named ({names}); unhide the sheet, or import it with --sheet"
        )
