"""Views that are not on screen do no work: they refresh when next shown.

A hidden dock (the Heuer steps, the timeline, the Bayes view) that re-scored
the matrix on every key press would cost the analyst milliseconds per key for
something nobody is looking at. :class:`WhenShown` connects a view's refresh
to the document's signals: when the view is visible it refreshes at once (or
after ``delay_ms``, coalescing a burst of edits), otherwise it only notes that
it is stale and refreshes as it is shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QWidget


class WhenShown(QObject):
    def __init__(
        self,
        view: QWidget,
        refresh: Callable[[], object],
        *signals: SignalInstance,
        delay_ms: int = 0,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._refresh = refresh
        self._stale = True
        self._timer: QTimer | None = None
        if delay_ms:
            self._timer = QTimer(self)
            self._timer.setSingleShot(True)
            self._timer.setInterval(delay_ms)
            self._timer.timeout.connect(self._run)
        view.installEventFilter(self)
        for signal in signals:
            signal.connect(self.request)

    @property
    def stale(self) -> bool:
        return self._stale

    def request(self, *_args: object) -> None:
        """Something the view shows changed: refresh now if it is seen, else when it is."""
        self._stale = True
        if not self._view.isVisible():
            return
        if self._timer is not None:
            self._timer.start()
        else:
            self._run()

    def _run(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._stale = False
        self._refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # Python's cycle collector may clear this object's attributes while Qt still
        # holds it as the view's filter (seen once in a full test run, as an
        # AttributeError in the event loop): such a filter has nothing left to refresh.
        state = self.__dict__
        view = state.get("_view")
        shown = event.type() == QEvent.Type.Show
        if view is not None and watched is view and shown and state.get("_stale"):
            self._run()
        return False
