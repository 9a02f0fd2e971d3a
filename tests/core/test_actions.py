"""core/actions: what a typed rating, a rationale, a paste or a sort means, without Qt."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.core import actions
from workbench.core.analysis import CONSENSUS, score_project
from workbench.core.edits import Batch, SetOverride, SetRating, UpdateEvidence
from workbench.core.errors import WorkbenchError
from workbench.core.model import Analyst, ConsensusOverride, Evidence, Hypothesis, Project
from workbench.core.ratings import Rating


def project_of(n_analysts: int) -> Project:
    project = Project("t")
    for k in range(2):
        project.insert_hypothesis(k, Hypothesis(project.new_id(), f"H{k + 1}", f"h{k}"))
    for r in range(3):
        project.insert_evidence(r, Evidence(project.new_id(), f"E{r + 1}", f"e{r}"))
    for k in range(n_analysts):
        layer = np.full((3, 2), int(Rating.N), dtype=np.int8)
        project.add_analyst(Analyst(project.new_id(), f"A{k}"), layer)
    return project


def test_a_lone_analyst_rates_on_the_consensus_layer():
    project = project_of(1)
    analyst = project.analysts[0].id
    edit = actions.rating_edit(project, actions.Seat(CONSENSUS, analyst), 0, 1, Rating.C)
    assert edit == SetRating(analyst, project.evidence[0].id, project.hypotheses[1].id, Rating.C)


def test_a_team_consensus_rating_is_the_facilitators_override_keeping_its_note():
    project = project_of(2)
    key = (project.evidence[0].id, project.hypotheses[0].id)
    project.overrides[key] = ConsensusOverride(Rating.I, "agreed")
    seat = actions.Seat(CONSENSUS, project.analysts[0].id)
    edit = actions.rating_edit(project, seat, 0, 0, Rating.CC)
    assert edit == SetOverride(*key, ConsensusOverride(Rating.CC, "agreed"))


def test_an_analysts_layer_rates_that_analyst():
    project = project_of(2)
    other = project.analysts[1].id
    edit = actions.rating_edit(project, actions.Seat(other, project.analysts[0].id), 2, 1, Rating.I)
    assert isinstance(edit, SetRating) and edit.analyst_id == other


def test_no_analyst_is_refused():
    with pytest.raises(WorkbenchError, match="Add an analyst"):
        actions.rating_edit(project_of(0), actions.Seat(CONSENSUS, None), 0, 0, Rating.C)


def test_a_rationale_never_pins_the_computed_consensus():
    project = project_of(2)
    seat = actions.Seat(CONSENSUS, project.analysts[0].id)
    with pytest.raises(WorkbenchError, match="computed from the analysts"):
        actions.rationale_edit(project, seat, 0, 0, "why")
    key = (project.evidence[0].id, project.hypotheses[0].id)
    project.overrides[key] = ConsensusOverride(Rating.C, "")
    edit = actions.rationale_edit(project, seat, 0, 0, "why")
    assert edit == SetOverride(*key, ConsensusOverride(Rating.C, "why"))


def test_paste_parses_spellings_and_names_the_bad_cell():
    assert actions.parse_pasted_ratings("c\t--\r\nNA\t\n") == [
        [Rating.C, Rating.II],
        [Rating.NA, Rating.BLANK],
    ]
    with pytest.raises(WorkbenchError, match="line 2, column 1"):
        actions.parse_pasted_ratings("c\nmaybe")
    with pytest.raises(WorkbenchError, match="no ratings"):
        actions.parse_pasted_ratings("  \n")


def test_paste_follows_the_visible_rows_and_refuses_to_overflow():
    project = project_of(1)
    seat = actions.Seat(CONSENSUS, project.analysts[0].id)
    edit = actions.paste_edit(project, seat, [[Rating.C], [Rating.I]], [2, 0], 1)
    assert isinstance(edit, Batch) and edit.text == "Paste 2 ratings"
    assert [e.evidence_id for e in edit.edits] == [project.evidence[2].id, project.evidence[0].id]
    with pytest.raises(WorkbenchError, match="runs past the edge"):
        actions.paste_edit(project, seat, [[Rating.C, Rating.C]], [0], 1)


def test_sort_by_rank_moves_only_when_out_of_order():
    project = project_of(1)
    project.layers[project.analysts[0].id][:, 0] = int(Rating.II)
    edit = actions.sort_by_rank_edit(project, score_project(project))
    assert edit is not None
    edit.apply(project)
    assert [h.code for h in project.hypotheses] == ["H2", "H1"]
    assert actions.sort_by_rank_edit(project, score_project(project)) is None


def test_duplicates_copy_ratings_and_rationales():
    project = project_of(1)
    analyst = project.analysts[0].id
    project.rationales[(analyst, project.evidence[0].id, project.hypotheses[0].id)] = "because"
    edit = actions.duplicate_evidence_edit(project, 0)
    edit.apply(project)
    copy = project.evidence[1]
    assert copy.title.endswith("(copy)")
    assert project.rationale(analyst, copy.id, project.hypotheses[0].id) == "because"


def test_an_edit_says_what_it_changes():
    rating = SetRating(1, 2, 3, Rating.C)
    assert rating.change().cells == {(1, 2, 3)} and not rating.change().structure
    both = Batch((rating, SetOverride(2, 4, None))).change()
    assert both.cells == {(1, 2, 3), (None, 2, 4)} and both.evidence_ids == {2}
    mixed = Batch((rating, UpdateEvidence(5, {"title": "x"}))).change()
    assert mixed.cells is None and mixed.details and mixed.evidence_ids == {2, 5}
