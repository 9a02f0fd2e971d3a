"""Sensitivity (spec section 6) and "what would change my mind"."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.change_my_mind import change_my_mind
from workbench.core.model import Analyst, Evidence, Hypothesis, Project
from workbench.core.ratings import Level, Rating
from workbench.core.scoring import score
from workbench.core.sensitivity import (
    Totals,
    cell_contributions,
    project_sensitivity,
    sensitivity,
    sensitivity_report,
    top_two,
)

R = Rating
WEIGHTS = (0.5, 1 / np.sqrt(2), 1.0, np.sqrt(2), 2.0)


def matrix(rows: list[list[Rating]]) -> np.ndarray:
    return np.array([[int(r) for r in row] for row in rows], dtype=np.int8)


def test_an_item_whose_exclusion_changes_the_leader_is_a_linchpin():
    # E1: H1 C, H2 II; E2: H1 I, H2 C. WI H1 = 1, H2 = 2: H1 leads by 1.
    codes = matrix([[R.C, R.II], [R.I, R.C]])
    result = sensitivity(codes, np.ones(2), np.ones(2, dtype=bool))
    assert (result.leader, result.runner_up, result.margin) == (0, 1, 1.0)
    # Without E1: H1 WI 1, H2 WI 0, so H2 leads by 1. Without E2: H1 0, H2 2.
    assert result.excluded_leader.tolist() == [1, 0]
    assert result.excluded_margin.tolist() == [1.0, 2.0]
    assert result.excluded_lead.tolist() == [-1.0, 2.0]
    # Every flip of E2 ends in a tie that H1 wins on position (WI, C and I all equal),
    # so E2 is not a linchpin.
    assert result.linchpins.tolist() == [0]


def test_a_flip_that_breaks_a_tie_makes_a_linchpin():
    # One item, both hypotheses I: an exact tie that H1 wins on position.
    codes = matrix([[R.I, R.I], [R.N, R.N]])
    result = sensitivity(codes, np.ones(2), np.ones(2, dtype=bool))
    assert (result.leader, result.runner_up, result.margin) == (0, 1, 0.0)
    cells = list(zip(result.cell_rows.tolist(), result.cell_columns.tolist(), strict=True))
    e1_h1, e1_h2 = cells.index((0, 0)), cells.index((0, 1))
    assert result.toward_inconsistent_leader[e1_h1] == 1  # H1 to II: H2 leads
    assert result.toward_consistent_leader[e1_h2] == 1  # H2 to N: H2 leads
    assert result.toward_consistent_leader[e1_h1] == 0
    # E2 (both N): H1 to I hands the lead to H2; E2 is a linchpin too.
    e2_h1 = cells.index((1, 0))
    assert result.toward_inconsistent_leader[e2_h1] == 1
    assert result.linchpins.tolist() == [0, 1]


def test_ties_follow_the_full_rank_rule():
    # WI tie (1 and 1); H2 is more consistent, so H2 leads though H1 comes first.
    codes = matrix([[R.I, R.I], [R.N, R.C]])
    result = sensitivity(codes, np.ones(2), np.ones(2, dtype=bool))
    assert (result.leader, result.runner_up, result.margin) == (1, 0, 0.0)
    # Excluding E2 removes H2's consistency: the tie falls to position, H1.
    assert result.excluded_leader.tolist() == [1, 0]


def test_inconsistency_count_breaks_a_tie_in_weighted_inconsistency():
    # H1: one II at weight 0.5 (WI 1, count 2); H2: one I at weight 1 (WI 1, count 1).
    codes = matrix([[R.II, R.N], [R.N, R.I]])
    weights = np.array([0.5, 1.0])
    result = sensitivity(codes, weights, np.ones(2, dtype=bool))
    assert result.leader == score(codes, weights, np.ones(2, dtype=bool)).leader == 1


def test_excluded_items_are_left_out():
    codes = matrix([[R.C, R.II], [R.I, R.C]])
    active = np.array([True, False])
    result = sensitivity(codes, np.ones(2), active)
    assert result.excluded_rows.tolist() == [0]
    assert set(result.cell_rows.tolist()) == {0}
    assert result.leader == 0  # H1 WI 0, H2 WI 2


def test_one_hypothesis_and_an_empty_matrix():
    single = sensitivity(matrix([[R.I]]), np.ones(1), np.ones(1, dtype=bool))
    assert (single.leader, single.runner_up, single.margin) == (0, -1, 0.0)
    assert single.linchpins.size == 0 and single.change_my_mind is None
    empty = sensitivity(np.zeros((0, 3), dtype=np.int8), np.zeros(0), np.zeros(0, dtype=bool))
    assert (empty.leader, empty.runner_up) == (0, 1)
    assert empty.excluded_rows.size == 0 and empty.cell_rows.size == 0


cells = st.sampled_from([int(r) for r in Rating])


@st.composite
def layers(draw, max_rows: int = 8, max_hypotheses: int = 5):
    n_e = draw(st.integers(0, max_rows))
    n_h = draw(st.integers(1, max_hypotheses))
    codes = np.array(
        draw(st.lists(cells, min_size=n_e * n_h, max_size=n_e * n_h)), dtype=np.int8
    ).reshape(n_e, n_h)
    weights = np.array(draw(st.lists(st.sampled_from(WEIGHTS), min_size=n_e, max_size=n_e)))
    active = np.array(draw(st.lists(st.booleans(), min_size=n_e, max_size=n_e)), dtype=bool)
    return codes, weights.reshape(n_e), active


@settings(max_examples=150, deadline=None)
@given(layers())
def test_what_ifs_agree_with_rescoring_from_scratch(layer):
    codes, weights, active = layer
    result = sensitivity(codes, weights, active)
    base = score(codes, weights, active)
    assert result.leader == base.leader
    for k, row in enumerate(result.excluded_rows.tolist()):
        off = active.copy()
        off[row] = False
        again = score(codes, weights, off)
        order = again.order()
        assert result.excluded_leader[k] == order[0]
        if len(order) > 1:
            wi = again.weighted_inconsistency
            expected = wi[order[1]] - wi[order[0]]
            assert result.excluded_margin[k] == pytest.approx(expected, abs=1e-9)
    for k, (row, col) in enumerate(zip(result.cell_rows, result.cell_columns, strict=True)):
        for direction, leaders in (
            (1, result.toward_consistent_leader),
            (-1, result.toward_inconsistent_leader),
        ):
            moved = codes.copy()
            moved[row, col] = Rating(int(codes[row, col])).step(direction)
            assert leaders[k] == score(moved, weights, active).leader
    expected_linchpins = set()
    for row in np.flatnonzero(active).tolist():
        k = result.excluded_rows.tolist().index(row)
        flips = result.cell_rows == row
        changed = (
            result.excluded_leader[k] != base.leader
            or np.any(result.toward_consistent_leader[flips] != base.leader)
            or np.any(result.toward_inconsistent_leader[flips] != base.leader)
        )
        if changed and codes.shape[1] > 1:
            expected_linchpins.add(row)
    assert set(result.linchpins.tolist()) == expected_linchpins


def _apply(codes: np.ndarray, changes) -> np.ndarray:
    moved = codes.copy()
    for change in changes:
        assert moved[change.row, change.column] == change.before
        moved[change.row, change.column] = change.after
    return moved


def _brute_force_minimum(codes, weights, active, target) -> int | None:
    """Try every combination of WI-moving steps; the fewest that crown ``target``."""
    options = []  # (row, col, direction, max steps)
    for row in np.flatnonzero(active).tolist():
        for col in range(codes.shape[1]):
            rating = int(codes[row, col])
            if col == target and rating in (R.II, R.I):
                options.append((row, col, +1, 2 if rating == R.II else 1))
            elif col != target and rating in (R.N, R.I):
                options.append((row, col, -1, 2 if rating == R.N else 1))
    best = None
    for counts in itertools.product(*[range(n + 1) for *_, n in options]):
        total = sum(counts)
        if best is not None and total >= best:
            continue
        moved = codes.copy()
        for (row, col, direction, _), count in zip(options, counts, strict=True):
            moved[row, col] += direction * count
        if score(moved, weights, active).leader == target:
            best = total
    return best


@settings(max_examples=60, deadline=None)
@given(layers(max_rows=3, max_hypotheses=3))
def test_change_my_mind_is_the_smallest_set_of_wi_moving_steps(layer):
    codes, weights, active = layer
    if codes.shape[1] < 2:
        return
    target = int(score(codes, weights, active).order()[1])
    changes = change_my_mind(codes, weights, active, target)
    expected = _brute_force_minimum(codes, weights, active, target)
    if expected is None:
        assert changes is None
        return
    assert changes is not None
    assert sum(c.steps for c in changes) == expected
    assert score(_apply(codes, changes), weights, active).leader == target


def test_change_my_mind_on_a_hand_worked_case():
    # H1 leads with WI 1 against H2's 3 (E1 II at weight 1, E2 I at weight 1).
    codes = matrix([[R.N, R.II], [R.C, R.I], [R.I, R.C]])
    weights = np.array([1.0, 1.0, 2.0])
    active = np.ones(3, dtype=bool)
    # WI H1 = 2 (E3 I at weight 2), H2 = 3 (E1 II, E2 I). Margin 1: one step closes it
    # to a tie, which H2 wins on consistency (E3 C at weight 2 against H1's E2 C at 1).
    changes = change_my_mind(codes, weights, active, 1)
    assert changes is not None and sum(c.steps for c in changes) == 1
    assert score(_apply(codes, changes), weights, active).leader == 1


def test_already_leading_needs_no_change_and_impossible_gives_none():
    codes = matrix([[R.C, R.II]])
    assert change_my_mind(codes, np.ones(1), np.ones(1, dtype=bool), 0) == []
    # H2's II can climb to N (WI 0, a tie), but H1 has nothing at N or I to push down
    # and keeps more consistency: no WI-moving steps crown H2.
    codes = matrix([[R.CC, R.II], [R.CC, R.N]])
    assert change_my_mind(codes, np.ones(2), np.ones(2, dtype=bool), 1) is None


def test_top_two_ranks_stacks_like_the_scorer():
    totals = Totals(
        np.array([[1.0, 1.0, 0.5], [2.0, 1.0, 1.0]]),
        np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0]]),
        np.array([[1.0, 1.0, 1.0], [2.0, 1.0, 1.0]]),
    )
    first, second = top_two(totals)
    assert first.tolist() == [2, 1]
    assert second.tolist() == [0, 2]


def test_cell_contributions_sum_to_the_scores():
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 7, size=(40, 6)).astype(np.int8)
    weights = rng.choice(WEIGHTS, 40)
    active = rng.random(40) > 0.2
    cells_ = cell_contributions(codes, weights, active)
    scores = score(codes, weights, active)
    assert np.allclose(cells_.weighted_inconsistency.sum(axis=0), scores.weighted_inconsistency)
    assert np.allclose(cells_.consistency.sum(axis=0), scores.consistency)
    assert np.allclose(cells_.inconsistency.sum(axis=0), scores.inconsistency)


def test_thousand_by_twenty_covers_every_active_item():
    # How fast is a benchmark figure (tests/benchmarks/run.py), not a timed test.
    rng = np.random.default_rng(3)
    codes = rng.integers(0, 7, size=(1000, 20)).astype(np.int8)
    weights = rng.choice(WEIGHTS, 1000)
    active = rng.random(1000) > 0.05
    result = sensitivity(codes, weights, active)
    assert result.excluded_rows.size == active.sum()


def test_the_json_document_of_the_example_case():
    from workbench.exchange.example import load_example

    project = load_example()
    report = sensitivity_report(project, project_sensitivity(project))
    assert list(report)[:5] == ["leader", "runner_up", "margin", "leave_one_out", "linchpins"]
    scores = score(project.layer(project.analysts[0].id), project.weights(), project.active_mask())
    order = scores.order()
    assert report["leader"] == project.hypotheses[order[0]].code
    assert report["runner_up"] == project.hypotheses[order[1]].code
    assert report["margin"] == pytest.approx(
        scores.weighted_inconsistency[order[1]] - scores.weighted_inconsistency[order[0]]
    )
    active_codes = [e.code for e in project.evidence if e.active]
    assert [x["evidence"] for x in report["leave_one_out"]] == active_codes
    assert set(report["leave_one_out"][0]) == {"evidence", "leader", "margin"}


def test_the_json_lists_at_most_the_smallest_flips_that_change_the_leader():
    from workbench.core.sensitivity import FLIP_LIMIT, leader_changing_flips

    rng = np.random.default_rng(11)
    project = Project("tight race")
    project.hypotheses = [Hypothesis(project.new_id(), f"H{j}", "h") for j in range(1, 4)]
    project.evidence = [
        Evidence(project.new_id(), f"E{i}", "e", credibility=list(Level)[i % 3])
        for i in range(1, 121)
    ]
    # Two hypotheses tied but for one item: many single steps change the leader.
    layer = np.full((120, 3), int(Rating.N), dtype=np.int8)
    layer[:, 2] = Rating.II
    layer[0, 1] = Rating.I
    layer[rng.integers(0, 120, 30), 0] = Rating.C
    project.add_analyst(Analyst(project.new_id(), "A"), layer)
    result = project_sensitivity(project)
    changing = leader_changing_flips(project, result)
    assert changing.size > FLIP_LIMIT
    report = sensitivity_report(project, result)
    assert report["flips_total"] == changing.size and not report["flips_complete"]
    assert len(report["flips"]) == FLIP_LIMIT
    weights = project.weights()[result.cell_rows[changing]]
    assert np.all(np.diff(weights) >= 0)  # smallest first
    full = sensitivity_report(project, result, all_flips=True)
    assert len(full["flips"]) == result.cell_rows.size and full["flips_complete"]
