"""Slow work off the GUI thread, with a progress dialog that can be cancelled.

Reading a 5,000-row workbook or writing one takes seconds; the window must
keep painting meanwhile. The worker gets plain core objects or a path (never
the open ProjectFile: a session never crosses threads) and hands its result
back; the caller waits in a local event loop, so the code reads top to
bottom like a normal call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

#: Below this the dialog never shows (quick work should not flash a window).
SHOW_AFTER_MS = 300


class Cancelled(Exception):
    """The analyst pressed Cancel; the caller drops the result quietly."""


class _Relay(QObject):
    finished = Signal(object, object)  # result, error


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any]):
        super().__init__()
        self.work = work
        self.relay = _Relay()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as error:  # noqa: BLE001 - handed back to the GUI thread
            self.relay.finished.emit(None, error)
        else:
            self.relay.finished.emit(result, None)


def run_in_background(
    parent: QWidget | None,
    label: str,
    work: Callable[[], Any],
    on_abandoned: Callable[[Any], None] | None = None,
) -> Any:
    """Run ``work()`` on a pool thread; return its result or raise its error.

    Cancel returns control at once and raises :class:`Cancelled`; the work
    itself runs to its end (file libraries cannot be interrupted midway) and
    ``on_abandoned(result)`` then cleans up, e.g. deletes a written file.
    """
    job = _Job(work)
    loop = QEventLoop()
    outcome: dict[str, Any] = {}
    cancelled = False

    def finished(result: Any, error: Any) -> None:
        if cancelled:
            if on_abandoned is not None and error is None:
                on_abandoned(result)
            return
        outcome["result"], outcome["error"] = result, error
        loop.quit()

    job.relay.finished.connect(finished, Qt.ConnectionType.QueuedConnection)
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setObjectName("progressDialog")
    dialog.setWindowTitle("ACH Workbench")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    # QProgressDialog shows itself once this has passed; quick work never flashes it.
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    # Setting the minimum starts the dialog's own show timer (owned by the dialog,
    # so it can never fire after the dialog is gone).
    dialog.setValue(0)

    def cancel() -> None:
        nonlocal cancelled
        cancelled = True
        loop.quit()

    dialog.canceled.connect(cancel)
    # Keep the relay alive until the job reports, even after a cancel.
    _running.add(job)
    job.relay.finished.connect(lambda *_: _running.discard(job))
    QThreadPool.globalInstance().start(job)
    loop.exec()
    # QProgressDialog.close() emits canceled: stop listening first, or every
    # finished job would be reported as cancelled.
    dialog.canceled.disconnect(cancel)
    dialog.close()
    dialog.deleteLater()
    if cancelled:
        raise Cancelled(label)
    if outcome["error"] is not None:
        raise outcome["error"]
    return outcome["result"]


_running: set[_Job] = set()
