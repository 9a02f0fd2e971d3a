"""Every stored value has the type its column declares, and no text is over the limit.

SQLite keeps whatever it is given: a BLOB in a title, ``'abc'`` in ``next_id``
or ``prior``. Such values would surface later as a crash (exit 1) or, worse,
as a wrong number, so the file is checked before it is loaded, with one
query per table whose conditions come from the SQLAlchemy mapping, written
down as :data:`workbench.store.schema_expected.VALUE_COLUMNS` (generated from
the mapping and checked by a test, so a column added later is checked without
a change here, and an open needs no SQLAlchemy). The rating blocks are left to
:mod:`workbench.store.matrix`, which checks each block as it reads it.
"""

from __future__ import annotations

import sqlite3

from workbench.core.limits import MAX_TEXT_CHARS
from workbench.store.schema_expected import VALUE_COLUMNS

#: The rating blocks are checked by :mod:`workbench.store.matrix` as they are read.
_SKIPPED = {"layer_block"}

_STORED = {
    "boolean": ["integer"],
    "integer": ["integer"],
    "float": ["real", "integer"],
    "text": ["text"],
    "blob": ["blob"],
}


def _allowed(kind: str, nullable: bool) -> list[str]:
    return _STORED[kind] + (["null"] if nullable else [])


def _condition(name: str, kind: str, nullable: bool) -> str:
    column = f'"{name}"'
    allowed = ", ".join(f"'{t}'" for t in _allowed(kind, nullable))
    condition = f"typeof({column}) NOT IN ({allowed})"
    if kind == "text":
        condition += f" OR length({column}) > {MAX_TEXT_CHARS}"
    if kind == "boolean":
        condition += f" OR {column} NOT IN (0, 1)"
    return condition


def first_bad_value(connection: sqlite3.Connection) -> str | None:
    """The first stored value of the wrong type or too long, in words; None if all fit."""
    for table, columns in VALUE_COLUMNS:
        if table in _SKIPPED:
            continue
        cases = " ".join(
            f"WHEN {_condition(name, kind, nullable)} THEN '{name}'"
            for name, kind, nullable in columns
        )
        row = connection.execute(
            f'SELECT bad FROM (SELECT CASE {cases} END AS bad FROM "{table}")'
            " WHERE bad IS NOT NULL LIMIT 1"
        ).fetchone()
        if row is not None:
            kind = next(k for name, k, _nullable in columns if name == row[0])
            return (
                f"a {table} row has a {row[0]} that is not "
                f"{_described(kind)} (or is longer than {MAX_TEXT_CHARS:,} characters)"
                if kind == "text"
                else f"a {table} row has a {row[0]} that is not {_described(kind)}"
            )
    return None


def _described(kind: str) -> str:
    return {
        "boolean": "true or false",
        "integer": "a whole number",
        "float": "a number",
        "blob": "bytes",
    }.get(kind, "text")
