"""ProjectFile: an open ``.achwb`` project, always in step with its in-memory Project.

There is no "Save": :meth:`ProjectFile.apply` changes the project and commits
the change in one transaction before it returns, so a crash loses at most the
edit being made. Opening checks the file read-only first (see
:mod:`workbench.store.checks`), takes the ``.lock`` sidecar, migrates an
older schema after backing the file up, and loads everything into a core
Project with plain ``sqlite3`` (:mod:`workbench.store.reader`). SQLAlchemy is
imported only to create, upgrade or edit a file: a read-only open, which is
what every command that only looks at a project does, never needs it, and an
open for editing imports it at the first write (or :meth:`prepare_editing`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from workbench.core.edits import Edit
from workbench.core.errors import ProjectFileError
from workbench.core.model import Project
from workbench.core.storage import ProjectStore
from workbench.store import changelog, checks, reader, sidecars
from workbench.store.changelog import ChangeRecord
from workbench.store.connection import connect_file
from workbench.store.errors import FileInUse, NotAProject, ReadOnlyFile
from workbench.store.files import fsync_file, fsync_folder, new_temp_file, publish
from workbench.store.format import APPLICATION_ID, SCHEMA_VERSION
from workbench.store.lock import ProjectLock, live_holder
from workbench.store.matrix import CorruptRatings

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session


def _on_disk(path: Path) -> tuple[object, ...]:
    """What tells that a file (or its write-ahead log) was changed: inode, size, mtime."""
    marks: list[object] = []
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            stat = part.stat()
        except OSError:
            marks.append(None)
        else:
            marks.append((stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return tuple(marks)


def _reason(error: BaseException) -> str:
    original = getattr(error, "orig", None)
    return str(original if original is not None else error)


def _unjournalled(tmp: Path) -> sqlite3.Connection:
    """A connection to a file nobody sees yet, its rollback journal kept in memory.

    Set on the raw connection before any transaction (SQLite ignores a change
    of journal mode inside one): a build killed half way then leaves no
    ``-journal`` beside its temporary file.
    """
    raw = connect_file(tmp, read_only=False)
    raw.execute("PRAGMA journal_mode = MEMORY")
    return raw


class ProjectFile:
    """One project file opened for editing (or read-only). Use ``create`` or ``open``."""

    def __init__(
        self,
        path: Path,
        project: Project,
        connection: Engine | sqlite3.Connection,
        lock: ProjectLock | None,
        backup: Path | None = None,
    ) -> None:
        self.path = path
        self.project = project
        # Editing goes through an SQLAlchemy engine over one connection; a read-only
        # file is a plain sqlite3 connection, on the file itself. A file opened for
        # editing starts as its plain connection too (``_editing``): the engine, and
        # SQLAlchemy's import (a third of a second), come with the first write or
        # :meth:`prepare_editing`, so opening shows the project that much sooner.
        self._engine: Engine | None = None
        self._raw: sqlite3.Connection | None = None
        self._editing: sqlite3.Connection | None = None
        if isinstance(connection, sqlite3.Connection):
            if lock is None:
                self._raw = connection
            else:
                self._editing = connection
        else:
            self._engine = connection
        self._lock = lock
        #: For a read-only file read in place: the file as it was when it was loaded
        #: (see :func:`_on_disk`); None when it is not read in place.
        self._seen_on_disk: tuple[object, ...] | None = None
        self._mutex = threading.RLock()
        #: project.next_id as the file holds it (the in-memory one runs ahead of it).
        self._stored_next_id = project.next_id
        #: The copy made before migrating an older file, when that happened on open.
        self.backup = backup

    # -- opening --------------------------------------------------------------

    @classmethod
    def create(
        cls, path: str | os.PathLike[str], project: Project, replace: bool = False
    ) -> ProjectFile:
        """Write ``project`` to a new file at ``path`` and keep it open for editing.

        Refuses an existing file unless ``replace`` is given, and even then a
        folder or a project someone has open (its lock is live). The file is
        built under a temporary name and moved into place, so ``path`` is never
        half made and the old file stays whole until the new one is complete.
        """
        path = Path(path).absolute()
        if path.exists() and (not replace or not path.is_file()):
            raise ProjectFileError(f"{path} already exists; choose another name")
        if not path.parent.is_dir():
            raise ProjectFileError(f"{path.parent} is not a folder")
        # Taking the lock first refuses a file another window is editing.
        lock = ProjectLock(path)
        try:
            cls._build(path, project, replace)
            engine = cls._editing_engine(path)
        except BaseException:
            lock.release()
            raise
        return cls(path, project, engine, lock)

    @classmethod
    def create_first_free(
        cls, paths: Iterable[str | os.PathLike[str]], project: Project
    ) -> ProjectFile:
        """Write ``project`` at the first of ``paths`` that no one has open.

        An old file there is replaced, and a lock left by a process that is gone
        with it; a file open here or in another running window (its lock names a
        live process) is left alone and the next name is tried.
        """
        for path in paths:
            try:
                return cls.create(path, project, replace=True)
            except FileInUse:
                continue
        raise ProjectFileError("every name offered for the new project is in use")

    @staticmethod
    def _build(path: Path, project: Project, replace: bool = False) -> None:
        from sqlalchemy.exc import SQLAlchemyError
        from sqlalchemy.orm import Session

        from workbench.store import migrate, snapshot
        from workbench.store.connection import make_engine
        from workbench.store.schema import Base

        tmp = new_temp_file(path.parent, path.name)
        try:
            # A new file nobody else sees yet: foreign keys are checked once at the
            # end instead of three lookups per rating (create is twice as fast).
            engine = make_engine(lambda: _unjournalled(tmp), read_only=False, foreign_keys=False)
            try:
                with engine.begin() as connection:
                    connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
                    connection.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
                    Base.metadata.create_all(connection)
                    migrate.stamp_head(connection)
                    with Session(bind=connection) as session:
                        snapshot.write_project(session, project)
                        session.flush()
                    if connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                        raise ProjectFileError(f"{path}: the project refers to missing entities")
            finally:
                engine.dispose()
            fsync_file(tmp)
            if replace:
                # A journal left by the old file would be replayed into the new one.
                for leftover in ("-wal", "-shm", "-journal"):
                    path.with_name(path.name + leftover).unlink(missing_ok=True)
                os.replace(tmp, path)
            else:
                publish(tmp, path)
            fsync_folder(path.parent)
        except FileExistsError:
            raise ProjectFileError(f"{path} already exists; choose another name") from None
        except (OSError, SQLAlchemyError, sqlite3.Error) as error:
            raise ProjectFileError(f"{path} could not be written ({_reason(error)})") from None
        finally:
            tmp.unlink(missing_ok=True)

    @classmethod
    def open(cls, path: str | os.PathLike[str], read_only: bool = False) -> ProjectFile:
        """Open an existing project; raises a ProjectFileError saying why it cannot be.

        ``read_only=True`` takes no lock and never writes: the file is read in
        place (``mode=ro``; ``immutable`` when no journal says someone is
        writing, so no ``-wal`` or ``-shm`` is left behind), the project is
        loaded once and does not follow later changes, and :meth:`apply`
        refuses edits. An older file is upgraded in an in-memory copy only.
        """
        path = Path(path).absolute()
        checks.check_header(path)
        with sidecars.verified_copy(path) as replayed:
            version = checks.inspect_file(path, replayed)
            if read_only:
                in_place = version >= SCHEMA_VERSION and replayed is None
                seen = _on_disk(path) if in_place else None
                raw = cls._viewing_connection(path, replayed, version)
                try:
                    project = cls._load(path, raw)
                except BaseException:
                    raw.close()
                    raise
                viewed = cls(path, project, raw, None)
                viewed._seen_on_disk = seen
                return viewed
        lock = ProjectLock(path)
        try:
            backup = None
            if version < SCHEMA_VERSION:
                from workbench.store import migrate

                backup = migrate.migrate_file(path, version)
            raw = cls._editing_connection(path)
            try:
                project = cls._load(path, raw)
            except BaseException:
                raw.close()
                raise
            return cls(path, project, raw, lock, backup)
        except BaseException:
            lock.release()
            raise

    @staticmethod
    def _viewing_connection(path: Path, replayed: Path | None, version: int) -> sqlite3.Connection:
        """The file itself, read in place; an in-memory copy when it must be upgraded
        or when its leftover journal was replayed into a private copy (``replayed``)."""
        if version >= SCHEMA_VERSION and replayed is None:
            try:
                return connect_file(path, read_only=True)
            except sqlite3.Error as error:
                raise NotAProject(path, str(error)) from None
        from sqlalchemy.exc import SQLAlchemyError

        from workbench.store import migrate

        try:
            return migrate.snapshot_in_memory(replayed or path, version)
        except sqlite3.DatabaseError as error:
            raise NotAProject(path, str(error)) from None
        except (SQLAlchemyError, ProjectFileError) as error:
            raise ProjectFileError(
                f"{path} could not be upgraded for viewing ({_reason(error)})"
            ) from None

    @staticmethod
    def _editing_connection(path: Path) -> sqlite3.Connection:
        """The one connection a file open for editing uses, set up as
        :func:`~workbench.store.connection.make_engine` sets up its connection
        (foreign keys, synchronous FULL) and switched to the WAL journal."""
        try:
            raw = connect_file(path, read_only=False)
        except sqlite3.Error as error:
            raise NotAProject(path, str(error)) from None
        try:
            raw.execute("PRAGMA foreign_keys = ON")
            raw.execute("PRAGMA synchronous = FULL")
            raw.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as error:
            raw.close()
            raise ProjectFileError(
                f"{path} cannot be opened for editing ({_reason(error)}); open it read-only"
            ) from None
        return raw

    def prepare_editing(self) -> None:
        """Make the engine edits go through now (importing SQLAlchemy), not at the
        first edit: the window calls it once the project is on screen."""
        with self._mutex:
            self._editing_engine_now()

    def _editing_engine_now(self) -> Engine | None:
        """The engine of a file open for editing, made over its connection on first use."""
        if self._engine is None and self._editing is not None:
            from workbench.store.connection import make_engine

            raw = self._editing
            self._engine = make_engine(lambda: raw, read_only=False)
            self._editing = None
        return self._engine

    @staticmethod
    def _editing_engine(path: Path) -> Engine:
        from sqlalchemy.exc import SQLAlchemyError

        from workbench.store.connection import make_engine, use_wal

        engine = make_engine(lambda: connect_file(path, read_only=False), read_only=False)
        try:
            use_wal(engine)
        except (SQLAlchemyError, sqlite3.Error) as error:
            engine.dispose()
            raise ProjectFileError(
                f"{path} cannot be opened for editing ({_reason(error)}); open it read-only"
            ) from None
        return engine

    @staticmethod
    def _load(path: Path, raw: sqlite3.Connection) -> Project:
        try:
            return reader.load_project(raw)
        except sqlite3.DatabaseError as error:
            raise NotAProject(path, _reason(error)) from None
        except (
            reader.MissingProject,
            CorruptRatings,
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
        ) as error:
            raise NotAProject(path, f"its contents are damaged: {error}") from None

    # -- editing ----------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self._lock is None

    def _session(self) -> Session:
        from sqlalchemy.orm import Session

        engine = self._editing_engine_now()
        if engine is None:
            raise ProjectFileError(f"{self.path} is closed")
        return Session(bind=engine)

    def _changed_on_disk(self) -> bool:
        """True when a read-only file read in place was changed by someone since it
        was loaded. Its connection is ``immutable`` (no journal files are made),
        so SQLite would not notice, and would mix cached old pages with new ones."""
        return self._seen_on_disk is not None and _on_disk(self.path) != self._seen_on_disk

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The open file's sqlite3 connection, for a few plain SELECTs."""
        with self._mutex:
            if self._raw is not None:
                if self._changed_on_disk():
                    # Read what the file holds now, through a fresh connection.
                    self._raw.close()
                    self._raw = connect_file(self.path, read_only=True)
                    self._seen_on_disk = _on_disk(self.path)
                yield self._raw
            elif self._editing is not None:
                yield self._editing
            elif self._engine is not None:
                with self._engine.connect() as connection:
                    raw = connection.connection.driver_connection
                    assert isinstance(raw, sqlite3.Connection)
                    yield raw
            else:
                raise ProjectFileError(f"{self.path} is closed")

    def apply(self, edit: Edit, analyst_id: int | None = None) -> Edit:
        """Apply ``edit`` to :attr:`project` and store it durably; returns the inverse.

        The change and its change-log entry are one transaction. If storing
        fails, the transaction is rolled back, the in-memory project is put
        back as it was, and ProjectFileError is raised (an error from the edit
        itself, such as an unknown id, is re-raised as it is).
        """
        if self.read_only:
            raise ReadOnlyFile(self.path)
        from sqlalchemy import update
        from sqlalchemy.exc import SQLAlchemyError

        from workbench.store.persist import Unit, apply_and_persist, undo_applied
        from workbench.store.schema import ProjectRow

        with self._mutex:
            label = edit.label(self.project)
            analyst = next((a.name for a in self.project.analysts if a.id == analyst_id), None)
            when = changelog.utc_now()
            unit: Unit | None = None
            try:
                with self._session() as session, session.begin():
                    unit = Unit(session, self.project)
                    inverse = apply_and_persist(edit, unit)
                    # Ids are handed out before an Add edit is made, so compare with
                    # the stored value; a rating edit then costs no extra statement.
                    next_id = self.project.next_id
                    if next_id != self._stored_next_id:
                        session.execute(
                            update(ProjectRow).where(ProjectRow.id == 1).values(next_id=next_id)
                        )
                    changelog.record(unit.raw, when, analyst, label, type(edit).__name__)
                self._stored_next_id = next_id
            except (SQLAlchemyError, sqlite3.Error, OSError) as error:
                if unit is not None:
                    undo_applied(unit)
                raise ProjectFileError(
                    f"{self.path}: the change “{label}” could not be saved ({_reason(error)}); "
                    "it was undone"
                ) from error
            except BaseException:
                if unit is not None:
                    undo_applied(unit)
                raise
            return inverse

    # -- settings, log, copies ----------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._reading() as raw:
            text = reader.read_setting(raw, key)
        return default if text is None else json.loads(text)

    def set_setting(self, key: str, value: Any) -> None:
        """Store a small JSON-able value; ``None`` removes the setting."""
        if self.read_only:
            raise ReadOnlyFile(self.path)
        from workbench.store.snapshot import raw_connection

        with self._mutex, self._session() as session, session.begin():
            raw = raw_connection(session)
            if value is None:
                raw.execute("DELETE FROM setting WHERE key = ?", (key,))
                return
            raw.execute(
                "INSERT INTO setting (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    def change_log(self, limit: int = 200) -> list[ChangeRecord]:
        """The latest ``limit`` changes, newest first."""
        with self._reading() as raw:
            return changelog.read(raw, limit)

    def save_copy(self, path: str | os.PathLike[str]) -> None:
        """Write a complete, self-contained copy of the project to ``path``.

        The copy keeps the project's uid (it is the same analysis). An
        existing file at ``path`` is replaced, unless it is this project or
        a project someone has open.
        """
        target = Path(path).absolute()
        if target.exists() and target.resolve() == self.path.resolve():
            raise ProjectFileError(f"{target} is this project itself; choose another name")
        holder = live_holder(target)
        if holder is not None:
            raise FileInUse(target, holder)
        from workbench.store import migrate

        if self._changed_on_disk():
            raise ProjectFileError(
                f"{self.path} was changed by someone since you opened it read-only; "
                "open it again to save a copy of what it holds now"
            )
        with self._reading() as raw:
            staging = target.with_name(f".{target.name}.copy")
            staging.unlink(missing_ok=True)
            try:
                migrate.copy_database(raw, staging)
                if self._changed_on_disk():  # changed while it was being copied
                    raise ProjectFileError(
                        f"{self.path} was changed by someone while it was being copied; "
                        "open it again to save a copy of what it holds now"
                    )
                for leftover in ("-wal", "-shm", "-journal"):
                    target.with_name(target.name + leftover).unlink(missing_ok=True)
                os.replace(staging, target)
                fsync_folder(target.parent)
            except OSError as error:
                raise ProjectFileError(
                    f"{target} could not be written ({error.strerror})"
                ) from None
            finally:
                staging.unlink(missing_ok=True)

    # -- closing ------------------------------------------------------------------

    def close(self) -> None:
        """Close the file (the WAL is folded back into it) and release the lock."""
        with self._mutex:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
            if self._raw is not None:
                self._raw.close()
                self._raw = None
            if self._editing is not None:
                self._editing.close()
                self._editing = None
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> ProjectFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "editing"
        return f"<ProjectFile {self.path} ({mode})>"


if TYPE_CHECKING:

    def _is_a_project_store(project_file: ProjectFile) -> ProjectStore:
        return project_file  # mypy checks that ProjectFile implements the protocol
