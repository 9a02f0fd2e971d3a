"""The real `workbench PROJECT` opens its window on a real X server (Xvfb).

Every other GUI test runs on Qt's offscreen platform, which needs none of the
X11 client libraries. This one runs the installed program the way an analyst
does, with QT_QPA_PLATFORM unset, so a missing libxcb-* package or a broken
xcb plugin fails CI instead of the analyst's first launch.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

QT_PLUGIN_FAILURE = "Could not load the Qt platform plugin"


def workbench_command() -> list[str]:
    """The installed console script next to this Python, else `python -m workbench`."""
    script = Path(sys.executable).with_name("workbench")
    return [str(script)] if script.exists() else [sys.executable, "-m", "workbench"]


@pytest.fixture
def x_display(tmp_path):
    """A private Xvfb server; yields its DISPLAY value."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not on PATH (Debian: apt-get install -y xvfb)")
    # -displayfd lets the server pick a free display number and write it to us,
    # so parallel runs and a developer's own X server never collide.
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", "1920x1200x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "xvfb.log").open("w"),
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        if not number:
            pytest.fail(f"Xvfb did not start: {(tmp_path / 'xvfb.log').read_text()}")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_window_opens_and_closes_cleanly_on_x11(x_display, tmp_path):
    project = tmp_path / "belarus.achwb"
    made = subprocess.run(
        [*workbench_command(), "example", str(project)], capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr

    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(
        DISPLAY=x_display,
        XDG_SESSION_TYPE="x11",
        WORKBENCH_SMOKE_EXIT_MS="1500",
        # Window geometry and recent files go to a throwaway home, not the developer's.
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_RUNTIME_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [*workbench_command(), str(project)], env=env, capture_output=True, text=True, timeout=120
    )
    assert QT_PLUGIN_FAILURE not in result.stderr
    assert result.returncode == 0, result.stderr
    assert "window shown on xcb" in result.stdout, (result.stdout, result.stderr)
