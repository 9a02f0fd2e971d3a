"""Bringing project files of older schema versions up to date, safely.

Alembic runs from code (no alembic.ini to install or find): the Config is
built here and the open connection handed to ``migrations/env.py``. Before a
file is changed, a complete copy is made next to it with SQLite's backup API
(``name.achwb.bak-schema1``), and the upgrade runs in one transaction with
foreign keys off (batch mode copies tables), checked afterwards with
``PRAGMA foreign_key_check``. A read-only open migrates an in-memory copy
instead, so looking at an old file never changes it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from workbench.core.errors import ProjectFileError
from workbench.store.connection import connect_file, has_sidecars, make_engine
from workbench.store.files import fsync_file, new_temp_file, publish
from workbench.store.format import REVISIONS


def _config(connection: Connection) -> Any:
    # Imported here: Alembic is only needed to create or upgrade a file, and
    # importing it costs a tenth of a second on every start otherwise.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "workbench.store:migrations")
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, target: str = "head") -> None:
    """Run the migrations up to ``target`` in one transaction on ``engine``."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_config(connection), target)
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise ProjectFileError(
                f"the upgrade left {len(broken)} broken references in table {broken[0][0]}"
            )


def run_migrations(connection: Connection, target: str = "head") -> None:
    """Run the migrations up to ``target`` inside ``connection``'s open transaction.

    The PostgreSQL store builds and upgrades a project's schema with this:
    the same revisions as a file, with ``search_path`` set to the project.
    """
    from alembic import command

    command.upgrade(_config(connection), target)


def stamp_head(connection: Connection) -> None:
    """Record in a new file (made from the mapping) that it is at the newest revision."""
    from alembic import command

    command.stamp(_config(connection), "head")


def _backup_path(path: Path, version: int) -> Path:
    candidate = path.with_name(f"{path.name}.bak-schema{version}")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak-schema{version}-{number}")
        number += 1
    return candidate


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """A consistent single-file copy of ``source`` at ``target``, which must not exist.

    Written to a temporary file and linked into place, so ``target`` is
    either complete or absent. The copy uses the rollback journal, so it is
    self-contained (no ``-wal`` file to carry along).
    """
    tmp_name = new_temp_file(target.parent, target.name)
    try:
        copy = sqlite3.connect(tmp_name)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
        fsync_file(tmp_name)
        publish(tmp_name, target)
    finally:
        os.unlink(tmp_name)


def _byte_copy(path: Path, target: Path) -> None:
    tmp = new_temp_file(target.parent, target.name)
    try:
        shutil.copyfile(path, tmp)
        fsync_file(tmp)
        publish(tmp, target)
    finally:
        os.unlink(tmp)


def migrate_file(path: Path, version: int) -> Path:
    """Upgrade the file at ``path`` from ``version`` in place; returns the backup's path.

    The backup is a byte-for-byte copy when the file is complete by itself,
    else a consistent copy through SQLite's backup API (which folds in the WAL).
    """
    backup = _backup_path(path, version)
    try:
        if has_sidecars(path):
            source = connect_file(path, read_only=True)
            try:
                copy_database(source, backup)
            finally:
                source.close()
        else:
            _byte_copy(path, backup)
    except OSError as error:
        raise ProjectFileError(
            f"{path} needs upgrading, but its backup {backup} could not be written "
            f"({error.strerror}); nothing was changed"
        ) from None
    engine = make_engine(
        lambda: connect_file(path, read_only=False), read_only=False, foreign_keys=False
    )
    try:
        upgrade(engine)
    except (ProjectFileError, SQLAlchemyError, sqlite3.Error) as error:
        # The upgrade was rolled back, so the file is what the backup holds:
        # keeping the copy would only leave one more file per failed attempt.
        backup.unlink(missing_ok=True)
        reason = getattr(error, "orig", None) or error
        raise ProjectFileError(
            f"{path} could not be upgraded ({reason}); it was left as it was"
        ) from None
    finally:
        engine.dispose()
    return backup


def snapshot_in_memory(path: Path, version: int) -> sqlite3.Connection:
    """An in-memory copy of the file for read-only viewing, upgraded if it is older.

    Viewing a copy means the file is read once, consistently, and never
    touched again: no lock, no journal files, no migration on disk.
    """
    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    source = connect_file(path, read_only=True)
    try:
        source.backup(memory)
    finally:
        source.close()
    if version < max(REVISIONS):
        engine = make_engine(lambda: memory, read_only=False, foreign_keys=False)
        upgrade(engine)
        # No dispose(): it would close the in-memory connection, and the copy with it.
    return memory
