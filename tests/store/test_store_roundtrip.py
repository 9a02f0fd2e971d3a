"""A project survives the file: create/open, every edit, undo, settings, log, copies."""

from __future__ import annotations

import copy
import datetime as dt
import sqlite3
import threading

import numpy as np
import pytest

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
    UpdateAnalyst,
    UpdateEvidence,
    UpdateHypothesis,
    UpdateMilestone,
    UpdateProject,
    UpdateSource,
)
from workbench.core.errors import ProjectFileError
from workbench.core.model import (
    Analyst,
    ConsensusOverride,
    Evidence,
    EvidenceType,
    Hypothesis,
    Milestone,
    Source,
)
from workbench.core.ratings import Level, Rating
from workbench.store import ProjectFile, ReadOnlyFile
from workbench.store import persist as persist_module


def _reopened(path):
    with ProjectFile.open(path, read_only=True) as again:
        return again.project


def test_create_then_open_gives_the_same_project(tmp_path, full_project, same_project):
    project = full_project()
    original = copy.deepcopy(project)
    ProjectFile.create(tmp_path / "p.achwb", project).close()
    loaded = _reopened(tmp_path / "p.achwb")
    assert same_project(loaded, original)
    assert loaded.rationale(*next(iter(original.rationales))) != ""
    assert loaded.evidence[3].date == PartialDate(2020, 8, 9)
    assert loaded.evidence[0].type is EvidenceType.EVENT


def test_empty_project_round_trips(tmp_path, full_project, same_project):
    project = full_project(0, 0, 0)
    ProjectFile.create(tmp_path / "empty.achwb", project).close()
    assert same_project(_reopened(tmp_path / "empty.achwb"), project)


def test_create_refuses_an_existing_file(tmp_path, full_project):
    path = tmp_path / "p.achwb"
    path.write_bytes(b"precious")
    with pytest.raises(ProjectFileError, match="already exists"):
        ProjectFile.create(path, full_project())
    assert path.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.achwb"]


def _ids(project):
    return (
        [a.id for a in project.analysts],
        [e.id for e in project.evidence],
        [h.id for h in project.hypotheses],
    )


def _new_evidence(project):
    return Evidence(
        project.new_id(), project.next_code("E"), "New", tags=["x"], date=PartialDate(2019)
    )


#: One builder per Edit type: each makes an edit that changes the full project.
EDITS = {
    "SetRating": lambda p: SetRating(_ids(p)[0][1], _ids(p)[1][2], _ids(p)[2][1], Rating.II, "why"),
    "SetRating blank": lambda p: SetRating(
        _ids(p)[0][0], _ids(p)[1][1], _ids(p)[2][0], Rating.BLANK, ""
    ),
    "Batch": lambda p: Batch(
        (
            SetRating(_ids(p)[0][0], _ids(p)[1][0], _ids(p)[2][0], Rating.C),
            AddEvidence(_new_evidence(p), 2),
            UpdateProject({"title": "Renamed in a batch"}),
        ),
        "Paste",
    ),
    "UpdateProject": lambda p: UpdateProject(
        {"title": "New", "question": "Q?", "description": "D", "likelihoods": {Rating.CC: 0.9}}
    ),
    "UpdateEvidence": lambda p: UpdateEvidence(
        _ids(p)[1][1],
        {
            "title": "T",
            "credibility": Level.LOW,
            "active": False,
            "tags": ["a", "b"],
            "date": PartialDate(2021, 2),
            "type": EvidenceType.ASSUMPTION,
            "source_id": None,
        },
    ),
    "UpdateHypothesis": lambda p: UpdateHypothesis(_ids(p)[2][0], {"title": "T", "prior": 0.25}),
    "AddEvidence": lambda p: AddEvidence(
        _new_evidence(p),
        1,
        {p.analysts[0].id: np.arange(len(p.hypotheses), dtype=np.int8) % 7},
        {(p.analysts[0].id, p.next_id - 1, p.hypotheses[0].id): "new row note"},
    ),
    "AddEvidence at end": lambda p: AddEvidence(_new_evidence(p), len(p.evidence)),
    "RemoveEvidence": lambda p: RemoveEvidence(_ids(p)[1][1]),
    "MoveEvidence": lambda p: MoveEvidence(_ids(p)[1][0], 4),
    "MoveEvidence up": lambda p: MoveEvidence(_ids(p)[1][5], 1),
    "AddHypothesis": lambda p: AddHypothesis(
        Hypothesis(p.new_id(), "H9", "New", prior=0.1),
        0,
        {p.analysts[1].id: np.full(len(p.evidence), Rating.N, dtype=np.int8)},
    ),
    "RemoveHypothesis": lambda p: RemoveHypothesis(_ids(p)[2][0]),
    "MoveHypothesis": lambda p: MoveHypothesis(_ids(p)[2][3], 0),
    "AddSource": lambda p: AddSource(Source(p.new_id(), "Smith", 1999, "Book"), 0),
    "RemoveSource": lambda p: RemoveSource(p.sources[0].id),
    "UpdateSource": lambda p: UpdateSource(p.sources[1].id, {"year": 2001, "link": "l"}),
    "AddMilestone": lambda p: AddMilestone(
        Milestone(p.new_id(), p.hypotheses[1].id, "Vote", PartialDate(2022, 3, 4)), 0
    ),
    "RemoveMilestone": lambda p: RemoveMilestone(p.milestones[0].id),
    "UpdateMilestone": lambda p: UpdateMilestone(
        p.milestones[1].id, {"note": "seen", "expected_by": None}
    ),
    "AddAnalyst": lambda p: AddAnalyst(
        Analyst(p.new_id(), "Newcomer"),
        np.full((len(p.evidence), len(p.hypotheses)), Rating.I, dtype=np.int8),
        {(p.next_id - 1, p.evidence[0].id, p.hypotheses[0].id): "first look"},
        index=0,
    ),
    "RemoveAnalyst": lambda p: RemoveAnalyst(_ids(p)[0][1]),
    "UpdateAnalyst": lambda p: UpdateAnalyst(_ids(p)[0][2], {"name": "Renamed"}),
    "SetOverride": lambda p: SetOverride(
        _ids(p)[1][0], _ids(p)[2][0], ConsensusOverride(Rating.NA, "n")
    ),
    "SetOverride clear": lambda p: SetOverride(*next(iter(p.overrides)), None),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_every_edit_is_stored_and_so_is_its_undo(tmp_path, full_project, same_project, name):
    path = tmp_path / "p.achwb"
    with ProjectFile.create(path, full_project()) as project_file:
        before = copy.deepcopy(project_file.project)
        edit = EDITS[name](project_file.project)
        inverse = project_file.apply(edit)
        with pytest.raises(AssertionError):  # the edit did change the project
            same_project(project_file.project, before)
        assert same_project(_reopened(path), project_file.project)
        project_file.apply(inverse)
        assert same_project(_reopened(path), project_file.project)
        log = project_file.change_log()
    assert [record.kind for record in log] == [type(inverse).__name__, type(edit).__name__]


def test_change_log_records_who_what_and_when(tmp_path, full_project):
    project = full_project()
    ann, bo = project.analysts[0], project.analysts[1]
    e, h = project.evidence[2], project.hypotheses[1]
    project.layers[ann.id][2, 1] = Rating.C
    start = dt.datetime.now(dt.UTC)
    with ProjectFile.create(tmp_path / "p.achwb", project) as project_file:
        project_file.apply(SetRating(ann.id, e.id, h.id, Rating.I), analyst_id=ann.id)
        project_file.apply(UpdateEvidence(e.id, {"active": False}), analyst_id=bo.id)
        project_file.apply(UpdateProject({"title": "T"}))
        log = project_file.change_log()
        assert project_file.change_log(limit=1) == log[:1]
    assert [(r.analyst, r.label, r.kind) for r in log] == [
        ("", "Edit project title", "UpdateProject"),
        (bo.name, f"Exclude {e.code}", "UpdateEvidence"),
        (ann.name, f"Rate {e.code} x {h.code}: C -> I", "SetRating"),
    ]
    assert all(start <= r.when <= dt.datetime.now(dt.UTC) for r in log)
    assert log[0].when >= log[1].when >= log[2].when


def test_settings_persist_as_json(tmp_path, full_project):
    path = tmp_path / "p.achwb"
    with ProjectFile.create(path, full_project()) as project_file:
        assert project_file.get_setting("current_analyst", "none") == "none"
        project_file.set_setting("current_analyst", "4")
        project_file.set_setting("view", {"layer": "consensus", "zoom": 1.5})
        project_file.set_setting("current_analyst", "7")
        project_file.set_setting("gone", 1)
        project_file.set_setting("gone", None)
    with ProjectFile.open(path, read_only=True) as again:
        assert again.get_setting("current_analyst") == "7"
        assert again.get_setting("view") == {"layer": "consensus", "zoom": 1.5}
        assert again.get_setting("gone", "default") == "default"
        with pytest.raises(ReadOnlyFile):
            again.set_setting("x", 1)


def test_read_only_refuses_edits_and_changes_nothing(tmp_path, full_project, same_project):
    path = tmp_path / "p.achwb"
    ProjectFile.create(path, full_project()).close()
    data = path.read_bytes()
    with ProjectFile.open(path, read_only=True) as project_file:
        before = copy.deepcopy(project_file.project)
        with pytest.raises(ProjectFileError, match="read-only"):
            project_file.apply(UpdateProject({"title": "no"}))
        assert same_project(project_file.project, before)
        assert project_file.read_only
    assert path.read_bytes() == data


def test_a_failed_save_rolls_back_and_restores_the_project(
    tmp_path, full_project, same_project, monkeypatch
):
    path = tmp_path / "p.achwb"
    with ProjectFile.create(path, full_project()) as project_file:
        project = project_file.project
        before = copy.deepcopy(project)
        a, e, h = _ids(project)

        def disk_full(*args, **kwargs):
            raise sqlite3.OperationalError("database or disk is full")

        # The third part of the batch fails after two parts were applied and written.
        monkeypatch.setattr(persist_module.matrix, "insert_rationales", disk_full)
        batch = Batch(
            (
                SetRating(a[0], e[0], h[0], Rating.CC, "sure"),
                RemoveEvidence(e[1]),
                AddHypothesis(Hypothesis(project.new_id(), "H7", "x"), 0),
            )
        )
        before.next_id = project.next_id
        with pytest.raises(ProjectFileError, match="disk is full.*undone"):
            project_file.apply(batch)
        assert same_project(project, before)
        monkeypatch.undo()
        assert project_file.change_log() == []
        reopened = _reopened(path)
        reopened.next_id = before.next_id
        assert same_project(reopened, before)
        project_file.apply(UpdateProject({"title": "still works"}))
    assert _reopened(path).title == "still works"


def test_an_edit_that_fails_in_memory_is_reraised_and_undone(tmp_path, full_project, same_project):
    with ProjectFile.create(tmp_path / "p.achwb", full_project()) as project_file:
        before = copy.deepcopy(project_file.project)
        a, e, h = _ids(project_file.project)
        with pytest.raises(KeyError):
            project_file.apply(
                Batch((SetRating(a[0], e[0], h[0], Rating.CC), RemoveEvidence(999_999)))
            )
        assert same_project(project_file.project, before)
        assert same_project(_reopened(project_file.path), before)


def test_save_copy_is_a_complete_project_with_the_same_uid(tmp_path, full_project, same_project):
    with ProjectFile.create(tmp_path / "p.achwb", full_project()) as project_file:
        project_file.apply(UpdateProject({"title": "copied"}))
        project_file.set_setting("view", "matrix")
        project_file.save_copy(tmp_path / "copy.achwb")
        project_file.save_copy(tmp_path / "copy.achwb")  # replacing an older copy is fine
        with pytest.raises(ProjectFileError, match="this project itself"):
            project_file.save_copy(tmp_path / "p.achwb")
        original = copy.deepcopy(project_file.project)
    assert not (tmp_path / "copy.achwb-wal").exists()
    with ProjectFile.open(tmp_path / "copy.achwb") as copied:
        assert same_project(copied.project, original)
        assert copied.project.uid == original.uid
        assert copied.get_setting("view") == "matrix"
        assert [r.label for r in copied.change_log()] == ["Edit project title"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.achwb", "p.achwb"]


def test_undoing_a_deletion_brings_back_the_consensus_overrides(
    tmp_path, full_project, same_project
):
    path = tmp_path / "p.achwb"
    with ProjectFile.create(path, full_project()) as project_file:
        project = project_file.project
        before = copy.deepcopy(project)
        (evidence_id, hypothesis_id), override = next(iter(project.overrides.items()))
        undo = project_file.apply(RemoveEvidence(evidence_id))
        assert project.overrides == {}
        project_file.apply(undo)
        assert project.overrides == {(evidence_id, hypothesis_id): override}
        assert same_project(project, before)
        undo = project_file.apply(RemoveHypothesis(hypothesis_id))
        project_file.apply(undo)
        assert project.overrides == {(evidence_id, hypothesis_id): override}
        assert same_project(_reopened(path), project)


class _Rename(Edit):
    """An Edit type the store has never heard of."""

    def apply(self, project):
        before, project.title = project.title, "renamed"
        return UpdateProject({"title": before})


def test_an_edit_the_store_cannot_save_is_refused_and_undone(tmp_path, full_project):
    with ProjectFile.create(tmp_path / "p.achwb", full_project()) as project_file:
        title = project_file.project.title
        with pytest.raises(TypeError, match="cannot store a _Rename edit"):
            project_file.apply(_Rename())
        assert project_file.project.title == title
        assert project_file.change_log() == []


def test_edits_may_come_from_a_worker_thread(tmp_path, full_project, same_project):
    with ProjectFile.create(tmp_path / "p.achwb", full_project()) as project_file:
        project = project_file.project
        a, e, h = _ids(project)
        errors = []

        def worker():
            try:
                project_file.apply(SetRating(a[0], e[0], h[0], Rating.CC, "from a worker"))
            except Exception as error:  # reported to the test thread below
                errors.append(error)

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        assert errors == []
        project_file.apply(SetRating(a[0], e[1], h[0], Rating.II))
        assert same_project(_reopened(project_file.path), project)


def test_a_read_only_view_can_be_copied(tmp_path, full_project, same_project):
    ProjectFile.create(tmp_path / "p.achwb", full_project()).close()
    with ProjectFile.open(tmp_path / "p.achwb", read_only=True) as viewer:
        viewer.save_copy(tmp_path / "copy.achwb")
        with ProjectFile.open(tmp_path / "copy.achwb") as copied:
            assert same_project(copied.project, viewer.project)
