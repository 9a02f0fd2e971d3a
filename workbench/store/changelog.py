"""The project's change log: one line per applied edit (when, who, what).

It is written in the same transaction as the edit itself, so the log never
claims a change the file does not hold, nor misses one it does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.store.schema import ChangeLogRow
from workbench.store.snapshot import raw_connection


@dataclasses.dataclass(frozen=True)
class ChangeRecord:
    """One entry of the change log, newest first when listed."""

    when: dt.datetime
    analyst: str
    label: str
    #: The kind of edit ("SetRating", "Batch", ...); "" for entries older than schema 2.
    kind: str = ""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def record(session: Session, when: dt.datetime, analyst: str | None, label: str, kind: str) -> None:
    # One row per edit, on the path of every key press: the plain DBAPI insert
    # skips building and compiling an ORM statement each time (half of an edit's cost).
    raw_connection(session).execute(
        "INSERT INTO change_log (at, analyst, label, kind) VALUES (?, ?, ?, ?)",
        (when.isoformat(), analyst, label, kind),
    )


def read(session: Session, limit: int) -> list[ChangeRecord]:
    rows = session.execute(
        select(ChangeLogRow.at, ChangeLogRow.analyst, ChangeLogRow.label, ChangeLogRow.kind)
        .order_by(ChangeLogRow.id.desc())
        .limit(limit)
    )
    records = []
    for at, analyst, label, kind in rows:
        when = dt.datetime.fromisoformat(at)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        records.append(ChangeRecord(when, analyst or "", label, kind or ""))
    return records
