"""The format registry: one table the CLI and the window both read."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workbench.core.analysis import CONSENSUS
from workbench.core.errors import BadInput
from workbench.exchange import formats
from workbench.ui.files import readers


def test_the_window_and_the_cli_read_the_same_table():
    assert readers.IMPORT_SUFFIXES == formats.IMPORT_SUFFIXES
    assert readers.IMPORT_FILTER == formats.IMPORT_FILTER
    for fmt in formats.IMPORTS:
        assert fmt.dialog_filter in formats.IMPORT_FILTER
        for suffix in fmt.suffixes:
            assert "*" + suffix in formats.IMPORT_FILTER
    assert formats.EXPORT_SUFFIXES == (".xlsx", ".csv", ".json")
    assert formats.IMPORT_CHOICES.endswith("or PARC .achz")


def test_export_and_import_go_by_the_table(tmp_path, linchpin_case):
    for suffix in formats.EXPORT_SUFFIXES:
        path = tmp_path / f"case{suffix}"
        formats.export_any(linchpin_case, path, app_version="t")
        imported = formats.import_any(path)
        assert [e.code for e in imported.project.evidence] == ["E1", "E2", "E3"]
    with pytest.raises(BadInput, match=r"export writes .xlsx, .csv or .json"):
        formats.export_any(linchpin_case, tmp_path / "case.ods")
    with pytest.raises(BadInput, match="cannot import a .doc file"):
        formats.import_any(tmp_path / "case.doc")


def test_a_plain_matrix_says_what_it_can_speak_for(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Evidence,H1\nSomething,C\n", encoding="utf-8")
    imported = formats.import_any(path)
    assert not imported.scope.milestones and not imported.scope.rationales


def test_the_registry_loads_without_numpy_and_knows_the_consensus():
    assert formats._CONSENSUS == CONSENSUS
    code = "import sys, workbench.cli; assert 'numpy' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_a_workbook_is_opened_and_checked_once_per_import(tmp_path, linchpin_case, monkeypatch):
    """Which kind of workbook it is and its reading share one open: the safety checks
    inflate and scan every member, so running them twice doubled an import's cost."""
    import openpyxl

    from workbench.exchange import safety

    own = tmp_path / "own.xlsx"
    formats.export_any(linchpin_case, own, app_version="t")
    plain = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Evidence", "H1", "H2"])
    book.active.append(["Something", "C", "I"])
    book.save(plain)
    checked: list[str] = []
    check = safety.check_zip_container
    monkeypatch.setattr(
        safety, "check_zip_container", lambda path, *a: (checked.append(path.name), check(path, *a))
    )
    assert len(formats.import_any(own).project.evidence) == 3
    assert len(formats.import_any(plain).project.evidence) == 1
    assert len(formats.import_any(plain, sheet=book.active.title).project.evidence) == 1
    assert checked == ["own.xlsx", "plain.xlsx", "plain.xlsx"]
