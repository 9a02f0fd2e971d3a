"""The evidence timeline: how each hypothesis's weighted inconsistency built up.

Active evidence is taken in date order (a year sorts before its months, a
month before its days; equal dates keep matrix order) and each hypothesis's
weighted inconsistency is accumulated step by step, so the analyst can see
when a hypothesis began to fall behind. Undated evidence cannot be placed on
the time axis; it is listed apart rather than dropped, and its share of each
score is reported so the lines plus the undated share equal the totals.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from workbench.core.dates import PartialDate
from workbench.core.scoring import cell_contributions


@dataclasses.dataclass(frozen=True)
class Timeline:
    """Evidence rows in date order and the running weighted inconsistency."""

    #: Matrix rows of the dated active evidence, in date order.
    rows: np.ndarray
    dates: list[PartialDate]
    #: (len(rows), hypotheses): weighted inconsistency after each item.
    cumulative: np.ndarray
    #: (len(rows), hypotheses): what each item added.
    added: np.ndarray
    #: Matrix rows of active evidence without a date (matrix order).
    undated_rows: np.ndarray
    #: Per hypothesis: the undated items' share of weighted inconsistency.
    undated_total: np.ndarray

    @property
    def final(self) -> np.ndarray:
        """Weighted inconsistency of the dated evidence alone."""
        if self.cumulative.shape[0] == 0:
            return np.zeros(self.cumulative.shape[1])
        return self.cumulative[-1]


def timeline(
    codes: np.ndarray,
    weights: np.ndarray,
    active: np.ndarray,
    dates: Sequence[PartialDate | None],
) -> Timeline:
    codes = np.asarray(codes, dtype=np.int8)
    weights = np.asarray(weights, dtype=float)
    active = np.asarray(active, dtype=bool)
    if len(dates) != codes.shape[0]:
        raise ValueError(f"{len(dates)} dates for {codes.shape[0]} evidence rows")
    against = cell_contributions(codes, weights, active).weighted_inconsistency
    dated = [i for i in range(len(dates)) if active[i] and dates[i] is not None]
    # sorted() is stable: items on the same date keep their matrix order.
    dated.sort(key=lambda i: dates[i])  # type: ignore[arg-type, return-value]
    rows = np.array(dated, dtype=int)
    undated = np.array([i for i in range(len(dates)) if active[i] and dates[i] is None], dtype=int)
    added = against[rows] if rows.size else np.zeros((0, codes.shape[1]))
    return Timeline(
        rows=rows,
        dates=[dates[i] for i in dated],  # type: ignore[misc]
        cumulative=np.cumsum(added, axis=0),
        added=added,
        undated_rows=undated,
        undated_total=against[undated].sum(axis=0) if undated.size else np.zeros(codes.shape[1]),
    )


def project_timeline(project, codes: np.ndarray) -> Timeline:  # noqa: ANN001 - Project
    """The timeline of one rating layer of ``project``."""
    return timeline(
        codes, project.weights(), project.active_mask(), [e.date for e in project.evidence]
    )
