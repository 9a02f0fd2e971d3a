"""`workbench sheets`, `collect`, `team` and the layer options of `score`, end to end."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from workbench.cli import main
from workbench.core.model import Analyst, Evidence, Hypothesis, Project
from workbench.core.ratings import Level
from workbench.store import ProjectFile

FILLED = {
    "Ana": [["C", "I", "N"], ["CC", "C", "I"], ["N", "NA", "II"]],
    "Ben": [["I", "I", "C"], ["I", "C", "II"], ["NA", "NA", "I"]],
    "Cy": [["C", "II", "N"], ["C", "NA", "I"], ["NA", "NA", "I"]],
}


def team_case() -> Project:
    project = Project(title="Team case")
    for k in range(3):
        project.insert_hypothesis(k, Hypothesis(project.new_id(), f"H{k + 1}", f"Hyp {k + 1}"))
    levels = [(Level.HIGH, Level.MEDIUM), (Level.MEDIUM, Level.MEDIUM), (Level.LOW, Level.MEDIUM)]
    for r, (cred, rel) in enumerate(levels):
        item = Evidence(project.new_id(), f"E{r + 1}", f"Item {r + 1}")
        item.credibility, item.relevance = cred, rel
        project.insert_evidence(r, item)
    project.add_analyst(Analyst(project.new_id(), "Ana"))
    return project


def fill(path: Path, grid: list[list[str]]) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["Ratings"]
    header = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "ID")
    columns = {
        str(sheet.cell(header, c).value).split(":")[0]: c
        for c in range(1, sheet.max_column + 1)
        if ":" in str(sheet.cell(header, c).value)
    }
    rows = {sheet.cell(r, 1).value: r for r in range(header + 1, sheet.max_row + 1)}
    for r, codes in enumerate(grid):
        for h, code in enumerate(codes):
            sheet.cell(rows[f"E{r + 1}"], columns[f"H{h + 1}"]).value = code
    book.save(path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "team.achwb"
    ProjectFile.create(path, team_case()).close()
    return path


def test_sheets_out_collect_back_and_the_team_report(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sheets"
    code, text, _ = run(
        capsys, "sheets", str(project_path), "--analysts", "Ana, Ben,Cy", "--out", str(out)
    )
    assert code == 0
    paths = sorted(out.glob("*.xlsx"))
    assert [p.name for p in paths] == ["Ana.xlsx", "Ben.xlsx", "Cy.xlsx"]
    for path in paths:
        fill(path, FILLED[path.stem])

    code, text, _ = run(capsys, "collect", str(project_path), *map(str, paths))
    assert code == 0
    assert "Ben.xlsx: Ben (new analyst): 9 ratings, 9 changed, 0 blank" in text

    code, text, _ = run(capsys, "team", str(project_path), "--json")
    assert code == 0
    report = json.loads(text)
    assert report["analysts"] == ["Ana", "Ben", "Cy"]
    assert len(report["cells"]) == 9
    first = report["cells"][0]
    assert {"evidence", "hypothesis", "consensus", "spread", "disputed", "ratings"} <= set(first)
    assert (first["evidence"], first["hypothesis"], first["consensus"]) == ("E1", "H1", "N")
    assert first["ratings"] == {"Ana": "C", "Ben": "I", "Cy": "C"}
    assert first["spread"] == pytest.approx(math.sqrt(8) / 3, abs=1e-12)
    assert first["disputed"] is True
    consensus = [c["consensus"] for c in report["cells"]]
    assert consensus == ["N", "I", "N", "C", "C", "I", "NA", "NA", "I"]

    code, text, _ = run(capsys, "score", str(project_path), "--json", "--consensus")
    hypotheses = json.loads(text)["hypotheses"]
    assert [h["weighted_inconsistency"] for h in hypotheses] == pytest.approx(
        [0.0, math.sqrt(2), 1 + 1 / math.sqrt(2)], abs=1e-9
    )
    code, text, _ = run(capsys, "score", str(project_path), "--json", "--analyst", "ben")
    ben = json.loads(text)["hypotheses"]
    # Ben: E1 -1,-1,+1   E2 -1,+1,-2   E3 -,-,-1  with weights sqrt 2, 1, 1/sqrt 2
    w1, w3 = math.sqrt(2), 1 / math.sqrt(2)
    assert [h["weighted_inconsistency"] for h in ben] == pytest.approx(
        [w1 + 1, w1, 2 + w3], abs=1e-9
    )
    code, text, _ = run(capsys, "team", str(project_path))
    assert code == 0
    assert text.splitlines()[2].split()[:4] == ["E1", "x", "H1", "disputed"]


def test_collecting_a_foreign_sheet_changes_nothing(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.achwb"
    ProjectFile.create(other, team_case()).close()
    run(capsys, "sheets", str(other), "--analysts", "Dee", "--out", str(tmp_path / "o"))
    run(capsys, "sheets", str(project_path), "--analysts", "Ana", "--out", str(tmp_path / "p"))
    fill(tmp_path / "p" / "Ana.xlsx", FILLED["Ana"])
    with ProjectFile.open(project_path, read_only=True) as pf:
        log_before = len(pf.change_log())
        layers_before = {k: v.copy() for k, v in pf.project.layers.items()}

    code, text, err = run(
        capsys,
        "collect",
        str(project_path),
        str(tmp_path / "p" / "Ana.xlsx"),
        str(tmp_path / "o" / "Dee.xlsx"),
    )

    assert code == 2
    assert err.startswith("error: Dee.xlsx: this rating sheet belongs to another project")
    assert err.count("\n") == 1
    with ProjectFile.open(project_path, read_only=True) as pf:
        assert len(pf.change_log()) == log_before
        assert [a.name for a in pf.project.analysts] == ["Ana"]
        for key, layer in layers_before.items():
            assert np.array_equal(pf.project.layers[key], layer)


def test_collect_is_one_change_in_the_log(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "sheets", str(project_path), "--analysts", "Ana,Ben", "--out", str(tmp_path / "s"))
    fill(tmp_path / "s" / "Ana.xlsx", FILLED["Ana"])
    fill(tmp_path / "s" / "Ben.xlsx", FILLED["Ben"])
    with ProjectFile.open(project_path, read_only=True) as pf:
        before = len(pf.change_log())
    code, text, _ = run(
        capsys,
        "collect",
        str(project_path),
        "--dry-run",
        *map(str, (tmp_path / "s").glob("*.xlsx")),
    )
    assert code == 0 and "dry run" in text
    code, _, _ = run(
        capsys, "collect", str(project_path), *map(str, (tmp_path / "s").glob("*.xlsx"))
    )
    with ProjectFile.open(project_path, read_only=True) as pf:
        log = pf.change_log()
        assert len(log) == before + 1
        assert log[0].label.startswith("Collect rating sheets")
        assert [a.name for a in pf.project.analysts] == ["Ana", "Ben"]


def test_an_example_project_has_exactly_one_analyst(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "belarus.achwb"
    assert run(capsys, "example", str(path))[0] == 0
    code, text, _ = run(capsys, "team", str(path), "--json")
    report = json.loads(text)
    assert len(report["analysts"]) == 1
    assert all(not c["disputed"] and c["spread"] == 0 for c in report["cells"])
    consensus = json.loads(run(capsys, "score", str(path), "--json", "--consensus")[1])
    own = json.loads(
        run(capsys, "score", str(path), "--json", "--analyst", report["analysts"][0])[1]
    )
    assert consensus["hypotheses"] == own["hypotheses"]


def test_unknown_analyst_and_bad_names_are_one_line_errors(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "score", str(project_path), "--analyst", "Zed")
    assert code == 2 and err == "error: no analyst named 'Zed' (analysts: Ana)\n"
    code, _, err = run(
        capsys, "sheets", str(project_path), "--analysts", "Ana,,Ben", "--out", str(tmp_path / "s")
    )
    assert code == 2 and err.startswith("error: an analyst name is empty")
    assert not (tmp_path / "s").exists()


def test_an_imported_matrix_has_exactly_one_analyst(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "matrix.csv"
    source.write_text("Evidence,H1: Accident,H2: Sabotage\nA fire,C,I\nNo witness,N,C\n")
    project = tmp_path / "imported.achwb"
    assert run(capsys, "import", str(source), str(project))[0] == 0
    report = json.loads(run(capsys, "team", str(project), "--json")[1])
    assert len(report["analysts"]) == 1
    assert [c["consensus"] for c in report["cells"]] == ["C", "I", "N", "C"]
