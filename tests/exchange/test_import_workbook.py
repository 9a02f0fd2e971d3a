"""Our own workbook, exported, edited by a team with openpyxl, and read back (issue 4)."""

from __future__ import annotations

import copy
import dataclasses
import gzip
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from workbench.core.analysis import score_project
from workbench.core.errors import BadInput
from workbench.core.ratings import Level, Rating, evidence_weight
from workbench.core.scoring import score
from workbench.exchange import workbook_layout as book
from workbench.exchange.diff import changes_from_workbook
from workbench.exchange.example import load_example
from workbench.exchange.formats import import_any
from workbench.exchange.workbook_import import is_workbench_workbook, read_workbook
from workbench.exchange.xlsx_export import export_xlsx


@pytest.fixture(scope="module")
def original():
    return load_example()


@pytest.fixture
def project(original):
    return copy.deepcopy(original)


@pytest.fixture(scope="module")
def _exported_once(tmp_path_factory, original) -> Path:
    path = tmp_path_factory.mktemp("export") / "team.xlsx"
    export_xlsx(original, path, layer=original.analysts[0].id, app_version="test")
    return path


@pytest.fixture
def exported(tmp_path, _exported_once) -> Path:
    """This test's own copy of the module's one export (tests edit it)."""
    path = tmp_path / "team.xlsx"
    shutil.copyfile(_exported_once, path)
    return path


def _source_key(project, source_id):
    source = project.source_by_id(source_id)
    return None if source is None else dataclasses.replace(source, id=0)


def test_whole_project_round_trips(exported, original):
    assert is_workbench_workbook(exported)
    incoming = read_workbook(exported)
    assert (incoming.title, incoming.question, incoming.uid) == (
        original.title,
        original.question,
        original.uid,
    )
    assert [dataclasses.replace(h, id=0) for h in incoming.hypotheses] == [
        dataclasses.replace(h, id=0) for h in original.hypotheses
    ]
    for before, after in zip(original.evidence, incoming.evidence, strict=True):
        assert dataclasses.replace(after, id=0, source_id=None) == dataclasses.replace(
            before, id=0, source_id=None
        )
        assert _source_key(incoming, after.source_id) == _source_key(original, before.source_id)
    aid = original.analysts[0].id
    assert np.array_equal(incoming.layer(incoming.analysts[0].id), original.layer(aid))
    assert [a.name for a in incoming.analysts] == [original.analysts[0].name]

    def milestones(p):
        codes = {h.id: h.code for h in p.hypotheses}
        return [
            (codes[m.hypothesis_id], m.indicator, m.expected_by, m.status, m.note)
            for m in p.milestones
        ]

    assert milestones(incoming) == milestones(original)

    def rationales(p):
        names = {a.id: a.name for a in p.analysts}
        e = {x.id: x.code for x in p.evidence}
        h = {x.id: x.code for x in p.hypotheses}
        return {(names[a], e[i], h[j]): text for (a, i, j), text in p.rationales.items()}

    assert rationales(incoming) == rationales(original)
    assert len(original.rationales) > 0 and len(original.milestones) > 0


def test_unchanged_workbook_plans_nothing(exported, project):
    plan = changes_from_workbook(project, read_workbook(exported), project.analysts[0].id)
    assert plan.is_empty
    assert plan.summary() == ["No changes: the workbook matches the project."]


def _matrix_row(sheet, code: str) -> int:
    for row in range(book.MATRIX_FIRST_EVIDENCE_ROW, sheet.max_row + 1):
        if sheet.cell(row, book.ID_COLUMN).value == code:
            return row
    raise KeyError(code)


def _hypothesis_column(sheet, code: str) -> int:
    for column in range(book.FIRST_HYPOTHESIS_COLUMN, sheet.max_column + 1):
        value = sheet.cell(book.MATRIX_HEADER_ROW, column).value
        if isinstance(value, str) and value.startswith(code + ":"):
            return column
    raise KeyError(code)


def _edit_like_a_team(path: Path, project) -> dict:
    """Change ratings, weights and titles, delete one row, add one; return what was done."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[book.MATRIX_SHEET]
    e1, e2, e3 = (e.code for e in project.evidence[:3])
    h1, h2 = project.hypotheses[0].code, project.hypotheses[1].code
    changed_cells = []
    for code, h_code in ((e1, h1), (e2, h2), (e3, h1)):
        cell = sheet.cell(_matrix_row(sheet, code), _hypothesis_column(sheet, h_code))
        old = Rating.from_code(cell.value or "")
        new = Rating.II if old != Rating.II else Rating.CC
        cell.value = "very inconsistent" if new == Rating.II else "++"
        changed_cells.append((code, h_code))
    sheet.cell(_matrix_row(sheet, e2), book.CREDIBILITY_COLUMN).value = (
        "L" if project.evidence[1].credibility != Level.LOW else "High"
    )
    sheet.cell(_matrix_row(sheet, e3), book.EVIDENCE_COLUMN).value = "Retitled by the team"
    sheet.cell(book.MATRIX_HEADER_ROW, _hypothesis_column(sheet, h2)).value = f"{h2}: New title"
    deleted = project.evidence[5].code
    sheet.delete_rows(_matrix_row(sheet, deleted))
    last = _matrix_row(sheet, project.evidence[-1].code)
    sheet.insert_rows(last + 1)
    sheet.cell(last + 1, book.ID_COLUMN).value = "E999"
    sheet.cell(last + 1, book.EVIDENCE_COLUMN).value = "=Found later"  # text, not a formula
    sheet.cell(last + 1, book.EVIDENCE_COLUMN).data_type = "s"
    sheet.cell(last + 1, book.CREDIBILITY_COLUMN).value = "High"
    for j in range(len(project.hypotheses)):
        sheet.cell(last + 1, book.FIRST_HYPOTHESIS_COLUMN + j).value = "I" if j == 0 else "C"
    workbook.save(path)
    return {"cells": changed_cells, "deleted": deleted}


def _score_edited_matrix_by_hand(path: Path):
    """Read the edited Matrix sheet with openpyxl and score it with the spec's formulas."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[book.MATRIX_SHEET]
    n_h = sum(
        1
        for c in range(book.FIRST_HYPOTHESIS_COLUMN, sheet.max_column + 1)
        if str(sheet.cell(book.MATRIX_HEADER_ROW, c).value or "").startswith("H")
    )
    codes, weights, active, ids = [], [], [], []
    header = [c.value for c in sheet[book.MATRIX_HEADER_ROW]]
    active_column = header.index(book.ACTIVE_HEADER)
    words = {"low": Level.LOW, "l": Level.LOW, "high": Level.HIGH, "h": Level.HIGH}
    spelled = {"very inconsistent": "II", "++": "CC", None: ""}
    for row in sheet.iter_rows(min_row=book.MATRIX_FIRST_EVIDENCE_ROW, values_only=True):
        if row[0] in book.SCORE_ROW_LABELS:
            break
        if row[0] is None:
            continue
        ids.append(row[0])
        cred = words.get(str(row[2] or "").lower(), Level.MEDIUM)
        rel = words.get(str(row[3] or "").lower(), Level.MEDIUM)
        weights.append(evidence_weight(cred, rel))
        active.append(row[active_column] != 0)
        cells = row[book.FIRST_HYPOTHESIS_COLUMN - 1 : book.FIRST_HYPOTHESIS_COLUMN - 1 + n_h]
        codes.append([Rating.from_code(spelled.get(v, v)) for v in cells])
    return ids, score(np.array(codes, dtype=np.int8), np.array(weights), np.array(active), None)


def test_team_edits_become_one_undoable_step(exported, project):
    aid = project.analysts[0].id
    done = _edit_like_a_team(exported, project)
    incoming = read_workbook(exported)
    plan = changes_from_workbook(project, incoming, aid, label="Import team.xlsx")

    assert plan.ratings_changed == 3
    assert plan.evidence_added == ["E999"]
    assert plan.evidence_removed == [done["deleted"]]
    e2, e3 = project.evidence[1].code, project.evidence[2].code
    assert plan.evidence_changed == {e2: ["credibility"], e3: ["title"]}
    assert plan.hypotheses_changed == {project.hypotheses[1].code: ["title"]}
    assert (plan.hypotheses_added, plan.hypotheses_removed) == ([], [])
    summary = plan.summary()
    assert "3 ratings changed" in summary
    assert "1 evidence item added: E999" in summary
    assert f"1 evidence item removed: {done['deleted']}" in summary

    before = copy.deepcopy(project)
    batch = plan.as_edit()
    assert batch.label(project) == "Import team.xlsx"
    undo = batch.apply(project)

    ids, expected = _score_edited_matrix_by_hand(exported)
    assert [e.code for e in project.evidence] == ids
    assert project.evidence_by_code("E999").title == "=Found later"
    got = score_project(project, aid)
    for name in ("inconsistency", "weighted_inconsistency", "consistency", "normalized"):
        assert np.allclose(getattr(got, name), getattr(expected, name), atol=1e-9), name
    assert np.array_equal(got.rank, expected.rank)

    undo.apply(project)
    assert [e.code for e in project.evidence] == [e.code for e in before.evidence]
    assert np.array_equal(project.layer(aid), before.layer(aid))
    assert project.evidence == before.evidence and project.hypotheses == before.hypotheses


def test_sorted_rows_change_nothing(exported, project):
    """Identity is by code: a team that re-sorts the matrix changes no rating."""
    workbook = openpyxl.load_workbook(exported)
    sheet = workbook[book.MATRIX_SHEET]
    first = book.MATRIX_FIRST_EVIDENCE_ROW
    n = len(project.evidence)
    rows = [[c.value for c in sheet[r]] for r in range(first, first + n)]
    for offset, values in enumerate(reversed(rows)):
        for column, value in enumerate(values, 1):
            sheet.cell(first + offset, column).value = value
    workbook.save(exported)
    plan = changes_from_workbook(project, read_workbook(exported), project.analysts[0].id)
    assert plan.is_empty, plan.summary()


def test_evidence_sheet_fields_and_exclusion(exported, project):
    workbook = openpyxl.load_workbook(exported)
    matrix = workbook[book.MATRIX_SHEET]
    active = book.active_column(len(project.hypotheses))
    matrix.cell(_matrix_row(matrix, project.evidence[0].code), active).value = 0
    sheet = workbook[book.EVIDENCE_SHEET]
    headers = [c.value for c in sheet[1]]
    sheet.cell(2, headers.index("Date") + 1).value = "1999-12"
    sheet.cell(2, headers.index("Tags") + 1).value = "alpha, beta"
    workbook.save(exported)
    plan = changes_from_workbook(project, read_workbook(exported), project.analysts[0].id)
    code = project.evidence[0].code
    assert sorted(plan.evidence_changed[code]) == sorted(
        name
        for name in ("active", "date", "tags")
        if name != "active" or project.evidence[0].active
    )
    plan.as_edit().apply(project)
    assert str(project.evidence[0].date) == "1999-12"
    assert project.evidence[0].tags == ["alpha", "beta"]
    assert project.evidence[0].active is False


def test_added_and_removed_hypotheses(exported, project):
    workbook = openpyxl.load_workbook(exported)
    sheet = workbook[book.MATRIX_SHEET]
    removed = project.hypotheses[0].code
    sheet.cell(book.MATRIX_HEADER_ROW, _hypothesis_column(sheet, removed)).value = "H77: Fresh idea"
    workbook.save(exported)
    plan = changes_from_workbook(project, read_workbook(exported), project.analysts[0].id)
    assert plan.hypotheses_removed == [removed]
    assert plan.hypotheses_added == ["H77"]
    assert plan.ratings_changed == 0
    plan.as_edit().apply(project)
    assert project.hypotheses[0].code == "H77"
    assert project.hypothesis_by_code(removed) is None


def test_foreign_workbook_is_refused(exported, project):
    incoming = read_workbook(exported)
    project.uid = "0" * 32
    with pytest.raises(BadInput, match="belongs to another project"):
        changes_from_workbook(project, incoming, project.analysts[0].id)
    plan = changes_from_workbook(project, incoming, project.analysts[0].id, allow_foreign=True)
    assert plan.is_empty


def test_planning_leaves_the_project_untouched(exported, project):
    _edit_like_a_team(exported, project)
    before = copy.deepcopy(project)
    changes_from_workbook(project, read_workbook(exported), project.analysts[0].id)
    assert dataclasses.replace(project, layers={}) == dataclasses.replace(before, layers={})
    assert project.layers.keys() == before.layers.keys()
    assert all(np.array_equal(project.layers[k], before.layers[k]) for k in project.layers)


def test_plain_workbook_is_not_ours(tmp_path):
    path = tmp_path / "plain.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Evidence", "H1"])
    workbook.save(path)
    assert not is_workbench_workbook(path)
    with pytest.raises(BadInput, match="not a workbook exported by ACH Workbench"):
        read_workbook(path)


def test_newer_format_is_refused(exported):
    workbook = openpyxl.load_workbook(exported)
    meta = workbook[book.META_SHEET]
    for row in meta.iter_rows():
        if row[0].value == book.META_FORMAT_VERSION:
            row[1].value = book.FORMAT_VERSION + 1
    workbook.save(exported)
    with pytest.raises(BadInput, match="is newer than this version"):
        read_workbook(exported)


def test_bad_rating_in_edited_workbook_names_the_cell(exported, project):
    workbook = openpyxl.load_workbook(exported)
    sheet = workbook[book.MATRIX_SHEET]
    sheet.cell(book.MATRIX_FIRST_EVIDENCE_ROW + 1, book.FIRST_HYPOTHESIS_COLUMN + 2).value = "??"
    workbook.save(exported)
    with pytest.raises(BadInput, match=r"^team\.xlsx: Matrix!G6: '\?\?' is not a rating"):
        read_workbook(exported)


def test_deleted_sheet_is_refused_rather_than_clearing_data(exported):
    workbook = openpyxl.load_workbook(exported)
    del workbook[book.MILESTONES_SHEET]
    workbook.save(exported)
    with pytest.raises(BadInput) as err:
        read_workbook(exported)
    assert str(err.value).startswith("team.xlsx: the Milestones sheet is missing")


def test_deleted_column_is_refused_rather_than_clearing_data(exported):
    workbook = openpyxl.load_workbook(exported)
    sheet = workbook[book.EVIDENCE_SHEET]
    notes = [c.value for c in sheet[1]].index("Notes") + 1
    sheet.delete_cols(notes)
    workbook.save(exported)
    with pytest.raises(
        BadInput, match=r"^team\.xlsx: Evidence!\w+1: the 'Notes' column is missing"
    ):
        read_workbook(exported)


def test_consensus_export_reads_back_as_the_one_analyst(tmp_path, project):
    """One analyst's consensus is their layer: no invented "Consensus" analyst."""
    path = tmp_path / "consensus.xlsx"
    export_xlsx(project, path, app_version="test")
    incoming = read_workbook(path)
    assert [a.name for a in incoming.analysts] == [a.name for a in project.analysts]
    plan = changes_from_workbook(project, incoming, project.analysts[0].id)
    assert plan.is_empty, plan.summary()


def test_plain_matrix_into_an_open_project_touches_only_what_it_has(tmp_path, project):
    """A colleague's plain CSV says nothing of milestones, rationales or descriptions."""
    aid = project.analysts[0].id
    h1, h2 = project.hypotheses[0], project.hypotheses[1]
    lines = [f"ID,Evidence,Credibility,{h1.code}: {h1.title},{h2.code}: {h2.title}"]
    for i, evidence in enumerate(project.evidence):
        ratings = [Rating(int(project.layer(aid)[i, j])).code for j in (0, 1)]
        if i == 0:
            ratings[0] = "II" if ratings[0] != "II" else "CC"
        title = evidence.title.replace('"', '""')
        lines.append(f'{evidence.code},"{title}",{evidence.credibility.label},' + ",".join(ratings))
    path = tmp_path / "colleague.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    matrix = import_any(path)
    plan = changes_from_workbook(
        project, matrix.project, aid, allow_foreign=True, scope=matrix.scope
    )
    # Two of the hypotheses are not in the sheet: they go (shown before applying);
    # nothing else but the one rating changes.
    assert plan.ratings_changed == 1
    assert plan.evidence_changed == {} and plan.evidence_removed == []
    assert plan.hypotheses_removed == [h.code for h in project.hypotheses[2:]]
    assert plan.project_changed == [] and plan.rationales_changed == 0
    assert plan.milestones_removed == 0

    achz = tmp_path / "parc.achz"
    achz.write_bytes(
        gzip.compress("<MATRIX><HYPOTHESIS><NAME>x</NAME></HYPOTHESIS></MATRIX>".encode("utf-16"))
    )
    parc = import_any(achz)
    parc_plan = changes_from_workbook(
        project, parc.project, aid, allow_foreign=True, scope=parc.scope
    )
    assert parc_plan.project_changed == [] and parc_plan.milestones_removed == 0
    assert len(parc_plan.evidence_removed) == len(project.evidence)
