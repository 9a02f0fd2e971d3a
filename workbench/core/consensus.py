"""Several analysts: consensus, spread and disputed cells (scoring spec section 5)."""

from __future__ import annotations

import enum

import numpy as np

from workbench.core.model import Project
from workbench.core.ratings import Rating


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
    scored = stack >= Rating.II
    n_scored = scored.sum(axis=0)
    n_na = (stack == Rating.NA).sum(axis=0)
    total = np.where(scored, stack.astype(np.int32) - int(Rating.N), 0).sum(axis=0)
    # Mean rounded to nearest, halves toward zero, in integers: for mean = t/n,
    # round = sign(t) * ceil(|t|/n - 1/2) = sign(t) * ceil((2|t| - n) / 2n).
    safe_n = np.maximum(n_scored, 1)
    magnitude = -((-(2 * np.abs(total) - safe_n)) // (2 * safe_n))
    magnitude = np.maximum(magnitude, 0)
    rounded = np.sign(total) * magnitude
    out = (rounded + int(Rating.N)).astype(np.int8)
    out = np.where(n_scored == 0, np.int8(Rating.BLANK), out)
    out = np.where((n_na > n_scored), np.int8(Rating.NA), out)
    return out.astype(np.int8)


def spread(layers: list[np.ndarray], shape: tuple[int, int]) -> np.ndarray:
    """Population std dev of each cell's scored values (0 where fewer than two)."""
    stack = _stack(layers, shape)
    scored = stack >= Rating.II
    v = np.where(scored, stack.astype(float) - int(Rating.N), 0.0)
    n = scored.sum(axis=0)
    safe = np.maximum(n, 1)
    mean = v.sum(axis=0) / safe
    var = (((v - mean) ** 2) * scored).sum(axis=0) / safe
    return np.where(n >= 2, np.sqrt(var), 0.0)


def disputed(layers: list[np.ndarray], shape: tuple[int, int]) -> np.ndarray:
    """True where one analyst says consistent and another inconsistent."""
    stack = _stack(layers, shape)
    pro = (stack >= Rating.C).any(axis=0)
    con = ((stack == Rating.I) | (stack == Rating.II)).any(axis=0)
    return pro & con


def project_consensus(project: Project) -> np.ndarray:
    """The team layer: computed consensus with the facilitator's overrides on top."""
    shape = (len(project.evidence), len(project.hypotheses))
    layers = [project.layers[a.id] for a in project.analysts]
    out = consensus_codes(layers, shape)
    if project.overrides:
        rows = {e.id: i for i, e in enumerate(project.evidence)}
        cols = {h.id: j for j, h in enumerate(project.hypotheses)}
        for (eid, hid), override in project.overrides.items():
            if eid in rows and hid in cols:
                out[rows[eid], cols[hid]] = int(override.rating)
    return out
