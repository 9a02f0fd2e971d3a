"""Tests that need a system tool: skipped on a developer's machine without it,
failed in CI (CI set), whose .ci/run installs every tool the tests use."""

from __future__ import annotations

import os

import pytest


def require(available: object, reason: str) -> None:
    """Skip unless ``available``; in CI a missing tool is a failure, never a skip."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run this test (.ci/run installs what it needs)")
    pytest.skip(reason)
