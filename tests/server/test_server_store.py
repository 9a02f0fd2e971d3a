"""A project on a real PostgreSQL server: push, open, every edit and its undo, schema versions."""

from __future__ import annotations

import copy
import threading

import psycopg
import pytest
import store.test_store_properties as file_properties
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store.test_store_properties import _draw_edit
from store.test_store_roundtrip import EDITS

from workbench.core.edits import Edit
from workbench.core.errors import ProjectFileError
from workbench.store import SCHEMA_VERSION
from workbench.store.server import (
    NewerServerSchema,
    NoSuchProject,
    ProjectExists,
    ServerProject,
)


def _reopened(url):
    with ServerProject.open(url, read_only=True) as server:
        return server.project


def test_push_then_open_gives_the_same_project(pg, full_project, same_project):
    owner = pg.role("fac", facilitator=True)
    url = owner.url(pg.project_name())
    original = full_project()
    with ServerProject.create(url, copy.deepcopy(original)) as server:
        assert server.is_facilitator and server.role == owner.name
        assert same_project(server.project, original)
    assert same_project(_reopened(url), original)


def test_an_empty_project_round_trips(pg, full_project, same_project):
    url = pg.role("fac", facilitator=True).url(pg.project_name())
    empty = full_project(0, 0, 0)
    ServerProject.create(url, copy.deepcopy(empty)).close()
    assert same_project(_reopened(url), empty)


def test_push_refuses_an_existing_name_unless_replacing(pg, full_project, same_project):
    url = pg.role("fac", facilitator=True).url(pg.project_name())
    ServerProject.create(url, full_project()).close()
    with pytest.raises(ProjectExists, match="already on the server.*--force"):
        ServerProject.create(url, full_project(2, 2, 1))
    smaller = full_project(2, 2, 1)
    ServerProject.create(url, copy.deepcopy(smaller), replace=True).close()
    assert same_project(_reopened(url), smaller)


def test_opening_a_project_that_is_not_there_says_so(pg):
    url = pg.role("fac", facilitator=True).url("nothing-here")
    with pytest.raises(NoSuchProject, match="no project named 'nothing-here'.*workbench push"):
        ServerProject.open(url)


@pytest.mark.parametrize("name", sorted(EDITS))
def test_every_edit_is_stored_and_so_is_its_undo(pg, full_project, same_project, name):
    url = pg.role("fac", facilitator=True).url(pg.project_name())
    with ServerProject.create(url, full_project()) as server:
        before = copy.deepcopy(server.project)
        edit = EDITS[name](server.project)
        inverse = server.apply(edit)
        with pytest.raises(AssertionError):  # the edit did change the project
            same_project(server.project, before)
        assert same_project(_reopened(url), server.project)
        server.apply(inverse)
        assert same_project(_reopened(url), server.project)
        log = server.change_log()
    assert [record.kind for record in log] == [type(inverse).__name__, type(edit).__name__]


# PostgreSQL's text cannot hold NUL characters (SQLite's can): such an edit is refused
# with the server's reason and undone, so the random edits here leave NUL out.
file_properties.texts = st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
    max_size=12,
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_edits_and_undos_reopen_as_the_project_in_memory(
    data, pg, full_project, same_project
):
    url = pg.role("fac", facilitator=True).url(pg.project_name())
    with ServerProject.create(url, full_project(4, 3, 2)) as server:
        undo: list[Edit] = []
        for _ in range(data.draw(st.integers(1, 12), label="steps")):
            if undo and data.draw(st.booleans(), label="undo?"):
                server.apply(undo.pop())
            else:
                undo.append(server.apply(_draw_edit(data, server.project)))
        assert same_project(_reopened(url), server.project)


def test_the_migrations_build_the_schema_the_mapping_describes(pg, full_project):
    """The same Alembic revisions as a file; nothing differs from the current mapping but the
    ratings, which a server keeps one row per cell (see schema4_layer_blobs)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from workbench.store.schema import Base

    name = pg.project_name()
    owner = pg.role("fac", facilitator=True)
    ServerProject.create(owner.url(name), full_project()).close()
    engine = create_engine(
        "postgresql+psycopg://",
        creator=lambda: psycopg.connect(
            pg.cluster.conninfo(), options=f"-c search_path=achwb_{name}"
        ),
    )
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            differences = compare_metadata(context, Base.metadata)
            version = connection.exec_driver_sql("SELECT version FROM schema_version").scalar()
    finally:
        engine.dispose()
    # The server-only tables (members; the version, which a file keeps in a pragma; the
    # per-cell ratings) are not in the mapping, and a file's rating blocks not on the server.
    server_only = {"member", "schema_version", "rating"}
    file_only = {"layer_block", "rationale"}

    def expected(d: tuple) -> bool:
        if d[0] == "remove_table":
            return d[1].name in server_only
        if d[0] == "add_table":
            return d[1].name in file_only
        if d[0] == "remove_index":
            return d[1].table.name in server_only
        return d[0] == "add_index" and d[1].table.name in file_only

    unexpected = [d for d in differences if not expected(d)]
    assert unexpected == []
    assert {d[1].name for d in differences if d[0] == "add_table"} == file_only
    assert version == SCHEMA_VERSION


def test_a_newer_schema_on_the_server_is_refused_and_left_alone(pg, full_project):
    name = pg.project_name()
    url = pg.role("fac", facilitator=True).url(name)
    ServerProject.create(url, full_project()).close()
    with pg.cluster.admin() as admin:
        admin.execute(f"UPDATE achwb_{name}.schema_version SET version = {SCHEMA_VERSION + 1}")
    with pytest.raises(
        NewerServerSchema, match=f"newer ACH Workbench \\(schema {SCHEMA_VERSION + 1}"
    ):
        ServerProject.open(url)
    with pg.cluster.admin() as admin:
        assert admin.execute(f"SELECT version FROM achwb_{name}.schema_version").fetchone() == (
            SCHEMA_VERSION + 1,
        )


def test_an_older_schema_is_upgraded_by_its_facilitator_only(pg):
    """A schema-2 project (built by the schema-2 migrations) opens at the current schema."""
    from sqlalchemy import create_engine

    from workbench.store.server import access, tables

    name = pg.project_name()
    owner = pg.role("fac", facilitator=True)
    other = pg.role("ana")
    engine = create_engine(
        "postgresql+psycopg://",
        creator=lambda: psycopg.connect(
            pg.cluster.conninfo(user=owner.name), password=owner.password
        ),
    )
    try:
        with engine.begin() as connection:
            tables.build_schema(connection, f"achwb_{name}", target="schema2")
            connection.exec_driver_sql(
                "INSERT INTO project (id, uid, title, question, description, likelihoods, next_id)"
                " VALUES (1, 'u1', 'Old', 'Q?', '', '{\"CC\": 0.9, \"C\": 0.7, \"N\": 0.5,"
                ' "I": 0.3, "II": 0.1, "NA": 0.5, "BLANK": 0.5}\', 1)'
            )
            access.create_member_table(connection, f"achwb_{name}")
            access.secure(connection, f"achwb_{name}")
            connection.exec_driver_sql(
                f"GRANT USAGE ON SCHEMA achwb_{name} TO {other.name};"
                f" GRANT SELECT ON ALL TABLES IN SCHEMA achwb_{name} TO {other.name}"
            )
    finally:
        engine.dispose()
    with pytest.raises(ProjectFileError, match="schema 2 and needs upgrading.*facilitator"):
        ServerProject.open(other.url(name))
    # Two windows of the facilitator at the same moment: one upgrades, the other waits
    # and finds it done; both open.
    start = threading.Barrier(2)
    opened: list[object] = []

    def open_once() -> None:
        start.wait()
        try:
            with ServerProject.open(owner.url(name)) as server:
                opened.append((server.project.title, server.project.classification))
        except BaseException as error:  # noqa: BLE001 - compared below
            opened.append(error)

    threads = [threading.Thread(target=open_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert opened == [("Old", "")] * 2
    with pg.cluster.admin() as admin:
        assert admin.execute(f"SELECT version FROM achwb_{name}.schema_version").fetchone() == (
            SCHEMA_VERSION,
        )
