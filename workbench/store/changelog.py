"""The project's change log: one line per applied edit (when, who, what).

It is written in the same transaction as the edit itself, so the log never
claims a change the file does not hold, nor misses one it does. Plain
``sqlite3`` on both sides: writing is on the path of every key press, and
reading must not need SQLAlchemy.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

from workbench.store import reader


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


def record(
    raw: sqlite3.Connection, when: dt.datetime, analyst: str | None, label: str, kind: str
) -> None:
    raw.execute(
        "INSERT INTO change_log (at, analyst, label, kind) VALUES (?, ?, ?, ?)",
        (when.isoformat(), analyst, label, kind),
    )


def read(raw: sqlite3.Connection, limit: int) -> list[ChangeRecord]:
    return [ChangeRecord(*entry) for entry in reader.read_change_log(raw, limit)]
