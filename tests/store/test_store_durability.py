"""An edit is on disk when apply() returns: kill -9 at random moments loses nothing.

A child process applies a fixed sequence of edits and prints a line after
each ``apply`` returns; the test SIGKILLs it at a random moment after
reading some lines. The file must then pass ``PRAGMA integrity_check``, open
(taking over the dead process's lock) and hold exactly the first ``m`` edits
of the sequence for some ``m`` no smaller than the number of lines read:
nothing acknowledged is lost and nothing is half applied.
"""

from __future__ import annotations

import contextlib
import copy
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from workbench.core.edits import (
    AddEvidence,
    Batch,
    Edit,
    MoveEvidence,
    RemoveEvidence,
    SetRating,
    UpdateEvidence,
)
from workbench.core.model import Evidence, Project
from workbench.core.ratings import Rating
from workbench.store import ProjectFile

STEPS = 24
KILLS = 30

# A small server, started once: it imports the application, then forks one
# editing child per request, so each of the 30 runs costs a fork, not a fresh
# interpreter. Children are reaped automatically (SIGCHLD ignored), so a
# killed child's pid is really gone and its lock is stale.
_FORK_SERVER = """
import os, signal, sys
sys.path.insert(0, sys.argv[1])
from test_store_durability import STEPS, step
from workbench.store import ProjectFile

signal.signal(signal.SIGCHLD, signal.SIG_IGN)
for request in sys.stdin:
    path, channel = request.rstrip("\\n").split("\\t")
    pid = os.fork()
    if pid == 0:
        try:
            with open(channel, "w") as out:
                project_file = ProjectFile.open(path)
                for i in range(STEPS):
                    project_file.apply(step(project_file.project, i))
                    print(i, file=out, flush=True)
        finally:
            os._exit(0)
    print(pid, flush=True)
"""


def step(project: Project, i: int) -> Edit:
    """The i-th edit of the sequence, computed from the project it applies to."""
    kind = i % 5
    analysts = [a.id for a in project.analysts]
    rows, cols = len(project.evidence), len(project.hypotheses)
    if kind == 0 or rows < 3:
        evidence = Evidence(project.new_id(), f"K{i}", f"added at step {i}", tags=[str(i)])
        row = np.arange(cols, dtype=np.int8) % 7
        return AddEvidence(evidence, i % (rows + 1), {analysts[0]: row})
    if kind == 1:
        e = project.evidence[i % rows].id
        return SetRating(
            analysts[i % len(analysts)], e, project.hypotheses[i % cols].id, Rating.II, f"s{i}"
        )
    if kind == 2:
        parts = tuple(
            SetRating(a, project.evidence[(i + k) % rows].id, h.id, Rating((i + k) % 7))
            for k, a in enumerate(analysts)
            for h in project.hypotheses
        )
        return Batch((*parts, UpdateEvidence(project.evidence[0].id, {"notes": f"batch {i}"})))
    if kind == 3:
        return MoveEvidence(project.evidence[i % rows].id, (i * 7) % rows)
    return RemoveEvidence(project.evidence[i % rows].id)


def _same(a: Project, b: Project, same_project) -> bool:
    try:
        return same_project(a, b)
    except AssertionError:
        return False


class _Children:
    """Starts editing children through the fork server, one request at a time."""

    def __init__(self) -> None:
        self.server = subprocess.Popen(
            [sys.executable, "-c", _FORK_SERVER, str(Path(__file__).parent)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lock = threading.Lock()

    def start(self, path: Path, channel: Path) -> int:
        assert self.server.stdin is not None and self.server.stdout is not None
        with self.lock:
            self.server.stdin.write(f"{path}\t{channel}\n")
            self.server.stdin.flush()
            return int(self.server.stdout.readline())

    def close(self) -> None:
        assert self.server.stdin is not None
        self.server.stdin.close()
        self.server.wait(timeout=30)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _run_and_kill(children: _Children, path: Path, seed: int) -> int:
    """Run a child on ``path``, kill it at a random moment; returns lines read."""
    chooser = random.Random(seed)
    stop_after = chooser.randint(0, STEPS - 5)
    channel = path.with_suffix(".fifo")
    os.mkfifo(channel)
    pid = children.start(path, channel)
    read = 0
    with open(channel) as lines:
        while read < stop_after:
            assert lines.readline(), "the child stopped early"
            read += 1
        time.sleep(chooser.random() * 0.004)  # sometimes mid-transaction, sometimes between
        with contextlib.suppress(ProcessLookupError):  # it may have finished first
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while not _gone(pid):  # reaped by the server
        assert time.monotonic() < deadline, f"child {pid} outlived SIGKILL"
        time.sleep(0.005)
    return read


@pytest.mark.slow
def test_kill_minus_nine_never_loses_an_acknowledged_edit(tmp_path, full_project, same_project):
    base = tmp_path / "base.achwb"
    start = full_project(8, 4, 2)
    ProjectFile.create(base, copy.deepcopy(start)).close()
    expected = [copy.deepcopy(start)]
    for i in range(STEPS):
        project = copy.deepcopy(expected[-1])
        step(project, i).apply(project)
        expected.append(project)

    paths = []
    for n in range(KILLS):
        paths.append(tmp_path / f"run{n}.achwb")
        shutil.copy(base, paths[-1])
    children = _Children()
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            runs = pool.map(lambda n: _run_and_kill(children, paths[n], n), range(KILLS))
            acknowledged = list(runs)
    finally:
        children.close()

    for path, read in zip(paths, acknowledged, strict=True):
        db = sqlite3.connect(path)
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        db.close()
        with ProjectFile.open(path) as project_file:
            held = len(project_file.change_log(limit=STEPS + 1))
            assert held >= read, f"{path.name}: {read} edits acknowledged, {held} in the file"
            assert _same(project_file.project, expected[held], same_project), path.name
    assert max(acknowledged) > 0
