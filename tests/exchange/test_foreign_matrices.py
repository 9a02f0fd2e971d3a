"""Matrices made by hand or by other tools (PARC ACH, ArkhamMirror) import; every
file here is built from the issue's description of such files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest

from workbench.cli import main
from workbench.core.model import EvidenceType
from workbench.core.ratings import Level, Rating
from workbench.exchange.matrix_import import import_matrix, read_matrix
from workbench.store import ProjectFile


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _ratings(project) -> list[list[str]]:
    layer = project.layer(project.analysts[0].id)
    return [[Rating(int(x)).code for x in row] for row in layer]


def test_a_blank_top_left_cell_heads_the_evidence_column(tmp_path):
    path = _xlsx(tmp_path / "m.xlsx", [[None, "H1: Insider", "Outsider"], ["Log", "C", "II"]])
    project = read_matrix(path)
    assert [(h.code, h.title) for h in project.hypotheses] == [
        ("H1", "Insider"),
        ("H2", "Outsider"),
    ]
    assert [e.title for e in project.evidence] == ["Log"]
    assert _ratings(project) == [["C", "II"]]


@pytest.mark.parametrize("header", ["Item", "Evidence item", "Description", "EVIDENCE ITEM"])
def test_other_names_of_the_evidence_column(tmp_path, header):
    path = _xlsx(tmp_path / "m.xlsx", [["Our matrix"], [header, "A", "B"], ["Log", "++", "--"]])
    project = read_matrix(path)
    assert [h.title for h in project.hypotheses] == ["A", "B"]
    assert _ratings(project) == [["CC", "II"]]


def test_beside_evidence_a_description_column_is_a_field(tmp_path):
    rows = [["Evidence", "Description", "A"], ["Log", "from the server", "C"]]
    project = read_matrix(_xlsx(tmp_path / "m.xlsx", rows))
    assert [h.title for h in project.hypotheses] == ["A"]
    assert project.evidence[0].description == "from the server"


def test_parc_and_arkham_ratings(tmp_path):
    rows = [["Evidence", "A", "B", "C", "D", "E", "F"], ["x", "++", "+", "N", "-", "--", "N/A"]]
    project = read_matrix(_xlsx(tmp_path / "m.xlsx", rows))
    assert _ratings(project) == [["CC", "C", "N", "I", "II", "NA"]]


def test_weights_as_words_or_numbers_with_a_warning(tmp_path):
    rows = [
        ["Evidence", "Credibility", "Relevance", "A"],
        ["a", "H", 0.9, "C"],
        ["b", "m", "0.50", "C"],
        ["c", "Low", 0.1, "C"],
        ["d", "High", 1, "C"],
    ]
    read = import_matrix(_xlsx(tmp_path / "m.xlsx", rows))
    project = read.project
    assert [(e.credibility, e.relevance) for e in project.evidence] == [
        (Level.HIGH, Level.HIGH),
        (Level.MEDIUM, Level.MEDIUM),
        (Level.LOW, Level.LOW),
        (Level.HIGH, Level.HIGH),
    ]
    (warning,) = read.warnings
    assert "Sheet!C2: 4 weights in column C given as numbers" in warning
    assert "Low below 0.33, Medium below 0.67, High from 0.67" in warning


def test_a_weight_number_outside_0_to_1_is_refused(tmp_path, capsys):
    path = _xlsx(tmp_path / "m.xlsx", [["Evidence", "Credibility", "A"], ["a", 7, "C"]])
    assert main(["import", str(path), str(tmp_path / "m.achwb")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: m.xlsx: Sheet!B2: '7' is not a weight") and err.count("\n") == 1
    assert not (tmp_path / "m.achwb").exists()


def test_a_block_after_the_first_blank_row_is_ignored_with_a_warning(tmp_path):
    rows = [
        ["Evidence", "A", "B"],
        ["x", "C", "I"],
        [],
        ["Scores"],
        ["A", 1.5, None],
    ]
    read = import_matrix(_xlsx(tmp_path / "m.xlsx", rows))
    project = read.project
    assert [e.title for e in project.evidence] == ["x"]
    (warning,) = read.warnings
    assert "2 rows after the blank row 3 ignored (starting 'Scores')" in warning


def test_an_unknown_evidence_type_is_kept_as_a_tag(tmp_path):
    rows = [["Evidence", "Type", "A"], ["x", "document", "C"], ["y", "Statement", "C"]]
    read = import_matrix(_xlsx(tmp_path / "m.xlsx", rows))
    project = read.project
    assert [(e.type, e.tags) for e in project.evidence] == [
        (EvidenceType.EVENT, ["document"]),
        (EvidenceType.STATEMENT, []),
    ]
    (warning,) = read.warnings
    assert "Sheet!B2: evidence type 'document' is not one of" in warning


ARKHAM_CSV = (
    "Evidence,Lukashenko keeps power,Russia annexes Belarus,Status quo,Source,Type,"
    "Credibility,Relevance\r\n"
    "Troops stay after Zapad exercise,--,++,-,Reuters,document,0.90,0.70\r\n"
    '"Minister: ""no bases, ever""",+,-,N,BelTA,testimony,0.50,0.20\r\n'
    "Joint air defence agreement,N/A,+,--,Kremlin.ru,document,0.95,0.85\r\n"
    "\r\n"
    "Scores\r\n"
    "Hypothesis,Score,Rank\r\n"
    "Russia annexes Belarus,0.35,1\r\n"
    "Lukashenko keeps power,-2.10,3\r\n"
)


def test_arkhammirror_csv_imports(tmp_path, capsys):
    source = tmp_path / "arkham_export.csv"
    source.write_text(ARKHAM_CSV, encoding="utf-8")
    out = tmp_path / "arkham.achwb"
    assert main(["import", str(source), str(out)]) == 0
    captured = capsys.readouterr()
    assert "imported 3 evidence x 3 hypotheses" in captured.out
    warnings = captured.err.splitlines()
    assert all(line.startswith("warning: arkham_export.csv: ") for line in warnings)
    assert any("after the blank row 5 ignored (starting 'Scores')" in w for w in warnings)
    assert any("evidence type 'testimony'" in w for w in warnings)
    assert any("given as numbers" in w for w in warnings)
    with ProjectFile.open(out, read_only=True) as pf:
        project = pf.project
    assert [h.title for h in project.hypotheses] == [
        "Lukashenko keeps power",
        "Russia annexes Belarus",
        "Status quo",
    ]
    assert [e.title for e in project.evidence] == [
        "Troops stay after Zapad exercise",
        'Minister: "no bases, ever"',
        "Joint air defence agreement",
    ]
    assert _ratings(project) == [["II", "CC", "I"], ["C", "I", "N"], ["NA", "C", "II"]]
    assert [(e.credibility, e.relevance) for e in project.evidence] == [
        (Level.HIGH, Level.HIGH),
        (Level.MEDIUM, Level.LOW),
        (Level.HIGH, Level.HIGH),
    ]
    assert [e.tags for e in project.evidence] == [["document"], ["testimony"], ["document"]]
    assert [project.source_by_id(e.source_id).cite() for e in project.evidence] == [
        "Reuters",
        "BelTA",
        "Kremlin.ru",
    ]
    assert np.all(project.active_mask())
