"""The exported score formulas, recalculated by LibreOffice, equal the workbench's scores.

LibreOffice normally trusts the cached results of an .xlsx ("never recalculate"),
which would make this test compare our cached numbers with themselves. The
conversion runs with a throwaway profile whose settings force recalculation on
load, and one test plants wrong cached results to prove they are replaced.

Every workbook the module checks is written first and recalculated in one
LibreOffice run (``recalculated``): each run costs a second or more of start-up.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from export_sample_projects import FORMULA_LIKE, formula_like_project, random_project

from workbench.core.analysis import score_project
from workbench.core.model import Project
from workbench.exchange import workbook_layout as layout
from workbench.exchange.example import load_example
from workbench.exchange.xlsx_cached import sheet_member
from workbench.exchange.xlsx_export import export_xlsx

pytestmark = [
    pytest.mark.slow,
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        shutil.which("soffice") is None,
        reason="LibreOffice (soffice) is not installed here; .ci/run installs it",
    ),
]

FIELDS = ("inconsistency", "weighted_inconsistency", "consistency", "normalized")


#: The projects whose recalculated scores are compared with the workbench's.
SCORED = {
    "belarus": load_example(),
    "random": random_project(42, n_evidence=60, n_hypotheses=7),
    "team": random_project(43, n_evidence=40, n_hypotheses=5, n_analysts=3),
}
FORCING = random_project(8, n_evidence=12, n_hypotheses=3)


@dataclasses.dataclass
class Workbook:
    source: Path  # as exported (and planted), before LibreOffice
    recalculated: Path  # through LibreOffice, every formula recomputed on load
    planted: int = 0  # cached results replaced by a wrong value in the source


@pytest.fixture(scope="module")
def recalculated(libreoffice, tmp_path_factory) -> dict[str, Workbook]:
    """Every workbook of this module, exported, then recalculated by one LibreOffice run."""
    folder = tmp_path_factory.mktemp("recalc")
    sources: dict[str, Path] = {}
    planted: dict[str, int] = {}
    for name, project in SCORED.items():
        sources[name] = folder / f"scores-{name}.xlsx"
        export_xlsx(project, sources[name], app_version="test")
        planted[name] = _plant_wrong_results(sources[name], 12345.0)
    sources["forcing"] = folder / "forcing.xlsx"
    export_xlsx(FORCING, sources["forcing"], app_version="test")
    planted["forcing"] = _plant_wrong_results(sources["forcing"], -777.0)
    sources["formula-like"] = folder / "formula-like.xlsx"
    export_xlsx(formula_like_project(), sources["formula-like"], app_version="test")
    results = libreoffice.all(list(sources.values()), "xlsx", recalculate=True)
    return {
        name: Workbook(source, result, planted.get(name, 0))
        for (name, source), result in zip(sources.items(), results, strict=True)
    }


def _recalculated_scores(path: Path, project: Project) -> dict[str, list[float]]:
    sheet = openpyxl.load_workbook(path, data_only=True)[layout.MATRIX_SHEET]
    first = layout.first_score_row(len(project.evidence))
    got = {}
    for k, (label, field) in enumerate(zip(layout.SCORE_ROW_LABELS, FIELDS, strict=True)):
        assert sheet.cell(first + k, 1).value == label
        got[field] = [
            sheet.cell(first + k, layout.hypothesis_column(c)).value
            for c in range(len(project.hypotheses))
        ]
    return got


def _assert_equal_scores(path: Path, project: Project) -> None:
    scores = score_project(project)
    got = _recalculated_scores(path, project)
    for field in FIELDS:
        want = getattr(scores, field).tolist()
        assert got[field] == pytest.approx(want, abs=1e-9, rel=0), field


def _plant_wrong_results(path: Path, wrong: float) -> int:
    """Replace every cached formula result in the Matrix sheet by ``wrong``."""
    with zipfile.ZipFile(path) as archive:
        member = sheet_member(archive, layout.MATRIX_SHEET)
        contents = {info: archive.read(info.filename) for info in archive.infolist()}
    count = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in contents.items():
            if info.filename == member:
                data, count = re.subn(rb"(</f>)<v>[^<]*</v>", rb"\g<1><v>%r</v>" % wrong, data)
            archive.writestr(info, data)
    return count


@pytest.mark.parametrize("name", list(SCORED))
def test_recalculated_formulas_equal_the_workbench_scores(name, recalculated):
    project, workbook = SCORED[name], recalculated[name]
    # The score cells, and a team's consensus cells (formulas of the Ratings sheet).
    assert workbook.planted >= 4 * len(project.hypotheses)
    _assert_equal_scores(workbook.recalculated, project)


def test_forcing_works_a_wrong_cached_value_is_replaced(recalculated):
    project, workbook = FORCING, recalculated["forcing"]
    planted = _recalculated_scores(workbook.source, project)
    assert all(v == -777.0 for values in planted.values() for v in values)
    recalculated_scores = _recalculated_scores(workbook.recalculated, project)
    assert all(v != -777.0 for values in recalculated_scores.values() for v in values)


def test_formula_like_text_is_still_text_after_libreoffice(recalculated):
    book = openpyxl.load_workbook(recalculated["formula-like"].recalculated)
    matrix, evidence = book[layout.MATRIX_SHEET], book[layout.EVIDENCE_SHEET]
    assert matrix.cell(layout.MATRIX_TITLE_ROW, 1).value == FORMULA_LIKE[0]
    for i, text in enumerate(FORMULA_LIKE):
        title = matrix.cell(layout.evidence_row(i), layout.EVIDENCE_COLUMN)
        notes = evidence.cell(
            layout.TABLE_FIRST_ROW + i, layout.EVIDENCE_HEADERS.index("Notes") + 1
        )
        header = matrix.cell(layout.MATRIX_HEADER_ROW, layout.hypothesis_column(i))
        for cell, want in ((title, text), (notes, text), (header, f"H{i + 1}: {text}")):
            assert (cell.value, cell.data_type) == (want, "s"), cell.coordinate
