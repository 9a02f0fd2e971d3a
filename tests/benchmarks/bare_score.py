"""The baseline of ``workbench score``: plain sqlite3 + workbench.core, nothing else.

``python bare_score.py PROJECT`` reads the file as bare.py does (every table
the store reads, the layers from their blocks), applies the facilitator's
overrides, scores the consensus with ``workbench.core.scoring`` and prints the
ranked hypotheses: what ``workbench score`` does, by the plainest means.
"""

from __future__ import annotations

import sqlite3
import sys

import numpy as np

from workbench.core.consensus import consensus_codes
from workbench.core.ratings import Level, evidence_weight
from workbench.core.scoring import score

_LEVEL = {level.name.lower(): level for level in Level}


def main(path: str) -> None:
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    (title,) = db.execute("SELECT title FROM project").fetchone()
    hypotheses = db.execute("SELECT id, code, title FROM hypothesis ORDER BY position").fetchall()
    evidence = db.execute(
        "SELECT id, credibility, relevance, active FROM evidence ORDER BY position"
    ).fetchall()
    analysts = [a for (a,) in db.execute("SELECT id FROM analyst ORDER BY position")]
    row_of = {e[0]: i for i, e in enumerate(evidence)}
    col_of = {h[0]: j for j, h in enumerate(hypotheses)}
    layers = {a: np.zeros((len(evidence), len(hypotheses)), dtype=np.int8) for a in analysts}
    for analyst, ids, columns, codes in db.execute(
        "SELECT analyst_id, evidence, hypotheses, codes FROM layer_block"
    ):
        rows = [row_of[e] for e in np.frombuffer(ids, "<i8").tolist()]
        cols = [col_of[h] for h in np.frombuffer(columns, "<i8").tolist()]
        block = np.frombuffer(codes, np.int8).reshape(len(rows), len(cols))
        layers[analyst][np.ix_(rows, cols)] = block
    overrides = db.execute("SELECT evidence_id, hypothesis_id, code FROM consensus_override")
    codes = consensus_codes(list(layers.values()), (len(evidence), len(hypotheses)))
    for e, h, code in overrides:
        codes[row_of[e], col_of[h]] = code
    db.close()
    weights = np.array([evidence_weight(_LEVEL[c], _LEVEL[r]) for _, c, r, _ in evidence])
    active = np.array([bool(e[3]) for e in evidence])
    scores = score(codes, weights, active)
    print(title)
    for j in np.argsort(scores.rank, kind="stable"):
        print(
            f"{scores.rank[j]:>4}  {hypotheses[j][1]:<5} {scores.weighted_inconsistency[j]:>9.3f}"
            f"  {hypotheses[j][2]}"
        )


if __name__ == "__main__":
    main(sys.argv[1])
