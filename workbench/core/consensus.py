"""Several analysts: consensus, spread and disputed cells (scoring spec section 5)."""

from __future__ import annotations

import enum

import numpy as np

from workbench.core.model import Project
from workbench.core.ratings import RATING_SCALE, Rating
from workbench.core.scoring import scored_std


class SpreadLevel(enum.StrEnum):
    AGREEMENT = "agreement"
    MILD = "mild"
    LARGE = "large"
    EXTREME = "extreme"


def spread_level(spread: float) -> SpreadLevel:
    if spread <= 0:
        return SpreadLevel.AGREEMENT
    if spread <= 0.5:
        return SpreadLevel.MILD
    if spread <= 1.0:
        return SpreadLevel.LARGE
    return SpreadLevel.EXTREME


def _stack(layers: list[np.ndarray], shape: tuple[int, int]) -> np.ndarray:
    if not layers:
        return np.zeros((0, *shape), dtype=np.int8)
    return np.stack([np.asarray(x, dtype=np.int8) for x in layers])


def consensus_codes(layers: list[np.ndarray], shape: tuple[int, int]) -> np.ndarray:
    """The computed consensus of a stack of layers, before any facilitator override."""
    stack = _stack(layers, shape)
    if stack.shape[0] == 1:
        return stack[0].copy()
    scored = RATING_SCALE.scored_of(stack)
    n_scored = scored.sum(axis=0)
    n_na = (stack == Rating.NA).sum(axis=0)
    total = RATING_SCALE.values_of(stack).astype(np.int32).sum(axis=0)
    # Mean rounded to nearest, halves toward zero, in integers: for mean = t/n,
    # round = sign(t) * ceil(|t|/n - 1/2) = sign(t) * ceil((2|t| - n) / 2n).
    safe_n = np.maximum(n_scored, 1)
    magnitude = -((-(2 * np.abs(total) - safe_n)) // (2 * safe_n))
    magnitude = np.maximum(magnitude, 0)
    rounded = np.sign(total) * magnitude
    out = RATING_SCALE.codes_of(rounded)
    out = np.where(n_scored == 0, np.int8(Rating.BLANK), out)
    out = np.where((n_na > n_scored), np.int8(Rating.NA), out)
    return out.astype(np.int8)


def spread(layers: list[np.ndarray], shape: tuple[int, int]) -> np.ndarray:
    """Population std dev of each cell's scored values (0 where fewer than two)."""
    return scored_std(_stack(layers, shape), axis=0)


def disputed(layers: list[np.ndarray], shape: tuple[int, int]) -> np.ndarray:
    """True where one analyst says consistent and another inconsistent."""
    stack = _stack(layers, shape)
    value = RATING_SCALE.values_of(stack)
    pro = (value > 0).any(axis=0)
    con = (value < 0).any(axis=0)
    return np.asarray(pro & con)


def overrides_at(project: Project) -> list[tuple[int, int, Rating]]:
    """(row, column, rating) of each hand-set consensus still in the matrix."""
    if not project.overrides:
        return []
    rows = {e.id: i for i, e in enumerate(project.evidence)}
    columns = {h.id: j for j, h in enumerate(project.hypotheses)}
    return [
        (rows[e], columns[h], override.rating)
        for (e, h), override in project.overrides.items()
        if e in rows and h in columns
    ]


def project_consensus(project: Project) -> np.ndarray:
    """The team layer: computed consensus with the facilitator's overrides on top."""
    shape = (len(project.evidence), len(project.hypotheses))
    layers = [project.layers[a.id] for a in project.analysts]
    out = consensus_codes(layers, shape)
    for row, column, rating in overrides_at(project):
        out[row, column] = int(rating)
    return out
