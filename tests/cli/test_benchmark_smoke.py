"""The benchmark script still runs: ``tests/benchmarks/run.py --quick --json`` at tiny sizes.

Only the shape of its report is checked; timings on a shared CI machine mean
nothing, and the real figures come from a full run by hand (see the README).
It is marked ``benchmark`` and left out of the README's test command, which
is the developer's quick loop: CI runs it as a step of its own
(``pytest -m benchmark``, in ``.ci/run``), as the speed issue asks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).parents[1] / "benchmarks" / "run.py"
#: A word of each figure's name; every one must be in the report.
EXPECTED = (
    "open + score",
    "score one",
    "rating edit",
    "import",
    "export",
    "paint",
    "memory above imports",
    "workbench score",
    "--version",
    "process start",
    "key press",
    "switch the layer",
    "sensitivity view",
    "in the window",
)
FIGURE_KEYS = {"name", "value", "unit", "baseline", "ratio", "target", "target_on", "met", "note"}


@pytest.mark.benchmark
@pytest.mark.slow
def test_quick_benchmark_reports_every_figure_with_its_baseline(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)

    assert {"cpu", "cores", "python", "platform"} <= set(report["machine"])
    assert report["quick"] is True
    names = [figure["name"] for figure in report["figures"]]
    for expected in EXPECTED:
        assert any(expected in name for name in names), f"no {expected!r} figure in {names}"
    for figure in report["figures"]:
        assert set(figure) == FIGURE_KEYS
        assert figure["value"] >= 0 and figure["baseline"] > 0
        ratio = figure["value"] / figure["baseline"]
        assert figure["ratio"] == pytest.approx(ratio, rel=1e-3, abs=1e-4)
        assert figure["target_on"] in ("ratio", "value")
        measured = figure["ratio"] if figure["target_on"] == "ratio" else figure["value"]
        assert figure["met"] == (measured <= figure["target"])
    # The temporary projects and workbooks are gone.
    assert not list(tmp_path.glob("workbench-bench-*"))
