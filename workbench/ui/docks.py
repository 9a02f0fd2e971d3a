"""Every dock of the main window in one table: what it shows, where, and how it starts.

The window builds its docks from :data:`DOCKS` and arranges them by
:data:`TABBED`; adding a view is one line here. Each view is made from the
document and its parent widget only, so none of them needs the window.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QUndoView, QWidget

from workbench.ui.analysis.bayes_view import BayesView
from workbench.ui.analysis.milestones_view import MilestonesView
from workbench.ui.analysis.scores_panel import ScoresPanel
from workbench.ui.analysis.sensitivity_view import SensitivityView
from workbench.ui.analysis.steps_guide import StepsGuide
from workbench.ui.analysis.timeline_view import TimelineView
from workbench.ui.base.document import Document
from workbench.ui.editors.evidence_panel import EvidencePanel
from workbench.ui.editors.hypothesis_panel import HypothesisPanel
from workbench.ui.editors.sources_panel import SourcesPanel
from workbench.ui.team.disagreement_view import DisagreementView

Area = Qt.DockWidgetArea


def _history(document: Document, parent: QWidget) -> QWidget:
    history = QUndoView(document.undo_stack, parent)
    history.setObjectName("historyView")
    history.setEmptyLabel("Opened")
    return history


@dataclasses.dataclass(frozen=True)
class DockSpec:
    key: str
    title: str
    area: Qt.DockWidgetArea
    make: Callable[[Document, QWidget], QWidget]
    #: Out of the way until asked for (View menu): the matrix keeps the room.
    hidden: bool = False


DOCKS: tuple[DockSpec, ...] = (
    DockSpec("evidence", "Evidence", Area.RightDockWidgetArea, EvidencePanel),
    DockSpec("hypothesis", "Hypothesis", Area.RightDockWidgetArea, HypothesisPanel),
    DockSpec("sources", "Sources", Area.RightDockWidgetArea, SourcesPanel),
    DockSpec("history", "History", Area.RightDockWidgetArea, _history),
    DockSpec("scores", "Scores", Area.RightDockWidgetArea, ScoresPanel),
    DockSpec("steps", "Heuer's steps", Area.LeftDockWidgetArea, StepsGuide, hidden=True),
    DockSpec(
        "disagreement", "Disagreement", Area.BottomDockWidgetArea, DisagreementView, hidden=True
    ),
    DockSpec("sensitivity", "Sensitivity", Area.BottomDockWidgetArea, SensitivityView, True),
    DockSpec("bayes", "Bayesian View", Area.BottomDockWidgetArea, BayesView, hidden=True),
    DockSpec("timeline", "Evidence Timeline", Area.BottomDockWidgetArea, TimelineView, True),
    DockSpec("milestones", "Milestones", Area.BottomDockWidgetArea, MilestonesView, True),
)

#: Views that are pages of the one tabbed analysis area under the matrix
#: (ui/analysis/area.py), in this order, instead of docks of their own: opened
#: together as docks they squeezed the matrix and grew the window off the screen.
ANALYSIS_PAGES = ("steps", "sensitivity", "bayes", "timeline", "milestones", "disagreement")
#: Docks whose panel scrolls inside the dock (their forms are taller than a small screen).
SCROLLED = ("hypothesis", "sources")

#: Docks shown as tabs of one another, first tab first.
TABBED: tuple[tuple[str, ...], ...] = (("evidence", "hypothesis", "sources", "history"),)
#: (upper, lower, heights): two docks stacked, both in view while rating.
STACKED = ("evidence", "scores", (560, 380))
