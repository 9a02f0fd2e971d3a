"""Round two of hostile input through the real command line (issue 17).

What needs more than one file from the corpus: a full disk (a real tmpfs),
an output that is the input, locks that are not what they seem, text meant
for the terminal, a read-only share. Same contract as the corpus: exit 2,
one ``error:`` line, no traceback, nothing the user had lost or changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from test_hostile_input import run_workbench


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(result, *expected: str) -> str:  # noqa: ANN001
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 2, f"exit {result.returncode}: {result.stderr}"
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.achwb"
    assert run_workbench("example", str(path), cwd=tmp_path).returncode == 0
    return path


# -- a full disk ---------------------------------------------------------------------


def test_pdf_report_on_a_full_disk_keeps_the_old_report(project: Path, small_disk) -> None:
    disk = small_disk(720)
    source = shutil.copy(project, disk / "p.achwb")
    assert run_workbench("report", str(source), str(disk / "out.pdf"), cwd=disk).returncode == 0
    good = _digest(disk / "out.pdf")
    # The old report and the project fill the disk: the new PDF cannot be whole.
    result = run_workbench("report", str(source), str(disk / "out.pdf"), "--force", cwd=disk)
    _refused(result, "out.pdf")
    assert _digest(disk / "out.pdf") == good
    assert sorted(p.name for p in disk.iterdir()) == ["out.pdf", "p.achwb"]


@pytest.mark.parametrize("room_kb", [8, 20, 30])
@pytest.mark.parametrize("kind", ["export", "sheets"])
def test_workbooks_on_a_full_disk_say_so_once(
    project: Path, small_disk, kind: str, room_kb: int
) -> None:
    disk = small_disk(300)
    source = shutil.copy(project, disk / "p.achwb")
    # Leave a little room, so the workbook fails part way through its zip archive.
    (disk / "filler").write_bytes(b"\0" * (disk_free(disk) - room_kb * 1024))
    if kind == "export":
        args = ["export", str(source), str(disk / "out.xlsx")]
    else:
        args = ["sheets", str(source), "--analysts", "Ana,Ben", "--out", str(disk / "sheets")]
    result = run_workbench(*args, cwd=disk)
    _refused(result)
    assert "ZipFile" not in result.stderr
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "p.achwb"]


def disk_free(folder: Path) -> int:
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize


# -- the output is the input ---------------------------------------------------------


@pytest.mark.parametrize("how", ["same name", "copy named .xlsx", "hard link", "symlink"])
def test_an_output_that_is_the_input_is_refused(project: Path, tmp_path: Path, how: str) -> None:
    if how == "same name":
        case = tmp_path / "case.xlsx"
        shutil.copy(project, case)
        source, out = case, case
    elif how == "copy named .xlsx":
        source = tmp_path / "case.xlsx"
        shutil.copy(project, source)
        out = tmp_path / "sub" / ".." / "case.xlsx"
        (tmp_path / "sub").mkdir()
    elif how == "hard link":
        source = project
        out = tmp_path / "linked.xlsx"
        os.link(project, out)
    else:
        source = project
        out = tmp_path / "pointer.xlsx"
        out.symlink_to(project)
    before = _digest(project)
    args = ["export", str(source), str(out), "--force"]
    _refused(run_workbench(*args, cwd=tmp_path), "this is the input file itself")
    assert _digest(project) == before
    assert _digest(source) == before


def test_a_report_over_its_project_is_refused(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    os.link(project, out)
    result = run_workbench("report", str(project), str(out), "--force", cwd=tmp_path)
    _refused(result, "this is the input file itself")
    assert out.read_bytes()[:6] == b"SQLite"
