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


#: Per code: the spec's value (0 where not scored), whether it is scored, and the
#: value's parts against (inconsistency) and for (consistency) a hypothesis.
_VALUE = RATING_SCALE.value_table.astype(np.int64)
_SCORED = RATING_SCALE.scored_table.astype(np.int64)
_N_CODES = len(_VALUE)
_AGAINST = np.maximum(0, -_VALUE).astype(float)
_SUPPORT = np.maximum(0, _VALUE).astype(float)


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
    active = np.asarray(active, dtype=bool)
    weighted, _ = code_totals(codes[active], np.asarray(weights, dtype=float)[active])
    return _posterior_from_totals(weighted, priors, likelihoods)


def _log_prior(n_h: int, priors: np.ndarray | None) -> np.ndarray:
    if priors is None:
        return np.full(n_h, -np.log(n_h))
    with np.errstate(divide="ignore"):
        return np.log(np.asarray(priors, dtype=float))


def _normalise(log_post: np.ndarray) -> np.ndarray:
    if not np.any(np.isfinite(log_post)):
        # Every prior is zero: there is nothing to normalise.
        return np.zeros(len(log_post))
    shifted = np.exp(log_post - np.max(log_post))
    return shifted / shifted.sum()


def _posterior_from_totals(
    weighted: np.ndarray, priors: np.ndarray | None, likelihoods: dict[Rating, float] | None
) -> np.ndarray:
    """P(h | E) from the active evidence's summed weight per code and hypothesis."""
    n_h = weighted.shape[1]
    if n_h == 0:
        return np.zeros(0)
    return _normalise(_log_prior(n_h, priors) + np.log(likelihood_table(likelihoods)) @ weighted)


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
    """Population std dev of each row's scored values; 0 with fewer than two.

    From each row's count of every rating (one ``bincount``): with n scored
    values summing to S with squares summing to Q, the variance is
    (nQ - S^2) / n^2, whose numerator is an exact integer.
    """
    codes = np.asarray(codes, dtype=np.int8)
    n_e, n_h = codes.shape
    if n_e == 0:
        return np.zeros(0)
    index = np.arange(0, n_e * _N_CODES, _N_CODES, dtype=np.intp)[:, None] + codes
    counts = np.bincount(index.ravel(), minlength=n_e * _N_CODES).reshape(n_e, _N_CODES)
    n = counts @ _SCORED
    total = counts @ _VALUE
    squares = counts @ (_VALUE * _VALUE)
    numerator = (n * squares - total * total).astype(float)
    safe = np.maximum(n, 1).astype(float)
    return np.where(n >= 2, np.sqrt(numerator) / safe, 0.0)


def code_totals(codes: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(weighted, plain): per rating code and hypothesis, the summed weight and the count.

    Shape (codes, hypotheses) each. Every column total of the scoring spec is
    a small table times these, so scoring walks the matrix once, with a
    ``bincount`` rather than a BLAS product: at 10,000 x 50 a threaded BLAS
    spends more on waking its threads than on the sums (issue 12).
    """
    codes = np.asarray(codes, dtype=np.int8)
    n_e, n_h = codes.shape
    index = codes.astype(np.intp) * n_h + np.arange(n_h, dtype=np.intp)
    flat = index.ravel()
    size = _N_CODES * n_h
    weighted = np.bincount(flat, weights=np.repeat(weights, n_h), minlength=size)
    plain = np.bincount(flat, minlength=size)
    return weighted.reshape(_N_CODES, n_h), plain.reshape(_N_CODES, n_h)


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
    counted = codes[active]
    weighted, plain = code_totals(counted, weights[active])
    inconsistency = _AGAINST @ plain
    weighted_inconsistency = _AGAINST @ weighted
    consistency = _SUPPORT @ weighted
    total_weight = _SCORED.astype(float) @ weighted
    normalized = np.divide(
        weighted_inconsistency,
        total_weight,
        out=np.zeros_like(weighted_inconsistency, dtype=float),
        where=total_weight > 0,
    )
    diag = diagnosticity(codes)
    return MatrixScores(
        inconsistency=inconsistency,
        weighted_inconsistency=weighted_inconsistency,
        consistency=consistency,
        normalized=normalized,
        posterior=_posterior_from_totals(weighted, priors, likelihoods),
        rank=rank_hypotheses(weighted_inconsistency, consistency, inconsistency),
        diagnosticity=diag,
        weighted_diagnosticity=weights * diag,
    )


class ScoreTracker:
    """The scores of one layer, kept up to date as rows change (a key press).

    Every column total is a small table times the per-code weight histogram
    (:func:`code_totals`), so a changed row comes off the histogram and goes
    back on with its new codes, and only that row's diagnosticity is
    recomputed: a key press costs the row, not the matrix. The tracker keeps
    its own copy of the codes, so it knows what a row held before.
    """

    def __init__(
        self,
        codes: np.ndarray,
        weights: np.ndarray,
        active: np.ndarray,
        priors: np.ndarray | None = None,
        likelihoods: dict[Rating, float] | None = None,
    ) -> None:
        self._codes = np.array(codes, dtype=np.int8)
        self._weights = np.asarray(weights, dtype=float)
        self._active = np.asarray(active, dtype=bool)
        self._priors = priors
        self._likelihoods = likelihoods
        self._weighted, self._plain = code_totals(
            self._codes[self._active], self._weights[self._active]
        )
        self._plain = self._plain.astype(np.int64)
        self._diagnosticity = diagnosticity(self._codes)

    def update_rows(self, rows: np.ndarray, codes: np.ndarray) -> MatrixScores:
        """Rows ``rows`` now hold ``codes`` (shape (len(rows), hypotheses)); the new scores."""
        rows = np.asarray(rows, dtype=np.intp)
        codes = np.asarray(codes, dtype=np.int8)
        counted = self._active[rows]
        old_weighted, old_plain = code_totals(
            self._codes[rows][counted], self._weights[rows][counted]
        )
        new_weighted, new_plain = code_totals(codes[counted], self._weights[rows][counted])
        self._weighted += new_weighted - old_weighted
        # What is left of a total that went back to nothing is rounding, not weight.
        self._weighted[np.abs(self._weighted) < 1e-9] = 0.0
        self._plain += new_plain - old_plain
        self._codes[rows] = codes
        self._diagnosticity[rows] = diagnosticity(codes)
        return self.scores()

    def scores(self) -> MatrixScores:
        weighted_inconsistency = _AGAINST @ self._weighted
        consistency = _SUPPORT @ self._weighted
        inconsistency = _AGAINST @ self._plain
        total_weight = _SCORED.astype(float) @ self._weighted
        normalized = np.divide(
            weighted_inconsistency,
            total_weight,
            out=np.zeros_like(weighted_inconsistency, dtype=float),
            where=total_weight > 1e-12,
        )
        diag = self._diagnosticity.copy()
        return MatrixScores(
            inconsistency=inconsistency,
            weighted_inconsistency=weighted_inconsistency,
            consistency=consistency,
            normalized=normalized,
            posterior=_posterior_from_totals(self._weighted, self._priors, self._likelihoods),
            rank=rank_hypotheses(weighted_inconsistency, consistency, inconsistency),
            diagnosticity=diag,
            weighted_diagnosticity=self._weights * diag,
        )
