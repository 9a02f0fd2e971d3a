"""The consensus rule of scoring spec section 5, cell by cell and against a reference."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.core.analysis import CONSENSUS, layer_codes, score_project
from workbench.core.consensus import (
    SpreadLevel,
    consensus_codes,
    disputed,
    project_consensus,
    spread,
    spread_level,
)
from workbench.core.edits import RemoveEvidence, SetOverride
from workbench.core.model import Analyst, ConsensusOverride, Evidence, Hypothesis, Project
from workbench.core.ratings import Rating

CC, C, N, I, II, NA, BLANK = (
    Rating.CC,
    Rating.C,
    Rating.N,
    Rating.I,
    Rating.II,
    Rating.NA,
    Rating.BLANK,
)


def one_cell(*ratings: Rating) -> tuple[Rating, float, bool]:
    """Consensus, spread and disputed of a single cell rated by len(ratings) analysts."""
    layers = [np.array([[int(r)]], dtype=np.int8) for r in ratings]
    return (
        Rating(int(consensus_codes(layers, (1, 1))[0, 0])),
        float(spread(layers, (1, 1))[0, 0]),
        bool(disputed(layers, (1, 1))[0, 0]),
    )


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ((C, I), N),  # the spec's own example: mean 0
        ((CC, C), C),  # mean 1.5, the half goes toward zero
        ((II, I), I),  # mean -1.5, toward zero
        ((C, N), N),  # mean 0.5 -> 0
        ((I, N), N),  # mean -0.5 -> 0
        ((CC, C, C), C),  # 4/3 -> 1
        ((CC, CC, C), CC),  # 5/3 -> 2
        ((CC, II), N),
        ((CC, N, N, N), N),  # 0.5 -> 0
        ((CC, C, N), C),  # 1.0
        ((BLANK, C), C),  # blanks are ignored
        ((BLANK, BLANK), BLANK),  # nobody rated it
        ((NA, NA, C), NA),  # more NA than scored
        ((NA, C), C),  # a tie of NA and scored: scored wins
        ((NA, NA, C, I), N),  # a tie again: the mean of the scored
        ((NA, BLANK), NA),
        ((NA, NA, NA), NA),
    ],
)
def test_consensus_rule(ratings: tuple[Rating, ...], expected: Rating) -> None:
    assert one_cell(*ratings)[0] == expected


def test_one_analyst_is_their_own_consensus() -> None:
    layer = np.array([[CC, C, N, I, II, NA, BLANK]], dtype=np.int8)
    assert np.array_equal(consensus_codes([layer], layer.shape), layer)


def test_no_analyst_gives_a_blank_consensus() -> None:
    assert np.array_equal(consensus_codes([], (2, 3)), np.zeros((2, 3), dtype=np.int8))
    assert not spread([], (2, 3)).any()
    assert not disputed([], (2, 3)).any()


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ((C, I), 1.0),  # values +1, -1: mean 0, deviations 1
        ((CC, C), 0.5),
        ((CC, II), 2.0),
        ((C, C, C), 0.0),
        ((C, I, C), math.sqrt(8) / 3),  # mean 1/3: (4/9 + 16/9 + 4/9) / 3 = 8/9
        ((C, NA), 0.0),  # one scored value has no spread
        ((C, BLANK, I), 1.0),
    ],
)
def test_spread_is_the_population_std_dev_of_scored_values(
    ratings: tuple[Rating, ...], expected: float
) -> None:
    assert one_cell(*ratings)[1] == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (0.0, SpreadLevel.AGREEMENT),
        (1e-9, SpreadLevel.MILD),
        (0.5, SpreadLevel.MILD),
        (0.5000001, SpreadLevel.LARGE),
        (1.0, SpreadLevel.LARGE),
        (1.0000001, SpreadLevel.EXTREME),
        (2.0, SpreadLevel.EXTREME),
    ],
)
def test_spread_levels_have_closed_upper_bounds(value: float, level: SpreadLevel) -> None:
    assert spread_level(value) is level


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ((C, I), True),
        ((CC, II), True),
        ((C, N, II), True),
        ((C, CC), False),
        ((N, I), False),
        ((NA, C), False),
        ((BLANK, I), False),
    ],
)
def test_disputed_needs_one_consistent_and_one_inconsistent(
    ratings: tuple[Rating, ...], expected: bool
) -> None:
    assert one_cell(*ratings)[2] is expected


def reference_consensus(ratings: list[Rating]) -> Rating:
    """The spec read literally, with exact fractions, one cell at a time."""
    scored = [r.numeric for r in ratings if r.is_scored]
    n_na = sum(1 for r in ratings if r == NA)
    if not scored and not n_na:
        return BLANK
    if n_na > len(scored):
        return NA
    mean = Fraction(sum(scored), len(scored))
    magnitude = abs(mean)
    rounded = math.floor(magnitude)
    if magnitude - rounded > Fraction(1, 2):
        rounded += 1
    return Rating(int(N) + (rounded if mean >= 0 else -rounded))


def reference_spread(ratings: list[Rating]) -> float:
    scored = [r.numeric for r in ratings if r.is_scored]
    if len(scored) < 2:
        return 0.0
    mean = sum(scored) / len(scored)
    return math.sqrt(sum((v - mean) ** 2 for v in scored) / len(scored))


cells = st.lists(st.sampled_from(list(Rating)), min_size=1, max_size=9)


@given(st.lists(cells, min_size=1, max_size=12))
def test_vectorised_rule_matches_the_literal_spec(columns: list[list[Rating]]) -> None:
    n_analysts = max(len(c) for c in columns)
    padded = [c + [BLANK] * (n_analysts - len(c)) for c in columns]
    layers = [np.array([[int(c[a]) for c in padded]], dtype=np.int8) for a in range(n_analysts)]
    shape = (1, len(columns))
    got_consensus = consensus_codes(layers, shape)[0]
    got_spread = spread(layers, shape)[0]
    for j, cell in enumerate(padded):
        assert Rating(int(got_consensus[j])) == reference_consensus(cell)
        assert got_spread[j] == pytest.approx(reference_spread(cell), abs=1e-12)


def two_analyst_project() -> Project:
    """E1 x H1, H2 rated by Ana (C, I) and Ben (I, I): consensus N, I."""
    project = Project(title="Override")
    for k in (1, 2):
        project.insert_hypothesis(k - 1, Hypothesis(project.new_id(), f"H{k}", f"Hyp {k}"))
    project.insert_evidence(0, Evidence(project.new_id(), "E1", "Item"))
    for name, row in (("Ana", [C, I]), ("Ben", [I, I])):
        project.add_analyst(Analyst(project.new_id(), name), np.array([row], dtype=np.int8))
    return project


def test_an_override_replaces_the_computed_consensus_and_changes_the_scores() -> None:
    project = two_analyst_project()
    e1 = project.evidence[0].id
    h1, h2 = (h.id for h in project.hypotheses)
    assert project_consensus(project).tolist() == [[N, I]]
    before = score_project(project, CONSENSUS)
    assert before.weighted_inconsistency.tolist() == [0.0, 1.0]

    undo = SetOverride(e1, h1, ConsensusOverride(II, "Ben's source is the better one")).apply(
        project
    )

    assert project_consensus(project).tolist() == [[II, I]]
    assert layer_codes(project, CONSENSUS).tolist() == [[II, I]]
    after = score_project(project, CONSENSUS)
    assert after.weighted_inconsistency.tolist() == [2.0, 1.0]
    assert after.rank.tolist() == [2, 1]
    # The analysts' own layers are untouched by the facilitator's decision.
    assert project.layer(project.analysts[0].id).tolist() == [[C, I]]
    undo.apply(project)
    assert project_consensus(project).tolist() == [[N, I]]
    assert (e1, h2) not in project.overrides


def test_an_override_of_a_deleted_row_goes_with_it_and_comes_back_on_undo() -> None:
    project = two_analyst_project()
    e1, h1 = project.evidence[0].id, project.hypotheses[0].id
    SetOverride(e1, h1, ConsensusOverride(CC)).apply(project)
    undo = RemoveEvidence(e1).apply(project)
    assert project.overrides == {}
    assert project_consensus(project).shape == (0, 2)
    undo.apply(project)
    assert project_consensus(project).tolist()[0][0] == CC


def test_many_layers_take_the_counting_path_with_the_same_rule() -> None:
    rng = np.random.default_rng(3)
    layers = [rng.integers(0, len(Rating), (20, 6)).astype(np.int8) for _ in range(45)]
    got = consensus_codes(layers, (20, 6))
    for i in range(20):
        for j in range(6):
            cell = [Rating(int(layer[i, j])) for layer in layers]
            assert Rating(int(got[i, j])) == reference_consensus(cell)


@given(seed=st.integers(0, 2**32 - 1), n_analysts=st.integers(1, 4))
def test_the_consensus_of_some_rows_is_those_rows_of_the_whole(seed, n_analysts) -> None:
    from workbench.core.consensus import project_consensus, project_consensus_rows

    rng = np.random.default_rng(seed)
    project = Project("rows")
    project.hypotheses = [Hypothesis(project.new_id(), f"H{j}", "h") for j in range(4)]
    project.evidence = [Evidence(project.new_id(), f"E{i}", "e") for i in range(9)]
    for k in range(n_analysts):
        layer = rng.integers(0, len(Rating), (9, 4)).astype(np.int8)
        project.add_analyst(Analyst(project.new_id(), f"A{k}"), layer)
    for i, j in rng.integers(0, [9, 4], (3, 2)).tolist():
        override = ConsensusOverride(Rating(int(rng.integers(0, len(Rating)))), "by hand")
        project.overrides[(project.evidence[i].id, project.hypotheses[j].id)] = override
    rows = np.unique(rng.integers(0, 9, 4))
    assert np.array_equal(project_consensus_rows(project, rows), project_consensus(project)[rows])
