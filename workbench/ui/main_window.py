"""The desktop window: the matrix in the centre, editors and scores in docks.

Nothing here computes or stores anything: actions build core edits and hand
them to the Document, and file actions live in file_actions.py. Every action
has an objectName so tests (and keyboard-driven users) can find it.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QUndoView,
    QWidget,
)

from workbench.exchange import formats
from workbench.ui.dialogs import show_about, show_error, show_keys
from workbench.ui.disagreement_view import DisagreementView
from workbench.ui.document import Document
from workbench.ui.evidence_panel import EvidencePanel
from workbench.ui.file_actions import FileActions
from workbench.ui.hypothesis_panel import HypothesisPanel
from workbench.ui.layer_switcher import LayerSwitcher
from workbench.ui.matrix_model import LEADING
from workbench.ui.matrix_panel import MatrixPanel
from workbench.ui.matrix_view import make_clipboard_actions
from workbench.ui.palette import APPEARANCES, apply_appearance
from workbench.ui.sources_panel import SourcesPanel
from workbench.ui.structure_actions import StructureActions
from workbench.ui.workshop import open_workshop

APPEARANCE_KEY = "view/appearance"


class MainWindow(QMainWindow):
    def __init__(self, document: Document | None = None, settings: QSettings | None = None):
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings or QSettings()
        self.document = document or Document(parent=self)
        self.matrix = MatrixPanel(self.document, self)
        self.view = self.matrix.view
        self.setCentralWidget(self.matrix)
        self.setAcceptDrops(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
        )

        self.evidence_panel = EvidencePanel(self.document, self)
        self.hypothesis_panel = HypothesisPanel(self.document, self)
        self.sources_panel = SourcesPanel(self.document, self)
        self.history = QUndoView(self.document.undo_stack, self)
        self.history.setObjectName("historyView")
        self.history.setEmptyLabel("Opened")
        self.docks: dict[str, QDockWidget] = {}
        area = Qt.DockWidgetArea
        self._dock("evidence", "Evidence", self.evidence_panel, area.RightDockWidgetArea)
        self._dock("hypothesis", "Hypothesis", self.hypothesis_panel, area.RightDockWidgetArea)
        self._dock("sources", "Sources", self.sources_panel, area.RightDockWidgetArea)
        self._dock("history", "History", self.history, area.RightDockWidgetArea)
        self._add_teammate_docks()
        from workbench.ui.analysis_docks import add_analysis_docks

        add_analysis_docks(self)  # sensitivity, Bayesian view, timeline, milestones
        if "scores" in self.docks:
            # Editors on top, the scores chart under them: both in view while rating.
            self.splitDockWidget(
                self.docks["evidence"], self.docks["scores"], Qt.Orientation.Vertical
            )
        self.tabifyDockWidget(self.docks["evidence"], self.docks["hypothesis"])
        self.tabifyDockWidget(self.docks["hypothesis"], self.docks["sources"])
        self.tabifyDockWidget(self.docks["sources"], self.docks["history"])
        self.docks["evidence"].raise_()
        if "scores" in self.docks:
            self.resizeDocks(
                [self.docks["evidence"], self.docks["scores"]], [560, 380], Qt.Orientation.Vertical
            )

        self.files = FileActions(self)
        self.structure = StructureActions(self)
        self._build_layer_box()
        self._build_menus()
        self._connect()
        self._status = QLabel(self)
        self._status.setObjectName("leaderStatus")
        self.statusBar().addPermanentWidget(self._status)
        self.statusBar().showMessage("Every change is saved as you make it.", 6000)
        self.restore_layout()
        self._project_replaced()

    # -- construction ----------------------------------------------------------

    def _dock(self, key: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{key}Dock")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.docks[key] = dock
        return dock

    def _add_teammate_docks(self) -> None:
        """The scores chart and Heuer's steps guide, when their modules are present."""
        area = Qt.DockWidgetArea
        try:
            from workbench.ui.scores_panel import ScoresPanel
        except ImportError:
            ScoresPanel = None  # noqa: N806
        if ScoresPanel is not None:
            self.scores_panel = ScoresPanel(self.document, self)
            self._dock("scores", "Scores", self.scores_panel, area.RightDockWidgetArea)
        try:
            from workbench.ui.steps_guide import StepsGuide
        except ImportError:
            StepsGuide = None  # noqa: N806
        if StepsGuide is not None:
            self.steps_guide = StepsGuide(self.document, self)
            dock = self._dock("steps", "Heuer's steps", self.steps_guide, area.LeftDockWidgetArea)
            dock.hide()
        self.disagreement_view = DisagreementView(self.document, self)
        self.disagreement_view.cellSelected.connect(self.select_cell)
        dock = self._dock(
            "disagreement", "Disagreement", self.disagreement_view, area.BottomDockWidgetArea
        )
        dock.hide()

    def _build_layer_box(self) -> None:
        # My ratings / each analyst / team consensus, and the Team menu (layer_switcher.py).
        toolbar = self.addToolBar("Ratings")
        toolbar.setObjectName("ratingsToolbar")
        toolbar.setMovable(False)
        self.layer_switcher = LayerSwitcher(self.document, self.current_cell, self)
        self.layer_box = self.layer_switcher.combo
        self.layer_box.setObjectName("layerBox")
        toolbar.addWidget(self.layer_switcher)

    def action(self, name: str, text: str, slot, shortcut=None, tip: str = "") -> QAction:  # noqa: ANN001
        act = QAction(text, self)
        act.setObjectName(name)
        if shortcut is not None:
            act.setShortcut(shortcut)
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(tip)
        act.triggered.connect(lambda _=False: slot())
        self.addAction(act)
        return act

    def _build_menus(self) -> None:
        keys = QKeySequence.StandardKey
        files = self.files
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.action("actionNew", "&New Project…", files.new_project, keys.New))
        file_menu.addAction(self.action("actionOpen", "&Open…", files.open_dialog, keys.Open))
        file_menu.addAction(self.action("actionOpenExample", "Open &Example", files.open_example))
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(
            self.action("actionSaveCopy", "Save a &Copy As…", files.save_copy, keys.SaveAs)
        )
        file_menu.addSeparator()
        file_menu.addAction(
            self.action("actionImportInto", "&Import into This Project…", files.import_into)
        )
        file_menu.addAction(
            self.action("actionImportNew", "Import as &New Project…", files.import_as_new)
        )
        for fmt in formats.EXPORTS:
            name = "actionExport" + fmt.export_suffix.lstrip(".").capitalize()
            export = functools.partial(files.export, fmt)
            file_menu.addAction(self.action(name, f"Export to {fmt.name}…", export))
        file_menu.addAction(self.action("actionReport", "&Report…", self.analysis.save_report))
        file_menu.addSeparator()
        file_menu.addAction(self.action("actionQuit", "&Quit", self.close, keys.Quit))

        edit = bar.addMenu("&Edit")
        undo = self.document.undo_stack.createUndoAction(self, "&Undo")
        undo.setObjectName("actionUndo")
        undo.setShortcut(keys.Undo)
        redo = self.document.undo_stack.createRedoAction(self, "&Redo")
        redo.setObjectName("actionRedo")
        redo.setShortcut(keys.Redo)
        edit.addAction(undo)
        edit.addAction(redo)
        edit.addSeparator()
        copy, paste = make_clipboard_actions(self.view)
        edit.addAction(copy)
        edit.addAction(paste)
        edit.addSeparator()
        edit.addAction(self.action("actionFind", "&Find Evidence", self._focus_search, keys.Find))
        edit.addAction(self.action("actionRationale", "Edit &Rationale…", self.view.edit_rationale))

        act = self.structure
        for title, entries in (
            (
                "E&vidence",
                (
                    ("actionAddEvidence", "&Add Evidence", act.add_evidence),
                    ("actionDuplicateEvidence", "D&uplicate", act.duplicate_evidence),
                    ("actionDeleteEvidence", "&Delete", act.delete_evidence),
                    ("actionToggleEvidence", "E&xclude / Include", act.toggle_evidence),
                    None,
                    (
                        "actionMoveEvidenceUp",
                        "Move &Up",
                        lambda: act.move_evidence(-1),
                        "Ctrl+Shift+Up",
                    ),
                    (
                        "actionMoveEvidenceDown",
                        "Move Do&wn",
                        lambda: act.move_evidence(1),
                        "Ctrl+Shift+Down",
                    ),
                    None,
                    ("actionEditEvidence", "&Edit…", lambda: self.show_dock("evidence")),
                ),
            ),
            (
                "&Hypotheses",
                (
                    ("actionAddHypothesis", "&Add Hypothesis", act.add_hypothesis),
                    ("actionDuplicateHypothesis", "D&uplicate", act.duplicate_hypothesis),
                    ("actionDeleteHypothesis", "&Delete", act.delete_hypothesis),
                    ("actionSortHypotheses", "&Sort by Rank", act.sort_hypotheses),
                    None,
                    ("actionEditHypothesis", "&Edit…", lambda: self.show_dock("hypothesis")),
                ),
            ),
        ):
            menu = bar.addMenu(title)
            for entry in entries:
                if entry is None:
                    menu.addSeparator()
                else:
                    menu.addAction(self.action(*entry))

        view = bar.addMenu("&View")
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        view.addMenu(self._appearance_menu())
        view.addSeparator()
        view.addAction(
            self.action(
                "actionWorkshop",
                "&Workshop Mode",
                self.open_workshop,
                QKeySequence("F11"),
                "Rate together on a projector: one evidence item at a time, scores hidden",
            )
        )
        bar.addMenu(self.layer_switcher.menu)
        self._build_edit_toolbar(undo, redo)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.action("actionKeys", "&Rating Keys", lambda: show_keys(self)))
        help_menu.addAction(
            self.action("actionAbout", "&About ACH Workbench", lambda: show_about(self))
        )

    def _build_edit_toolbar(self, undo: QAction, redo: QAction) -> None:
        """The few actions an analyst reaches for all the time, one click away."""
        toolbar = self.addToolBar("Edit")
        toolbar.setObjectName("editToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name in ("actionAddEvidence", "actionAddHypothesis"):
            toolbar.addAction(self.findChild(QAction, name))
        toolbar.addSeparator()
        toolbar.addAction(undo)
        toolbar.addAction(redo)

    def _appearance_menu(self) -> QMenu:
        menu = QMenu("&Appearance", self)
        menu.setObjectName("appearanceMenu")
        group = QActionGroup(self)
        current = str(self.settings.value(APPEARANCE_KEY, "system"))
        for key, text in APPEARANCES.items():
            act = QAction(text, self)
            act.setObjectName(f"appearance_{key}")
            act.setCheckable(True)
            act.setChecked(key == current)
            act.triggered.connect(lambda _=False, k=key: self.set_appearance(k))
            group.addAction(act)
            menu.addAction(act)
        return menu

    def set_appearance(self, choice: str) -> None:
        """Light, dark or the system's scheme, remembered for the next start."""
        self.settings.setValue(APPEARANCE_KEY, apply_appearance(choice))

    def _connect(self) -> None:
        doc = self.document
        doc.projectReplaced.connect(self._project_replaced)
        doc.detailsChanged.connect(self._update_title)
        doc.scoresChanged.connect(self._update_status)
        doc.layerChanged.connect(self._fill_layer_box)
        doc.errorOccurred.connect(lambda text: show_error(self, text))
        doc.undo_stack.cleanChanged.connect(self._clean_changed)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.model().modelReset.connect(self._reselect)
        self.view.editEvidenceRequested.connect(self._edit_evidence_row)
        self.view.editHypothesisRequested.connect(self._edit_hypothesis)
        self.view.deleteEvidenceRequested.connect(self.structure.delete_evidence)
        self.view.sortHypothesesRequested.connect(self.structure.sort_hypotheses)
        for panel in (self.evidence_panel,):
            panel.addRequested.connect(self.structure.add_evidence)
            panel.duplicateRequested.connect(self.structure.duplicate_evidence)
            panel.deleteRequested.connect(self.structure.delete_evidence)
        self.hypothesis_panel.addRequested.connect(self.structure.add_hypothesis)
        self.hypothesis_panel.duplicateRequested.connect(self.structure.duplicate_hypothesis)
        self.hypothesis_panel.deleteRequested.connect(self.structure.delete_hypothesis)
        self.hypothesis_panel.sortRequested.connect(self.structure.sort_hypotheses)

    # -- the project on screen ---------------------------------------------------

    def _project_replaced(self) -> None:
        self._fill_layer_box()
        self._update_title()
        self._update_status()
        enabled = self.document.is_open and not self.document.read_only
        for name in (
            "actionAddEvidence",
            "actionDuplicateEvidence",
            "actionDeleteEvidence",
            "actionToggleEvidence",
            "actionAddHypothesis",
            "actionDuplicateHypothesis",
            "actionDeleteHypothesis",
            "actionSortHypotheses",
            "actionImportInto",
            "actionPaste",
        ):
            found = self.findChild(QAction, name)
            if found is not None:
                found.setEnabled(enabled)
        if self.document.is_open and self.view.model().rowCount():
            self.view.setCurrentIndex(self.view.model().index(0, LEADING))
        self.view.setFocus()

    def _clean_changed(self, _clean: bool) -> None:
        # A bound method (not a lambda) so Qt drops the connection with the window.
        self._update_title()

    def _update_title(self) -> None:
        if not self.document.is_open:
            self.setWindowTitle("ACH Workbench")
            return
        pf = self.document.file
        project = self.document.project
        flag = " [read-only]" if self.document.read_only else ""
        self.setWindowTitle(f"{project.title} — {pf.path.name}{flag} — ACH Workbench")

    def _update_status(self) -> None:
        if not self.document.is_open or not self.document.project.hypotheses:
            self._status.setText("")
            return
        scores = self.document.scores
        leader = self.document.project.hypotheses[scores.leader] if scores.leader >= 0 else None
        if leader is not None:
            wi = scores.weighted_inconsistency[scores.leader]
            self._status.setText(
                f"Least inconsistent: {leader.code} {leader.title} "
                f"(weighted inconsistency {wi:.2f})"
            )

    def _fill_layer_box(self) -> None:
        self.layer_switcher.refresh()

    def current_cell(self) -> tuple[int, int] | None:
        """(project row, hypothesis column) of the current matrix cell, if it is a rating."""
        index = self.view.currentIndex()
        if not index.isValid() or index.column() < LEADING:
            return None
        return self.view.matrix.project_row(index.row()), index.column() - LEADING

    def open_workshop(self) -> None:
        """Full-screen group rating from the current evidence item; Escape comes back."""
        if not self.document.is_open:
            return
        cell = self.current_cell()
        self.workshop = open_workshop(self.document, cell[0] if cell else 0)

    def _current_changed(self, current, _previous) -> None:  # noqa: ANN001
        if not current.isValid():
            return
        row = self.view.matrix.project_row(current.row())
        column = current.column() - LEADING
        self.evidence_panel.show_evidence(row, column)
        if column >= 0:
            self.hypothesis_panel.show_hypothesis(column)

    def _reselect(self) -> None:
        """After a reset (sort, filter, add, delete) keep the panels on a real cell."""
        model = self.view.model()
        if model.rowCount() and not self.view.currentIndex().isValid():
            row = self.view.matrix.view_row(self.evidence_panel.row)
            column = LEADING + max(0, self.evidence_panel.cell_column)
            column = min(column, model.columnCount() - 1)
            self.view.setCurrentIndex(model.index(max(row, 0), column))

    def select_cell(self, project_row: int, column: int) -> None:
        model = self.view.matrix
        row = model.view_row(project_row)
        if row >= 0:
            self.view.setCurrentIndex(model.index(row, LEADING + column if column >= 0 else 1))

    def show_dock(self, key: str) -> None:
        dock = self.docks[key]
        dock.show()
        dock.raise_()

    def show_view(self, name: str) -> None:
        """Bring "matrix" or a dock ("scores", "evidence", ...) to the front."""
        if name == "matrix":
            self.view.setFocus()
        elif name in self.docks:
            self.show_dock(name)
            # In front also means room: the dock takes most of the height beside the matrix.
            height = int(self.height() * 0.62)
            self.resizeDocks([self.docks[name]], [height], Qt.Orientation.Vertical)
        else:
            raise ValueError(f"no view named {name!r}")

    def _edit_evidence_row(self, project_row: int) -> None:
        self.evidence_panel.show_evidence(project_row, self.view.current_hypothesis())
        self.show_dock("evidence")
        self.evidence_panel.title.setFocus()

    def _edit_hypothesis(self, column: int) -> None:
        self.hypothesis_panel.show_hypothesis(column)
        self.show_dock("hypothesis")
        self.hypothesis_panel.title.setFocus()

    def _focus_search(self) -> None:
        self.matrix.search.setFocus()
        self.matrix.search.selectAll()

    # -- recent files, layout, drag and drop -------------------------------------

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        paths = self.files.recent_files()
        if not paths:
            none = self.recent_menu.addAction("(none yet)")
            none.setEnabled(False)
        for path in paths:
            act = self.recent_menu.addAction(path)
            act.triggered.connect(lambda _=False, p=path: self.files.open_path(p))

    def restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            # First start: 1600 x 1000, or most of a smaller screen.
            screen = QGuiApplication.primaryScreen()
            area = screen.availableGeometry() if screen is not None else None
            width = min(1600, int(area.width() * 0.94)) if area else 1600
            height = min(1000, int(area.height() * 0.94)) if area else 1000
            self.resize(width, height)
            dock_width = max(340, min(440, int(width * 0.28)))
            self.resizeDocks([self.docks["evidence"]], [dock_width], Qt.Orientation.Horizontal)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # Every edit is already on disk: closing never asks to save.
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.document.close()
        super().closeEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files.open_or_import(paths[0])
