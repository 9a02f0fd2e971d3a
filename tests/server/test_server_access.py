"""Who may change what, enforced by PostgreSQL: grants and row-level security.

The central test connects as an analyst with plain SQL (as psql would) and
runs DELETE and UPDATE on every table of the project: afterwards the
structure and every other analyst's layer are exactly as they were.
"""

from __future__ import annotations

import copy
import json
import threading
import time

import psycopg
import pytest

from workbench.core.edits import SetOverride, SetRating, UpdateProject
from workbench.core.model import ConsensusOverride
from workbench.core.ratings import Rating
from workbench.store import SCHEMA_VERSION
from workbench.store.server import NewerServerSchema, NoSuchProject, NotPermitted, ServerProject


@pytest.fixture
def team(pg, full_project):
    """A pushed project (analysts 1-3), Ana admitted as Analyst 1 and Ben as Analyst 2."""
    facilitator = pg.role("fac", facilitator=True)
    ana, ben = pg.role("ana"), pg.role("ben")
    name = pg.project_name()
    with ServerProject.create(facilitator.url(name), full_project()) as server:
        ids = [a.id for a in server.project.analysts]
        assert server.grant("Analyst 1", ana.name) == ids[0]
        assert server.grant("Analyst 2", ben.name) == ids[1]

    class Team:
        pass

    t = Team()
    t.name, t.facilitator, t.ana, t.ben, t.analyst_ids = name, facilitator, ana, ben, ids
    return t


def _load(role, name):
    with ServerProject.open(role.url(name), read_only=True) as server:
        return server.project


_CHANGE = {
    "integer": "{c} + 1",
    "bigint": "{c} + 1",
    "double precision": "{c} + 1",
    "boolean": "NOT {c}",
    "text": "{c} || 'x'",
    "character varying": "{c} || 'x'",
}


def test_an_analyst_with_psql_changes_nothing_but_their_own_layer(team, same_project):
    schema = f"achwb_{team.name}"
    before = _load(team.facilitator, team.name)
    ana_id = team.analyst_ids[0]
    outcomes = {}
    with team.ana.connect() as sql:
        sql.execute(f"SET search_path TO {schema}")
        tables = [
            name
            for (name,) in sql.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,)
            )
        ]
        assert {"rating", "evidence", "hypothesis", "project", "member", "change_log"} <= set(
            tables
        )
        for table in tables:
            columns = sql.execute(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = %s AND table_name = %s",
                (schema, table),
            ).fetchall()
            statements = [
                f"UPDATE {table} SET {column} = {_CHANGE[kind].format(c=column)}"
                for column, kind in columns
                if kind in _CHANGE
            ]
            statements += [f"DELETE FROM {table}", f"TRUNCATE {table} CASCADE"]
            for statement in statements:
                try:
                    sql.execute(statement)
                    outcomes[statement] = "ran"
                except psycopg.Error as error:
                    outcomes[statement] = type(error).__name__
        # Moving others' rows into one's own layer (it sees none of them to move), writing
        # into theirs, forging a log line, admitting oneself elsewhere: refused or no-ops.
        for statement in (
            f"UPDATE rating SET analyst_id = {ana_id}",
            f"INSERT INTO rating VALUES ({before.evidence[0].id}, {before.hypotheses[1].id},"
            f" {team.analyst_ids[1]}, 6, 'forged')",
            "INSERT INTO change_log (at, analyst, label, kind)"
            " VALUES ('2020-01-01', 'Analyst 2', 'forged', 'SetRating')",
            f"INSERT INTO member VALUES ('{team.ana.name}x', {team.analyst_ids[2]})",
            f"GRANT ALL ON rating TO {team.ana.name}",
            "ALTER TABLE rating DISABLE ROW LEVEL SECURITY",
            "CREATE TABLE sneaky (x int)",
        ):
            try:
                touched = sql.execute(statement).rowcount
            except psycopg.Error:
                touched = 0
            assert touched <= 0, statement
        # The procedure every rating edit calls runs with her own rights: it writes neither
        # another's layer nor a log line in another's name, and she cannot replace it.
        call = "CALL rate_cells(%s, '[]', '2020-01-01', %s, 'forged', 'SetRating', 'c', '{}')"
        bens_cell = [before.evidence[0].id, before.hypotheses[1].id, team.analyst_ids[1], 6, None]
        forged = json.dumps([bens_cell])
        for cells, signed in ((forged, "Analyst 1"), ("[]", "Analyst 2")):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
                sql.execute(call, (cells, signed))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            sql.execute(
                "CREATE OR REPLACE PROCEDURE rate_cells(jsonb, jsonb, text, text, text, text,"
                " text, text) SECURITY DEFINER LANGUAGE sql AS 'SELECT 1'"
            )
        log_lines = sql.execute("SELECT count(*) FROM change_log").fetchone()[0]
    after = _load(team.facilitator, team.name)
    assert log_lines == 0
    # Only rating statements may run, and only on Ana's own rows.
    ran = {s for s, result in outcomes.items() if result == "ran"}
    assert all(s.startswith(("UPDATE rating ", "DELETE FROM rating")) for s in ran), ran
    assert outcomes["UPDATE rating SET analyst_id = analyst_id + 1"] == "InsufficientPrivilege"
    assert outcomes["UPDATE evidence SET title = title || 'x'"] == "InsufficientPrivilege"
    assert outcomes["DELETE FROM rating"] == "ran"  # her own ratings: hers to clear
    assert not after.layers[ana_id].any()
    expected = copy.deepcopy(before)
    expected.layers[ana_id] = after.layers[ana_id]
    expected.rationales = {k: v for k, v in before.rationales.items() if k[0] != ana_id}
    expected.rationales.update({k: v for k, v in after.rationales.items() if k[0] == ana_id})
    assert same_project(expected, after)


def test_analysts_rate_their_own_layer_and_are_told_who_may_rate_others(team):
    e, h = None, None
    with ServerProject.open(team.ana.url(team.name)) as server:
        project = server.project
        e, h = project.evidence[2].id, project.hypotheses[1].id
        ana, ben, third = team.analyst_ids
        assert server.my_analyst_id == ana and not server.is_facilitator
        server.apply(SetRating(ana, e, h, Rating.CC, "strong"))
        bens = project.rating(ben, e, h)
        with pytest.raises(NotPermitted, match=f"only the role {team.ben.name} may change"):
            server.apply(SetRating(ben, e, h, Rating.II))
        with pytest.raises(NotPermitted, match=f"only the role {team.facilitator.name} may"):
            server.apply(SetRating(third, e, h, Rating.II))  # nobody's layer: the facilitator's
        with pytest.raises(NotPermitted, match=f"only the facilitator \\({team.facilitator.name}"):
            server.apply(UpdateProject({"title": "Mine now"}))
        with pytest.raises(NotPermitted, match="only the facilitator"):
            server.apply(SetOverride(e, h, ConsensusOverride(Rating.N, "")))
        with pytest.raises(NotPermitted, match="only the facilitator"):
            server.grant("Analyst 3", team.ana.name)
        # A refused edit leaves the project in memory as it was.
        assert server.project.rating(ben, e, h) == bens
        assert server.project.title != "Mine now"
        log = server.change_log(1)
    assert log[0].analyst == "Analyst 1" and log[0].kind == "SetRating"
    reloaded = _load(team.ben, team.name)
    assert reloaded.rating(ana, e, h) == Rating.CC
    assert reloaded.rationale(ana, e, h) == "strong"


def test_the_facilitator_changes_structure_but_not_a_claimed_layer(team):
    with ServerProject.open(team.facilitator.url(team.name)) as server:
        e, h = server.project.evidence[0].id, server.project.hypotheses[0].id
        server.apply(UpdateProject({"title": "Renamed by the facilitator"}))
        server.apply(SetOverride(e, h, ConsensusOverride(Rating.NA, "agreed")))
        server.apply(SetRating(team.analyst_ids[2], e, h, Rating.C))  # unclaimed: allowed
        with pytest.raises(NotPermitted, match=f"only the role {team.ana.name} may change"):
            server.apply(SetRating(team.analyst_ids[0], e, h, Rating.C))
    after = _load(team.ana, team.name)
    assert after.title == "Renamed by the facilitator"
    assert after.overrides[(e, h)].note == "agreed"


def test_a_role_not_admitted_cannot_open_the_project(pg, team):
    stranger = pg.role("eve")
    with pytest.raises(NotPermitted, match="not been admitted"):
        ServerProject.open(stranger.url(team.name))


def test_granting_refuses_unknown_roles_and_taken_layers(pg, team):
    from workbench.core.errors import BadInput

    with ServerProject.open(team.facilitator.url(team.name)) as server:
        with pytest.raises(BadInput, match="no role named 'nobody_here'"):
            server.grant("Analyst 3", "nobody_here")
        with pytest.raises(BadInput, match=f"already belongs to the role {team.ana.name}"):
            server.grant("Analyst 1", team.ben.name)
        with pytest.raises(BadInput, match="already rates as Analyst 1"):
            server.grant("Analyst 3", team.ana.name)
        newcomer = pg.role("cy")
        new_id = server.grant("Cy", newcomer.name)  # a new analyst gets a new, blank layer
        assert server.project.analysts[-1].name == "Cy"
    with ServerProject.open(newcomer.url(team.name)) as server:
        assert server.my_analyst_id == new_id
        server.apply(
            SetRating(
                new_id, server.project.evidence[0].id, server.project.hypotheses[0].id, Rating.C
            )
        )


def test_a_project_pushed_before_the_edit_procedure_is_still_edited_and_then_upgraded(team):
    """Rating edits CALL the project's ``rate_cells`` procedure (commit and announce in one
    round trip). A project pushed by an older version has none: its analysts' edits take
    the two-statement way, and its facilitator's next open adds the procedure."""
    with team.facilitator.connect() as sql:
        sql.execute(f"DROP PROCEDURE achwb_{team.name}.rate_cells")
    with ServerProject.open(team.ben.url(team.name)) as watcher:
        watcher.listen()
        with ServerProject.open(team.ana.url(team.name)) as server:
            ana = server.my_analyst_id
            e, h = server.project.evidence[1].id, server.project.hypotheses[2].id
            server.apply(SetRating(ana, e, h, Rating.I, "older project"))
            server.apply(SetRating(ana, e, h, Rating.BLANK))
            server.apply(SetRating(ana, e, h, Rating.C))
            assert [r.kind for r in server.change_log(3)] == ["SetRating"] * 3
        heard: set = set()
        deadline = time.monotonic() + 5
        while (ana, e, h) not in heard and time.monotonic() < deadline:
            heard |= watcher.take_changes().cells
            time.sleep(0.05)
        assert (ana, e, h) in heard  # announced the two-statement way
    assert _load(team.ben, team.name).rating(ana, e, h) == Rating.C
    with ServerProject.open(team.ana.url(team.name), read_only=True):
        pass  # an analyst or a read-only open leaves the schema alone
    with team.facilitator.connect() as sql:
        assert not _has_procedure(sql, team.name)
    ServerProject.open(team.facilitator.url(team.name)).close()
    with team.facilitator.connect() as sql:
        assert _has_procedure(sql, team.name)
    with ServerProject.open(team.ana.url(team.name)) as server:
        server.apply(SetRating(ana, e, h, Rating.CC, "by the procedure"))
    assert _load(team.ben, team.name).rationale(ana, e, h) == "by the procedure"


def _has_procedure(sql, name):
    found = sql.execute("SELECT to_regproc(%s) IS NOT NULL", (f"achwb_{name}.rate_cells",))
    return found.fetchone()[0]


def test_an_edit_saved_before_its_announcement_failed_is_kept(team):
    """rate_cells commits, then announces in a second transaction; if that one fails
    (a timeout, a full notification queue) the edit is saved, and the window keeps it."""
    schema = f"achwb_{team.name}"
    with team.facilitator.connect() as sql:
        definition = sql.execute(
            "SELECT pg_get_functiondef(%s::regproc)", (f"{schema}.rate_cells",)
        ).fetchone()[0]
        failing = definition.replace(
            "    COMMIT;", "    COMMIT;\n    RAISE EXCEPTION 'the announcement failed';", 1
        )
        assert failing != definition
        sql.execute(failing)
    with ServerProject.open(team.ana.url(team.name)) as server:
        ana = server.my_analyst_id
        e, h = server.project.evidence[0].id, server.project.hypotheses[0].id
        server.apply(SetRating(ana, e, h, Rating.II, "saved all the same"))
        assert server.project.rating(ana, e, h) == Rating.II
        log = server.change_log(1)
    assert log[0].analyst == "Analyst 1" and log[0].kind == "SetRating"
    assert _load(team.ben, team.name).rationale(ana, e, h) == "saved all the same"


def _open_at_once(url: str, count: int) -> list[BaseException]:
    """Open ``url`` from ``count`` threads released together; what each raised."""
    start = threading.Barrier(count)
    failures: list[BaseException] = []

    def open_once() -> None:
        start.wait()
        try:
            ServerProject.open(url).close()
        except BaseException as error:  # noqa: BLE001 - returned to the test
            failures.append(error)

    threads = [threading.Thread(target=open_once) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return failures


def test_two_windows_of_the_facilitator_opening_an_older_project_at_once_both_open(team):
    """Each open that finds the procedure missing adds it; two at the same moment must not
    collide (the later CREATE failed on the catalogue's unique index)."""
    for attempt in range(3):
        with team.facilitator.connect() as sql:
            sql.execute(f"DROP PROCEDURE achwb_{team.name}.rate_cells")
        failures = _open_at_once(team.facilitator.url(team.name), 3)
        assert not failures, f"attempt {attempt}: {failures[0]}"
        with team.facilitator.connect() as sql:
            assert _has_procedure(sql, team.name)


def _open_while_another_upkeeps(team, change: str) -> BaseException | None:
    """Open as the facilitator while another connection holds the upkeep lock, makes
    ``change`` and commits: what the open raised, or None."""
    with team.facilitator.connect() as sql:
        sql.execute(f"DROP PROCEDURE achwb_{team.name}.rate_cells")
    other = psycopg.connect(
        team.facilitator.cluster.conninfo(user=team.facilitator.name),
        password=team.facilitator.password,
    )
    try:
        other.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            (f"achwb upkeep achwb_{team.name}",),
        )
        raised: list[BaseException | None] = []

        def open_once() -> None:
            try:
                ServerProject.open(team.facilitator.url(team.name)).close()
                raised.append(None)
            except BaseException as error:  # noqa: BLE001 - returned to the test
                raised.append(error)

        opening = threading.Thread(target=open_once)
        opening.start()
        deadline = time.monotonic() + 10
        while not _waits_for_a_lock(other) and time.monotonic() < deadline:
            time.sleep(0.02)
        other.execute(change.format(schema=f"achwb_{team.name}"))
        other.commit()
        opening.join(timeout=30)
        return raised[0]
    finally:
        other.close()


def _waits_for_a_lock(connection) -> bool:  # noqa: ANN001
    found = connection.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    ).fetchone()
    return bool(found[0])


@pytest.mark.parametrize("isolation", ["read committed", "repeatable read"])
def test_an_open_that_waited_for_another_upkeep_sees_what_it_did(team, pg, isolation):
    """Whatever the server's default isolation, the open that waited reads again: a
    project another window upgraded past this version is refused, not opened (and its
    procedure not replaced by this version's)."""
    with pg.cluster.admin() as admin:
        admin.execute(
            f"ALTER ROLE {team.facilitator.name} SET default_transaction_isolation = '{isolation}'"
        )
    raised = _open_while_another_upkeeps(
        team, f"UPDATE {{schema}}.schema_version SET version = {SCHEMA_VERSION + 1}"
    )
    assert isinstance(raised, NewerServerSchema), raised
    with team.facilitator.connect() as sql:
        assert not _has_procedure(sql, team.name)


def test_an_open_that_waited_while_the_project_was_deleted_says_so(team):
    raised = _open_while_another_upkeeps(team, "DROP SCHEMA {schema} CASCADE")
    assert isinstance(raised, NoSuchProject), raised
