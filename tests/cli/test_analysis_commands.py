"""`workbench sensitivity`: the JSON contract and the readable summary."""

from __future__ import annotations

import json

from workbench.cli import main
from workbench.store import ProjectFile


def test_sensitivity_json_contract(linchpin_case, tmp_path, capsys):
    path = tmp_path / "case.achwb"
    ProjectFile.create(path, linchpin_case).close()
    assert main(["sensitivity", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report)[:5] == ["leader", "runner_up", "margin", "leave_one_out", "linchpins"]
    assert (report["leader"], report["runner_up"], report["margin"]) == ("H1", "H2", 1.0)
    assert report["leave_one_out"] == [
        {"evidence": "E1", "leader": "H2", "margin": 1.0},
        {"evidence": "E2", "leader": "H1", "margin": 2.0},
        {"evidence": "E3", "leader": "H1", "margin": 0.0},
    ]
    assert report["linchpins"] == ["E1"]
    assert report["change_my_mind"] == [
        {"evidence": "E1", "hypothesis": "H2", "from": "II", "to": "I"},
        {"evidence": "E2", "hypothesis": "H1", "from": "I", "to": "II"},
    ]


def test_sensitivity_of_one_analyst_and_the_summary(linchpin_case, tmp_path, capsys):
    path = tmp_path / "case.achwb"
    ProjectFile.create(path, linchpin_case).close()
    assert main(["sensitivity", str(path), "--analyst", "ana"]) == 0
    text = capsys.readouterr().out
    assert "Linchpins (the leader rests on them): E1." in text
    assert "What would change my mind:" in text
    assert main(["sensitivity", str(path), "--analyst", "Zed"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "Zed" in err and "\n" not in err
