"""The steps guide follows the project: the current step is lit and explains itself."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from workbench.core.edits import AddAnalyst, AddMilestone, SetRating, UpdateEvidence
from workbench.core.model import Analyst, Evidence, Hypothesis, Milestone, Project
from workbench.core.ratings import Rating
from workbench.core.steps import HEUER_STEPS
from workbench.ui.analysis.steps_guide import DONE_MARK, StepsGuide
from workbench.ui.base.document import Document

C, I, N, BLANK = Rating.C, Rating.I, Rating.N, Rating.BLANK


def project_with(rows: list[list[Rating]], n_hypotheses: int = 3) -> Project:
    project = Project(title="Guide")
    project.add_analyst(Analyst(project.new_id(), "Ann"))
    for k in range(n_hypotheses):
        project.insert_hypothesis(k, Hypothesis(project.new_id(), f"H{k + 1}", f"Hyp {k + 1}"))
    for r, row in enumerate(rows):
        project.insert_evidence(
            r,
            Evidence(project.new_id(), f"E{r + 1}", f"Item {r + 1}"),
            rows={project.analysts[0].id: np.array(row, dtype=np.int8)},
        )
    return project


@pytest.fixture
def make_guide(qtbot, open_document, tmp_path):
    documents: list[Document] = []

    def make(project: Project) -> tuple[StepsGuide, Document]:
        document = open_document(project)
        documents.append(document)
        guide = StepsGuide(document)
        qtbot.addWidget(guide)
        guide.resize(360, 700)
        guide.show()
        return guide, document

    yield make
    for document in documents:
        document.close()


def test_all_eight_steps_are_listed_in_order(make_guide):
    guide, _ = make_guide(project_with([[C, I, N]]))
    titles = [card.header.text().lstrip(f"{DONE_MARK} ") for card in guide.cards]
    assert titles == [f"{s.number}. {s.title}" for s in HEUER_STEPS]
    assert all(card.header.toolTip() == card.step.explanation for card in guide.cards)


def test_unrated_cells_make_step_three_current_and_say_how_many(make_guide):
    guide, _ = make_guide(project_with([[C, BLANK, N], [BLANK, I, BLANK]]))
    assert guide.current() == 3
    card = guide.card(3)
    assert card.state == "current"
    assert card.is_open
    assert card.status.text().startswith("3 cells unrated")
    assert guide.summary.text() == "You are at step 3 of 8: prepare the matrix and rate it."
    assert [guide.card(n).state for n in (1, 2)] == ["done", "done"]
    assert guide.card(1).header.text().startswith(DONE_MARK)
    assert all(guide.card(n).state == "ahead" and not guide.card(n).is_open for n in (4, 5, 6, 7))


def test_rating_the_last_cells_moves_the_guide_on_live(make_guide):
    guide, document = make_guide(project_with([[C, I, BLANK], [I, C, N]]))
    assert guide.current() == 3
    project = document.project
    document.do(
        SetRating(project.analysts[0].id, project.evidence[0].id, project.hypotheses[2].id, N)
    )
    assert guide.current() == 5
    assert guide.card(3).state == "done"
    assert "least inconsistent" in guide.card(5).status.text()
    document.undo_stack.undo()
    assert guide.current() == 3
    assert guide.card(3).status.text().startswith("1 cell unrated")


def test_non_diagnostic_evidence_points_to_step_four_until_excluded(make_guide):
    guide, document = make_guide(project_with([[C, I, N], [C, C, C]]))
    assert guide.current() == 4
    assert "E2" in guide.card(4).status.text()
    document.do(UpdateEvidence(document.project.evidence[1].id, {"active": False}))
    assert guide.current() == 5


def test_milestones_are_suggested_for_later_until_one_exists(make_guide):
    guide, document = make_guide(project_with([[C, I, N]]))
    assert guide.current() == 5
    assert guide.card(8).state == "suggested"
    assert "no milestones" in guide.card(8).status.text()
    hypothesis = document.project.hypotheses[0].id
    document.do(AddMilestone(Milestone(document.project.new_id(), hypothesis, "Troops move")))
    assert guide.card(8).state == "ahead"
    assert not guide.card(8).status.isVisible()


def test_fewer_than_two_hypotheses_is_step_one(make_guide):
    guide, _ = make_guide(project_with([], n_hypotheses=1))
    assert guide.current() == 1
    assert "at least two" in guide.card(1).status.text()
    assert all(card.state == "ahead" for card in guide.cards[1:])


def test_the_guide_reads_the_layer_on_screen(make_guide):
    guide, document = make_guide(project_with([[C, I, N]]))
    assert guide.current() == 5
    document.do(AddAnalyst(Analyst(document.project.new_id(), "Bob")))
    bob = document.project.analysts[1].id
    document.set_layer(bob)  # Bob has rated nothing yet
    assert guide.current() == 3
    assert guide.card(3).status.text().startswith("3 cells unrated")


def test_clicking_a_step_opens_its_explanation(make_guide, qtbot):
    guide, _ = make_guide(project_with([[C, BLANK, N]]))
    card = guide.card(6)
    assert not card.is_open
    qtbot.mouseClick(card.header, Qt.LeftButton)
    assert card.is_open
    assert card.explanation.text() == HEUER_STEPS[5].explanation
    qtbot.mouseClick(card.header, Qt.LeftButton)
    assert not card.is_open
