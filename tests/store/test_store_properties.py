"""Property: any sequence of edits (and undos) applied through the file reopens identically."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.dates import PartialDate
from workbench.core.edits import (
    AddAnalyst,
    AddEvidence,
    AddHypothesis,
    AddMilestone,
    AddSource,
    Batch,
    Edit,
    MoveEvidence,
    MoveHypothesis,
    RemoveAnalyst,
    RemoveEvidence,
    RemoveHypothesis,
    RemoveMilestone,
    RemoveSource,
    SetOverride,
    SetRating,
    UpdateEvidence,
    UpdateHypothesis,
    UpdateProject,
)
from workbench.core.model import (
    Analyst,
    ConsensusOverride,
    Evidence,
    Hypothesis,
    Milestone,
    Project,
    Source,
)
from workbench.core.ratings import Level, Rating
from workbench.store import ProjectFile

ratings = st.sampled_from(list(Rating))
texts = st.text(max_size=12)


def _pick(data, items):
    return data.draw(st.sampled_from(items))


def _draw_edit(data, project: Project) -> Edit:  # noqa: C901 - one branch per kind of edit
    rows, cols = len(project.evidence), len(project.hypotheses)
    kinds = ["add evidence", "add hypothesis", "add analyst", "add source", "project"]
    if rows and cols and project.analysts:
        kinds += ["rate"] * 4 + ["batch", "override"]
    if rows:
        kinds += ["remove evidence", "move evidence", "update evidence"]
    if cols:
        kinds += ["remove hypothesis", "move hypothesis", "update hypothesis", "add milestone"]
    if project.analysts:
        kinds.append("remove analyst")
    if project.sources:
        kinds.append("remove source")
    if project.milestones:
        kinds.append("remove milestone")
    kind = _pick(data, kinds)
    if kind == "rate":
        return SetRating(
            _pick(data, project.analysts).id,
            _pick(data, project.evidence).id,
            _pick(data, project.hypotheses).id,
            data.draw(ratings),
            data.draw(st.none() | texts),
        )
    if kind == "batch":
        size = data.draw(st.integers(1, 4))
        return Batch(tuple(_draw_rating(data, project) for _ in range(size)), "Paste")
    if kind == "override":
        cell = (_pick(data, project.evidence).id, _pick(data, project.hypotheses).id)
        value = data.draw(st.none() | st.builds(ConsensusOverride, ratings, texts))
        return SetOverride(*cell, value)
    if kind == "add evidence":
        item = Evidence(
            project.new_id(),
            project.next_code("E"),
            data.draw(texts),
            date=data.draw(st.none() | st.just(PartialDate(2020, 2))),
            source_id=_pick(data, [None] + [s.id for s in project.sources]),
            credibility=data.draw(st.sampled_from(list(Level))),
            tags=data.draw(st.lists(texts, max_size=2)),
        )
        layer_rows = {
            a.id: np.array(data.draw(st.lists(ratings, min_size=cols, max_size=cols)), np.int8)
            for a in project.analysts
        }
        return AddEvidence(item, data.draw(st.integers(0, rows)), layer_rows)
    if kind == "add hypothesis":
        item = Hypothesis(project.new_id(), project.next_code("H"), data.draw(texts))
        return AddHypothesis(item, data.draw(st.integers(0, cols)))
    if kind == "add analyst":
        layer = np.full((rows, cols), data.draw(ratings), dtype=np.int8)
        return AddAnalyst(Analyst(project.new_id(), data.draw(texts)), layer)
    if kind == "add source":
        return AddSource(Source(project.new_id(), data.draw(texts), 2000), 0)
    if kind == "add milestone":
        item = Milestone(project.new_id(), _pick(data, project.hypotheses).id, data.draw(texts))
        return AddMilestone(item)
    if kind == "project":
        return UpdateProject({"title": data.draw(texts), "likelihoods": {Rating.N: 0.4}})
    if kind == "remove evidence":
        return RemoveEvidence(_pick(data, project.evidence).id)
    if kind == "move evidence":
        return MoveEvidence(_pick(data, project.evidence).id, data.draw(st.integers(0, rows - 1)))
    if kind == "update evidence":
        changes = {"active": data.draw(st.booleans()), "notes": data.draw(texts)}
        return UpdateEvidence(_pick(data, project.evidence).id, changes)
    if kind == "remove hypothesis":
        return RemoveHypothesis(_pick(data, project.hypotheses).id)
    if kind == "move hypothesis":
        item = _pick(data, project.hypotheses).id
        return MoveHypothesis(item, data.draw(st.integers(0, cols - 1)))
    if kind == "update hypothesis":
        changes = {"title": data.draw(texts), "prior": data.draw(st.none() | st.just(0.3))}
        return UpdateHypothesis(_pick(data, project.hypotheses).id, changes)
    if kind == "remove analyst":
        return RemoveAnalyst(_pick(data, project.analysts).id)
    if kind == "remove source":
        return RemoveSource(_pick(data, project.sources).id)
    assert kind == "remove milestone"
    return RemoveMilestone(_pick(data, project.milestones).id)


def _draw_rating(data, project: Project) -> SetRating:
    return SetRating(
        _pick(data, project.analysts).id,
        _pick(data, project.evidence).id,
        _pick(data, project.hypotheses).id,
        data.draw(ratings),
        data.draw(st.none() | texts),
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_edits_and_undos_reopen_as_the_project_in_memory(data, full_project, same_project):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.achwb"
        with ProjectFile.create(path, full_project(4, 3, 2)) as project_file:
            undo: list[Edit] = []
            for _ in range(data.draw(st.integers(1, 12), label="steps")):
                if undo and data.draw(st.booleans(), label="undo?"):
                    project_file.apply(undo.pop())
                else:
                    undo.append(project_file.apply(_draw_edit(data, project_file.project)))
            in_memory = project_file.project
            with ProjectFile.open(path, read_only=True) as reopened:
                assert same_project(reopened.project, in_memory)
