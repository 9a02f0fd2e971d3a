"""Conclusions and assumptions are set apart: the ranking with and without them."""

import numpy as np
import pytest

from workbench.core import edits
from workbench.core.analysis import lead_basis, score_project
from workbench.core.model import Analyst, Evidence, EvidenceType, Hypothesis, Project
from workbench.core.ratings import Rating


def case(conclusion_rating: Rating = Rating.II) -> Project:
    """H1 leads on the one observation; the conclusion, if counted, crowns H2."""
    p = Project("t")
    analyst = Analyst(p.new_id(), "Ana")
    p.add_analyst(analyst)
    for code in ("H1", "H2"):
        p.insert_hypothesis(len(p.hypotheses), Hypothesis(p.new_id(), code, code))
    rows = [
        ("E1", EvidenceType.EVENT, True, (Rating.C, Rating.I)),
        ("E2", EvidenceType.CONCLUSION, False, (conclusion_rating, Rating.C)),
        ("E3", EvidenceType.ASSUMPTION, False, (Rating.N, Rating.I)),
    ]
    for code, kind, active, ratings in rows:
        item = Evidence(p.new_id(), code, code, type=kind, active=active)
        p.insert_evidence(len(p.evidence), item)
        for h, rating in zip(p.hypotheses, ratings, strict=True):
            p.set_rating(analyst.id, item.id, h.id, rating)
    return p


def test_only_conclusions_and_assumptions_start_excluded():
    assert {k for k in EvidenceType if not k.counts_by_default} == {
        EvidenceType.CONCLUSION,
        EvidenceType.ASSUMPTION,
    }
    assert EvidenceType.parse("Conclusion") is EvidenceType.CONCLUSION


def test_each_reading_counts_what_it_says():
    p = case()
    readings = {r.label: r for r in lead_basis(p)}
    assert list(readings) == [
        "Observations only",
        "Observations and assumptions",
        "Observations and conclusions",
        "Observations, assumptions and conclusions",
    ]
    only = readings["Observations only"]
    assert only.counted == () and only.leader == 0 and only.margin == pytest.approx(1.0)
    assert np.allclose(only.weighted_inconsistency, score_project(p).weighted_inconsistency)
    assert readings["Observations and assumptions"].counted == ("E3",)
    assert readings["Observations and assumptions"].margin == pytest.approx(2.0)
    with_conclusion = readings["Observations and conclusions"]
    assert with_conclusion.counted == ("E2",) and with_conclusion.leader == 1
    assert with_conclusion.runner_up == 0 and with_conclusion.margin == pytest.approx(1.0)
    # Switched off items stay off in the project: the readings work on copies of the mask.
    assert [e.active for e in p.evidence] == [True, False, False]


def test_an_analyst_exclusion_of_an_observation_holds_in_every_reading():
    p = case()
    p.evidence[0].active = False
    assert all(r.weighted_inconsistency[1] == 0 or r.counted for r in lead_basis(p))
    assert lead_basis(p)[0].weighted_inconsistency.tolist() == [0.0, 0.0]


def test_nothing_to_say_without_reasoning_items():
    p = case()
    for item in list(p.evidence[1:]):
        p.remove_evidence(item.id)
    assert lead_basis(p) == []


def test_retyping_into_a_conclusion_excludes_in_one_undo_step():
    p = case()
    item = p.evidence[0]
    edit = edits.retype_evidence(item, EvidenceType.CONCLUSION)
    assert edit.changes == {"type": EvidenceType.CONCLUSION, "active": False}
    undo = edit.apply(p)
    assert item.type is EvidenceType.CONCLUSION and not item.active
    undo.apply(p)
    assert item.type is EvidenceType.EVENT and item.active
    # Back to an observation: the exclusion is the analyst's to lift.
    p.evidence[1].active = False
    back = edits.retype_evidence(p.evidence[1], EvidenceType.EVENT)
    assert back.changes == {"type": EvidenceType.EVENT}
    assert edits.retype_evidence(item, EvidenceType.STATEMENT).changes == {
        "type": EvidenceType.STATEMENT
    }
