"""The ACH entities and the Project that holds them.

Ratings are kept as one numpy ``int8`` matrix per analyst (a *layer*), aligned
with ``Project.evidence`` (rows) and ``Project.hypotheses`` (columns). A
10,000 x 50 matrix with ten analysts is then 5 MB instead of five million
Python objects, and scoring never loops over cells in Python. The Project's
structural methods keep every layer aligned when rows or columns move.
"""

from __future__ import annotations

import dataclasses
import enum
import uuid
from collections.abc import Callable
from typing import Any

import numpy as np

from workbench.core.dates import PartialDate
from workbench.core.ratings import DEFAULT_LIKELIHOODS, Level, Rating, evidence_weight


class EvidenceType(enum.StrEnum):
    EVENT = "event"
    STATEMENT = "statement"
    EXPERT_ASSESSMENT = "expert_assessment"
    ASSUMPTION = "assumption"
    ABSENCE = "absence"
    #: A source's own answer to the question (an author's verdict, a forecast it
    #: ends on). Scoring it as evidence for that answer would be circular.
    CONCLUSION = "conclusion"

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self]

    @property
    def counts_by_default(self) -> bool:
        """False for conclusions and assumptions: they are reasoning, not observation,
        so a new item of this type starts excluded from scoring (the analyst can
        include it, and the report shows the scores with and without them)."""
        return self not in (EvidenceType.CONCLUSION, EvidenceType.ASSUMPTION)

    @classmethod
    def parse(cls, text: object) -> EvidenceType:
        """Accepts the stored value or the label, any case; blank is an event/fact."""
        key = " ".join(str(text or "").split()).lower()
        if not key:
            return cls.EVENT
        for member in cls:
            if key in (member.value, member.label.lower(), member.value.replace("_", " ")):
                return member
        raise ValueError(
            f"{str(text).strip()!r} is not an evidence type (use {', '.join(m.label for m in cls)})"
        )


_TYPE_LABELS = {
    EvidenceType.EVENT: "Event/fact",
    EvidenceType.STATEMENT: "Statement",
    EvidenceType.EXPERT_ASSESSMENT: "Expert assessment",
    EvidenceType.ASSUMPTION: "Assumption",
    EvidenceType.ABSENCE: "Absence of evidence",
    EvidenceType.CONCLUSION: "Conclusion",
}


class MilestoneStatus(enum.StrEnum):
    PENDING = "pending"
    OBSERVED = "observed"
    CONTRADICTED = "contradicted"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclasses.dataclass
class Hypothesis:
    id: int
    code: str
    title: str
    description: str = ""
    #: Prior probability for the Bayesian view; None means "equal share".
    prior: float | None = None


@dataclasses.dataclass
class Evidence:
    id: int
    code: str
    title: str
    description: str = ""
    type: EvidenceType = EvidenceType.EVENT
    date: PartialDate | None = None
    source_id: int | None = None
    #: Where in the source: article section, page, paragraph.
    locator: str = ""
    credibility: Level = Level.MEDIUM
    relevance: Level = Level.MEDIUM
    #: False when the analyst has excluded the item from scoring (ratings are kept).
    active: bool = True
    tags: list[str] = dataclasses.field(default_factory=list)
    notes: str = ""

    @property
    def weight(self) -> float:
        return evidence_weight(self.credibility, self.relevance)


@dataclasses.dataclass
class Source:
    id: int
    author: str
    year: int | None = None
    title: str = ""
    link: str = ""
    #: Short in-text form, e.g. "Sivitsky, 2020".
    citation: str = ""

    def cite(self) -> str:
        if self.citation:
            return self.citation
        return f"{self.author}, {self.year}" if self.year else self.author


@dataclasses.dataclass
class Analyst:
    id: int
    name: str


@dataclasses.dataclass
class Milestone:
    id: int
    hypothesis_id: int
    indicator: str
    expected_by: PartialDate | None = None
    status: MilestoneStatus = MilestoneStatus.PENDING
    note: str = ""


@dataclasses.dataclass(frozen=True)
class ConsensusOverride:
    """A consensus rating the facilitator set by hand (spec section 5)."""

    rating: Rating
    note: str = ""


class UnknownEntity(KeyError):
    """An id that is not (or no longer) in the project."""


@dataclasses.dataclass(frozen=True)
class RemovedEvidence:
    """Everything a removed evidence row took with it, so undo can put it all back."""

    index: int
    evidence: Evidence
    #: analyst id -> that analyst's ratings of the row.
    rows: dict[int, np.ndarray]
    rationales: dict[tuple[int, int, int], str]
    #: The facilitator's consensus ratings on the row.
    overrides: dict[tuple[int, int], ConsensusOverride]


@dataclasses.dataclass(frozen=True)
class RemovedHypothesis:
    """Everything a removed hypothesis column took with it, so undo can put it all back."""

    index: int
    hypothesis: Hypothesis
    #: analyst id -> that analyst's ratings of the column.
    columns: dict[int, np.ndarray]
    rationales: dict[tuple[int, int, int], str]
    overrides: dict[tuple[int, int], ConsensusOverride]
    #: (position in Project.milestones, milestone) of the hypothesis's indicators.
    milestones: tuple[tuple[int, Milestone], ...]


def _pop_matching(table: dict, belongs: Callable[[Any], bool]) -> dict:
    """Remove and return the entries whose key ``belongs`` to a row or column going away."""
    taken = {key: value for key, value in table.items() if belongs(key)}
    for key in taken:
        del table[key]
    return taken


@dataclasses.dataclass
class Project:
    title: str
    question: str = ""
    description: str = ""
    #: Classification marking printed on every sheet, page and window title
    #: (e.g. "UNCLASSIFIED", "OFFICIAL-SENSITIVE"); empty means none.
    classification: str = ""
    #: The period the key question is about, e.g. "through 2025".
    time_horizon: str = ""
    #: Free notes about the project itself (also what other tools' files carry
    #: that has no field of its own, so an import drops nothing silently).
    notes: str = ""
    hypotheses: list[Hypothesis] = dataclasses.field(default_factory=list)
    evidence: list[Evidence] = dataclasses.field(default_factory=list)
    sources: list[Source] = dataclasses.field(default_factory=list)
    analysts: list[Analyst] = dataclasses.field(default_factory=list)
    milestones: list[Milestone] = dataclasses.field(default_factory=list)
    #: analyst id -> int8 matrix (len(evidence), len(hypotheses)) of Rating values.
    layers: dict[int, np.ndarray] = dataclasses.field(default_factory=dict)
    #: (analyst id, evidence id, hypothesis id) -> rationale text.
    rationales: dict[tuple[int, int, int], str] = dataclasses.field(default_factory=dict)
    #: (evidence id, hypothesis id) -> facilitator's consensus rating.
    overrides: dict[tuple[int, int], ConsensusOverride] = dataclasses.field(default_factory=dict)
    likelihoods: dict[Rating, float] = dataclasses.field(
        default_factory=lambda: dict(DEFAULT_LIKELIHOODS)
    )
    next_id: int = 1
    #: Stable identity of the project across files, exports and rating sheets.
    uid: str = dataclasses.field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        #: evidence id -> last known position: a hint that evidence_index verifies.
        #: A plain attribute, not a field: it is no part of the analysis.
        self._evidence_positions: dict[int, int] = {}

    # -- identity -------------------------------------------------------------

    def new_id(self) -> int:
        """Ids are unique across every kind of entity in one project."""
        value = self.next_id
        self.next_id += 1
        return value

    def reserve_id(self, value: int) -> None:
        """Make sure an id loaded from elsewhere is never handed out again."""
        self.next_id = max(self.next_id, value + 1)

    def next_code(self, prefix: str) -> str:
        """The next free code such as ``E31``: one more than the highest in use."""
        items = self.hypotheses if prefix == "H" else self.evidence
        numbers = [int(x.code[1:]) for x in items if x.code[1:].isdigit() and x.code[0] == prefix]
        return f"{prefix}{max(numbers, default=0) + 1}"

    def evidence_index(self, evidence_id: int) -> int:
        # A scan of 10,000 items costs ~0.5 ms and every rating edit asks several
        # times. The remembered position is checked before use, so inserts,
        # moves and list replacements only cost one rebuild, never a wrong answer.
        positions = self._evidence_positions
        i = positions.get(evidence_id)
        if i is not None and i < len(self.evidence) and self.evidence[i].id == evidence_id:
            return i
        positions.clear()
        positions.update((item.id, i) for i, item in enumerate(self.evidence))
        try:
            return positions[evidence_id]
        except KeyError:
            raise UnknownEntity(f"evidence {evidence_id}") from None

    def hypothesis_index(self, hypothesis_id: int) -> int:
        for i, item in enumerate(self.hypotheses):
            if item.id == hypothesis_id:
                return i
        raise UnknownEntity(f"hypothesis {hypothesis_id}")

    def evidence_by_id(self, evidence_id: int) -> Evidence:
        return self.evidence[self.evidence_index(evidence_id)]

    def hypothesis_by_id(self, hypothesis_id: int) -> Hypothesis:
        return self.hypotheses[self.hypothesis_index(hypothesis_id)]

    def evidence_by_code(self, code: str) -> Evidence | None:
        return next((e for e in self.evidence if e.code == code), None)

    def hypothesis_by_code(self, code: str) -> Hypothesis | None:
        return next((h for h in self.hypotheses if h.code == code), None)

    def source_by_id(self, source_id: int | None) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def analyst_by_name(self, name: str) -> Analyst | None:
        key = name.strip().casefold()
        return next((a for a in self.analysts if a.name.strip().casefold() == key), None)

    # -- ratings --------------------------------------------------------------

    def layer(self, analyst_id: int) -> np.ndarray:
        try:
            return self.layers[analyst_id]
        except KeyError:
            raise UnknownEntity(f"analyst {analyst_id}") from None

    def rating(self, analyst_id: int, evidence_id: int, hypothesis_id: int) -> Rating:
        row, col = self.evidence_index(evidence_id), self.hypothesis_index(hypothesis_id)
        return Rating(int(self.layer(analyst_id)[row, col]))

    def rationale(self, analyst_id: int, evidence_id: int, hypothesis_id: int) -> str:
        return self.rationales.get((analyst_id, evidence_id, hypothesis_id), "")

    def set_rating(
        self,
        analyst_id: int,
        evidence_id: int,
        hypothesis_id: int,
        rating: Rating,
        rationale: str | None = None,
    ) -> None:
        """Set one cell; ``rationale=None`` keeps the rationale already there."""
        row, col = self.evidence_index(evidence_id), self.hypothesis_index(hypothesis_id)
        self.layer(analyst_id)[row, col] = int(rating)
        if rationale is not None:
            key = (analyst_id, evidence_id, hypothesis_id)
            if rationale:
                self.rationales[key] = rationale
            else:
                self.rationales.pop(key, None)

    # -- structure: every method keeps the layers aligned ----------------------

    def add_analyst(self, analyst: Analyst, layer: np.ndarray | None = None) -> None:
        shape = (len(self.evidence), len(self.hypotheses))
        if layer is None:
            layer = np.zeros(shape, dtype=np.int8)
        if layer.shape != shape:
            raise ValueError(f"layer shape {layer.shape} does not match the matrix {shape}")
        self.reserve_id(analyst.id)
        self.analysts.append(analyst)
        self.layers[analyst.id] = layer.astype(np.int8, copy=False)

    def remove_analyst(self, analyst_id: int) -> tuple[int, Analyst, np.ndarray, dict]:
        index = next(i for i, a in enumerate(self.analysts) if a.id == analyst_id)
        analyst = self.analysts.pop(index)
        layer = self.layers.pop(analyst_id)
        notes = {k: v for k, v in self.rationales.items() if k[0] == analyst_id}
        for key in notes:
            del self.rationales[key]
        return index, analyst, layer, notes

    def insert_evidence(
        self,
        index: int,
        evidence: Evidence,
        rows: dict[int, np.ndarray] | None = None,
        rationales: dict[tuple[int, int, int], str] | None = None,
        overrides: dict[tuple[int, int], ConsensusOverride] | None = None,
    ) -> None:
        """Insert a row; ``rows`` gives each analyst's ratings for it (default blank)."""
        self.reserve_id(evidence.id)
        index = max(0, min(index, len(self.evidence)))
        blank = np.zeros(len(self.hypotheses), dtype=np.int8)
        for aid, grid in self.layers.items():
            row = (rows or {}).get(aid, blank)
            self.layers[aid] = np.insert(grid, index, row, axis=0)
        self.evidence.insert(index, evidence)
        self.rationales.update(rationales or {})
        self.overrides.update(overrides or {})

    def remove_evidence(self, evidence_id: int) -> RemovedEvidence:
        """Remove a row; returns what :meth:`insert_evidence` needs to put it back."""
        index = self.evidence_index(evidence_id)
        rows = {aid: grid[index].copy() for aid, grid in self.layers.items()}
        for aid, grid in self.layers.items():
            self.layers[aid] = np.delete(grid, index, axis=0)
        notes = _pop_matching(self.rationales, lambda key: key[1] == evidence_id)
        overrides = _pop_matching(self.overrides, lambda cell: cell[0] == evidence_id)
        return RemovedEvidence(index, self.evidence.pop(index), rows, notes, overrides)

    def move_evidence(self, evidence_id: int, new_index: int) -> int:
        """Move a row; returns the index it came from."""
        old = self.evidence_index(evidence_id)
        new_index = max(0, min(new_index, len(self.evidence) - 1))
        order = list(range(len(self.evidence)))
        order.insert(new_index, order.pop(old))
        self.evidence = [self.evidence[i] for i in order]
        for aid, grid in self.layers.items():
            self.layers[aid] = grid[order]
        return old

    def insert_hypothesis(
        self,
        index: int,
        hypothesis: Hypothesis,
        columns: dict[int, np.ndarray] | None = None,
        rationales: dict[tuple[int, int, int], str] | None = None,
        overrides: dict[tuple[int, int], ConsensusOverride] | None = None,
        milestones: tuple[tuple[int, Milestone], ...] = (),
    ) -> None:
        """Insert a column; ``milestones`` are (position in the list, milestone) pairs."""
        self.reserve_id(hypothesis.id)
        index = max(0, min(index, len(self.hypotheses)))
        blank = np.zeros(len(self.evidence), dtype=np.int8)
        for aid, grid in self.layers.items():
            column = (columns or {}).get(aid, blank)
            self.layers[aid] = np.insert(grid, index, column, axis=1)
        self.hypotheses.insert(index, hypothesis)
        self.rationales.update(rationales or {})
        self.overrides.update(overrides or {})
        # Ascending positions: each insert lands where it stood before the removal.
        for position, milestone in sorted(milestones, key=lambda pair: pair[0]):
            self.reserve_id(milestone.id)
            self.milestones.insert(position, milestone)

    def remove_hypothesis(self, hypothesis_id: int) -> RemovedHypothesis:
        """Remove a column; returns what :meth:`insert_hypothesis` needs to put it back."""
        index = self.hypothesis_index(hypothesis_id)
        columns = {aid: grid[:, index].copy() for aid, grid in self.layers.items()}
        for aid, grid in self.layers.items():
            self.layers[aid] = np.delete(grid, index, axis=1)
        notes = _pop_matching(self.rationales, lambda key: key[2] == hypothesis_id)
        overrides = _pop_matching(self.overrides, lambda cell: cell[1] == hypothesis_id)
        milestones = tuple(
            (i, m) for i, m in enumerate(self.milestones) if m.hypothesis_id == hypothesis_id
        )
        self.milestones = [m for m in self.milestones if m.hypothesis_id != hypothesis_id]
        return RemovedHypothesis(
            index, self.hypotheses.pop(index), columns, notes, overrides, milestones
        )

    def move_hypothesis(self, hypothesis_id: int, new_index: int) -> int:
        old = self.hypothesis_index(hypothesis_id)
        new_index = max(0, min(new_index, len(self.hypotheses) - 1))
        order = list(range(len(self.hypotheses)))
        order.insert(new_index, order.pop(old))
        self.hypotheses = [self.hypotheses[i] for i in order]
        for aid, grid in self.layers.items():
            self.layers[aid] = grid[:, order]
        return old

    # -- derived arrays for scoring --------------------------------------------

    def weights(self) -> np.ndarray:
        return np.array([e.weight for e in self.evidence], dtype=float)

    def active_mask(self) -> np.ndarray:
        return np.array([e.active for e in self.evidence], dtype=bool)

    def priors(self) -> np.ndarray | None:
        """Priors in column order, or None for equal priors.

        Hypotheses without a prior share what the others leave (at least 0),
        so setting one prior never silently zeroes the rest.
        """
        given = [h.prior for h in self.hypotheses]
        if all(p is None for p in given):
            return None
        known = sum(p for p in given if p is not None)
        missing = sum(1 for p in given if p is None)
        share = max(0.0, 1.0 - known) / missing if missing else 0.0
        return np.array([share if p is None else p for p in given], dtype=float)
