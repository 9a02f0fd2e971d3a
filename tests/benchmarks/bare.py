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
from workbench.core.ratings import Level, evidence_weight
from workbench.core.scoring import score

READ_AND_SCORE = (
    "bare sqlite3 (mode=ro, immutable) reading every table the store reads, the layers by "
    "the store's own query into numpy, then the same consensus and core score"
)
WRITE_RATING = "bare sqlite3 write of the same cell storage + a change_log row, one COMMIT"

_WEIGHT = {level.name.lower(): level for level in Level}
_ID_BITS = 20


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
    mask = (1 << _ID_BITS) - 1
    cursor = db.execute(
        f"SELECT (((evidence_id << {_ID_BITS}) | hypothesis_id) << {_ID_BITS + 3})"
        " | (analyst_id << 3) | code FROM rating"
    )
    packed = np.fromiter((k for (k,) in cursor), dtype=np.int64)
    size = max([*evidence, *hypotheses, *analysts, 0]) + 1
    row_of, col_of, layer_of = (np.full(size, -1) for _ in range(3))
    row_of[evidence] = np.arange(len(evidence))
    col_of[hypotheses] = np.arange(len(hypotheses))
    layer_of[analysts] = np.arange(len(analysts))
    stack = np.zeros((len(analysts), len(evidence), len(hypotheses)), dtype=np.int8)
    stack[
        layer_of[(packed >> 3) & mask],
        row_of[packed >> (2 * _ID_BITS + 3)],
        col_of[(packed >> (_ID_BITS + 3)) & mask],
    ] = packed & 7
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
            "SELECT analyst_id, evidence_id, hypothesis_id, rationale FROM rating"
            " WHERE rationale IS NOT NULL"
        ).fetchall()
    finally:
        db.close()
    weights = _weights([e[1] for e in evidence], [e[2] for e in evidence])
    active = np.array([bool(e[3]) for e in evidence])
    codes = consensus_codes(layers, (len(evidence), len(hypotheses)))
    return score(codes, weights, active)


def write_rating(
    db: sqlite3.Connection, project: object, analyst: int, evidence: int, hypothesis: int, code: int
) -> None:
    db.execute("BEGIN IMMEDIATE")
    db.execute(
        "INSERT INTO rating (evidence_id, hypothesis_id, analyst_id, code) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (evidence_id, hypothesis_id, analyst_id) DO UPDATE SET code = excluded.code",
        (evidence, hypothesis, analyst, code),
    )
    db.execute(
        "INSERT INTO change_log (at, analyst, label, kind) VALUES (?, ?, ?, ?)",
        ("2026-01-01T00:00:00Z", "bench", "Rate a cell", "SetRating"),
    )
    db.execute("COMMIT")
