"""Plain matrix import (issue 2): spellings, layouts, encodings and error places."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from workbench.core.analysis import score_project
from workbench.core.dates import PartialDate
from workbench.core.errors import BadInput
from workbench.core.model import EvidenceType
from workbench.core.ratings import Level, Rating
from workbench.exchange.matrix_import import import_matrix, read_matrix


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def layer(project) -> np.ndarray:
    assert len(project.analysts) == 1
    return project.layer(project.analysts[0].id)


SPELLINGS = {
    Rating.CC: ["CC", "cc", "Cc", "++", "Very consistent", "VERY CONSISTENT", " very  consistent "],
    Rating.C: ["C", "c", "+", "Consistent", "consistent", " C "],
    Rating.N: ["N", "n", "0", "Neutral", "NEUTRAL", " 0 "],
    Rating.I: ["I", "i", "-", "Inconsistent", "inCONsistent"],
    Rating.II: ["II", "ii", "iI", "--", "Very inconsistent", "very INCONSISTENT"],
    Rating.NA: ["NA", "na", "N/A", "n/a", "Not applicable", "NOT APPLICABLE"],
    Rating.BLANK: ["", "   ", None],
}
ALL_SPELLINGS = [(spelling, rating) for rating, words in SPELLINGS.items() for spelling in words]


@pytest.mark.parametrize(("spelling", "expected"), ALL_SPELLINGS)
def test_every_spelling_in_xlsx(tmp_path, spelling, expected):
    path = write_xlsx(
        tmp_path / "m.xlsx", {"Matrix": [["Evidence", "H one"], ["first item", spelling]]}
    )
    assert Rating(int(layer(read_matrix(path))[0, 0])) == expected


@pytest.mark.parametrize(("spelling", "expected"), ALL_SPELLINGS)
def test_every_spelling_in_csv(tmp_path, spelling, expected):
    path = tmp_path / "m.csv"
    cell = "" if spelling is None else spelling
    path.write_text(f'Evidence,H one\nfirst item,"{cell}"\n', encoding="utf-8")
    assert Rating(int(layer(read_matrix(path))[0, 0])) == expected


@pytest.mark.parametrize("zero", [0, 0.0])
def test_numeric_zero_is_neutral(tmp_path, zero):
    path = write_xlsx(tmp_path / "m.xlsx", {"S": [["Evidence", "H"], ["e", zero]]})
    assert layer(read_matrix(path))[0, 0] == Rating.N


def test_full_layout_with_optional_columns(tmp_path):
    rows = [
        ["Our team's matrix"],
        [],
        [
            "ID",
            "Evidence",
            "Credibility",
            "Relevance",
            "Type",
            "Date",
            "Source",
            "Notes",
            "H3: Insider",
            "Outsider",
            "Active",
        ],
        [
            "E10",
            "Log shows login",
            "High",
            "l",
            "Event/fact",
            dt.datetime(2020, 8, 9),
            "Reuters",
            "n1",
            "C",
            "II",
            1,
        ],
        [
            "E11",
            "Expert says",
            "Med",
            "H",
            "Expert assessment",
            "2020-08",
            "reuters",
            "",
            "--",
            "+",
            "FALSE",
        ],
        ["e12", "Assumed", "", "", "assumption", 2019, "BBC", "", "n/a", "", True],
    ]
    project = read_matrix(write_xlsx(tmp_path / "case.xlsx", {"Matrix": rows}))
    assert project.title == "case"
    assert [(h.code, h.title) for h in project.hypotheses] == [
        ("H3", "Insider"),
        ("H1", "Outsider"),
    ]
    assert [e.code for e in project.evidence] == ["E10", "E11", "E12"]
    first, second, third = project.evidence
    assert (first.credibility, first.relevance) == (Level.HIGH, Level.LOW)
    assert (second.credibility, second.relevance) == (Level.MEDIUM, Level.HIGH)
    assert (third.credibility, third.relevance) == (Level.MEDIUM, Level.MEDIUM)
    assert [e.type for e in project.evidence] == [
        EvidenceType.EVENT,
        EvidenceType.EXPERT_ASSESSMENT,
        EvidenceType.ASSUMPTION,
    ]
    assert [e.date for e in project.evidence] == [
        PartialDate(2020, 8, 9),
        PartialDate(2020, 8),
        PartialDate(2019),
    ]
    assert [e.active for e in project.evidence] == [True, False, True]
    assert first.notes == "n1"
    # "Reuters" and "reuters" are one source; BBC another.
    assert [s.author for s in project.sources] == ["Reuters", "BBC"]
    assert first.source_id == second.source_id != third.source_id
    assert layer(project).tolist() == [
        [Rating.C, Rating.II],
        [Rating.II, Rating.C],
        [Rating.NA, Rating.BLANK],
    ]
    assert [a.name for a in project.analysts] == ["Analyst"]


def test_analyst_name_and_default_codes(tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {"M": [["evidence ", "A", "B"], ["x", "C", "I"]]})
    project = read_matrix(path, analyst="Dana")
    assert [a.name for a in project.analysts] == ["Dana"]
    assert [h.code for h in project.hypotheses] == ["H1", "H2"]
    assert [e.code for e in project.evidence] == ["E1"]


def test_id_column_after_evidence_and_numeric_ids(tmp_path):
    path = write_xlsx(
        tmp_path / "m.xlsx",
        {"M": [["Evidence", "ID", "H1: a"], ["x", 4, "C"], ["y", None, "I"], ["z", "E1", "N"]]},
    )
    assert [e.code for e in read_matrix(path).evidence] == ["E4", "E2", "E1"]


def test_stops_at_score_rows_and_at_the_first_blank_row(tmp_path):
    rows = [
        ["ID", "Evidence", "H1: a", "H2: b"],
        ["E1", "x", "C", "I"],
        ["E2", "y", "CC", ""],
        ["Inconsistency", None, 1, 2],
        ["Weighted inconsistency", None, 1, 2],
        ["E9", "not evidence", "C", "C"],
    ]
    project = read_matrix(write_xlsx(tmp_path / "m.xlsx", {"Matrix": rows}))
    assert [e.code for e in project.evidence] == ["E1", "E2"]
    rows = [rows[0], rows[1], [], rows[2]]
    read = import_matrix(write_xlsx(tmp_path / "b.xlsx", {"Matrix": rows}))
    project = read.project
    assert [e.code for e in project.evidence] == ["E1"]
    (warning,) = read.warnings
    assert "Matrix row 4: 1 row after the blank row 3 ignored" in warning


def test_scores_of_imported_matrix(tmp_path):
    rows = [
        ["Evidence", "Credibility", "H1", "H2"],
        ["a", "High", "I", "C"],
        ["b", "Low", "II", "N"],
    ]
    scores = score_project(read_matrix(write_xlsx(tmp_path / "m.xlsx", {"S": rows})))
    # H1: 1 * sqrt2 + 2 / sqrt2 = 2 sqrt2 ; H2: nothing inconsistent
    assert scores.weighted_inconsistency.tolist() == pytest.approx([2 * 2**0.5, 0.0], abs=1e-9)
    assert scores.inconsistency.tolist() == [3.0, 0.0]


# -- multi-sheet workbooks ---------------------------------------------------------


def test_first_sheet_with_a_header_wins(tmp_path):
    path = write_xlsx(
        tmp_path / "m.xlsx",
        {
            "Notes": [["just notes"]],
            "Second": [["Evidence", "H"], ["s", "C"]],
            "Third": [["Evidence", "H"], ["t", "I"]],
        },
    )
    assert [e.title for e in read_matrix(path).evidence] == ["s"]
    assert [e.title for e in read_matrix(path, sheet="Third").evidence] == ["t"]


def test_missing_sheet_lists_the_sheets(tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {"One": [["Evidence", "H"]], "Two": [["x"]]})
    with pytest.raises(BadInput, match=r"^m\.xlsx: no sheet named 'Nope' \(sheets: One, Two\)$"):
        read_matrix(path, sheet="Nope")


def test_no_header_names_every_sheet(tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {"Sheet1": [["a"]], "Sheet2": [["b"]]})
    with pytest.raises(BadInput) as err:
        read_matrix(path)
    assert (
        str(err.value) == "m.xlsx: no row with an 'Evidence' header cell in sheets Sheet1, Sheet2"
    )


# -- errors name the file, sheet and cell --------------------------------------------


def _error(path: Path, **kwargs) -> str:
    with pytest.raises(BadInput) as err:
        read_matrix(path, **kwargs)
    return str(err.value)


def test_bad_rating_names_the_cell(tmp_path):
    rows = [["Title"], [], [], ["ID", "Evidence", "Credibility", "Relevance", "H1: a"]]
    rows += [[f"E{i}", "x", "", "", "C"] for i in range(1, 3)] + [["E3", "y", "", "", "maybe"]]
    message = _error(write_xlsx(tmp_path / "matrix.xlsx", {"Matrix": rows}))
    assert message.startswith("matrix.xlsx: Matrix!E7: 'maybe' is not a rating (accepted: CC, ++,")
    assert "Very consistent; C, +, Consistent" in message


def test_numeric_rating_other_than_zero_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {"My sheet": [["Evidence", "H"], ["x", 1]]})
    assert _error(path).startswith("m.xlsx: 'My sheet'!B2: '1' is not a rating")


def test_bad_weight_names_the_cell(tmp_path):
    path = write_xlsx(
        tmp_path / "m.xlsx", {"S": [["Evidence", "Relevance", "H"], ["x", "big", "C"]]}
    )
    message = _error(path)
    assert message.startswith("m.xlsx: S!B2: 'big' is not a weight (accepted: Low, L;")


@pytest.mark.parametrize(
    ("header", "value", "expected"),
    [
        ("Date", "last week", "m.xlsx: S!B2: 'last week' is not a date"),
        ("Active", "perhaps", "m.xlsx: S!B2: 'perhaps' is not TRUE or FALSE"),
    ],
)
def test_bad_fields_name_the_cell(tmp_path, header, value, expected):
    path = write_xlsx(tmp_path / "m.xlsx", {"S": [["Evidence", header, "H"], ["x", value, "C"]]})
    assert _error(path).startswith(expected)


def test_no_hypothesis_columns(tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {"S": [["ID", "Evidence", "Notes"], ["E1", "x", ""]]})
    assert _error(path).startswith("m.xlsx: S!B1: no hypothesis columns after the 'Evidence'")


def test_duplicate_evidence_codes(tmp_path):
    rows = [["ID", "Evidence", "H"], ["E1", "x", "C"], ["E2", "y", "C"], ["e1", "z", "C"]]
    path = write_xlsx(tmp_path / "m.xlsx", {"S": rows})
    assert _error(path) == "m.xlsx: S!A4: evidence code E1 is used twice (also in A2)"


def test_duplicate_hypothesis_codes(tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {"S": [["Evidence", "H1: a", "h1: b"], ["x", "C", "I"]]})
    assert _error(path) == "m.xlsx: S!C1: hypothesis code H1 is used twice (also in B1)"


def test_unsupported_extension(tmp_path):
    path = tmp_path / "m.docx"
    path.write_bytes(b"whatever")
    assert "cannot import .docx files" in _error(path)


def test_missing_file(tmp_path):
    assert _error(tmp_path / "gone.csv") == "gone.csv: no such file"


# -- CSV ------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters(tmp_path, delimiter):
    text = "\n".join(
        delimiter.join(row)
        for row in [["ID", "Evidence", "H1: a, or b", "H2: c"], ["E1", "x", "C", "--"]]
    )
    if delimiter == ",":
        text = text.replace("H1: a, or b", '"H1: a, or b"')
    path = tmp_path / "m.csv"
    path.write_text(text + "\n", encoding="utf-8")
    project = read_matrix(path)
    assert [h.title for h in project.hypotheses] == ["a, or b", "c"]
    assert layer(project).tolist() == [[Rating.C, Rating.II]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings(tmp_path, encoding):
    path = tmp_path / "m.csv"
    path.write_bytes("Evidence;Hypothèse\nÉvidence Œuvre;C\n".encode(encoding))
    project = read_matrix(path)
    assert project.hypotheses[0].title == "Hypothèse"
    assert project.evidence[0].title == "Évidence Œuvre"


def test_csv_utf8_with_characters_outside_cp1252(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes("\ufeffEvidence,H\nÉvidence Ł,C\n".encode())
    assert read_matrix(path).evidence[0].title == "Évidence Ł"


def test_csv_binary_is_refused(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(b"Evidence,H\x00\x01\x02")
    assert _error(path) == "m.csv: this is a binary file, not CSV text"


def test_csv_ragged_row_names_the_cell(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Evidence,H1,H2\nx,C,I\ny,C,I,extra\n", encoding="utf-8")
    assert _error(path).startswith("m.csv: D3: this row has more cells than the header")


def test_csv_sheet_argument_is_refused(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Evidence,H\nx,C\n", encoding="utf-8")
    assert "a CSV file has no sheets" in _error(path, sheet="Matrix")


def test_csv_bad_rating_names_the_cell(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("ID,Evidence,H1\nE1,x,C\nE2,y,yes\n", encoding="utf-8")
    assert _error(path).startswith("m.csv: C3: 'yes' is not a rating (accepted:")


# -- LibreOffice-written files --------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.parametrize("target", ["xlsx", "ods"])
def test_libreoffice_written_file(tmp_path, target, libreoffice):
    source = tmp_path / "lo.csv"
    source.write_text(
        "ID,Evidence,Credibility,H1: Insider,H2: Outsider\n"
        "E1,Login at night,High,C,II\nE2,Expert view,Low,0,N/A\n",
        encoding="utf-8",
    )
    converted = libreoffice(source, target)
    project = read_matrix(converted)
    assert [e.code for e in project.evidence] == ["E1", "E2"]
    assert [h.title for h in project.hypotheses] == ["Insider", "Outsider"]
    # LibreOffice turns the text 0 into a number: still Neutral.
    assert layer(project).tolist() == [[Rating.C, Rating.II], [Rating.N, Rating.NA]]
    assert project.evidence[0].credibility == Level.HIGH


def test_xlsm_is_read_like_xlsx(tmp_path):
    path = write_xlsx(tmp_path / "macro.xlsm", {"Matrix": [["Evidence", "H1: a"], ["x", "++"]]})
    project = read_matrix(path)
    assert project.title == "macro"
    assert layer(project).tolist() == [[Rating.CC]]


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text('Evidence,"=H1: sum"\n"=cmd|calc",C\n@who,I\n', encoding="utf-8")
    project = read_matrix(path)
    assert [e.title for e in project.evidence] == ["=cmd|calc", "@who"]
    assert project.hypotheses[0].title == "=H1: sum"


def test_stray_note_beside_the_matrix_is_not_evidence(tmp_path):
    rows = [["Evidence", "H1: a"], ["x", "C"], [None, None, None, "checked by Kim"]]
    project = read_matrix(write_xlsx(tmp_path / "m.xlsx", {"S": rows}))
    assert [e.title for e in project.evidence] == ["x"]
