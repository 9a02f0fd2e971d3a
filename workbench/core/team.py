"""Where a team of analysts disagrees, and which disagreements matter most.

A facilitator has little time in a workshop, so the cells are ranked by how
much settling them could move the scores:

    importance = spread x evidence weight x diagnosticity x (1 if active else 0)

*spread* is the population std dev of the analysts' scored values (spec 5),
*evidence weight* is w(e) (spec 2). For *diagnosticity* we take the largest
diagnosticity of the evidence row in the consensus layer **or in any
analyst's layer**, not the consensus alone: when two analysts read an item in
opposite directions (Ana: C, I; Ben: I, C) the consensus averages to N, N and
looks non-diagnostic precisely because of the disagreement that most needs
talking through. An item that every analyst rates alike across the hypotheses
(diagnosticity 0 in every layer) cannot change which hypothesis leads, so its
disagreements rank last. Excluded evidence is not scored, so it ranks last too.

Disputed cells (someone says consistent, someone inconsistent) always come
before undisputed ones; within each group, by importance, then spread, then
matrix order (so the order is stable).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from workbench.core.consensus import (
    SpreadLevel,
    consensus_codes,
    disputed,
    overrides_at,
    spread,
    spread_level,
)
from workbench.core.model import ConsensusOverride, Project
from workbench.core.ratings import Rating
from workbench.core.scoring import diagnosticity


@dataclasses.dataclass(frozen=True)
class AnalystRating:
    """One analyst's rating of a cell, with their reason."""

    analyst_id: int
    name: str
    rating: Rating
    rationale: str


@dataclasses.dataclass(frozen=True)
class CellDisagreement:
    """Everything the facilitator needs about one cell of the matrix."""

    row: int
    column: int
    evidence_code: str
    hypothesis_code: str
    evidence_id: int
    hypothesis_id: int
    #: The team's rating: the facilitator's override if there is one.
    consensus: Rating
    #: The consensus the rule gives (spec 5), before any override.
    computed: Rating
    override: ConsensusOverride | None
    spread: float
    level: SpreadLevel
    disputed: bool
    importance: float
    ratings: tuple[AnalystRating, ...]

    @property
    def overridden(self) -> bool:
        return self.override is not None

    @property
    def unanimous(self) -> bool:
        """True when everyone who rated the cell gave the same rating (blanks ignored)."""
        given = {r.rating for r in self.ratings if r.rating != Rating.BLANK}
        return len(given) <= 1


@dataclasses.dataclass(frozen=True)
class TeamAnalysis:
    """Per-cell arrays for the whole matrix (rows = evidence, columns = hypotheses)."""

    project: Project
    consensus: np.ndarray
    computed: np.ndarray
    overridden: np.ndarray
    spread: np.ndarray
    disputed: np.ndarray
    importance: np.ndarray
    #: True where at least one analyst rated the cell (NA counts, blank does not).
    rated: np.ndarray
    #: True where two analysts gave different (non-blank) ratings.
    differs: np.ndarray

    def cell(self, row: int, column: int) -> CellDisagreement:
        project = self.project
        evidence = project.evidence[row]
        hypothesis = project.hypotheses[column]
        ratings = tuple(
            AnalystRating(
                analyst.id,
                analyst.name,
                Rating(int(project.layers[analyst.id][row, column])),
                project.rationale(analyst.id, evidence.id, hypothesis.id),
            )
            for analyst in project.analysts
        )
        value = float(self.spread[row, column])
        return CellDisagreement(
            row=row,
            column=column,
            evidence_code=evidence.code,
            hypothesis_code=hypothesis.code,
            evidence_id=evidence.id,
            hypothesis_id=hypothesis.id,
            consensus=Rating(int(self.consensus[row, column])),
            computed=Rating(int(self.computed[row, column])),
            override=project.overrides.get((evidence.id, hypothesis.id)),
            spread=value,
            level=spread_level(value),
            disputed=bool(self.disputed[row, column]),
            importance=float(self.importance[row, column]),
            ratings=ratings,
        )

    def rated_cells(self) -> list[CellDisagreement]:
        """Every cell any analyst rated, in matrix order (row by row)."""
        rows, columns = np.nonzero(self.rated)
        return [self.cell(r, c) for r, c in zip(rows.tolist(), columns.tolist(), strict=True)]

    def ranked_positions(self, only_disagreements: bool = True) -> np.ndarray:
        """(row, column) pairs in discussion order, as a (k, 2) array.

        Disputed first, then by importance, then spread, then matrix order.
        With ``only_disagreements`` only cells where the analysts' ratings differ
        are listed (including NA against a scored rating, which has no spread).
        Vectorised, so a view can list 100,000 cells and build rows lazily.
        """
        mask = self.rated & self.differs if only_disagreements else self.rated
        rows, columns = np.nonzero(mask)
        order = np.lexsort(
            (
                columns,
                rows,
                -np.round(self.spread[rows, columns], 9),
                -np.round(self.importance[rows, columns], 9),
                ~self.disputed[rows, columns],
            )
        )
        return np.stack([rows[order], columns[order]], axis=1)

    def ranking(self, only_disagreements: bool = True) -> list[CellDisagreement]:
        """The cells of :meth:`ranked_positions`, with every analyst's rating and reason."""
        return [self.cell(int(r), int(c)) for r, c in self.ranked_positions(only_disagreements)]


def analyse_team(project: Project) -> TeamAnalysis:
    """Consensus, spread, disputes and importance of every cell of the project."""
    shape = (len(project.evidence), len(project.hypotheses))
    layers = [project.layers[a.id] for a in project.analysts]
    computed = consensus_codes(layers, shape)
    # The same as project_consensus(), without computing the consensus twice.
    team = computed.copy()
    overridden = np.zeros(shape, dtype=bool)
    for row, column, rating in overrides_at(project):
        team[row, column] = int(rating)
        overridden[row, column] = True
    cell_spread = spread(layers, shape)
    row_diagnosticity = diagnosticity(team)
    for layer in layers:
        row_diagnosticity = np.maximum(row_diagnosticity, diagnosticity(layer))
    row_factor = project.weights() * project.active_mask() * row_diagnosticity
    if layers:
        stack = np.stack(layers)
        given = stack != Rating.BLANK
        rated = given.any(axis=0)
        highest = np.where(given, stack, np.int8(-1)).max(axis=0)
        lowest = np.where(given, stack, np.int8(127)).min(axis=0)
        differs = rated & (highest != lowest)
    else:
        rated = differs = np.zeros(shape, dtype=bool)
    return TeamAnalysis(
        project=project,
        consensus=team,
        computed=computed,
        overridden=overridden,
        spread=cell_spread,
        disputed=disputed(layers, shape),
        importance=cell_spread * row_factor.reshape(-1, 1),
        rated=rated,
        differs=differs,
    )


def team_report(project: Project) -> dict:
    """The ``workbench team --json`` document (a stable contract).

    ``cells`` holds every cell any analyst rated, in matrix order; codes are
    strings, ``""`` for blank.
    """
    analysis = analyse_team(project)
    return {
        "analysts": [a.name for a in project.analysts],
        "cells": [
            {
                "evidence": cell.evidence_code,
                "hypothesis": cell.hypothesis_code,
                "consensus": cell.consensus.code,
                "computed": cell.computed.code,
                "overridden": cell.overridden,
                "spread": cell.spread,
                "level": cell.level.value,
                "disputed": cell.disputed,
                "importance": cell.importance,
                "ratings": {r.name: r.rating.code for r in cell.ratings},
            }
            for cell in analysis.rated_cells()
        ],
    }
