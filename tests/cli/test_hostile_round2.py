"""Round two of hostile input through the real command line (issue 17).

What needs more than one file from the corpus: a full disk (a real tmpfs),
an output that is the input, locks that are not what they seem, text meant
for the terminal, a read-only share. Same contract as the corpus: exit 2,
one ``error:`` line, no traceback, nothing the user had lost or changed.

The commands run in this process (``workbench_cli``, ``tests/cli_runs.py``),
except where the process is the point: a lock that must not hang the command
(a child process can be timed out) and an import killed with SIGKILL.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runs import run_process

Run = Callable[..., subprocess.CompletedProcess[str]]


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
def project(tmp_path: Path, workbench_cli) -> Path:
    path = tmp_path / "p.achwb"
    assert workbench_cli("example", str(path), cwd=tmp_path).returncode == 0
    return path


# -- a full disk ---------------------------------------------------------------------


def test_pdf_report_on_a_full_disk_keeps_the_old_report(
    project: Path, small_disk, workbench_cli
) -> None:
    disk = small_disk(720)
    source = shutil.copy(project, disk / "p.achwb")
    assert workbench_cli("report", str(source), str(disk / "out.pdf"), cwd=disk).returncode == 0
    good = _digest(disk / "out.pdf")
    # The old report and the project fill the disk: the new PDF cannot be whole.
    result = workbench_cli("report", str(source), str(disk / "out.pdf"), "--force", cwd=disk)
    _refused(result, "out.pdf")
    assert _digest(disk / "out.pdf") == good
    assert sorted(p.name for p in disk.iterdir()) == ["out.pdf", "p.achwb"]


@pytest.mark.parametrize("room_kb", [8, 20, 30])
@pytest.mark.parametrize("kind", ["export", "sheets"])
def test_workbooks_on_a_full_disk_say_so_once(
    project: Path, small_disk, kind: str, room_kb: int, workbench_cli
) -> None:
    disk = small_disk(300)
    source = shutil.copy(project, disk / "p.achwb")
    # Leave a little room, so the workbook fails part way through its zip archive.
    (disk / "filler").write_bytes(b"\0" * (disk_free(disk) - room_kb * 1024))
    if kind == "export":
        args = ["export", str(source), str(disk / "out.xlsx")]
    else:
        args = ["sheets", str(source), "--analysts", "Ana,Ben", "--out", str(disk / "sheets")]
    result = workbench_cli(*args, cwd=disk)
    _refused(result)
    assert "ZipFile" not in result.stderr
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "p.achwb"]


def disk_free(folder: Path) -> int:
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize


# -- the output is the input ---------------------------------------------------------


@pytest.mark.parametrize("how", ["same name", "copy named .xlsx", "hard link", "symlink"])
def test_an_output_that_is_the_input_is_refused(
    project: Path, tmp_path: Path, how: str, workbench_cli
) -> None:
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
    _refused(workbench_cli(*args, cwd=tmp_path), "this is the input file itself")
    assert _digest(project) == before
    assert _digest(source) == before


def test_a_report_over_its_project_is_refused(project: Path, tmp_path: Path, workbench_cli) -> None:
    out = tmp_path / "p.pdf"
    os.link(project, out)
    result = workbench_cli("report", str(project), str(out), "--force", cwd=tmp_path)
    _refused(result, "this is the input file itself")
    assert out.read_bytes()[:6] == b"SQLite"


# -- locks that are not what they seem -----------------------------------------------


def _collect_and_force_import(
    project: Path, tmp_path: Path, workbench_cli: Run, run: Run | None = None
) -> list:
    """Rating sheets written, then ``collect`` and ``import --force`` into the project,
    both through ``run`` (by default in this process)."""
    run = run or workbench_cli
    csv_path = tmp_path / "m.csv"
    csv_path.write_text("ID,Evidence,H1\nE1,x,C\n", encoding="utf-8")
    sheets = tmp_path / "sheets"
    assert (
        workbench_cli(
            "sheets", str(project), "--analysts", "Ana", "--out", str(sheets), cwd=tmp_path
        ).returncode
        == 0
    ), "the sheets are written before the lock is spoilt"
    return [
        run("collect", str(project), str(sheets / "Ana.xlsx"), cwd=tmp_path),
        run("import", str(csv_path), str(project), "--force", cwd=tmp_path),
    ]


def _lock(pid: int, since: str) -> str:
    import json
    import socket

    return json.dumps({"host": socket.gethostname(), "pid": pid, "user": "ana", "since": since})


def test_a_lock_with_an_impossible_pid_is_refused_cleanly(
    project: Path, tmp_path: Path, workbench_cli
) -> None:
    lock = tmp_path / "p.achwb.lock"
    before = _digest(project)
    sheets_first = _collect_and_force_import  # writes the sheets, then we spoil the lock
    lock.write_text(_lock(10**30, "2026-01-01T00:00:00Z"))
    for result in sheets_first(project, tmp_path, workbench_cli):
        _refused(result, "p.achwb", "delete p.achwb.lock")
    assert _digest(project) == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_in_place_of_the_lock_does_not_hang(
    project: Path, tmp_path: Path, workbench_cli
) -> None:
    os.mkfifo(tmp_path / "p.achwb.lock")
    before = _digest(project)
    # Child processes, so a command that hangs again is killed by the timeout.
    results = _collect_and_force_import(project, tmp_path, workbench_cli, run_process)
    for result in results:  # hung forever before
        _refused(result, "p.achwb.lock", "not a lock file")
    assert _digest(project) == before


def test_a_reused_pid_says_what_to_do(project: Path, tmp_path: Path, workbench_cli) -> None:
    """Process 1 always exists; a lock naming it since now may be stale, and we say so."""
    import datetime as dt

    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    (tmp_path / "p.achwb.lock").write_text(_lock(1, now))
    for result in _collect_and_force_import(project, tmp_path, workbench_cli):
        _refused(result, "process 1 is not ACH Workbench", "delete p.achwb.lock")


def test_a_lock_older_than_its_process_is_taken_over(
    project: Path, tmp_path: Path, workbench_cli
) -> None:
    """Process 1 started at boot, after a lock written in 2001: the id was reused."""
    (tmp_path / "p.achwb.lock").write_text(_lock(1, "2001-01-01T00:00:00Z"))
    results = _collect_and_force_import(project, tmp_path, workbench_cli)
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]


# -- text meant for the terminal ------------------------------------------------------

_ESCAPES = "\x1b]0;owned\x07\x1b[2J\nerror: forged\r\u202e"


def test_control_characters_reach_the_terminal_escaped(
    project: Path, tmp_path: Path, workbench_cli
) -> None:
    from workbench.core.edits import UpdateEvidence, UpdateHypothesis, UpdateProject
    from workbench.store import ProjectFile

    with ProjectFile.open(project) as pf:
        pf.apply(UpdateProject({"title": "T" + _ESCAPES}))
        pf.apply(UpdateHypothesis(pf.project.hypotheses[0].id, {"title": "H" + _ESCAPES}))
        pf.apply(UpdateEvidence(pf.project.evidence[0].id, {"title": "E" + _ESCAPES}))
    outputs = [
        workbench_cli("score", str(project), cwd=tmp_path),
        workbench_cli("score", "--json", str(project), cwd=tmp_path),
        workbench_cli("team", str(project), cwd=tmp_path),
        workbench_cli("sensitivity", str(project), cwd=tmp_path),
        workbench_cli("score", str(project), "--analyst", "x" + _ESCAPES, cwd=tmp_path),
    ]
    for result in outputs:
        text = result.stdout + result.stderr
        assert not any(ch in text for ch in "\x1b\x07\r\u202e"), result.args
        assert "error: forged" not in text.splitlines()
    assert "\\x1b]0;owned\\x07" in outputs[0].stdout
    assert outputs[-1].returncode == 2 and len(outputs[-1].stderr.splitlines()) == 1
    report = __import__("json").loads(outputs[1].stdout)
    assert report["project"] == "T" + _ESCAPES  # JSON escapes mean the same text


def test_a_planted_analyst_name_in_a_rating_sheet_is_refused(
    project: Path, tmp_path: Path, workbench_cli
) -> None:
    import openpyxl

    sheets = tmp_path / "sheets"
    assert (
        workbench_cli(
            "sheets", str(project), "--analysts", "Ana", "--out", str(sheets), cwd=tmp_path
        ).returncode
        == 0
    )
    book = openpyxl.load_workbook(sheets / "Ana.xlsx")
    meta = book["_workbench"]
    for row in meta.iter_rows():
        if row[0].value == "analyst":
            # XML 1.0 cannot carry ESC; a C1 control and a right-to-left override it can.
            row[1].value = "Ana\x85\u202eowned"
    book.save(sheets / "Ana.xlsx")
    before = _digest(project)
    result = workbench_cli("collect", str(project), str(sheets / "Ana.xlsx"), cwd=tmp_path)
    _refused(result, "Ana.xlsx", "control or formatting characters")
    assert _digest(project) == before


# -- a killed import ------------------------------------------------------------------


def test_a_killed_import_leaves_nothing_for_long(tmp_path: Path, workbench_cli) -> None:
    """kill -9 mid-write leaves its hidden temporary file; the next run removes it."""
    import signal
    import subprocess
    import sys
    import time

    source = tmp_path / "big.csv"
    header = "ID,Evidence," + ",".join(f"H{j}: h{j}" for j in range(1, 41))
    rows = [f"E{i},evidence {i}," + ",".join(["C", "I", "N", "II"] * 10) for i in range(1, 20001)]
    source.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    out = tmp_path / "out.achwb"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    child = subprocess.Popen(
        [sys.executable, "-m", "workbench", "import", str(source), str(out)], env=env
    )
    deadline = time.monotonic() + 60
    # The project's temporary file (not the lock's, ".out.achwb.lock.*.tmp").
    while time.monotonic() < deadline and not [
        p for p in tmp_path.glob(".out.achwb.*.tmp") if ".lock." not in p.name
    ]:
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert left, "the import was not caught mid-write; the test proves nothing"
    assert not [name for name in left if name.endswith("-journal")], "no journal on disk"

    small = tmp_path / "small.csv"
    small.write_text("ID,Evidence,H1\nE1,x,C\n", encoding="utf-8")
    # --force: on a busy machine the first import may have finished before the kill.
    again = workbench_cli("import", str(small), str(out), "--force", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv", "out.achwb", "small.csv"]


def test_every_cli_line_goes_through_the_escaping_helper() -> None:
    """A new command printing with print() would bypass the escapes: keep it to one helper."""
    import workbench.cli

    source = Path(workbench.cli.__file__).read_text(encoding="utf-8")
    assert "print(" not in source, "use cli_output.say / say_lines / say_json"
