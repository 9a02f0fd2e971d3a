"""The exported workbook read back with openpyxl: structure, formulas, styles, safety."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import numpy as np
import openpyxl
import pytest
from export_sample_projects import FORMULA_LIKE, formula_like_project, random_project

from workbench.core.analysis import layer_codes, score_project
from workbench.core.model import Project
from workbench.core.ratings import Rating
from workbench.exchange import workbook_layout as layout
from workbench.exchange import xlsx_export
from workbench.exchange.example import load_example
from workbench.exchange.output_file import ExportError
from workbench.exchange.xlsx_export import export_xlsx
from workbench.exchange.xlsx_styles import RATING_COLOURS

SCORE_FIELDS = {
    layout.INCONSISTENCY_LABEL: "inconsistency",
    layout.WEIGHTED_INCONSISTENCY_LABEL: "weighted_inconsistency",
    layout.CONSISTENCY_LABEL: "consistency",
    layout.NORMALIZED_LABEL: "normalized",
}


def _export(project: Project, tmp_path, **kwargs):
    path = tmp_path / "out.xlsx"
    export_xlsx(project, path, app_version="9.9.9", **kwargs)
    return path


@pytest.fixture(scope="module")
def random_book(tmp_path_factory):
    project = random_project(3, n_evidence=25, n_hypotheses=6)
    path = tmp_path_factory.mktemp("book") / "random.xlsx"
    export_xlsx(project, path, app_version="9.9.9")
    return project, openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)


def test_sheets_in_order_and_metadata_identifies_the_project(tmp_path):
    project = load_example()
    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    book = openpyxl.load_workbook(_export(project, tmp_path, exported_at=when))
    assert tuple(book.sheetnames) == layout.SHEET_ORDER
    meta_sheet = book[layout.META_SHEET]
    assert meta_sheet.sheet_state == "hidden"
    rows = list(meta_sheet.iter_rows(values_only=True))
    meta = {row[0]: row[1] for row in rows if row[0] != layout.META_EVIDENCE}
    assert meta == {
        layout.META_FORMAT: layout.FORMAT_NAME,
        layout.META_FORMAT_VERSION: layout.FORMAT_VERSION,
        layout.META_PROJECT_ID: project.uid,
        layout.META_EXPORTED_AT: "2026-01-02T03:04:05Z",
        layout.META_APP_VERSION: "9.9.9",
        layout.META_LAYER: layout.CONSENSUS_LAYER_NAME,
        layout.META_MATRIX_LAYER: project.analysts[0].name,
    }
    order = [row[1] for row in rows if row[0] == layout.META_EVIDENCE]
    assert order == [e.code for e in project.evidence]


def test_matrix_holds_codes_titles_levels_ratings_and_active_flags(random_book):
    project, book, _ = random_book
    sheet = book[layout.MATRIX_SHEET]
    n_h = len(project.hypotheses)
    assert sheet.cell(layout.MATRIX_TITLE_ROW, 1).value == project.title
    assert sheet.cell(layout.MATRIX_QUESTION_ROW, 1).value == project.question
    # (after Active, a hidden unheaded helper: each row's diagnosticity)
    header = [c.value for c in sheet[layout.MATRIX_HEADER_ROW]][: layout.active_column(n_h)]
    assert header == [
        *layout.MATRIX_LEADING_HEADERS,
        *(f"{h.code}: {h.title}" for h in project.hypotheses),
        layout.ACTIVE_HEADER,
    ]
    codes = layer_codes(project)
    for r, item in enumerate(project.evidence):
        row = [c.value for c in sheet[layout.evidence_row(r)]][: layout.active_column(n_h)]
        ratings = [Rating(int(x)).code or None for x in codes[r]]
        level_words = [item.credibility.label, item.relevance.label]
        assert row == [item.code, item.title, *level_words, *ratings, int(item.active)]
    active = openpyxl.utils.get_column_letter(layout.active_column(n_h))
    assert not sheet.column_dimensions[active].hidden  # the one place exclusion is kept
    assert sheet.auto_filter.ref == (
        f"A{layout.MATRIX_HEADER_ROW}:{active}{layout.evidence_row(len(project.evidence) - 1)}"
    )
    assert sheet.freeze_panes == f"C{layout.MATRIX_FIRST_EVIDENCE_ROW}"
    assert any(project.active_mask()) and not all(project.active_mask())  # both kinds present


def test_score_rows_hold_live_formulas_and_the_workbench_numbers(random_book):
    project, book, values = random_book
    sheet, cached = book[layout.MATRIX_SHEET], values[layout.MATRIX_SHEET]
    scores = score_project(project)
    first = layout.first_score_row(len(project.evidence))
    assert sheet.cell(first - 1, 1).value is None  # the one blank row
    for k, label in enumerate(layout.SCORE_ROW_LABELS):
        assert sheet.cell(first + k, 1).value == label
        for c in range(len(project.hypotheses)):
            column = layout.hypothesis_column(c)
            formula = sheet.cell(first + k, column).value
            assert formula.startswith(("=SUMPRODUCT(", "=IF(SUMPRODUCT("))
            expected = getattr(scores, SCORE_FIELDS[label])[c]
            assert cached.cell(first + k, column).value == pytest.approx(expected, abs=1e-12)


def test_rating_and_weight_cells_offer_drop_downs_from_named_lists(random_book):
    project, book, _ = random_book
    sheet = book[layout.MATRIX_SHEET]
    by_formula = {dv.formula1: dv for dv in sheet.data_validations.dataValidation}
    rating, level = by_formula[layout.RATING_SCALE_NAME], by_formula[layout.WEIGHT_LEVELS_NAME]
    assert rating.type == level.type == "list"
    assert rating.showInputMessage and rating.prompt  # the scale, shown on entering a cell
    active = by_formula['"1,0"']
    assert active.showInputMessage
    last = layout.evidence_row(len(project.evidence) - 1)
    last_col = openpyxl.utils.get_column_letter(layout.active_column(len(project.hypotheses)) - 1)
    assert str(rating.sqref) == f"E{layout.MATRIX_FIRST_EVIDENCE_ROW}:{last_col}{last}"
    assert str(level.sqref) == f"C{layout.MATRIX_FIRST_EVIDENCE_ROW}:D{last}"

    def listed(name):
        sheet_name, cells = next(book.defined_names[name].destinations)
        return [row[0].value for row in book[sheet_name][cells.replace("$", "")]]

    assert listed(layout.RATING_SCALE_NAME) == list(layout.RATING_CHOICES)
    assert listed(layout.WEIGHT_LEVELS_NAME) == list(layout.LEVEL_CHOICES)


def test_ratings_are_coloured_with_the_palette_and_excluded_rows_greyed_first(random_book):
    project, book, _ = random_book
    formats = book[layout.MATRIX_SHEET].conditional_formatting
    ratings_range = next(cf for cf in formats if str(cf.sqref).startswith("E"))
    rules = sorted(ratings_range.rules, key=lambda rule: rule.priority)
    active = openpyxl.utils.get_column_letter(layout.active_column(len(project.hypotheses)))
    row = layout.MATRIX_FIRST_EVIDENCE_ROW
    assert rules[0].formula == [f'AND(${active}{row}=0,${active}{row}<>"")']
    every = [rule.priority for cf in formats for rule in cf.rules]
    assert len(every) == len(set(every))  # unique priorities
    assert rules[0].stopIfTrue and rules[0].dxf.font.i
    colours = {
        rule.formula[0].strip('"'): (rule.dxf.fill.bgColor.rgb[-6:], rule.dxf.font.color.rgb[-6:])
        for rule in rules[1:]
    }
    assert colours == RATING_COLOURS


def test_print_setup_is_landscape_fit_to_width_with_the_header_repeated(random_book):
    _, book, _ = random_book
    sheet = book[layout.MATRIX_SHEET]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${layout.MATRIX_HEADER_ROW}:${layout.MATRIX_HEADER_ROW}"


def test_record_sheets_carry_every_field(random_book):
    """Stored fields are values; what the Matrix holds is a formula of it (see the
    LibreOffice tests for the values those formulas give)."""
    project, book, _ = random_book
    evidence = list(book[layout.EVIDENCE_SHEET].iter_rows(values_only=True))
    assert evidence[0] == layout.EVIDENCE_HEADERS
    sources = {s.id: (s, layout.source_ref(i)) for i, s in enumerate(project.sources)}
    for item, row in zip(project.evidence, evidence[1:], strict=True):
        _, ref = sources.get(item.source_id, (None, None))
        fields = dict(zip(layout.EVIDENCE_HEADERS, row, strict=True))
        assert (fields["ID"], fields["Description"], fields["Type"]) == (
            item.code,
            item.description or None,
            item.type.label,
        )
        assert fields["Date"] == (str(item.date) if item.date else None)
        assert (fields["Source ref"], fields["Locator"]) == (ref, item.locator or None)
        assert fields["Tags"] == (", ".join(item.tags) or None)
        assert fields["Notes"] == (item.notes or None)
        for name in layout.EVIDENCE_DERIVED:
            assert str(fields[name]).startswith("="), name
    hypotheses = list(book[layout.HYPOTHESES_SHEET].iter_rows(values_only=True))
    assert [(h[0], h[2], h[3]) for h in hypotheses[1:]] == [
        (h.code, None, h.prior) for h in project.hypotheses
    ]
    assert all(str(h[1]).startswith("=") for h in hypotheses[1:])
    source_rows = list(book[layout.SOURCES_SHEET].iter_rows(values_only=True))
    assert [row[0] for row in source_rows[1:]] == ["S1", "S2", "S3"]
    assert source_rows[1][2:4] == (project.sources[0].author, project.sources[0].year)
    milestone = list(book[layout.MILESTONES_SHEET].iter_rows(values_only=True))[1]
    m = project.milestones[0]
    assert milestone == ("H1", m.indicator, str(m.expected_by), m.status.label, m.note)
    for name in (layout.EVIDENCE_SHEET, layout.HYPOTHESES_SHEET, layout.RATIONALES_SHEET):
        sheet = book[name]
        assert sheet.auto_filter.ref.endswith(str(sheet.max_row)), name


def test_scores_sheet_is_live_with_a_chart(random_book, tmp_path):
    project, book, _ = random_book
    rows = list(book[layout.SCORES_SHEET].iter_rows(values_only=True))
    assert rows[0][: len(layout.SCORES_HEADERS)] == layout.SCORES_HEADERS
    assert len(rows) == len(project.hypotheses) + 1
    assert all(isinstance(v, str) and v.startswith("=") for row in rows[1:] for v in row)
    path = _export(project, tmp_path)
    with zipfile.ZipFile(path) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "<barChart>" in chart and "Scores'!$E$2:$E$7" in chart


def test_rationales_are_comments_and_a_sheet_for_every_analyst(tmp_path):
    project = random_project(11, n_evidence=12, n_hypotheses=4, n_analysts=2)
    book = openpyxl.load_workbook(_export(project, tmp_path))
    names = {a.id: a.name for a in project.analysts}
    rows = list(book[layout.RATIONALES_SHEET].iter_rows(values_only=True))
    assert rows[0] == layout.RATIONALES_HEADERS
    expected = set()
    for (aid, eid, hid), note in project.rationales.items():
        rating = project.rating(aid, eid, hid)
        e, h = project.evidence_by_id(eid), project.hypothesis_by_id(hid)
        expected.add((e.code, h.code, names[aid], note))
        r, c = project.evidence_index(eid), project.hypothesis_index(hid)
        comment = book[layout.MATRIX_SHEET].cell(layout.evidence_row(r), 5 + c).comment
        assert f"{names[aid]} ({rating.code or 'not rated'}): {note}" in comment.text
    assert set(rows[1:]) == expected and len(rows) - 1 == len(expected)


def test_one_analysts_layer_is_exported_as_such(tmp_path):
    project = random_project(5, n_evidence=10, n_hypotheses=3, n_analysts=2)
    second = project.analysts[1]
    book = openpyxl.load_workbook(_export(project, tmp_path, layer=second.id))
    sheet = book[layout.MATRIX_SHEET]
    got = [
        [c.value for c in row]
        for row in sheet.iter_rows(min_row=5, max_row=14, min_col=5, max_col=7)
    ]
    want = [[Rating(int(x)).code or None for x in row] for row in project.layer(second.id)]
    assert got == want
    meta = dict(book[layout.META_SHEET].iter_rows(values_only=True))
    assert meta[layout.META_ANALYST] == meta[layout.META_LAYER] == second.name
    with pytest.raises(ExportError, match="no analyst"):
        export_xlsx(project, tmp_path / "x.xlsx", layer=12345, app_version="1")


@pytest.mark.parametrize("shape", [(0, 0), (0, 3), (4, 0)])
def test_empty_matrices_export_with_zero_scores(tmp_path, shape):
    project = random_project(1, n_evidence=shape[0], n_hypotheses=shape[1])
    path = _export(project, tmp_path)
    sheet = openpyxl.load_workbook(path, data_only=True)[layout.MATRIX_SHEET]
    first = layout.first_score_row(shape[0])
    assert [sheet.cell(first + k, 1).value for k in range(4)] == list(layout.SCORE_ROW_LABELS)
    values = [sheet.cell(first + k, 5 + c).value for k in range(4) for c in range(shape[1])]
    assert values == [0.0] * (4 * shape[1])


def test_formula_like_user_text_stays_text_everywhere(tmp_path):
    project = formula_like_project()
    book = openpyxl.load_workbook(_export(project, tmp_path))
    found: dict[str, int] = dict.fromkeys(FORMULA_LIKE, 0)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
                    if cell.data_type == "f" and value.split(": ", 1)[-1] not in FORMULA_LIKE:
                        continue  # one of the workbook's own formulas
                    assert cell.data_type == "s", f"{sheet.title}!{cell.coordinate} {value!r}"
                    found[value.split(": ", 1)[-1].split(", ")[0]] = 1
    assert all(found.values()), found
    with zipfile.ZipFile(tmp_path / "out.xlsx") as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        formulas = [
            f for name in sheets for f in re.findall(r"<f>([^<]*)</f>", archive.read(name).decode())
        ]
    assert formulas and not any(f in FORMULA_LIKE or "HYPERLINK" in f for f in formulas)


def test_control_characters_become_spaces_or_line_breaks_and_overlong_text_refused(tmp_path):
    project = random_project(2, n_evidence=2, n_hypotheses=2)
    project.evidence[0].title = "bell\x07and tab\tkept\r\nnext\rline\x0bend"
    sheet = openpyxl.load_workbook(_export(project, tmp_path))[layout.MATRIX_SHEET]
    assert sheet.cell(layout.evidence_row(0), 2).value == "bell and tab\tkept\nnext\nline\nend"
    project.evidence[1].notes = "x" * 40_000
    with pytest.raises(ExportError, match="Evidence E2 notes has 40,000 characters"):
        _export(project, tmp_path)


def test_a_failed_export_leaves_the_old_file_and_nothing_else(tmp_path, monkeypatch):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"the analyst's previous export")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsx_export, "write_cached_values", broken)
    with pytest.raises(ExportError, match="No space left on device"):
        export_xlsx(random_project(1, 3, 2), target, app_version="1")
    assert target.read_bytes() == b"the analyst's previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
    with pytest.raises(ExportError, match="does not exist"):
        export_xlsx(random_project(1, 3, 2), tmp_path / "missing" / "x.xlsx", app_version="1")


def test_consensus_with_override_is_noted_in_the_comment(tmp_path):
    from workbench.core.model import ConsensusOverride

    project = random_project(9, n_evidence=3, n_hypotheses=2, n_analysts=2)
    e, h = project.evidence[0], project.hypotheses[1]
    project.overrides[(e.id, h.id)] = ConsensusOverride(Rating.II, "agreed in the meeting")
    sheet = openpyxl.load_workbook(_export(project, tmp_path))[layout.MATRIX_SHEET]
    cell = sheet.cell(layout.evidence_row(0), layout.hypothesis_column(1))
    assert cell.value == "II"
    assert "Consensus set by the facilitator (II): agreed in the meeting" in cell.comment.text
    assert np.array_equal(layer_codes(project)[0, 1], Rating.II)


@pytest.mark.parametrize("limit", [50_000, 0], ids=["small: centred", "large: unstyled"])
def test_rating_cells_keep_codes_and_comments_whether_styled_or_not(tmp_path, monkeypatch, limit):
    from workbench.exchange import xlsx_matrix

    monkeypatch.setattr(xlsx_matrix, "CENTRED_RATINGS_LIMIT", limit)
    project = random_project(12, n_evidence=6, n_hypotheses=3)
    sheet = openpyxl.load_workbook(_export(project, tmp_path))[layout.MATRIX_SHEET]
    codes = layer_codes(project)
    (aid, eid, hid), note = next(iter(project.rationales.items()))
    r, c = project.evidence_index(eid), project.hypothesis_index(hid)
    for row in range(6):
        for column in range(3):
            cell = sheet.cell(layout.evidence_row(row), layout.hypothesis_column(column))
            assert cell.value == (Rating(int(codes[row, column])).code or None)
            assert cell.alignment.horizontal == ("center" if limit else None)
    commented = sheet.cell(layout.evidence_row(r), layout.hypothesis_column(c)).comment
    assert note in commented.text
