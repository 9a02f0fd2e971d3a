"""Ratings between the ``layer_block`` table and the Project's numpy layers, in bulk.

A 10,000 x 50 project rated by ten analysts has five million ratings. Each
analyst's int8 layer is stored cut into blocks of evidence rows: the block
of an evidence item is its id >> BLOCK_BITS, so it never moves when rows are
reordered, and a block row holds the ids of its evidence and hypotheses next
to the codes (row by row, one byte each). Opening reads a few hundred blobs
instead of millions of rows, and scatters them into the layers with one
fancy-indexed assignment per column layout: about the cost of reading the
bytes. A rating edit rewrites the one block it falls in (a few KB).

Every structural edit keeps the blocks exact (a block lists exactly the
project's evidence in it and the project's hypotheses), so anything else in a
block is damage and refused on open. Rationales live in their own table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import numpy as np

from workbench.core.limits import MAX_TEXT_CHARS
from workbench.core.model import Project
from workbench.core.ratings import RATING_SCALE

#: Evidence ids per block: 2**7. Small enough that an edit rewrites a few KB,
#: large enough that 10,000 rows are about eighty blobs per analyst.
BLOCK_BITS = 7

_ID = np.dtype("<i8")

_UPSERT_BLOCK = (
    "INSERT INTO layer_block (analyst_id, block, evidence, hypotheses, codes)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (analyst_id, block) DO UPDATE SET"
    " evidence = excluded.evidence, hypotheses = excluded.hypotheses, codes = excluded.codes"
)
_UPSERT_RATIONALE = (
    "INSERT INTO rationale (analyst_id, evidence_id, hypothesis_id, rationale)"
    " VALUES (?, ?, ?, ?) ON CONFLICT (analyst_id, evidence_id, hypothesis_id)"
    " DO UPDATE SET rationale = excluded.rationale"
)


class CorruptRatings(ValueError):
    """Ratings that do not fit the project (unknown ids or codes, a block of the wrong shape)."""


def _ids(items: Iterable[object]) -> np.ndarray:
    return np.asarray([item.id for item in items], dtype=np.int64)  # type: ignore[attr-defined]


def positions_of(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The position of each of ``wanted`` in ``ids`` (-1 where it is not there).

    A binary search, not a table indexed by id: ids are never reused, so a
    project that once handed out a very large id (up to 2**31 - 1) would make
    such a table gigabytes long.
    """
    wanted = np.asarray(wanted, dtype=np.int64)
    if len(ids) == 0:
        return np.full(wanted.shape, -1, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    ordered = ids[order]
    at = np.minimum(np.searchsorted(ordered, wanted), len(ordered) - 1)
    return np.where(ordered[at] == wanted, order[at], -1)


def _id_array(blob: object, what: str) -> np.ndarray:
    if not isinstance(blob, bytes) or len(blob) % _ID.itemsize:
        raise CorruptRatings(f"a rating block's {what} list is damaged")
    return np.frombuffer(blob, dtype=_ID)


def load_layers(raw: sqlite3.Connection, project: Project) -> dict[int, np.ndarray]:
    """Every analyst's layer, read from the blocks in one pass.

    The blocks' bytes are gathered first and checked and scattered as whole
    arrays: a few numpy calls per column layout, not per block.
    """
    evidence, hypotheses = _ids(project.evidence), _ids(project.hypotheses)
    analysts = [a.id for a in project.analysts]
    layer_of = {aid: k for k, aid in enumerate(analysts)}
    stack = np.zeros((len(analysts), len(evidence), len(hypotheses)), dtype=np.int8)
    #: Per column layout (nearly always one): layer, block, evidence ids and codes of each block.
    groups: dict[bytes, tuple[list[int], list[int], list[bytes], list[bytes]]] = {}
    cursor = raw.execute("SELECT analyst_id, block, evidence, hypotheses, codes FROM layer_block")
    for analyst_id, block, evidence_blob, hypothesis_blob, codes in cursor:
        layer = layer_of.get(analyst_id)
        if layer is None:
            raise CorruptRatings("a rating refers to an analyst not in the project")
        if not (
            isinstance(evidence_blob, bytes)
            and isinstance(hypothesis_blob, bytes)
            and isinstance(codes, bytes)
            and isinstance(block, int)
            and len(evidence_blob) % _ID.itemsize == 0
            and len(codes) * _ID.itemsize
            == len(evidence_blob) // _ID.itemsize * len(hypothesis_blob)
        ):
            raise CorruptRatings("a rating block is damaged")
        layers, blocks, id_blobs, code_blobs = groups.setdefault(hypothesis_blob, ([], [], [], []))
        layers.append(layer)
        blocks.append(block)
        id_blobs.append(evidence_blob)
        code_blobs.append(codes)
    for hypothesis_blob, (layers, blocks, id_blobs, code_blobs) in groups.items():
        cols = positions_of(hypotheses, _id_array(hypothesis_blob, "hypothesis"))
        if (cols < 0).any():
            raise CorruptRatings("a rating refers to a hypothesis not in the project")
        ids = _id_array(b"".join(id_blobs), "evidence")
        counts = [len(blob) // _ID.itemsize for blob in id_blobs]
        rows = positions_of(evidence, ids)
        if (rows < 0).any() or (ids >> BLOCK_BITS != np.repeat(blocks, counts)).any():
            raise CorruptRatings("a rating refers to evidence not in the project")
        if len(cols) == 0 or len(rows) == 0:
            continue
        codes = np.frombuffer(b"".join(code_blobs), dtype=np.int8).reshape(-1, len(cols))
        if codes.min() < RATING_SCALE.lowest_code or codes.max() > RATING_SCALE.highest_code:
            raise CorruptRatings("a rating code is out of range")
        layer_index = np.repeat(np.asarray(layers, dtype=np.int64), counts)
        if np.array_equal(cols, np.arange(len(hypotheses))):
            stack[layer_index, rows] = codes
        else:
            stack[layer_index[:, None], rows[:, None], cols[None, :]] = codes
    return {aid: stack[k] for k, aid in enumerate(analysts)}


def load_rationales(raw: sqlite3.Connection) -> dict[tuple[int, int, int], str]:
    cursor = raw.execute("SELECT analyst_id, evidence_id, hypothesis_id, rationale FROM rationale")
    rationales = {}
    for a, e, h, text in cursor:
        if not isinstance(text, str) or len(text) > MAX_TEXT_CHARS:
            raise CorruptRatings("a rationale is not text, or is over the length limit")
        rationales[(a, e, h)] = text
    return rationales


# -- writing ---------------------------------------------------------------------------


def _blocks(
    project: Project, analyst_ids: Iterable[int], evidence_ids: Iterable[int] | None
) -> tuple[list[tuple[int, int, bytes, bytes, bytes]], list[tuple[int, int]]]:
    """(rows to upsert, (analyst, block) keys to delete) for the blocks wanted.

    ``evidence_ids`` None means every block of each analyst.
    """
    evidence = _ids(project.evidence)
    hypothesis_blob = _ids(project.hypotheses).astype(_ID).tobytes()
    blocks_of = evidence >> BLOCK_BITS
    if evidence_ids is None:
        wanted = np.unique(blocks_of)
    else:
        wanted = np.unique(np.asarray(list(evidence_ids), dtype=np.int64) >> BLOCK_BITS)
    order = np.argsort(blocks_of, kind="stable")
    sorted_blocks = blocks_of[order]
    starts = np.searchsorted(sorted_blocks, wanted, side="left")
    stops = np.searchsorted(sorted_blocks, wanted, side="right")
    upserts, deletes = [], []
    for aid in analyst_ids:
        layer = project.layers[aid]
        for block, start, stop in zip(wanted.tolist(), starts, stops, strict=True):
            if start == stop:
                deletes.append((aid, block))
                continue
            rows = order[start:stop]
            upserts.append(
                (
                    aid,
                    block,
                    evidence[rows].astype(_ID).tobytes(),
                    hypothesis_blob,
                    np.ascontiguousarray(layer[rows], dtype=np.int8).tobytes(),
                )
            )
    return upserts, deletes


def write_blocks(
    raw: sqlite3.Connection,
    project: Project,
    analyst_ids: Iterable[int],
    evidence_ids: Iterable[int] | None = None,
) -> None:
    """Make the blocks of ``evidence_ids`` (default: all) match the project's layers."""
    analyst_ids = list(analyst_ids)
    if evidence_ids is None:
        raw.executemany(
            "DELETE FROM layer_block WHERE analyst_id = ?", ((aid,) for aid in analyst_ids)
        )
    upserts, deletes = _blocks(project, analyst_ids, evidence_ids)
    raw.executemany("DELETE FROM layer_block WHERE analyst_id = ? AND block = ?", deletes)
    raw.executemany(_UPSERT_BLOCK, upserts)


def insert_rationales(
    raw: sqlite3.Connection,
    project: Project,
    *,
    analyst_id: int | None = None,
    evidence_id: int | None = None,
    hypothesis_id: int | None = None,
) -> None:
    """Write the project's rationales that match every id given (all of them without one)."""
    raw.executemany(
        _UPSERT_RATIONALE,
        (
            (a, e, h, text)
            for (a, e, h), text in project.rationales.items()
            if text
            and analyst_id in (None, a)
            and evidence_id in (None, e)
            and hypothesis_id in (None, h)
        ),
    )


def write_cells(
    raw: sqlite3.Connection, project: Project, cells: Iterable[tuple[int, int, int]]
) -> None:
    """Make the stored rating and rationale of some (analyst, evidence, hypothesis) cells
    match the project: the blocks they fall in are rewritten."""
    cells = list(cells)
    by_analyst: dict[int, set[int]] = {}
    for analyst_id, evidence_id, hypothesis_id in cells:
        by_analyst.setdefault(analyst_id, set()).add(evidence_id)
        rationale = project.rationales.get((analyst_id, evidence_id, hypothesis_id))
        if rationale:
            raw.execute(_UPSERT_RATIONALE, (analyst_id, evidence_id, hypothesis_id, rationale))
        else:
            raw.execute(
                "DELETE FROM rationale WHERE analyst_id = ? AND evidence_id = ?"
                " AND hypothesis_id = ?",
                (analyst_id, evidence_id, hypothesis_id),
            )
    for analyst_id, evidence_ids in by_analyst.items():
        write_blocks(raw, project, [analyst_id], evidence_ids)
