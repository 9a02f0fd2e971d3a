"""Disagreement analysis on a hand-worked team of three analysts (3 evidence x 3 hypotheses)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workbench.core.analysis import score_project
from workbench.core.consensus import SpreadLevel
from workbench.core.edits import SetOverride
from workbench.core.model import Analyst, ConsensusOverride, Evidence, Hypothesis, Project
from workbench.core.ratings import Level, Rating
from workbench.core.team import analyse_team, team_report

CC, C, N, I, II, NA, BLANK = (
    Rating.CC,
    Rating.C,
    Rating.N,
    Rating.I,
    Rating.II,
    Rating.NA,
    Rating.BLANK,
)

# Rows E1..E3, columns H1..H3.
TEAM = {
    "Ana": [[C, I, N], [CC, C, I], [N, NA, II]],
    "Ben": [[I, I, C], [I, C, II], [NA, NA, I]],
    "Cy": [[C, II, N], [C, NA, I], [NA, NA, I]],
}


def team_project() -> Project:
    project = Project(title="Team")
    for k in range(3):
        project.insert_hypothesis(k, Hypothesis(project.new_id(), f"H{k + 1}", f"Hyp {k + 1}"))
    weights = [(Level.HIGH, Level.MEDIUM), (Level.MEDIUM, Level.MEDIUM), (Level.LOW, Level.MEDIUM)]
    for r, (cred, rel) in enumerate(weights):
        item = Evidence(project.new_id(), f"E{r + 1}", f"Item {r + 1}")
        item.credibility, item.relevance = cred, rel
        project.insert_evidence(r, item)
    for name, grid in TEAM.items():
        project.add_analyst(Analyst(project.new_id(), name), np.array(grid, dtype=np.int8))
    return project


def test_consensus_spread_and_disputes_match_the_hand_worked_values() -> None:
    team = analyse_team(team_project())
    # E1H1 C,I,C -> 1/3 -> N; E1H2 I,I,II -> -4/3 -> I; E1H3 N,C,N -> N
    # E2H1 CC,I,C -> 2/3 -> C; E2H2 C,C,NA -> C (NA in the minority); E2H3 I,II,I -> I
    # E3H1 N,NA,NA -> NA (2 NA > 1 scored); E3H2 all NA; E3H3 II,I,I -> I
    assert team.consensus.tolist() == [[N, I, N], [C, C, I], [NA, NA, I]]
    s8, s2, s14 = math.sqrt(8) / 3, math.sqrt(2) / 3, math.sqrt(14) / 3
    expected_spread = [[s8, s2, s2], [s14, 0.0, s2], [0.0, 0.0, s2]]
    assert team.spread == pytest.approx(np.array(expected_spread), abs=1e-12)
    assert team.disputed.tolist() == [
        [True, False, False],
        [True, False, False],
        [False, False, False],
    ]
    assert team.cell(1, 0).level is SpreadLevel.EXTREME  # 1.247
    assert team.cell(0, 0).level is SpreadLevel.LARGE  # 0.943
    assert team.cell(0, 1).level is SpreadLevel.MILD  # 0.471
    assert team.cell(2, 0).level is SpreadLevel.AGREEMENT


def test_team_scores_use_the_consensus_layer() -> None:
    scores = score_project(team_project())
    w1, w2, w3 = math.sqrt(2), 1.0, 1 / math.sqrt(2)
    # consensus values: E1 0,-1,0   E2 +1,+1,-1   E3 -,-,-1
    assert scores.inconsistency.tolist() == [0.0, 1.0, 2.0]
    assert scores.weighted_inconsistency == pytest.approx([0.0, w1, w2 + w3], abs=1e-9)
    assert scores.consistency == pytest.approx([w2, w2, 0.0], abs=1e-9)
    assert scores.normalized == pytest.approx(
        [0.0, w1 / (w1 + w2), (w2 + w3) / (w1 + w2 + w3)], abs=1e-9
    )
    assert scores.rank.tolist() == [1, 2, 3]


def test_one_analyst_scores_use_their_own_layer() -> None:
    project = team_project()
    ana = project.analyst_by_name("ana")
    assert ana is not None
    scores = score_project(project, ana.id)
    # Ana: E1 +1,-1,0   E2 +2,+1,-1   E3 0,-,-2
    assert scores.weighted_inconsistency == pytest.approx(
        [0.0, math.sqrt(2), 1 + math.sqrt(2)], abs=1e-9
    )


def test_disputed_cells_come_first_ordered_by_how_much_they_matter() -> None:
    team = analyse_team(team_project())
    ranking = team.ranking()
    first, second = ranking[0], ranking[1]
    # E1H1: spread sqrt(8)/3 x weight sqrt(2) x diagnosticity sqrt(14)/3 (Cy's row E1:
    # +1,-2,0 is the most diagnostic reading of E1) = 4 sqrt(14) / 9 = 1.663
    assert (first.evidence_code, first.hypothesis_code) == ("E1", "H1")
    assert first.importance == pytest.approx(4 * math.sqrt(14) / 9, abs=1e-12)
    # E2H1: sqrt(14)/3 x 1 x sqrt(14)/3 = 14/9 = 1.556, disputed but matters less
    assert (second.evidence_code, second.hypothesis_code) == ("E2", "H1")
    assert second.importance == pytest.approx(14 / 9, abs=1e-12)
    assert [c.disputed for c in ranking[:2]] == [True, True]
    assert not any(c.disputed for c in ranking[2:])
    # Unanimous cells (E3H2: everyone NA) are not disagreements; NA against a
    # scored rating (E3H1) is, even without spread.
    listed = {(c.evidence_code, c.hypothesis_code) for c in ranking}
    assert ("E3", "H2") not in listed
    assert ("E3", "H1") in listed
    importance = [c.importance for c in ranking[2:]]
    assert importance == sorted(importance, reverse=True)


def test_excluded_evidence_does_not_matter_to_the_scores() -> None:
    project = team_project()
    project.evidence[0].active = False
    ranking = analyse_team(project).ranking()
    assert (ranking[0].evidence_code, ranking[0].hypothesis_code) == ("E2", "H1")
    assert ranking[1].importance == 0.0


def test_a_cell_lists_every_analyst_with_rating_and_rationale() -> None:
    project = team_project()
    ben = project.analyst_by_name("Ben")
    assert ben is not None
    e1, h1 = project.evidence[0].id, project.hypotheses[0].id
    project.set_rating(ben.id, e1, h1, I, "the statement was denied a day later")
    cell = analyse_team(project).cell(0, 0)
    assert [(r.name, r.rating, r.rationale) for r in cell.ratings] == [
        ("Ana", C, ""),
        ("Ben", I, "the statement was denied a day later"),
        ("Cy", C, ""),
    ]
    assert not cell.unanimous


def test_an_override_is_marked_and_wins() -> None:
    project = team_project()
    e2, h1 = project.evidence[1].id, project.hypotheses[0].id
    SetOverride(e2, h1, ConsensusOverride(I, "agreed in the workshop")).apply(project)
    team = analyse_team(project)
    cell = team.cell(1, 0)
    assert (cell.consensus, cell.computed, cell.overridden) == (I, C, True)
    assert cell.override is not None and cell.override.note == "agreed in the workshop"
    assert team.overridden.tolist() == [
        [False, False, False],
        [True, False, False],
        [False, False, False],
    ]
    scores = score_project(project)
    # H1 now has E2 inconsistent (weight 1): WI 0 -> 1, consistency 1 -> 0. It still
    # leads H2 (WI sqrt 2) and H3 (WI 1 + 1/sqrt 2).
    assert scores.weighted_inconsistency[0] == pytest.approx(1.0, abs=1e-12)
    assert scores.consistency[0] == pytest.approx(0.0, abs=1e-12)
    assert scores.rank.tolist() == [1, 2, 3]


def test_team_report_lists_every_rated_cell_in_matrix_order() -> None:
    project = team_project()
    project.layers[project.analysts[0].id][2, 1] = BLANK
    report = team_report(project)
    assert report["analysts"] == ["Ana", "Ben", "Cy"]
    cells = [(c["evidence"], c["hypothesis"]) for c in report["cells"]]
    assert cells == [(f"E{r}", f"H{h}") for r in (1, 2, 3) for h in (1, 2, 3)]
    first = report["cells"][0]
    assert set(first) >= {"evidence", "hypothesis", "consensus", "spread", "disputed", "ratings"}
    assert first["ratings"] == {"Ana": "C", "Ben": "I", "Cy": "C"}
    assert first["consensus"] == "N" and first["disputed"] is True
    e3h2 = report["cells"][7]
    assert e3h2["ratings"] == {"Ana": "", "Ben": "NA", "Cy": "NA"}


def test_unrated_cells_are_left_out_of_the_report() -> None:
    project = team_project()
    for layer in project.layers.values():
        layer[0, :] = BLANK
    cells = team_report(project)["cells"]
    assert [c["evidence"] for c in cells].count("E1") == 0
    assert len(cells) == 6


def test_the_team_layer_is_the_project_consensus_with_overrides() -> None:
    from workbench.core.consensus import project_consensus

    project = team_project()
    for row, column, rating in ((0, 0, CC), (2, 1, I)):
        key = (project.evidence[row].id, project.hypotheses[column].id)
        project.overrides[key] = ConsensusOverride(rating)
    team = analyse_team(project)
    assert np.array_equal(team.consensus, project_consensus(project))
    assert np.argwhere(team.overridden).tolist() == [[0, 0], [2, 1]]


def test_ranked_positions_and_ranking_agree_with_a_plain_sort() -> None:
    rng = np.random.default_rng(7)
    project = team_project()
    for layer in project.layers.values():
        layer[:] = rng.integers(0, 7, size=layer.shape)
    team = analyse_team(project)
    expected = sorted(
        (c for c in team.rated_cells() if not c.unanimous),
        key=lambda c: (not c.disputed, -c.importance, -c.spread, c.row, c.column),
    )
    assert [(c.row, c.column) for c in team.ranking()] == [(c.row, c.column) for c in expected]
