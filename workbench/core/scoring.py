"""Every score in the scoring spec, sections 3 and 4, vectorised with numpy.

The functions take plain arrays so that the same code scores a project, a
single analyst's layer, the team consensus, or a what-if copy made by the
sensitivity analysis. ``codes`` is always an int8 matrix of :class:`Rating`
values, shape (evidence, hypotheses).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from workbench.core.ratings import DEFAULT_LIKELIHOODS, RATING_SCALE, Rating

#: Decimals used when comparing floats for ranking (spec: round to 9 decimals).
RANK_DECIMALS = 9


@dataclasses.dataclass(frozen=True)
class MatrixScores:
    """Scores of one rating layer. Arrays are in matrix order."""

    inconsistency: np.ndarray
    weighted_inconsistency: np.ndarray
    consistency: np.ndarray
    normalized: np.ndarray
    posterior: np.ndarray
    #: 1 = most likely (least inconsistent).
    rank: np.ndarray
    diagnosticity: np.ndarray
    weighted_diagnosticity: np.ndarray

    @property
    def leader(self) -> int:
        """Column index of the rank-1 hypothesis (-1 when there is none)."""
        hits = np.flatnonzero(self.rank == 1)
        return int(hits[0]) if hits.size else -1

    def order(self) -> np.ndarray:
        """Column indices from rank 1 downwards."""
        return np.argsort(self.rank, kind="stable")


def values(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(v, scored): v is the spec's value (0 where not scored), scored a mask."""
    codes = np.asarray(codes, dtype=np.int8)
    return RATING_SCALE.values_of(codes).astype(float), RATING_SCALE.scored_of(codes)


@dataclasses.dataclass(frozen=True)
class Totals:
    """The three ranking totals per hypothesis (last axis), for one or many what-ifs."""

    weighted_inconsistency: np.ndarray
    consistency: np.ndarray
    inconsistency: np.ndarray


def cell_contributions(codes: np.ndarray, weights: np.ndarray, active: np.ndarray) -> Totals:
    """What each cell adds to each total, shape (evidence, hypotheses)."""
    v, scored = values(codes)
    counted = scored & np.asarray(active, dtype=bool)[:, None]
    against = np.where(counted, np.maximum(0.0, -v), 0.0)
    support = np.where(counted, np.maximum(0.0, v), 0.0)
    w = np.asarray(weights, dtype=float)[:, None]
    return Totals(w * against, w * support, against)


def likelihood_table(likelihoods: dict[Rating, float] | None = None) -> np.ndarray:
    """A lookup from code index to L; NA and blank count as Neutral (spec 3)."""
    table = dict(DEFAULT_LIKELIHOODS)
    table.update(likelihoods or {})
    out = np.empty(len(Rating), dtype=float)
    for rating in Rating:
        out[rating] = table[rating] if rating.is_scored else table[Rating.N]
    if np.any(out <= 0) or np.any(out > 1):
        raise ValueError("every likelihood must be in (0, 1]")
    return out


def rank_hypotheses(
    weighted_inconsistency: np.ndarray, consistency: np.ndarray, inconsistency: np.ndarray
) -> np.ndarray:
    """1-based rank: WI ascending, consistency descending, inconsistency ascending, position."""
    n = len(weighted_inconsistency)
    position = np.arange(n)
    # np.lexsort sorts by the last key first.
    order = np.lexsort(
        (
            position,
            np.round(inconsistency, RANK_DECIMALS),
            -np.round(consistency, RANK_DECIMALS),
            np.round(weighted_inconsistency, RANK_DECIMALS),
        )
    )
    rank = np.empty(n, dtype=int)
    rank[order] = np.arange(1, n + 1)
    return rank


def posteriors(
    codes: np.ndarray,
    weights: np.ndarray,
    active: np.ndarray,
    priors: np.ndarray | None = None,
    likelihoods: dict[Rating, float] | None = None,
) -> np.ndarray:
    """P(h | E) in log space so that 10,000 rows never underflow (spec 3)."""
    codes = np.asarray(codes, dtype=np.int8)
    n_h = codes.shape[1]
    if n_h == 0:
        return np.zeros(0)
    if priors is None:
        log_prior = np.full(n_h, -np.log(n_h))
    else:
        priors = np.asarray(priors, dtype=float)
        with np.errstate(divide="ignore"):
            log_prior = np.log(priors)
    log_l = np.log(likelihood_table(likelihoods))[codes]
    w = np.where(active, weights, 0.0)
    log_post = log_prior + w @ log_l if codes.shape[0] else log_prior.copy()
    if not np.any(np.isfinite(log_post)):
        # Every prior is zero: there is nothing to normalise.
        return np.zeros(n_h)
    top = np.max(log_post)
    shifted = np.exp(log_post - top)
    return shifted / shifted.sum()


def scored_std(codes: np.ndarray, axis: int) -> np.ndarray:
    """Population std dev of the scored values along ``axis``; 0 with fewer than two.

    Diagnosticity (spec 4) is this across a row's hypotheses; the spread of a
    cell (spec 5) is this across the analysts' layers.
    """
    v, scored = values(codes)
    count = scored.sum(axis=axis)
    safe = np.maximum(count, 1)
    mean = np.expand_dims(v.sum(axis=axis) / safe, axis)
    var = (((v - mean) ** 2) * scored).sum(axis=axis) / safe
    return np.where(count >= 2, np.sqrt(var), 0.0)


def diagnosticity(codes: np.ndarray) -> np.ndarray:
    """Population std dev of each row's scored values; 0 with fewer than two."""
    return scored_std(codes, axis=1)


def score(
    codes: np.ndarray,
    weights: np.ndarray,
    active: np.ndarray,
    priors: np.ndarray | None = None,
    likelihoods: dict[Rating, float] | None = None,
) -> MatrixScores:
    """All hypothesis and evidence scores of one layer."""
    codes = np.asarray(codes, dtype=np.int8)
    weights = np.asarray(weights, dtype=float)
    active = np.asarray(active, dtype=bool)
    v, scored = values(codes)
    counted = scored & active[:, None]
    against = np.where(counted, np.maximum(0.0, -v), 0.0)
    support = np.where(counted, np.maximum(0.0, v), 0.0)
    inconsistency = against.sum(axis=0)
    weighted_inconsistency = weights @ against if codes.shape[0] else np.zeros(codes.shape[1])
    consistency = weights @ support if codes.shape[0] else np.zeros(codes.shape[1])
    total_weight = weights @ counted if codes.shape[0] else np.zeros(codes.shape[1])
    normalized = np.divide(
        weighted_inconsistency,
        total_weight,
        out=np.zeros_like(weighted_inconsistency, dtype=float),
        where=total_weight > 0,
    )
    diag = diagnosticity(codes)
    return MatrixScores(
        inconsistency=inconsistency,
        weighted_inconsistency=np.asarray(weighted_inconsistency, dtype=float),
        consistency=np.asarray(consistency, dtype=float),
        normalized=normalized,
        posterior=posteriors(codes, weights, active, priors, likelihoods),
        rank=rank_hypotheses(weighted_inconsistency, consistency, inconsistency),
        diagnosticity=diag,
        weighted_diagnosticity=weights * diag,
    )
