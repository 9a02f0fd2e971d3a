"""Synthetic ACH projects and workbooks of a chosen size, for the benchmarks.

Ratings are drawn with a fixed seed from a mix like real matrices: mostly
Consistent/Neutral/Inconsistent, some Very, a few N/A and about one blank in
ten. Evidence weights vary, so scoring does the same work as on real data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from workbench.core.model import Analyst, Evidence, Hypothesis, Project
from workbench.core.ratings import Level, Rating

#: Rating -> share of cells, roughly as analysts fill a matrix.
RATING_MIX = {
    Rating.BLANK: 0.10,
    Rating.NA: 0.03,
    Rating.II: 0.07,
    Rating.I: 0.20,
    Rating.N: 0.25,
    Rating.C: 0.25,
    Rating.CC: 0.10,
}

MATRIX_HEADER = ("ID", "Evidence", "Credibility", "Relevance")


def random_layer(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    codes = np.array([int(r) for r in RATING_MIX], dtype=np.int8)
    shares = np.array(list(RATING_MIX.values()))
    return rng.choice(codes, size=shape, p=shares / shares.sum()).astype(np.int8)


def make_project(n_evidence: int, n_hypotheses: int, n_analysts: int, seed: int = 7) -> Project:
    """A project of the given size with every analyst's layer filled."""
    rng = np.random.default_rng(seed)
    project = Project(title=f"Synthetic {n_evidence} x {n_hypotheses} x {n_analysts}")
    project.question = "Which explanation do the synthetic data favour?"
    project.hypotheses = [
        Hypothesis(project.new_id(), f"H{j}", f"Hypothesis number {j}")
        for j in range(1, n_hypotheses + 1)
    ]
    levels = list(Level)
    credibility = rng.integers(0, len(levels), n_evidence)
    relevance = rng.integers(0, len(levels), n_evidence)
    project.evidence = [
        Evidence(
            project.new_id(),
            f"E{i + 1}",
            f"Report {i + 1} from the field, as summarised by the desk",
            credibility=levels[credibility[i]],
            relevance=levels[relevance[i]],
        )
        for i in range(n_evidence)
    ]
    for k in range(n_analysts):
        analyst = Analyst(project.new_id(), f"Analyst {k + 1}")
        project.add_analyst(analyst, random_layer(rng, (n_evidence, n_hypotheses)))
    return project


def matrix_rows(project: Project) -> list[list[object]]:
    """The plain-matrix sheet of the first analyst: header then one row per evidence."""
    layer = project.layer(project.analysts[0].id)
    header = [*MATRIX_HEADER, *(f"{h.code}: {h.title}" for h in project.hypotheses)]
    codes = [Rating(value).code for value in range(len(Rating))]
    rows: list[list[object]] = [header]
    for i, evidence in enumerate(project.evidence):
        rows.append(
            [
                evidence.code,
                evidence.title,
                evidence.credibility.label,
                evidence.relevance.label,
                *(codes[value] for value in layer[i]),
            ]
        )
    return rows


def write_rows_xlsx(rows: list[list[object]], path: Path) -> None:
    """The bare-openpyxl baseline writer: write-only mode, one sheet, plain values."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Matrix")
    for row in rows:
        sheet.append(row)
    book.save(path)


def read_cells_openpyxl(path: Path) -> int:
    """The bare-openpyxl baseline reader: read-only mode, every value; returns the count."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = 0
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                count += len(row)
    finally:
        book.close()
    return count


def read_cells_calamine(path: Path) -> int:
    """The bare python-calamine baseline reader (the library the importer uses): every value."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    count = 0
    try:
        for name in book.sheet_names:
            for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False):
                count += len(row)
    finally:
        book.close()
    return count


def workbook_cells(path: Path) -> list[tuple[str, list[list[object]]]]:
    """Every sheet of a workbook as (name, rows of values), formulas kept as their text."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    try:
        return [
            (sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)])
            for sheet in book.worksheets
        ]
    finally:
        book.close()


def write_sheets_xlsx(sheets: list[tuple[str, list[list[object]]]], path: Path) -> None:
    """The bare-openpyxl baseline writer for many sheets: write-only mode, plain values."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
