"""The baselines: the same work as the store does, by the plainest means.

Reading: plain ``sqlite3`` selecting every table the store reads, the
ratings by the very query the store uses (so a faster storage format speeds
both sides alike), scattered into numpy layers and scored with
``workbench.core``. Writing: one rating made durable with bare statements,
in the same journal mode, with its change-log row. Nothing here validates,
maps objects or keeps an undo record: that is our overhead, and the ratio
shows it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np

from workbench.core.consensus import consensus_codes
from workbench.core.model import Project
from workbench.core.ratings import Level, evidence_weight
from workbench.core.scoring import score
from workbench.store.matrix import BLOCK_BITS

READ_AND_SCORE = (
    "bare sqlite3 (mode=ro, immutable) reading every table the store reads, the layers by "
    "the store's own blocks into numpy, then the same consensus and core score"
)
WRITE_RATING = "bare sqlite3 write of the same cell storage + a change_log row, one COMMIT"

_WEIGHT = {level.name.lower(): level for level in Level}


def _weights(credibility: list[str], relevance: list[str]) -> np.ndarray:
    return np.array(
        [
            evidence_weight(_WEIGHT[c], _WEIGHT[r])
            for c, r in zip(credibility, relevance, strict=True)
        ]
    )


def _layers(
    db: sqlite3.Connection, evidence: list[int], hypotheses: list[int], analysts: list[int]
):  # noqa: ANN202
    """Every analyst's blocks scattered into a stack: the bare version of the store's read."""
    size = max([*evidence, *hypotheses, *analysts, 0]) + 1
    row_of, col_of = np.full(size, -1), np.full(size, -1)
    row_of[evidence] = np.arange(len(evidence))
    col_of[hypotheses] = np.arange(len(hypotheses))
    layer_of = {a: k for k, a in enumerate(analysts)}
    stack = np.zeros((len(analysts), len(evidence), len(hypotheses)), dtype=np.int8)
    layers, rows, codes = [], [], []
    columns = b""
    for analyst, ids, block_columns, block in db.execute(
        "SELECT analyst_id, evidence, hypotheses, codes FROM layer_block"
    ):
        columns = block_columns  # one layout in every block of a file the store wrote
        r = row_of[np.frombuffer(ids, dtype="<i8")]
        layers.append(np.full(len(r), layer_of[analyst]))
        rows.append(r)
        codes.append(block)
    if layers:
        cols = col_of[np.frombuffer(columns, dtype="<i8")]
        matrix = np.frombuffer(b"".join(codes), dtype=np.int8).reshape(-1, len(cols))
        stack[np.concatenate(layers)[:, None], np.concatenate(rows)[:, None], cols] = matrix
    return list(stack)


def read_and_score(path: Path) -> object:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        db.execute("SELECT * FROM project").fetchall()
        hypotheses = db.execute("SELECT * FROM hypothesis ORDER BY position, id").fetchall()
        evidence = db.execute(
            "SELECT id, credibility, relevance, active, * FROM evidence ORDER BY position, id"
        ).fetchall()
        db.execute("SELECT * FROM source ORDER BY position, id").fetchall()
        analysts = db.execute("SELECT id FROM analyst ORDER BY position, id").fetchall()
        db.execute("SELECT * FROM milestone ORDER BY position, id").fetchall()
        db.execute("SELECT * FROM consensus_override").fetchall()
        layers = _layers(
            db, [e[0] for e in evidence], [h[0] for h in hypotheses], [a[0] for a in analysts]
        )
        db.execute(
            "SELECT analyst_id, evidence_id, hypothesis_id, rationale FROM rationale"
        ).fetchall()
    finally:
        db.close()
    weights = _weights([e[1] for e in evidence], [e[2] for e in evidence])
    active = np.array([bool(e[3]) for e in evidence])
    codes = consensus_codes(layers, (len(evidence), len(hypotheses)))
    return score(codes, weights, active)


def write_rating(
    db: sqlite3.Connection,
    project: Project,
    analyst: int,
    evidence: int,
    hypothesis: int,
    code: int,
) -> None:
    """Rewrite the cell's block (built from the project, as the store does) + a log row."""
    layer = project.layers[analyst].copy()
    layer[project.evidence_index(evidence), project.hypothesis_index(hypothesis)] = code
    block = evidence >> BLOCK_BITS
    ids = np.array([e.id for e in project.evidence], dtype=np.int64)
    rows = np.flatnonzero(ids >> BLOCK_BITS == block)
    columns = np.array([h.id for h in project.hypotheses], dtype="<i8").tobytes()
    db.execute("BEGIN IMMEDIATE")
    db.execute(
        "UPDATE layer_block SET evidence = ?, hypotheses = ?, codes = ?"
        " WHERE analyst_id = ? AND block = ?",
        (ids[rows].astype("<i8").tobytes(), columns, layer[rows].tobytes(), analyst, block),
    )
    db.execute(
        "INSERT INTO change_log (at, analyst, label, kind) VALUES (?, ?, ?, ?)",
        ("2026-01-01T00:00:00Z", "bench", "Rate a cell", "SetRating"),
    )
    db.execute("COMMIT")
