"""ServerProject: a project on a PostgreSQL server, with ProjectFile's public shape.

``open`` / ``create`` / ``apply`` / ``project`` / ``change_log`` /
``get_setting`` / ``set_setting`` / ``save_copy`` / ``close`` behave as
they do for a file, so the commands (and later the window) take either.
Each edit is one transaction, committed on the server before ``apply``
returns; if the server refuses it or cannot be reached, the in-memory
project is put back as it was and the error says why, in one line, with
the address shown without its password.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from workbench.core.edits import AddAnalyst, Batch, Edit
from workbench.core.errors import BadInput, ProjectFileError
from workbench.core.model import Analyst, Project
from workbench.store import changelog
from workbench.store.changelog import ChangeRecord
from workbench.store.schema import SCHEMA_VERSION
from workbench.store.server import access, tables
from workbench.store.server.address import ServerAddress, ServerLocation, parse_address
from workbench.store.server.errors import (
    NewerServerSchema,
    NoSuchProject,
    NotPermitted,
    ProjectExists,
    ServerUnreachable,
)
from workbench.store.server.following import Following

#: Seconds to wait for a server before saying it cannot be reached (unless the address says).
CONNECT_TIMEOUT = 10

STRUCTURE = (
    "the structure of the project (question, hypotheses, evidence, weights, sources, "
    "milestones, analysts) and the consensus set by hand"
)


def _engine(address: ServerAddress) -> Engine:
    try:
        import psycopg
    except ImportError as error:
        # The standalone bundle leaves psycopg's own copy of libpq out and uses
        # the system's; without either, say what to install instead of a traceback.
        raise ServerUnreachable(
            address,
            f"PostgreSQL's client library is missing ({error}); "
            "install libpq (Debian and Ubuntu: libpq5) or psycopg[binary]",
        ) from None

    # The project's schema and nothing else (pg_catalog is always searched first):
    # set once per connection, not per transaction, it costs no round trip.
    options: dict[str, Any] = {
        "application_name": "ACH Workbench",
        "options": f"-c search_path={tables.quoted(address.schema)}",
    }
    if "connect_timeout" not in address.conninfo:
        options["connect_timeout"] = CONNECT_TIMEOUT

    def connect() -> Any:
        try:
            return psycopg.connect(address.conninfo, **options)
        except psycopg.Error as error:
            raise ServerUnreachable(address, str(error).strip()) from None

    return create_engine("postgresql+psycopg://", creator=connect, poolclass=StaticPool)


def _sql_state(error: BaseException) -> str | None:
    original = getattr(error, "orig", error)
    return getattr(original, "sqlstate", None)


def _reason(error: BaseException) -> str:
    original = getattr(error, "orig", None)
    first = str(original if original is not None else error).strip().splitlines()
    return first[0] if first else type(error).__name__


def _apply_tracked(edit: Edit, project: Project, applied: list[Edit]) -> Edit:
    """Edit.apply, keeping each part's inverse so a failed save can be undone part by part."""
    if isinstance(edit, Batch):
        inverses = [_apply_tracked(part, project, applied) for part in edit.edits]
        return Batch(tuple(reversed(inverses)), edit.text)
    inverse = edit.apply(project)
    applied.append(inverse)
    return inverse


class ServerProject(Following):
    """One project on a server, opened for editing (or read-only). Use ``create`` or ``open``."""

    def __init__(
        self,
        address: ServerAddress,
        engine: Engine,
        project: Project,
        role: str,
        facilitator: str,
        members: list[access.Member],
        read_only: bool,
        by_procedure: bool = True,
    ) -> None:
        self.address = address
        self.project = project
        #: The database role this connection acts as, and the one who owns the project.
        self.role = role
        self.facilitator = facilitator
        self._members = members
        self._engine: Engine | None = engine
        self._read_only = read_only
        self._mutex = threading.RLock()
        self._stored_next_id = project.next_id
        #: Whether ratings-only edits commit and announce in one CALL (False only for a
        #: project pushed by an older version that its facilitator has not opened since).
        self._by_procedure = by_procedure
        #: Settings of analysts, who may not write the shared ones: kept for this session.
        self._own_settings: dict[str, Any] = {}
        #: Where it lives, readable like a file's path (no password; see ServerLocation):
        #: typed as the ProjectStore protocol's Path, which it stands in for.
        self.path = cast(Path, ServerLocation(address))
        #: Never a copy: a server project is upgraded in one transaction, or not at all.
        self.backup: Path | None = None
        #: Tells this session's own notifications from everyone else's.
        self._session = uuid.uuid4().hex
        self._listener: Any = None
        self._inbox: list[str] = []

    # -- connecting -----------------------------------------------------------------------

    @classmethod
    @contextmanager
    def _transaction(
        cls, address: ServerAddress, engine: Engine, isolation: str | None = None
    ) -> Iterator[Connection]:
        """One transaction on the server, errors turned into messages without passwords."""
        import psycopg

        try:
            connection = engine.connect()
        except ServerUnreachable:
            raise
        except (SQLAlchemyError, psycopg.Error) as error:
            raise ServerUnreachable(address, _reason(error)) from None
        try:
            if isolation:
                connection = connection.execution_options(isolation_level=isolation)
            with connection.begin():
                yield connection
        except DBAPIError as error:
            if error.connection_invalidated or isinstance(error.orig, psycopg.OperationalError):
                raise ServerUnreachable(address, _reason(error)) from None
            raise
        finally:
            connection.close()

    @classmethod
    def open(cls, address: str | ServerAddress, read_only: bool = False) -> ServerProject:
        """Open the project the address names; ProjectFileError says why it cannot be."""
        if isinstance(address, str):
            address = parse_address(address)
        engine = _engine(address)
        try:
            with cls._transaction(address, engine) as connection:
                role, facilitator, version = cls._inspect(connection, address)
                upkeeper = role == facilitator and not read_only
                if version < SCHEMA_VERSION and not upkeeper:
                    raise ProjectFileError(
                        f"{address} has schema {version} and needs upgrading to "
                        f"{SCHEMA_VERSION}; its facilitator ({facilitator}) can do that by "
                        "opening it once"
                    )
                by_procedure = tables.has_rating_procedure(connection, address.schema)
            if upkeeper and (version < SCHEMA_VERSION or not by_procedure):
                cls._upkeep(address, engine)
                by_procedure = True
            with cls._transaction(address, engine, "REPEATABLE READ") as connection:
                tables.use_schema(connection, address.schema)
                project = tables.load_project(connection)
                members = access.members(connection, address.schema)
        except DBAPIError as error:
            engine.dispose()
            if _sql_state(error) == "42501":  # insufficient_privilege
                raise NotPermitted(
                    address,
                    f"the role has not been admitted to this project (its facilitator can: "
                    f"workbench grant URL --analyst NAME --role ROLE); {_reason(error)}",
                ) from None
            raise ProjectFileError(
                f"{address} could not be read ({address.redact(_reason(error))})"
            ) from None
        except (tables.DamagedProject, ValueError, KeyError) as error:
            engine.dispose()
            raise ProjectFileError(
                f"{address}: the project on the server is damaged: {error}"
            ) from None
        except BaseException:
            engine.dispose()
            raise
        return cls(address, engine, project, role, facilitator, members, read_only, by_procedure)

    @classmethod
    def _upkeep(cls, address: ServerAddress, engine: Engine) -> None:
        """Bring an older project up to this version: the migrations, then what this
        version adds outside them (the edit procedure; pushed projects have it from
        the start).

        Two windows of the facilitator may open it at the same moment: the later waits
        for the upkeep lock, then finds the work done instead of failing on the
        catalogue's unique index with a second CREATE. The lock is taken first, in a
        transaction of its own: a window waiting for it holds no table another's
        upgrade or deletion would wait for. Everything is asked again once it is
        held, since the other window may have upgraded the project (even past this
        version, which is then refused) or deleted it.
        """
        with cls._transaction(address, engine, "READ COMMITTED") as connection:
            tables.lock_upkeep(connection, address.schema)
            _, _, version = cls._inspect(connection, address)
            by_procedure = tables.has_rating_procedure(connection, address.schema)
            if version < SCHEMA_VERSION:
                tables.upgrade_schema(connection, address.schema)
            if version < SCHEMA_VERSION or not by_procedure:
                tables.install_rating_procedure(connection, address.schema)
                for member in access.members(connection, address.schema):
                    access.grant_analyst(connection, address.schema, member.role)

    @staticmethod
    def _inspect(connection: Connection, address: ServerAddress) -> tuple[str, str, int]:
        """(this role, the facilitator, the schema version) of the project, or why not."""
        role = access.current_role(connection)
        owner = tables.schema_owner(connection, address.schema)
        if owner is None:
            raise NoSuchProject(address)
        version = tables.schema_version(connection, address.schema)
        if version is None:
            raise ProjectFileError(
                f"{address}: schema {address.schema} on the server is not an ACH Workbench project"
            )
        if version > SCHEMA_VERSION:
            raise NewerServerSchema(address, version, SCHEMA_VERSION)
        return role, owner, version

    @classmethod
    def create(
        cls, address: str | ServerAddress, project: Project, replace: bool = False
    ) -> ServerProject:
        """Put ``project`` on the server under the address's name; the pushing role facilitates.

        All of it is one transaction (PostgreSQL's DDL is transactional):
        the project is there complete or not at all, and with ``replace`` an
        existing one is only dropped if the new one is written whole. Analysts
        admitted to the old project keep their layer when the new project has
        an analyst of the same name.
        """
        if isinstance(address, str):
            address = parse_address(address)
        engine = _engine(address)
        schema = address.schema
        try:
            with cls._transaction(address, engine) as connection:
                role = access.current_role(connection)
                owner = tables.schema_owner(connection, schema)
                kept: list[tuple[str, str]] = []
                if owner is not None:
                    if not replace:
                        raise ProjectExists(address)
                    if owner != role:
                        raise NotPermitted(
                            address,
                            f"only its facilitator ({owner}) may replace project "
                            f"{address.project!r}",
                        )
                    kept = cls._member_names(connection, schema)
                    tables.drop_schema(connection, schema)
                tables.build_schema(connection, schema)
                tables.write_project(connection, project)
                access.create_member_table(connection, schema)
                access.secure(connection, schema)
                tables.install_rating_procedure(connection, schema)
                names = {a.name: a.id for a in project.analysts}
                for member_role, name in kept:
                    if name in names and access.role_exists(connection, member_role):
                        access.add_member(connection, schema, member_role, names[name])
        except DBAPIError as error:
            engine.dispose()
            state = _sql_state(error)
            if state == "42P06":  # duplicate_schema: someone pushed the same name just now
                raise ProjectExists(address) from None
            if state == "42501":
                raise NotPermitted(
                    address,
                    "the role may not create projects in this database (its owner can: "
                    f"GRANT CREATE ON DATABASE ... TO the role); {_reason(error)}",
                ) from None
            raise ProjectFileError(
                f"{address}: the project could not be written ({address.redact(_reason(error))})"
            ) from None
        except BaseException:
            engine.dispose()
            raise
        engine.dispose()
        return cls.open(address)

    @staticmethod
    def _member_names(connection: Connection, schema: str) -> list[tuple[str, str]]:
        found = connection.exec_driver_sql(
            f"SELECT m.role_name, a.name FROM {tables.quoted(schema)}.member m"
            f" JOIN {tables.quoted(schema)}.analyst a ON a.id = m.analyst_id"
        )
        return [(role, name) for role, name in found]

    # -- who may ---------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def is_facilitator(self) -> bool:
        return self.role == self.facilitator

    @property
    def members(self) -> dict[str, int]:
        """Role name -> analyst id of everyone admitted with a layer."""
        return {m.role: m.analyst_id for m in self._members}

    @property
    def my_analyst_id(self) -> int | None:
        """The layer this role rates in, if it has one."""
        return self.members.get(self.role)

    def who_may_rate(self, analyst_id: int) -> str:
        """The role that may change an analyst's layer (the facilitator for an unclaimed one)."""
        holder = next((m.role for m in self._members if m.analyst_id == analyst_id), None)
        return holder or self.facilitator

    def refusal(self, edit: Edit) -> str | None:
        """Why this role may not make ``edit`` (one line naming who may), or None."""
        if tables.touches_structure(edit):
            if not self.is_facilitator:
                return f"only the facilitator ({self.facilitator}) may change {STRUCTURE}"
            return None
        for analyst_id in sorted(tables.rated_layers(edit)):
            holder = self.who_may_rate(analyst_id)
            if holder != self.role:
                analyst = next((a for a in self.project.analysts if a.id == analyst_id), None)
                name = analyst.name if analyst else f"analyst {analyst_id}"
                return f"only the role {holder} may change {name}'s ratings (you are {self.role})"
        return None

    # -- editing ----------------------------------------------------------------------------

    def _engine_or_closed(self) -> Engine:
        if self._engine is None:
            raise ProjectFileError(f"{self.address} is closed")
        return self._engine

    def apply(self, edit: Edit, analyst_id: int | None = None) -> Edit:
        """Apply ``edit`` to :attr:`project` and commit it on the server; returns the inverse."""
        if self.read_only:
            raise ProjectFileError(
                f"{self.address} is open read-only; open it again for editing to change it"
            )
        import psycopg

        with self._mutex:
            refusal = self.refusal(edit)
            if refusal is not None:
                self._refresh_members()
                refusal = self.refusal(edit)
            if refusal is not None:
                raise NotPermitted(self.address, refusal)
            engine = self._engine_or_closed()
            label = edit.label(self.project)
            structural = tables.touches_structure(edit)
            before = tables.capture(self.project) if structural else None
            if before is not None:
                before.head["next_id"] = self._stored_next_id
            applied: list[Edit] = []
            try:
                inverse = _apply_tracked(edit, self.project, applied)
                notice = tables.change_notice(self._session, edit, self.project, structural)
                log = (changelog.utc_now(), self._signature(), label, type(edit).__name__)
                if before is None:
                    channel = self.address.schema
                    with self._driver(engine) as driver:
                        by_call = (channel, notice) if self._by_procedure else None
                        if not tables.commit_rating_edit(driver, edit, self.project, log, by_call):
                            self._announce(driver, notice)  # committed: nothing is undone now
                else:
                    with self._transaction(self.address, engine) as connection:
                        tables.write_structure(connection, before, tables.capture(self.project))
                        tables.write_ratings_and_log(connection, edit, self.project, log)
                    self._announce_afresh(notice)
                self._stored_next_id = self.project.next_id
            except BaseException as error:
                while applied:
                    applied.pop().apply(self.project)
                if isinstance(error, ServerUnreachable):
                    raise ServerUnreachable(
                        self.address,
                        f"{error.reason}; “{label}” was not saved and was undone",
                    ) from None
                if isinstance(error, DBAPIError | psycopg.Error):
                    raise self._refused(error, label, edit) from None
                if isinstance(error, UnicodeEncodeError):  # a lone surrogate, e.g. from JSON
                    raise ProjectFileError(
                        f"{self.address}: the change “{label}” could not be saved (its text "
                        f"holds {error.object[error.start : error.end]!r}, which is not a "
                        "character UTF-8 can store); it was undone"
                    ) from None
                raise
            return inverse

    def _announce(self, driver: Any, notice: str) -> None:
        """Tell the other windows; the edit is committed whether or not this arrives.

        A failure here must not reach ``apply``'s undo: the others catch up at
        their next reload, and the heartbeat notices a lost server.
        """
        import psycopg

        with suppress(psycopg.Error):
            tables.announce(driver, self.address.schema, notice)

    def _announce_afresh(self, notice: str) -> None:
        """:meth:`_announce` after a structure edit, whose transaction has given back its
        connection."""
        try:
            with self._driver(self._engine_or_closed()) as driver:
                self._announce(driver, notice)
        except ProjectFileError:
            pass

    @contextmanager
    def _driver(self, engine: Engine) -> Iterator[Any]:
        """The bare psycopg connection, for the hot path of a rating edit.

        Outside SQLAlchemy's transaction handling, so a lost connection is
        invalidated here by hand (the pool then connects afresh next time).
        """
        import psycopg

        try:
            connection = engine.raw_connection()  # the pool's, without a SQLAlchemy Connection
        except ServerUnreachable:
            raise
        except (SQLAlchemyError, psycopg.Error) as error:
            raise ServerUnreachable(self.address, _reason(error)) from None
        driver: Any = connection.driver_connection
        try:
            yield driver
        except psycopg.OperationalError as error:
            connection.invalidate()
            raise ServerUnreachable(self.address, _reason(error)) from None
        finally:
            if connection.is_valid and driver.broken:  # lost where no error was raised (announcing)
                connection.invalidate()
            connection.close()

    def _signature(self) -> str:
        """The name the change log shows for this role's edits."""
        mine = self.my_analyst_id
        analyst = next((a for a in self.project.analysts if a.id == mine), None)
        return analyst.name if analyst is not None else self.role

    def _refused(self, error: BaseException, label: str, edit: Edit) -> ProjectFileError:
        state = _sql_state(error)
        reason = self.address.redact(_reason(error))
        if state == "23503":  # foreign_key_violation: a row someone just deleted
            return ProjectFileError(
                f"{self.address}: “{label}” refers to {self._gone(edit)}, which someone has "
                "just removed from the project; the change was undone"
            )
        if state == "42501" or (state or "").startswith("42"):
            return NotPermitted(self.address, f"the server refused “{label}” ({reason})")
        return ProjectFileError(
            f"{self.address}: the change “{label}” could not be saved ({reason}); it was undone"
        )

    def _gone(self, edit: Edit) -> str:
        """'evidence E3', naming what an edit refers to that is no longer on the server.

        PostgreSQL leaves the key out of the error when row-level security is
        on, so the server is asked which of the edit's rows still exist.
        """
        cells: set[tuple[int, int, int]] = set()
        tables.cells_of(edit, self.project, cells)
        wanted: dict[str, tuple[set[int], list[Any]]] = {
            "evidence": ({e for _, e, _ in cells}, list(self.project.evidence)),
            "hypothesis": ({h for _, _, h in cells}, list(self.project.hypotheses)),
        }
        names: list[str] = []
        try:
            with self._transaction(self.address, self._engine_or_closed()) as connection:
                tables.use_schema(connection, self.address.schema)
                for kind, (ids, items) in wanted.items():
                    present = tables.existing_ids(connection, kind, sorted(ids))
                    names += [f"{kind} {i.code}" for i in items if i.id in ids - present]
        except ProjectFileError:
            pass
        return ", ".join(names) or "a row"

    def _refresh_members(self) -> None:
        engine = self._engine_or_closed()
        with self._transaction(self.address, engine) as connection:
            self._members = access.members(connection, self.address.schema)

    # -- live: the others' edits (listening is in following.py) -------------------------

    def _refresh_cells(self, cells: set[tuple[int, int, int]]) -> None:
        project = self.project
        evidence = {e.id: i for i, e in enumerate(project.evidence)}
        hypotheses = {h.id: i for i, h in enumerate(project.hypotheses)}
        wanted = [
            c for c in cells if c[0] in project.layers and c[1] in evidence and c[2] in hypotheses
        ]
        with self._transaction(self.address, self._engine_or_closed()) as connection:
            tables.use_schema(connection, self.address.schema)
            found = tables.read_cells(connection, wanted)
        for a, e, h in wanted:
            code, note = found.get((a, e, h), (0, None))
            project.layers[a][evidence[e], hypotheses[h]] = code
            if note is None:
                project.rationales.pop((a, e, h), None)
            else:
                project.rationales[(a, e, h)] = note

    def reload(self) -> Project:
        """Read the whole project again (after a structural change, or a reconnection)."""
        with self._mutex:
            engine = self._engine_or_closed()
            with self._transaction(self.address, engine, "REPEATABLE READ") as connection:
                tables.use_schema(connection, self.address.schema)
                self.project = tables.load_project(connection)
                self._members = access.members(connection, self.address.schema)
            self._stored_next_id = self.project.next_id
            return self.project

    # -- analysts ---------------------------------------------------------------------------

    def grant(self, analyst_name: str, role: str) -> int:
        """Admit the database role ``role`` as the analyst ``analyst_name`` (a new layer if new).

        Only the facilitator may; the role must exist on the server. Returns the analyst's id.
        """
        if self.read_only:
            raise ProjectFileError(f"{self.address} is open read-only")
        if not self.is_facilitator:
            raise NotPermitted(
                self.address, f"only the facilitator ({self.facilitator}) may admit analysts"
            )
        name = analyst_name.strip()
        if not name:
            raise BadInput("the analyst needs a name")
        engine = self._engine_or_closed()
        with self._transaction(self.address, engine) as connection:
            if not access.role_exists(connection, role):
                raise BadInput(
                    f"the server has no role named {role!r} (create it first: "
                    f"CREATE ROLE {role} LOGIN PASSWORD '...')"
                )
        self._refresh_members()
        analyst = self.project.analyst_by_name(name)
        if analyst is not None:
            holder = next((m.role for m in self._members if m.analyst_id == analyst.id), None)
            if holder == role:
                return analyst.id
            if holder is not None:
                raise BadInput(f"{name}'s layer already belongs to the role {holder}")
        if role in self.members:
            current = next(
                (a.name for a in self.project.analysts if a.id == self.members[role]), "?"
            )
            raise BadInput(f"the role {role} already rates as {current}")
        if analyst is None:
            analyst = Analyst(self.project.new_id(), name)
            self.apply(AddAnalyst(analyst))
        with self._transaction(self.address, engine) as connection:
            access.add_member(connection, self.address.schema, role, analyst.id)
        self._refresh_members()
        return analyst.id

    # -- settings, log, copies --------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        mine = self.my_analyst_id  # an analyst rates in their own layer
        if key == "current_analyst" and key not in self._own_settings and mine is not None:
            return str(mine)
        if key in self._own_settings:
            value = self._own_settings[key]
            return default if value is None else value
        with self._mutex, self._transaction(self.address, self._engine_or_closed()) as c:
            tables.use_schema(c, self.address.schema)
            stored = tables.read_setting(c, key)
        return default if stored is None else json.loads(stored)

    def set_setting(self, key: str, value: Any) -> None:
        """Shared settings are the facilitator's; an analyst's stay with this session."""
        if self.read_only:
            raise ProjectFileError(f"{self.address} is open read-only")
        if not self.is_facilitator:
            self._own_settings[key] = value
            return
        with self._mutex, self._transaction(self.address, self._engine_or_closed()) as c:
            tables.use_schema(c, self.address.schema)
            tables.write_setting(c, key, None if value is None else json.dumps(value))

    def change_log(self, limit: int = 200) -> list[ChangeRecord]:
        with self._mutex, self._transaction(self.address, self._engine_or_closed()) as c:
            tables.use_schema(c, self.address.schema)
            return tables.read_change_log(c, limit)

    def save_copy(self, path: str | os.PathLike[str]) -> None:
        """A local project file with everything the server holds (the project's uid kept)."""
        from workbench.store.project_file import ProjectFile

        ProjectFile.create(path, self.project, replace=True).close()

    # -- closing -----------------------------------------------------------------------------

    def close(self) -> None:
        with self._mutex:
            self._drop_listener()
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    def __enter__(self) -> ServerProject:
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
        return f"<ServerProject {self.address.shown} as {self.role} ({mode})>"
