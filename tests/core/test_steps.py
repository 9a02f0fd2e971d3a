"""Which of Heuer's steps the guide highlights, from project state alone."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from workbench.core.model import Analyst, Evidence, Hypothesis, Milestone, Project
from workbench.core.ratings import Rating
from workbench.core.steps import HEUER_STEPS, current_step

C, I, N, NA, BLANK = Rating.C, Rating.I, Rating.N, Rating.NA, Rating.BLANK


def make_project(n_hypotheses: int, rows: list[list[Rating]]) -> tuple[Project, np.ndarray]:
    project = Project(title="Test")
    project.add_analyst(Analyst(project.new_id(), "Ann"))
    for k in range(n_hypotheses):
        project.insert_hypothesis(k, Hypothesis(project.new_id(), f"H{k + 1}", f"Hyp {k + 1}"))
    for r, row in enumerate(rows):
        project.insert_evidence(
            r,
            Evidence(project.new_id(), f"E{r + 1}", f"Item {r + 1}"),
            rows={project.analysts[0].id: np.array(row, dtype=np.int8)},
        )
    return project, project.layer(project.analysts[0].id)


def test_eight_steps_are_numbered_in_order_with_text():
    assert [s.number for s in HEUER_STEPS] == list(range(1, 9))
    assert all(s.title and len(s.explanation) > 80 for s in HEUER_STEPS)


def test_fewer_than_two_hypotheses_is_step_one():
    for n in (0, 1):
        project, codes = make_project(n, [])
        status = current_step(project, codes)
        assert status.step == 1
        assert "at least two" in status.reason


def test_no_evidence_is_step_two():
    project, codes = make_project(3, [])
    assert current_step(project, codes).step == 2


def test_only_excluded_evidence_is_step_two():
    project, codes = make_project(2, [[C, I]])
    project.evidence[0].active = False
    status = current_step(project, codes)
    assert status.step == 2
    assert "excluded" in status.reason


def test_blank_cells_among_active_evidence_are_step_three_and_counted():
    project, codes = make_project(3, [[C, BLANK, I], [BLANK, BLANK, N], [C, I, N]])
    status = current_step(project, codes)
    assert status.step == 3
    assert status.unrated == 3
    assert status.reason.startswith("3 cells unrated")


def test_blank_cells_in_excluded_evidence_do_not_count():
    project, codes = make_project(2, [[C, I], [BLANK, BLANK]])
    project.evidence[1].active = False
    assert current_step(project, codes).step == 5


def test_one_unrated_cell_reads_in_the_singular():
    project, codes = make_project(2, [[C, BLANK]])
    assert current_step(project, codes).reason.startswith("1 cell unrated")


def test_non_diagnostic_active_evidence_is_step_four():
    # E2 is consistent with both: it does not help choose; E3 is NA everywhere.
    project, codes = make_project(2, [[C, I], [C, C], [NA, NA]])
    status = current_step(project, codes)
    assert status.step == 4
    assert status.non_diagnostic == ("E2", "E3")
    assert "E2, E3" in status.reason


def test_excluding_the_non_diagnostic_item_moves_on_to_step_five():
    project, codes = make_project(2, [[C, I], [C, C]])
    project.evidence[1].active = False
    status = current_step(project, codes)
    assert status.step == 5
    assert "H1 is the least inconsistent" in status.reason


def test_leader_named_is_the_least_inconsistent():
    project, codes = make_project(3, [[I, C, I], [C, N, I]])
    status = current_step(project, codes)
    assert status.step == 5
    assert "H2 is the least inconsistent" in status.reason


def test_milestones_are_suggested_only_when_missing():
    project, codes = make_project(2, [[C, I]])
    status = current_step(project, codes)
    assert status.milestones_due
    assert "step 8" in status.reason
    project.milestones.append(Milestone(project.new_id(), project.hypotheses[0].id, "A sign"))
    status = current_step(project, codes)
    assert not status.milestones_due
    assert "step 8" not in status.reason


def test_the_layer_passed_in_decides_not_the_stored_one():
    project, codes = make_project(2, [[C, I]])
    blank_layer = np.zeros_like(codes)
    assert current_step(project, blank_layer).step == 3
    assert current_step(project, codes).step == 5


ratings = st.sampled_from(list(Rating))


@given(st.integers(0, 4), st.integers(0, 5), st.data())
def test_step_is_always_one_of_the_first_five_with_a_reason(n_h, n_e, data):
    rows = [data.draw(st.lists(ratings, min_size=n_h, max_size=n_h)) for _ in range(n_e)]
    project, codes = make_project(n_h, rows)
    status = current_step(project, codes)
    assert status.step in (1, 2, 3, 4, 5)
    assert status.reason
    if status.step == 3:
        assert status.unrated == int(np.count_nonzero(codes == BLANK))
    if status.step >= 4:
        assert not np.any(codes == BLANK)
