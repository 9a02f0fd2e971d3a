"""The expected schema an open compares with is what our mapping and migrations make.

``workbench/store/schema_expected.py`` is generated (``python -m
workbench.store.schema_reference``) so that opening a file needs no SQLAlchemy;
this test fails when the mapping or a migration changed and it was not rerun.
"""

from __future__ import annotations

import pytest

from workbench.store.format import REVISIONS
from workbench.store.schema_expected import EXPECTED
from workbench.store.schema_reference import build


def test_every_version_we_read_has_an_expected_schema():
    assert sorted(EXPECTED) == sorted(REVISIONS)


@pytest.mark.parametrize("version", sorted(REVISIONS))
def test_the_expected_schema_is_what_the_code_makes(version):
    assert build(version) == EXPECTED[version], (
        "the mapping or migrations changed: run python -m workbench.store.schema_reference"
    )
