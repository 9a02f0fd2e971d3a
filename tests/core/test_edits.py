"""Every edit undoes exactly: applying the inverses in reverse restores the project."""

import copy
import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core import edits
from workbench.core.dates import PartialDate
from workbench.core.model import (
    Analyst,
    ConsensusOverride,
    Evidence,
    Hypothesis,
    Milestone,
    MilestoneStatus,
    Project,
    Source,
)
from workbench.core.ratings import Level, Rating


def small_project() -> Project:
    p = Project("t", question="q?")
    p.add_analyst(Analyst(p.new_id(), "Ana"))
    p.add_analyst(Analyst(p.new_id(), "Ben"))
    for i in range(3):
        p.insert_hypothesis(i, Hypothesis(p.new_id(), f"H{i + 1}", f"hyp {i + 1}"))
    for i in range(4):
        p.insert_evidence(i, Evidence(p.new_id(), f"E{i + 1}", f"ev {i + 1}"))
    p.sources.append(Source(p.new_id(), "Author", 2020, citation="Author, 2020"))
    p.milestones.append(Milestone(p.new_id(), p.hypotheses[0].id, "watch"))
    for a in p.analysts:
        for e in p.evidence:
            for h in p.hypotheses:
                p.set_rating(a.id, e.id, h.id, Rating((e.id + h.id + a.id) % 7))
    return p


def snapshot(p: Project):
    state = copy.deepcopy(dataclasses.asdict(p))
    state["layers"] = {k: v.tolist() for k, v in p.layers.items()}
    state.pop("next_id")
    return state


def test_set_rating_label_and_undo():
    p = small_project()
    ana, e2, h3 = p.analysts[0].id, p.evidence[1], p.hypotheses[2]
    p.set_rating(ana, e2.id, h3.id, Rating.C)
    edit = edits.SetRating(ana, e2.id, h3.id, Rating.I, "why")
    assert edit.label(p) == "Rate E2 x H3: C -> I"
    before = snapshot(p)
    undo = edit.apply(p)
    assert p.rating(ana, e2.id, h3.id) is Rating.I
    assert p.rationale(ana, e2.id, h3.id) == "why"
    undo.apply(p)
    assert snapshot(p) == before


def test_remove_evidence_keeps_everything_for_undo():
    p = small_project()
    e = p.evidence[1]
    p.rationales[(p.analysts[1].id, e.id, p.hypotheses[0].id)] = "note"
    p.overrides[(e.id, p.hypotheses[0].id)] = ConsensusOverride(Rating.N, "agreed")
    before = snapshot(p)
    undo = edits.RemoveEvidence(e.id).apply(p)
    assert [x.code for x in p.evidence] == ["E1", "E3", "E4"]
    assert all(grid.shape == (3, 3) for grid in p.layers.values())
    assert p.overrides == {}
    undo.apply(p)
    # Undo brings back the facilitator's consensus rating along with the ratings.
    assert p.overrides[(e.id, p.hypotheses[0].id)] == ConsensusOverride(Rating.N, "agreed")
    assert snapshot(p) == before


def test_remove_hypothesis_restores_overrides_and_milestones_in_place_on_undo():
    p = small_project()
    h1, h2 = p.hypotheses[0].id, p.hypotheses[1].id
    # Milestones of H1 around one of H2's, so a restore at the end would reorder them.
    p.milestones.append(Milestone(p.new_id(), h2, "other"))
    p.milestones.append(Milestone(p.new_id(), h1, "watch too"))
    p.overrides[(p.evidence[0].id, h1)] = ConsensusOverride(Rating.CC, "decided")
    p.overrides[(p.evidence[0].id, h2)] = ConsensusOverride(Rating.I, "kept")
    before = snapshot(p)
    undo = edits.RemoveHypothesis(h1).apply(p)
    assert [m.indicator for m in p.milestones] == ["other"]
    assert list(p.overrides) == [(p.evidence[0].id, h2)]
    undo.apply(p)
    assert [m.indicator for m in p.milestones] == ["watch", "other", "watch too"]
    assert p.overrides[(p.evidence[0].id, h1)] == ConsensusOverride(Rating.CC, "decided")
    assert snapshot(p) == before


def test_remove_source_unlinks_and_undo_relinks():
    p = small_project()
    source = p.sources[0]
    p.evidence[2].source_id = source.id
    before = snapshot(p)
    undo = edits.RemoveSource(source.id).apply(p)
    assert p.evidence[2].source_id is None
    undo.apply(p)
    assert snapshot(p) == before


def test_update_rejects_unknown_fields():
    p = small_project()
    with pytest.raises(AttributeError):
        edits.UpdateEvidence(p.evidence[0].id, {"colour": "red"}).apply(p)
    with pytest.raises(AttributeError):
        edits.UpdateEvidence(p.evidence[0].id, {"id": 99}).apply(p)


def test_next_code_is_one_more_than_the_highest():
    p = small_project()
    edits.RemoveEvidence(p.evidence[1].id).apply(p)
    assert p.next_code("E") == "E5"
    assert p.next_code("H") == "H4"


def test_exclusion_label():
    p = small_project()
    assert edits.UpdateEvidence(p.evidence[0].id, {"active": False}).label(p) == "Exclude E1"


# -- property: any sequence of edits, undone in reverse, restores the project --------


@st.composite
def edit_for(draw, p: Project):
    kind = draw(
        st.sampled_from(
            [
                "rate",
                "add_e",
                "rm_e",
                "mv_e",
                "add_h",
                "rm_h",
                "mv_h",
                "upd_e",
                "override",
                "analyst",
                "rename_analyst",
                "batch",
                "add_s",
                "rm_s",
                "upd_s",
                "add_m",
                "rm_m",
                "upd_m",
            ]
        )
    )
    analyst = draw(st.sampled_from(p.analysts)) if p.analysts else None
    if kind in ("rate", "batch") and p.evidence and p.hypotheses and analyst:
        cells = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(p.evidence),
                    st.sampled_from(p.hypotheses),
                    st.sampled_from(list(Rating)),
                    st.none() | st.text(max_size=5),
                ),
                min_size=1,
                max_size=3,
            )
        )
        made = tuple(edits.SetRating(analyst.id, e.id, h.id, r, t) for e, h, r, t in cells)
        return made[0] if kind == "rate" else edits.Batch(made)
    if kind == "add_e":
        ev = Evidence(
            p.next_id + 1000,
            p.next_code("E"),
            "new",
            credibility=draw(st.sampled_from(list(Level))),
            date=PartialDate(2021, 3),
        )
        rows = {a.id: np.full(len(p.hypotheses), int(Rating.C), np.int8) for a in p.analysts}
        return edits.AddEvidence(ev, draw(st.integers(0, len(p.evidence))), rows)
    if kind == "rm_e" and p.evidence:
        return edits.RemoveEvidence(draw(st.sampled_from(p.evidence)).id)
    if kind == "mv_e" and p.evidence:
        return edits.MoveEvidence(
            draw(st.sampled_from(p.evidence)).id, draw(st.integers(0, len(p.evidence) - 1))
        )
    if kind == "add_h":
        h = Hypothesis(p.next_id + 2000, p.next_code("H"), "new h")
        return edits.AddHypothesis(h, draw(st.integers(0, len(p.hypotheses))))
    if kind == "rm_h" and p.hypotheses:
        return edits.RemoveHypothesis(draw(st.sampled_from(p.hypotheses)).id)
    if kind == "mv_h" and p.hypotheses:
        return edits.MoveHypothesis(
            draw(st.sampled_from(p.hypotheses)).id, draw(st.integers(0, len(p.hypotheses) - 1))
        )
    if kind == "upd_e" and p.evidence:
        return edits.UpdateEvidence(
            draw(st.sampled_from(p.evidence)).id,
            {"title": draw(st.text(max_size=8)), "active": draw(st.booleans())},
        )
    if kind == "override" and p.evidence and p.hypotheses:
        value = draw(st.none() | st.sampled_from(list(Rating)).map(ConsensusOverride))
        return edits.SetOverride(
            draw(st.sampled_from(p.evidence)).id, draw(st.sampled_from(p.hypotheses)).id, value
        )
    if kind == "analyst":
        if p.analysts and draw(st.booleans()):
            return edits.RemoveAnalyst(draw(st.sampled_from(p.analysts)).id)
        return edits.AddAnalyst(Analyst(p.next_id + 3000, "Cy"))
    if kind == "rename_analyst" and p.analysts:
        return edits.UpdateAnalyst(draw(st.sampled_from(p.analysts)).id, {"name": "Renamed"})
    if kind == "add_s":
        source = Source(
            p.next_id + 4000, draw(st.text(max_size=6)), draw(st.none() | st.integers(1900, 2100))
        )
        return edits.AddSource(source, draw(st.integers(-1, len(p.sources))))
    if kind == "rm_s" and p.sources:
        # Removing a source unlinks the evidence citing it; undo relinks it.
        source = draw(st.sampled_from(p.sources))
        if p.evidence and draw(st.booleans()):
            cite = edits.UpdateEvidence(
                draw(st.sampled_from(p.evidence)).id, {"source_id": source.id}
            )
            return edits.Batch((cite, edits.RemoveSource(source.id)))
        return edits.RemoveSource(source.id)
    if kind == "upd_s" and p.sources:
        return edits.UpdateSource(
            draw(st.sampled_from(p.sources)).id, {"author": draw(st.text(max_size=6))}
        )
    if kind == "add_m" and p.hypotheses:
        milestone = Milestone(
            p.next_id + 5000, draw(st.sampled_from(p.hypotheses)).id, draw(st.text(max_size=6))
        )
        return edits.AddMilestone(milestone, draw(st.integers(-1, len(p.milestones))))
    if kind == "rm_m" and p.milestones:
        return edits.RemoveMilestone(draw(st.sampled_from(p.milestones)).id)
    if kind == "upd_m" and p.milestones:
        return edits.UpdateMilestone(
            draw(st.sampled_from(p.milestones)).id,
            {
                "indicator": draw(st.text(max_size=6)),
                "expected_by": draw(st.none() | st.just(PartialDate(2022))),
                "status": draw(st.sampled_from(list(MilestoneStatus))),
            },
        )
    return edits.UpdateProject({"title": draw(st.text(max_size=5))})


@given(st.data())
@settings(max_examples=60, deadline=None)
def test_any_edit_sequence_undoes_exactly(data):
    p = small_project()
    states, undos = [snapshot(p)], []
    for _ in range(data.draw(st.integers(1, 8))):
        edit = data.draw(edit_for(p))
        undos.append(edit.apply(p))
        states.append(snapshot(p))
        assert all(g.shape == (len(p.evidence), len(p.hypotheses)) for g in p.layers.values())
    for undo in reversed(undos):
        states.pop()
        undo.apply(p)
        # Overrides and milestones of removed rows/columns come back too, in place.
        assert snapshot(p) == states[-1]


def test_a_project_cannot_grow_past_the_supported_size_one_add_at_a_time(monkeypatch):
    """Open and import refuse an oversized project; an Add must not build one either,
    or the analyst would have a file the workbench then refuses to open."""
    from workbench.core import limits
    from workbench.core.errors import BadInput

    p = small_project()
    monkeypatch.setattr(limits, "MAX_EVIDENCE", len(p.evidence) + 1)
    monkeypatch.setattr(limits, "MAX_HYPOTHESES", len(p.hypotheses))
    monkeypatch.setattr(limits, "MAX_ANALYSTS", len(p.analysts))
    edits.AddEvidence(Evidence(p.new_id(), "E5", "fits"), 4).apply(p)
    before = copy.deepcopy(p)
    refused = [
        edits.AddEvidence(Evidence(p.new_id(), "E6", "one too many"), 5),
        edits.AddHypothesis(Hypothesis(p.new_id(), "H4", "one too many"), 3),
        edits.AddAnalyst(Analyst(p.new_id(), "Cy")),
        # A paste of several rows is a Batch: the row past the limit stops it.
        edits.Batch(
            tuple(edits.AddEvidence(Evidence(p.new_id(), f"P{i}", "x"), 5) for i in range(3))
        ),
    ]
    for edit in refused:
        with pytest.raises(BadInput, match="cannot add .*supported") as caught:
            edit.apply(p)
        assert "\n" not in str(caught.value)
    assert [e.id for e in p.evidence] == [e.id for e in before.evidence]
    assert len(p.hypotheses) == len(before.hypotheses)
    assert len(p.analysts) == len(before.analysts)


def test_an_added_item_obeys_the_text_limit_a_typed_change_does(monkeypatch):
    from workbench.core import limits
    from workbench.core.errors import BadInput

    p = small_project()
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 10)
    long = "x" * 11
    for edit in (
        edits.AddEvidence(Evidence(p.new_id(), "E9", long), 0),
        edits.AddHypothesis(Hypothesis(p.new_id(), "H9", "ok", description=long), 0),
        edits.AddAnalyst(Analyst(p.new_id(), long)),
        edits.AddSource(Source(p.new_id(), long, 2020)),
        edits.AddMilestone(Milestone(p.new_id(), p.hypotheses[0].id, long)),
    ):
        with pytest.raises(BadInput, match="11 characters; the limit is 10"):
            edit.apply(p)
    assert len(p.evidence) == 4 and len(p.analysts) == 2 and len(p.sources) == 1
