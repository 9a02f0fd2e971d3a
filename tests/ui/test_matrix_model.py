"""The matrix and footer models: Qt's model contract, colours, marks, order, speed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from workbench.core.analysis import CONSENSUS, score_project
from workbench.core.edits import SetRating, UpdateEvidence
from workbench.core.model import Analyst, Evidence, EvidenceType, Hypothesis, Project
from workbench.core.ratings import Level, Rating
from workbench.store import ProjectFile
from workbench.ui.base import palette
from workbench.ui.base.document import Document
from workbench.ui.matrix.footer_model import ScoreFooterModel
from workbench.ui.matrix.matrix_model import (
    DIAGNOSTICITY,
    LEADING,
    TITLE,
    MatrixModel,
    RatingRole,
    SortKey,
)


@pytest.fixture
def document(qtbot, example_file: Path):  # noqa: ANN001
    doc = Document(ProjectFile.open(example_file))
    yield doc
    doc.close()


def test_matrix_model_passes_qt_model_tester(document, qtmodeltester):  # noqa: ANN001
    model = MatrixModel(document)
    qtmodeltester.check(model)
    model.set_filter("belarus")
    model.set_sort(SortKey.DIAGNOSTICITY)
    qtmodeltester.check(model)


def test_footer_model_passes_qt_model_tester(document, qtmodeltester):  # noqa: ANN001
    qtmodeltester.check(ScoreFooterModel(document))


def test_rating_cells_use_the_rdbu_palette(document):  # noqa: ANN001
    model = MatrixModel(document)
    project = document.project
    analyst = project.analysts[0].id
    evidence, hypothesis = project.evidence[0], project.hypotheses[0]
    for rating, fill, text in (
        (Rating.CC, "#2166ac", "#ffffff"),
        (Rating.C, "#92c5de", "#1a1a1a"),
        (Rating.N, "#f7f7f7", "#1a1a1a"),
        (Rating.I, "#f4a582", "#1a1a1a"),
        (Rating.II, "#b2182b", "#ffffff"),
        (Rating.NA, "#d9d9d9", "#4d4d4d"),
    ):
        document.do(SetRating(analyst, evidence.id, hypothesis.id, rating))
        index = model.index(0, LEADING)
        assert index.data(Qt.ItemDataRole.DisplayRole) == rating.code
        assert index.data(RatingRole) == int(rating)
        assert index.data(Qt.ItemDataRole.BackgroundRole).name() == fill
        assert index.data(Qt.ItemDataRole.ForegroundRole).name() == text
    document.do(SetRating(analyst, evidence.id, hypothesis.id, Rating.BLANK))
    assert model.index(0, LEADING).data() == ""
    assert model.index(0, LEADING).data(Qt.ItemDataRole.BackgroundRole) is None


def test_non_diagnostic_and_excluded_evidence_are_marked(document):  # noqa: ANN001
    model = MatrixModel(document)
    row = int(np.flatnonzero(document.scores.diagnosticity == 0)[0])
    cell = model.index(model.view_row(row), DIAGNOSTICITY)
    assert cell.data() == "0 · non-diagnostic"
    assert cell.data(Qt.ItemDataRole.FontRole).italic()
    assert "cannot tell them apart" in cell.data(Qt.ItemDataRole.ToolTipRole)

    evidence = document.project.evidence[0]
    document.do(UpdateEvidence(evidence.id, {"active": False}))
    title = model.index(0, TITLE)
    assert title.data(Qt.ItemDataRole.BackgroundRole) == palette.excluded_fill()
    assert title.data(Qt.ItemDataRole.ForegroundRole) == palette.muted_text()
    # Excluded, the item still shows what it would contribute (README, "Diagnosticity").
    expected = document.scores.weighted_diagnosticity[0]
    assert expected > 0
    assert model.index(0, DIAGNOSTICITY).data() == f"excluded · {expected:.2f}"
    assert "would be" in model.index(0, DIAGNOSTICITY).data(Qt.ItemDataRole.ToolTipRole)
    assert "Excluded from scoring" in model.index(0, LEADING).data(Qt.ItemDataRole.ToolTipRole)


def test_cell_tooltip_gives_the_rating_label_and_rationale(document):  # noqa: ANN001
    model = MatrixModel(document)
    project = document.project
    analyst = project.analysts[0].id
    evidence, hypothesis = project.evidence[2], project.hypotheses[1]
    document.do(SetRating(analyst, evidence.id, hypothesis.id, Rating.II, "Flatly contradicts."))
    tip = model.index(2, LEADING + 1).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[0] == f"{evidence.code} x {hypothesis.code}: Very inconsistent (II)"
    assert "Flatly contradicts." in tip


def test_every_score_row_has_a_one_sentence_tooltip(document):  # noqa: ANN001
    footer = ScoreFooterModel(document)
    for row in range(footer.rowCount()):
        label = footer.index(row, 0).data()
        tip = footer.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
        assert label and tip and tip != label
        sentence = tip.strip()
        assert sentence.endswith(".") and ". " not in sentence[:-1], tip  # one sentence


def test_sort_by_weighted_diagnosticity_puts_the_most_diagnostic_first(document):  # noqa: ANN001
    model = MatrixModel(document)
    model.set_sort(SortKey.DIAGNOSTICITY)
    shown = document.scores.weighted_diagnosticity[model.row_order]
    assert np.all(np.diff(shown) <= 0)
    assert sorted(model.row_order.tolist()) == list(range(len(document.project.evidence)))


def test_sort_by_date_and_credibility(document):  # noqa: ANN001
    model = MatrixModel(document)
    evidence = document.project.evidence
    model.set_sort(SortKey.DATE)
    dated = [evidence[r].date for r in model.row_order if evidence[r].date is not None]
    assert dated == sorted(dated, key=lambda d: d.ordinal())
    model.set_sort(SortKey.CREDIBILITY)
    levels = [int(evidence[r].credibility) for r in model.row_order]
    assert levels == sorted(levels, reverse=True)


def test_filter_by_text_and_tag(document):  # noqa: ANN001
    model = MatrixModel(document)
    evidence = document.project.evidence
    tag = next(t for e in evidence for t in e.tags)
    model.set_filter(f"#{tag}")
    expected = [i for i, e in enumerate(evidence) if tag in e.tags]
    assert model.row_order.tolist() == expected
    model.set_filter("Zapad")
    in_text = [
        i
        for i, e in enumerate(evidence)
        if "zapad" in " ".join((e.title, e.description, e.notes, e.locator, *e.tags)).lower()
    ]
    assert in_text and model.row_order.tolist() == in_text
    model.set_filter("")
    assert model.rowCount() == len(evidence)


def big_project(n_evidence: int = 5000, n_hypotheses: int = 40) -> Project:
    rng = np.random.default_rng(7)
    project = Project(title="Big")
    project.hypotheses = [
        Hypothesis(project.new_id(), f"H{i + 1}", f"Hypothesis {i + 1}")
        for i in range(n_hypotheses)
    ]
    levels = list(Level)
    project.evidence = [
        Evidence(
            project.new_id(),
            f"E{i + 1}",
            f"Evidence item number {i + 1}",
            credibility=levels[i % 3],
            relevance=levels[(i // 3) % 3],
        )
        for i in range(n_evidence)
    ]
    layer = rng.integers(0, 7, size=(n_evidence, n_hypotheses)).astype(np.int8)
    project.add_analyst(Analyst(project.new_id(), "A"), layer)
    return project


def test_five_thousand_by_forty_serves_cells_and_scores(qtbot, tmp_path):  # noqa: ANN001
    path = tmp_path / "big.achwb"
    ProjectFile.create(path, big_project()).close()
    document = Document(ProjectFile.open(path))
    try:
        model = MatrixModel(document)
        assert (model.rowCount(), model.columnCount()) == (5000, LEADING + 40)
        # A screenful is about 40 rows x 45 columns, each asked for ~8 roles.
        roles = [
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.TextAlignmentRole,
        ]
        # Every screenful answers (how fast is the paint figure of tests/benchmarks/run.py).
        for top in range(0, 5000, 500):
            for row in range(top, top + 40):
                for column in range(model.columnCount()):
                    index = model.index(row, column)
                    for role in roles:
                        model.data(index, role)

        project = document.project
        document.do(
            SetRating(
                project.analysts[0].id,
                project.evidence[4000].id,
                project.hypotheses[39].id,
                Rating.II,
            )
        )
        expected = score_project(project)
        np.testing.assert_allclose(document.scores.normalized, expected.normalized, atol=1e-9)
    finally:
        document.close()


def test_sources_list_model_passes_qt_model_tester(document, qtmodeltester):  # noqa: ANN001
    from workbench.ui.editors.sources_panel import SourceListModel

    model = SourceListModel(document)
    qtmodeltester.check(model)
    assert model.index(0).data() == document.project.sources[0].cite()


def test_filter_by_type_lists_the_conclusions_apart(document):  # noqa: ANN001
    model = MatrixModel(document)
    evidence = document.project.evidence
    model.set_filter("conclusion")
    conclusions = [i for i, e in enumerate(evidence) if e.type is EvidenceType.CONCLUSION]
    assert conclusions and model.row_order.tolist() == conclusions
    assert not any(evidence[i].active for i in conclusions)


def _shown(model: MatrixModel) -> tuple[list[object], list[object]]:
    """What the views would show that follows the scores: the diagnosticity column
    and the hypothesis headers' bold."""
    cells = [model.index(r, DIAGNOSTICITY).data() for r in range(model.rowCount())]
    bold = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.FontRole) is not None
        for c in range(LEADING, model.columnCount())
    ]
    return cells, bold


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1))
def test_what_the_scores_change_is_announced_and_a_rating_announces_only_its_row(
    qtbot,
    tmp_path_factory,
    full_project,
    seed,  # noqa: ANN001
):
    """Ratings, weights, exclusions, layer switches, sorts and filters in any order:
    every diagnosticity cell and header whose look changed was announced to the
    views, and a rating edit announces nothing outside its own row (Qt repaints the
    whole viewport for a range reaching past the visible rows)."""
    rng = np.random.default_rng(seed)
    path = tmp_path_factory.mktemp("announce") / "p.achwb"
    ProjectFile.create(path, full_project(n_evidence=9, n_hypotheses=4, n_analysts=3)).close()
    document = Document(ProjectFile.open(path))
    model = MatrixModel(document)
    announced: list[tuple[int, int, int, int]] = []
    headers: list[tuple[int, int]] = []
    resets: list[bool] = []
    model.dataChanged.connect(
        lambda a, b, *_: announced.append((a.row(), a.column(), b.row(), b.column()))
    )
    model.headerDataChanged.connect(lambda _o, a, b: headers.append((a, b)))
    model.modelReset.connect(lambda: resets.append(True))
    try:
        project = document.project
        layers = [CONSENSUS, *(a.id for a in project.analysts)]
        for _ in range(25):
            before = _shown(model)
            announced.clear(), headers.clear(), resets.clear()
            step = int(rng.integers(0, 10))
            row = int(rng.integers(0, len(project.evidence)))
            evidence = project.evidence[row]
            rated = step < 5
            if rated:
                analyst = project.analysts[int(rng.integers(0, 3))].id
                hypothesis = project.hypotheses[int(rng.integers(0, 4))].id
                rating = Rating(int(rng.integers(0, len(Rating))))
                document.do(SetRating(analyst, evidence.id, hypothesis, rating))
            elif step == 5:
                level = Level(int(rng.integers(0, 3)))
                document.do(UpdateEvidence(evidence.id, {"credibility": level}))
            elif step == 6:
                document.do(UpdateEvidence(evidence.id, {"active": not evidence.active}))
            elif step == 7:
                document.set_layer(layers[int(rng.integers(0, len(layers)))])
            elif step == 8:
                model.set_sort(list(SortKey)[int(rng.integers(0, len(SortKey)))])
            else:
                model.set_filter(["", "evidence", "1"][int(rng.integers(0, 3))])
            after = _shown(model)
            if resets:
                continue  # the views ask for everything again
            cells_before, bold_before = before
            cells_after, bold_after = after
            for view_row, (old, new) in enumerate(zip(cells_before, cells_after, strict=True)):
                if old != new:
                    assert any(
                        r0 <= view_row <= r1 and c0 <= DIAGNOSTICITY <= c1
                        for r0, c0, r1, c1 in announced
                    ), (view_row, old, new, announced)
            for k, (old, new) in enumerate(zip(bold_before, bold_after, strict=True)):
                if old != new:
                    assert any(a <= LEADING + k <= b for a, b in headers), (k, headers)
            if rated:
                view_row = model.view_row(row)
                assert all(r0 == r1 == view_row for r0, _c0, r1, _c1 in announced), announced
    finally:
        document.close()
