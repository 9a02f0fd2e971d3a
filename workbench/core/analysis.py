"""Scoring a whole project on the layer the analyst is looking at."""

from __future__ import annotations

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
