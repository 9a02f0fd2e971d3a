"""Fixtures shared by the test packages (each section says whose it is)."""

from __future__ import annotations

import dataclasses
import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths

from workbench.core.dates import PartialDate
from workbench.core.model import (
    Analyst,
    ConsensusOverride,
    Evidence,
    EvidenceType,
    Hypothesis,
    Milestone,
    MilestoneStatus,
    Project,
    Source,
)
from workbench.core.ratings import Level, Rating

# -- the run itself: compiled modules are kept ----------------------------------------

# With PYTHONDONTWRITEBYTECODE set (as on the build machine), every xdist worker and
# every child `python -m workbench` would compile the same modules again on every run
# (pytest's rewritten test modules too: about 2 s of CPU per worker), since nothing
# compiled is ever kept. The run keeps its bytecode in __pycache__ folders (ignored
# by git), as Python does by default; the children inherit that.
if sys.dont_write_bytecode:
    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# -- the run itself: what collection built is never garbage ---------------------------

# Python's cyclic GC walks every tracked object of the oldest generation on each
# full collection: here the imported modules (Qt, numpy, pyqtgraph, openpyxl, ...)
# and the collected test items, which live until the process ends and so never
# become garbage. Freezing them once collection is done moves them out of the
# GC's reach and spares each full collection that walk (about 3 s of CPU a run).
# The thresholds are left as they are, so a test still meets the collections (and
# any bug of GC timing) at the usual moments.


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()


# -- every test: private settings and data folders (xdist workers never share one) --


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """QSettings, QStandardPaths and child processes use a temp home, never the developer's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    QStandardPaths.setTestModeEnabled(True)
    QCoreApplication.setOrganizationName("ACH Workbench Tests")
    QCoreApplication.setApplicationName("ACH Workbench Tests")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "config"))
    yield home
    QStandardPaths.setTestModeEnabled(False)


# -- the order of a run: slow tests first, spread over the xdist workers --------------


@pytest.hookimpl(trylast=True)  # after -m has deselected what does not run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start the tests marked ``slow`` first, spread over the xdist workers.

    ``--dist worksteal`` first gives worker k the k-th contiguous share of the
    collection, and an idle worker steals from the end of another's queue: a
    long test late in a share leaves the other workers idle at the end. So
    each share starts with its round-robin part of the slow tests (a module's
    together, so its module-scoped fixtures are made once), then the rest in
    their usual order.
    """
    slow: dict[Path, list[pytest.Item]] = {}
    rest: list[pytest.Item] = []
    for item in items:
        if item.get_closest_marker("slow") is not None:
            slow.setdefault(item.path, []).append(item)
        else:
            rest.append(item)
    workers = max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
    firsts: list[list[pytest.Item]] = [[] for _ in range(workers)]
    for k, module in enumerate(slow.values()):
        firsts[k % workers].extend(module)
    ordered: list[pytest.Item] = []
    remaining = len(items)
    for k, first in enumerate(firsts):
        share = remaining // (workers - k)  # what worksteal sends worker k at the start
        remaining -= share
        take = max(0, share - len(first))
        ordered += first + rest[:take]
        rest = rest[take:]
    items[:] = ordered + rest


# -- store: a project using every field, and a deep comparison of two projects --


def _full_project(n_evidence: int = 6, n_hypotheses: int = 4, n_analysts: int = 3) -> Project:
    """Every kind of entity and field, several analysts, rationales and overrides."""
    rng = np.random.default_rng(n_evidence * 100 + n_hypotheses * 10 + n_analysts)
    project = Project("Belarus 2020", "Was the vote rigged?", "A test case.\nTwo lines.")
    project.likelihoods = {**project.likelihoods, Rating.C: 0.75}
    project.sources = [
        Source(project.new_id(), "Sivitsky", 2020, "Report", "https://x.example/a", "Siv 20"),
        Source(project.new_id(), "Anonymous"),
    ]
    project.hypotheses = [
        Hypothesis(project.new_id(), f"H{i + 1}", f"Hypothesis {i + 1}", f"why {i}", None)
        for i in range(n_hypotheses)
    ]
    if n_hypotheses:
        project.hypotheses[0].prior = 0.4
    types = list(EvidenceType)
    project.evidence = [
        Evidence(
            project.new_id(),
            f"E{i + 1}",
            f"Evidence {i + 1} = +@-",
            description=f"details {i}",
            type=types[i % len(types)],
            date=[None, PartialDate(2020), PartialDate(2020, 8), PartialDate(2020, 8, 9)][i % 4],
            source_id=project.sources[i % 2].id if i % 3 else None,
            locator=f"p. {i}",
            credibility=Level(i % 3),
            relevance=Level((i + 1) % 3),
            active=i % 4 != 3,
            tags=["poll", f"t{i}"][: i % 3],
            notes="note" if i % 2 else "",
        )
        for i in range(n_evidence)
    ]
    shape = (n_evidence, n_hypotheses)
    for k in range(n_analysts):
        layer = rng.integers(0, 7, size=shape).astype(np.int8)
        project.add_analyst(Analyst(project.new_id(), f"Analyst {k + 1}"), layer)
    for k, analyst in enumerate(project.analysts):
        for i, evidence in enumerate(project.evidence[:3]):
            hypothesis = project.hypotheses[(i + k) % n_hypotheses]
            project.rationales[(analyst.id, evidence.id, hypothesis.id)] = f"{analyst.name}: {i}"
    if n_evidence and n_hypotheses:
        project.layers[project.analysts[0].id][0, 0] = Rating.BLANK  # blank with a rationale
        project.rationales[
            (project.analysts[0].id, project.evidence[0].id, project.hypotheses[0].id)
        ] = "unsure"
        project.overrides[(project.evidence[1].id, project.hypotheses[-1].id)] = ConsensusOverride(
            Rating.CC, "agreed at the meeting"
        )
        project.milestones = [
            Milestone(project.new_id(), project.hypotheses[0].id, "Audit", PartialDate(2021, 1)),
            Milestone(
                project.new_id(),
                project.hypotheses[-1].id,
                "Strike",
                None,
                MilestoneStatus.OBSERVED,
                "x",
            ),
        ]
    return project


def _project_differences(a: Project, b: Project) -> list[str]:
    """What differs between two projects (empty when they are the same analysis)."""
    found = []
    for field in dataclasses.fields(Project):
        if field.name != "layers" and getattr(a, field.name) != getattr(b, field.name):
            found.append(f"{field.name}: {getattr(a, field.name)!r} != {getattr(b, field.name)!r}")
    if set(a.layers) != set(b.layers):
        found.append(f"layers: analysts {sorted(a.layers)} != {sorted(b.layers)}")
    for key in set(a.layers) & set(b.layers):
        if not np.array_equal(a.layers[key], b.layers[key]):
            found.append(f"layers[{key}]:\n{a.layers[key]}\n!=\n{b.layers[key]}")
    return found


@pytest.fixture
def full_project():
    """A factory: ``full_project(n_evidence=6, n_hypotheses=4, n_analysts=3)``."""
    return _full_project


@pytest.fixture
def same_project():
    """``assert same_project(a, b)``: compares every field and layer; lists differences."""

    def check(a: Project, b: Project) -> bool:
        differences = _project_differences(a, b)
        assert not differences, "\n".join(differences)
        return True

    return check


# -- analysis: a small case with a linchpin, milestones, sources and hostile text --


def _linchpin_case() -> Project:
    """H1 leads only because of E1: excluding E1 hands the lead to H2."""
    project = Project(
        "Linchpin <case> & co",
        "Who <b>really</b> sent the letter?",
        "A small hand-worked case for the report tests.",
    )
    titles = ["The clerk posted it", "The manager =SUM(A1) forged it", "Nobody sent it"]
    for k, title in enumerate(titles):
        project.insert_hypothesis(k, Hypothesis(project.new_id(), f"H{k + 1}", title))
    source = Source(
        project.new_id(),
        "Ortiz",
        2021,
        "Post office ledger",
        "https://example.org/x",
        "Ortiz, 2021",
    )
    project.sources.append(source)
    rows = [
        (
            "Postmark from the clerk's town",
            PartialDate.parse("2021-03"),
            [Rating.C, Rating.II, Rating.I],
        ),
        (
            "Manager was abroad that week",
            PartialDate.parse("2021-02"),
            [Rating.I, Rating.C, Rating.N],
        ),
        ("Letter exists at all", None, [Rating.C, Rating.C, Rating.II]),
    ]
    analyst = Analyst(project.new_id(), "Ana")
    for r, (title, date, _) in enumerate(rows):
        item = Evidence(project.new_id(), f"E{r + 1}", title, date=date, source_id=source.id)
        project.insert_evidence(r, item)
    grid = np.array([[int(x) for x in ratings] for *_, ratings in rows], dtype=np.int8)
    project.add_analyst(analyst, grid)
    project.milestones.append(
        Milestone(
            project.new_id(),
            project.hypotheses[0].id,
            "Clerk admits posting it",
            PartialDate.parse("2022-06"),
            MilestoneStatus.PENDING,
            "Ask at the hearing",
        )
    )
    return project


@pytest.fixture
def linchpin_case() -> Project:
    return _linchpin_case()


# -- exchange: converting a file with LibreOffice, as a team without Excel would ------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

#: A throwaway profile setting that makes LibreOffice recompute every formula on
#: load; by default it trusts the values cached in the file and computes only
#: empty cells, which would test the cache instead of the formulas.
ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory):
    """``convert(source, target="xlsx", recalculate=False, infilter=None) -> Path``:
    LibreOffice headless in a throwaway profile (one per worker, warm after its first
    run), the result written to a folder beside ``source``; ``infilter`` is soffice's
    ``--infilter`` (how to read the source, e.g. a CSV's options).

    ``convert.all(sources, target, recalculate, infilter) -> list[Path]`` converts
    several files in one LibreOffice run (each run costs a second or more of start-up)."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed here; .ci/run installs it")
    plain = tmp_path_factory.mktemp("lo-profile")
    forced = tmp_path_factory.mktemp("lo-profile-recalc")
    (forced / "user").mkdir()
    (forced / "user" / "registrymodifications.xcu").write_text(ALWAYS_RECALCULATE)

    def convert_all(
        sources: list[Path],
        target: str = "xlsx",
        recalculate: bool = False,
        infilter: str | None = None,
    ) -> list[Path]:
        assert len({source.stem for source in sources}) == len(sources), "one output per name"
        out = sources[0].parent / ("recalculated" if recalculate else "converted")
        out.mkdir(exist_ok=True)
        profile = forced if recalculate else plain
        command = [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to",
            target,
            "--outdir",
            str(out),
            *map(str, sources),
        ]
        # A slow machine takes about a second for each file, and a few to start.
        timeout = 180 + 25 * len(sources)
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        results = [out / f"{source.stem}.{target}" for source in sources]
        for result in results:
            assert result.exists(), f"soffice failed: {done.stdout} {done.stderr}"
        return results

    def convert(
        source: Path, target: str = "xlsx", recalculate: bool = False, infilter: str | None = None
    ) -> Path:
        return convert_all([source], target, recalculate, infilter)[0]

    convert.all = convert_all  # type: ignore[attr-defined]
    return convert


# -- hostile input: real full disks and read-only shares (root only) ----------------


def _mount(*args: str) -> bool:
    result = subprocess.run(["mount", *args], capture_output=True, check=False)
    return result.returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """``small_disk(kilobytes)`` -> a folder on a tmpfs of that size: a real full disk.

    Needs root (CI runs as root); elsewhere the test is skipped rather than
    faked, because a full disk is exactly what monkeypatching gets wrong.
    """
    mounted: list[Path] = []

    def make(kilobytes: int) -> Path:
        folder = tmp_path / f"disk{len(mounted)}"
        folder.mkdir()
        if not _mount("-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs", str(folder)):
            pytest.skip("mounting a small tmpfs needs root")
        mounted.append(folder)
        return folder

    yield make
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def read_only_view(tmp_path):
    """``read_only_view(folder)`` -> the same folder through a read-only bind mount."""
    mounted: list[Path] = []

    def make(folder: Path) -> Path:
        view = tmp_path / f"share{len(mounted)}"
        view.mkdir()
        if not _mount("--bind", str(folder), str(view)):
            pytest.skip("a read-only bind mount needs root")
        mounted.append(view)
        if not _mount("-o", "remount,ro,bind", str(view)):
            pytest.skip("a read-only bind mount needs root")
        return view

    yield make
    for view in mounted:
        subprocess.run(["umount", "-l", str(view)], check=False)
