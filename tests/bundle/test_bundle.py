"""The standalone bundle, copied elsewhere and run with an empty environment
(`env -i HOME=... PATH=/usr/bin:/bin`): every command an analyst uses, the
window on a real X server, its size and its start-up against the venv's."""

from __future__ import annotations

import csv
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from bundle_support import ROOT, Bundle, empty_environment, run_bundle, x_screen_image
from ci_tools import require

from workbench.core.ratings import Rating
from workbench.exchange.rating_sheets import RATINGS_SHEET
from workbench.ui.base.palette import RATING_FILL

pytestmark = pytest.mark.bundle

#: The issue's limits (MB of 10^6 bytes) and start-up ratio.
MAX_FOLDER_MB = 160
MAX_ARCHIVE_MB = 70
MAX_START_RATIO = 1.5


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A fresh HOME with the example written by the bundle."""
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def example(bundle: Bundle, home: Path) -> Path:
    made = run_bundle(bundle, "example", "belarus.achwb", home=home)
    assert made.returncode == 0, made.stderr
    return home / "belarus.achwb"


def score(bundle: Bundle, project: Path, home: Path) -> dict:
    done = run_bundle(bundle, "score", str(project), "--json", home=home)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_bundle_fits_the_size_limits(bundle: Bundle):
    files = [p for p in bundle.folder.rglob("*") if p.is_file() and not p.is_symlink()]
    unpacked = sum(p.stat().st_size for p in files) / 1e6
    archive = Path(bundle.report["archive"]).stat().st_size / 1e6
    assert unpacked <= MAX_FOLDER_MB, f"{unpacked:.1f} MB unpacked"
    assert archive <= MAX_ARCHIVE_MB, f"{archive:.1f} MB as .tar.gz"


def test_migrations_example_icons_and_desktop_files_are_inside(bundle: Bundle):
    inside = bundle.folder / "_internal" / "workbench"
    versions = sorted(p.name for p in (inside / "store" / "migrations" / "versions").glob("*.py"))
    assert "schema1_first_release.py" in versions and "schema2_consensus_overrides.py" in versions
    assert (inside / "store" / "migrations" / "env.py").is_file()
    resources = inside / "resources"
    assert (resources / "example" / "belarus.toml").is_file()
    assert (resources / "desktop" / "ach-workbench-mime.xml").is_file()
    assert (resources / "desktop" / "icons" / "256x256" / "ach-workbench.png").is_file()
    assert not (resources / "bundle").exists(), "the build files are not resources"


def test_the_desktop_libraries_come_from_the_system_not_the_build_machine(bundle: Bundle):
    # Bundling X11, GL, fontconfig, GLib or libstdc++ of the build machine would
    # clash with the drivers and settings where it runs, and raise the glibc it needs.
    names = [p.name for p in (bundle.folder / "_internal").rglob("*.so*")]
    system = re.compile(
        r"^lib(X11|xcb|xkbcommon|GL|EGL|fontconfig|freetype|glib-2|gobject|gtk|gdk|pango|"
        r"cairo|dbus-1|wayland|stdc\+\+|gcc_s|cups|expat)\b"
    )
    assert [n for n in names if system.match(n)] == []
    # The oldest glibc it runs on is set by the build machine's Python (libpython)
    # and by the Qt wheel, not raised by the other libraries taken from that machine.
    internal = bundle.folder / "_internal"
    python = max(glibc_needed(p) for p in internal.glob("libpython3*.so*"))
    qt = max(glibc_needed(p) for p in (internal / "PySide6").rglob("*.so*"))
    others = [p for p in internal.glob("lib*.so*") if not p.name.startswith("libpython")]
    assert others and max(glibc_needed(p) for p in others) <= max(python, qt)
    assert ".".join(map(str, max(python, qt))) == bundle.report["glibc"]


def glibc_needed(path: Path) -> tuple[int, ...]:
    versions = re.findall(rb"GLIBC_(\d+)\.(\d+)", path.read_bytes())
    return max((int(a), int(b)) for a, b in versions) if versions else (2, 0)


def test_version_and_help_need_no_python(bundle: Bundle, home: Path):
    done = run_bundle(bundle, "--version", home=home)
    assert done.returncode == 0 and done.stdout.strip() == f"workbench {bundle.report['version']}"
    assert "install-desktop" in run_bundle(bundle, "--help", home=home).stdout


def test_example_and_score(bundle: Bundle, example: Path, home: Path):
    report = score(bundle, example, home)
    assert len(report["hypotheses"]) >= 4 and len(report["evidence"]) >= 50
    table = run_bundle(bundle, "score", str(example), home=home)
    assert table.returncode == 0 and "most diagnostic evidence" in table.stdout


def test_files_of_every_older_schema_open_through_the_bundled_migrations(
    bundle: Bundle, tmp_path: Path
):
    # The Alembic scripts are read as files; a missing one fails only here.
    for old in sorted((ROOT / "tests" / "data").glob("schema*.achwb")):
        copy = tmp_path / old.name
        copy.write_bytes(old.read_bytes())
        done = run_bundle(bundle, "score", str(copy), "--json", home=tmp_path)
        assert done.returncode == 0, (old.name, done.stderr)
        assert json.loads(done.stdout)["hypotheses"]


def test_export_xlsx_and_csv_then_import_round_trips(bundle: Bundle, example: Path, home: Path):
    for name in ("out.xlsx", "out.csv"):
        done = run_bundle(bundle, "export", str(example), name, home=home)
        assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(home / "out.xlsx")
    assert book.sheetnames
    with (home / "out.csv").open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) > 50
    imported = run_bundle(bundle, "import", "out.xlsx", "back.achwb", home=home)
    assert imported.returncode == 0, imported.stderr
    before, after = score(bundle, example, home), score(bundle, home / "back.achwb", home)
    ranks = {h["code"]: h["rank"] for h in before["hypotheses"]}
    assert {h["code"]: h["rank"] for h in after["hypotheses"]} == ranks


def test_report_as_pdf_and_html(bundle: Bundle, example: Path, home: Path):
    for name in ("report.pdf", "report.html"):
        done = run_bundle(bundle, "report", str(example), name, "--annotate", "2020-08", home=home)
        assert done.returncode == 0, done.stderr
    assert (home / "report.pdf").read_bytes()[:5] == b"%PDF-"
    html = (home / "report.html").read_text(encoding="utf-8")
    assert "data:image/svg+xml;base64," in html  # the charts, drawn without Qt
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(home / "report.pdf"), "-"], capture_output=True, text=True
        ).stdout
        assert "Belarus" in text


def test_sheets_out_and_collected_back(bundle: Bundle, example: Path, home: Path):
    done = run_bundle(
        bundle, "sheets", str(example), "--analysts", "Ana,Ben", "--out", "sheets", home=home
    )
    assert done.returncode == 0, done.stderr
    sheets = sorted((home / "sheets").glob("*.xlsx"))
    assert len(sheets) == 2
    # Ana rates one cell, as she would in Excel.
    book = openpyxl.load_workbook(sheets[0])
    sheet = book[RATINGS_SHEET]
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "ID")
    column = next(
        c
        for c in range(1, sheet.max_column + 1)
        if str(sheet.cell(header, c).value or "").startswith("H")
    )
    sheet.cell(header + 1, column).value = "II"
    book.save(sheets[0])
    collected = run_bundle(bundle, "collect", str(example), *map(str, sheets), home=home)
    assert collected.returncode == 0, collected.stderr
    assert "Ana" in collected.stdout and "Ben" in collected.stdout
    team = run_bundle(bundle, "team", str(example), "--json", home=home)
    assert team.returncode == 0, team.stderr


def test_the_window_shows_the_example_matrix_on_x11(bundle: Bundle, x_screen, tmp_path: Path):
    project = tmp_path / "belarus.achwb"
    assert run_bundle(bundle, "example", str(project), home=tmp_path).returncode == 0
    env = empty_environment(tmp_path, DISPLAY=x_screen.display, WORKBENCH_SMOKE_EXIT_MS="3000")
    window = subprocess.Popen(
        bundle.command(str(project)),
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert window.stdout is not None
        line = window.stdout.readline()
        assert "matrix painted" in line, (line, window.stderr.read() if window.stderr else "")
        time.sleep(0.5)  # let the X server take the last of the drawing
        image = x_screen_image(x_screen.framebuffer)
        out, err = window.communicate(timeout=60)
    finally:
        if window.poll() is None:
            window.kill()
    assert window.returncode == 0, err
    assert "window shown on xcb" in out, (out, err)
    image.save(str(tmp_path / "bundle-window.png"))
    colours = {image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, 600, 4)}
    assert len(colours) > 40, f"a nearly blank screen: {len(colours)} colours"
    # The matrix's rating cells, in the window's own colours.
    rgb = {c & 0xFFFFFF for c in colours}
    for side in ((Rating.CC, Rating.C), (Rating.I, Rating.II)):
        fills = [RATING_FILL[rating].rgb() & 0xFFFFFF for rating in side]
        assert any(_near(c, f) for c in rgb for f in fills), f"no {side} cell on screen"


def _near(colour: int, target: int, slack: int = 6) -> bool:
    return all(abs(((colour >> s) & 255) - ((target >> s) & 255)) <= slack for s in (0, 8, 16))


def start_to_matrix(command: list[str], project: Path, display: str, home: Path) -> float:
    """Seconds from starting the process to the example's matrix painted."""
    env = empty_environment(home, DISPLAY=display, WORKBENCH_SMOKE_EXIT_MS="200")
    started = time.monotonic()
    done = subprocess.run(
        [*command, str(project)], env=env, cwd=home, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    match = re.search(r"matrix painted at ([\d.]+)", done.stdout)
    assert match, done.stdout + done.stderr
    return float(match.group(1)) - started


def test_start_up_is_at_most_half_again_the_venvs(bundle: Bundle, x_screen, tmp_path: Path):
    venv_program = Path(sys.executable).with_name("workbench")
    require(venv_program.exists(), "the venv's workbench script is not installed")
    project = tmp_path / "belarus.achwb"
    assert run_bundle(bundle, "example", str(project), home=tmp_path).returncode == 0
    # Alternate, after one warm-up each (the first start reads the files from disk).
    commands = {"bundle": bundle.command(), "venv": [str(venv_program)]}
    times: dict[str, list[float]] = {"bundle": [], "venv": []}
    for command in commands.values():
        start_to_matrix(command, project, x_screen.display, tmp_path)
    for _ in range(5):  # median of 5: one slow start on a busy machine does not decide
        for name, command in commands.items():
            times[name].append(start_to_matrix(command, project, x_screen.display, tmp_path))
    bundle_s, venv_s = statistics.median(times["bundle"]), statistics.median(times["venv"])
    print(f"start to matrix painted: bundle {bundle_s:.2f} s, venv {venv_s:.2f} s")
    assert bundle_s <= MAX_START_RATIO * venv_s, times


def test_install_desktop_from_the_bundle_points_at_the_bundle(bundle: Bundle, tmp_path: Path):
    for name in ("desktop-file-validate", "xdg-mime", "mimetype", "update-mime-database"):
        require(shutil.which(name), f"{name} is not on PATH")
    done = run_bundle(bundle, "install-desktop", home=tmp_path)
    assert done.returncode == 0, done.stderr
    share = tmp_path / ".local" / "share"
    entry = share / "applications" / "ach-workbench.desktop"
    assert f"Exec={bundle.program} %f" in entry.read_text()
    valid = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert valid.returncode == 0 and not valid.stdout, valid.stdout
    assert len(list(share.glob("icons/hicolor/*/apps/ach-workbench.*"))) == 9
    assert run_bundle(bundle, "example", "b.achwb", home=tmp_path).returncode == 0
    kind = subprocess.run(
        ["xdg-mime", "query", "filetype", str(tmp_path / "b.achwb")],
        env=empty_environment(tmp_path),
        capture_output=True,
        text=True,
    )
    assert kind.stdout.strip() == "application/vnd.ach-workbench.project"
    removed = run_bundle(bundle, "install-desktop", "--uninstall", home=tmp_path)
    assert removed.returncode == 0 and not entry.exists()
