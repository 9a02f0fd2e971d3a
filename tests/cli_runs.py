"""Running the ``workbench`` command in the tests: in this process, or as a user does.

Most of these tests are about what a command does: its exit code, its one
``error:`` line, the files it writes or leaves alone. ``python -m workbench``
is ``sys.exit(workbench.cli.main())``, so :func:`run_in_process` calls
``main`` with the same arguments, the working folder set and stdout/stderr
captured, and returns what a child process would: a ``CompletedProcess``
whose stderr holds the traceback if anything escaped ``main``. A child
process costs half a second of imports, and the hostile corpus alone runs
a hundred commands.

What only a real process shows is still tested through :func:`run_process`:
nothing printed as the interpreter exits, a command that must not hang
(a timeout kills it), kill -9 part way through, and what a command imports.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import traceback
from pathlib import Path

#: Generous: the zip bomb must be refused before it is inflated, so even it is quick.
TIMEOUT_SECONDS = 120


def run_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m workbench ARGS`` with this interpreter (the venv's), as a user runs it."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT_SECONDS,
    )


def run_in_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``workbench.cli.main(ARGS)`` in ``cwd``: the exit code and what it printed.

    Needs a QApplication to exist already (the ``workbench_cli`` fixture in
    ``tests/cli/conftest.py`` asks pytest-qt for one): ``workbench report``
    would otherwise create a bare QGuiApplication, which the window tests
    later run by the same worker could not use.
    """
    from workbench.cli import main

    out, err = io.StringIO(), io.StringIO()
    before = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # as the interpreter turns SystemExit into a status
                if exc.code is None or isinstance(exc.code, int):
                    code = exc.code or 0
                else:
                    print(exc.code, file=sys.stderr)
                    code = 1
            except BaseException:  # escaped main: the interpreter would print it and exit 1
                traceback.print_exc()
                code = 1
    finally:
        os.chdir(before)
    argv = [sys.executable, "-m", "workbench", *args]
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())
