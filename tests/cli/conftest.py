"""The command-line tests' fixture: ``workbench_cli``, the command run in this process."""

from __future__ import annotations

import pytest
from cli_runs import run_in_process


@pytest.fixture
def workbench_cli(qapp):  # noqa: ANN001, ANN201 - pytest-qt's QApplication
    """``workbench_cli(*args, cwd=folder)``: :func:`run_in_process`, with the
    QApplication that the window tests share made first."""
    return run_in_process
