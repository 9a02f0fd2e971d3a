"""Each benchmark figure: our code timed against a bare-library baseline in the same run.

A figure is only meaningful next to what the machine does without us: the
baseline is the least work that gives the same result (SQLite reading the
rating rows, openpyxl writing the same cells), measured on the same file in
the same process, so the ratio travels across machines where seconds do not.
"""

from __future__ import annotations

import atexit
import dataclasses
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import bare
import synthetic

from workbench import __version__
from workbench.core.analysis import CONSENSUS, score_project
from workbench.core.edits import SetRating
from workbench.core.ratings import Rating
from workbench.store import ProjectFile

HERE = Path(__file__).parent


@dataclasses.dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: float
    #: value / baseline.
    ratio: float
    target: float
    #: "ratio" when the target bounds the ratio, "value" when it bounds the value itself.
    target_on: str
    note: str = ""

    @property
    def met(self) -> bool:
        measured = self.ratio if self.target_on == "ratio" else self.value
        return measured <= self.target

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline,
            "ratio": round(self.ratio, 4),
            "target": self.target,
            "target_on": self.target_on,
            "met": self.met,
            "note": self.note,
        }


def timed(action: Callable[[], object]) -> float:
    """Seconds ``action`` took, or the seconds it returns when it times itself."""
    start = time.perf_counter()
    own = action()
    elapsed = time.perf_counter() - start
    return own if isinstance(own, float) else elapsed


def median_time(action: Callable[[], object], repeats: int) -> float:
    return statistics.median(timed(action) for _ in range(repeats))


def time_figure(
    name: str,
    ours: Callable[[], object],
    baseline: Callable[[], object],
    *,
    repeats: int,
    target: float,
    note: str = "",
    warm_up: bool = False,
) -> Figure:
    """Median seconds of ``ours`` and of ``baseline``, alternated so drift hits both.

    ``warm_up`` runs each once untimed first (whole processes: the bytecode
    cache and the file system cache are then as a user's second start finds them).
    """
    if warm_up:
        baseline()
        ours()
    ours_times, base_times = [], []
    for _ in range(repeats):
        base_times.append(timed(baseline))
        ours_times.append(timed(ours))
    value, base = statistics.median(ours_times), statistics.median(base_times)
    return Figure(name, value, "s", base, value / base, target, "ratio", note)


# -- the project file ------------------------------------------------------------------


def create_project_file(path: Path, n_evidence: int, n_hypotheses: int, n_analysts: int) -> Path:
    ProjectFile.create(path, synthetic.make_project(n_evidence, n_hypotheses, n_analysts)).close()
    return path


def _open_and_score(path: Path) -> None:
    with ProjectFile.open(path, read_only=True) as project_file:
        score_project(project_file.project, CONSENSUS)


def open_and_score(path: Path, size: str, repeats: int) -> Figure:
    return time_figure(
        f"open + score {size}",
        lambda: _open_and_score(path),
        lambda: bare.read_and_score(path),
        repeats=repeats,
        target=1.2,
        note="read-only open + consensus score; baseline: " + bare.READ_AND_SCORE,
    )


def rating_edit(path: Path, edits: int) -> Figure:
    """One durable rating change through the store vs the same write done bare, alternated."""
    with ProjectFile.open(path) as project_file:
        project = project_file.project
        analyst = project.analysts[0].id
        ours_cell = project.evidence[len(project.evidence) // 2], project.hypotheses[0]
        # The baseline writes another cell of the same file, through its own connection.
        base_cell = project.evidence[len(project.evidence) // 2 + 1], project.hypotheses[0]
        db = sqlite3.connect(path, isolation_level=None)
        try:
            # The store's own settings: WAL (persistent in the file) and synchronous FULL.
            journal = db.execute("PRAGMA journal_mode").fetchone()[0]
            db.execute("PRAGMA synchronous = FULL")
            ours, base = [], []
            for k in range(edits):
                rating = Rating.C if k % 2 == 0 else Rating.I
                edit = SetRating(analyst, ours_cell[0].id, ours_cell[1].id, rating)
                ours.append(timed(lambda edit=edit: project_file.apply(edit, analyst)))
                base.append(
                    timed(
                        lambda rating=rating: bare.write_rating(
                            db, project, analyst, base_cell[0].id, base_cell[1].id, int(rating)
                        )
                    )
                )
        finally:
            db.close()
    value, baseline = statistics.median(ours), statistics.median(base)
    return Figure(
        "one rating edit made durable",
        value,
        "s",
        baseline,
        value / baseline,
        1.5,
        "ratio",
        f"median of {edits}, alternated with the baseline; baseline: {bare.WRITE_RATING}, "
        f"journal {journal}, synchronous FULL",
    )


def scoring(n_evidence: int, n_hypotheses: int, repeats: int) -> Figure:
    """Scoring one layer, whatever BLAS threads the machine has (the default ones here)."""
    import numpy as np

    from workbench.core.scoring import score

    project = synthetic.make_project(n_evidence, n_hypotheses, 1)
    codes = project.layer(project.analysts[0].id)
    weights, active = project.weights(), project.active_mask()
    flat = codes.ravel().view(np.uint8)
    figure = time_figure(
        f"score one {n_evidence:,} x {n_hypotheses} layer",
        lambda: score(codes, weights, active),
        lambda: np.bincount(flat, minlength=8),
        repeats=repeats,
        target=0.025,
        note="default BLAS threads; baseline: one numpy pass over the codes (a bincount)",
    )
    figure.target_on = "value"
    return figure


# -- the workbook ----------------------------------------------------------------------


def workbook_import(folder: Path, n_evidence: int, n_hypotheses: int, repeats: int) -> Figure:
    from workbench.exchange.formats import import_any

    project = synthetic.make_project(n_evidence, n_hypotheses, 1)
    path = folder / "plain matrix.xlsx"
    synthetic.write_rows_xlsx(synthetic.matrix_rows(project), path)
    return time_figure(
        f"import {n_evidence:,} x {n_hypotheses} workbook",
        # The import the window and `workbench import` run: which kind of workbook it
        # is, the safety checks, the matrix and the size check.
        lambda: import_any(path),
        lambda: synthetic.read_cells_calamine(path),
        repeats=repeats,
        target=1.5,
        note="formats.import_any; baseline: bare python-calamine (the reader the importer "
        "uses), every cell value",
    )


def workbook_export(folder: Path, n_evidence: int, n_hypotheses: int, repeats: int) -> Figure:
    from workbench.exchange.xlsx_export import export_xlsx

    project = synthetic.make_project(n_evidence, n_hypotheses, 1)
    ours_path, base_path = folder / "export ours.xlsx", folder / "export bare.xlsx"
    export_xlsx(project, ours_path, app_version=__version__)
    # The baseline writes exactly the cells our export holds (formulas as their text).
    sheets = synthetic.workbook_cells(ours_path)

    def ours() -> None:
        ours_path.unlink(missing_ok=True)
        export_xlsx(project, ours_path, app_version=__version__)

    def baseline() -> None:
        base_path.unlink(missing_ok=True)
        synthetic.write_sheets_xlsx(sheets, base_path)

    return time_figure(
        f"export {n_evidence:,} x {n_hypotheses} workbook",
        ours,
        baseline,
        repeats=repeats,
        target=3.0,
        note="baseline: bare openpyxl write_only dump of every cell of every sheet our export "
        "writes (values and formula text; no styles, validation or cached values)",
    )


# -- whole processes -------------------------------------------------------------------


#: Compiled bytecode for the child processes, kept for the whole run.
_BYTECODE = Path(tempfile.mkdtemp(prefix="workbench-bench-pycache-"))
atexit.register(shutil.rmtree, _BYTECODE, ignore_errors=True)


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a timed child process: as an installed app runs.

    An installed package starts from compiled bytecode; with
    PYTHONDONTWRITEBYTECODE set (as some sandboxes and CI images do) every
    start would compile our modules from source again, which measures the
    compiler, not the start-up. The bytecode goes to a private folder
    (PYTHONPYCACHEPREFIX), written by each figure's untimed warm-up run.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(_BYTECODE)
    return env


def _process(argv: list[str]) -> Callable[[], object]:
    env = child_env(QT_QPA_PLATFORM="offscreen")

    def run() -> None:
        subprocess.run(argv, check=True, capture_output=True, env=env, timeout=300)

    return run


def _workbench() -> list[str]:
    """The installed ``workbench`` command (what a user runs), else ``python -m workbench``."""
    script = Path(sys.executable).parent / "workbench"
    return [str(script)] if script.exists() else [sys.executable, "-m", "workbench"]


def cli_score(example: Path, repeats: int) -> Figure:
    return time_figure(
        "workbench score of the example, whole process",
        _process([*_workbench(), "score", str(example)]),
        _process([sys.executable, str(HERE / "bare_score.py"), str(example)]),
        repeats=repeats,
        target=1.5,
        note="baseline: a script reading the same file with plain sqlite3 and scoring it with "
        "workbench.core (bare_score.py), alternated, after one untimed run of each",
        warm_up=True,
    )


def cli_version(repeats: int) -> Figure:
    return time_figure(
        "workbench --version, whole process",
        _process([*_workbench(), "--version"]),
        _process([sys.executable, "-c", "pass"]),
        repeats=repeats,
        target=2.0,
        note="baseline: python -c pass, alternated, after one untimed run of each",
        warm_up=True,
    )


# -- measured in their own interpreter ---------------------------------------------------


def _run_script(name: str, *args: str) -> dict[str, float]:
    env = child_env()
    result = subprocess.run(
        [sys.executable, str(HERE / name), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    if result.returncode != 0 or not result.stdout.strip():
        raise RuntimeError(f"{name} failed ({result.returncode}): {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def matrix_paint(path: Path, repeats: int) -> Figure:
    measured = _run_script("paint.py", str(path), str(repeats))
    top, bottom = measured["top"], measured["bottom"]
    return Figure(
        f"paint the matrix viewport, bottom vs top of {int(measured['rows']):,} rows",
        bottom,
        "s",
        top,
        bottom / top,
        1.5,
        "ratio",
        f"median of {repeats} viewport().grab() at each end, alternated; baseline: the top",
    )


def peak_memory(path: Path, size: str, ratings: int) -> Figure:
    """Peak RSS of open + score in a fresh interpreter, above what its imports take."""
    measured = _run_script("peak_memory.py", str(path))
    imports, peak = measured["imports_mb"], measured["peak_mb"]
    # The layers themselves are 1 byte a rating; 4 leaves room for a consensus and scoring.
    budget = 4 * ratings / 2**20 + 100
    return Figure(
        f"memory above imports, open + score {size}",
        peak - imports,
        "MB",
        budget,
        (peak - imports) / budget,
        budget,
        "value",
        f"VmHWM after open + score minus VmHWM after the imports ({imports:.0f} MB), fresh "
        f"interpreter; baseline and target: 4 bytes x {ratings:,} ratings + 100 MB",
    )


# -- the window -------------------------------------------------------------------------


def window_figures(path: Path, size: str, repeats: int) -> list[Figure]:
    """Key press, layer switch and showing sensitivity, in the real window (offscreen)."""
    m = _run_script("window.py", str(path), str(repeats))
    key = Figure(
        f"rating key press to repainted footer, team consensus, {size}",
        m["key"],
        "s",
        m["key_base"],
        m["key"] / m["key_base"],
        1.5,
        "ratio",
        f"median of {repeats}, offscreen; value target <= 50 ms; baseline: the same durable "
        "write done bare (bare.py) + one repaint of the matrix viewport, alternated",
    )
    layer = Figure(
        f"switch the layer shown (consensus <-> analyst), {size}",
        m["layer"],
        "s",
        m["layer_base"],
        m["layer"] / m["layer_base"],
        0.1,
        "value",
        f"median of {repeats}, until the matrix viewport is repainted; baseline: that repaint",
    )
    shown = Figure(
        f"show the sensitivity view after an edit, {size}",
        m["sensitivity"],
        "s",
        m["sensitivity_base"],
        m["sensitivity"] / m["sensitivity_base"],
        1.5,
        "ratio",
        "computed off the GUI thread, until on screen; baseline: core sensitivity() of the layer",
    )
    return [key, layer, shown]


def window_open(path: Path, size: str, repeats: int) -> Figure:
    m = _run_script("window.py", str(path), str(repeats))
    figure = Figure(
        f"open {size} in the window until the matrix is painted",
        m["open"],
        "s",
        m["open_base"],
        m["open"] / m["open_base"],
        0.5,
        "value",
        f"median of {repeats}; baseline: the bare read and score of the same file (bare.py)",
    )
    return figure


def startup(example: Path, repeats: int) -> Figure:
    """Process start to the example's matrix painted: ``workbench EXAMPLE``, offscreen."""
    with tempfile.TemporaryDirectory(prefix="workbench-startup-") as home:
        env = child_env(
            QT_QPA_PLATFORM="offscreen",
            WORKBENCH_SMOKE_EXIT_MS="1",
            XDG_CONFIG_HOME=home,
            XDG_DATA_HOME=home,
        )

        def ours() -> float:
            """Seconds to the line; then the window quits by itself (untimed), so the
            next start finds the file closed as a user's does, not a dead lock."""
            start = time.perf_counter()
            process = subprocess.Popen(
                [*_workbench(), str(example)],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                text=True,
            )
            assert process.stdout is not None
            try:
                for line in process.stdout:
                    if line.startswith("workbench smoke: matrix painted"):
                        elapsed = time.perf_counter() - start
                        process.stdout.read()  # the rest, until it exits
                        process.wait(timeout=60)
                        return elapsed
                raise RuntimeError("the window did not report the matrix painted")
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()

        figure = time_figure(
            "process start to the example's matrix painted",
            ours,
            _process([sys.executable, "-c", "pass"]),
            repeats=repeats,
            target=1.0,
            note="workbench EXAMPLE offscreen, until it reports the matrix painted; baseline: "
            "python -c pass, alternated, after one untimed run of each",
            warm_up=True,
        )
    figure.target_on = "value"
    return figure
