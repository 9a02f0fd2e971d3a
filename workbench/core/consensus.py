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


#: Per rating code: its value (0 where not scored), whether it is scored, whether NA.
_VALUE = RATING_SCALE.value_table.astype(np.int64)
_SCORED = RATING_SCALE.scored_table.astype(np.int64)
_IS_NA = (np.arange(len(_VALUE)) == Rating.NA).astype(np.int64)
#: Up to this many layers, a cell's (sum, scored, NA) packs into one table index.
_TABLE_LAYERS = 40


def _packing(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(per-code index part, table index -> consensus code) for ``n`` layers.

    A cell's summed value lies in n*min..n*max, its scored and NA counts in
    0..n: counted in mixed radix they make one index, and the consensus of
    every possible cell is tabulated once. Summing each layer's index parts
    then costs one lookup and one add per layer; a second lookup gives the codes.
    """
    low, span = RATING_SCALE.min_value, RATING_SCALE.max_value - RATING_SCALE.min_value
    radix_value, radix_count = span * n + 1, n + 1
    part = (_VALUE - low) + radix_value * _SCORED + radix_value * radix_count * _IS_NA
    index = np.arange(radix_value * radix_count * radix_count)
    total = index % radix_value + low * n
    n_scored = (index // radix_value) % radix_count
    n_na = index // (radix_value * radix_count)
    dtype = np.uint16 if len(index) < 2**16 else np.uint32
    return part.astype(dtype), consensus_from_counts(total, n_scored, n_na)


def consensus_codes(layers: list[np.ndarray], shape: tuple[int, int]) -> np.ndarray:
    """The computed consensus of a stack of layers, before any facilitator override.

    The layers are added one at a time (no stack of every layer is made), so
    ten 50,000 x 50 layers need a few cell-sized arrays, not bytes per rating.
    """
    if len(layers) == 1:
        return np.asarray(layers[0], dtype=np.int8).copy()
    if not layers:
        return np.zeros(shape, dtype=np.int8)
    if len(layers) <= _TABLE_LAYERS:
        part, table = _packing(len(layers))
        index = np.zeros(shape, dtype=part.dtype)
        for layer in layers:
            index += part[np.asarray(layer, dtype=np.int8)]
        return table[index]
    total = np.zeros(shape, dtype=np.int32)
    n_scored = np.zeros(shape, dtype=np.int32)
    n_na = np.zeros(shape, dtype=np.int32)
    for layer in layers:
        codes = np.asarray(layer, dtype=np.int8)
        total += _VALUE[codes]
        n_scored += _SCORED[codes]
        n_na += _IS_NA[codes]
    return consensus_from_counts(total, n_scored, n_na)


def consensus_from_counts(total: np.ndarray, n_scored: np.ndarray, n_na: np.ndarray) -> np.ndarray:
    """Consensus codes from each cell's summed value and its counts of scored and NA ratings."""
    total = total.astype(np.int32)
    n_scored = n_scored.astype(np.int32)
    # Mean rounded to nearest, halves toward zero, in integers: for mean = t/n,
    # round = sign(t) * ceil(|t|/n - 1/2) = sign(t) * ceil((2|t| - n) / 2n).
    safe_n = np.maximum(n_scored, 1)
    magnitude = -((-(2 * np.abs(total) - safe_n)) // (2 * safe_n))
    magnitude = np.maximum(magnitude, 0)
    out = (np.sign(total) * magnitude + int(Rating.N)).astype(np.int8)
    out[n_scored == 0] = Rating.BLANK
    out[n_na > n_scored] = Rating.NA
    return out


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


def project_consensus_rows(project: Project, rows: np.ndarray) -> np.ndarray:
    """The team layer's rows ``rows`` only (what a key press changes), overrides on top.

    The same rule as :func:`project_consensus`, applied to a few rows: a key
    press at 10,000 x 50 x 10 recomputes one row, not five million ratings.
    """
    rows = np.asarray(rows, dtype=np.intp)
    layers = [project.layers[a.id][rows] for a in project.analysts]
    out = consensus_codes(layers, (len(rows), len(project.hypotheses)))
    if project.overrides:
        position = {project.evidence[int(r)].id: k for k, r in enumerate(rows)}
        hits = [(e, h, o) for (e, h), o in project.overrides.items() if e in position]
        if hits:
            columns = {h.id: j for j, h in enumerate(project.hypotheses)}
            for e, h, override in hits:
                if h in columns:
                    out[position[e], columns[h]] = int(override.rating)
    return out
