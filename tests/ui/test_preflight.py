"""The pre-Qt check: a missing X11 library is one `error:` line with the apt-get fix."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workbench import cli
from workbench.ui import preflight

ICCCM = "libxcb-icccm.so.4"


def missing(*sonames: str):
    return lambda soname: soname not in sonames


@pytest.fixture
def x11_session(monkeypatch):
    """A Linux X11 desktop with no Qt platform override."""
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    monkeypatch.setenv("DISPLAY", ":99")


def test_missing_library_names_it_and_the_debian_package():
    problem = preflight.missing_system_libraries({}, "linux", missing(ICCCM, "libxcb-cursor.so.0"))
    assert problem is not None
    assert "libxcb-icccm.so.4, libxcb-cursor.so.0" in problem
    assert problem.endswith("sudo apt-get install -y libxcb-icccm4 libxcb-cursor0")
    assert "\n" not in problem


def test_every_library_present_is_no_problem():
    assert preflight.missing_system_libraries({}, "linux", lambda soname: True) is None


@pytest.mark.parametrize(
    "environ",
    [
        {"QT_QPA_PLATFORM": "offscreen"},
        {"QT_QPA_PLATFORM": "wayland"},
        {"QT_QPA_PLATFORM": "wayland;xcb"},
        {"XDG_SESSION_TYPE": "wayland"},
    ],
)
def test_platforms_other_than_x11_skip_the_check(environ):
    assert preflight.missing_system_libraries(environ, "linux", missing(ICCCM)) is None


@pytest.mark.parametrize("environ", [{}, {"QT_QPA_PLATFORM": "xcb"}, {"QT_QPA_PLATFORM": "xcb:x"}])
def test_x11_is_checked_by_default_and_when_asked_for(environ):
    assert ICCCM in preflight.missing_system_libraries(environ, "linux", missing(ICCCM))


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_only_linux_is_checked(platform):
    assert preflight.missing_system_libraries({}, platform, missing(ICCCM)) is None


def test_no_display_is_reported_after_the_libraries():
    assert "DISPLAY" in preflight.gui_start_problem({}, "linux", lambda soname: True)
    assert ICCCM in preflight.gui_start_problem({}, "linux", missing(ICCCM))
    assert preflight.gui_start_problem({"DISPLAY": ":0"}, "linux", lambda s: True) is None
    assert preflight.gui_start_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None


def test_the_real_linker_cache_is_read():
    # Qt's own core libraries are on every machine that runs these tests.
    if not sys.platform.startswith("linux"):
        pytest.skip("ldconfig is Linux only")
    assert preflight.library_present("libc.so.6")
    assert not preflight.library_present("libno-such-library-for-workbench.so.9")


def test_library_found_through_ld_library_path(tmp_path, monkeypatch):
    (tmp_path / "libxcb-private.so.1").write_bytes(b"")
    monkeypatch.setenv("LD_LIBRARY_PATH", str(tmp_path))
    assert preflight.library_present("libxcb-private.so.1")


def test_cli_prints_one_error_line_and_exits_2(x11_session, monkeypatch, capsys):
    monkeypatch.setattr(preflight, "library_present", missing(ICCCM, "libxcb-keysyms.so.1"))
    assert cli.main([]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "error: the window cannot open: Qt's X11 plugin needs libxcb-icccm.so.4, "
        "libxcb-keysyms.so.1; on Debian/Ubuntu install them with: "
        "sudo apt-get install -y libxcb-icccm4 libxcb-keysyms1\n"
    )


def test_cli_without_a_display_says_so(x11_session, monkeypatch, capsys):
    monkeypatch.delenv("DISPLAY")
    monkeypatch.setattr(preflight, "library_present", lambda soname: True)
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the window cannot open: no X display")
    assert err.count("\n") == 1


def test_console_script_checks_before_qt_starts(tmp_path):
    """The real `python -m workbench` with a library hidden: no Qt abort, exit 2."""
    # sitecustomize runs in the child before workbench is imported: it hides one library.
    (tmp_path / "sitecustomize.py").write_text(
        "import workbench.ui.preflight as p\n"
        "real = p.library_present\n"
        f"p.library_present = lambda s: s != {ICCCM!r} and real(s)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path), "DISPLAY": ":12345"}
    result = subprocess.run(
        [sys.executable, "-m", "workbench"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: the window cannot open: Qt's X11 plugin needs")
    assert "sudo apt-get install -y libxcb-icccm4" in result.stderr
    assert "Qt platform plugin" not in result.stderr


# Libraries every Debian system has (libc6, libstdc++6, zlib1g, libglib2.0-0 for gthread);
# before glibc 2.34 libdl and libpthread were libc6's files of their own (Debian 11).
BASE_LIBRARIES = (
    "libc.so", "libm.so", "libdl.so", "libpthread.so", "librt.so",
    "libstdc++.so", "libgcc_s.so", "libz.so", "libgthread-2.0",
)  # fmt: skip


def test_the_list_covers_what_the_installed_xcb_plugin_links_against():
    """A PySide6 upgrade that needs one more system library must extend XCB_LIBRARIES."""
    import shutil
    from pathlib import Path

    import PySide6

    objdump = shutil.which("objdump")
    if objdump is None or not sys.platform.startswith("linux"):
        pytest.skip("needs objdump (binutils) on Linux")
    qt = Path(PySide6.__file__).parent / "Qt"
    binaries = [
        qt / "plugins" / "platforms" / "libqxcb.so",
        qt / "lib" / "libQt6XcbQpa.so.6",
        qt / "lib" / "libQt6Gui.so.6",
        qt / "lib" / "libQt6DBus.so.6",
    ]
    needed = set()
    for binary in binaries:
        dump = subprocess.run([objdump, "-p", str(binary)], capture_output=True, text=True).stdout
        needed |= {line.split()[1] for line in dump.splitlines() if "NEEDED" in line}
    system = {
        name
        for name in needed
        if "Qt6" not in name
        and not name.startswith(("libicu", "ld-linux", "libpyside", "libshiboken"))
        and not name.startswith(BASE_LIBRARIES)
    }
    assert "libxcb-icccm.so.4" in system  # the dump was read
    assert system - set(preflight.XCB_LIBRARIES) == set()
