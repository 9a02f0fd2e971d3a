"""The foundation's command-line contract (issue 2): the forms, the JSON keys, exit codes.

Scores here are worked by hand from the scoring spec, not read back from the core,
so a plumbing slip (a column swapped, an excluded item counted) cannot hide.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.exchange.example import load_example

HYPOTHESIS_KEYS = [
    "code",
    "title",
    "inconsistency",
    "weighted_inconsistency",
    "consistency",
    "normalized",
    "posterior",
    "rank",
]
EVIDENCE_KEYS = ["code", "title", "diagnosticity", "weighted_diagnosticity", "active"]

# E1 High x High (w = 2), E2 Low x Medium (w = 1/sqrt 2), E3 blank weights (w = 1),
# E4 scored against H2 but excluded by its Active column.
MATRIX_CSV = (
    "Evidence,Credibility,Relevance,H1: Accident,H2: Sabotage,Active\n"
    "Fire started in the kitchen,High,High,C,II,1\n"
    "No witness saw anyone,Low,Medium,-,+,1\n"
    "Insurance raised last year,,,N/A,0,1\n"
    "Door found forced,High,High,N,very inconsistent,0\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(result: tuple[int, str, str], *words: str) -> None:
    """Exit 2, nothing on stdout, exactly one ``error:`` line naming ``words``."""
    code, out, err = result
    assert code == 2, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for word in words:
        assert word in lines[0]


def test_score_json_of_a_hand_worked_plain_matrix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "matrix.csv"
    source.write_text(MATRIX_CSV, encoding="utf-8")
    project = tmp_path / "fire.achwb"
    assert run(capsys, "import", str(source), str(project))[0] == 0
    code, text, err = run(capsys, "score", str(project), "--json")
    assert code == 0, err
    report = json.loads(text)
    assert list(report) == ["project", "hypotheses", "evidence", "classification"]
    h1, h2 = report["hypotheses"]
    assert [list(h) for h in (h1, h2)] == [HYPOTHESIS_KEYS, HYPOTHESIS_KEYS]
    assert [list(e) for e in report["evidence"]] == [EVIDENCE_KEYS] * 4
    assert (h1["code"], h1["title"], h2["code"], h2["title"]) == (
        "H1",
        "Accident",
        "H2",
        "Sabotage",
    )
    low = 1 / math.sqrt(2)
    # H1: C (w 2), I (w .707), NA (not scored); H2: II (w 2), C (w .707), N (w 1).
    expected = {
        "H1": (1, low, 2.0, low / (2 + low), 1),
        "H2": (2, 4.0, low, 4.0 / (2 + low + 1), 2),
    }
    for h in (h1, h2):
        inc, wi, con, norm, rank = expected[h["code"]]
        assert h["inconsistency"] == pytest.approx(inc, abs=1e-9)
        assert h["weighted_inconsistency"] == pytest.approx(wi, abs=1e-9)
        assert h["consistency"] == pytest.approx(con, abs=1e-9)
        assert h["normalized"] == pytest.approx(norm, abs=1e-9)
        assert h["rank"] == rank
    # Posterior: the NA cell counts as Neutral (0.5); the excluded E4 not at all.
    log_h1 = 2 * math.log(0.80) + low * math.log(0.20) + math.log(0.50)
    log_h2 = 2 * math.log(0.05) + low * math.log(0.80) + math.log(0.50)
    p1 = 1 / (1 + math.exp(log_h2 - log_h1))
    assert h1["posterior"] == pytest.approx(p1, abs=1e-9)
    assert h2["posterior"] == pytest.approx(1 - p1, abs=1e-9)
    e1, e2, e3, e4 = report["evidence"]
    assert [e["code"] for e in report["evidence"]] == ["E1", "E2", "E3", "E4"]
    # E1: +1, -2 -> std 1.5; E2: -1, +1 -> 1; E3: one scored value -> 0; E4: 0, -2 -> 1.
    assert (e1["diagnosticity"], e1["weighted_diagnosticity"]) == pytest.approx((1.5, 3.0))
    assert (e2["diagnosticity"], e2["weighted_diagnosticity"]) == pytest.approx((1.0, low))
    assert (e3["diagnosticity"], e3["weighted_diagnosticity"]) == (0.0, 0.0)
    assert (e4["diagnosticity"], e4["weighted_diagnosticity"]) == pytest.approx((1.0, 2.0))
    assert [e["active"] for e in report["evidence"]] == [True, True, True, False]


def test_example_then_score_gives_the_case_in_matrix_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "belarus.achwb"
    assert run(capsys, "example", str(project))[0] == 0
    report = json.loads(run(capsys, "score", str(project), "--json")[1])
    case = load_example()
    assert [h["code"] for h in report["hypotheses"]] == [f"H{i + 1}" for i in range(4)]
    # Matrix order is the case's order (its codes are stable, not renumbered).
    assert [e["code"] for e in report["evidence"]] == [e.code for e in case.evidence]
    assert [e["active"] for e in report["evidence"]] == [e.active for e in case.evidence]
    # Weighted inconsistency summed here cell by cell from the case's own ratings.
    (layer,) = case.layers.values()
    for column, h in enumerate(report["hypotheses"]):
        total = sum(
            item.weight * max(0, -(int(layer[row, column]) - 4))
            for row, item in enumerate(case.evidence)
            if item.active and int(layer[row, column]) >= 2
        )
        assert h["weighted_inconsistency"] == pytest.approx(total, abs=1e-9)
    assert sorted(h["rank"] for h in report["hypotheses"]) == [1, 2, 3, 4]
    assert sum(h["posterior"] for h in report["hypotheses"]) == pytest.approx(1.0, abs=1e-9)


def test_export_then_import_keeps_the_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "belarus.achwb"
    run(capsys, "example", str(project))
    before = json.loads(run(capsys, "score", str(project), "--json")[1])
    for name in ("matrix.xlsx", "matrix.csv"):
        exported, back = tmp_path / name, tmp_path / f"back-{name}.achwb"
        assert run(capsys, "export", str(project), str(exported))[0] == 0
        assert run(capsys, "import", str(exported), str(back))[0] == 0
        after = json.loads(run(capsys, "score", str(back), "--json")[1])
        for old, new in zip(before["hypotheses"], after["hypotheses"], strict=True):
            for key in HYPOTHESIS_KEYS[2:]:
                assert new[key] == pytest.approx(old[key], abs=1e-9), (name, key)


def test_force_replaces_an_existing_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "belarus.achwb"
    out.write_bytes(b"old")
    assert_refused(run(capsys, "example", str(out)), "already exists", "--force")
    assert out.read_bytes() == b"old"
    assert run(capsys, "example", str(out), "--force")[0] == 0
    assert json.loads(run(capsys, "score", str(out), "--json")[1])["hypotheses"]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["score", "{tmp}/missing.achwb"], ["missing.achwb", "no such file"]),
        (["score", "{tmp}"], ["folder"]),
        (["score", "{tmp}/corrupt.achwb"], ["corrupt.achwb", "not an ACH Workbench project"]),
        (["example", "{tmp}/case.xlsx"], ["case.xlsx", ".achwb"]),
        (["import", "{tmp}/matrix.csv", "{tmp}/out.csv"], ["out.csv", ".achwb"]),
        (["import", "{tmp}/bad.csv", "{tmp}/out.achwb"], ["bad.csv", "C2", "'maybe'"]),
        (["import", "{tmp}/corrupt.achwb", "{tmp}/out.achwb"], ["corrupt.achwb", ".achwb"]),
        (["export", "{tmp}/project.achwb", "{tmp}/out.pdf"], ["out.pdf", ".xlsx"]),
        (["export", "{tmp}/project.achwb", "{tmp}/none/out.xlsx"], ["does not exist"]),
        (["export", "{tmp}/corrupt.achwb", "{tmp}/out.xlsx"], ["corrupt.achwb"]),
        (["score", "{tmp}/project.achwb", "--analyst", "Zed"], ["'Zed'"]),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], words: list[str]
) -> None:
    (tmp_path / "matrix.csv").write_text(MATRIX_CSV, encoding="utf-8")
    (tmp_path / "bad.csv").write_text("Evidence,H1,H2\nA fire,C,maybe\n", encoding="utf-8")
    (tmp_path / "corrupt.achwb").write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    assert run(capsys, "example", str(tmp_path / "project.achwb"))[0] == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    args = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert_refused(run(capsys, *args), *words)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_bad_usage_is_one_error_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["score"])
    assert stopped.value.code == 2
    out, err = capsys.readouterr()
    assert_refused((2, out, err), "PROJECT")


def test_sheets_into_a_folder_that_cannot_be_made_is_refused_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "belarus.achwb"
    run(capsys, "example", str(project))

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    out = tmp_path / "sheets"
    result = run(capsys, "sheets", str(project), "--analysts", "Ana,Ben", "--out", str(out))
    assert_refused(result, "sheets", "Permission denied")
    assert not out.exists()


def test_sheets_failing_part_way_remove_the_folder_they_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.exchange import rating_sheets
    from workbench.exchange.output_file import ExportError

    project = tmp_path / "belarus.achwb"
    run(capsys, "example", str(project))
    real = rating_sheets.replacing
    calls = []

    def second_fails(path: Path):  # noqa: ANN202 - stands in for a context manager
        calls.append(path)
        if len(calls) == 2:
            raise ExportError(f"{path}: disk full")
        return real(path)

    monkeypatch.setattr(rating_sheets, "replacing", second_fails)
    out = tmp_path / "sheets"
    result = run(capsys, "sheets", str(project), "--analysts", "Ana,Ben", "--out", str(out))
    assert_refused(result, "disk full")
    assert not out.exists()


def test_force_never_replaces_a_folder_or_a_project_open_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from workbench.store import ProjectFile

    folder = tmp_path / "folder.achwb"
    folder.mkdir()
    assert_refused(run(capsys, "example", str(folder), "--force"), "folder")
    assert folder.is_dir() and not any(folder.iterdir())
    project = tmp_path / "open.achwb"
    run(capsys, "example", str(project))
    with ProjectFile.open(project) as editing:
        before = project.read_bytes()
        assert_refused(run(capsys, "example", str(project), "--force"), "open.achwb")
        assert project.read_bytes() == before
        assert editing.project.hypotheses
