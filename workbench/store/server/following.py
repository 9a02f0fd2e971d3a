"""Hearing what the others commit to a project on a team server (LISTEN/NOTIFY).

Every committed edit is announced on the project's channel with the cells it
set (or "reload" for a change of structure). A second connection LISTENs;
the window watches its socket and calls :meth:`Following.take_changes`,
which re-reads those cells from the server into the project in memory, or
reloads the whole project. A server that has gone away is noticed at once
(its socket turns readable at the end of the stream) or by the heartbeat,
:meth:`Following.check_connection`.
"""

from __future__ import annotations

import dataclasses
import json
import select
from typing import Any

from workbench.core.model import Project
from workbench.store.server import tables
from workbench.store.server.address import ServerAddress
from workbench.store.server.errors import ServerUnreachable


@dataclasses.dataclass
class RemoteChanges:
    """What others committed since the last look: cells re-read, or the whole project reloaded."""

    #: (analyst, evidence, hypothesis) cells whose rating or rationale was re-read.
    cells: set[tuple[int, int, int]] = dataclasses.field(default_factory=set)
    #: True when the structure changed and :attr:`ServerProject.project` is a new Project.
    reloaded: bool = False

    def __bool__(self) -> bool:
        return self.reloaded or bool(self.cells)


class Following:
    """The listening half of :class:`~workbench.store.server.ServerProject`."""

    address: ServerAddress
    project: Project
    _mutex: Any
    _session: str
    _listener: Any
    _inbox: list[str]

    def reload(self) -> Project:
        raise NotImplementedError

    def _refresh_cells(self, cells: set[tuple[int, int, int]]) -> None:
        raise NotImplementedError

    def listen(self) -> int:
        """Start hearing about others' commits; returns the socket to watch for them.

        A second connection (autocommit) LISTENs on the project's channel;
        :meth:`take_changes` reads what arrived without waiting.
        """
        import psycopg

        if self._listener is None:
            try:
                listener = psycopg.connect(
                    self.address.conninfo, autocommit=True, application_name="ACH Workbench"
                )
                listener.add_notify_handler(lambda notice: self._inbox.append(notice.payload))
                listener.execute(f"LISTEN {tables.quoted(self.address.schema)}")
            except psycopg.Error as error:
                raise ServerUnreachable(self.address, str(error)) from None
            self._listener = listener
        return int(self._listener.fileno())

    def take_changes(self) -> RemoteChanges:
        """Bring :attr:`project` up to date with what others committed; what changed.

        Cells are re-read from the server (so the newest value wins, whatever
        order the notices came in); a structural change reloads the project.
        Raises ServerUnreachable when the connection is lost.
        """
        import psycopg

        if self._listener is None:
            self.listen()
        changes = RemoteChanges()
        cells: set[tuple[int, int, int]] = set()
        try:
            # Read what the socket holds (a server that has gone raises here), then
            # the notices libpq parsed out of it; notices that came in during a
            # query (the heartbeat) were collected by the handler into the inbox.
            pgconn = self._listener.pgconn
            for _ in range(8):  # a goodbye message first, then the end of the stream
                if not select.select([self._listener.fileno()], [], [], 0)[0]:
                    break
                pgconn.consume_input()
            if pgconn.status != psycopg.pq.ConnStatus.OK:
                raise psycopg.OperationalError("the connection to the server was lost")
            while (notice := pgconn.notifies()) is not None:
                self._inbox.append(notice.extra.decode("utf-8"))
            inbox, self._inbox = self._inbox, []
            for payload in inbox:
                message = json.loads(payload)
                if message.get("session") == self._session:
                    continue
                if message.get("reload"):
                    changes.reloaded = True
                else:
                    cells.update((int(a), int(e), int(h)) for a, e, h in message["cells"])
        except psycopg.Error as error:
            self._drop_listener()
            raise ServerUnreachable(self.address, str(error)) from None
        with self._mutex:
            if changes.reloaded:
                self.reload()
                return changes
            if cells:
                self._refresh_cells(cells)
                changes.cells = cells
        return changes

    def check_connection(self) -> None:
        """A round trip to the server (a heartbeat); ServerUnreachable when it is gone."""
        import psycopg

        if self._listener is None:
            self.listen()
        try:
            self._listener.execute("SELECT 1")
        except psycopg.Error as error:
            self._drop_listener()
            raise ServerUnreachable(self.address, str(error)) from None

    def stop_listening(self) -> None:
        """Close the listening connection (the next :meth:`listen` opens a new one)."""
        self._drop_listener()

    def _drop_listener(self) -> None:
        if self._listener is not None:
            try:
                self._listener.close()
            finally:
                self._listener = None
