"""A team's report: the disagreements, the cells set by hand with their notes,
and the reasons behind the disputed cells, when the ratings are the team's."""

from __future__ import annotations

import numpy as np

from workbench.core.analysis import CONSENSUS
from workbench.core.model import Analyst, ConsensusOverride, Evidence, Hypothesis, Project
from workbench.core.ratings import Rating
from workbench.reports.content import build_report
from workbench.reports.html import render_html


def team_case() -> Project:
    project = Project("Bridge", "Will the bridge open by June?")
    for k in range(2):
        project.insert_hypothesis(k, Hypothesis(project.new_id(), f"H{k + 1}", f"Hyp {k + 1}"))
    for r in range(3):
        project.insert_evidence(r, Evidence(project.new_id(), f"E{r + 1}", f"Item {r + 1}"))
    c, i, n = int(Rating.C), int(Rating.I), int(Rating.N)
    ana = Analyst(project.new_id(), "Ana")
    ben = Analyst(project.new_id(), "Ben")
    project.add_analyst(ana, np.array([[c, i], [n, n], [c, c]], dtype=np.int8))
    project.add_analyst(ben, np.array([[i, i], [n, c], [c, c]], dtype=np.int8))
    e1, h1 = project.evidence[0], project.hypotheses[0]
    project.rationales[(ana.id, e1.id, h1.id)] = "The steel arrived on time."
    project.rationales[(ben.id, e1.id, h1.id)] = "The steel was the wrong grade."
    e2, h2 = project.evidence[1], project.hypotheses[1]
    project.overrides[(e2.id, h2.id)] = ConsensusOverride(Rating.N, "Agreed after the call.")
    return project


def test_a_team_report_shows_disagreements_hand_set_cells_and_reasons():
    project = team_case()
    content = build_report(project, CONSENSUS, app_version="9.9")
    team = content.team
    assert team is not None
    assert team.analysts == ("Ana", "Ben")
    assert team.disagreements[0].cell == "E1 × H1" and team.disagreements[0].disputed
    assert team.disagreements[0].ratings == ("C", "I")
    assert [(h.cell, h.rating, h.note) for h in team.hand_set] == [
        ("E2 × H2", "N", "Agreed after the call.")
    ]
    assert {(r.analyst, r.rationale) for r in team.reasons} == {
        ("Ana", "The steel arrived on time."),
        ("Ben", "The steel was the wrong grade."),
    }
    assert "2 analysts (Ana, Ben)" in team.summary and "1 cell by hand" in team.summary
    html = render_html(content, {})
    for needed in (
        "<h2>The team</h2>",
        "Where the analysts differ",
        "Consensus set by hand",
        "Agreed after the call.",
        "Reasons behind the disputed cells",
        "The steel was the wrong grade.",
    ):
        assert needed in html, needed


def test_one_analysts_ratings_have_no_team_section():
    project = team_case()
    ana = project.analysts[0].id
    content = build_report(project, ana, app_version="9.9")
    assert content.team is None
    assert "The team" not in render_html(content, {})
    solo = Project("Solo")
    solo.insert_hypothesis(0, Hypothesis(solo.new_id(), "H1", "Only"))
    solo.add_analyst(Analyst(solo.new_id(), "Ana"))
    assert build_report(solo, CONSENSUS, app_version="9.9").team is None


def test_the_time_horizon_is_printed_under_the_key_question():
    project = team_case()
    project.time_horizon = "through June 2027"
    html = render_html(build_report(project, CONSENSUS, app_version="9.9"), {})
    assert "<b>Time horizon:</b> through June 2027" in html
