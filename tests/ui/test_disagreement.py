"""The disagreement view, the layer switcher and the facilitator's consensus by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from workbench.core.analysis import CONSENSUS, score_project
from workbench.core.model import Analyst, Evidence, Hypothesis, Project
from workbench.core.ratings import Level, Rating
from workbench.ui.base.document import Document
from workbench.ui.team.disagreement_view import MAX_SPREAD, DisagreementView, VoteCard
from workbench.ui.team.layer_switcher import MINE, LayerSwitcher, OverrideDialog

CC, C, N, I, II, NA = Rating.CC, Rating.C, Rating.N, Rating.I, Rating.II, Rating.NA

TEAM = {
    "Ana": [[C, I, N], [CC, C, I], [N, NA, II]],
    "Ben": [[I, I, C], [I, C, II], [NA, NA, I]],
    "Cy": [[C, II, N], [C, NA, I], [NA, NA, I]],
}


def team_project(analysts: tuple[str, ...] = ("Ana", "Ben", "Cy")) -> Project:
    project = Project(title="Team")
    for k in range(3):
        project.insert_hypothesis(k, Hypothesis(project.new_id(), f"H{k + 1}", f"Hyp {k + 1}"))
    levels = [(Level.HIGH, Level.MEDIUM), (Level.MEDIUM, Level.MEDIUM), (Level.LOW, Level.MEDIUM)]
    for r, (cred, rel) in enumerate(levels):
        item = Evidence(project.new_id(), f"E{r + 1}", f"Item {r + 1}")
        item.credibility, item.relevance = cred, rel
        project.insert_evidence(r, item)
    for name in analysts:
        project.add_analyst(Analyst(project.new_id(), name), np.array(TEAM[name], dtype=np.int8))
    ben = project.analyst_by_name("Ben")
    if ben is not None:
        project.rationales[(ben.id, project.evidence[0].id, project.hypotheses[0].id)] = (
            "the visit was denied the next day"
        )
    return project


@pytest.fixture
def document(qtbot, open_document, tmp_path: Path):
    document = open_document(team_project())
    yield document
    document.close()


@pytest.fixture
def view(qtbot, document: Document) -> DisagreementView:
    view = DisagreementView(document)
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    view.show()
    return view


def test_the_list_puts_disputed_cells_first_by_how_much_they_matter(view, qtmodeltester):
    qtmodeltester.check(view.model)
    model = view.model
    cells = [model.index(r, 0).data() for r in range(model.rowCount())]
    verdicts = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert cells[:2] == ["E1 × H1", "E2 × H1"]
    assert verdicts[:2] == ["disputed", "disputed"]
    assert "disputed" not in verdicts[2:]
    # Unanimous E3 x H2 (all NA) is no disagreement; E3 x H1 (N against NA) is one.
    assert "E3 × H2" not in cells and "E3 × H1" in cells
    assert model.index(0, 3).data() == f"{4 * math.sqrt(14) / 9:.2f}"
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[-3:] == ["Ana", "Ben", "Cy"]
    assert [model.index(0, c).data() for c in (4, 5, 6, 7)] == ["N", "C", "I", "C"]


def test_the_heat_map_shows_the_spread_of_every_cell(view) -> None:
    shown = view.image.image
    assert shown.shape == (3, 3)
    assert shown[0, 0] == pytest.approx(math.sqrt(8) / 3)
    assert shown[1, 0] == pytest.approx(math.sqrt(14) / 3)
    assert tuple(view.image.levels) == (0.0, MAX_SPREAD)
    rings = view.rings.getData()
    assert sorted(zip(rings[1].tolist(), rings[0].tolist(), strict=True)) == [(0, 0), (1, 0)]
    item = view.plot.getPlotItem()
    assert item.getAxis("left").labelText == "Evidence"
    assert item.getAxis("bottom").labelText == "Hypotheses"


def test_the_selected_cell_shows_every_analyst_side_by_side(qtbot, view) -> None:
    assert view.selected == (0, 0)
    cards = view.cards.findChildren(VoteCard)
    assert len(cards) == 3
    texts = [[label.text() for label in card.findChildren(QLabel)] for card in cards]
    assert texts[1][:3] == ["<b>Ben</b>", "I", "Inconsistent"]
    assert texts[1][3] == "the visit was denied the next day"
    view.table.selectRow(1)
    assert view.selected == (1, 0)
    assert "E2" in view.heading.text()


def find_dialog() -> OverrideDialog:
    # Closed dialogs of earlier tests linger until deleted: only an open one counts.
    dialogs = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, OverrideDialog) and w.isVisible()
    ]
    assert dialogs, "the override dialog did not open"
    return dialogs[-1]


def test_consensus_by_hand_overrides_and_changes_the_scores(qtbot, view, document) -> None:
    document.set_layer(CONSENSUS)
    before = document.scores.weighted_inconsistency.copy()
    qtbot.mouseClick(view.override_button, Qt.MouseButton.LeftButton)
    dialog = find_dialog()
    dialog.rating_box.setCurrentIndex(dialog.rating_box.findData(int(II)))
    dialog.note.setPlainText("Ben's source is the primary one")
    dialog.accept()

    project = document.project
    key = (project.evidence[0].id, project.hypotheses[0].id)
    assert project.overrides[key].rating == II
    assert project.overrides[key].note == "Ben's source is the primary one"
    # H1's E1 cell goes from N to II on weight sqrt 2: WI rises by 2 sqrt 2.
    after = document.scores.weighted_inconsistency
    assert after[0] == pytest.approx(before[0] + 2 * math.sqrt(2))
    assert after[0] == pytest.approx(score_project(project).weighted_inconsistency[0])
    assert view.model.index(view.model.row_of(0, 0), 4).data() == "II (by hand)"
    assert "set by hand" in view.heading.text()
    document.undo_stack.undo()
    assert key not in document.project.overrides
    assert document.scores.weighted_inconsistency[0] == pytest.approx(before[0])


def test_clearing_the_override_brings_back_the_computed_consensus(qtbot, view, document):
    view.set_consensus()
    dialog = find_dialog()
    dialog.rating_box.setCurrentIndex(dialog.rating_box.findData(int(C)))
    dialog.accept()
    view.set_consensus()
    dialog = find_dialog()
    assert dialog.rating_box.currentData() == int(C)
    dialog.rating_box.setCurrentIndex(0)  # "use the computed consensus"
    dialog.accept()
    assert document.project.overrides == {}


def test_the_switcher_offers_mine_each_analyst_and_the_team(qtbot, document) -> None:
    switcher = LayerSwitcher(document, lambda: (0, 0))
    qtbot.addWidget(switcher)
    combo = switcher.combo
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items == ["My ratings (Ana)", "Ben", "Cy", "Team consensus"]
    assert combo.currentText() == "Team consensus"
    ben = document.project.analyst_by_name("Ben")
    assert ben is not None
    switcher.choose(ben.id)
    assert document.layer == ben.id
    assert document.scores.weighted_inconsistency == pytest.approx(
        score_project(document.project, ben.id).weighted_inconsistency
    )
    # Looking at Ben's layer makes Ben the analyst who edits: "my ratings" follows.
    assert switcher.combo.currentText() == "My ratings (Ben)"
    switcher.choose(CONSENSUS)
    assert document.layer == CONSENSUS
    assert switcher.override_action.isEnabled()
    switcher.choose(MINE)
    assert document.layer == ben.id


def test_one_analyst_has_nothing_to_switch_or_override(
    qtbot, open_document, tmp_path: Path
) -> None:
    document = open_document(team_project(("Ana",)))
    try:
        switcher = LayerSwitcher(document, lambda: (0, 0))
        qtbot.addWidget(switcher)
        assert [switcher.combo.itemText(i) for i in range(switcher.combo.count())] == [
            "My ratings (Ana)"
        ]
        assert not switcher.combo.isEnabled()
        assert not switcher.override_action.isEnabled()
        view = DisagreementView(document)
        qtbot.addWidget(view)
        view.show()
        assert view.model.rowCount() == 0
        assert not view.override_button.isEnabled()
        # No empty chart: the view says what it needs and how to get it.
        assert view.needs_team.isVisible() and not view.plot.isVisible()
        text = view.needs_team.text()
        assert "two or more analysts" in text and "Collect Rating Sheets" in text
    finally:
        document.close()


def test_the_view_follows_new_ratings(qtbot, view, document) -> None:
    from workbench.core.edits import SetRating

    project = document.project
    cy = project.analyst_by_name("Cy")
    assert cy is not None
    document.do(SetRating(cy.id, project.evidence[2].id, project.hypotheses[1].id, CC))
    cells = [view.model.index(r, 0).data() for r in range(view.model.rowCount())]
    assert "E3 × H2" in cells


def test_a_hidden_view_catches_up_when_shown(qtbot, document) -> None:
    view = DisagreementView(document)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 0  # nothing computed while hidden
    view.show()
    assert view.model.rowCount() == 8


def test_the_view_renders_at_full_hd(view, tmp_path: Path) -> None:
    image = view.grab()
    assert (image.width(), image.height()) == (1920, 1080)
    assert image.save(str(tmp_path / "disagreement.png"))


def test_the_main_window_wires_the_team_tools(qtbot, document, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QAction

    from workbench.core.edits import SetOverride
    from workbench.core.model import ConsensusOverride
    from workbench.ui.main_window import MainWindow
    from workbench.ui.matrix.matrix_model import LEADING, OverriddenRole

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(document, settings)
    qtbot.addWidget(window)
    window.show()
    box = window.layer_box
    assert [box.itemText(i) for i in range(box.count())][-1] == "Team consensus"
    project = document.project
    document.do(
        SetOverride(project.evidence[1].id, project.hypotheses[0].id, ConsensusOverride(I, "x"))
    )
    document.set_layer(CONSENSUS)
    model = window.view.matrix
    view_row = model.view_row(1)
    assert model.index(view_row, LEADING).data(OverriddenRole) is True
    assert model.index(view_row, LEADING + 1).data(OverriddenRole) is False
    assert "set by hand" in model.index(view_row, LEADING).data(Qt.ItemDataRole.ToolTipRole)
    ana = project.analyst_by_name("Ana")
    assert ana is not None
    document.set_layer(ana.id)  # an analyst's own layer shows no override marks
    assert model.index(view_row, LEADING).data(OverriddenRole) is False

    window.select_cell(2, 0)
    window.findChild(QAction, "actionWorkshop").trigger()
    workshop = window.workshop
    qtbot.waitExposed(workshop)
    assert workshop.row == 2 and workshop.isFullScreen()
    qtbot.keyClick(workshop, Qt.Key.Key_Escape)
    assert not workshop.isVisible()
    assert "disagreement" in window.analysis_area.pages


def test_rating_sheets_out_and_back_from_the_window(
    qtbot, open_document, tmp_path: Path, monkeypatch
) -> None:
    import openpyxl
    from PySide6.QtWidgets import QMessageBox

    from workbench.ui.team import team_actions

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: shown.append(args[2]))
    monkeypatch.setattr(team_actions, "confirm", lambda *args: shown.append(args[3]) or True)
    document = open_document(team_project(("Ana",)))
    try:
        parent = DisagreementView(document)
        qtbot.addWidget(parent)
        paths = team_actions.write_sheets(parent, document, "Ana, Ben", str(tmp_path / "out"))
        assert [p.name for p in paths] == ["Ana.xlsx", "Ben.xlsx"]
        book = openpyxl.load_workbook(paths[1])
        sheet = book["Ratings"]
        header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "ID")
        column = next(
            c
            for c in range(1, sheet.max_column + 1)
            if str(sheet.cell(header, c).value).startswith("H1:")
        )
        sheet.cell(header + 1, column).value = "II"
        book.save(paths[1])

        assert team_actions.collect_sheets(parent, document, [str(p) for p in paths])
        assert [a.name for a in document.project.analysts] == ["Ana", "Ben"]
        assert "Ben (new analyst): 1 rating," in shown[-1]
        assert document.undo_stack.count() == 1
        document.undo_stack.undo()
        assert [a.name for a in document.project.analysts] == ["Ana"]

        paths[1].write_text("not a workbook")
        errors: list[str] = []
        monkeypatch.setattr(
            "workbench.ui.base.dialogs.show_error", lambda parent, text, *a: errors.append(text)
        )
        assert not team_actions.collect_sheets(parent, document, [str(p) for p in paths])
        assert errors and errors[0].startswith("Ben.xlsx")
        assert [a.name for a in document.project.analysts] == ["Ana"]
    finally:
        document.close()


def test_consensus_by_hand_from_an_analysts_layer_shows_the_consensus(qtbot, view, document):
    ben = document.project.analyst_by_name("Ben")
    assert ben is not None
    document.set_layer(ben.id)
    view.set_consensus()
    dialog = find_dialog()
    dialog.rating_box.setCurrentIndex(dialog.rating_box.findData(int(C)))
    dialog.accept()
    assert document.layer == CONSENSUS
    assert document.scores.weighted_inconsistency == pytest.approx(
        score_project(document.project, CONSENSUS).weighted_inconsistency
    )


def test_collecting_a_blank_sheet_asks_before_adding_an_analyst(
    qtbot, open_document, tmp_path: Path, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    from workbench.ui.team import team_actions

    asked: list[str] = []
    answers = [False, True]
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)
    monkeypatch.setattr(
        team_actions, "confirm", lambda *args, **kw: asked.append(args[1]) or answers.pop(0)
    )
    document = open_document(team_project(("Ana",)))
    parent = DisagreementView(document)
    qtbot.addWidget(parent)
    paths = team_actions.write_sheets(parent, document, "Ben", str(tmp_path / "out"))
    files = [str(p) for p in paths]
    # Ben's sheet came back untouched: declining leaves the team as it was.
    assert not team_actions.collect_sheets(parent, document, files, ask=False)
    assert asked == ["Blank rating sheet"]
    assert [a.name for a in document.project.analysts] == ["Ana"]
    assert team_actions.collect_sheets(parent, document, files, ask=False)
    assert [a.name for a in document.project.analysts] == ["Ana", "Ben"]
