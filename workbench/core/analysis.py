"""Scoring a whole project on the layer the analyst is looking at."""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.core.consensus import project_consensus
from workbench.core.model import Project
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
