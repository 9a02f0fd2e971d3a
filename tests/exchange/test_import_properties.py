"""Invariants of the plain matrix import, checked on generated files (hypothesis).

Whatever a file holds, ``read_matrix`` returns a Project or raises BadInput;
and a matrix written with openpyxl in any accepted spelling reads back with the
same ratings, codes and weights.
"""

from __future__ import annotations

import datetime as dt
import gzip
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.errors import BadInput
from workbench.core.model import Project
from workbench.core.ratings import Level, Rating
from workbench.exchange.matrix_import import read_matrix
from workbench.exchange.parc import read_parc

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SPELLINGS = {
    Rating.CC: ["CC", "cc", "++", "Very consistent", "very CONSISTENT"],
    Rating.C: ["C", "c", "+", "Consistent", " consistent "],
    Rating.N: ["N", "n", "0", 0, "Neutral"],
    Rating.I: ["I", "i", "-", "Inconsistent"],
    Rating.II: ["II", "ii", "--", "Very inconsistent"],
    Rating.NA: ["NA", "n/a", "N/A", "Not applicable"],
    Rating.BLANK: [None, "", "  "],
}
LEVEL_SPELLINGS = {
    Level.LOW: ["Low", "L", "l", "LOW"],
    Level.MEDIUM: ["Medium", "Med", "M", None, ""],
    Level.HIGH: ["High", "H", "h"],
}

# Tokens that matter to the importer, mixed with arbitrary printable text.
TOKENS = st.sampled_from(
    [
        "Evidence",
        "evidence",
        "ID",
        "H1: a",
        "h2:",
        "Credibility",
        "Relevance",
        "Type",
        "Date",
        "Source",
        "Notes",
        "Active",
        "Inconsistency",
        "Normalized",
        "C",
        "++",
        "0",
        "NA",
        "maybe",
        "E1",
        "e1",
        "7",
        "2020-13",
        "2020-02",
        "High",
        "TRUE",
        "x",
    ]
)
TEXT = st.one_of(TOKENS, st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12))


def _assert_project_or_bad_input(path: Path) -> None:
    try:
        project = read_matrix(path)
    except BadInput as err:
        assert str(err).startswith(path.name + ": ")
        assert "\n" not in str(err)
        return
    assert isinstance(project, Project)
    assert len(project.analysts) == 1
    layer = project.layer(project.analysts[0].id)
    assert layer.shape == (len(project.evidence), len(project.hypotheses))
    assert len({e.code for e in project.evidence}) == len(project.evidence)
    assert len({h.code for h in project.hypotheses}) == len(project.hypotheses)


@SETTINGS
@given(
    rows=st.lists(st.lists(TEXT, max_size=7), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_any_csv_gives_a_project_or_bad_input(rows, delimiter, encoding):
    text = "\n".join(delimiter.join(cell.replace("\x00", "") for cell in row) for row in rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(text.encode(encoding, errors="replace"))
        _assert_project_or_bad_input(path)


@SETTINGS
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".xlsx", ".ods"]))
def test_any_bytes_give_a_project_or_bad_input(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        _assert_project_or_bad_input(path)


CELL = st.one_of(
    st.none(),
    TEXT.filter(lambda s: not s.startswith("=")),
    st.integers(-5, 3000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
)


@SETTINGS
@given(rows=st.lists(st.lists(CELL, max_size=7), max_size=8))
def test_any_xlsx_gives_a_project_or_bad_input(rows):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xlsx"
        workbook = openpyxl.Workbook()
        for row in rows:
            workbook.active.append(row)
        workbook.save(path)
        _assert_project_or_bad_input(path)


@st.composite
def plain_matrices(draw):
    n_h = draw(st.integers(1, 6))
    n_e = draw(st.integers(0, 8))
    ratings = draw(
        st.lists(
            st.lists(st.sampled_from(list(Rating)), min_size=n_h, max_size=n_h),
            min_size=n_e,
            max_size=n_e,
        )
    )
    credibility = draw(st.lists(st.sampled_from(list(Level)), min_size=n_e, max_size=n_e))
    return {
        "ratings": ratings,
        "credibility": credibility,
        "n_h": n_h,
        "title_rows": draw(st.integers(0, 3)),
        "with_ids": draw(st.booleans()),
        "spell": draw(st.randoms(use_true_random=False)),
    }


@SETTINGS
@given(matrix=plain_matrices())
def test_written_matrix_reads_back_with_the_same_ratings(matrix):
    spell = matrix["spell"]
    ratings, n_h = matrix["ratings"], matrix["n_h"]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Matrix"
    for i in range(matrix["title_rows"]):
        sheet.append([f"Title line {i}"])
    leading = (
        ["ID", "Evidence", "Credibility"] if matrix["with_ids"] else ["Evidence", "Credibility"]
    )
    sheet.append(leading + [f"Hypothesis {j}" for j in range(n_h)])
    codes = [f"E{10 + 3 * i}" for i in range(len(ratings))]
    for code, row, level in zip(codes, ratings, matrix["credibility"], strict=True):
        cells = [f"evidence {code}", spell.choice(LEVEL_SPELLINGS[level])]
        cells += [spell.choice(SPELLINGS[rating]) for rating in row]
        sheet.append(([code] if matrix["with_ids"] else []) + cells)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "matrix.xlsx"
        workbook.save(path)
        project = read_matrix(path)
    expected = np.array(ratings, dtype=np.int8).reshape(len(ratings), n_h)
    assert np.array_equal(project.layer(project.analysts[0].id), expected)
    assert [h.code for h in project.hypotheses] == [f"H{j + 1}" for j in range(n_h)]
    assert [e.credibility for e in project.evidence] == matrix["credibility"]
    if matrix["with_ids"]:
        assert [e.code for e in project.evidence] == codes
    else:
        assert [e.code for e in project.evidence] == [f"E{i + 1}" for i in range(len(ratings))]


PARC_TAGS = st.sampled_from(
    [
        "MATRIX",
        "HYPOTHESIS",
        "EVIDENCE",
        "NAME",
        "VALUES",
        "DATE",
        "CREDIBILITY",
        "RELEVANCE",
        "TYPE",
        "FLAG",
        "LINK",
        "NOTES",
        "CODE",
        "PROJECT-TITLE",
        "ODD",
    ]
)
PARC_TEXT = st.one_of(
    st.sampled_from(
        [
            "I I,C",
            "NA",
            "C C,N,I",
            "HIGH",
            "low",
            "0",
            "1597000000000",
            "-1",
            "true",
            "99999999999999999999",
            "Assumption",
            ",,,",
        ]
    ),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=10),
)


def _xml(tree) -> str:  # noqa: ANN001 - (tag, text, children)
    tag, text, children = tree
    return f"<{tag}>{escape(text)}{''.join(_xml(child) for child in children)}</{tag}>"


PARC_TREES = st.recursive(
    st.tuples(PARC_TAGS, PARC_TEXT, st.just([])),
    lambda inner: st.tuples(PARC_TAGS, PARC_TEXT, st.lists(inner, max_size=4)),
    max_leaves=25,
)


@SETTINGS
@given(tree=PARC_TREES, encoding=st.sampled_from(["utf-16", "utf-8"]))
def test_any_parc_xml_gives_a_project_or_bad_input(tree, encoding):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.achz"
        path.write_bytes(gzip.compress(_xml(tree).encode(encoding)))
        try:
            project = read_parc(path)
        except BadInput as err:
            assert str(err).startswith("fuzz.achz: ")
            return
        layer = project.layer(project.analysts[0].id)
        assert layer.shape == (len(project.evidence), len(project.hypotheses))
