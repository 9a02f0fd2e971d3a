"""How the store talks to SQLite: one connection per open file, set up for durability.

* ``foreign_keys=ON`` so deleting an evidence row removes its ratings.
* WAL journal with ``synchronous=FULL``: every commit is fsynced to the log,
  so an edit is on disk when :meth:`ProjectFile.apply` returns (NORMAL would
  be faster but may lose the last edits on power loss, which breaks the
  "durable when it returns" promise).
* SQLAlchemy emits ``BEGIN IMMEDIATE`` itself (the pysqlite recipe): the
  write lock is taken when a transaction starts, never half way through.
* One connection (``StaticPool``) guarded by the ProjectFile's lock, allowed
  to move between threads so the window can save from a worker.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # SQLAlchemy is imported only to edit, create or upgrade a file
    from sqlalchemy import Engine


def has_sidecars(path: Path) -> bool:
    """True when a WAL or rollback journal next to the file may hold part of it."""
    return any(path.with_name(path.name + end).exists() for end in ("-wal", "-journal"))


def file_uri(path: Path, read_only: bool) -> str:
    """The SQLite URI of ``path``.

    A read-only connection to a WAL file creates ``-wal`` and ``-shm`` files
    and leaves them behind. When no journal exists (nobody is writing and
    the file holds everything), read-only connections say ``immutable=1``
    instead, so looking at a file leaves its folder exactly as it was.
    """
    uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rw'}"
    if read_only and not has_sidecars(path):
        uri += "&immutable=1"
    return uri


def connect_file(path: Path, read_only: bool) -> sqlite3.Connection:
    return sqlite3.connect(
        file_uri(path, read_only),
        uri=True,
        timeout=10.0,
        isolation_level=None,
        check_same_thread=False,
    )


def make_engine(
    connect: Callable[[], sqlite3.Connection],
    *,
    read_only: bool,
    foreign_keys: bool = True,
) -> Engine:
    """An engine over exactly one DBAPI connection made by ``connect``.

    Migrations pass ``foreign_keys=False``: Alembic's batch mode copies and
    drops tables, which must not cascade.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import StaticPool

    engine = create_engine("sqlite+pysqlite://", creator=connect, poolclass=StaticPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        dbapi_connection.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        dbapi_connection.execute("PRAGMA synchronous = FULL")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def use_wal(engine: Engine) -> None:
    """Switch a writable file to the WAL journal (persistent; cheap when already so)."""
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA journal_mode = WAL")
