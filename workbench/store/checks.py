"""Is this file an ACH Workbench project we can read? Answered without changing it.

Every open starts here, on a read-only connection, so a foreign, corrupt,
truncated or newer file is refused before anything could write to it (no
journal mode switch, no migration, no lock file). The SQLite header is read
by hand first: SQLite happily treats an empty file as an empty database, and
a truncated file only fails once a missing page is read.
"""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

from workbench.core.errors import ProjectFileError
from workbench.store import schema_check
from workbench.store.connection import file_uri
from workbench.store.errors import NewerSchema, NotAProject
from workbench.store.format import APPLICATION_ID, REVISIONS, SCHEMA_VERSION

_MAGIC = b"SQLite format 3\x00"

_SCHEMA1_TABLES = {
    "project",
    "hypothesis",
    "evidence",
    "source",
    "analyst",
    "rating",
    "milestone",
    "setting",
    "change_log",
}

#: Tables each schema version must have.
REQUIRED_TABLES = {
    1: _SCHEMA1_TABLES,
    2: _SCHEMA1_TABLES | {"consensus_override"},
    3: _SCHEMA1_TABLES | {"consensus_override"},
    4: (_SCHEMA1_TABLES - {"rating"}) | {"consensus_override", "layer_block", "rationale"},
}


def _check_header(path: Path) -> None:
    if path.exists() and not path.is_file() and not path.is_dir():
        # Opening a pipe waits for a writer forever; a device never ends.
        raise NotAProject(path, "it is a device or pipe, not a file")
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
            size = handle.seek(0, 2)
    except IsADirectoryError:
        raise NotAProject(path, "it is a folder") from None
    except FileNotFoundError:
        raise ProjectFileError(f"{path} does not exist") from None
    except OSError as error:
        raise ProjectFileError(f"{path} cannot be read ({error.strerror})") from None
    if not header:
        raise NotAProject(path, "file is empty")
    if len(header) < 100 or not header.startswith(_MAGIC):
        raise NotAProject(path, "file is not a database")
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    page_count, valid_for = struct.unpack(">I", header[28:32])[0], header[92:96]
    # The page count in the header is trustworthy only when it was written by
    # the same change as the change counter (bytes 24..27).
    if valid_for == header[24:28] and size < page_size * page_count:
        raise NotAProject(path, "file is truncated")


def check_header(path: Path) -> None:
    """Refuse what is not a whole SQLite file before SQLite (or a journal) touches it."""
    _check_header(path)


def inspect_file(path: Path, read_from: Path | None = None) -> int:
    """The schema version of the project file at ``path``; raises if it cannot be read.

    ``read_from`` is a verified private copy to read instead (see
    :mod:`workbench.store.sidecars`); messages still name ``path``. Raises
    :class:`NotAProject` for anything that is not one of our projects, or
    whose schema is not exactly ours, and :class:`NewerSchema` for a project
    from a newer version.
    """
    _check_header(path)
    try:
        connection = sqlite3.connect(file_uri(read_from or path, read_only=True), uri=True)
    except sqlite3.Error as error:
        raise ProjectFileError(f"{path} cannot be opened ({error})") from None
    try:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if application_id != APPLICATION_ID:
            raise NotAProject(path, "it is a database of another program")
        if version > SCHEMA_VERSION:
            raise NewerSchema(path, version, SCHEMA_VERSION)
        if version not in REQUIRED_TABLES:
            raise NotAProject(path, f"unknown schema {version}; it was never completely written")
        missing = sorted(REQUIRED_TABLES[version] - tables)
        if missing:
            raise NotAProject(path, f"table {missing[0]} is missing")
        _check_revision(path, connection, version)
        problem = schema_check.difference(schema_check.describe(connection), version)
    except sqlite3.DatabaseError as error:
        raise NotAProject(path, str(error)) from None
    finally:
        connection.close()
    if problem:
        raise NotAProject(path, f"{problem}; it was changed by another program or damaged")
    return int(version)


def _check_revision(path: Path, connection: sqlite3.Connection, version: int) -> None:
    """The schema version in the header and Alembic's revision must say the same.

    A file whose header claims an older version than its tables would be
    "upgraded" (and backed up) again on every open, failing each time.
    """
    rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    if [row[0] for row in rows] != [REVISIONS[version]]:
        found = ", ".join(str(row[0]) for row in rows) or "none"
        raise NotAProject(
            path,
            f"its header says schema {version} but its revision record says {found}; "
            "it was changed by another program or damaged",
        )
