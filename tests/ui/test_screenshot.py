"""`workbench screenshot`: the real window as a PNG, read-only, no display needed."""

from __future__ import annotations

import hashlib
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runs import run_in_process

from workbench.core.errors import BadInput
from workbench.exchange.example import load_example
from workbench.store import ProjectFile
from workbench.ui.screenshot import SIZE, VIEWS, render_screenshot


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG header (IHDR is always the first chunk)."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project_path(tmp_path) -> Path:
    path = tmp_path / "belarus.achwb"
    ProjectFile.create(path, load_example()).close()
    return path


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """A fresh process: the command itself must choose the offscreen platform.

    The refusals below happen before any window exists, so they run the same
    command in this process (``run_in_process``), which costs no interpreter start.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_cli_saves_the_window_at_1600_by_1000_without_a_display(project_path, tmp_path):
    out = tmp_path / "scores.png"
    result = run_cli("screenshot", str(project_path), str(out), "--view", "scores")
    assert result.returncode == 0, result.stderr
    assert png_size(out) == SIZE
    assert "scores view" in result.stdout
    # The offscreen plugin's harmless window-hint notices are not shown to the user.
    assert "propagateSizeHints" not in result.stderr
    assert "Traceback" not in result.stderr


def test_every_dock_and_analysis_page_can_be_pictured():
    from workbench.cli import SCREENSHOT_VIEWS
    from workbench.ui.docks import DOCKS

    assert set(VIEWS) == {"matrix", *(spec.key for spec in DOCKS)}
    assert SCREENSHOT_VIEWS == VIEWS


def test_views_put_different_panels_in_front(qapp, project_path, tmp_path):
    # Evidence and Hypothesis share a tabbed dock; Sensitivity is a page of the
    # analysis area: each puts a different panel in front.
    pictures = {}
    for view in ("evidence", "hypothesis", "sensitivity"):
        out = tmp_path / f"{view}.png"
        render_screenshot(project_path, out, view)
        assert png_size(out) == SIZE
        pictures[view] = digest(out)
    assert len(set(pictures.values())) == 3


def test_a_project_open_for_editing_elsewhere_is_read_not_changed(qapp, project_path, tmp_path):
    before = digest(project_path)
    with ProjectFile.open(project_path) as editing:  # holds the write lock
        assert not editing.read_only
        render_screenshot(project_path, tmp_path / "matrix.png", "matrix")
    assert digest(project_path) == before
    assert png_size(tmp_path / "matrix.png") == SIZE


def test_bad_view_and_bad_output_are_refused_before_anything_is_written(
    qapp, project_path, tmp_path
):
    with pytest.raises(BadInput, match="unknown view 'nonsense'"):
        render_screenshot(project_path, tmp_path / "x.png", "nonsense")
    with pytest.raises(BadInput, match=r"\.png"):
        render_screenshot(project_path, tmp_path / "x.jpg", "matrix")
    with pytest.raises(BadInput, match="does not exist"):
        render_screenshot(project_path, tmp_path / "missing" / "x.png", "matrix")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["belarus.achwb"]


def test_cli_refuses_to_replace_an_existing_picture_without_force(qapp, project_path, tmp_path):
    out = tmp_path / "matrix.png"
    out.write_bytes(b"keep me")
    result = run_in_process("screenshot", str(project_path), str(out), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert out.read_bytes() == b"keep me"


def test_cli_names_a_file_that_is_not_a_project(qapp, tmp_path):
    bogus = tmp_path / "notes.achwb"
    bogus.write_text("not a database")
    out = tmp_path / "out.png"
    result = run_in_process("screenshot", str(bogus), str(out), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "notes.achwb" in result.stderr
    assert not out.exists()
    assert not (tmp_path / "out.png.part").exists()


def test_cli_rejects_an_unknown_view(qapp, project_path, tmp_path):
    args = ("screenshot", str(project_path), str(tmp_path / "x.png"), "--view", "map")
    result = run_in_process(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid choice: 'map'" in result.stderr
