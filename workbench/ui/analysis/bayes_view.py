"""The Bayesian view: posteriors beside the inconsistency scores, priors and likelihoods.

The priors (one per hypothesis) and the likelihood of each rating are part of
the project: editing them goes through ``Document.do`` like any other change,
so it is saved, undoable and shown everywhere the posterior is. The note
under the chart says what the posterior assumes and when not to trust it.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core import palette as colours
from workbench.core.edits import Batch, UpdateHypothesis, UpdateProject
from workbench.core.errors import WorkbenchError
from workbench.core.ratings import DEFAULT_LIKELIHOODS, SCALE, Rating
from workbench.reports.content import BAYES_NOTE, bayes_warning, effective_priors
from workbench.ui.base.chart_font import still_chart
from workbench.ui.base.dialogs import report
from workbench.ui.base.document import Document
from workbench.ui.base.lazy_chart import LazyChart
from workbench.ui.base.when_shown import WhenShown

LEADER_COLOUR = colours.LEADER
OTHER_COLOUR = colours.OTHERS

Index = QModelIndex | QPersistentModelIndex
EDIT_ROLE = Qt.ItemDataRole.EditRole
DISPLAY_ROLE = Qt.ItemDataRole.DisplayRole


class BadProbability(WorkbenchError):
    """A prior or likelihood that is not a number in range."""


def parse_probability(text: object, what: str, allow_zero: bool) -> float:
    try:
        value = float(str(text).strip().rstrip("%")) / (
            100 if str(text).strip().endswith("%") else 1
        )
    except ValueError:
        raise BadProbability(f"{what}: {str(text).strip()!r} is not a number") from None
    low_ok = value >= 0 if allow_zero else value > 0
    if not (low_ok and value <= 1):
        bound = "from 0 to 1" if allow_zero else "above 0 and at most 1"
        raise BadProbability(f"{what}: {value:g} is not a probability ({bound})")
    return value


class _DocumentModel(QAbstractTableModel):
    """A table over the document's project; edits become document edits."""

    HEADERS: tuple[str, ...] = ()
    #: A refused edit, in one sentence (the view shows it in a dialog).
    problem = Signal(object)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document

    def reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = DISPLAY_ROLE
    ) -> object:
        if role == DISPLAY_ROLE and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def _do(self, edit) -> bool:  # noqa: ANN001
        try:
            self.document.do(edit)
        except Exception as error:  # noqa: BLE001 - shown to the user, nothing changed
            self.problem.emit(error)
            return False
        return True


class PriorsModel(_DocumentModel):
    """Hypotheses with their scores, prior (editable) and posterior."""

    HEADERS = ("Code", "Hypothesis", "Weighted inc.", "Rank", "Prior", "Posterior")
    PRIOR = 4

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        if parent.isValid() or not self.document.is_open:
            return 0
        return len(self.document.project.hypotheses)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == self.PRIOR and not self.document.read_only:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> object:
        if not index.isValid():
            return None
        project, scores = self.document.project, self.document.scores
        row, col = index.row(), index.column()
        hypothesis = project.hypotheses[row]
        if role == EDIT_ROLE and col == self.PRIOR:
            return "" if hypothesis.prior is None else f"{hypothesis.prior:g}"
        if role == DISPLAY_ROLE:
            if col == 0:
                return hypothesis.code
            if col == 1:
                return hypothesis.title
            if row >= len(scores.rank):
                return None
            if col == 2:
                return f"{scores.weighted_inconsistency[row]:.2f}"
            if col == 3:
                return int(scores.rank[row])
            if col == self.PRIOR:
                share = effective_priors(project)[row]
                return f"{share:.3f}" if hypothesis.prior is not None else f"{share:.3f} (equal)"
            return _probability(float(scores.posterior[row]))
        unset_prior = col == self.PRIOR and hypothesis.prior is None
        if role == Qt.ItemDataRole.ForegroundRole and unset_prior:
            return QColor(colours.MUTED_INK)
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.PRIOR:
            return (
                "Your prior for this hypothesis (0 to 1). Leave empty for an equal share "
                "of what the other priors leave; all are rescaled to sum to 1."
            )
        return None

    def setData(self, index: Index, value: object, role: int = EDIT_ROLE) -> bool:  # noqa: N802
        if role != EDIT_ROLE or index.column() != self.PRIOR:
            return False
        hypothesis = self.document.project.hypotheses[index.row()]
        text = str(value).strip()
        try:
            prior = (
                None
                if text == ""
                else parse_probability(text, f"Prior of {hypothesis.code}", allow_zero=True)
            )
        except BadProbability as error:
            self.problem.emit(error)
            return False
        if prior == hypothesis.prior:
            return False
        return self._do(UpdateHypothesis(hypothesis.id, {"prior": prior}))


class LikelihoodModel(_DocumentModel):
    """The likelihood of each scored rating (NA and blank count as Neutral)."""

    HEADERS = ("Rating", "Likelihood")

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or not self.document.is_open else len(SCALE)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == 1 and not self.document.read_only:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def _value(self, rating: Rating) -> float:
        return float(self.document.project.likelihoods.get(rating, DEFAULT_LIKELIHOODS[rating]))

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> object:
        if not index.isValid():
            return None
        rating = SCALE[index.row()]
        if role in (DISPLAY_ROLE, EDIT_ROLE):
            if index.column() == 0:
                return f"{rating.code}  {rating.label}" if role == DISPLAY_ROLE else rating.code
            value = self._value(rating)
            return f"{value:g}" if role == EDIT_ROLE else f"{value:.2f}"
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            return (
                f"How likely evidence rated {rating.label} is if the hypothesis is true "
                f"(default {DEFAULT_LIKELIHOODS[rating]:.2f})."
            )
        return None

    def setData(self, index: Index, value: object, role: int = EDIT_ROLE) -> bool:  # noqa: N802
        if role != EDIT_ROLE or index.column() != 1:
            return False
        rating = SCALE[index.row()]
        try:
            new = parse_probability(value, f"Likelihood of {rating.label}", allow_zero=False)
        except BadProbability as error:
            self.problem.emit(error)
            return False
        table = {r: self._value(r) for r in SCALE}
        if table[rating] == new:
            return False
        table[rating] = new
        return self._do(UpdateProject({"likelihoods": table}))


class BayesView(QWidget):
    """Posterior chart, the priors table, the likelihood table and the caveat."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("bayesView")
        self.document = document
        self.priors = PriorsModel(document, self)
        self.likelihoods = LikelihoodModel(document, self)
        self.priors_table = _table(self, "priorsTable", self.priors)
        self.likelihood_table = _table(self, "likelihoodTable", self.likelihoods)
        for model in (self.priors, self.likelihoods):
            model.problem.connect(lambda error: report(self, error))

        # Made when the page is first shown (refresh draws on it only then).
        self.chart = LazyChart(self._make_chart, self)
        self.bars: pg.BarGraphItem
        self.posterior_values = np.zeros(0)

        self.equal = QPushButton("Equal priors", self)
        self.equal.setObjectName("equalPriors")
        self.equal.clicked.connect(self.equal_priors)
        self.defaults = QPushButton("Default likelihoods", self)
        self.defaults.setObjectName("defaultLikelihoods")
        self.defaults.clicked.connect(self.default_likelihoods)
        self.note = QLabel(self)
        self.note.setObjectName("bayesNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.RichText)

        # Three panes side by side: the view usually sits in a short bottom dock.
        priors_pane = QWidget(self)
        priors_layout = QVBoxLayout(priors_pane)
        priors_layout.setContentsMargins(0, 0, 0, 0)
        priors_layout.addWidget(
            QLabel("<b>Priors and posteriors</b> (double-click a prior to edit it)", self)
        )
        priors_layout.addWidget(self.priors_table, 1)
        priors_layout.addWidget(self.equal, 0, Qt.AlignmentFlag.AlignLeft)
        likelihood_pane = QWidget(self)
        likelihood_layout = QVBoxLayout(likelihood_pane)
        likelihood_layout.setContentsMargins(0, 0, 0, 0)
        likelihood_layout.addWidget(QLabel("<b>Likelihood of each rating</b>", self))
        likelihood_layout.addWidget(self.likelihood_table, 1)
        likelihood_layout.addWidget(self.defaults, 0, Qt.AlignmentFlag.AlignLeft)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.chart, 1)
        right_layout.addWidget(self.note)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(priors_pane)
        splitter.addWidget(likelihood_pane)
        splitter.addWidget(right)
        splitter.setSizes([480, 220, 500])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.when_shown = WhenShown(
            self,
            self.refresh,
            document.scoresChanged,
            document.projectReplaced,
            document.detailsChanged,
            document.structureChanged,
        )

    def _make_chart(self, parent: QWidget) -> pg.PlotWidget:
        plot = still_chart("posteriorChart", parent)
        plot.setLabel("left", "posterior")
        plot.setYRange(0, 1.05, padding=0)
        plot.showGrid(y=True, alpha=0.25)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.6)
        plot.addItem(self.bars)
        return plot

    @property
    def plot(self) -> pg.PlotWidget:
        """The posterior chart (made now if the page was never shown)."""
        return self.chart.chart()

    def refresh(self) -> None:
        plot = self.plot
        self.priors.reset()
        self.likelihoods.reset()
        doc = self.document
        editable = doc.is_open and not doc.read_only
        self.equal.setEnabled(editable)
        self.defaults.setEnabled(editable)
        if not doc.is_open:
            self.posterior_values = np.zeros(0)
            self.bars.setOpts(x=[], height=[], brushes=None)
            self.note.setText("")
            return
        project = doc.project
        self.posterior_values = np.asarray(doc.scores.posterior, dtype=float)
        n = self.posterior_values.size
        leader = int(np.argmax(self.posterior_values)) if n else -1
        self.bars.setOpts(
            x=np.arange(n),
            height=self.posterior_values,
            width=0.6,
            brushes=[pg.mkBrush(LEADER_COLOUR if j == leader else OTHER_COLOUR) for j in range(n)],
            pen=pg.mkPen(None),
        )
        plot.getPlotItem().getAxis("bottom").setTicks(
            [[(j, h.code) for j, h in enumerate(project.hypotheses)], []]
        )
        plot.setXRange(-0.6, max(n, 1) - 0.4, padding=0)
        warning = bayes_warning(project, doc.scores)
        self.note.setText(
            f"<b>What the posterior assumes.</b> {_escape(BAYES_NOTE)}"
            + (f"<br><b>{_escape(warning)}</b>" if warning else "")
        )

    def equal_priors(self) -> None:
        project = self.document.project
        edits = tuple(
            UpdateHypothesis(h.id, {"prior": None})
            for h in project.hypotheses
            if h.prior is not None
        )
        if edits:
            self._do(Batch(edits, "Equal priors"))

    def default_likelihoods(self) -> None:
        if dict(self.document.project.likelihoods) != DEFAULT_LIKELIHOODS:
            self._do(UpdateProject({"likelihoods": dict(DEFAULT_LIKELIHOODS)}))

    def _do(self, edit) -> None:  # noqa: ANN001
        try:
            self.document.do(edit)
        except Exception as error:  # noqa: BLE001 - shown to the user, nothing changed
            report(self, error)


def _table(parent: QWidget, name: str, model: QAbstractTableModel) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.verticalHeader().hide()
    # Compact rows: the tables are short and often shown in a dock.
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if model.columnCount() > 2:
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    return table


def _probability(value: float) -> str:
    """Four decimals, but a tiny posterior is shown as tiny rather than as 0."""
    return f"{value:.1e}" if 0 < value < 5e-5 else f"{value:.4f}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
