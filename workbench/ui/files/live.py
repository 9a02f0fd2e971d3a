"""Keeping the window in step with a project on a team server.

While a server project is open, a ``QSocketNotifier`` watches the
connection that LISTENs for the project's notices: when another analyst
commits, the cells they set are re-read (a structural change reloads the
project) and the matrix and scores follow, typically within milliseconds.
A heartbeat every couple of seconds notices a server that stopped answering
without closing the connection. When the server is gone the status bar says
so at once and stays so; edits are refused by the store with a clear
message (nothing pretends to be saved); every few seconds the link tries
again, and when the server is back the project is reloaded and the window
says it is connected again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from workbench.core.errors import WorkbenchError
from workbench.ui.base.dialogs import StatusMessage
from workbench.ui.base.document import Document

#: Milliseconds between heartbeats while connected, and between tries while not.
HEARTBEAT_MS = 2000
RETRY_MS = 2000


class LiveLink(QObject):
    """Follows the open server project into the document; one per window."""

    #: True when connected (again), False when the server was lost.
    connectionChanged = Signal(bool)  # noqa: N815 - Qt signal naming

    def __init__(self, parent: QWidget, document: Document, status: StatusMessage) -> None:
        super().__init__(parent)
        self.document = document
        self.status = status
        self._notifier: QSocketNotifier | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self.connected = True
        #: Stays on the status bar while a server project is open: connected, or not.
        self._status = QLabel("")
        self._status.setObjectName("serverStatus")
        status_bar = getattr(parent, "statusBar", None)
        if status_bar is not None:
            status_bar().addPermanentWidget(self._status)
        self.document.projectReplaced.connect(self.attach)
        self.attach()

    @property
    def _store(self) -> Any:
        store = self.document.file
        return store if store is not None and hasattr(store, "take_changes") else None

    def attach(self) -> None:
        """Start following the document's project if it is on a server (else stop)."""
        self._stop_watching()
        self._timer.stop()
        store = self._store
        if store is None:
            self._status.setText("")
            return
        try:
            self._watch(store.listen())
        except WorkbenchError as error:
            self._lost(str(error))
            return
        self._connected()

    def _watch(self, fd: int) -> None:
        self._notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._take)

    def _stop_watching(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None

    def _take(self) -> None:
        store = self._store
        if store is None or not self.connected:
            return
        try:
            changes = store.take_changes()
        except WorkbenchError as error:
            self._lost(str(error))
            return
        if changes:
            self.document.follow_remote(changes.reloaded)

    def _tick(self) -> None:
        store = self._store
        if store is None:
            self._timer.stop()
            return
        if self.connected:
            try:
                store.check_connection()
            except WorkbenchError as error:
                self._lost(str(error))
                return
            self._take()
            return
        try:
            store.reload()
            store.stop_listening()  # the old connection died with the server
            self._watch(store.listen())
        except WorkbenchError:
            return  # still away: try again at the next tick
        self.document.follow_remote(reloaded=True)
        self._connected()
        self.status("Connected to the team server again; reloaded.", 8000)

    def _connected(self) -> None:
        self.connected = True
        self._status.setText(f"Team server: connected as {self._store.role}")
        self._status.setToolTip(str(self._store.path))
        self._timer.start(HEARTBEAT_MS)
        self.connectionChanged.emit(True)

    def _lost(self, reason: str) -> None:
        self._stop_watching()
        self.connected = False
        self._status.setText("Team server unreachable: edits are refused until it is back")
        self._status.setToolTip(reason)
        self.status(reason, 15000)
        self._timer.start(RETRY_MS)
        self.connectionChanged.emit(False)
