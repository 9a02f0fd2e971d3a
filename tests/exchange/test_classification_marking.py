"""The classification marking travels with every format and is printed on every
exported sheet (header and footer), rating sheet, report page and score JSON."""

from __future__ import annotations

import json
import shutil
import subprocess

import openpyxl
import pytest
from export_sample_projects import random_project

from workbench.cli import main
from workbench.exchange.json_format import from_json, to_json
from workbench.exchange.rating_sheets import write_rating_sheets
from workbench.exchange.workbook_import import read_workbook
from workbench.exchange.xlsx_export import export_xlsx
from workbench.reports.content import build_report
from workbench.reports.html import render_html
from workbench.store import ProjectFile

MARKING = "OFFICIAL-SENSITIVE & NOFORN"


@pytest.fixture
def marked():
    project = random_project(4, n_evidence=6, n_hypotheses=3, n_analysts=2)
    project.classification = MARKING
    return project


def _header_footer(sheet) -> tuple[str | None, str | None]:
    return sheet.oddHeader.center.text, sheet.oddFooter.center.text


def test_every_exported_sheet_carries_the_marking_and_it_reads_back(marked, tmp_path):
    path = tmp_path / "marked.xlsx"
    export_xlsx(marked, path, app_version="test")
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        assert _header_footer(sheet) == (MARKING.replace("&", "&&"),) * 2, sheet.title
    assert read_workbook(path).classification == MARKING
    assert from_json(to_json(marked)).classification == MARKING


def test_rating_sheets_carry_the_marking(marked, tmp_path):
    (sheet_path,) = write_rating_sheets(marked, ["Ana"], tmp_path / "sheets")
    book = openpyxl.load_workbook(sheet_path)
    for sheet in book.worksheets:
        assert _header_footer(sheet) == (MARKING.replace("&", "&&"),) * 2
    # The autofilter reaches the last evidence row, so a sort moves whole rows.
    ratings = book.worksheets[0]
    last = max(cell.row for cell in ratings["A"] if cell.value == marked.evidence[-1].code)
    assert ratings.auto_filter.ref.endswith(str(last))


def test_no_marking_no_header(tmp_path):
    project = random_project(4, n_evidence=3, n_hypotheses=2)
    path = tmp_path / "plain.xlsx"
    export_xlsx(project, path, app_version="test")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert _header_footer(sheet) == (None, None)


def test_html_report_shows_the_marking_at_top_and_bottom(marked):
    html = render_html(build_report(marked, app_version="test"), {})
    body = html.split("<body>", 1)[1]
    assert body.count("OFFICIAL-SENSITIVE &amp; NOFORN") == 2
    assert body.lstrip().startswith('<p class="marking marking-top">')
    assert body.rstrip().endswith(
        '<p class="marking marking-bottom">OFFICIAL-SENSITIVE &amp; NOFORN</p>\n</body></html>'
    )


def test_score_json_gains_the_classification_key_last(marked, tmp_path, capsys):
    path = tmp_path / "marked.achwb"
    ProjectFile.create(path, marked).close()
    capsys.readouterr()
    assert main(["score", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report) == ["project", "hypotheses", "evidence", "classification"]
    assert report["classification"] == MARKING


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_every_pdf_page_carries_the_marking(marked, tmp_path, qapp):  # noqa: ANN001
    from workbench.reports import write_report

    path = tmp_path / "report.pdf"
    write_report(marked, path, app_version="test")
    pages = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 2
    for page in pages:
        assert page.count(MARKING) == 2, page[:200]
