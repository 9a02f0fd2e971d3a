"""Every read and write of a project's tables on a PostgreSQL server, in one module.

The tables are the project file's own (built by the same Alembic
migrations, see :func:`build_schema`), one schema per project, reached
through ``search_path``; row values come from :mod:`workbench.store.rows`
exactly as for a file. One difference is deliberate: a file keeps each
analyst's ratings as blobs of blocks of rows (schema 4), a server keeps one
``rating`` row per cell, the unit that row-level security grants and that
analysts rating at once write without touching each other's rows (see
``schema4_layer_blobs``). When the migrations change the other tables, this
module is the one to follow them.

Edits are written as what they changed, never as the whole project: the
entity rows (a few thousand at most) are compared before and after the
edit, and the ratings an edit touches are known from its type (a cell, or
the row, column or layer an Add brings back). So an analyst's edit never
writes anything but their own cells, and a facilitator whose copy of the
other layers is a few seconds old cannot overwrite them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from sqlalchemy import Connection, delete, insert, select, text, update

from workbench.core.edits import (
    AddAnalyst,
    AddEvidence,
    AddHypothesis,
    Batch,
    Edit,
    SetRating,
)
from workbench.core.model import Project, UnknownEntity
from workbench.core.ratings import Rating
from workbench.store import migrate, rows
from workbench.store.changelog import ChangeRecord
from workbench.store.schema import (
    AnalystRow,
    ChangeLogRow,
    ConsensusOverrideRow,
    EvidenceRow,
    HypothesisRow,
    MilestoneRow,
    ProjectRow,
    SettingRow,
    SourceRow,
)

#: Entity tables in the order rows are inserted (a row's references come first);
#: deletions go the other way.
_ENTITIES: list[tuple[Any, str, Any]] = [
    (SourceRow, "sources", rows.source_values),
    (HypothesisRow, "hypotheses", rows.hypothesis_values),
    (EvidenceRow, "evidence", rows.evidence_values),
    (AnalystRow, "analysts", rows.analyst_values),
    (MilestoneRow, "milestones", rows.milestone_values),
]

# The cells of an edit and its log line in one statement (data-modifying CTEs), for a
# structure edit's transaction and for projects pushed before rate_cells existed.
_WRITE_CELLS = (
    "WITH gone AS (DELETE FROM rating WHERE (evidence_id, hypothesis_id, analyst_id) IN"
    " (SELECT * FROM unnest(%s::int[], %s::int[], %s::int[]))),"
    " cells AS (INSERT INTO rating (evidence_id, hypothesis_id, analyst_id, code, rationale)"
    " SELECT * FROM unnest(%s::int[], %s::int[], %s::int[], %s::int[], %s::text[])"
    " ON CONFLICT (evidence_id, hypothesis_id, analyst_id)"
    " DO UPDATE SET code = excluded.code, rationale = excluded.rationale)"
    " INSERT INTO change_log (at, analyst, label, kind) VALUES (%s, %s, %s, %s)"
)
# NOTIFY in a transaction of its own that does not wait for the disk (see announce).
_NOTIFY = "SELECT set_config('synchronous_commit', 'off', true), pg_notify(%s, %s)"
_CALL_RATE_CELLS = "CALL rate_cells(%s, %s, %s, %s, %s, %s, %s, %s)"

# A ratings-only edit, whole, in one round trip: the cells and the log line are committed
# (and flushed to disk), then the listeners are told in a second transaction that does
# not wait for the disk. NOTIFY stays out of the edit's transaction because PostgreSQL
# serialises the commits of notifying transactions (a global lock held through the WAL
# flush), which would cap the whole team at one edit per disk flush. A procedure may
# commit half way when CALLed outside a transaction block (autocommit), which a plain
# statement cannot; it runs with the caller's rights (SECURITY INVOKER), so row-level
# security judges its writes exactly as it judges an analyst's own INSERT. It may not
# SET search_path (a procedure with SET cannot commit), hence the qualified names. The
# cells come as JSON arrays ([evidence, hypothesis, analyst, code, rationale] to write,
# [evidence, hypothesis, analyst] to clear): for a keystroke that is far less work for
# the client than five typed arrays, and the statements inside are planned once.
_RATE_CELLS = """
CREATE OR REPLACE PROCEDURE {s}.rate_cells(
    cells jsonb, gone jsonb,
    log_at text, log_analyst text, log_label text, log_kind text,
    channel text, notice text)
LANGUAGE plpgsql AS $$
BEGIN
    IF jsonb_array_length(gone) > 0 THEN
        DELETE FROM {s}.rating r USING jsonb_array_elements(gone) AS g (cell)
         WHERE r.evidence_id = (g.cell->>0)::integer
           AND r.hypothesis_id = (g.cell->>1)::integer
           AND r.analyst_id = (g.cell->>2)::integer;
    END IF;
    IF jsonb_array_length(cells) > 0 THEN
        INSERT INTO {s}.rating (evidence_id, hypothesis_id, analyst_id, code, rationale)
        SELECT (x.cell->>0)::integer, (x.cell->>1)::integer, (x.cell->>2)::integer,
               (x.cell->>3)::integer, x.cell->>4
          FROM jsonb_array_elements(cells) AS x (cell)
        ON CONFLICT (evidence_id, hypothesis_id, analyst_id)
        DO UPDATE SET code = excluded.code, rationale = excluded.rationale;
    END IF;
    INSERT INTO {s}.change_log (at, analyst, label, kind)
    VALUES (log_at, log_analyst, log_label, log_kind);
    COMMIT;
    -- Committed: nothing after this may fail the CALL, or the caller would undo an edit
    -- the server kept. A listener that misses this catches up at its next reload.
    BEGIN
        PERFORM set_config('synchronous_commit', 'off', true);
        PERFORM pg_notify(channel, notice);
    EXCEPTION WHEN OTHERS THEN
        NULL;
    END;
END
$$"""
RATE_CELLS_SIGNATURE = "rate_cells(jsonb, jsonb, text, text, text, text, text, text)"


def install_rating_procedure(connection: Connection, schema: str) -> None:
    """Create (or bring up to date) the procedure every ratings-only edit calls."""
    connection.exec_driver_sql(_RATE_CELLS.format(s=quoted(schema)))


def lock_upkeep(connection: Connection, schema: str) -> None:
    """Hold the project's upkeep lock until this transaction ends (one upgrader at a time)."""
    connection.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"achwb upkeep {schema}"},
    )


def has_rating_procedure(connection: Connection, schema: str) -> bool:
    """False for a project pushed before the procedure existed (its edits take two trips)."""
    found = connection.execute(
        text("SELECT to_regprocedure(:name) IS NOT NULL"),
        {"name": f"{quoted(schema)}.{RATE_CELLS_SIGNATURE}"},
    )
    return bool(found.scalar())


def quoted(name: str) -> str:
    """An identifier for SQL text (project names are checked, but quote anyway)."""
    return '"' + name.replace('"', '""') + '"'


def raw(connection: Connection) -> Any:
    """The psycopg connection under a SQLAlchemy connection (for COPY and executemany)."""
    return connection.connection.driver_connection


# -- the schema ------------------------------------------------------------------------


def use_schema(connection: Connection, schema: str) -> None:
    """Look only in the project's schema for the rest of this transaction.

    ``pg_catalog`` is always searched first; ``public`` is left out so a
    table someone else made there can never stand in for the project's.
    """
    connection.exec_driver_sql(f"SET LOCAL search_path TO {quoted(schema)}")


def schema_exists(connection: Connection, schema: str) -> bool:
    found = connection.execute(
        text("SELECT 1 FROM pg_namespace WHERE nspname = :name"), {"name": schema}
    ).first()
    return found is not None


def schema_owner(connection: Connection, schema: str) -> str | None:
    return connection.execute(
        text("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = :name"),
        {"name": schema},
    ).scalar()


def schema_version(connection: Connection, schema: str) -> int | None:
    """The version the migrations recorded, or None when this is no project of ours."""
    exists = connection.execute(
        text("SELECT 1 FROM pg_tables WHERE schemaname = :schema AND tablename = 'schema_version'"),
        {"schema": schema},
    ).first()
    if exists is None:
        return None
    value = connection.exec_driver_sql(
        f"SELECT version FROM {quoted(schema)}.schema_version"
    ).scalar()
    return None if value is None else int(value)


def build_schema(connection: Connection, schema: str, target: str = "head") -> None:
    """Create the project's schema and its tables with the project file's migrations."""
    connection.exec_driver_sql(f"CREATE SCHEMA {quoted(schema)}")
    use_schema(connection, schema)
    migrate.run_migrations(connection, target)


def upgrade_schema(connection: Connection, schema: str) -> None:
    use_schema(connection, schema)
    migrate.run_migrations(connection)


def drop_schema(connection: Connection, schema: str) -> None:
    connection.exec_driver_sql(f"DROP SCHEMA {quoted(schema)} CASCADE")


def project_schemas(connection: Connection, prefix: str) -> list[str]:
    found = connection.execute(
        text(
            "SELECT schemaname FROM pg_tables WHERE tablename = 'schema_version'"
            " AND starts_with(schemaname, :prefix) ORDER BY 1"
        ),
        {"prefix": prefix},
    )
    return [name for (name,) in found]


# -- a whole project --------------------------------------------------------------------


def write_project(connection: Connection, project: Project) -> None:
    """Insert every part of ``project`` into the (empty) tables of the current schema."""
    connection.execute(insert(ProjectRow), [rows.project_values(project)])
    for row_class, attribute, values in _ENTITIES:
        items = getattr(project, attribute)
        if items:
            connection.execute(insert(row_class), [values(item, i) for i, item in enumerate(items)])
    if project.overrides:
        connection.execute(
            insert(ConsensusOverrideRow),
            [rows.override_values(e, h, value) for (e, h), value in project.overrides.items()],
        )
    cursor = raw(connection).cursor()
    columns = "evidence_id, hypothesis_id, analyst_id, code, rationale"
    with cursor.copy(f"COPY rating ({columns}) FROM STDIN") as copy:
        for cell in _all_cells(project):
            copy.write_row(cell)


def _all_cells(project: Project) -> Iterator[tuple[int, int, int, int, str | None]]:
    """(evidence, hypothesis, analyst, code, rationale) of every stored cell."""
    evidence_ids = np.asarray([e.id for e in project.evidence], dtype=np.int64)
    hypothesis_ids = np.asarray([h.id for h in project.hypotheses], dtype=np.int64)
    rationales = dict(project.rationales)
    for analyst in project.analysts:
        layer = project.layers[analyst.id]
        r, c = np.nonzero(layer)
        for e, h, code in zip(
            evidence_ids[r].tolist(), hypothesis_ids[c].tolist(), layer[r, c].tolist(), strict=True
        ):
            yield e, h, analyst.id, code, rationales.pop((analyst.id, e, h), None) or None
    known_e, known_h = set(evidence_ids.tolist()), set(hypothesis_ids.tolist())
    known_a = {a.id for a in project.analysts}
    for (a, e, h), note in rationales.items():
        if note and a in known_a and e in known_e and h in known_h:
            yield e, h, a, int(Rating.BLANK), note


class DamagedProject(ValueError):
    """The tables hold something that is not a consistent project."""


def load_project(connection: Connection) -> Project:
    head = connection.execute(select(ProjectRow).where(ProjectRow.id == 1)).first()
    if head is None:
        raise DamagedProject("the project record is missing")

    tables = {
        "hypothesis": HypothesisRow,
        "evidence": EvidenceRow,
        "source": SourceRow,
        "analyst": AnalystRow,
        "milestone": MilestoneRow,
    }

    def ordered(table: str) -> list[Any]:
        row_class: Any = tables[table]
        return list(
            connection.execute(select(row_class).order_by(row_class.position, row_class.id))
        )

    project = rows.project_from(head, ordered)
    # Core rows, read by column name just like the ORM objects rows.py expects.
    overrides: list[Any] = list(connection.execute(select(ConsensusOverrideRow)))
    project.overrides = dict(rows.override_from(r) for r in overrides)
    for items in (
        project.hypotheses,
        project.evidence,
        project.sources,
        project.analysts,
        project.milestones,
    ):
        for item in items:
            project.reserve_id(item.id)
    _load_ratings(connection, project)
    return project


def _load_ratings(connection: Connection, project: Project) -> None:
    cursor = raw(connection).execute(
        "SELECT evidence_id, hypothesis_id, analyst_id, code, rationale FROM rating"
    )
    evidence = {e.id: i for i, e in enumerate(project.evidence)}
    hypotheses = {h.id: i for i, h in enumerate(project.hypotheses)}
    shape = (len(project.evidence), len(project.hypotheses))
    layers = {a.id: np.zeros(shape, dtype=np.int8) for a in project.analysts}
    rationales: dict[tuple[int, int, int], str] = {}
    try:
        for e, h, a, code, note in cursor:
            if not Rating.BLANK <= code <= Rating.CC:
                raise DamagedProject(f"a rating code {code} is out of range")
            layers[a][evidence[e], hypotheses[h]] = code
            if note is not None:
                rationales[(a, e, h)] = note
    except KeyError as error:
        raise DamagedProject(f"a rating refers to {error}, which is not in the project") from None
    project.layers = layers
    project.rationales = rationales


# -- writing one edit ------------------------------------------------------------------------


@dataclasses.dataclass
class Snapshot:
    """The entity rows of a project as they would be written, to compare before and after."""

    head: dict[str, Any]
    entities: dict[str, dict[int, dict[str, Any]]]
    overrides: dict[tuple[int, int], dict[str, Any]]


def capture(project: Project) -> Snapshot:
    return Snapshot(
        rows.project_values(project),
        {
            attribute: {
                item.id: values(item, i) for i, item in enumerate(getattr(project, attribute))
            }
            for _, attribute, values in _ENTITIES
        },
        {key: rows.override_values(*key, value) for key, value in project.overrides.items()},
    )


def touches_structure(edit: Edit) -> bool:
    """True unless ``edit`` only sets ratings (and rationales) of cells."""
    if isinstance(edit, Batch):
        return any(touches_structure(part) for part in edit.edits)
    return not isinstance(edit, SetRating)


def rated_layers(edit: Edit) -> set[int]:
    """The analysts whose layers a ratings-only edit changes."""
    if isinstance(edit, Batch):
        return set().union(*(rated_layers(part) for part in edit.edits))
    return {edit.analyst_id} if isinstance(edit, SetRating) else set()


def write_structure(connection: Connection, before: Snapshot, after: Snapshot) -> None:
    """Write the entity rows, project row and overrides that differ between the snapshots."""
    if after.head != before.head:
        values = {k: v for k, v in after.head.items() if k not in ("id", "uid")}
        connection.execute(update(ProjectRow).where(ProjectRow.id == 1).values(**values))
    for row_class, attribute, _ in _ENTITIES:
        old, new = before.entities[attribute], after.entities[attribute]
        added = [values for item_id, values in new.items() if item_id not in old]
        if added:
            connection.execute(insert(row_class), added)
        for item_id, values in new.items():
            if item_id in old and old[item_id] != values:
                changed = {k: v for k, v in values.items() if old[item_id].get(k) != v}
                connection.execute(
                    update(row_class).where(row_class.id == item_id).values(**changed)
                )
    for row_class, attribute, _ in reversed(_ENTITIES):
        gone = [
            item_id
            for item_id in before.entities[attribute]
            if item_id not in after.entities[attribute]
        ]
        if gone:
            # Ratings, overrides and milestones of a removed row go with it (ON DELETE CASCADE).
            connection.execute(delete(row_class).where(row_class.id.in_(gone)))
    stale = [k for k, v in before.overrides.items() if after.overrides.get(k) != v]
    for evidence_id, hypothesis_id in stale:
        connection.execute(
            delete(ConsensusOverrideRow).where(
                ConsensusOverrideRow.evidence_id == evidence_id,
                ConsensusOverrideRow.hypothesis_id == hypothesis_id,
            )
        )
    fresh = [v for k, v in after.overrides.items() if before.overrides.get(k) != v]
    existing_e = set(after.entities["evidence"])
    existing_h = set(after.entities["hypotheses"])
    fresh = [
        v for v in fresh if v["evidence_id"] in existing_e and v["hypothesis_id"] in existing_h
    ]
    if fresh:
        connection.execute(insert(ConsensusOverrideRow), fresh)


def _cell_writes(
    edit: Edit, project: Project
) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int, int, str | None]]]:
    """(deletions, upserts) that make the cells ``edit`` touched match ``project``."""
    cells: set[tuple[int, int, int]] = set()
    cells_of(edit, project, cells)
    upserts, deletions = [], []
    for a, e, h in sorted(cells, key=lambda cell: (cell[1], cell[2], cell[0])):
        try:
            code = int(project.rating(a, e, h))
        except UnknownEntity:
            continue  # removed later in the same edit: nothing to write
        note = project.rationales.get((a, e, h)) or None
        if code == Rating.BLANK and note is None:
            deletions.append((e, h, a))
        else:
            upserts.append((e, h, a, code, note))
    return deletions, upserts


def _columns(cells: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Cells as one list per field (the arrays ``unnest`` takes), empty lists for none."""
    return [list(column) for column in zip(*cells, strict=True)] or [[] for _ in range(width)]


def _log_line(log: tuple[dt.datetime, str | None, str, str]) -> tuple[str, str | None, str, str]:
    when, analyst, label, kind = log
    return when.isoformat(), analyst, label, kind


def write_ratings_and_log(
    connection: Connection,
    edit: Edit,
    project: Project,
    log: tuple[dt.datetime, str | None, str, str],
) -> None:
    """Make the cells ``edit`` touched match ``project`` and log it, in the open transaction
    (run after the structure is written)."""
    deletions, upserts = _cell_writes(edit, project)
    parameters = (*_columns(deletions, 3), *_columns(upserts, 5), *_log_line(log))
    raw(connection).execute(_WRITE_CELLS, parameters)


def commit_rating_edit(
    driver: Any,
    edit: Edit,
    project: Project,
    log: tuple[dt.datetime, str | None, str, str],
    notice: tuple[str, str] | None,
) -> bool:
    """Commit a ratings-only edit on a bare psycopg connection; True if it was announced too.

    With ``notice`` (channel, payload) the project's ``rate_cells`` procedure
    commits and announces in one round trip; without, the cells and the log
    line are one statement, committed alone, and the caller announces. The
    connection is left as found (not autocommit) for SQLAlchemy's transactions.
    """
    import psycopg

    deletions, upserts = _cell_writes(edit, project)
    driver.autocommit = True  # each statement is its own transaction: no BEGIN or COMMIT
    try:
        if notice is None:
            parameters = (*_columns(deletions, 3), *_columns(upserts, 5), *_log_line(log))
            driver.execute(_WRITE_CELLS, parameters)
            return False
        if any(note is not None and "\x00" in note for *_, note in upserts):
            # The words psycopg uses for any other text field.
            raise psycopg.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
        cells = json.dumps(upserts, ensure_ascii=False)
        line = _log_line(log)
        try:
            driver.execute(_CALL_RATE_CELLS, (cells, json.dumps(deletions), *line, *notice))
        except psycopg.Error:
            # The procedure commits before it announces, and the announcing transaction
            # can still fail at its own end (a statement or lock timeout, a full
            # notification queue): the edit is saved then, and undoing it in the window
            # would show a lie. Its log line says which happened; the caller announces.
            if not driver.broken and _logged(driver, line):
                return False
            raise
        return True
    finally:
        if not driver.closed:
            driver.autocommit = False


def _logged(driver: Any, line: tuple[str, str | None, str, str]) -> bool:
    """Whether the change log holds this line (its time is to the microsecond), or False
    when even that cannot be asked."""
    import psycopg

    try:
        found = driver.execute(
            "SELECT 1 FROM change_log WHERE at = %s AND analyst IS NOT DISTINCT FROM %s"
            " AND label = %s AND kind = %s LIMIT 1",
            line,
        )
        return found.fetchone() is not None
    except psycopg.Error:
        return False


def announce(driver: Any, channel: str, notice: str) -> None:
    """NOTIFY the listeners of an edit already committed, in a transaction of its own that
    does not wait for the disk (``set_config(..., true)`` is SET LOCAL for the statement's
    own transaction); see ``_RATE_CELLS`` for why it is not the edit's transaction."""
    driver.autocommit = True
    try:
        driver.execute(_NOTIFY, (channel, notice))
    finally:
        if not driver.closed:
            driver.autocommit = False


def cells_of(edit: Edit, project: Project, cells: set[tuple[int, int, int]]) -> None:
    """The (analyst, evidence, hypothesis) cells an edit may have changed."""
    if isinstance(edit, Batch):
        for part in edit.edits:
            cells_of(part, project, cells)
    elif isinstance(edit, SetRating):
        cells.add((edit.analyst_id, edit.evidence_id, edit.hypothesis_id))
    elif isinstance(edit, AddEvidence):
        cells.update(_block(project, evidence=[edit.evidence.id]))
    elif isinstance(edit, AddHypothesis):
        cells.update(_block(project, hypotheses=[edit.hypothesis.id]))
    elif isinstance(edit, AddAnalyst):
        cells.update(_block(project, analysts=[edit.analyst.id]))


def _block(
    project: Project,
    evidence: Iterable[int] | None = None,
    hypotheses: Iterable[int] | None = None,
    analysts: Iterable[int] | None = None,
) -> Iterator[tuple[int, int, int]]:
    """The non-blank or annotated cells of a row, column or layer, as it is now."""
    row_ids = list(evidence) if evidence is not None else [e.id for e in project.evidence]
    col_ids = list(hypotheses) if hypotheses is not None else [h.id for h in project.hypotheses]
    layer_ids = list(analysts) if analysts is not None else [a.id for a in project.analysts]
    present_e = {e.id: i for i, e in enumerate(project.evidence)}
    present_h = {h.id: i for i, h in enumerate(project.hypotheses)}
    rows_at = [present_e[e] for e in row_ids if e in present_e]
    cols_at = [present_h[h] for h in col_ids if h in present_h]
    for a in layer_ids:
        if a not in project.layers:
            continue
        grid = project.layers[a][np.ix_(rows_at, cols_at)]
        for r, c in zip(*np.nonzero(grid), strict=True):
            yield a, project.evidence[rows_at[r]].id, project.hypotheses[cols_at[c]].id
    wanted_e, wanted_h, wanted_a = set(row_ids), set(col_ids), set(layer_ids)
    for a, e, h in project.rationales:
        if a in wanted_a and e in wanted_e and h in wanted_h:
            yield a, e, h


# -- change log and settings -----------------------------------------------------------------


def read_change_log(connection: Connection, limit: int) -> list[ChangeRecord]:
    found = connection.execute(
        select(ChangeLogRow.at, ChangeLogRow.analyst, ChangeLogRow.label, ChangeLogRow.kind)
        .order_by(ChangeLogRow.id.desc())
        .limit(limit)
    )
    records = []
    for at, analyst, label, kind in found:
        when = dt.datetime.fromisoformat(at)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        records.append(ChangeRecord(when, analyst or "", label, kind or ""))
    return records


def read_setting(connection: Connection, key: str) -> str | None:
    return connection.execute(select(SettingRow.value).where(SettingRow.key == key)).scalar()


def write_setting(connection: Connection, key: str, value: str | None) -> None:
    connection.execute(delete(SettingRow).where(SettingRow.key == key))
    if value is not None:
        connection.execute(insert(SettingRow).values(key=key, value=value))


def set_next_id(connection: Connection, next_id: int) -> None:
    connection.execute(update(ProjectRow).where(ProjectRow.id == 1).values(next_id=next_id))


# -- live: who changed which cells --------------------------------------------------------------

#: NOTIFY payloads are limited to 8000 bytes; a bigger change says "reload" instead.
_PAYLOAD_LIMIT = 7000


def change_notice(session: str, edit: Edit, project: Project, structural: bool) -> str:
    """The NOTIFY payload of one committed edit: the cells it set, or that everything may have."""
    if not structural:
        cells: set[tuple[int, int, int]] = set()
        cells_of(edit, project, cells)
        payload = json.dumps({"session": session, "cells": sorted(cells)})
        if len(payload) <= _PAYLOAD_LIMIT:
            return payload
    return json.dumps({"session": session, "reload": True})


def read_cells(
    connection: Connection, cells: list[tuple[int, int, int]]
) -> dict[tuple[int, int, int], tuple[int, str | None]]:
    """(code, rationale) of each (analyst, evidence, hypothesis) cell that has a row."""
    if not cells:
        return {}
    analysts, evidence, hypotheses = (list(column) for column in zip(*cells, strict=True))
    found = raw(connection).execute(
        "SELECT analyst_id, evidence_id, hypothesis_id, code, rationale FROM rating"
        " WHERE (analyst_id, evidence_id, hypothesis_id) IN"
        " (SELECT * FROM unnest(%s::int[], %s::int[], %s::int[]))",
        (analysts, evidence, hypotheses),
    )
    return {(a, e, h): (code, note) for a, e, h, code, note in found}


def existing_ids(connection: Connection, table: str, ids: list[int]) -> set[int]:
    """Which of ``ids`` are rows of ``table`` (evidence, hypothesis, analyst) on the server."""
    assert table in ("evidence", "hypothesis", "analyst")
    found = raw(connection).execute(f"SELECT id FROM {table} WHERE id = ANY(%s)", (ids,))
    return {row[0] for row in found}
