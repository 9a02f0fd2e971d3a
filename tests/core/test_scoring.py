"""Each score of the spec on hand-worked matrices, plus invariants as properties."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from workbench.core.ratings import Level, Rating, evidence_weight
from workbench.core.scoring import (
    diagnosticity,
    likelihood_table,
    posteriors,
    rank_hypotheses,
    score,
)

R = Rating
LOW, MED, HIGH = 1 / math.sqrt(2), 1.0, math.sqrt(2)

# E1 (High, High)   CC  I   II
# E2 (Low, Medium)  N   C   NA
# E3 (Medium, Low)  II  II  C     <- excluded from scoring
# E4 (Medium, Med.) I   --  C     (-- = not yet rated)
CODES = np.array(
    [
        [R.CC, R.I, R.II],
        [R.N, R.C, R.NA],
        [R.II, R.II, R.C],
        [R.I, R.BLANK, R.C],
    ],
    dtype=np.int8,
)
WEIGHTS = np.array([HIGH * HIGH, LOW * MED, MED * LOW, MED * MED])
ACTIVE = np.array([True, True, False, True])


@pytest.fixture
def scores():
    return score(CODES, WEIGHTS, ACTIVE)


def test_inconsistency_counts_unweighted_steps(scores):
    assert scores.inconsistency.tolist() == [1.0, 1.0, 2.0]


def test_weighted_inconsistency(scores):
    # H1: E4 I (w 1); H2: E1 I (w 2); H3: E1 II (w 2 x 2). E3 is excluded.
    assert scores.weighted_inconsistency == pytest.approx([1.0, 2.0, 4.0], abs=1e-12)


def test_consistency(scores):
    # H1: E1 CC (2 x 2); H2: E2 C (LOW); H3: E4 C (1); E3's C is excluded.
    assert scores.consistency == pytest.approx([4.0, LOW, 1.0], abs=1e-12)


def test_normalized_divides_by_weight_of_scored_cells(scores):
    h1 = 1.0 / (2.0 + LOW + 1.0)
    h2 = 2.0 / (2.0 + LOW)  # E4 is blank for H2
    h3 = 4.0 / (2.0 + 1.0)  # E2 is NA for H3
    assert scores.normalized == pytest.approx([h1, h2, h3], abs=1e-12)


def test_rank(scores):
    assert scores.rank.tolist() == [1, 2, 3]
    assert scores.leader == 0
    assert scores.order().tolist() == [0, 1, 2]


def test_posterior_hand_computed(scores):
    log = math.log
    h1 = 2 * log(0.95) + LOW * log(0.5) + 1 * log(0.2)
    h2 = 2 * log(0.2) + LOW * log(0.8) + 1 * log(0.5)  # blank counts as Neutral
    h3 = 2 * log(0.05) + LOW * log(0.5) + 1 * log(0.8)  # NA counts as Neutral
    z = math.exp(h1) + math.exp(h2) + math.exp(h3)
    expected = [math.exp(h1) / z, math.exp(h2) / z, math.exp(h3) / z]
    assert scores.posterior == pytest.approx(expected, abs=1e-12)


def test_posterior_with_priors_and_custom_likelihoods():
    codes = np.array([[R.C, R.I]], dtype=np.int8)
    likelihoods = {R.C: 0.7, R.I: 0.4}
    post = posteriors(codes, np.array([1.0]), np.array([True]), np.array([0.25, 0.75]), likelihoods)
    a, b = 0.25 * 0.7, 0.75 * 0.4
    assert post == pytest.approx([a / (a + b), b / (a + b)], abs=1e-12)


def test_diagnosticity_population_std_over_scored(scores):
    e1 = math.sqrt(78 / 27)  # values 2, -1, -2
    assert scores.diagnosticity == pytest.approx([e1, 0.5, math.sqrt(2), 1.0], abs=1e-12)
    assert scores.weighted_diagnosticity == pytest.approx(
        [2 * e1, LOW * 0.5, LOW * math.sqrt(2), 1.0], abs=1e-12
    )


def test_diagnosticity_zero_below_two_scored():
    codes = np.array([[R.C, R.NA, R.BLANK], [R.I, R.I, R.I]], dtype=np.int8)
    assert diagnosticity(codes).tolist() == [0.0, 0.0]


def test_rank_tie_breaks_in_spec_order():
    wi = np.array([1.0, 1.0, 1.0, 0.5])
    consistency = np.array([1.0, 2.0, 2.0, 0.0])
    inconsistency = np.array([1.0, 3.0, 2.0, 9.0])
    # H4 lowest WI; then H3 (more consistent than H1, fewer steps than H2), H2, H1.
    assert rank_hypotheses(wi, consistency, inconsistency).tolist() == [4, 3, 2, 1]


def test_rank_compares_after_rounding_to_nine_decimals():
    wi = np.array([0.1 + 0.2, 0.3])  # 0.30000000000000004 vs 0.3
    rank = rank_hypotheses(wi, np.zeros(2), np.zeros(2))
    assert rank.tolist() == [1, 2]  # a tie: position decides


def test_no_scored_cell_gives_zero_normalized():
    codes = np.array([[R.NA, R.BLANK]], dtype=np.int8)
    result = score(codes, np.array([1.0]), np.array([True]))
    assert result.normalized.tolist() == [0.0, 0.0]
    assert result.posterior == pytest.approx([0.5, 0.5])


def test_empty_matrix():
    result = score(np.zeros((0, 3), dtype=np.int8), np.zeros(0), np.zeros(0, dtype=bool))
    assert result.weighted_inconsistency.tolist() == [0.0, 0.0, 0.0]
    assert result.rank.tolist() == [1, 2, 3]
    assert result.posterior == pytest.approx([1 / 3] * 3)


def test_posterior_survives_ten_thousand_rows():
    rng = np.random.default_rng(1)
    codes = rng.integers(2, 7, size=(10_000, 5)).astype(np.int8)
    post = posteriors(codes, np.full(10_000, 2.0), np.ones(10_000, bool))
    assert np.all(np.isfinite(post))
    assert post.sum() == pytest.approx(1.0)
    assert post.max() > 0


# -- properties -----------------------------------------------------------------

weights_levels = st.sampled_from([evidence_weight(a, b) for a in Level for b in Level])


@st.composite
def matrices(draw, max_rows=12, max_cols=6):
    rows = draw(st.integers(0, max_rows))
    cols = draw(st.integers(1, max_cols))
    codes = draw(arrays(np.int8, (rows, cols), elements=st.integers(0, 6)))
    weights = np.array(draw(st.lists(weights_levels, min_size=rows, max_size=rows)), dtype=float)
    active = np.array(draw(st.lists(st.booleans(), min_size=rows, max_size=rows)), dtype=bool)
    return codes, weights, active


@given(matrices())
def test_scores_are_non_negative_and_posteriors_sum_to_one(m):
    s = score(*m)
    for name in ("inconsistency", "weighted_inconsistency", "consistency", "normalized"):
        assert np.all(getattr(s, name) >= 0), name
    assert np.all(s.normalized <= 2.0 + 1e-12)
    assert s.posterior.sum() == pytest.approx(1.0)
    assert sorted(s.rank.tolist()) == list(range(1, m[0].shape[1] + 1))


@given(matrices(), st.randoms(use_true_random=False))
def test_permuting_evidence_changes_no_hypothesis_score(m, rnd):
    codes, weights, active = m
    order = list(range(codes.shape[0]))
    rnd.shuffle(order)
    a, b = score(codes, weights, active), score(codes[order], weights[order], active[order])
    for name in ("inconsistency", "weighted_inconsistency", "consistency", "normalized"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), atol=1e-9)
    np.testing.assert_allclose(a.posterior, b.posterior, atol=1e-9)
    assert a.rank.tolist() == b.rank.tolist()
    np.testing.assert_allclose(a.diagnosticity[order], b.diagnosticity, atol=1e-12)


@given(matrices(), st.sampled_from([Rating.NA, Rating.BLANK]))
def test_adding_an_unscored_column_changes_nothing_else(m, filler):
    codes, weights, active = m
    wider = np.hstack([codes, np.full((codes.shape[0], 1), filler, dtype=np.int8)])
    a, b = score(codes, weights, active), score(wider, weights, active)
    for name in ("inconsistency", "weighted_inconsistency", "consistency", "normalized"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name)[:-1], atol=1e-12)
    np.testing.assert_allclose(a.diagnosticity, b.diagnosticity, atol=1e-12)
    # Relative posteriors of the old hypotheses are unchanged.
    np.testing.assert_allclose(a.posterior, b.posterior[:-1] / b.posterior[:-1].sum(), atol=1e-9)


@given(matrices())
@settings(max_examples=50)
def test_excluding_an_item_equals_deleting_it(m):
    codes, weights, active = m
    a = score(codes, weights, active)
    b = score(codes[active], weights[active], np.ones(int(active.sum()), dtype=bool))
    for name in ("weighted_inconsistency", "consistency", "normalized", "posterior"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), atol=1e-9)


# -- the histogram scoring against the plain formulas ---------------------------------------


def _reference_scores(codes, weights, active, priors):
    """The spec's formulas written out cell by cell in numpy (the pre-issue-12 code)."""
    v = np.where(codes >= Rating.II, codes.astype(float) - int(Rating.N), 0.0)
    scored = codes >= Rating.II
    counted = scored & active[:, None]
    against = np.where(counted, np.maximum(0.0, -v), 0.0)
    support = np.where(counted, np.maximum(0.0, v), 0.0)
    wi, con = weights @ against, weights @ support
    count = scored.sum(axis=1)
    safe = np.maximum(count, 1)
    mean = (v.sum(axis=1) / safe)[:, None]
    var = (((v - mean) ** 2) * scored).sum(axis=1) / safe
    diag = np.where(count >= 2, np.sqrt(var), 0.0)
    log_l = np.log(likelihood_table())[codes]
    log_prior = np.log(priors) if priors is not None else np.full(codes.shape[1], 0.0)
    log_post = log_prior + np.where(active, weights, 0.0) @ log_l
    post = np.exp(log_post - log_post.max())
    return against.sum(axis=0), wi, con, diag, post / post.sum()


@settings(max_examples=200, deadline=None)
@given(
    shape=st.tuples(st.integers(0, 30), st.integers(1, 8)),
    seed=st.integers(0, 2**32 - 1),
    with_priors=st.booleans(),
)
def test_histogram_scoring_equals_the_cell_by_cell_formulas(shape, seed, with_priors):
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, len(Rating), shape).astype(np.int8)
    weights = rng.choice([0.5, 1 / np.sqrt(2), 1.0, np.sqrt(2), 2.0], shape[0])
    active = rng.random(shape[0]) < 0.8
    priors = rng.dirichlet(np.ones(shape[1])) if with_priors else None
    got = score(codes, weights, active, priors)
    inc, wi, con, diag, post = _reference_scores(codes, weights, active, priors)
    assert np.allclose(got.inconsistency, inc)
    assert np.allclose(got.weighted_inconsistency, wi)
    assert np.allclose(got.consistency, con)
    assert np.allclose(got.diagnosticity, diag)
    assert np.allclose(got.posterior, post)
    assert np.allclose(got.weighted_diagnosticity, weights * diag)


@settings(max_examples=150, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 25), st.integers(1, 7)),
    seed=st.integers(0, 2**32 - 1),
    n_updates=st.integers(1, 12),
    with_priors=st.booleans(),
)
def test_scores_kept_up_to_date_row_by_row_equal_a_full_recompute(
    shape, seed, n_updates, with_priors
):
    from workbench.core.scoring import ScoreTracker

    rng = np.random.default_rng(seed)
    codes = rng.integers(0, len(Rating), shape).astype(np.int8)
    weights = rng.choice([0.5, 1 / np.sqrt(2), 1.0, np.sqrt(2), 2.0], shape[0])
    active = rng.random(shape[0]) < 0.8
    priors = rng.dirichlet(np.ones(shape[1])) if with_priors else None
    tracker = ScoreTracker(codes, weights, active, priors)
    for _ in range(n_updates):
        rows = np.unique(rng.integers(0, shape[0], rng.integers(1, 4)))
        new = rng.integers(0, len(Rating), (len(rows), shape[1])).astype(np.int8)
        codes[rows] = new
        got = tracker.update_rows(rows, new)
        full = score(codes, weights, active, priors)
        assert np.array_equal(got.rank, full.rank)
        assert np.array_equal(got.inconsistency, full.inconsistency)
        for name in (
            "weighted_inconsistency",
            "consistency",
            "normalized",
            "posterior",
            "diagnosticity",
            "weighted_diagnosticity",
        ):
            assert np.allclose(getattr(got, name), getattr(full, name), atol=1e-9), name
