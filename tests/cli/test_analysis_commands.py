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


def test_sensitivity_json_lists_the_flips_that_change_the_leader_unless_asked_for_all(
    linchpin_case, tmp_path, capsys
):
    path = tmp_path / "case.achwb"
    ProjectFile.create(path, linchpin_case).close()
    assert main(["sensitivity", str(path), "--json"]) == 0
    bounded = json.loads(capsys.readouterr().out)
    assert main(["sensitivity", str(path), "--json", "--all-flips"]) == 0
    every = json.loads(capsys.readouterr().out)
    leader = bounded["leader"]
    moves = ("toward_consistent_leader", "toward_inconsistent_leader")
    changing = [f for f in every["flips"] if any(f.get(m, leader) != leader for m in moves)]
    assert every["flips_complete"] and every["flips_total"] == len(every["flips"])
    assert bounded["flips_total"] == len(changing)
    assert sorted(bounded["flips"], key=str) == sorted(changing, key=str)
    assert len(every["flips"]) > len(bounded["flips"])
    assert {k: v for k, v in bounded.items() if not k.startswith("flips")} == {
        k: v for k, v in every.items() if not k.startswith("flips")
    }


def test_score_reads_the_file_without_sqlalchemy(tmp_path):
    """The read path is plain sqlite3: importing SQLAlchemy costs more than the read.

    The exact-schema check compares with precomputed data (store/schema_expected.py),
    so it needs no mapping either.
    """
    import subprocess
    import sys

    path = tmp_path / "example.achwb"
    assert main(["example", str(path)]) == 0
    probe = (
        "import sys; from workbench.cli import main; code = main(['score', sys.argv[1]]);"
        " loaded = sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic')));"
        " assert not loaded, loaded[:5];"
        " sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
