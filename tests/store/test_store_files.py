"""Files that are not (or not yet) current projects: refused untouched, or migrated safely."""

from __future__ import annotations

import copy
import importlib.util
import os
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from workbench.core.edits import UpdateProject
from workbench.core.errors import ProjectFileError
from workbench.core.ratings import Rating
from workbench.store import SCHEMA_VERSION, NewerSchema, NotAProject, ProjectFile
from workbench.store.schema import Base

DATA = Path(__file__).resolve().parent.parent / "data"


def _folder_snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _foreign_database(path: Path, full_project) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE contacts (name TEXT)")
    db.execute("INSERT INTO contacts VALUES ('x')")
    db.commit()
    db.close()


def _truncated(path: Path, full_project) -> None:
    ProjectFile.create(path, full_project(200, 8, 3)).close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _project_row_gone(path: Path, full_project) -> None:
    ProjectFile.create(path, full_project()).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("DELETE FROM project")
    db.commit()
    db.close()


def _likelihood_zeroed(path: Path, full_project) -> None:
    ProjectFile.create(path, full_project()).close()
    db = sqlite3.connect(path)
    db.execute("""UPDATE project SET likelihoods = '{"CC": 0.95, "C": 0}'""")
    db.commit()
    db.close()


def _prior_negative(path: Path, full_project) -> None:
    ProjectFile.create(path, full_project()).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE hypothesis SET prior = -0.5 WHERE code = 'H2'")
    db.commit()
    db.close()


BAD_FILES = {
    "empty": (lambda p, f: p.write_bytes(b""), "file is empty"),
    "random bytes": (lambda p, f: p.write_bytes(os.urandom(5000)), "file is not a database"),
    "text": (lambda p, f: p.write_text("title,question\n"), "file is not a database"),
    "sqlite header only": (
        lambda p, f: p.write_bytes(b"SQLite format 3\x00" + os.urandom(4000)),
        "not an ACH Workbench project",
    ),
    "truncated": (_truncated, "file is truncated"),
    "foreign database": (_foreign_database, "a database of another program"),
    "project row deleted": (_project_row_gone, "damaged"),
    "likelihood of zero": (_likelihood_zeroed, "likelihoods outside (0, 1]: C=0.0"),
    "negative prior": (_prior_negative, "H2 has a prior of -0.5"),
}


@pytest.mark.parametrize("read_only", [False, True], ids=["edit", "read-only"])
@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_files_are_refused_and_left_as_they_were(tmp_path, full_project, kind, read_only):
    make, reason = BAD_FILES[kind]
    path = tmp_path / "x.achwb"
    make(path, full_project)
    before = _folder_snapshot(tmp_path)
    with pytest.raises(ProjectFileError) as caught:
        ProjectFile.open(path, read_only=read_only)
    message = str(caught.value)
    assert message.startswith(f"{path} is not an ACH Workbench project ("), message
    assert reason in message
    assert isinstance(caught.value, NotAProject)
    assert _folder_snapshot(tmp_path) == before


def test_a_missing_file_or_a_folder_is_named(tmp_path):
    with pytest.raises(ProjectFileError, match=r"nope\.achwb does not exist"):
        ProjectFile.open(tmp_path / "nope.achwb")
    (tmp_path / "dir.achwb").mkdir()
    with pytest.raises(NotAProject, match="it is a folder"):
        ProjectFile.open(tmp_path / "dir.achwb")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.achwb"]


@pytest.mark.parametrize("read_only", [False, True], ids=["edit", "read-only"])
def test_a_newer_schema_is_refused_and_the_file_is_byte_identical(
    tmp_path, full_project, read_only
):
    path = tmp_path / "new.achwb"
    ProjectFile.create(path, full_project()).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.execute("ALTER TABLE project ADD COLUMN future TEXT")
    db.commit()
    db.close()
    before = _folder_snapshot(tmp_path)
    with pytest.raises(NewerSchema) as caught:
        ProjectFile.open(path, read_only=read_only)
    assert str(caught.value) == (
        f"{path} was written by a newer ACH Workbench (schema {SCHEMA_VERSION + 1}); "
        f"this version reads up to {SCHEMA_VERSION}"
    )
    assert (caught.value.found, caught.value.supported) == (SCHEMA_VERSION + 1, SCHEMA_VERSION)
    assert _folder_snapshot(tmp_path) == before


def _schema_differences(path: Path) -> list:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()


def _pragma(path: Path, name: str):
    db = sqlite3.connect(path)
    try:
        return db.execute(f"PRAGMA {name}").fetchall()
    finally:
        db.close()


def _check_schema1_contents(project):
    assert project.title == "Schema 1 sample"
    assert project.uid == "5c4e3a1b2d6f48e0a9b7c1d2e3f40501"
    assert [e.code for e in project.evidence] == ["E1", "E2", "E3"]
    assert [e.active for e in project.evidence] == [True, True, False]
    assert project.evidence[0].tags == ["poll"]
    assert str(project.evidence[0].date) == "2020-08"
    assert project.evidence[0].source_id == 9
    assert [a.name for a in project.analysts] == ["Ann", "Bo"]
    assert project.layers[7].tolist() == [[6, 2, 0], [5, 0, 0], [0, 0, 0]]
    assert project.layers[8].tolist() == [[5, 0, 0], [0, 0, 0], [0, 0, 1]]
    assert project.rationales == {(7, 4, 1): "Clear", (8, 5, 2): "Unsure yet"}
    assert project.overrides == {}
    assert [m.indicator for m in project.milestones] == ["Audit"]
    assert project.next_id == 20


def test_schema1_file_is_migrated_after_a_backup(tmp_path):
    path = tmp_path / "old.achwb"
    shutil.copy(DATA / "schema1.achwb", path)
    original = path.read_bytes()
    with ProjectFile.open(path) as project_file:
        _check_schema1_contents(project_file.project)
        assert project_file.backup == tmp_path / "old.achwb.bak-schema1"
        [entry] = project_file.change_log()
        assert (entry.analyst, entry.label, entry.kind) == ("Ann", "Rate E1 x H1: blank -> CC", "")
        assert entry.when.isoformat() == "2021-03-01T10:00:00+00:00"
        assert project_file.get_setting("current_analyst") == "7"
        # The new table works in the migrated file.
        from workbench.core.edits import SetOverride
        from workbench.core.model import ConsensusOverride

        project_file.apply(SetOverride(4, 2, ConsensusOverride(Rating.N, "")), analyst_id=8)
        assert project_file.change_log()[0].kind == "SetOverride"
    assert (tmp_path / "old.achwb.bak-schema1").read_bytes() == original
    assert _pragma(path, "user_version") == [(SCHEMA_VERSION,)]
    assert _pragma(path, "integrity_check") == [("ok",)]
    assert _pragma(path, "foreign_key_check") == []
    assert _schema_differences(path) == []
    with ProjectFile.open(path) as again:
        assert again.backup is None
        assert again.project.overrides[(4, 2)].rating is Rating.N


def test_a_second_migration_keeps_the_first_backup(tmp_path):
    path = tmp_path / "old.achwb"
    shutil.copy(DATA / "schema1.achwb", path)
    (tmp_path / "old.achwb.bak-schema1").write_bytes(b"an earlier backup")
    with ProjectFile.open(path) as project_file:
        assert project_file.backup == tmp_path / "old.achwb.bak-schema1-2"
    assert (tmp_path / "old.achwb.bak-schema1").read_bytes() == b"an earlier backup"


def test_schema1_opens_read_only_without_changing_anything(tmp_path):
    path = tmp_path / "old.achwb"
    shutil.copy(DATA / "schema1.achwb", path)
    before = _folder_snapshot(tmp_path)
    with ProjectFile.open(path, read_only=True) as project_file:
        _check_schema1_contents(project_file.project)
        assert project_file.change_log()[0].label == "Rate E1 x H1: blank -> CC"
    assert _folder_snapshot(tmp_path) == before


@pytest.mark.parametrize("schema", [2, 3, 4])
def test_released_file_opens_with_its_contents(tmp_path, schema):
    path = tmp_path / "current.achwb"
    shutil.copy(DATA / f"schema{schema}.achwb", path)
    with ProjectFile.open(path) as project_file:
        project = project_file.project
        assert project.title == f"Schema {schema} sample"
        assert project.uid == f"5c4e3a1b2d6f48e0a9b7c1d2e3f4050{schema}"
        if schema == SCHEMA_VERSION:
            assert project_file.backup is None
        else:  # upgraded in place, the released file kept next to it
            assert project_file.backup == tmp_path / f"current.achwb.bak-schema{schema}"
            assert project_file.backup.read_bytes() == (DATA / f"schema{schema}.achwb").read_bytes()
        if schema >= 3:
            assert project.classification == "OFFICIAL-SENSITIVE"
            assert (project.time_horizon, project.notes) == ("through 2021", "Kept in tests/data")
        else:
            assert (project.classification, project.time_horizon, project.notes) == ("", "", "")
        ann, bo = (a.id for a in project.analysts)
        e1, e2 = (e.id for e in project.evidence)
        h1, h2 = (h.id for h in project.hypotheses)
        assert np.array_equal(project.layers[ann], [[6, 2], [5, 0]])
        assert np.array_equal(project.layers[bo], [[5, 3], [1, 4]])
        assert project.rationales == {(ann, e1, h1): "Clear"}
        assert project.overrides[(e1, h2)].note == "agreed"
        assert project.evidence[1].notes == "check"
        assert project.evidence[0].tags == ["poll", "vote"]
        assert project.hypotheses[0].prior == 0.6
        assert project.milestones[0].status.value == "observed"
        assert [r.kind for r in project_file.change_log()] == [
            "SetOverride",
            "UpdateEvidence",
            "SetRating",
        ]
        assert project_file.get_setting("current_analyst") == str(ann)
    assert _schema_differences(path) == []


def test_a_new_file_matches_the_migrations(tmp_path, full_project):
    """The mapping (used to create files) and the migrations (used to upgrade) agree."""
    ProjectFile.create(tmp_path / "new.achwb", full_project()).close()
    assert _schema_differences(tmp_path / "new.achwb") == []
    assert _pragma(tmp_path / "new.achwb", "journal_mode") == [("wal",)]
    assert _pragma(tmp_path / "new.achwb", "application_id") == [(0x41434857,)]


def test_a_failed_migration_leaves_the_file_as_it_was_and_no_backup(tmp_path):
    path = tmp_path / "odd.achwb"
    shutil.copy(DATA / "schema1.achwb", path)
    db = sqlite3.connect(path)
    # A rating of evidence that does not exist: the upgrade's reference check refuses it.
    db.execute("INSERT INTO rating VALUES (999, 1, 7, 3, NULL)")
    db.commit()
    db.close()
    original = path.read_bytes()
    with pytest.raises(ProjectFileError) as caught:
        ProjectFile.open(path)
    assert str(caught.value).startswith(f"{path} could not be upgraded (")
    assert "broken references" in str(caught.value)
    assert str(caught.value).endswith("it was left as it was")
    assert path.read_bytes() == original
    # The backup is of a file that was not changed: keeping it would only pile up copies.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["odd.achwb"]


def test_a_schema2_file_claiming_schema1_is_refused_not_backed_up_again(tmp_path):
    path = tmp_path / "claims1.achwb"
    shutil.copy(DATA / "schema2.achwb", path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    for _ in range(2):
        with pytest.raises(ProjectFileError, match="its header says schema 1 but its revision"):
            ProjectFile.open(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims1.achwb"]


def test_files_work_where_hard_links_do_not(tmp_path, full_project, same_project, monkeypatch):
    """FAT drives and some network shares have no hard links: fall back to exclusive create."""

    def no_links(source, target):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    project = full_project()
    with ProjectFile.create(tmp_path / "p.achwb", project) as project_file:
        assert (tmp_path / "p.achwb.lock").exists()
        project_file.save_copy(tmp_path / "copy.achwb")
    with pytest.raises(ProjectFileError, match="already exists"):
        ProjectFile.create(tmp_path / "p.achwb", project)
    shutil.copy(DATA / "schema1.achwb", tmp_path / "old.achwb")
    with ProjectFile.open(tmp_path / "old.achwb") as old:
        assert old.backup.read_bytes() == (DATA / "schema1.achwb").read_bytes()
    with ProjectFile.open(tmp_path / "copy.achwb") as copied:
        assert same_project(copied.project, project)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.skipif(
    sqlite3.sqlite_version_info < (3, 35),
    reason="the script drops columns with ALTER TABLE, which SQLite has from 3.35 on",
)
def test_the_script_still_makes_the_files_kept_in_tests_data(tmp_path, same_project):
    spec = importlib.util.spec_from_file_location(
        "make_schema_files", DATA / "make_schema_files.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    folder = tmp_path / "made"
    folder.mkdir()
    script.HERE = folder
    assert script.main() == 0
    for name in ("schema1.achwb", "schema2.achwb", "schema3.achwb", "schema4.achwb"):
        with (
            ProjectFile.open(folder / name, read_only=True) as made,
            ProjectFile.open(DATA / name, read_only=True) as kept,
        ):
            assert same_project(made.project, kept.project)
            assert [r.label for r in made.change_log()] == [r.label for r in kept.change_log()]


def test_a_current_file_opens_read_only_in_place_leaving_the_folder_as_it_was(
    tmp_path, full_project, same_project
):
    path = tmp_path / "current.achwb"
    project = full_project()
    ProjectFile.create(path, project).close()
    before = _folder_snapshot(tmp_path)
    with ProjectFile.open(path, read_only=True) as project_file:
        # In place: the connection reads the file itself, not an in-memory copy.
        assert project_file._raw is not None
        file_name = project_file._raw.execute("PRAGMA database_list").fetchone()[2]
        assert Path(file_name) == path
        assert same_project(project_file.project, project)
        project_file.change_log()
        project_file.get_setting("anything")
        assert _folder_snapshot(tmp_path) == before
    assert _folder_snapshot(tmp_path) == before


def test_a_file_being_edited_opens_read_only_with_the_edits_so_far(tmp_path, full_project):
    path = tmp_path / "busy.achwb"
    with ProjectFile.create(path, full_project()) as editing:
        editing.apply(UpdateProject({"title": "edited"}))
        with ProjectFile.open(path, read_only=True) as viewing:
            assert viewing.project.title == "edited"
        assert (tmp_path / "busy.achwb.lock").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy.achwb"]


def test_the_project_file_is_a_project_store(tmp_path, full_project):
    """What ui, exchange and the CLI hold: a second backend implements the same protocol."""
    from workbench.core.storage import ProjectStore
    from workbench.store import open_store

    path = tmp_path / "p.achwb"
    ProjectFile.create(path, full_project()).close()
    with open_store(path, read_only=True) as store:
        assert isinstance(store, ProjectStore)
        assert store.read_only and store.project.title


def test_a_paste_past_the_size_limit_is_refused_and_nothing_changes(
    tmp_path, full_project, same_project, monkeypatch
):  # noqa: ANN001
    """A batch whose later rows pass the supported size is refused as a whole: the rows
    before it are taken back in memory and never reach the file."""
    from workbench.core import limits
    from workbench.core.edits import AddEvidence, Batch
    from workbench.core.errors import BadInput
    from workbench.core.model import Evidence

    path = tmp_path / "case.achwb"
    ProjectFile.create(path, full_project()).close()
    with ProjectFile.open(path) as store:
        project = store.project
        on_disk = copy.deepcopy(project)
        monkeypatch.setattr(limits, "MAX_EVIDENCE", len(project.evidence) + 1)
        paste = Batch(
            tuple(
                AddEvidence(Evidence(project.new_id(), f"P{i}", f"pasted {i}"), 0) for i in range(3)
            ),
            "Paste 3 rows",
        )
        before = copy.deepcopy(project)  # with the three ids the paste took
        with pytest.raises(BadInput, match="cannot add P1: .* at most"):
            store.apply(paste)
        assert same_project(store.project, before)
    with ProjectFile.open(path, read_only=True) as reopened:
        assert same_project(reopened.project, on_disk)


def test_a_read_only_view_never_copies_a_file_someone_changed_meanwhile(tmp_path, full_project):  # noqa: ANN001
    """A read-only file is read in place without journal files, so SQLite cannot see
    another process change it; Save a Copy then refuses, instead of writing a copy that
    mixes old and new pages, and the view's other reads see the file as it is now."""
    from workbench.core.edits import RemoveEvidence

    path = tmp_path / "case.achwb"
    ProjectFile.create(path, full_project(n_evidence=600)).close()
    with ProjectFile.open(path, read_only=True) as viewed:
        copy_before = tmp_path / "before.achwb"
        viewed.save_copy(copy_before)  # unchanged so far: copied
        with ProjectFile.open(path) as editing:
            for evidence in list(editing.project.evidence)[:200]:
                editing.apply(RemoveEvidence(evidence.id))
        with pytest.raises(ProjectFileError, match="changed by someone since"):
            viewed.save_copy(tmp_path / "after.achwb")
        assert not (tmp_path / "after.achwb").exists()
        assert viewed.change_log(limit=1)[0].label.startswith("Delete")
    for copied in (copy_before,):
        db = sqlite3.connect(copied)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        db.close()
