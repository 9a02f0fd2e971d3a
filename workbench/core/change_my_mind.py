"""What would change my mind: the fewest rating changes that crown the runner-up.

A *step* moves one scored cell of an active item one place along the scale
(CC <-> C <-> N <-> I <-> II). The question is the smallest number of steps
after which the runner-up ranks first under the spec's full rank rule.

Only steps that move weighted inconsistency (WI) can overturn a WI lead, and
each of them moves it by exactly the item's weight w(e), whichever cell it is:

* in the target's column, a step toward consistent from II or I lowers the
  target's WI by w (II offers two such steps, I one);
* in any other hypothesis's column, a step toward inconsistent from N or I
  raises that hypothesis's WI by w (N offers two, I one).

Because every step costs one and gains a fixed amount, the most any k steps
in one column can gain is the sum of that column's k largest gains. So for a
chosen number ``a`` of steps on the target, the fewest steps that bring a
rival j down is the smallest prefix of j's gains (largest first) that closes
the gap, found by a binary search; the rivals do not interact (a step on j
only moves j). Trying every ``a`` and adding the rivals' minima gives the
exact minimum over WI-moving steps. When the gap closes to an exact tie, the
spec's tie-breaks decide: consistency (untouched by these steps), then
inconsistency (each step moves it by one), then matrix position; a lost tie
costs one more step on that rival.

What is not searched: steps that move only consistency. They matter in two
rare cases: after an exact WI tie one N -> C step on the target could win
several ties at once, and a rival's cell rated C or CC could be walked down
through N before it starts to count. So ``None`` means "no set of WI-moving
steps does it", not that no re-rating at all could.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from workbench.core.ratings import RATING_SCALE, Rating
from workbench.core.scoring import RANK_DECIMALS, values


@dataclasses.dataclass(frozen=True)
class MindChange:
    """One cell to re-rate: ``before`` -> ``after`` (one or two steps)."""

    row: int
    column: int
    before: Rating
    after: Rating

    @property
    def steps(self) -> int:
        return abs(int(self.after) - int(self.before))


def _gains(
    codes: np.ndarray, weights: np.ndarray, active: np.ndarray, column: int, lower: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, gains) of the WI-moving steps in one column, largest gain first.

    ``lower``: steps toward consistent that lower WI (the target); otherwise
    steps toward inconsistent that raise it (a rival). A row appears once per
    available step; the sort is stable so ties keep matrix order.
    """
    col = codes[:, column]
    value = RATING_SCALE.values_of(col)
    scored = RATING_SCALE.scored_of(col)
    if lower:
        # Up to neutral: each step toward consistent takes one inconsistency off.
        counts = np.where(scored, np.maximum(0, -value), 0)
    else:
        # Down to the scale's end from neutral or below: each step adds one.
        counts = np.where(scored & (value <= 0), value - RATING_SCALE.min_value, 0)
    counts = np.where(active, counts, 0)
    rows = np.repeat(np.arange(codes.shape[0]), counts)
    gains = weights[rows]
    order = np.argsort(-gains, kind="stable")
    return rows[order], gains[order]


def change_my_mind(
    codes: np.ndarray, weights: np.ndarray, active: np.ndarray, target: int
) -> list[MindChange] | None:
    """The fewest one-step changes that make ``target`` rank 1 (None: no WI-moving set does).

    Returns [] when ``target`` already leads. See the module docstring for why
    the search is exact over the steps that move weighted inconsistency.
    """
    codes = np.asarray(codes, dtype=np.int8)
    weights = np.asarray(weights, dtype=float)
    active = np.asarray(active, dtype=bool)
    v, scored = values(codes)
    counted = scored & active[:, None]
    wi = weights @ np.where(counted, np.maximum(0.0, -v), 0.0)
    con = np.round(weights @ np.where(counted, np.maximum(0.0, v), 0.0), RANK_DECIMALS)
    inc = np.where(counted, np.maximum(0.0, -v), 0.0).sum(axis=0)

    target_rows, target_gains = _gains(codes, weights, active, target, lower=True)
    a_options = np.arange(target_rows.size + 1)
    target_wi = np.round(
        wi[target] - np.concatenate(([0.0], np.cumsum(target_gains))), RANK_DECIMALS
    )
    target_inc = inc[target] - a_options

    total = a_options.astype(float)
    rival_steps: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for rival in range(codes.shape[1]):
        if rival == target:
            continue
        rows, gains = _gains(codes, weights, active, rival, lower=False)
        rival_wi = np.round(wi[rival] + np.concatenate(([0.0], np.cumsum(gains))), RANK_DECIMALS)
        at_least = np.searchsorted(rival_wi, target_wi, side="left")
        beyond = np.searchsorted(rival_wi, target_wi, side="right")
        reachable = at_least < rival_wi.size
        tied = reachable & (rival_wi[np.minimum(at_least, rival_wi.size - 1)] == target_wi)
        # A WI tie goes to the target when it is more consistent, then less
        # inconsistent (each rival step adds one), then earlier in the matrix.
        wins_tie = (con[target] > con[rival]) | (
            (con[target] == con[rival])
            & (
                (target_inc < inc[rival] + at_least)
                | ((target_inc == inc[rival] + at_least) & (target < rival))
            )
        )
        needed = np.where(tied & ~wins_tie, beyond, at_least).astype(float)
        needed[needed >= rival_wi.size] = np.inf
        needed[~reachable] = np.inf
        rival_steps[rival] = (rows, needed)
        total += needed
    if not np.any(np.isfinite(total)):
        return None
    best_a = int(np.argmin(total))

    steps: dict[tuple[int, int], int] = {}
    for row in target_rows[:best_a].tolist():
        steps[(row, target)] = steps.get((row, target), 0) + 1
    for rival, (rows, needed) in rival_steps.items():
        for row in rows[: int(needed[best_a])].tolist():
            steps[(row, rival)] = steps.get((row, rival), 0) - 1
    changes = []
    for (row, column), moved in sorted(steps.items()):
        before = Rating(int(codes[row, column]))
        after = RATING_SCALE.from_value(before.numeric + moved)
        changes.append(MindChange(row, column, before, after))
    return changes
