"""The CSV export: Excel-friendly encoding, exact text, and the same scores after re-import."""

from __future__ import annotations

import csv
import io

import numpy as np
import openpyxl
import pytest
from export_sample_projects import FORMULA_LIKE, formula_like_project, random_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.analysis import layer_codes, score_project
from workbench.core.model import Project
from workbench.core.ratings import Rating
from workbench.exchange import workbook_layout as layout
from workbench.exchange.csv_export import csv_field, escape_field, export_csv, unescape_field
from workbench.exchange.example import load_example
from workbench.exchange.matrix_import import read_matrix
from workbench.exchange.output_file import ExportError

SCORES = ("inconsistency", "weighted_inconsistency", "consistency", "normalized", "rank")


def _rows(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def _assert_same_scores(original: Project, imported: Project) -> None:
    want, got = score_project(original), score_project(imported)
    for name in SCORES:
        np.testing.assert_allclose(getattr(got, name), getattr(want, name), atol=1e-9, rtol=0)


def test_header_rows_and_line_ends_follow_the_layout(tmp_path):
    project = random_project(4, n_evidence=8, n_hypotheses=3, n_analysts=2)
    path = tmp_path / "m.csv"
    export_csv(project, path)
    assert b"\r\n" in path.read_bytes() and b"\n\n" not in path.read_bytes()
    rows = _rows(path)
    assert rows[0] == [
        *layout.MATRIX_LEADING_HEADERS,
        *(f"{h.code}: {h.title}" for h in project.hypotheses),
        layout.ACTIVE_HEADER,
    ]
    codes = layer_codes(project)
    for r, (item, row) in enumerate(zip(project.evidence, rows[1:], strict=True)):
        assert row == [
            item.code,
            item.title,
            item.credibility.label,
            item.relevance.label,
            *(Rating(int(x)).code for x in codes[r]),
            "1" if item.active else "0",
        ]


def test_formula_like_text_is_escaped_and_comes_back_unchanged(tmp_path):
    project = formula_like_project()
    path = tmp_path / "m.csv"
    export_csv(project, path)
    rows = _rows(path)
    assert [row[1] for row in rows[1:]] == ["'" + value for value in FORMULA_LIKE]
    imported = read_matrix(path)
    assert [e.title for e in imported.evidence] == list(FORMULA_LIKE)
    assert [h.title for h in imported.hypotheses] == list(FORMULA_LIKE)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("plain", "plain"),
        ("a,b", '"a,b"'),
        ('say "no"', '"say ""no"""'),
        ("two\nlines", '"two\nlines"'),
        (" padded ", '" padded "'),
        ("-5% growth", "'-5% growth"),
        ("\tSUM", "'\tSUM"),
        ("\rx", '"\'\rx"'),
        ("'=already", "''=already"),
        ("''", "'" * 3),
        ("'Twas", "'Twas"),
        ("'", "'"),
    ],
)
def test_a_field_is_escaped_or_quoted_only_when_needed(value, written):
    assert csv_field(value) == written
    assert unescape_field(next(csv.reader([written]))[0]) == value


@given(st.text())
def test_escaping_is_reversed_exactly_for_every_string(value):
    assert unescape_field(escape_field(value)) == value


def test_the_example_round_trips_through_the_importer_with_the_same_scores(tmp_path):
    project = load_example()
    path = tmp_path / "belarus.csv"
    export_csv(project, path)
    imported = read_matrix(path)
    assert [e.code for e in imported.evidence] == [e.code for e in project.evidence]
    assert [h.code for h in imported.hypotheses] == [h.code for h in project.hypotheses]
    _assert_same_scores(project, imported)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10_000),
    n_evidence=st.integers(1, 25),
    n_hypotheses=st.integers(1, 6),
    n_analysts=st.integers(1, 3),
)
def test_any_project_round_trips_with_the_same_scores(
    tmp_path, seed, n_evidence, n_hypotheses, n_analysts
):
    project = random_project(seed, n_evidence, n_hypotheses, n_analysts)
    path = tmp_path / f"p{seed}.csv"
    export_csv(project, path)
    imported = read_matrix(path)
    assert [e.active for e in imported.evidence] == [e.active for e in project.evidence]
    # The one layer a CSV carries comes back exactly, with codes and weights.
    layer = imported.layer(imported.analysts[0].id)
    assert np.array_equal(layer, layer_codes(project))
    assert [e.code for e in imported.evidence] == [e.code for e in project.evidence]
    assert [(e.credibility, e.relevance) for e in imported.evidence] == [
        (e.credibility, e.relevance) for e in project.evidence
    ]
    _assert_same_scores(project, imported)


def test_an_unknown_analyst_or_folder_is_refused_and_nothing_is_written(tmp_path):
    project = random_project(1, 3, 2)
    with pytest.raises(ExportError, match="no analyst"):
        export_csv(project, tmp_path / "x.csv", layer=999)
    with pytest.raises(ExportError, match="does not exist"):
        export_csv(project, tmp_path / "nowhere" / "x.csv")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.libreoffice
def test_libreoffice_opens_formula_like_fields_as_text(tmp_path, libreoffice):
    """Default CSV options but the character set (README: choose UTF-8): no formula runs."""
    project = formula_like_project()
    project.evidence[0].title = "ünïcødé =1+2"
    path = tmp_path / "m.csv"
    export_csv(project, path)
    converted = libreoffice(path, "xlsx", infilter="CSV:44,34,76,1")
    sheet = openpyxl.load_workbook(converted).active
    titles = [sheet.cell(r, 2) for r in range(2, 2 + len(project.evidence))]
    assert titles[0].value == "ünïcødé =1+2"
    for cell, text in zip(titles[1:], FORMULA_LIKE[1:], strict=True):
        assert (cell.value, cell.data_type) == ("'" + text, "s")
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
