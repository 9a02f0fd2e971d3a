"""Every stored value has the type its column declares, and no text is over the limit.

SQLite keeps whatever it is given: a BLOB in a title, ``'abc'`` in ``next_id``
or ``prior``. Such values would surface later as a crash (exit 1) or, worse,
as a wrong number, so the file is checked before it is loaded, with one
query per table whose conditions come from the SQLAlchemy mapping (a column
added later is checked without a change here). The rating blocks are left to
:mod:`workbench.store.matrix`, which checks each block as it reads it.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import Boolean, Float, Integer, String, Text
from sqlalchemy.types import TypeEngine

from workbench.core.limits import MAX_TEXT_CHARS
from workbench.store.schema import Base, LayerBlockRow

#: The rating blocks are checked by :mod:`workbench.store.matrix` as they are read.
_SKIPPED = {LayerBlockRow.__tablename__}


def _allowed(kind: TypeEngine, nullable: bool) -> list[str]:
    if isinstance(kind, Boolean | Integer):
        types = ["integer"]
    elif isinstance(kind, Float):
        types = ["real", "integer"]
    elif isinstance(kind, String | Text):  # Text is a String too
        types = ["text"]
    else:  # a type this check does not know yet: fail loudly in the tests
        raise TypeError(f"no storage check for column type {kind!r}")
    return types + (["null"] if nullable else [])


def _condition(name: str, kind: TypeEngine, nullable: bool) -> str:
    column = f'"{name}"'
    allowed = ", ".join(f"'{t}'" for t in _allowed(kind, nullable))
    condition = f"typeof({column}) NOT IN ({allowed})"
    if isinstance(kind, String | Text):
        condition += f" OR length({column}) > {MAX_TEXT_CHARS}"
    if isinstance(kind, Boolean):
        condition += f" OR {column} NOT IN (0, 1)"
    return condition


def first_bad_value(connection: sqlite3.Connection) -> str | None:
    """The first stored value of the wrong type or too long, in words; None if all fit."""
    for table in Base.metadata.sorted_tables:
        if table.name in _SKIPPED:
            continue
        cases = " ".join(
            f"WHEN {_condition(c.name, c.type, bool(c.nullable))} THEN '{c.name}'"
            for c in table.columns
        )
        row = connection.execute(
            f'SELECT bad FROM (SELECT CASE {cases} END AS bad FROM "{table.name}")'
            " WHERE bad IS NOT NULL LIMIT 1"
        ).fetchone()
        if row is not None:
            column = table.columns[row[0]]
            return (
                f"a {table.name} row has a {row[0]} that is not "
                f"{_described(column.type)} (or is longer than {MAX_TEXT_CHARS:,} characters)"
                if isinstance(column.type, String | Text)
                else f"a {table.name} row has a {row[0]} that is not {_described(column.type)}"
            )
    return None


def _described(kind: TypeEngine) -> str:
    if isinstance(kind, Boolean):
        return "true or false"
    if isinstance(kind, Integer):
        return "a whole number"
    if isinstance(kind, Float):
        return "a number"
    return "text"
