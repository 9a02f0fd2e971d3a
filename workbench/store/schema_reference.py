"""Build the expected schema of every version from our own code, and write it down.

Opening a file compares its schema with :data:`workbench.store.schema_expected.EXPECTED`
(see :mod:`workbench.store.schema_check`). That table is generated here, from
the same code that writes files: the current version from the SQLAlchemy
mapping (``create_all``), older ones by running our migrations up to that
version, each in an in-memory database. Building it costs SQLAlchemy and
Alembic, a few hundred milliseconds, so it is done once, by the developer, not
on every open:

    python -m workbench.store.schema_reference

rewrites ``schema_expected.py`` after a change to the mapping or a new
migration; ``tests/store/test_schema_expected.py`` fails until it is rerun.
"""

from __future__ import annotations

import pprint
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table

from workbench.store.format import REVISIONS, SCHEMA_VERSION
from workbench.store.schema_check import Description, describe

EXPECTED_MODULE = Path(__file__).with_name("schema_expected.py")

_HEADER = '''"""The schema of each version as our code makes it. GENERATED: do not edit.

Made by ``python -m workbench.store.schema_reference`` from the SQLAlchemy
mapping and the migrations; tests/store/test_schema_expected.py checks that it
is up to date. Read by :mod:`workbench.store.schema_check` with no SQLAlchemy.
"""

from typing import Any

'''


def _alembic_table(metadata: MetaData) -> Table:
    """Alembic's revision table, exactly as ``alembic stamp`` creates it."""
    return Table(
        "alembic_version",
        metadata,
        Column("version_num", String(32), nullable=False),
        PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
    )


def _reference_connection(version: int) -> sqlite3.Connection:
    from workbench.store.connection import make_engine
    from workbench.store.schema import Base

    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    engine = make_engine(lambda: memory, read_only=False, foreign_keys=False)
    if version == SCHEMA_VERSION:
        revision = MetaData()
        _alembic_table(revision)
        with engine.begin() as connection:
            Base.metadata.create_all(connection)
            revision.create_all(connection)
    else:
        from workbench.store.migrate import upgrade

        upgrade(engine, REVISIONS[version])
    # No dispose(): it would close the in-memory connection, and the reference with it.
    return memory


def build(version: int) -> Description:
    """The description of a file of schema ``version`` as our code makes it now."""
    memory = _reference_connection(version)
    try:
        return describe(memory)
    finally:
        memory.close()


def value_columns() -> tuple[tuple[str, tuple[tuple[str, str, bool], ...]], ...]:
    """Each table of the mapping (in dependency order) with its columns' storage kinds.

    The kind is what :mod:`workbench.store.values` checks a stored value against:
    "boolean", "integer", "float", "text" or "blob".
    """
    from sqlalchemy import Boolean, Float, Integer, LargeBinary, Text

    from workbench.store.schema import Base

    def kind(column_type: object) -> str:
        if isinstance(column_type, Boolean):
            return "boolean"
        if isinstance(column_type, Integer):
            return "integer"
        if isinstance(column_type, Float):
            return "float"
        if isinstance(column_type, String | Text):  # Text is a String too
            return "text"
        if isinstance(column_type, LargeBinary):  # the rating blocks, checked as read
            return "blob"
        raise TypeError(f"no storage check for column type {column_type!r}")

    return tuple(
        (
            table.name,
            tuple((c.name, kind(c.type), bool(c.nullable)) for c in table.columns),
        )
        for table in Base.metadata.sorted_tables
    )


def render() -> str:
    """The text of ``schema_expected.py`` for every version we read."""
    expected = {version: build(version) for version in sorted(REVISIONS)}
    body = pprint.pformat(expected, width=99, sort_dicts=True)
    columns = pprint.pformat(value_columns(), width=99)
    return (
        _HEADER
        + f"EXPECTED: dict[int, dict[tuple[str, str], Any]] = {body}\n\n"
        + "#: Each table of the current mapping, in dependency order, with (column, kind,\n"
        + "#: nullable) for the stored-value check (workbench.store.values).\n"
        + f"VALUE_COLUMNS: tuple[tuple[str, tuple[tuple[str, str, bool], ...]], ...] = {columns}\n"
    )


def main() -> int:
    EXPECTED_MODULE.write_text(render(), encoding="utf-8")
    # The repository's own formatting, so ``ruff format --check`` stays green.
    subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--quiet", str(EXPECTED_MODULE)], check=False
    )
    print(f"wrote {EXPECTED_MODULE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
