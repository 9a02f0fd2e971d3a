"""Workshop mode driven from the keyboard, as a facilitator would at the projector."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from workbench.core.model import Analyst, Evidence, Hypothesis, Project
from workbench.core.ratings import Rating
from workbench.store import ProjectFile
from workbench.ui.base.document import Document
from workbench.ui.team import workshop
from workbench.ui.team.workshop import TIMER_SECONDS, WorkshopWindow

CC, C, N, I, II, NA, BLANK = (
    Rating.CC,
    Rating.C,
    Rating.N,
    Rating.I,
    Rating.II,
    Rating.NA,
    Rating.BLANK,
)


def workshop_project() -> Project:
    project = Project(title="Workshop")
    for k in range(3):
        project.insert_hypothesis(k, Hypothesis(project.new_id(), f"H{k + 1}", f"Hyp {k + 1}"))
    for r in range(2):
        project.insert_evidence(r, Evidence(project.new_id(), f"E{r + 1}", f"Item {r + 1}"))
    for name in ("Ana", "Ben", "Cy"):
        project.add_analyst(Analyst(project.new_id(), name))
    return project


@pytest.fixture
def document(qtbot, tmp_path: Path):
    path = tmp_path / "workshop.achwb"
    ProjectFile.create(path, workshop_project()).close()
    document = Document(ProjectFile.open(path))
    yield document
    document.close()


@pytest.fixture
def window(qtbot, document: Document) -> WorkshopWindow:
    window = WorkshopWindow(document)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    window.setFocus()
    return window


def row_of(document: Document, name: str, row: int = 0) -> list[Rating]:
    project = document.project
    analyst = project.analyst_by_name(name)
    assert analyst is not None
    return [Rating(int(x)) for x in project.layer(analyst.id)[row]]


def test_votes_are_typed_participant_by_participant(qtbot, window, document) -> None:
    qtbot.keyClick(window, Qt.Key.Key_2)  # Ben
    qtbot.keyClicks(window, "c")
    qtbot.keyClicks(window, "ii")  # a second i at once strengthens the vote
    qtbot.keyClicks(window, "n")
    assert row_of(document, "Ben") == [C, II, N]
    assert row_of(document, "Ana") == [BLANK, BLANK, BLANK]
    # Three undo steps: C, I strengthened to II (merged), N.
    assert document.undo_stack.count() == 3
    qtbot.keyClick(window, Qt.Key.Key_Tab)  # Cy
    qtbot.keyClicks(window, "a")
    assert row_of(document, "Cy") == [NA, BLANK, BLANK]
    assert window.votes.index(2, 0).data() == "NA"
    document.undo_stack.undo()
    assert row_of(document, "Cy") == [BLANK, BLANK, BLANK]
    assert window.votes.index(2, 0).data() == "·"
    # Votes are ordinary saved edits: the file logs every one as it was applied
    # (C, I, I -> II, N, NA and the undo of NA), newest first.
    labels = [record.label for record in document.file.change_log()]
    assert labels[1:] == [
        "Rate E1 x H1: blank -> NA",
        "Rate E1 x H3: blank -> N",
        "Rate E1 x H2: I -> II",
        "Rate E1 x H2: blank -> I",
        "Rate E1 x H1: blank -> C",
    ]


def test_a_slow_second_press_votes_the_next_hypothesis(qtbot, window, document, monkeypatch):
    monkeypatch.setattr(workshop, "STRENGTHEN_WINDOW", -1.0)
    qtbot.keyClick(window, Qt.Key.Key_1)
    qtbot.keyClicks(window, "cc")
    assert row_of(document, "Ana") == [C, C, BLANK]


def test_moving_between_evidence_and_hypotheses(qtbot, window, document) -> None:
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    assert window.row == 1 and "E2" in window.position.text()
    qtbot.keyClick(window, Qt.Key.Key_Right)  # already the last item: stays
    assert window.row == 1
    qtbot.keyClick(window, Qt.Key.Key_3)
    qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    qtbot.keyClicks(window, "i")
    assert row_of(document, "Cy", row=1) == [BLANK, BLANK, I]
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.row == 0 and window.column == 0
    qtbot.keyClick(window, Qt.Key.Key_Up)
    assert window.participant == 1


def test_scores_stay_hidden_until_revealed(qtbot, window, document) -> None:
    qtbot.keyClicks(window, "cin")  # Ana: E1 = C, I, N
    assert not window.revealed
    assert window.score_labels == []
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert window.revealed
    # H1 C: 0 against; H2 I: 1 against (rank 3); H3 N: 0 against, but no support (rank 2).
    assert [label.text() for label in window.score_labels] == [
        "#1 · 0.00",
        "#3 · 1.00",
        "#2 · 0.00",
    ]
    qtbot.waitUntil(lambda: all(label.isVisible() for label in window.score_labels))
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert not window.revealed
    assert window.score_labels == []
    qtbot.waitUntil(
        lambda: any(
            w.objectName() == "workshopScoresHidden" and w.isVisible()
            for w in window.findChildren(QLabel)
        )
    )
    visible = [w for w in window.findChildren(QLabel) if w.isVisible()]
    assert not any(w.objectName().startswith("workshopScore_") for w in visible)


def test_the_timer_counts_down_and_stops(qtbot, window) -> None:
    assert window.timer_label.text() == "3:00"
    qtbot.keyClick(window, Qt.Key.Key_T)
    assert window.timer.isActive()
    window._tick()
    assert window.timer_label.text() == "2:59"
    qtbot.keyClick(window, Qt.Key.Key_T)
    assert not window.timer.isActive()
    window.remaining = 1
    qtbot.keyClick(window, Qt.Key.Key_T)
    window._tick()
    assert window.timer_label.text() == "Time" and not window.timer.isActive()
    qtbot.keyClick(window, Qt.Key.Key_T)  # starts a fresh round
    assert window.remaining == TIMER_SECONDS


def test_a_participant_can_join(qtbot, window, document) -> None:
    window.add_participant_named("  Dee ")
    assert [a.name for a in document.project.analysts] == ["Ana", "Ben", "Cy", "Dee"]
    assert window.participant == 3
    qtbot.keyClicks(window, "c")
    assert row_of(document, "Dee") == [C, BLANK, BLANK]
    window.add_participant_named("ben")  # already there: chosen, not added
    assert window.participant == 1 and len(document.project.analysts) == 4


def test_type_is_about_twice_the_desktop_size(window) -> None:
    assert window.font().pointSizeF() >= 20
    assert window.title.font().pointSizeF() >= 28


def test_escape_returns_to_the_window(qtbot, window) -> None:
    with qtbot.waitSignal(window.closed, timeout=1000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_the_screen_renders_at_projector_size(qtbot, window, tmp_path: Path) -> None:
    qtbot.keyClick(window, Qt.Key.Key_R)
    image = window.grab()
    assert (image.width(), image.height()) == (1920, 1080)
    assert image.save(str(tmp_path / "workshop.png"))


def test_votes_can_come_from_collected_sheets(qtbot, window, document, tmp_path, monkeypatch):
    import openpyxl
    from PySide6.QtWidgets import QFileDialog

    from workbench.exchange.rating_sheets import write_rating_sheets
    from workbench.ui.team import team_actions

    (path,) = write_rating_sheets(document.project, ["Ben"], tmp_path / "sheets")
    book = openpyxl.load_workbook(path)
    sheet = book["Ratings"]
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "ID")
    for column in range(1, sheet.max_column + 1):
        if str(sheet.cell(header, column).value).startswith("H2:"):
            sheet.cell(header + 1, column).value = "CC"
    book.save(path)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args, **kwargs: ([str(path)], ""))
    monkeypatch.setattr(team_actions, "confirm", lambda *args: True)
    qtbot.keyClick(window, Qt.Key.Key_O)
    assert row_of(document, "Ben") == [BLANK, CC, BLANK]
    assert window.votes.index(1, 1).data() == "CC"


def test_without_participants_the_screen_says_how_to_add_one(qtbot, tmp_path: Path) -> None:
    project = workshop_project()
    for analyst in list(project.analysts):
        project.remove_analyst(analyst.id)
    path = tmp_path / "empty.achwb"
    ProjectFile.create(path, project).close()
    document = Document(ProjectFile.open(path))
    try:
        window = WorkshopWindow(document)
        qtbot.addWidget(window)
        window.show()
        assert window.findChild(QLabel, "workshopNoParticipants") is not None
        qtbot.keyClicks(window, "c")  # no one to vote for: nothing happens
        assert document.undo_stack.count() == 0
        window.add_participant_named("Ana")
        qtbot.keyClicks(window, "i")
        assert row_of(document, "Ana") == [I, BLANK, BLANK]
    finally:
        document.close()


def test_readable_from_the_back_of_the_room(window: WorkshopWindow, document: Document, qtbot):
    from workbench.core.edits import UpdateProject

    document.do(UpdateProject({"question": "Will the bridge open?", "classification": "OFFICIAL"}))
    qtbot.wait(10)
    labels = [label for label in window.findChildren(QLabel) if label.isVisible()]
    assert labels
    table = window.table
    fonts = [label.font() for label in labels]
    fonts += [table.font(), table.horizontalHeader().font(), table.verticalHeader().font()]
    smallest = min(font.pointSizeF() for font in fonts)
    assert smallest >= workshop.MIN_POINTS == 14
    # The key question and marking stay in view; the auto-advance is said on screen.
    assert "Will the bridge open?" in window.question.text()
    assert "OFFICIAL" in window.question.text()
    assert "moves one to the right" in window.help.text()


def test_the_add_participant_dialog_is_readable(window: WorkshopWindow, document: Document, qtbot):
    from PySide6.QtGui import QPalette

    from workbench.core.contrast import AA_TEXT, contrast_ratio

    qtbot.keyClick(window, Qt.Key.Key_P)
    dialog = window.participant_dialog
    qtbot.waitExposed(dialog)
    label = next(lbl for lbl in dialog.findChildren(QLabel) if lbl.text().startswith("Participant"))
    label.ensurePolished()
    ink = label.palette().color(QPalette.ColorRole.WindowText).name()
    paper = dialog.palette().color(QPalette.ColorRole.Window).name()
    assert contrast_ratio(ink, paper) >= AA_TEXT, (ink, paper)
    dialog.setTextValue("Dee")
    dialog.accept()
    assert [a.name for a in document.project.analysts][-1] == "Dee"


def test_the_vote_grid_is_a_sound_model(qtmodeltester, window, qtbot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_2)
    qtbot.keyClicks(window, "c")
    qtmodeltester.check(window.votes)
    # A team of three: a row per participant, then the team's consensus.
    assert window.votes.rowCount() == 4
    assert window.votes.headerData(3, Qt.Orientation.Vertical) == "Team"
