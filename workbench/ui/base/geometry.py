"""The window on the screen it is on: a first size that fits, saved geometry
clamped to the current screen, and a check after every view is opened.

At 1366 x 768 the window used to open at 1284 x 846 and grow to 1366 x 937
when a view was shown, putting the footer and status bar off-screen. Every
size here comes from the screen's *available* geometry (without task bars),
in the logical pixels Qt uses at any scale factor.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: The first-start size on a large screen; smaller screens get a share of theirs.
PREFERRED = QSize(1600, 1000)
#: Share of a smaller screen the first window takes (room for a desktop around it).
SHARE = 0.94


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The available geometry of the screen ``widget`` is on (else the primary's)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:
        return QRect(0, 0, PREFERRED.width(), PREFERRED.height())
    return screen.availableGeometry()


def _frame_extra(widget: QWidget) -> QSize:
    """What the window manager's frame adds around the client area."""
    frame, inner = widget.frameGeometry(), widget.geometry()
    return QSize(max(0, frame.width() - inner.width()), max(0, frame.height() - inner.height()))


def first_size(area: QRect) -> QSize:
    """The window's size on first start: the preferred size, or most of a small screen."""
    return QSize(
        min(PREFERRED.width(), int(area.width() * SHARE)),
        min(PREFERRED.height(), int(area.height() * SHARE)),
    )


def clamped(rect: QRect, area: QRect, extra: QSize = QSize(0, 0)) -> QRect:  # noqa: B008
    """``rect`` (client geometry) moved and shrunk so its frame lies inside ``area``."""
    width = min(rect.width(), area.width() - extra.width())
    height = min(rect.height(), area.height() - extra.height())
    left_margin = extra.width() // 2
    top_margin = extra.height() - left_margin  # the title bar is on top
    x = min(max(rect.x(), area.left() + left_margin), area.right() + 1 - width - left_margin)
    y = min(max(rect.y(), area.top() + top_margin), area.bottom() + 1 - height - left_margin)
    return QRect(x, y, max(width, 1), max(height, 1))


def fit_to_screen(widget: QWidget, area: QRect | None = None) -> bool:
    """Shrink and move a top-level window until its frame is on its screen.

    Returns True when something had to change. A maximised or full-screen
    window is the window manager's business and is left alone.
    """
    if widget.isMaximized() or widget.isFullScreen():
        return False
    area = area if area is not None else available_geometry(widget)
    extra = _frame_extra(widget)
    target = clamped(widget.geometry(), area, extra)
    if target == widget.geometry():
        return False
    widget.setGeometry(target)
    return True


def fits(widget: QWidget, area: QRect | None = None) -> bool:
    """True when the whole window, frame included, is inside the available area."""
    area = area if area is not None else available_geometry(widget)
    return area.contains(widget.frameGeometry())
