"""Is the file's schema exactly ours? Compared with a reference built from our own code.

A project file is a program's database: whoever sent it could have added a
trigger that fires on our writes (deleting every rating after the next edit),
a view or a virtual table in place of a real table (which reads as empty),
or a changed column. Checking that our tables exist is not enough, so the
file's schema is described (tables, columns, foreign keys, indexes, triggers,
views) and compared with the description of a reference database built in
memory for the file's own schema version: the current version from the
SQLAlchemy mapping (``create_all``), older ones by running our migrations up
to that version. The reference is built from the same code that writes files,
so a new column or migration needs no change here.

Only the parts SQLite itself reports are compared, not the ``CREATE``
statements' text, which differs between a file made by ``create_all`` and one
upgraded by Alembic's batch mode although the schema is the same.
"""

from __future__ import annotations

import functools
import sqlite3
from typing import Any

from sqlalchemy import Column, MetaData, String, Table

from workbench.store.schema import SCHEMA_VERSION, Base

#: SQLite's own bookkeeping tables (ANALYZE statistics): harmless, and SQLite may add them.
_SQLITE_OWN = ("sqlite_stat",)

Description = dict[tuple[str, str], Any]


def _alembic_table(metadata: MetaData) -> Table:
    """Alembic's revision table, exactly as ``alembic stamp`` creates it."""
    from sqlalchemy import PrimaryKeyConstraint

    return Table(
        "alembic_version",
        metadata,
        Column("version_num", String(32), nullable=False),
        PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
    )


def _reference_connection(version: int) -> sqlite3.Connection:
    from workbench.store.connection import make_engine

    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    engine = make_engine(lambda: memory, read_only=False, foreign_keys=False)
    if version == SCHEMA_VERSION:
        revision = MetaData()
        _alembic_table(revision)
        with engine.begin() as connection:
            Base.metadata.create_all(connection)
            revision.create_all(connection)
    else:
        from workbench.store.migrate import REVISIONS, upgrade

        upgrade(engine, REVISIONS[version])
    # No dispose(): it would close the in-memory connection, and the reference with it.
    return memory


@functools.lru_cache(maxsize=4)
def reference(version: int) -> Description:
    """The description of a file of schema ``version`` as our code makes it."""
    memory = _reference_connection(version)
    try:
        return describe(memory)
    finally:
        memory.close()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def describe(connection: sqlite3.Connection) -> Description:
    """Every schema object of the database, as SQLite reports it.

    Raises sqlite3.DatabaseError on a file SQLite cannot read; a virtual table
    is described by its statement and never queried (its module may be
    missing, or may run code).
    """
    objects = connection.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()
    description: Description = {}
    for kind, name, table, sql in objects:
        if name.startswith(_SQLITE_OWN):
            continue
        if kind == "table" and (sql or "").lstrip().upper().startswith("CREATE VIRTUAL"):
            description[("virtual table", name)] = sql
        elif kind == "table":
            description[(kind, name)] = _table(connection, name, sql or "")
        elif kind == "index":
            description[(kind, name)] = _index(connection, name, table, sql)
        else:  # trigger, view: we make none, so any is compared by its statement
            description[(kind, name)] = sql
    return description


def _table(connection: sqlite3.Connection, name: str, sql: str) -> Any:
    # Sorted by name: a column added by a migration comes last, one made by
    # create_all where the mapping declares it; the order means nothing to us.
    columns = sorted(
        (column_name, str(kind).upper(), bool(notnull), pk, hidden)
        for _cid, column_name, kind, notnull, _default, pk, hidden in connection.execute(
            f"PRAGMA table_xinfo({_quoted(name)})"
        )
    )
    foreign_keys = sorted(
        (str(row[2]), str(row[3]), str(row[4]), str(row[6]))
        for row in connection.execute(f"PRAGMA foreign_key_list({_quoted(name)})")
    )
    without_rowid = "WITHOUT ROWID" in " ".join(sql.upper().split())
    return (tuple(columns), tuple(foreign_keys), without_rowid)


def _index(connection: sqlite3.Connection, name: str, table: str, sql: str | None) -> Any:
    keys = tuple(
        str(row[2])
        for row in connection.execute(f"PRAGMA index_xinfo({_quoted(name)})")
        if row[5]  # key columns only, not the row id SQLite appends
    )
    partial = None
    if sql and " WHERE " in " ".join(sql.upper().split()):
        partial = " ".join(sql.upper().split()).split(" WHERE ", 1)[1]
    return (table, keys, partial)


def _what(key: tuple[str, str]) -> str:
    return f"{key[0]} {key[1]}"


def difference(found: Description, version: int) -> str | None:
    """What makes ``found`` differ from schema ``version``, in words; None when it matches."""
    expected = reference(version)
    extra = sorted(set(found) - set(expected))
    missing = sorted(set(expected) - set(found))
    if extra:
        key = extra[0]
        kind = key[0]
        if kind in ("trigger", "view", "virtual table"):
            return f"it carries a {_what(key)} that ACH Workbench never makes"
        return f"it has a {_what(key)} that ACH Workbench never makes"
    if missing:
        return f"its {_what(missing[0])} is missing"
    for key in sorted(expected):
        if found[key] != expected[key]:
            return f"its {_what(key)} is not as ACH Workbench makes it"
    return None
