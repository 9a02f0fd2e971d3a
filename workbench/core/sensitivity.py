"""How much the ranking depends on single pieces of evidence (scoring spec section 6).

Nothing here re-scores a matrix from scratch. Every what-if (one item
excluded, one cell moved one step) changes the three ranking totals of the
hypotheses by a known amount, so the totals of every what-if are the base
totals plus a delta array, and the rank-1 and rank-2 hypotheses of all of
them are found at once by :func:`top_two`, which applies the spec's full rank
rule (weighted inconsistency ascending, consistency descending, inconsistency
ascending, matrix position) to a whole stack of score rows.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from workbench.core.analysis import CONSENSUS, LayerKey, layer_codes
from workbench.core.change_my_mind import MindChange, change_my_mind
from workbench.core.model import Project
from workbench.core.ratings import RATING_SCALE
from workbench.core.scoring import RANK_DECIMALS, Totals, cell_contributions, values


def top_two(totals: Totals) -> tuple[np.ndarray, np.ndarray]:
    """Rank-1 and rank-2 column of every row of a (what-ifs, hypotheses) stack.

    Candidates are narrowed key by key, exactly as the spec ranks: equal keys
    (after rounding to 9 decimals) fall through to the next key, and the
    first remaining column (matrix position) wins. Rank 2 is rank 1 of the
    same row with the winner masked out. -1 where there is no such hypothesis.
    """
    wi = np.round(np.atleast_2d(totals.weighted_inconsistency), RANK_DECIMALS)
    con = np.round(np.atleast_2d(totals.consistency), RANK_DECIMALS)
    inc = np.round(np.atleast_2d(totals.inconsistency), RANK_DECIMALS)
    rows, n = wi.shape
    if n == 0:
        none = np.full(rows, -1)
        return none, none.copy()
    first = _best(wi, con, inc, np.ones((rows, n), dtype=bool))
    if n == 1:
        return first, np.full(rows, -1)
    allowed = np.ones((rows, n), dtype=bool)
    allowed[np.arange(rows), first] = False
    return first, _best(wi, con, inc, allowed)


def _best(wi: np.ndarray, con: np.ndarray, inc: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    candidates = allowed.copy()
    for key in (wi, -con, inc):
        keyed = np.where(candidates, key, np.inf)
        candidates &= keyed == keyed.min(axis=1, keepdims=True)
    # argmax returns the first True: the earliest position among exact ties.
    return np.argmax(candidates, axis=1)


@dataclasses.dataclass(frozen=True)
class SensitivityResult:
    """Sensitivity of one rating layer. Indices are matrix rows and columns.

    ``margin`` is WI(runner-up) - WI(leader) (0 when there is no runner-up).
    Leave-one-out arrays are aligned with ``excluded_rows`` (the active
    items, in matrix order); flip arrays with ``cell_rows``/``cell_columns``
    (every scored cell of an active item). A flip at the end of the scale
    (CC toward consistent, II toward inconsistent) is impossible: its leader
    is the current one and ``*_possible`` is False.
    """

    leader: int
    runner_up: int
    margin: float
    excluded_rows: np.ndarray
    #: Rank 1 and rank 2 with that item excluded, and WI(rank 2) - WI(rank 1).
    excluded_leader: np.ndarray
    excluded_runner_up: np.ndarray
    excluded_margin: np.ndarray
    #: The current leader's lead in WI over the best other hypothesis with the
    #: item excluded (negative: it is overtaken); what the tornado chart plots.
    excluded_lead: np.ndarray
    cell_rows: np.ndarray
    cell_columns: np.ndarray
    toward_consistent_leader: np.ndarray
    toward_consistent_possible: np.ndarray
    toward_inconsistent_leader: np.ndarray
    toward_inconsistent_possible: np.ndarray
    #: Rows whose exclusion or any one-step flip changes the leader, matrix order.
    linchpins: np.ndarray
    #: Fewest one-step changes that crown the runner-up (None: no WI-moving set does).
    change_my_mind: list[MindChange] | None

    @property
    def lead_change_when_excluded(self) -> np.ndarray:
        """How far excluding each item moves the leader's lead (negative: narrows it)."""
        return self.excluded_lead - self.margin

    def flips_leader_when_excluded(self) -> np.ndarray:
        return self.excluded_leader != self.leader


def sensitivity(
    codes: np.ndarray,
    weights: np.ndarray,
    active: np.ndarray,
    with_change_my_mind: bool = True,
) -> SensitivityResult:
    """Leave-one-out, one-step flips and linchpins of one layer (spec section 6)."""
    codes = np.asarray(codes, dtype=np.int8)
    weights = np.asarray(weights, dtype=float)
    active = np.asarray(active, dtype=bool)
    n_h = codes.shape[1]
    cells = cell_contributions(codes, weights, active)
    base = Totals(
        cells.weighted_inconsistency.sum(axis=0),
        cells.consistency.sum(axis=0),
        cells.inconsistency.sum(axis=0),
    )
    first, second = top_two(base)
    leader, runner_up = int(first[0]), int(second[0])
    margin = _margin(base.weighted_inconsistency, leader, runner_up)

    # Leave-one-out: each active row's contribution comes off every column at once.
    rows = np.flatnonzero(active)
    without = Totals(
        base.weighted_inconsistency - cells.weighted_inconsistency[rows],
        base.consistency - cells.consistency[rows],
        base.inconsistency - cells.inconsistency[rows],
    )
    ex_first, ex_second = top_two(without)
    ex_margin = _margins(without.weighted_inconsistency, ex_first, ex_second)
    ex_lead = _lead_of(without.weighted_inconsistency, leader)

    # One-step flips: only the flipped cell's column moves.
    _, scored = values(codes)
    cell_rows, cell_columns = np.nonzero(scored & active[:, None])
    up_leader, up_possible = _flip_leaders(
        codes, weights, base, cell_rows, cell_columns, +1, leader, runner_up
    )
    down_leader, down_possible = _flip_leaders(
        codes, weights, base, cell_rows, cell_columns, -1, leader, runner_up
    )

    linchpin = np.zeros(codes.shape[0], dtype=bool)
    if leader >= 0 and n_h > 1:
        linchpin[rows[ex_first != leader]] = True
        flipped = (up_leader != leader) | (down_leader != leader)
        linchpin[cell_rows[flipped]] = True
    mind = None
    if with_change_my_mind and runner_up >= 0:
        mind = change_my_mind(codes, weights, active, runner_up)
    return SensitivityResult(
        leader=leader,
        runner_up=runner_up,
        margin=margin,
        excluded_rows=rows,
        excluded_leader=ex_first,
        excluded_runner_up=ex_second,
        excluded_margin=ex_margin,
        excluded_lead=ex_lead,
        cell_rows=cell_rows,
        cell_columns=cell_columns,
        toward_consistent_leader=up_leader,
        toward_consistent_possible=up_possible,
        toward_inconsistent_leader=down_leader,
        toward_inconsistent_possible=down_possible,
        linchpins=np.flatnonzero(linchpin),
        change_my_mind=mind,
    )


def _clean(value: np.ndarray) -> np.ndarray:
    # Subtracting sums leaves 1e-16 residue where the true margin is 0.
    return np.round(np.asarray(value, dtype=float), 12) + 0.0


def _margin(wi: np.ndarray, leader: int, runner_up: int) -> float:
    if leader < 0 or runner_up < 0:
        return 0.0
    return float(_clean(np.asarray(wi[runner_up] - wi[leader])))


def _margins(wi: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    if wi.shape[0] == 0 or wi.shape[1] < 2:
        return np.zeros(wi.shape[0])
    index = np.arange(wi.shape[0])
    return _clean(wi[index, second] - wi[index, first])


def _lead_of(wi: np.ndarray, leader: int) -> np.ndarray:
    if leader < 0 or wi.shape[1] < 2:
        return np.zeros(wi.shape[0])
    others = np.delete(wi, leader, axis=1)
    return _clean(others.min(axis=1) - wi[:, leader])


def _flip_leaders(
    codes: np.ndarray,
    weights: np.ndarray,
    base: Totals,
    rows: np.ndarray,
    columns: np.ndarray,
    direction: int,
    leader: int,
    runner_up: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The leader after moving each listed cell one step (+1 consistent, -1 not).

    A flip moves one column only, so the new leader is either that column or
    the best of the others, which is the current leader (or, when the flipped
    column is the leader, the runner-up). One comparison per cell instead of
    re-ranking every column keeps 10,000 x 50 interactive.
    """
    if rows.size == 0:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=bool)
    v_before = RATING_SCALE.values_of(codes[rows, columns])
    v_after = np.clip(v_before + direction, RATING_SCALE.min_value, RATING_SCALE.max_value)
    # Only scored cells move; NA and blank have no step.
    possible = (v_after != v_before) & RATING_SCALE.scored_of(codes[rows, columns])
    if runner_up < 0:
        return np.full(rows.size, leader), possible
    w = weights[rows]
    moved = Totals(
        base.weighted_inconsistency[columns]
        + w * (np.maximum(0, -v_after) - np.maximum(0, -v_before)),
        base.consistency[columns] + w * (np.maximum(0, v_after) - np.maximum(0, v_before)),
        base.inconsistency[columns]
        + (np.maximum(0, -v_after) - np.maximum(0, -v_before)).astype(float),
    )
    rival = np.where(columns == leader, runner_up, leader)
    wins = _ranks_before(
        moved,
        columns,
        Totals(
            base.weighted_inconsistency[rival], base.consistency[rival], base.inconsistency[rival]
        ),
        rival,
    )
    return np.where(wins, columns, rival), possible


def _ranks_before(a: Totals, a_pos: np.ndarray, b: Totals, b_pos: np.ndarray) -> np.ndarray:
    """Elementwise: does hypothesis a rank before b under the spec's rule?"""

    def r(x: np.ndarray) -> np.ndarray:
        return np.round(x, RANK_DECIMALS)

    keys = (
        (r(a.weighted_inconsistency), r(b.weighted_inconsistency)),
        (-r(a.consistency), -r(b.consistency)),
        (r(a.inconsistency), r(b.inconsistency)),
        (a_pos, b_pos),
    )
    result = np.zeros(a_pos.shape, dtype=bool)
    undecided = np.ones(a_pos.shape, dtype=bool)
    for x, y in keys:
        result |= undecided & (x < y)
        undecided &= x == y
    return result


# -- a project, for the CLI, the views and the report ------------------------------


def project_sensitivity(project: Project, layer: LayerKey = CONSENSUS) -> SensitivityResult:
    return sensitivity(layer_codes(project, layer), project.weights(), project.active_mask())


#: One-step flips listed by default in ``sensitivity --json`` (``--all-flips``: every one).
FLIP_LIMIT = 25


def leader_changing_flips(project: Project, result: SensitivityResult) -> np.ndarray:
    """Indices into the flip arrays of the cells whose one-step move changes the leader,
    smallest move first (the item's weight: how far one step moves a total), then
    in matrix order."""
    changes = (
        result.toward_consistent_possible & (result.toward_consistent_leader != result.leader)
    ) | (result.toward_inconsistent_possible & (result.toward_inconsistent_leader != result.leader))
    hits = np.flatnonzero(changes)
    weights = project.weights()[result.cell_rows[hits]] if hits.size else np.zeros(0)
    return hits[np.argsort(weights, kind="stable")]


def sensitivity_report(
    project: Project, result: SensitivityResult, all_flips: bool = False
) -> dict:
    """The ``sensitivity --json`` document (a contract: keep the first five keys).

    ``flips`` is bounded by default: the one-step flips that change the leader,
    smallest first, at most FLIP_LIMIT of them (``flips_total`` counts them
    all, ``flips_complete`` says whether every one is listed). With
    ``all_flips`` it lists every scored cell of an active item, as the full
    analysis has it: at 5,000 x 40 that is 200,000 entries.
    """
    h_code = _coder([h.code for h in project.hypotheses])
    e_code = [e.code for e in project.evidence]
    if all_flips:
        chosen = np.arange(result.cell_rows.size)
        total = int(chosen.size)
    else:
        changing = leader_changing_flips(project, result)
        chosen, total = changing[:FLIP_LIMIT], int(changing.size)
    flips = []
    for k in chosen.tolist():
        row, col = int(result.cell_rows[k]), int(result.cell_columns[k])
        entry = {"evidence": e_code[row], "hypothesis": h_code(col)}
        if result.toward_consistent_possible[k]:
            entry["toward_consistent_leader"] = h_code(int(result.toward_consistent_leader[k]))
        if result.toward_inconsistent_possible[k]:
            entry["toward_inconsistent_leader"] = h_code(int(result.toward_inconsistent_leader[k]))
        flips.append(entry)
    mind = None
    if result.change_my_mind is not None:
        mind = [
            {
                "evidence": e_code[c.row],
                "hypothesis": h_code(c.column),
                "from": c.before.code,
                "to": c.after.code,
            }
            for c in result.change_my_mind
        ]
    return {
        "leader": h_code(result.leader),
        "runner_up": h_code(result.runner_up),
        "margin": result.margin,
        "leave_one_out": [
            {
                "evidence": e_code[int(row)],
                "leader": h_code(int(result.excluded_leader[k])),
                "margin": float(result.excluded_margin[k]),
            }
            for k, row in enumerate(result.excluded_rows)
        ],
        "linchpins": [e_code[int(row)] for row in result.linchpins],
        "flips": flips,
        "flips_total": total,
        "flips_complete": len(flips) == total,
        "change_my_mind": mind,
    }


def _coder(codes: list[str]):  # noqa: ANN202 - a tiny closure
    def code(column: int) -> str | None:
        return codes[column] if column >= 0 else None

    return code
