"""Property: whatever bytes arrive, an importer returns a sound Project or raises BadInput.

Any other exception would reach the user as "a bug" (CLI exit 1, the bug
dialog); a Project whose layers do not match its evidence and hypotheses
would corrupt the project file made from it. Inputs: raw random bytes under
each importable extension, random CSV text, random cell values written by
openpyxl, and valid workbooks and PARC files with bytes flipped or cut.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from workbench.core.errors import BadInput
from workbench.core.model import Project
from workbench.core.ratings import Rating
from workbench.exchange.matrix_import import read_matrix
from workbench.exchange.parc import read_parc

#: FUZZ_EXAMPLES=2000 for a long hunt by hand; CI keeps the run to seconds.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

RATING_WORDS = ["CC", "C", "N", "I", "II", "NA", "++", "+", "0", "-", "--", "n/a", "", "maybe"]
LEVEL_WORDS = ["High", "Medium", "Low", "H", "M", "L", "", "very", 3]
HEADER_WORDS = ["Evidence", "ID", "Credibility", "Relevance", "Type", "Date", "Source", "Notes"]


def read_any(path: Path) -> Project:
    return read_parc(path) if path.suffix == ".achz" else read_matrix(path)


def assert_project_or_bad_input(name: str, data: bytes, reader: Callable = read_any) -> None:
    """Write ``data`` as ``name`` in a fresh folder and import it: Project or BadInput only."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            project = reader(path)
        except BadInput as error:
            message = str(error)
            assert message and "\n" not in message, repr(message)
            assert path.name in message, message
            return
        assert_sound(project)
        assert path.read_bytes() == data, "the importer changed its input"


def assert_sound(project: Project) -> None:
    shape = (len(project.evidence), len(project.hypotheses))
    assert project.analysts, "an imported project has someone's ratings"
    for analyst in project.analysts:
        layer = project.layers[analyst.id]
        assert layer.shape == shape and layer.dtype == np.int8
        assert ((layer >= int(Rating.BLANK)) & (layer <= int(Rating.CC))).all()
    codes = [e.code for e in project.evidence] + [h.code for h in project.hypotheses]
    assert len({c.casefold() for c in codes}) == len(codes), f"codes repeat: {codes}"
    ids = [e.id for e in project.evidence] + [h.id for h in project.hypotheses]
    assert len(set(ids)) == len(ids) and max(ids, default=0) < project.next_id


# -- raw bytes ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["m.csv", "m.xlsx", "m.ods", "m.achz"])
@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes_never_escape_as_another_error(name: str, data: bytes) -> None:
    assert_project_or_bad_input(name, data)


@FUZZ
@given(data=st.binary(max_size=4096))
def test_gzipped_random_bytes_as_parc(data: bytes) -> None:
    assert_project_or_bad_input("m.achz", gzip.compress(data, mtime=0))


# -- CSV text ----------------------------------------------------------------------------

_csv_cell = st.one_of(
    st.sampled_from(RATING_WORDS + HEADER_WORDS + [str(w) for w in LEVEL_WORDS]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.text(alphabet=',;\t"\r\n ', max_size=4),
)


@st.composite
def csv_documents(draw: st.DrawFn) -> str:
    """Rows of mostly plausible matrix cells, joined by one delimiter, some rows ragged."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    width = draw(st.integers(1, 8))
    header = draw(st.lists(_csv_cell, min_size=1, max_size=width))
    if draw(st.booleans()):
        header.insert(draw(st.integers(0, len(header))), "Evidence")
    rows = [header] + draw(
        st.lists(st.lists(_csv_cell, min_size=0, max_size=width + 2), max_size=12)
    )
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return newline.join(delimiter.join(row) for row in rows)


@FUZZ
@given(text=csv_documents(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_random_csv_text_gives_a_project_or_bad_input(text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    assert_project_or_bad_input("m.csv", data)


# -- cell values in a real workbook ------------------------------------------------------

_cell_value = st.one_of(
    st.none(),
    st.sampled_from(RATING_WORDS + HEADER_WORDS + LEVEL_WORDS),
    st.text(max_size=20).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
)


@st.composite
def workbook_bytes(draw: st.DrawFn) -> bytes:
    """An openpyxl workbook of random cells, usually with an Evidence header somewhere."""
    width = draw(st.integers(1, 7))
    grid = draw(st.lists(st.lists(_cell_value, max_size=width), min_size=1, max_size=10))
    if draw(st.booleans()):
        r = draw(st.integers(0, len(grid) - 1))
        grid[r] = list(grid[r]) or [None]
        grid[r][draw(st.integers(0, len(grid[r]) - 1))] = "Evidence"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = draw(st.sampled_from(["Matrix", "Sheet1", "ACH matrix"]))
    for row in grid:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@FUZZ
@given(data=workbook_bytes())
def test_random_cells_in_a_workbook_give_a_project_or_bad_input(data: bytes) -> None:
    assert_project_or_bad_input("m.xlsx", data)


# -- valid files, damaged ----------------------------------------------------------------


def _valid_matrix_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Matrix"
    sheet.append(["ID", "Evidence", "Credibility", "Relevance", "H1: Accident", "H2: Sabotage"])
    sheet.append(["E1", "Operator log", "High", "Medium", "C", "I"])
    sheet.append(["E2", "No alerts", "Low", "High", "N", "CC"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_PARC = gzip.compress(
    b'<?xml version="1.0"?><ACH><Hypotheses><Hypothesis id="1">A</Hypothesis></Hypotheses>'
    b'<Evidence><Item id="1">x</Item></Evidence></ACH>',
    mtime=0,
)
_XLSX = _valid_matrix_xlsx()


@st.composite
def damaged(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few bytes overwritten, then perhaps cut short."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    cut = draw(st.integers(0, len(data)))
    return bytes(data[:cut]) if draw(st.booleans()) else bytes(data)


@FUZZ
@given(data=damaged(_XLSX))
def test_a_damaged_workbook_gives_a_project_or_bad_input(data: bytes) -> None:
    assert_project_or_bad_input("m.xlsx", data)


@FUZZ
@given(data=damaged(_PARC))
def test_a_damaged_parc_file_gives_a_project_or_bad_input(data: bytes) -> None:
    assert_project_or_bad_input("m.achz", data)
