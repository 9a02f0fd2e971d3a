"""Fixtures of the packaging tests: the built bundle, unpacked elsewhere; a
private X server whose screen can be read back.

These tests are marked ``bundle``: the plain ``pytest`` leaves them out (see
addopts) and ``pytest -m bundle`` runs them, as .ci/run always does. In CI
(CI set) a missing tool fails them instead of skipping them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from bundle_support import BUILD_SCRIPT, ROOT, Bundle, Screen
from ci_tools import require


@pytest.fixture(scope="session")
def built_bundle() -> dict:
    """Build the bundle (or reuse the build of the same sources); its build report."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        require(False, "PyInstaller is not installed (pip install '.[bundle]')")
    require(shutil.which("strip"), "strip (binutils) is not on PATH")
    done = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT)], capture_output=True, text=True, timeout=1800
    )
    assert done.returncode == 0, done.stdout + done.stderr
    print(done.stdout)
    return json.loads((ROOT / "dist" / "bundle" / "build-report.json").read_text())


@pytest.fixture(scope="session")
def bundle(built_bundle, tmp_path_factory) -> Bundle:
    """The archive unpacked in a folder of its own, away from the build and the venv."""
    place = tmp_path_factory.mktemp("elsewhere")
    with tarfile.open(built_bundle["archive"]) as archive:
        archive.extractall(place, filter="tar")
    return Bundle(place / "ach-workbench", built_bundle)


@pytest.fixture
def x_screen(tmp_path) -> Iterator[Screen]:
    """A private Xvfb whose screen is memory-mapped to a file (-fbdir)."""
    xvfb = shutil.which("Xvfb")
    require(xvfb, "Xvfb is not on PATH (Debian: apt-get install -y xvfb)")
    fbdir = Path(tempfile.mkdtemp(dir=tmp_path))
    log = tmp_path / "xvfb.log"
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [str(xvfb), "-displayfd", str(write_end), "-screen", "0", "1600x1000x24"]
        + ["-nolisten", "tcp", "-fbdir", str(fbdir)],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        if not number:
            pytest.fail(f"Xvfb did not start: {log.read_text()}")
        yield Screen(f":{number}", fbdir / "Xvfb_screen0")
    finally:
        server.terminate()
        server.wait(timeout=10)
