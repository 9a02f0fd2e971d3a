"""Rating sheets out to three analysts, filled in, collected back: hand-worked results."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.analysis import score_project
from workbench.core.errors import BadInput
from workbench.core.model import Analyst, Evidence, Hypothesis, Project
from workbench.core.ratings import Level, Rating
from workbench.core.team import analyse_team
from workbench.exchange.rating_sheets import (
    RATINGS_SHEET,
    hypothesis_order,
    sheet_file_name,
    write_rating_sheets,
)
from workbench.exchange.rating_sheets_collect import collect_rating_sheets

CC, C, N, I, II, NA, BLANK = (
    Rating.CC,
    Rating.C,
    Rating.N,
    Rating.I,
    Rating.II,
    Rating.NA,
    Rating.BLANK,
)

# What each analyst writes on their sheet: rows E1..E3, columns H1..H3.
FILLED = {
    "Ana": [["C", "I", "N"], ["CC", "C", "I"], ["N", "NA", "II"]],
    "Ben": [["I", "I", "C"], ["I", "C", "II"], ["NA", "NA", "I"]],
    "Cy": [["C", "II", "N"], ["C", "NA", "I"], ["NA", "NA", "I"]],
}


def make_project() -> Project:
    """Ana is already in the project (as after `example` or `import`), with nothing rated."""
    project = Project(title="Team case", question="Who did it?")
    for k in range(3):
        project.insert_hypothesis(
            k, Hypothesis(project.new_id(), f"H{k + 1}", f"Hypothesis {k + 1}")
        )
    levels = [(Level.HIGH, Level.MEDIUM), (Level.MEDIUM, Level.MEDIUM), (Level.LOW, Level.MEDIUM)]
    for r, (cred, rel) in enumerate(levels):
        item = Evidence(project.new_id(), f"E{r + 1}", f"Item {r + 1}", description="Details")
        item.credibility, item.relevance = cred, rel
        project.insert_evidence(r, item)
    project.add_analyst(Analyst(project.new_id(), "Ana"))
    return project


def header_row(sheet) -> int:
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, 1).value == "ID":
            return row
    raise AssertionError("no header row")


def columns_by_code(sheet) -> dict[str, int]:
    row = header_row(sheet)
    found = {}
    for column in range(1, sheet.max_column + 1):
        text = sheet.cell(row, column).value
        if isinstance(text, str) and text[:1] == "H" and ":" in text:
            found[text.split(":")[0]] = column
    return found


def rows_by_code(sheet) -> dict[str, int]:
    first = header_row(sheet) + 1
    return {
        sheet.cell(r, 1).value: r for r in range(first, sheet.max_row + 1) if sheet.cell(r, 1).value
    }


def fill(
    path: Path, grid: list[list[str]], notes: dict[tuple[str, str], str] | None = None
) -> None:
    """What an analyst does in Excel: type ratings (and reasons) by the codes they see."""
    book = openpyxl.load_workbook(path)
    sheet = book[RATINGS_SHEET]
    columns, rows = columns_by_code(sheet), rows_by_code(sheet)
    for r, codes in enumerate(grid):
        for h, code in enumerate(codes):
            # cell(..., value=None) would leave the cell alone: assign to clear it.
            sheet.cell(rows[f"E{r + 1}"], columns[f"H{h + 1}"]).value = code or None
    for (e, h), text in (notes or {}).items():
        sheet.cell(rows[e], columns[h] + 1, text)
    book.save(path)


def set_cell(path: Path, where: str, value: object) -> None:
    book = openpyxl.load_workbook(path)
    book[RATINGS_SHEET][where] = value
    book.save(path)


@pytest.fixture
def sent(tmp_path: Path) -> tuple[Project, dict[str, Path]]:
    project = make_project()
    # The column orders are seeded by the uid: with a random one, all three analysts drew
    # the same order about one run in 36. This one gives each a different order.
    project.uid = "0" * 32
    paths = write_rating_sheets(project, ["Ana", "Ben", "Cy"], tmp_path / "sheets")
    return project, dict(zip(["Ana", "Ben", "Cy"], paths, strict=True))


def test_collected_sheets_give_the_hand_worked_consensus_and_scores(sent) -> None:
    project, paths = sent
    fill(paths["Ana"], FILLED["Ana"], {("E1", "H1"): "the visit was announced"})
    fill(paths["Ben"], FILLED["Ben"], {("E1", "H1"): "the announcement was denied"})
    fill(paths["Cy"], FILLED["Cy"])

    plan = collect_rating_sheets(project, paths.values())
    plan.edit.apply(project)

    assert [a.name for a in project.analysts] == ["Ana", "Ben", "Cy"]
    team = analyse_team(project)
    # E1H1 C,I,C -> mean 1/3 -> N      E1H2 I,I,II -> -4/3 -> I   E1H3 N,C,N -> N
    # E2H1 CC,I,C -> 2/3 -> C          E2H2 C,C,NA -> C           E2H3 I,II,I -> I
    # E3H1 N,NA,NA -> NA (2 NA > 1)    E3H2 NA x3 -> NA           E3H3 II,I,I -> I
    assert team.consensus.tolist() == [[N, I, N], [C, C, I], [NA, NA, I]]
    s8, s2, s14 = math.sqrt(8) / 3, math.sqrt(2) / 3, math.sqrt(14) / 3
    assert team.spread == pytest.approx(
        np.array([[s8, s2, s2], [s14, 0, s2], [0, 0, s2]]), abs=1e-12
    )
    assert team.disputed.tolist() == [[True, False, False], [True, False, False], [False] * 3]
    scores = score_project(project)
    # Weights sqrt 2, 1, 1/sqrt 2; consensus values E1 0,-1,0  E2 1,1,-1  E3 -,-,-1.
    assert scores.weighted_inconsistency == pytest.approx(
        [0.0, math.sqrt(2), 1 + 1 / math.sqrt(2)], abs=1e-9
    )
    assert scores.consistency == pytest.approx([1.0, 1.0, 0.0], abs=1e-9)
    assert scores.rank.tolist() == [1, 2, 3]
    cell = team.cell(0, 0)
    assert [(r.name, r.rating, r.rationale) for r in cell.ratings] == [
        ("Ana", C, "the visit was announced"),
        ("Ben", I, "the announcement was denied"),
        ("Cy", C, ""),
    ]
    reports = {r.analyst: r for r in plan.reports}
    assert (reports["Ana"].new_analyst, reports["Ben"].new_analyst) == (False, True)
    assert (reports["Ana"].ratings, reports["Ana"].changed, reports["Ana"].blank) == (9, 9, 0)
    assert "Ben (new analyst): 9 ratings" in reports["Ben"].describe()


def test_each_analyst_sees_their_own_column_order_and_it_still_collects(sent) -> None:
    project, paths = sent
    orders = {}
    for name, path in paths.items():
        sheet = openpyxl.load_workbook(path)[RATINGS_SHEET]
        columns = columns_by_code(sheet)
        orders[name] = sorted(columns, key=columns.get)
        assert orders[name] == [h.code for h in hypothesis_order(project, name)]
    assert len({tuple(o) for o in orders.values()}) > 1, "the orders should differ"
    # The same analyst gets the same order when the sheet is written again.
    assert hypothesis_order(project, "Ben") == hypothesis_order(project, "Ben")
    fill(paths["Ben"], FILLED["Ben"])
    collect_rating_sheets(project, [paths["Ben"]]).edit.apply(project)
    ben = project.analyst_by_name("Ben")
    assert ben is not None
    expected = [[Rating[c] for c in row] for row in FILLED["Ben"]]
    assert project.layer(ben.id).tolist() == expected


def test_no_shuffle_keeps_the_matrix_order(tmp_path: Path) -> None:
    project = make_project()
    (path,) = write_rating_sheets(project, ["Dee"], tmp_path, shuffle=False)
    columns = columns_by_code(openpyxl.load_workbook(path)[RATINGS_SHEET])
    assert sorted(columns, key=columns.get) == ["H1", "H2", "H3"]


def test_an_existing_analyst_finds_their_ratings_filled_in(tmp_path: Path) -> None:
    project = make_project()
    ana = project.analysts[0]
    e2, h3 = project.evidence[1].id, project.hypotheses[2].id
    project.set_rating(ana.id, e2, h3, II, "=the source retracted")
    (path,) = write_rating_sheets(project, ["ana"], tmp_path)
    sheet = openpyxl.load_workbook(path)[RATINGS_SHEET]
    row, column = rows_by_code(sheet)["E2"], columns_by_code(sheet)["H3"]
    assert sheet.cell(row, column).value == "II"
    note = sheet.cell(row, column + 1)
    assert (note.value, note.data_type) == ("=the source retracted", "s")
    assert sheet.cell(row, columns_by_code(sheet)["H1"]).value is None


def test_the_sheet_explains_the_scale_and_offers_it_as_a_drop_down(sent) -> None:
    _, paths = sent
    book = openpyxl.load_workbook(paths["Cy"])
    sheet = book[RATINGS_SHEET]
    top = " ".join(
        str(sheet.cell(r, 1).value) for r in range(1, header_row(sheet)) if sheet.cell(r, 1).value
    )
    assert "Rating sheet for Cy" in top
    assert "CC = Very consistent" in top and "NA = Not applicable" in top
    assert "II = Very inconsistent" in top
    validations = sheet.data_validations.dataValidation
    assert validations and validations[0].formula1 == '"CC,C,N,I,II,NA"'
    covered = str(validations[0].sqref)
    for column in columns_by_code(sheet).values():
        assert openpyxl.utils.get_column_letter(column) in covered
    header = [sheet.cell(header_row(sheet), c).value for c in range(1, 9)]
    assert header == [
        "ID",
        "Evidence",
        "Type",
        "Date",
        "Source",
        "Credibility",
        "Relevance",
        "Description",
    ]
    e1 = rows_by_code(sheet)["E1"]
    assert [sheet.cell(e1, c).value for c in (2, 6, 7, 8)] == [
        "Item 1",
        "High",
        "Medium",
        "Details",
    ]
    # No scores anywhere on the sheet by default.
    values = {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value}
    assert not any("Inconsistency" in v or v.startswith("=") for v in values)


def test_the_sheet_carries_project_and_analyst(sent) -> None:
    project, paths = sent
    book = openpyxl.load_workbook(paths["Ben"])
    meta = book["_workbench"]
    assert meta.sheet_state == "hidden"
    pairs = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, meta.max_row + 1)}
    assert pairs["format"] == "ach-workbench-ratings"
    assert pairs["project_id"] == project.uid
    assert pairs["analyst"] == "Ben"
    assert len(pairs["codes_digest"]) == 20
    assert book.properties.identifier == project.uid
    custom = {p.name: p.value for p in book.custom_doc_props.props}
    assert custom["project_id"] == project.uid and custom["analyst"] == "Ben"


def test_user_text_stays_text(tmp_path: Path) -> None:
    project = make_project()
    project.evidence[0].title = '=HYPERLINK("http://example.com")'
    project.evidence[1].description = "+1 said the source"
    project.hypotheses[0].title = "@everyone agrees"
    (path,) = write_rating_sheets(project, ["Ana"], tmp_path, shuffle=False)
    sheet = openpyxl.load_workbook(path)[RATINGS_SHEET]
    rows, columns = rows_by_code(sheet), columns_by_code(sheet)
    cells = [
        sheet.cell(rows["E1"], 2),
        sheet.cell(rows["E2"], 8),
        sheet.cell(header_row(sheet), columns["H1"]),
    ]
    assert [c.data_type for c in cells] == ["s", "s", "s"]
    assert cells[0].value == '=HYPERLINK("http://example.com")'


def test_file_names_are_safe_and_never_overwrite(tmp_path: Path) -> None:
    assert sheet_file_name("Ana") == "Ana.xlsx"
    assert sheet_file_name("R/D: Ops") == "R_D_ Ops.xlsx"
    assert sheet_file_name("con") == "con_.xlsx"
    project = make_project()
    write_rating_sheets(project, ["Ana"], tmp_path)
    with pytest.raises(BadInput, match="already exists"):
        write_rating_sheets(project, ["Ana"], tmp_path)
    with pytest.raises(BadInput, match="listed twice"):
        write_rating_sheets(project, ["Ben", "ben"], tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_blank_cells_keep_the_ratings_already_there(tmp_path: Path) -> None:
    project = make_project()
    ana = project.analysts[0]
    e1, h1 = project.evidence[0].id, project.hypotheses[0].id
    project.set_rating(ana.id, e1, h1, CC)
    (path,) = write_rating_sheets(project, ["Ana"], tmp_path)
    grid = [["", "I", ""], ["", "", ""], ["", "", ""]]
    fill(path, grid)  # the analyst deleted her CC and rated one cell
    plan = collect_rating_sheets(project, [path])
    (report,) = plan.reports
    assert (report.ratings, report.changed, report.blank) == (1, 1, 8)
    plan.edit.apply(project)
    assert project.layer(ana.id)[0].tolist() == [CC, I, BLANK]


def snapshot(project: Project) -> tuple:
    return (
        [a.name for a in project.analysts],
        {k: v.tolist() for k, v in project.layers.items()},
        dict(project.rationales),
    )


def test_a_sheet_from_another_project_is_refused(sent, tmp_path: Path) -> None:
    project, paths = sent
    other = make_project()
    (foreign,) = write_rating_sheets(other, ["Dee"], tmp_path / "other")
    fill(paths["Ana"], FILLED["Ana"])
    before = snapshot(project)
    with pytest.raises(BadInput, match=r"Dee\.xlsx: this rating sheet belongs to another project"):
        collect_rating_sheets(project, [paths["Ana"], foreign])
    assert snapshot(project) == before


def test_an_edited_id_is_refused(sent) -> None:
    project, paths = sent
    sheet = openpyxl.load_workbook(paths["Ana"])[RATINGS_SHEET]
    e2 = rows_by_code(sheet)["E2"]
    set_cell(paths["Ana"], f"A{e2}", "E7")
    with pytest.raises(BadInput, match="Ana.xlsx: Ratings: the ID column or the hypothesis"):
        collect_rating_sheets(project, [paths["Ana"]])
    set_cell(paths["Ana"], f"A{e2}", "E1")
    with pytest.raises(BadInput, match=rf"Ana.xlsx: Ratings!A{e2}: evidence E1 appears twice"):
        collect_rating_sheets(project, [paths["Ana"]])


def test_an_edited_hypothesis_header_is_refused(sent) -> None:
    project, paths = sent
    sheet = openpyxl.load_workbook(paths["Cy"])[RATINGS_SHEET]
    column = columns_by_code(sheet)["H2"]
    set_cell(paths["Cy"], sheet.cell(header_row(sheet), column).coordinate, "H5: new idea")
    before = snapshot(project)
    with pytest.raises(BadInput, match="no longer match its fingerprint"):
        collect_rating_sheets(project, paths.values())
    assert snapshot(project) == before


def test_a_wrong_rating_word_names_file_sheet_and_cell(sent) -> None:
    project, paths = sent
    fill(paths["Ana"], FILLED["Ana"])
    fill(paths["Ben"], FILLED["Ben"])
    sheet = openpyxl.load_workbook(paths["Ben"])[RATINGS_SHEET]
    cell = sheet.cell(rows_by_code(sheet)["E3"], columns_by_code(sheet)["H2"]).coordinate
    set_cell(paths["Ben"], cell, "maybe")
    before = snapshot(project)
    with pytest.raises(BadInput) as error:
        collect_rating_sheets(project, paths.values())
    assert str(error.value).startswith(
        f"Ben.xlsx: Ratings!{cell}: 'maybe' is not a rating (accepted: "
    )
    assert snapshot(project) == before


def test_two_sheets_of_one_analyst_are_refused(sent, tmp_path: Path) -> None:
    project, paths = sent
    copy = tmp_path / "ana-again.xlsx"
    copy.write_bytes(paths["Ana"].read_bytes())
    with pytest.raises(BadInput, match="Ana already handed in Ana.xlsx"):
        collect_rating_sheets(project, [paths["Ana"], copy])


def test_a_file_that_is_not_a_rating_sheet_is_refused(tmp_path: Path) -> None:
    project = make_project()
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    with pytest.raises(BadInput, match="plain.xlsx: not a rating sheet"):
        collect_rating_sheets(project, [plain])
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a zip")
    with pytest.raises(BadInput, match="broken.xlsx"):
        collect_rating_sheets(project, [broken])


def test_scores_can_be_shown_and_the_sheet_still_collects(tmp_path: Path) -> None:
    project = make_project()
    (path,) = write_rating_sheets(project, ["Ana"], tmp_path, hide_scores=False, shuffle=False)
    sheet = openpyxl.load_workbook(path)[RATINGS_SHEET]
    labels = [sheet.cell(r, 1).value for r in range(1, sheet.max_row + 1)]
    assert "Weighted inconsistency" in labels
    formula_row = labels.index("Weighted inconsistency") + 1
    assert str(sheet.cell(formula_row, columns_by_code(sheet)["H1"]).value).startswith(
        "=SUMPRODUCT("
    )
    fill(path, FILLED["Ana"])
    collect_rating_sheets(project, [path]).edit.apply(project)
    assert project.layer(project.analysts[0].id)[2].tolist() == [N, NA, II]


def test_an_unchanged_sheet_plans_nothing(tmp_path: Path) -> None:
    project = make_project()
    (path,) = write_rating_sheets(project, ["Ana"], tmp_path)
    plan = collect_rating_sheets(project, [path])
    assert not plan.changes_anything
    assert plan.reports[0].blank == 9


# -- any matrix, any spelling, any column order ------------------------------------------

SPELLINGS = {
    CC: ["CC", "++", "very consistent"],
    C: ["C", "+", "Consistent"],
    N: ["N", "0", 0],
    I: ["I", "-", "inconsistent"],
    II: ["II", "--", "Very Inconsistent"],
    NA: ["NA", "N/A", "not applicable"],
    BLANK: [None, "", "  "],
}


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    shape=st.tuples(st.integers(1, 5), st.integers(1, 6)),
    data=st.data(),
)
def test_whatever_an_analyst_types_lands_in_the_right_cell(tmp_path_factory, shape, data):
    n_evidence, n_hypotheses = shape
    project = Project(title="Random")
    for k in range(n_hypotheses):
        project.insert_hypothesis(k, Hypothesis(project.new_id(), f"H{k + 1}", f"Hyp {k + 1}"))
    for r in range(n_evidence):
        project.insert_evidence(r, Evidence(project.new_id(), f"E{r + 1}", f"Item {r + 1}"))
    folder = tmp_path_factory.mktemp("random")
    (path,) = write_rating_sheets(project, ["Zoe"], folder, seed=data.draw(st.integers(0, 99)))
    grid = [
        [data.draw(st.sampled_from(list(SPELLINGS))) for _ in range(n_hypotheses)]
        for _ in range(n_evidence)
    ]
    book = openpyxl.load_workbook(path)
    sheet = book[RATINGS_SHEET]
    columns, rows = columns_by_code(sheet), rows_by_code(sheet)
    for r, ratings in enumerate(grid):
        for h, rating in enumerate(ratings):
            spelling = data.draw(st.sampled_from(SPELLINGS[rating]))
            sheet.cell(rows[f"E{r + 1}"], columns[f"H{h + 1}"]).value = spelling
    book.save(path)

    plan = collect_rating_sheets(project, [path])
    plan.edit.apply(project)
    zoe = project.analyst_by_name("Zoe")
    assert zoe is not None
    assert project.layer(zoe.id).tolist() == [[int(x) for x in row] for row in grid]
    (report,) = plan.reports
    assert report.blank == sum(row.count(BLANK) for row in grid)


# -- saved again by LibreOffice, as an analyst without Excel would -------------------------


@pytest.mark.libreoffice
def test_a_sheet_saved_by_libreoffice_collects_and_its_scores_agree(
    tmp_path: Path, libreoffice
) -> None:
    project = make_project()
    ana = project.analysts[0]
    e2, h3 = project.evidence[1].id, project.hypotheses[2].id
    project.set_rating(ana.id, e2, h3, BLANK, "=the source retracted")
    (path,) = write_rating_sheets(project, ["Ana"], tmp_path, hide_scores=False)
    fill(path, FILLED["Ana"])
    resaved = libreoffice(path)

    sheet = openpyxl.load_workbook(resaved, data_only=True)[RATINGS_SHEET]
    labels = [sheet.cell(r, 1).value for r in range(1, sheet.max_row + 1)]
    row = labels.index("Weighted inconsistency") + 1
    columns = columns_by_code(sheet)
    shown = [sheet.cell(row, columns[f"H{k}"]).value for k in (1, 2, 3)]
    # Ana alone: E1 +1,-1,0  E2 +2,+1,-1  E3 0,-,-2 with weights sqrt 2, 1, 1/sqrt 2.
    assert shown == pytest.approx([0.0, math.sqrt(2), 1 + math.sqrt(2)], abs=1e-9)

    plan = collect_rating_sheets(project, [resaved])
    plan.edit.apply(project)
    expected = [[Rating[c] for c in row] for row in FILLED["Ana"]]
    assert project.layer(ana.id).tolist() == expected
    # Formula-like text we wrote is still text after LibreOffice saved the file.
    assert project.rationale(ana.id, e2, h3) == "=the source retracted"
    assert all(r.rationales == 0 for r in plan.reports)


def test_evidence_codes_that_are_not_upper_case_still_collect(tmp_path: Path) -> None:
    """Codes such as ``log-1`` come back as written (they were upper-cased and refused)."""
    project = make_project()
    for item, code in zip(project.evidence, ["log-1", "Log-2", "e3"], strict=True):
        item.code = code
    (path,) = write_rating_sheets(project, ["Ana"], tmp_path / "sheets", shuffle=False)
    book = openpyxl.load_workbook(path)
    sheet = book[RATINGS_SHEET]
    rows, columns = rows_by_code(sheet), columns_by_code(sheet)
    assert set(rows) == {"log-1", "Log-2", "e3"}
    sheet.cell(rows["Log-2"], columns["H3"]).value = "II"
    sheet.cell(rows["log-1"], columns["H1"] + 1).value = "seen in the log"
    book.save(path)
    plan = collect_rating_sheets(project, [path])
    plan.edit.apply(project)
    ana = project.analysts[0].id
    assert project.layer(ana)[1, 2] == Rating.II
    assert project.rationale(ana, project.evidence[0].id, project.hypotheses[0].id) == (
        "seen in the log"
    )
