"""Property: whatever bytes arrive, an importer returns a sound Project or raises BadInput.

Any other exception would reach the user as "a bug" (CLI exit 1, the bug
dialog); a Project whose layers do not match its evidence and hypotheses
would corrupt the project file made from it. This complements the import
engineer's test_import_properties.py (random CSV rows, cells and PARC trees)
with what a damaged transfer produces: random bytes under every importable
extension, gzip of garbage, and valid workbooks and PARC files with bytes
overwritten or cut short.
"""

from __future__ import annotations

import gzip
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize("name", ["m.csv", "m.xlsx", "m.xlsm", "m.ods", "m.achz"])
@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes_never_escape_as_another_error(name: str, data: bytes) -> None:
    assert_project_or_bad_input(name, data)


@FUZZ
@given(data=st.binary(max_size=4096))
def test_gzipped_random_bytes_as_parc(data: bytes) -> None:
    assert_project_or_bad_input("m.achz", gzip.compress(data, mtime=0))


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
