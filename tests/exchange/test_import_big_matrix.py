"""A 5,000 x 40 matrix imports whole: every row, column and rating cell as written.

How fast it imports is a benchmark figure (``tests/benchmarks/run.py``, against
bare python-calamine), not a timed test: wall-clock ratios flap on a shared
machine.
"""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest

from workbench.core.ratings import Rating
from workbench.exchange.matrix_import import read_matrix

N_EVIDENCE, N_HYPOTHESES = 5_000, 40
#: Cell text -> the rating it imports as (aliases included, blank stays blank).
CODES = {
    "CC": Rating.CC,
    "++": Rating.CC,
    "C": Rating.C,
    "N": Rating.N,
    "0": Rating.N,
    "I": Rating.I,
    "II": Rating.II,
    "--": Rating.II,
    "NA": Rating.NA,
    "": Rating.BLANK,
}


@pytest.fixture(scope="module")
def big_matrix(tmp_path_factory) -> tuple[Path, list[list[str]]]:
    path = tmp_path_factory.mktemp("big") / "big.xlsx"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Matrix")
    sheet.append(["Big matrix"])
    sheet.append([])
    sheet.append(
        ["ID", "Evidence", "Credibility", "Relevance"]
        + [f"H{j + 1}: hypothesis {j + 1}" for j in range(N_HYPOTHESES)]
    )
    rng = random.Random(5)
    written = []
    for i in range(N_EVIDENCE):
        cells = [rng.choice(list(CODES)) for _ in range(N_HYPOTHESES)]
        written.append(cells)
        sheet.append(
            [
                f"E{i + 1}",
                f"evidence item number {i + 1}",
                rng.choice(["High", "Medium", "Low"]),
                rng.choice(["H", "M", "L"]),
                *cells,
            ]
        )
    workbook.save(path)
    return path, written


@pytest.mark.slow
def test_a_big_matrix_imports_every_cell(big_matrix):
    path, written = big_matrix
    project = read_matrix(path)
    assert len(project.evidence) == N_EVIDENCE
    assert len(project.hypotheses) == N_HYPOTHESES
    layer = project.layer(project.analysts[0].id)
    for i, cells in enumerate(written):
        assert layer[i].tolist() == [int(CODES[text]) for text in cells], f"row {i + 1}"
