"""The portable bundle: built on Debian 11 "bullseye" (glibc 2.31) by
resources/bundle/build_portable.sh, then run with an empty environment inside
that Debian 11 root (chroot) and on this machine, through the checks of
test_bundle.py: every command an analyst uses, and the window on a real X server.

Marked ``bundle`` and ``portable``. They run when dist/bundle/ holds a portable
build (its build-report.json says built_on 2.31), or when asked with
WORKBENCH_PORTABLE=1, which makes the build first (as root, with network: 6-7
minutes the first time, about 2 after; see the README). Otherwise they are
skipped on a developer's machine and fail in CI, whose .ci/run makes the
portable build just before it runs them (``pytest -m bundle`` on the host
build leaves them out with ``-m "bundle and not portable"``).

    sudo resources/bundle/build_portable.sh
    .venv/bin/pytest -m portable -n 0
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from bundle_support import PORTABLE_SCRIPT, ROOT, Bundle
from ci_tools import require
from test_bundle import (  # noqa: F401  (collected here again, with this module's bundle)
    example,
    glibc_needed,
    test_example_and_score,
    test_export_xlsx_and_csv_then_import_round_trips,
    test_files_of_every_older_schema_open_through_the_bundled_migrations,
    test_migrations_example_icons_and_desktop_files_are_inside,
    test_report_as_pdf_and_html,
    test_sheets_out_and_collected_back,
    test_the_bundle_fits_the_size_limits,
    test_the_desktop_libraries_come_from_the_system_not_the_build_machine,
    test_the_window_shows_the_example_matrix_on_x11,
    test_version_and_help_need_no_python,
)
from test_bundle import (
    test_install_desktop_from_the_bundle_points_at_the_bundle as install_desktop_check,
)
from test_bundle import test_start_up_is_at_most_half_again_the_venvs as start_up_check

pytestmark = [pytest.mark.bundle, pytest.mark.portable]

PORTABLE_GLIBC = (2, 31)
REPORT = ROOT / "dist" / "bundle" / "build-report.json"


def _glibc(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _is_portable(report_path: Path) -> bool:
    if not report_path.exists():
        return False
    report = json.loads(report_path.read_text())
    return _glibc(report.get("built_on") or "0") <= PORTABLE_GLIBC


@pytest.fixture(scope="module")
def portable_report() -> dict:
    """The portable build's report: built now when asked, else the one in dist/."""
    if os.environ.get("WORKBENCH_PORTABLE") == "1":
        done = subprocess.run(
            ["bash", str(PORTABLE_SCRIPT)], capture_output=True, text=True, timeout=3600
        )
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
        print(done.stdout)
    elif not _is_portable(REPORT):
        require(
            False,
            "no portable build in dist/bundle: run resources/bundle/build_portable.sh "
            "(or set WORKBENCH_PORTABLE=1)",
        )
    report = json.loads(REPORT.read_text())
    assert _glibc(report["built_on"]) == PORTABLE_GLIBC, report
    assert _glibc(report["glibc"]) <= PORTABLE_GLIBC, report
    return report


@pytest.fixture(scope="module")
def bullseye_root() -> Path:
    """The Debian 11 root the bundle was built in (build_portable.sh's cache)."""
    require(os.geteuid() == 0, "running inside the Debian 11 root needs root (chroot, mount)")
    require(shutil.which("unshare"), "unshare (util-linux) is not on PATH")
    printed = subprocess.run(
        ["bash", str(PORTABLE_SCRIPT), "--print-root"], capture_output=True, text=True, check=True
    )
    root = Path(printed.stdout.strip())
    require((root / "etc" / "debian_version").exists(), f"no Debian 11 root at {root}")
    # It is what it claims to be: Debian 11, whose C library is glibc 2.31.
    assert (root / "etc" / "debian_version").read_text().startswith("11.")
    assert list((root / "lib" / "x86_64-linux-gnu").glob("libc-2.31.so"))
    return root


def _unpack(report: dict, place: Path) -> Path:
    with tarfile.open(report["archive"]) as archive:
        archive.extractall(place, filter="tar")
    return place / "ach-workbench"


@pytest.fixture(scope="module", params=["bullseye", "host"])
def bundle(request, portable_report, tmp_path_factory) -> Bundle:
    """The portable archive unpacked, run in the Debian 11 root, then on this machine."""
    place = tmp_path_factory.mktemp(f"portable-{request.param}")
    root = request.getfixturevalue("bullseye_root") if request.param == "bullseye" else None
    return Bundle(_unpack(portable_report, place), portable_report, root)


@pytest.fixture(scope="module")
def home(bundle: Bundle, tmp_path_factory) -> Path:
    """A fresh HOME for each place the bundle runs."""
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def host_bundle(portable_report, tmp_path_factory) -> Bundle:
    return Bundle(_unpack(portable_report, tmp_path_factory.mktemp("portable")), portable_report)


def test_every_file_asks_for_glibc_2_31_at_most(bundle: Bundle):
    files = [p for p in bundle.folder.rglob("*") if p.is_file() and not p.is_symlink()]
    elf = [p for p in files if p.read_bytes()[:4] == b"\x7fELF"]
    assert len(elf) > 50
    too_new = {p.name: glibc_needed(p) for p in elf if glibc_needed(p) > PORTABLE_GLIBC}
    assert too_new == {}


def test_start_up_of_the_portable_bundle_on_this_machine(host_bundle: Bundle, x_screen, tmp_path):
    start_up_check(host_bundle, x_screen, tmp_path)


def test_install_desktop_of_the_portable_bundle_on_this_machine(host_bundle: Bundle, tmp_path):
    install_desktop_check(host_bundle, tmp_path)
