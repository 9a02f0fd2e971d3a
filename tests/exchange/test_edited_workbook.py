"""An edited workbook means what the user sees.

After any single edit of a visible value, LibreOffice's forced recalculation
of the workbook's own scores equals the workbench's scores of the imported
project; a sort changes nothing; importing into the open project changes
exactly what the workbook changed, as one undo step.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from export_sample_projects import random_project

from workbench.cli import main
from workbench.core.analysis import layer_codes, score_project
from workbench.core.model import Project
from workbench.core.ratings import Rating
from workbench.exchange import workbook_layout as layout
from workbench.exchange.diff import changes_from_workbook
from workbench.exchange.example import load_example
from workbench.exchange.json_format import to_json
from workbench.exchange.workbook_import import import_workbook, read_workbook
from workbench.exchange.xlsx_export import export_xlsx
from workbench.store import ProjectFile

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SCORE_FIELDS = ("inconsistency", "weighted_inconsistency", "consistency", "normalized")


def _matrix_row(sheet, code: str) -> int:
    for row in range(layout.MATRIX_FIRST_EVIDENCE_ROW, sheet.max_row + 1):
        if sheet.cell(row, layout.ID_COLUMN).value == code:
            return row
    raise KeyError(code)


def _table_row(sheet, code: str) -> int:
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == code:
            return row
    raise KeyError(code)


Edit = Callable[[openpyxl.Workbook, Project], None]


def _rating(book, project):
    sheet = book[layout.MATRIX_SHEET]
    cell = sheet.cell(_matrix_row(sheet, project.evidence[2].code), layout.hypothesis_column(1))
    shown = Rating(int(layer_codes(project)[2, 1])).code
    cell.value = "II" if shown != "II" else "c"


def _blank_rating(book, project):
    sheet = book[layout.MATRIX_SHEET]
    first = layout.MATRIX_FIRST_EVIDENCE_ROW
    cells = (
        sheet.cell(first + r, layout.hypothesis_column(c))
        for r in range(len(project.evidence))
        for c in range(len(project.hypotheses))
    )
    next(cell for cell in cells if cell.value in ("CC", "II")).value = None


def _credibility(book, project):
    sheet = book[layout.MATRIX_SHEET]
    cell = sheet.cell(_matrix_row(sheet, project.evidence[1].code), layout.CREDIBILITY_COLUMN)
    cell.value = "Low" if cell.value != "Low" else "High"


def _relevance(book, project):
    sheet = book[layout.MATRIX_SHEET]
    cell = sheet.cell(_matrix_row(sheet, project.evidence[3].code), layout.RELEVANCE_COLUMN)
    cell.value = None  # blank counts as Medium, in the formulas and on import


def _active(book, project):
    sheet = book[layout.MATRIX_SHEET]
    column = layout.active_column(len(project.hypotheses))
    cell = sheet.cell(_matrix_row(sheet, project.evidence[4].code), column)
    cell.value = 0 if cell.value == 1 else 1


def _prior(book, project):
    sheet = book[layout.HYPOTHESES_SHEET]
    sheet.cell(_table_row(sheet, project.hypotheses[1].code), 4).value = 0.6


def _likelihood(book, project):
    sheet = book[layout.PROJECT_SHEET]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == layout.likelihood_field("C"):
            sheet.cell(row, 2).value = 0.7


def _analyst_rating(book, project):
    """A team: one analyst's rating on the Ratings sheet moves the consensus."""
    sheet = book[layout.RATINGS_SHEET]
    sheet.cell(2, 4).value = "II" if sheet.cell(2, 4).value != "II" else "CC"


EDITS: dict[str, Edit] = {
    "rating": _rating,
    "blank": _blank_rating,
    "credibility": _credibility,
    "relevance": _relevance,
    "active": _active,
    "prior": _prior,
    "likelihood": _likelihood,
}


def _check(recalculated: Path, project: Project) -> None:
    values = openpyxl.load_workbook(recalculated, data_only=True)
    matrix = values[layout.MATRIX_SHEET]
    scores = score_project(project)
    first = layout.first_score_row(len(project.evidence))
    for k, field in enumerate(SCORE_FIELDS):
        got = [
            matrix.cell(first + k, layout.hypothesis_column(c)).value
            for c in range(len(project.hypotheses))
        ]
        assert got == pytest.approx(getattr(scores, field).tolist(), abs=1e-9, rel=0), field
    shown = {
        matrix.cell(r, layout.ID_COLUMN).value: [
            (matrix.cell(r, layout.hypothesis_column(c)).value or "").upper()
            for c in range(len(project.hypotheses))
        ]
        for r in range(layout.MATRIX_FIRST_EVIDENCE_ROW, first - 1)
    }
    codes = layer_codes(project)
    for r, item in enumerate(project.evidence):
        assert shown[item.code] == [Rating(int(x)).code for x in codes[r]], item.code
    rows = list(values[layout.SCORES_SHEET].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == [h.code for h in project.hypotheses]
    assert [row[0] for row in rows] == scores.rank.tolist()
    for k, field in enumerate(SCORE_FIELDS):
        got = [row[3 + k] for row in rows]
        assert got == pytest.approx(getattr(scores, field).tolist(), abs=1e-9, rel=0), field
    posterior = [row[7] for row in rows]
    assert posterior == pytest.approx(scores.posterior.tolist(), abs=1e-9, rel=0)
    evidence = list(values[layout.EVIDENCE_SHEET].iter_rows(min_row=2, values_only=True))
    headers = layout.EVIDENCE_HEADERS
    by_code = {row[0]: row for row in evidence}
    for r, item in enumerate(project.evidence):
        row = by_code[item.code]
        assert row[headers.index("Title")] == (item.title or None)
        assert row[headers.index("Credibility")] == item.credibility.label
        assert row[headers.index("Active")] == int(item.active)
        assert row[headers.index("Weight")] == pytest.approx(item.weight, abs=1e-9)
        diagnosticity = row[headers.index("Diagnosticity")]
        assert diagnosticity == pytest.approx(scores.diagnosticity[r], abs=1e-9)


def _projects() -> list[tuple[str, Project]]:
    single = random_project(21, n_evidence=12, n_hypotheses=4)
    single.hypotheses[0].prior = 0.2
    team = random_project(22, n_evidence=10, n_hypotheses=3, n_analysts=3)
    from workbench.core.model import ConsensusOverride

    team.overrides[(team.evidence[0].id, team.hypotheses[2].id)] = ConsensusOverride(
        Rating.II, "agreed"
    )
    # Four analysts: even counts give halves, which round toward zero.
    four = random_project(26, n_evidence=16, n_hypotheses=4, n_analysts=4)
    return [("single", single), ("team", team), ("four", four)]


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed here")
def test_after_any_single_edit_libreoffice_agrees_with_the_imported_project(tmp_path, libreoffice):
    edited: list[tuple[Path, str]] = []
    originals = dict(_projects())
    for name, project in originals.items():
        edits = dict(EDITS) if name != "four" else {}
        if name != "single":
            edits["analyst rating"] = _analyst_rating
        untouched = tmp_path / f"{name}-untouched.xlsx"
        export_xlsx(project, untouched, app_version="test")
        for label, edit in edits.items():
            path = tmp_path / f"{name}-{label.replace(' ', '-')}.xlsx"
            shutil.copyfile(untouched, path)  # the same export, edited in one place
            book = openpyxl.load_workbook(path)
            edit(book, project)
            book.save(path)
            edited.append((path, f"{name}: {label}"))
        edited.append((untouched, f"{name}: untouched"))
    # One LibreOffice run converts every file, each formula recomputed on load.
    results = libreoffice.all([path for path, _ in edited], "xlsx", recalculate=True)
    for (_, label), recalculated in zip(edited, results, strict=True):
        read = import_workbook(recalculated)
        imported = read.project
        try:
            _check(recalculated, imported)
        except AssertionError as error:
            raise AssertionError(f"{label}: {error}") from None
        if label.endswith("untouched"):
            assert to_json(imported) == to_json(originals[label.split(":")[0]]), label
        else:
            assert to_json(imported) != to_json(originals[label.split(":")[0]]), label
        # A team's edited consensus cell is kept as a consensus set by hand; an
        # analyst's changed rating moves the consensus and sets nothing by hand.
        by_hand = any("consensus was changed" in w for w in read.warnings)
        if label in ("team: rating", "team: analyst rating"):
            assert by_hand == (label == "team: rating"), label


def test_a_sorted_or_filtered_matrix_imports_as_the_same_project(tmp_path):
    project = random_project(23, n_evidence=9, n_hypotheses=3, n_analysts=2)
    path = tmp_path / "sorted.xlsx"
    export_xlsx(project, path, app_version="test")
    book = openpyxl.load_workbook(path)
    sheet = book[layout.MATRIX_SHEET]
    first, n = layout.MATRIX_FIRST_EVIDENCE_ROW, len(project.evidence)
    width = layout.active_column(len(project.hypotheses))
    rows = [[sheet.cell(r, c).value for c in range(1, width + 1)] for r in range(first, first + n)]
    rows.sort(key=lambda values: str(values[1]))  # sort by title, every column moving
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, 1):
            sheet.cell(first + offset, column).value = value
    for r in range(first, first + n, 2):
        sheet.row_dimensions[r].hidden = True  # a filter hides rows
    book.save(path)
    assert to_json(read_workbook(path)) == to_json(project)


def test_a_non_canonical_rating_is_imported_with_a_warning_naming_the_cell(tmp_path, capsys):
    project = random_project(24, n_evidence=4, n_hypotheses=2)
    source = tmp_path / "p.achwb"
    ProjectFile.create(source, project).close()
    path = tmp_path / "p.xlsx"
    assert main(["export", str(source), str(path)]) == 0
    book = openpyxl.load_workbook(path)
    sheet = book[layout.MATRIX_SHEET]
    row = _matrix_row(sheet, project.evidence[1].code)
    sheet.cell(row, layout.hypothesis_column(1)).value = "++"
    sheet.cell(row, layout.hypothesis_column(0)).value = "C "
    book.save(path)
    capsys.readouterr()
    assert main(["import", str(path), str(tmp_path / "q.achwb")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith(f"warning: p.xlsx: Matrix!F{row}: '++' read as CC") for line in err)
    assert any(line.startswith(f"warning: p.xlsx: Matrix!E{row}: 'C ' read as C") for line in err)
    with ProjectFile.open(tmp_path / "q.achwb", read_only=True) as pf:
        layer = pf.project.layer(pf.project.analysts[0].id)
        assert Rating(int(layer[1, 1])) is Rating.CC and Rating(int(layer[1, 0])) is Rating.C


def test_import_into_the_project_changes_exactly_what_the_workbook_changed(tmp_path):
    """The reported bug: editing one cell must not blank the rationales around it."""
    project = load_example()
    analyst = project.analysts[0]
    path = tmp_path / "ex.xlsx"
    export_xlsx(project, path, app_version="test")
    (aid, eid, hid), note = next(iter(project.rationales.items()))
    r, c = project.evidence_index(eid), project.hypothesis_index(hid)
    book = openpyxl.load_workbook(path)
    sheet = book[layout.MATRIX_SHEET]
    cell = sheet.cell(_matrix_row(sheet, project.evidence[r].code), layout.hypothesis_column(c))
    cell.value = "II" if cell.value != "II" else "CC"
    book.save(path)
    before = copy.deepcopy(project)
    plan = changes_from_workbook(project, read_workbook(path), analyst.id)
    assert plan.summary() == ["1 rating changed"]
    assert len(plan.edits) == 1
    undo = plan.as_edit().apply(project)
    assert project.rationales == before.rationales and project.rationale(aid, eid, hid) == note
    assert project.rating(aid, eid, hid) == Rating.from_code(cell.value)
    undo.apply(project)
    assert np.array_equal(project.layer(aid), before.layer(aid))


def test_a_team_workbook_into_the_open_project_keeps_every_analyst(full_project, tmp_path):
    project = full_project()
    path = tmp_path / "team.xlsx"
    second = project.analysts[1]
    export_xlsx(project, path, layer=second.id, app_version="test")
    book = openpyxl.load_workbook(path)
    sheet = book[layout.MATRIX_SHEET]
    cell = sheet.cell(layout.MATRIX_FIRST_EVIDENCE_ROW + 2, layout.hypothesis_column(0))
    cell.value = "II" if cell.value != "II" else "N"
    book.save(path)
    plan = changes_from_workbook(project, read_workbook(path), project.analysts[0].id)
    assert plan.summary() == ["1 rating changed"]
    plan.as_edit().apply(project)
    assert [a.name for a in project.analysts] == ["Analyst 1", "Analyst 2", "Analyst 3"]
    assert project.rating(second.id, project.evidence[2].id, project.hypotheses[0].id) == (
        Rating.from_code(cell.value)
    )


def test_a_value_typed_over_a_formula_is_reported_not_silently_dropped(tmp_path):
    project = random_project(25, n_evidence=4, n_hypotheses=2)
    path = tmp_path / "p.xlsx"
    export_xlsx(project, path, app_version="test")
    book = openpyxl.load_workbook(path)
    sheet = book[layout.EVIDENCE_SHEET]
    column = layout.EVIDENCE_HEADERS.index("Credibility") + 1
    typed = "Low" if project.evidence[0].credibility.label != "Low" else "High"
    sheet.cell(2, column).value = typed
    book.save(path)
    read = import_workbook(path)
    imported = read.project
    assert imported.evidence[0].credibility == project.evidence[0].credibility
    (warning,) = read.warnings
    assert f"Evidence!I2: '{typed}' is not used" in warning and "change it there" in warning
