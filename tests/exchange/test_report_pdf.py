"""The PDF report (Qt) and the ``report`` command: text extracted with pdftotext."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from workbench.cli import main
from workbench.core.analysis import CONSENSUS
from workbench.exchange.example import load_example
from workbench.store import ProjectFile

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (apt package poppler-utils) is missing"
)


def pdf_text(path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())


def test_the_pdf_carries_question_hypotheses_linchpins_and_milestones(
    linchpin_case, tmp_path, qapp
):
    from workbench.reports import write_report

    out = tmp_path / "report.pdf"
    write_report(linchpin_case, out, layer=CONSENSUS, app_version="9.9")
    assert out.read_bytes().startswith(b"%PDF")
    text = pdf_text(out)
    for needed in (
        "Who <b>really</b> sent the letter?",
        "The clerk posted it",
        "The manager =SUM(A1) forged it",
        "Nobody sent it",
        "Linchpins",
        "E1",
        "Clerk admits posting it",
        "Ortiz, 2021",
        "ACH Workbench 9.9",
    ):
        assert needed in text, needed


def test_report_command_writes_a_multi_page_pdf_of_the_example(tmp_path, capsys):
    project = tmp_path / "belarus.achwb"
    ProjectFile.create(project, load_example()).close()
    out = tmp_path / "belarus.pdf"
    assert main(["report", str(project), str(out), "--annotate", "2020-08"]) == 0
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    assert pages >= 4
    text = pdf_text(out)
    case = load_example()
    assert " ".join(case.question.split()[:8]) in text
    assert "What the lead rests on" in text and "Observations only" in text
    assert "Subordination short of annexation" in text
    assert "The dashed line marks 2020-08" in text
    assert "What would change my mind" in text


def test_report_command_refuses_bad_input_with_one_line(tmp_path, capsys):
    project = tmp_path / "belarus.achwb"
    ProjectFile.create(project, load_example()).close()
    assert main(["report", str(project), str(tmp_path / "r.docx")]) == 2
    assert main(["report", str(project), str(tmp_path / "r.pdf"), "--annotate", "2020-13"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("error: ") for line in err)
    assert "--annotate" in err[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["belarus.achwb"]
