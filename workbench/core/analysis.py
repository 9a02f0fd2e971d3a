"""Scoring a whole project on the layer the analyst is looking at."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from workbench.core.consensus import project_consensus
from workbench.core.model import EvidenceType, Project
from workbench.core.scoring import MatrixScores, score

#: The layer key for the team consensus; any other key is an analyst id.
CONSENSUS = "consensus"

LayerKey = int | str


def layer_codes(project: Project, layer: LayerKey = CONSENSUS) -> np.ndarray:
    """The rating matrix of one analyst, or the team consensus."""
    if layer == CONSENSUS:
        return project_consensus(project)
    return project.layer(int(layer))


def score_project(project: Project, layer: LayerKey = CONSENSUS) -> MatrixScores:
    return score(
        layer_codes(project, layer),
        project.weights(),
        project.active_mask(),
        project.priors(),
        project.likelihoods,
    )


def score_report(project: Project, layer: LayerKey = CONSENSUS) -> dict[str, Any]:
    """The ``score --json`` document (a contract, issue 2): keys in this order,
    hypotheses and evidence in matrix order; ``classification`` (issue 10, last) is
    the project's marking, "" when it has none."""
    scores = score_project(project, layer)
    return {
        "project": project.title,
        "hypotheses": [
            {
                "code": h.code,
                "title": h.title,
                "inconsistency": float(scores.inconsistency[j]),
                "weighted_inconsistency": float(scores.weighted_inconsistency[j]),
                "consistency": float(scores.consistency[j]),
                "normalized": float(scores.normalized[j]),
                "posterior": float(scores.posterior[j]),
                "rank": int(scores.rank[j]),
            }
            for j, h in enumerate(project.hypotheses)
        ],
        "evidence": [
            {
                "code": e.code,
                "title": e.title,
                "diagnosticity": float(scores.diagnosticity[i]),
                "weighted_diagnosticity": float(scores.weighted_diagnosticity[i]),
                "active": e.active,
            }
            for i, e in enumerate(project.evidence)
        ],
        # Last, so the keys before it keep their place for existing scripts.
        "classification": project.classification,
    }


@dataclasses.dataclass(frozen=True)
class Reading:
    """The ranking when a chosen set of conclusions and assumptions counts."""

    label: str
    #: Codes of the conclusion and assumption items counted in this reading.
    counted: tuple[str, ...]
    #: Column of rank 1 and rank 2 (-1 when there is no such hypothesis).
    leader: int
    runner_up: int
    #: WI(runner-up) - WI(leader): how far ahead the leader is.
    margin: float
    weighted_inconsistency: np.ndarray


def reasoning_rows(project: Project, kind: EvidenceType) -> list[int]:
    """Rows of one type that do not count by default (conclusions, assumptions)."""
    return [i for i, e in enumerate(project.evidence) if e.type is kind]


def lead_basis(project: Project, layer: LayerKey = CONSENSUS) -> list[Reading]:
    """What the lead rests on: the ranking on the observations alone, then with
    the assumptions, the conclusions, and both added back (switched on whatever
    their own setting). Observations are the active items of the other types,
    so an analyst's exclusions still hold. Empty when there is nothing to add."""
    conclusions = reasoning_rows(project, EvidenceType.CONCLUSION)
    assumptions = reasoning_rows(project, EvidenceType.ASSUMPTION)
    if not (conclusions or assumptions) or not project.hypotheses:
        return []
    codes = layer_codes(project, layer)
    weights = project.weights()
    observed = np.array(
        [e.active and e.type.counts_by_default for e in project.evidence], dtype=bool
    )
    variants: list[tuple[str, list[int]]] = [("Observations only", [])]
    if assumptions:
        variants.append(("Observations and assumptions", assumptions))
    if conclusions:
        variants.append(("Observations and conclusions", conclusions))
    if assumptions and conclusions:
        variants.append(("Observations, assumptions and conclusions", assumptions + conclusions))
    readings = []
    for label, rows in variants:
        mask = observed.copy()
        mask[rows] = True
        scores = score(codes, weights, mask, project.priors(), project.likelihoods)
        order = scores.order()
        leader = int(order[0])
        runner_up = int(order[1]) if len(order) > 1 else -1
        wi = scores.weighted_inconsistency
        margin = float(wi[runner_up] - wi[leader]) if runner_up >= 0 else 0.0
        counted = tuple(project.evidence[i].code for i in sorted(rows))
        readings.append(Reading(label, counted, leader, runner_up, margin, wi.copy()))
    return readings
