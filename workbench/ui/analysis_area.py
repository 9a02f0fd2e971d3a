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
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QTabWidget, QWidget

#: Share of the window's height the area takes when it opens.
HEIGHT_SHARE = 0.40


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
        holder = QScrollArea(self)
        holder.setObjectName(f"{key}Page")
        holder.setWidgetResizable(True)
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
