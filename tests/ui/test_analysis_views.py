"""The analysis views: sensitivity (tornado), Bayesian, timeline, milestones, File > Report."""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QLineEdit

from workbench.core.dates import PartialDate
from workbench.core.model import MilestoneStatus
from workbench.core.ratings import Rating
from workbench.exchange.example import load_example
from workbench.store import ProjectFile
from workbench.ui.analysis.bayes_view import BayesView
from workbench.ui.analysis.milestones_view import (
    EXPECTED_BY,
    HYPOTHESIS,
    INDICATOR,
    STATUS,
    MilestonesView,
)
from workbench.ui.analysis.sensitivity_view import SensitivityView
from workbench.ui.analysis.steps_guide import StepsGuide
from workbench.ui.analysis.timeline_view import ANNOTATE_SETTING, TimelineView
from workbench.ui.base.lazy_chart import LazyChart


@pytest.fixture
def document(qtbot, open_document, tmp_path, linchpin_case):
    document = open_document(linchpin_case)
    yield document
    document.close()


def shown(widget, qtbot, size=(1000, 560)):  # noqa: ANN001, ANN201
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    if isinstance(widget, SensitivityView):  # computed off the GUI thread
        qtbot.waitUntil(lambda: widget.result is not None and not widget.busy, timeout=5000)
    return widget


def click_bar(view: SensitivityView, qtbot, k: int) -> None:  # noqa: ANN001
    """Click the middle of the k-th tornado bar, as a user would."""
    _, value, _ = view.bars[k]
    box = view.plot.getPlotItem().getViewBox()
    scene_point = box.mapViewToScene(QPointF(value / 2, k))
    point = view.plot.mapFromScene(scene_point)
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=point)


# -- sensitivity ------------------------------------------------------------------


def test_tornado_shows_the_flipping_item_first_in_red(document, qtbot):
    view = shown(SensitivityView(document), qtbot)
    project = document.project
    rows = [project.evidence[row].code for row, _, _ in view.bars]
    assert rows[0] == "E1" and view.bars[0][2] is True
    brushes = view.bar_item.opts["brushes"]
    assert brushes[0].color().name().upper() == "#B2182B"
    assert all(b.color().name().upper() != "#B2182B" for b in brushes[1:])
    assert view.linchpins.rowCount() == 1
    assert view.linchpins.index(0, 0).data() == "E1"
    assert "H2 would lead" in view.mind.text()


def test_clicking_a_bar_emits_the_evidence_id(document, qtbot):
    view = shown(SensitivityView(document), qtbot)
    with qtbot.waitSignal(view.evidenceSelected, timeout=2000) as signal:
        click_bar(view, qtbot, 0)
    assert signal.args == [document.project.evidence_by_code("E1").id]


def test_the_view_follows_a_rating_change(document, qtbot):
    view = shown(SensitivityView(document), qtbot)
    project = document.project
    e1, h2 = project.evidence_by_code("E1"), project.hypothesis_by_code("H2")
    # E1 x H2 from II to N: H2's lead evaporates, H1 is no longer resting on E1 alone.
    document.do(document.rating_edit(project.evidence.index(e1), 1, Rating.N))
    qtbot.waitUntil(lambda: view.result is not None and view.result.leader == 1, timeout=2000)
    assert project.hypotheses[view.result.leader].id == h2.id


def test_tornado_bar_selects_the_row_in_the_main_window(
    main_window, qtbot, tmp_path, linchpin_case
):
    path = tmp_path / "linchpin.achwb"
    ProjectFile.create(path, linchpin_case).close()
    assert main_window.files.open_path(path)
    main_window.show_dock("sensitivity")
    view = main_window.views["sensitivity"]
    qtbot.waitUntil(lambda: bool(view.bars) and view.plot.isVisible(), timeout=5000)
    qtbot.wait(50)
    k = next(
        k
        for k, (row, _, _) in enumerate(view.bars)
        if main_window.document.project.evidence[row].code == "E2"
    )
    click_bar(view, qtbot, k)
    assert main_window.view.current_project_row() == 1


# -- the pages' charts ------------------------------------------------------------------


def test_hidden_pages_make_their_charts_only_when_first_shown(main_window, qtbot):
    """The analysis area's pages start without their charts (the window starts sooner);
    a page's chart is made, and drawn at once, the first time the page is shown."""
    import pyqtgraph as pg

    area = main_window.analysis_area
    charts = {
        key: view.chart
        for key, view in area.pages.items()
        if isinstance(getattr(view, "chart", None), LazyChart)
    }
    assert sorted(charts) == ["bayes", "disagreement", "sensitivity", "timeline"]
    assert not area.findChildren(pg.PlotWidget)
    main_window.show_dock("bayes")
    view = area.pages["bayes"]
    qtbot.waitUntil(lambda: charts["bayes"].made and view.plot.isVisible(), timeout=2000)
    np.testing.assert_allclose(view.bars.opts["height"], main_window.document.scores.posterior)
    assert [key for key, chart in charts.items() if chart.made] == ["bayes"]
    # One analyst: the disagreement page says how to bring in a team, and makes no chart.
    assert len(main_window.document.project.analysts) == 1
    main_window.show_dock("disagreement")
    invitation = area.pages["disagreement"].needs_team
    qtbot.waitUntil(invitation.isVisible, timeout=2000)
    assert not charts["disagreement"].made


# -- the Bayesian view ----------------------------------------------------------------


def test_editing_a_prior_changes_the_posterior_chart(document, qtbot):
    view = shown(BayesView(document), qtbot)
    before = view.bars.opts["height"].copy()
    np.testing.assert_allclose(before, document.scores.posterior)
    table = view.priors_table
    index = view.priors.index(1, view.priors.PRIOR)  # H2
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.viewport().findChild(QLineEdit)
    assert editor is not None
    qtbot.keyClicks(editor, "0.9")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    h2 = document.project.hypothesis_by_code("H2")
    # The delegate commits on Return through a queued call.
    qtbot.waitUntil(lambda: h2.prior is not None, timeout=2000)
    assert h2.prior == pytest.approx(0.9)
    after = view.bars.opts["height"]
    assert after[1] > before[1]
    np.testing.assert_allclose(after, document.scores.posterior)
    document.undo_stack.undo()
    np.testing.assert_allclose(view.bars.opts["height"], before)


def test_posterior_with_custom_priors_and_likelihoods_by_hand(document, qtbot):
    view = shown(BayesView(document), qtbot)
    project = document.project
    for code, prior in (("H1", 0.5), ("H2", 0.3), ("H3", 0.2)):
        assert view.priors.setData(
            view.priors.index(
                project.hypotheses.index(project.hypothesis_by_code(code)), view.priors.PRIOR
            ),
            str(prior),
        )
    likelihood = {Rating.CC: 0.9, Rating.C: 0.7, Rating.N: 0.5, Rating.I: 0.25, Rating.II: 0.1}
    for row, rating in enumerate((Rating.CC, Rating.C, Rating.N, Rating.I, Rating.II)):
        view.likelihoods.setData(view.likelihoods.index(row, 1), str(likelihood[rating]))
    assert project.likelihoods == likelihood
    # Matrix (weights 1): E1 C II I; E2 I C N; E3 C C II.
    h1 = 0.5 * 0.7 * 0.25 * 0.7
    h2 = 0.3 * 0.1 * 0.7 * 0.7
    h3 = 0.2 * 0.25 * 0.5 * 0.1
    expected = np.array([h1, h2, h3]) / (h1 + h2 + h3)
    np.testing.assert_allclose(view.bars.opts["height"], expected, atol=1e-12)
    # Persisted: the reopened file gives the same posteriors.
    path = document.file.path
    document.close()
    with ProjectFile.open(path) as again:
        assert again.project.likelihoods == likelihood
        assert [h.prior for h in again.project.hypotheses] == [0.5, 0.3, 0.2]


def test_a_bad_prior_is_refused_with_a_message(document, qtbot, message_boxes):
    view = shown(BayesView(document), qtbot)
    index = view.priors.index(0, view.priors.PRIOR)
    assert not view.priors.setData(index, "1.5")
    assert not view.likelihoods.setData(view.likelihoods.index(0, 1), "zero")
    assert [b.text for b in message_boxes] == [
        "Prior of H1: 1.5 is not a probability (from 0 to 1)",
        "Likelihood of Very consistent: 'zero' is not a number",
    ]
    assert document.project.hypotheses[0].prior is None
    assert document.undo_stack.count() == 0


def test_equal_priors_and_default_likelihoods_buttons(document, qtbot):
    view = shown(BayesView(document), qtbot)
    view.priors.setData(view.priors.index(0, view.priors.PRIOR), "0.7")
    view.likelihoods.setData(view.likelihoods.index(0, 1), "0.6")
    qtbot.mouseClick(view.equal, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.defaults, Qt.MouseButton.LeftButton)
    assert all(h.prior is None for h in document.project.hypotheses)
    assert document.project.likelihoods[Rating.CC] == 0.95
    assert "independent" in view.note.text()


def test_models_pass_the_model_tester(document, qtbot, qtmodeltester):
    bayes = shown(BayesView(document), qtbot)
    milestones = shown(MilestonesView(document), qtbot)
    sensitivity = shown(SensitivityView(document), qtbot)
    for model in (bayes.priors, bayes.likelihoods, milestones.model, sensitivity.linchpins):
        qtmodeltester.check(model, force_py=True)


# -- the timeline ------------------------------------------------------------------------


def test_timeline_lists_undated_evidence_and_remembers_the_marked_date(document, qtbot):
    view = shown(TimelineView(document), qtbot)
    assert view.undated_model.stringList() == ["E3  Letter exists at all"]
    # E2 (2021-02) before E1 (2021-03).
    assert [document.project.evidence[i].code for i in view.timeline.rows] == ["E2", "E1"]
    view.mark.setText("2021-03")
    view.mark.editingFinished.emit()
    assert view.annotate == PartialDate(2021, 3)
    assert view.annotation.scene() is not None
    assert view.annotation.value() == pytest.approx(0.5)  # between E2 and E1, evenly spaced
    assert document.file.get_setting(ANNOTATE_SETTING, "") == "2021-03"
    view.even.setChecked(False)
    assert view.annotation.value() == pytest.approx(2021 + 59 / 365)
    with qtbot.waitSignal(view.evidenceSelected) as signal:
        view.undated.clicked.emit(view.undated_model.index(0, 0))
    assert signal.args == [document.project.evidence_by_code("E3").id]


def test_timeline_markers_carry_code_and_title(document, qtbot):
    view = shown(TimelineView(document), qtbot)
    h2_markers = view.markers[1]
    tips = [spot.data() for spot in h2_markers.points()]
    assert tips == ["E1: Postmark from the clerk's town\n2021-03, +2.00 against H2"]


# -- milestones ---------------------------------------------------------------------------


def test_milestones_add_edit_delete_and_round_trip(document, qtbot, tmp_path):
    view = shown(MilestonesView(document), qtbot)
    model = view.model
    assert model.rowCount() == 1
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 2
    h3 = document.project.hypothesis_by_code("H3")
    assert model.setData(model.index(1, INDICATOR), "=Letter found in the bin")
    assert model.setData(model.index(1, HYPOTHESIS), h3.id)
    assert model.setData(model.index(1, EXPECTED_BY), "2023-01-15")
    assert model.setData(model.index(1, STATUS), "observed")
    assert model.index(1, HYPOTHESIS).data() == "H3"
    assert model.index(1, STATUS).data() == "Observed"
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    view.table.selectRow(2)
    qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 2
    path = document.file.path
    document.close()

    with ProjectFile.open(path) as again:
        stored = again.project.milestones[1]
        assert stored.indicator == "=Letter found in the bin"
        assert stored.hypothesis_id == h3.id
        assert stored.expected_by == PartialDate(2023, 1, 15)
        assert stored.status is MilestoneStatus.OBSERVED
        from workbench.exchange.xlsx_export import export_xlsx

        out = tmp_path / "case.xlsx"
        export_xlsx(again.project, out, app_version="test")
    sheet = openpyxl.load_workbook(out)["Milestones"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[1][:4] == ["H3", "=Letter found in the bin", "2023-01-15", "Observed"]
    assert sheet.cell(3, 2).data_type == "s"  # text, never a formula


def test_a_bad_expected_by_date_is_refused(document, qtbot, message_boxes):
    view = shown(MilestonesView(document), qtbot)
    assert not view.model.setData(view.model.index(0, EXPECTED_BY), "next spring")
    assert not view.model.setData(view.model.index(0, INDICATOR), "   ")
    assert len(message_boxes) == 2
    assert message_boxes[0].text.startswith("Expected by: 'next spring' is not a date")
    assert document.project.milestones[0].expected_by == PartialDate(2022, 6)


def test_the_example_milestones_show_in_the_window(main_window):
    model = main_window.views["milestones"].model
    assert model.rowCount() == len(main_window.document.project.milestones)
    assert model.rowCount() == len(load_example().milestones)


# -- File > Report ----------------------------------------------------------------------


def test_file_report_writes_a_pdf(main_window, tmp_path, monkeypatch):
    target = tmp_path / "out" / "belarus report"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "PDF"))
    )
    action = main_window.findChild(QAction, "actionReport")
    assert action is not None
    action.trigger()
    written = target.with_name("belarus report.pdf")
    assert written.read_bytes().startswith(b"%PDF")


def test_a_hidden_sensitivity_view_catches_up_when_shown(document, qtbot):
    view = SensitivityView(document)
    qtbot.addWidget(view)
    before = view.result
    e1 = document.project.evidence_by_code("E1")
    document.do(document.rating_edit(document.project.evidence.index(e1), 1, Rating.N))
    assert view.result is before  # nothing computed while nobody looks
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.result is not before and not view.busy, timeout=5000)
    assert view.result.leader == 1


def test_views_in_the_analysis_area_refresh_only_when_their_tab_is_shown(main_window, qtbot):
    """Issue 11's tabbed area and issue 12's WhenShown: a page behind another tab
    only notes it is stale, and catches up as its tab is brought to the front."""
    main_window.show_dock("steps")
    steps = main_window.view_of("steps", StepsGuide)
    timeline = main_window.view_of("timeline", TimelineView)
    bayes = main_window.view_of("bayes", BayesView)
    qtbot.waitUntil(lambda: steps.isVisible() and not steps.when_shown.stale, timeout=5000)
    assert not timeline.isVisible() and not bayes.isVisible()
    document = main_window.document
    e1 = document.project.evidence_by_code("E1")
    document.do(document.rating_edit(document.project.evidence.index(e1), 1, Rating.N))
    # Behind their tabs: noted as stale, not refreshed.
    qtbot.waitUntil(lambda: timeline.when_shown.stale and bayes.when_shown.stale, timeout=5000)
    main_window.show_dock("timeline")
    qtbot.waitUntil(lambda: timeline.isVisible() and not timeline.when_shown.stale, timeout=5000)
    assert bayes.when_shown.stale
    main_window.show_dock("bayes")
    qtbot.waitUntil(lambda: bayes.isVisible() and not bayes.when_shown.stale, timeout=5000)


def test_a_chart_that_failed_to_be_made_is_tried_again_with_its_own_error(qtbot):
    import pyqtgraph as pg

    from workbench.ui.base.lazy_chart import LazyChart

    attempts: list[int] = []

    def make(parent):  # noqa: ANN001, ANN202
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("no fonts")
        return pg.PlotWidget(parent)

    holder = LazyChart(make)
    qtbot.addWidget(holder)
    with pytest.raises(OSError, match="no fonts"):
        holder.chart()
    assert not holder.made
    assert isinstance(holder.chart(), pg.PlotWidget) and holder.made
    assert holder.chart() is holder.chart() and len(attempts) == 2
