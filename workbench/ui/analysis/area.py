"""One tabbed analysis area under the matrix: steps, sensitivity, Bayes,
timeline, milestones, disagreement.

Each view used to be a dock of its own. Opened together they squeezed the
matrix to a strip, their minimum sizes grew the window past a laptop's
screen, and a view opened behind another's tab seemed to do nothing. Here
they share one dock: choosing a view shows the area and brings that tab to
the front, each page scrolls inside its tab instead of pushing the window
larger, and the area takes a bounded share of the height.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHeaderView,
    QMainWindow,
    QScrollArea,
    QTabWidget,
    QWidget,
)

#: A page never gets less height than this: on a short screen its chart keeps
#: readable labels and the page scrolls a little instead.
PAGE_MIN_HEIGHT = 320
#: Share of the window's height the area takes when it opens.
HEIGHT_SHARE = 0.40


class _Page(QScrollArea):
    """A tab's page: the view fills the tab, and scrolls only below its minimum size.

    QScrollArea's own widgetResizable gives a view with word-wrapped labels its
    preferred height for the width (heightForWidth), so a chart that would fit
    was pushed below the fold; here only the minimum size makes it scroll.
    """

    def _fit(self) -> None:
        widget = self.widget()
        if widget is None:
            return
        view = self.viewport().size()
        least = widget.minimumSizeHint().expandedTo(widget.minimumSize())
        height = max(view.height(), least.height(), PAGE_MIN_HEIGHT)
        widget.resize(max(view.width(), least.width()), height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._fit()


class AnalysisArea(QTabWidget):
    """The tabs; ``pages`` maps a view's key ("sensitivity") to its widget."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("analysisTabs")
        self.setAccessibleName("Analysis views")
        self.setDocumentMode(True)
        self.setUsesScrollButtons(True)
        self.pages: dict[str, QWidget] = {}
        self.titles: dict[str, str] = {}

    def add_page(self, key: str, title: str, widget: QWidget) -> None:
        # A scroll area: a page larger than the tab scrolls; it never grows the window.
        holder = _Page(self)
        holder.setObjectName(f"{key}Page")
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setWidget(widget)
        holder.setAccessibleName(title)
        self.addTab(holder, title)
        self.pages[key] = widget
        self.titles[key] = title

    def holder(self, key: str) -> QScrollArea:
        widget = self.pages[key]
        for index in range(self.count()):
            page = self.widget(index)
            if isinstance(page, QScrollArea) and page.widget() is widget:
                return page
        raise KeyError(key)

    def current_key(self) -> str | None:
        page = self.currentWidget()
        if isinstance(page, QScrollArea):
            for key, widget in self.pages.items():
                if widget is page.widget():
                    return key
        return None

    def bring_to_front(self, key: str) -> None:
        self.setCurrentWidget(self.holder(key))


def make_analysis_dock(window: QMainWindow) -> tuple[QDockWidget, AnalysisArea]:
    """The (hidden) dock holding the area, under the matrix and beside the side panels."""
    area = AnalysisArea(window)
    dock = QDockWidget("Analysis", window)
    dock.setObjectName("analysisDock")
    dock.setWidget(area)
    # The side columns run the full height, so the area sits under the matrix only.
    window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
    window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()
    return dock, area


def open_in_front(window: QMainWindow, dock: QDockWidget, area: AnalysisArea, key: str) -> None:
    """Show the area with ``key``'s tab in front, at a share of the height that leaves
    the matrix most of the window."""
    was_hidden = dock.isHidden()
    area.bring_to_front(key)
    dock.show()
    dock.raise_()
    if was_hidden:
        height = int(window.height() * HEIGHT_SHARE)
        window.resizeDocks([dock], [height], Qt.Orientation.Vertical)


#: The smallest text while the analysis area is presented on a projector, in points.
PRESENT_POINTS = 16.0


def toggle_present(window: QMainWindow, dock: QDockWidget, area: AnalysisArea) -> bool:
    """Present the analysis area across the whole screen in large type, or put it back.

    For a team looking at the disagreement view (or any analysis view) on a
    projector: the dock floats over the window's screen with every text at
    least PRESENT_POINTS. Returns True while presenting.
    """
    from workbench.ui.base import geometry

    if getattr(area, "presenting", False):
        area.presenting = False  # type: ignore[attr-defined]
        area.setFont(area.normal_font)  # type: ignore[attr-defined]
        for header, font in area.header_fonts:  # type: ignore[attr-defined]
            header.setFont(font)
        dock.setFloating(False)
        window.keep_on_screen()  # type: ignore[attr-defined]
        return False
    area.presenting = True  # type: ignore[attr-defined]
    area.normal_font = QFont(area.font())  # type: ignore[attr-defined]
    big = QFont(area.font())
    big.setPointSizeF(max(PRESENT_POINTS, big.pointSizeF() * 1.6))
    area.setFont(big)
    # Table headers take the platform's header font, not their parent's: enlarge them too.
    headers = area.findChildren(QHeaderView)
    area.header_fonts = [(h, QFont(h.font())) for h in headers]  # type: ignore[attr-defined]
    for header in headers:
        header.setFont(big)
    dock.show()
    dock.setFloating(True)
    dock.setGeometry(geometry.available_geometry(window))
    geometry.fit_to_screen(dock, geometry.available_geometry(window))
    dock.raise_()
    return True
