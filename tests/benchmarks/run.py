"""ACH Workbench benchmarks: ``python tests/benchmarks/run.py [--json] [--quick]``.

Builds synthetic projects in a temporary folder and reports each figure next
to a baseline measured in the same run, with the ratio and whether the
target is met. ``--quick`` uses tiny sizes (seconds; for CI, to keep the
script from rotting); its numbers mean nothing. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import figures  # noqa: E402 - the helpers beside this script

#: (evidence, hypotheses, analysts) of the project file; (evidence, hypotheses) of the workbook.
FULL = {
    "project": (10_000, 50, 10),
    "big project": (50_000, 50, 10),
    "workbook": (5_000, 40),
    "repeats": 3,
    "edits": 51,
    "paints": 21,
    "processes": 11,
    "keys": 20,
    "window project": (5_000, 40),
    "team": (20, 500),
}
QUICK = {
    "project": (200, 8, 3),
    "big project": (400, 8, 3),
    "workbook": (60, 5),
    "repeats": 2,
    "edits": 5,
    "paints": 3,
    "processes": 2,
    "keys": 3,
    "window project": (100, 6),
    "team": (2, 10),
}


def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
    }


def run(sizes: dict, folder: Path, progress) -> list[figures.Figure]:  # noqa: ANN001
    n_evidence, n_hypotheses, n_analysts = sizes["project"]
    size = f"{n_evidence:,} x {n_hypotheses} x {n_analysts}"
    progress(f"building a {size} project file")
    project_path = figures.create_project_file(
        folder / "synthetic.achwb", n_evidence, n_hypotheses, n_analysts
    )
    results = []
    progress("open + score")
    results.append(figures.open_and_score(project_path, size, sizes["repeats"]))
    progress("scoring")
    results.append(figures.scoring(n_evidence, n_hypotheses, sizes["repeats"] * 7))
    progress("rating edits")
    results.append(figures.rating_edit(project_path, sizes["edits"]))
    rows, columns = sizes["workbook"]
    progress("workbook import")
    results.append(figures.workbook_import(folder, rows, columns, sizes["repeats"]))
    progress("workbook export")
    results.append(figures.workbook_export(folder, rows, columns, sizes["repeats"]))
    progress("painting the matrix")
    results.append(figures.matrix_paint(project_path, sizes["paints"]))
    progress("command line")
    example = folder / "example.achwb"
    from workbench.exchange.example import load_example
    from workbench.store import ProjectFile

    ProjectFile.create(example, load_example()).close()
    results.append(figures.cli_score(example, sizes["processes"]))
    results.append(figures.cli_version(sizes["processes"]))
    progress("the window")
    results.append(figures.startup(example, sizes["processes"]))
    results.extend(figures.window_figures(project_path, size, sizes["keys"]))
    window_e, window_h = sizes["window project"]
    window_size = f"{window_e:,} x {window_h}"
    window_path = figures.create_project_file(folder / "window.achwb", window_e, window_h, 1)
    results.append(figures.window_open(window_path, window_size, 5))
    progress("peak memory")
    results.append(figures.peak_memory(project_path, size, n_evidence * n_hypotheses * n_analysts))
    big_e, big_h, big_a = sizes["big project"]
    big_size = f"{big_e:,} x {big_h} x {big_a}"
    progress(f"building a {big_size} project file")
    big_path = figures.create_project_file(folder / "big.achwb", big_e, big_h, big_a)
    results.append(figures.peak_memory(big_path, big_size, big_e * big_h * big_a))
    big_path.unlink()
    progress("analysts editing at once on a team server (PostgreSQL)")
    import team_server

    team = team_server.concurrent_edits(*sizes["team"])
    if team is None:
        progress("no PostgreSQL installed: the team-server figure is left out")
    else:
        results.append(team)
    return results


def _target(figure: figures.Figure) -> str:
    if figure.target_on == "ratio":
        return f"<= {figure.target:g}x"
    return f"<= {figure.target:g} {figure.unit}"


def _amount(value: float, unit: str) -> str:
    if unit == "s":
        if value < 0.01:
            return f"{value * 1000:.2f} ms"
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:.0f} {unit}"


def print_table(results: list[figures.Figure], about: dict[str, object]) -> None:
    print(f"machine: {about['cpu']}, {about['cores']} cores, Python {about['python']}")
    print()
    print("| figure | value | baseline | ratio | target | met |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    for figure in results:
        print(
            f"| {figure.name} | {_amount(figure.value, figure.unit)} "
            f"| {_amount(figure.baseline, figure.unit)} | {figure.ratio:.2f}x "
            f"| {_target(figure)} | {'yes' if figure.met else 'NO'} |"
        )
    print()
    for figure in results:
        print(f"- {figure.name}: {figure.note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks it runs")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL

    def progress(text: str) -> None:
        if not args.json:
            print(f"... {text}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="workbench-bench-") as folder:
        results = run(sizes, Path(folder), progress)
    about = machine()
    if args.json:
        document = {"machine": about, "quick": args.quick}
        document["figures"] = [figure.as_json() for figure in results]
        json.dump(document, sys.stdout, indent=2)
        print()
    else:
        print_table(results, about)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
