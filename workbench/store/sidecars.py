"""A leftover ``-wal`` or ``-journal`` beside a project: replayed only when it is its own.

SQLite replays whatever journal lies next to a database when it opens it,
and neither journal format names the database it belongs to: the WAL header
holds a page size, a checkpoint counter, two random salts and a checksum of
itself, all chosen when the log was started, none derived from the database
file. So another project's ``-wal`` copied beside a file would be replayed
into it (and a read-only share, where SQLite cannot write the ``-shm``
index, cannot be read at all).

How we know a journal is the file's own: it is replayed into a private copy
of the file (in the system's temporary folder, never beside the original),
and is accepted only when the result is still the same project: the same
project uid as the file holds without the journal, SQLite's ``quick_check``
and ``foreign_key_check`` clean. A journal of another project fails the uid
or the structure checks; then the file is refused and nothing is replayed.
The one case this cannot tell is a journal left by a byte copy of the same
project that was then edited apart (same uid, same layout): no information in
either file distinguishes the two.

When someone has the project open (a live lock), the journal is theirs and in
use; it is left to SQLite.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from workbench.core.errors import ProjectFileError
from workbench.store.errors import NotAProject
from workbench.store.lock import live_holder

JOURNALS = ("-wal", "-journal")


def leftover_journals(path: Path) -> list[Path]:
    """The non-empty journals beside ``path`` (an empty WAL holds nothing to replay)."""
    found = []
    for end in JOURNALS:
        journal = path.with_name(path.name + end)
        with contextlib.suppress(OSError):
            if journal.stat().st_size > 0:
                found.append(journal)
    return found


def _uid(connection: sqlite3.Connection) -> object:
    row = connection.execute("SELECT uid FROM project WHERE id = 1").fetchone()
    return None if row is None else row[0]


def _uid_without_journal(path: Path) -> object:
    # immutable=1: SQLite reads the main file alone and never looks at a journal.
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return _uid(connection)
    finally:
        connection.close()


def _replay(copy: Path) -> tuple[object, list[str]]:
    """Replay the journal into ``copy``; its uid and what SQLite finds wrong."""
    connection = sqlite3.connect(copy, isolation_level=None)
    try:
        problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
        problems = [] if problems == ["ok"] else problems
        if connection.execute("PRAGMA foreign_key_check").fetchone():
            problems.append("broken references")
        uid = _uid(connection)
        # Fold the journal in, so the copy is one self-contained file.
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode = DELETE")
        return uid, problems
    finally:
        connection.close()


@contextlib.contextmanager
def verified_copy(path: Path) -> Iterator[Path | None]:
    """A private copy of ``path`` with its leftover journal replayed, once checked.

    Yields None when there is nothing to check (no journal, or one in use by
    whoever holds the lock). Raises NotAProject when the journal is not the
    file's own. The copy is deleted afterwards.
    """
    shown, path = path, path.resolve()  # SQLite looks for journals beside the real file
    journals = leftover_journals(path)
    if not journals or live_holder(path) is not None:
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix="workbench-journal-"))
    try:
        copy = folder / "project.achwb"
        try:
            shutil.copyfile(path, copy)
            for journal in journals:
                shutil.copyfile(journal, folder / (copy.name + journal.name[len(path.name) :]))
        except OSError as error:
            raise ProjectFileError(
                f"{shown} has a leftover {journals[0].name} that could not be checked "
                f"({error.strerror}); nothing was changed"
            ) from None
        names = " and ".join(j.name for j in journals)
        try:
            own_uid = _uid_without_journal(path)
            uid, problems = _replay(copy)
        except sqlite3.DatabaseError as error:
            uid, problems, own_uid = None, [str(error)], object()
        if problems or uid != own_uid:
            raise NotAProject(
                shown,
                f"the {names} beside it belongs to another database; it was not replayed. "
                f"Move {names} away and open the file again",
            )
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)
