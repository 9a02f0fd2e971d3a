"""A 5,000 x 40 matrix imports in at most half the time openpyxl takes just to read it."""

from __future__ import annotations

import random
import time
from pathlib import Path

import openpyxl
import pytest

from workbench.core.ratings import Rating
from workbench.exchange.matrix_import import read_matrix

N_EVIDENCE, N_HYPOTHESES = 5_000, 40


@pytest.fixture(scope="module")
def big_matrix(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("speed") / "big.xlsx"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Matrix")
    sheet.append(["Big matrix"])
    sheet.append([])
    sheet.append(
        ["ID", "Evidence", "Credibility", "Relevance"]
        + [f"H{j + 1}: hypothesis {j + 1}" for j in range(N_HYPOTHESES)]
    )
    rng = random.Random(5)
    codes = ["CC", "C", "N", "I", "II", "NA", "", "++", "--", "0"]
    for i in range(N_EVIDENCE):
        sheet.append(
            [
                f"E{i + 1}",
                f"evidence item number {i + 1}",
                rng.choice(["High", "Medium", "Low"]),
                rng.choice(["H", "M", "L"]),
            ]
            + [rng.choice(codes) for _ in range(N_HYPOTHESES)]
        )
    workbook.save(path)
    return path


def _openpyxl_read_only(path: Path) -> int:
    workbook = openpyxl.load_workbook(path, read_only=True)
    cells = sum(len(row) for row in workbook["Matrix"].iter_rows(values_only=True))
    workbook.close()
    return cells


def _best_of(runs: int, action) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


@pytest.mark.slow
def test_import_is_at_least_twice_as_fast_as_openpyxl_reading(big_matrix, capsys):
    project = read_matrix(big_matrix)
    assert len(project.evidence) == N_EVIDENCE
    assert len(project.hypotheses) == N_HYPOTHESES
    assert int((project.layer(project.analysts[0].id) == Rating.BLANK).sum()) > 0

    bare = _best_of(2, lambda: _openpyxl_read_only(big_matrix))
    ours = _best_of(2, lambda: read_matrix(big_matrix))
    with capsys.disabled():
        print(
            f"\n5,000 x 40: openpyxl read_only {bare:.2f} s, read_matrix {ours:.2f} s "
            f"({ours / bare:.0%})"
        )
    assert ours <= 0.5 * bare
