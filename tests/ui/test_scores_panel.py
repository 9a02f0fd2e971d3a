"""The scores panel: bars in rank order, the measure switch, live updates, the table."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from workbench.core.edits import SetRating, UpdateHypothesis
from workbench.core.model import Analyst, Evidence, Hypothesis, Project
from workbench.core.ratings import Level, Rating
from workbench.ui.analysis.scores_panel import (
    CHART_LIMIT,
    LEADER_COLOUR,
    Measure,
    ScoresPanel,
    percent,
    short_title,
)

C, CC, I, II, N = Rating.C, Rating.CC, Rating.I, Rating.II, Rating.N


def small_project() -> Project:
    """Three hypotheses; H3 has least evidence against it, then H1, then H2."""
    project = Project(title="Scores")
    project.add_analyst(Analyst(project.new_id(), "Ann"))
    titles = ["Accident at the plant", "Sabotage by a rival firm", "Insurance fraud by the owner"]
    for k, title in enumerate(titles):
        project.insert_hypothesis(k, Hypothesis(project.new_id(), f"H{k + 1}", title))
    rows = [[I, II, C], [C, I, N], [N, C, CC]]
    for r, row in enumerate(rows):
        evidence = Evidence(project.new_id(), f"E{r + 1}", f"Item {r + 1}")
        evidence.credibility = Level.HIGH if r == 0 else Level.MEDIUM
        project.insert_evidence(
            r, evidence, rows={project.analysts[0].id: np.array(row, dtype=np.int8)}
        )
    return project


@pytest.fixture
def document(qtbot, open_document, tmp_path):
    document = open_document(small_project())
    yield document
    document.close()


@pytest.fixture
def panel(qtbot, document):
    widget = ScoresPanel(document)
    qtbot.addWidget(widget)
    widget.resize(520, 600)
    widget.show()
    return widget


def test_bars_are_weighted_inconsistency_in_rank_order(panel, document):
    scores = document.scores
    order = list(scores.order())
    assert [document.project.hypotheses[j].code for j in order] == ["H3", "H1", "H2"]
    assert panel.bar_labels()[0] == "H3: Insurance fraud by the owner"
    assert panel.bar_values() == pytest.approx(list(scores.weighted_inconsistency[order]))
    # Hand check: H2 has E1 very inconsistent (weight sqrt 2) and E2 inconsistent.
    assert panel.bar_values()[-1] == pytest.approx(2 * np.sqrt(2) + 1)


def test_leader_bar_is_highlighted(panel):
    brushes = panel.bars.opts["brushes"]
    assert brushes[0].color() == QColor(LEADER_COLOUR)
    assert all(b.color() != QColor(LEADER_COLOUR) for b in brushes[1:])


def test_switch_to_posterior_by_clicking(panel, document, qtbot):
    button = panel.findChild(type(panel.measure_buttons.buttons()[0]), "measure_posterior")
    qtbot.mouseClick(button, Qt.LeftButton)
    assert panel.measure is Measure.POSTERIOR
    order = list(document.scores.order())
    assert panel.bar_values() == pytest.approx(list(document.scores.posterior[order]))
    assert sum(panel.bar_values()) == pytest.approx(1.0)
    assert "Higher is more likely" in panel.caption.text()
    other = panel.findChild(type(button), "measure_weighted_inconsistency")
    assert not other.isChecked()
    qtbot.mouseClick(other, Qt.LeftButton)
    assert panel.measure is Measure.WEIGHTED_INCONSISTENCY
    assert "Lower is more likely" in panel.caption.text()


def test_a_rating_change_reorders_the_bars_live(panel, document, qtbot):  # noqa: ANN001
    project = document.project
    analyst = project.analysts[0].id
    h3 = project.hypotheses[2].id
    for evidence in project.evidence:
        document.do(SetRating(analyst, evidence.id, h3, II))
    # Redrawn a moment after the burst of edits, once.
    qtbot.waitUntil(lambda: not panel.when_shown.stale, timeout=3000)
    assert panel.bar_labels()[-1].startswith("H3:")
    assert panel.bar_labels()[0].startswith("H1:")
    assert panel.table_model.index(0, 1).data() == "H1"
    document.undo_stack.undo()
    qtbot.waitUntil(lambda: not panel.when_shown.stale, timeout=3000)
    assert panel.bar_values()[-1] == pytest.approx(
        float(np.sort(document.scores.weighted_inconsistency)[-1])
    )


def test_a_renamed_hypothesis_shows_its_new_title(panel, document):
    h1 = document.project.hypotheses[0]
    document.do(UpdateHypothesis(h1.id, {"title": "Lightning strike"}))
    panel.refresh()  # what the coalescing timer does a moment later
    assert "H1: Lightning strike" in panel.bar_labels()


def test_table_lists_every_score_with_the_leader_first(panel, document, qtmodeltester):
    model = panel.table_model
    qtmodeltester.check(model)
    headers = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Rank", "Code", "Weighted inc.", "Consistency", "Normalized", "Posterior"]
    j = document.scores.leader
    s = document.scores
    assert [model.index(0, c).data() for c in range(6)] == [
        "1",
        "H3",
        f"{s.weighted_inconsistency[j]:.2f}",
        f"{s.consistency[j]:.2f}",
        f"{s.normalized[j]:.3f}",
        percent(float(s.posterior[j])),
    ]
    assert model.index(0, 0).data(Qt.FontRole).bold()
    assert model.index(1, 0).data(Qt.FontRole) is None
    assert model.index(0, 1).data(Qt.ToolTipRole) == "H3: Insurance fraud by the owner"


def test_every_column_and_measure_is_explained(panel):
    model = panel.table_model
    tips = [model.headerData(c, Qt.Horizontal, Qt.ToolTipRole) for c in range(6)]
    assert all(tip and tip.endswith(".") for tip in tips)
    assert "Lower is more likely" in tips[2]
    assert all(b.toolTip() for b in panel.measure_buttons.buttons())


def test_dark_palette_is_followed(panel):
    dark = QPalette()
    for role, colour in (
        (QPalette.Window, "#202020"),
        (QPalette.Base, "#181818"),
        (QPalette.WindowText, "#EEEEEE"),
    ):
        dark.setColor(role, QColor(colour))
    panel.setPalette(dark)
    assert panel.plot.backgroundBrush().color() == QColor("#181818")
    assert panel.plot.getAxis("left").textPen().color() == QColor("#EEEEEE")
    assert panel.bars.opts["brushes"][0].color() == QColor(LEADER_COLOUR)
    assert panel.bars.opts["brushes"][1].color().lightness() < 140


def test_forty_hypotheses_chart_the_leading_few_and_list_all(qtbot, open_document):
    project = Project(title="Wide")
    project.add_analyst(Analyst(project.new_id(), "Ann"))
    for k in range(40):
        project.insert_hypothesis(
            k, Hypothesis(project.new_id(), f"H{k + 1}", f"Hypothesis {k + 1}")
        )
    # H40 has nothing against it, H39 one step, ... so rank order is H40, H39, ...
    row = np.array([int(I) if k < 39 else int(N) for k in range(40)], dtype=np.int8)
    evidence = Evidence(project.new_id(), "E1", "Item")
    project.insert_evidence(0, evidence, rows={project.analysts[0].id: row})
    document = open_document(project)
    widget = ScoresPanel(document)
    qtbot.addWidget(widget)
    widget.show()
    labels = widget.bar_labels()
    assert len(labels) == CHART_LIMIT
    assert labels[0].startswith("H40")
    assert widget.table_model.rowCount() == 40
    assert f"{CHART_LIMIT} most likely of 40" in widget.caption.text()
    document.close()


def test_a_project_without_hypotheses_shows_a_note(qtbot, open_document, tmp_path):
    project = Project(title="Empty")
    project.add_analyst(Analyst(project.new_id(), "Ann"))
    document = open_document(project)
    widget = ScoresPanel(document)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.empty_note.isVisible()
    assert not widget.plot.isVisible()
    assert widget.bar_labels() == []
    assert widget.table_model.rowCount() == 0
    document.close()


def test_long_titles_are_shortened_for_the_axis():
    hypothesis = Hypothesis(1, "H9", "A very long hypothesis title that would crowd the chart")
    label = short_title(hypothesis)
    assert label.startswith("H9: A very long")
    assert label.endswith("\u2026")
    assert len(label) <= len("H9: ") + 30


@pytest.mark.parametrize(
    ("probability", "text"),
    [(0.0, "0.0%"), (1e-9, "<0.1%"), (0.4567, "45.7%"), (0.99999, ">99.9%")],
)
def test_posteriors_never_round_to_a_misleading_zero_or_hundred(probability, text):
    assert percent(probability) == text


def test_hovering_a_bar_explains_it(panel, qtbot):
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QToolTip

    view_box = panel.plot.getPlotItem().vb
    on_leader = view_box.mapViewToScene(QPointF(0.1, 0.0))
    panel.plot.scene().sigMouseMoved.emit(on_leader)
    assert QToolTip.isVisible()
    text = QToolTip.text()
    assert "<b>H3</b>: Insurance fraud by the owner" in text
    assert "(rank 1)" in text and "Lower is more likely" in text
    between_bars = view_box.mapViewToScene(QPointF(0.1, 0.5))
    panel.plot.scene().sigMouseMoved.emit(between_bars)
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=2000)
