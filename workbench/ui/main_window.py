"""The desktop window: the matrix in the centre, editors and scores in docks.

Nothing here computes or stores anything: core/actions builds the edits and
the Document applies them; the docks come from the table in docks.py, and the
File, Evidence and Hypotheses menus call helpers (files/, editors/) that get
the document, the view and a status line, never the window. Every action has
an objectName so tests (and keyboard-driven users) can find it.
"""

from __future__ import annotations

import functools
from typing import TypeVar

import pyqtgraph as pg
from PySide6.QtCore import QByteArray, QSettings, Qt, QTime, QTimer
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QWidget,
)

from workbench.core import palette as colours
from workbench.exchange import formats
from workbench.ui.analysis.area import make_analysis_dock, open_in_front, toggle_present
from workbench.ui.analysis.report_action import save_report
from workbench.ui.analysis.sensitivity_view import SensitivityView
from workbench.ui.analysis.timeline_view import TimelineView
from workbench.ui.base import geometry
from workbench.ui.base.dialogs import show_about, show_error, show_keys
from workbench.ui.base.document import Document
from workbench.ui.base.palette import APPEARANCES, apply_appearance
from workbench.ui.docks import ANALYSIS_PAGES, DOCKS, SCROLLED, STACKED, TABBED
from workbench.ui.editors.evidence_panel import EvidencePanel
from workbench.ui.editors.hypothesis_panel import HypothesisPanel
from workbench.ui.editors.structure_actions import StructureActions
from workbench.ui.files.file_actions import FileActions
from workbench.ui.files.project_dialog import ProjectDialog, window_title
from workbench.ui.matrix.matrix_model import LEADING
from workbench.ui.matrix.matrix_panel import MatrixPanel
from workbench.ui.matrix.matrix_view import make_clipboard_actions
from workbench.ui.team.disagreement_view import DisagreementView
from workbench.ui.team.layer_switcher import LayerSwitcher
from workbench.ui.team.workshop import open_workshop

APPEARANCE_KEY = "view/appearance"
#: Panel buttons that change the project: disabled in a read-only window.
READ_ONLY_BUTTONS = (
    "addEvidenceButton",
    "duplicateEvidenceButton",
    "deleteEvidenceButton",
    "moveEvidenceUpButton",
    "moveEvidenceDownButton",
    "addHypothesisButton",
    "duplicateHypothesisButton",
    "deleteHypothesisButton",
    "moveHypothesisLeftButton",
    "moveHypothesisRightButton",
    "sortHypothesesButton",
    "addSourceButton",
    "deleteSourceButton",
)


ViewT = TypeVar("ViewT", bound=QWidget)


class MainWindow(QMainWindow):
    def __init__(self, document: Document | None = None, settings: QSettings | None = None):
        super().__init__()
        self.setObjectName("mainWindow")
        # Chart axes and legends on the views' white plots: pyqtgraph's default grey
        # reads at 2.9:1; the secondary ink passes WCAG AA.
        pg.setConfigOption("foreground", colours.SECONDARY_INK)
        self.settings = settings or QSettings()
        self.document = document or Document(parent=self)
        self.matrix = MatrixPanel(self.document, self)
        self.view = self.matrix.view
        self.setCentralWidget(self.matrix)
        self.setAcceptDrops(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
        )

        self.docks: dict[str, QDockWidget] = {}
        self.views: dict[str, QWidget] = {}
        self._build_docks()
        self.evidence_panel = self.view_of("evidence", EvidencePanel)
        self.hypothesis_panel = self.view_of("hypothesis", HypothesisPanel)
        self.sources_panel = self.views["sources"]
        self.history = self.views["history"]
        self.scores_panel = self.views["scores"]
        self.steps_guide = self.views["steps"]
        self.disagreement_view = self.view_of("disagreement", DisagreementView)
        self.disagreement_view.cellSelected.connect(self.select_cell)
        self.view_of("sensitivity", SensitivityView).evidenceSelected.connect(self.select_evidence)
        self.view_of("timeline", TimelineView).evidenceSelected.connect(self.select_evidence)

        status = self.statusBar().showMessage
        self.files = FileActions(self, self.document, self.settings, status)
        self.structure = StructureActions(
            self,
            self.document,
            self.view,
            self.select_cell,
            self._edit_new_evidence,
            self._edit_new_hypothesis,
            status,
        )
        self._build_layer_box()
        self._build_menus()
        self._connect()
        self._status = QLabel(self)
        self._status.setObjectName("leaderStatus")
        self.statusBar().addPermanentWidget(self._status)
        # Every edit is on disk at once; this says so, and when, all the time.
        self.saved_label = QLabel(self)
        self.saved_label.setObjectName("savedIndicator")
        self.statusBar().addPermanentWidget(self.saved_label)
        self.document.undo_stack.indexChanged.connect(self._mark_saved)
        self.statusBar().showMessage("Every change is saved as you make it.", 6000)
        self._default_state = self.saveState()
        for dock in self.docks.values():
            dock.visibilityChanged.connect(self._dock_toggled)
        self.restore_layout()
        self._project_replaced()

    # -- construction ----------------------------------------------------------

    def _build_docks(self) -> None:
        """The docks of ui/docks.py's table, arranged as it says; the analysis views
        are pages of one tabbed analysis area (ui/analysis/area.py)."""
        self.docks["analysis"], self.analysis_area = make_analysis_dock(self)
        made = {spec.key: spec.make(self.document, self) for spec in DOCKS}
        titles = {spec.key: spec.title for spec in DOCKS}
        for key in ANALYSIS_PAGES:
            self.analysis_area.add_page(key, titles[key], made[key])
        for spec in DOCKS:
            widget = made[spec.key]
            self.views[spec.key] = widget
            if spec.key in ANALYSIS_PAGES:
                continue
            dock = QDockWidget(spec.title, self)
            dock.setObjectName(f"{spec.key}Dock")
            if spec.key in SCROLLED:
                # A tall form scrolls in its dock instead of making the window taller
                # than a 720-pixel screen.
                holder = QScrollArea(dock)
                holder.setWidgetResizable(True)
                holder.setFrameShape(QFrame.Shape.NoFrame)
                holder.setWidget(widget)
                dock.setWidget(holder)
            else:
                dock.setWidget(widget)
            self.addDockWidget(spec.area, dock)
            self.docks[spec.key] = dock
        upper, lower, heights = STACKED
        tabbed = {key for group in TABBED for key in group}
        for spec in DOCKS:
            if spec.hidden and spec.key not in tabbed and spec.key in self.docks:
                self.docks[spec.key].hide()
        hidden = {spec.key for spec in DOCKS if spec.hidden}
        for group in TABBED:
            if group[0] == upper:
                self.splitDockWidget(self.docks[upper], self.docks[lower], Qt.Orientation.Vertical)
            for before, after in zip(group, group[1:], strict=False):
                self.tabifyDockWidget(self.docks[before], self.docks[after])
            for key in group:
                if key in hidden and key in self.docks:
                    self.docks[key].hide()
        self.docks[upper].raise_()
        self.resizeDocks(
            [self.docks[upper], self.docks[lower]], list(heights), Qt.Orientation.Vertical
        )

    def view_of(self, key: str, kind: type[ViewT]) -> ViewT:
        """The widget of dock ``key``, as the kind the table says it is."""
        widget = self.views[key]
        if not isinstance(widget, kind):
            raise TypeError(f"the {key} dock holds a {type(widget).__name__}, not a {kind}")
        return widget

    def _build_layer_box(self) -> None:
        # My ratings / each analyst / team consensus, and the Team menu (team/layer_switcher.py).
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
            self.action(
                "actionProjectDetails",
                "Project &Details…",
                self.edit_project,
                None,
                "Title, key question, description, time horizon and classification",
            )
        )
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
        file_menu.addAction(self.action("actionReport", "&Report…", self.save_report))
        file_menu.addSeparator()
        file_menu.addAction(self.action("actionQuit", "&Quit", self.close, keys.Quit))

        edit = bar.addMenu("&Edit")
        undo = self.document.undo_stack.createUndoAction(self, "&Undo")
        undo.setObjectName("actionUndo")
        undo.setShortcut(keys.Undo)
        redo = self.document.undo_stack.createRedoAction(self, "&Redo")
        redo.setObjectName("actionRedo")
        # Ctrl+Y and Ctrl+Shift+Z both redo on every platform (each hand has its habit);
        # a key twice in one action's list would make the shortcut ambiguous: dedupe.
        redo_keys: dict[str, QKeySequence] = {}
        for sequence in (
            *QKeySequence.keyBindings(keys.Redo),
            QKeySequence("Ctrl+Y"),
            QKeySequence("Ctrl+Shift+Z"),
        ):
            redo_keys.setdefault(sequence.toString(), sequence)
        redo.setShortcuts(list(redo_keys.values()))
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
                    ("actionAddEvidence", "&Add Evidence", act.add_evidence, "Ctrl+Shift+E"),
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
                    (
                        "actionAddHypothesis",
                        "&Add Hypothesis",
                        act.add_hypothesis,
                        "Ctrl+Shift+H",
                    ),
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
        for key, dock in self.docks.items():
            if key != "analysis":
                view.addAction(dock.toggleViewAction())
        view.addSeparator()
        area = self.analysis_area
        for key, title in area.titles.items():
            name = "actionView" + key.capitalize()
            view.addAction(self.action(name, title, functools.partial(self.show_dock, key)))
        view.addAction(self.docks["analysis"].toggleViewAction())
        view.addAction(
            self.action(
                "actionPresentAnalysis",
                "&Present Analysis View",
                lambda: toggle_present(self, self.docks["analysis"], self.analysis_area),
                QKeySequence("Ctrl+Shift+P"),
                "The analysis area across the screen in large type, for a projector; "
                "again to put it back",
            )
        )
        view.addSeparator()
        view.addAction(
            self.action(
                "actionResetLayout",
                "Reset &Layout",
                self.reset_layout,
                None,
                "The matrix in the middle, editors and scores on the right, views hidden",
            )
        )
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
        help_menu.addAction(
            self.action(
                "actionGuide",
                "ACH &Guide",
                self.open_guide,
                QKeySequence(keys.HelpContents),
                "Heuer's eight steps as this window does them, with the Belarus example",
            )
        )
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
        self._mark_saved()
        enabled = self.document.is_open and not self.document.read_only
        for name in READ_ONLY_BUTTONS:
            button = self.findChild(QPushButton, name)
            if button is not None:
                button.setEnabled(enabled)
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
            "actionMoveEvidenceUp",
            "actionMoveEvidenceDown",
            "actionRationale",
        ):
            found = self.findChild(QAction, name)
            if found is not None:
                found.setEnabled(enabled)
        if self.document.is_open and self.view.model().rowCount():
            self.view.setCurrentIndex(self.view.model().index(0, LEADING))
        self.view.setFocus()

    def _mark_saved(self, *_: object) -> None:
        doc = self.document
        if not doc.is_open:
            text = ""
        elif doc.read_only:
            text = "Read-only: nothing is changed"
        else:
            text = f"Saved {QTime.currentTime().toString('HH:mm:ss')}"
        self.saved_label.setText(text)
        self.saved_label.setAccessibleName(text or "No project")
        self.saved_label.setToolTip("Every change is written to the project file as you make it.")

    def _clean_changed(self, _clean: bool) -> None:
        # A bound method (not a lambda) so Qt drops the connection with the window.
        self._update_title()

    def _update_title(self) -> None:
        self.setWindowTitle(window_title(self.document))

    def edit_project(self) -> None:
        """File > Project Details: one undoable edit of the project's own fields."""
        if self.document.is_open:
            self.project_dialog = ProjectDialog(self.document, self)
            self.project_dialog.open()

    def open_guide(self) -> None:
        """F1: Heuer's eight steps as this window does them."""
        from workbench.ui.base.help_guide import HelpGuide

        if getattr(self, "guide", None) is None:
            self.guide = HelpGuide(self)
        self.guide.show()
        self.guide.raise_()
        geometry.fit_to_screen(self.guide)

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
        """Show a side dock, or an analysis view in front of the analysis area."""
        if key in self.analysis_area.pages:
            open_in_front(self, self.docks["analysis"], self.analysis_area, key)
        else:
            dock = self.docks[key]
            dock.show()
            dock.raise_()
        self.keep_on_screen()

    def show_view(self, name: str) -> None:
        """Bring "matrix", a side dock ("scores", "evidence", ...) or an analysis view
        ("sensitivity", "disagreement", ...) to the front."""
        if name == "matrix":
            self.view.setFocus()
        elif name in self.docks or name in self.analysis_area.pages:
            self.show_dock(name)
        else:
            raise ValueError(f"no view named {name!r}")

    def keep_on_screen(self) -> None:
        """Never past the screen's available area, whatever a dock asked for."""
        if self.isVisible():
            geometry.fit_to_screen(self)

    def _dock_toggled(self, _visible: bool) -> None:
        # After Qt has laid out the new dock (it may have grown the window).
        QTimer.singleShot(0, self.keep_on_screen)

    def reset_layout(self) -> None:
        """View > Reset Layout: the first-start arrangement on the current screen."""
        self.restoreState(self._default_state)
        self._first_size()
        self.keep_on_screen()

    def _edit_evidence_row(self, project_row: int) -> None:
        self.evidence_panel.show_evidence(project_row, self.view.current_hypothesis())
        self.show_dock("evidence")
        self.evidence_panel.title.setFocus()

    def _edit_hypothesis(self, column: int) -> None:
        self.hypothesis_panel.show_hypothesis(column)
        self.show_dock("hypothesis")
        self.hypothesis_panel.title.setFocus()

    def _edit_new_evidence(self, project_row: int) -> None:
        self._edit_evidence_row(project_row)
        self.evidence_panel.title.selectAll()

    def _edit_new_hypothesis(self, column: int) -> None:
        self._edit_hypothesis(column)
        self.hypothesis_panel.title.selectAll()

    def select_evidence(self, evidence_id: int) -> None:
        """Select an item's row in the matrix (from a tornado bar or a list)."""
        try:
            row = self.document.project.evidence_index(evidence_id)
        except KeyError:
            return
        self.select_cell(row, -1)
        self.view.setFocus()

    def save_report(self) -> None:
        annotate = self.view_of("timeline", TimelineView).annotate
        save_report(self, self.document, self.statusBar().showMessage, annotate)

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

    def _first_size(self) -> None:
        # First start: 1600 x 1000, or most of a smaller screen, centred on it.
        area = geometry.available_geometry(self)
        size = geometry.first_size(area)
        self.resize(size)
        self.move(
            area.x() + (area.width() - size.width()) // 2,
            area.y() + (area.height() - size.height()) // 2,
        )
        dock_width = max(300, min(440, int(size.width() * 0.28)))
        self.resizeDocks([self.docks["evidence"]], [dock_width], Qt.Orientation.Horizontal)

    def restore_layout(self) -> None:
        saved = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(saved, QByteArray):
            self.restoreGeometry(saved)
            # Saved on a bigger screen (or grown by an old version): clamp to this one.
            geometry.fit_to_screen(self)
        else:
            self._first_size()
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        # A dock or a newly opened project may have grown the window past the screen.
        QTimer.singleShot(0, self.keep_on_screen)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        # The frame is known only once shown: fit frame and all on the screen.
        QTimer.singleShot(0, self.keep_on_screen)

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
