"""Install without a package index, as the README says: wheels of the project and
its dependencies made on a connected machine, installed with --no-index into a
fresh venv, and the installed program runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bundle_support import ROOT

pytestmark = pytest.mark.bundle


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=1200, **kwargs)
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def test_wheels_install_with_no_index_and_the_program_runs(tmp_path: Path):
    wheels = tmp_path / "wheels"
    # On the connected machine: the project and every dependency as wheels.
    run([sys.executable, "-m", "pip", "wheel", "-q", "--wheel-dir", str(wheels), str(ROOT)])
    names = sorted(p.name.lower() for p in wheels.glob("*.whl"))
    assert any(n.startswith("ach_workbench-") for n in names), names
    assert any(n.startswith("pyside6_essentials-") for n in names), names

    # On the other machine: no index, no pip configuration, nothing but the folder.
    venv = tmp_path / "offline-venv"
    run([sys.executable, "-m", "venv", str(venv)])
    offline = {
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_INDEX": "1",
        # Any attempt to reach an index would fail here rather than quietly succeed.
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
    }
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    run(
        [*pip, "install", "-q", "--no-index", "--find-links", str(wheels), "ach-workbench"],
        env=offline,
    )
    workbench = venv / "bin" / "workbench"
    version = run([str(workbench), "--version"], env=offline)
    assert version.stdout.startswith("workbench ")
    # The installed package carries its resources and migrations: a project file opens.
    run([str(workbench), "example", str(tmp_path / "b.achwb")], env=offline)
    scored = run([str(workbench), "score", str(tmp_path / "b.achwb")], env=offline)
    assert "most diagnostic evidence" in scored.stdout
    # The bundle's build files stay out of the wheel.
    listing = run([*pip, "show", "-f", "ach-workbench"], env=offline).stdout
    assert "resources/bundle" not in listing and "resources/desktop/ach-workbench.svg" in listing
