"""Ratings between the ``rating`` table and the Project's numpy layers, in bulk.

A 10,000 x 50 project rated by ten analysts has five million ratings. They
are never turned into Python objects: loading streams the DBAPI cursor
straight into a numpy record array and scatters it into the int8 layers with
fancy indexing; saving takes ``np.nonzero`` of each layer and feeds the rows
to ``executemany`` in chunks, sorted by the table's key so SQLite appends to
its B-tree instead of splitting pages. Only non-blank ratings are stored
(plus blank cells that carry a rationale).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

import numpy as np

from workbench.core.limits import MAX_TEXT_CHARS
from workbench.core.model import Project
from workbench.core.ratings import RATING_SCALE, Rating

_RATING_RECORD = np.dtype([("e", np.int64), ("h", np.int64), ("a", np.int64), ("c", np.int8)])
_PACKED_RECORD = np.dtype([("k", np.int64)])
#: Bits per id in a packed rating (3 ids + a 3-bit code fit in 63 bits).
_ID_BITS = 20
#: Bits of the rating code in a packed rating, and its range, from the scale.
_CODE_BITS = RATING_SCALE.code_bits
_LOWEST, _HIGHEST = RATING_SCALE.lowest_code, RATING_SCALE.highest_code

_INSERT = "INSERT INTO rating (evidence_id, hypothesis_id, analyst_id, code) VALUES (?, ?, ?, ?)"
_UPSERT_RATIONALE = (
    "INSERT INTO rating (evidence_id, hypothesis_id, analyst_id, code, rationale)"
    " VALUES (?, ?, ?, 0, ?)"
    " ON CONFLICT (evidence_id, hypothesis_id, analyst_id)"
    " DO UPDATE SET rationale = excluded.rationale"
)

#: Evidence rows per executemany chunk when saving whole layers.
_CHUNK_ROWS = 2000


class CorruptRatings(ValueError):
    """Ratings that do not fit the project (unknown ids or codes)."""


def _positions(ids: list[int], wanted: np.ndarray) -> np.ndarray:
    """The position in ``ids`` of each id in ``wanted`` (-1 where it is not there).

    A binary search over the sorted ids, not a table as long as the largest
    id: ids are never reused, so a damaged (or long-lived) file may have ids
    in the hundreds of millions, and a table that long would take gigabytes.
    """
    if not ids:
        return np.full(len(wanted), -1, dtype=np.int64)
    known = np.asarray(ids, dtype=np.int64)
    order = np.argsort(known, kind="stable")
    ordered = known[order]
    at = np.minimum(np.searchsorted(ordered, wanted), len(ordered) - 1)
    return np.where(ordered[at] == wanted, order[at], -1)


def _read_ratings(raw: sqlite3.Connection, id_limit: int) -> np.ndarray:
    """All rating rows as a record array with fields e, h, a, c.

    When every id fits in 20 bits, SQLite packs each row into one integer:
    one Python int per rating instead of a four-item tuple roughly halves
    the time spent crossing from SQLite to numpy.
    """
    if id_limit <= 1 << _ID_BITS:
        mask = (1 << _ID_BITS) - 1
        # A code or id outside its bits would spill into its neighbour and load
        # as some other valid rating (code 9 as NA): such rows come back as -1.
        cursor = raw.execute(
            f"SELECT CASE WHEN code BETWEEN {_LOWEST} AND {_HIGHEST}"
            f" AND evidence_id BETWEEN 0 AND {mask} AND hypothesis_id BETWEEN 0 AND {mask}"
            f" AND analyst_id BETWEEN 0 AND {mask}"
            f" THEN (((evidence_id << {_ID_BITS}) | hypothesis_id) << {_ID_BITS + _CODE_BITS})"
            f" | (analyst_id << {_CODE_BITS}) | code ELSE -1 END FROM rating"
        )
        packed = np.fromiter(cursor, dtype=_PACKED_RECORD)["k"]
        if (packed < 0).any():
            raise CorruptRatings("a rating has a code or id out of range")
        records = np.empty(len(packed), dtype=_RATING_RECORD)
        records["c"] = packed & ((1 << _CODE_BITS) - 1)
        records["a"] = (packed >> _CODE_BITS) & mask
        records["h"] = (packed >> (_ID_BITS + _CODE_BITS)) & mask
        records["e"] = packed >> (2 * _ID_BITS + _CODE_BITS)
        return records
    # Checked in SQL: a code of 300 would not fit the int8 field it is read into.
    cursor = raw.execute(
        "SELECT evidence_id, hypothesis_id, analyst_id,"
        f" CASE WHEN code BETWEEN 0 AND {int(Rating.CC)} THEN code ELSE -1 END FROM rating"
    )
    try:
        return np.fromiter(cursor, dtype=_RATING_RECORD)
    except (TypeError, ValueError, OverflowError):
        raise CorruptRatings("a rating has an id that is not a whole number") from None


def load_layers(raw: sqlite3.Connection, project: Project) -> dict[int, np.ndarray]:
    """Every analyst's layer, read in one pass over the rating table."""
    records = _read_ratings(raw, project.next_id)
    analysts = [a.id for a in project.analysts]
    shape = (len(analysts), len(project.evidence), len(project.hypotheses))
    stack = np.zeros(shape, dtype=np.int8)
    if len(records):
        rows = _positions([e.id for e in project.evidence], records["e"])
        cols = _positions([h.id for h in project.hypotheses], records["h"])
        layer = _positions(analysts, records["a"])
        codes = records["c"]
        if (rows < 0).any() or (cols < 0).any() or (layer < 0).any():
            raise CorruptRatings("a rating refers to something not in the project")
        if (codes < _LOWEST).any() or (codes > _HIGHEST).any():
            raise CorruptRatings("a rating code is out of range")
        stack[layer, rows, cols] = codes
    return {aid: stack[k] for k, aid in enumerate(analysts)}


def load_rationales(raw: sqlite3.Connection) -> dict[tuple[int, int, int], str]:
    cursor = raw.execute(
        "SELECT analyst_id, evidence_id, hypothesis_id, rationale FROM rating"
        " WHERE rationale IS NOT NULL"
    )
    rationales = {}
    for a, e, h, text in cursor:
        if not isinstance(text, str) or len(text) > MAX_TEXT_CHARS:
            raise CorruptRatings("a rationale is not text, or is over the length limit")
        rationales[(a, e, h)] = text
    return rationales


def _block_rows(
    project: Project, analyst_ids: Iterable[int], rows: np.ndarray, cols: np.ndarray
) -> Iterator[tuple[int, int, int, int]]:
    """(evidence, hypothesis, analyst, code) of the non-blank cells of a block, key-sorted."""
    evidence_ids = np.asarray([project.evidence[r].id for r in rows.tolist()], dtype=np.int64)
    hypothesis_ids = np.asarray([project.hypotheses[c].id for c in cols.tolist()], dtype=np.int64)
    for start in range(0, len(rows), _CHUNK_ROWS):
        parts = []
        chunk = rows[start : start + _CHUNK_ROWS]
        for aid in analyst_ids:
            grid = project.layers[aid][np.ix_(chunk, cols)]
            r, c = np.nonzero(grid)
            e = evidence_ids[start + r]
            h = hypothesis_ids[c]
            parts.append((e, h, np.full(len(r), aid, dtype=np.int64), grid[r, c]))
        if not parts:
            return
        e, h, a, codes = (np.concatenate(column) for column in zip(*parts, strict=True))
        order = np.lexsort((a, h, e))
        yield from zip(
            e[order].tolist(),
            h[order].tolist(),
            a[order].tolist(),
            codes[order].astype(np.int64).tolist(),
            strict=True,
        )


def insert_block(
    raw: sqlite3.Connection,
    project: Project,
    analyst_ids: list[int],
    rows: np.ndarray | None = None,
    cols: np.ndarray | None = None,
) -> None:
    """Insert the ratings and rationales of a block of the matrix (default: all of it).

    The block must have no rows in the table yet (a new row, column or analyst).
    """
    if rows is None:
        rows = np.arange(len(project.evidence))
    if cols is None:
        cols = np.arange(len(project.hypotheses))
    raw.executemany(_INSERT, _block_rows(project, analyst_ids, rows, cols))
    evidence_ids = {project.evidence[r].id for r in rows.tolist()}
    hypothesis_ids = {project.hypotheses[c].id for c in cols.tolist()}
    wanted = set(analyst_ids)
    raw.executemany(
        _UPSERT_RATIONALE,
        (
            (e, h, a, text)
            for (a, e, h), text in project.rationales.items()
            if a in wanted and e in evidence_ids and h in hypothesis_ids
        ),
    )


def write_cells(
    raw: sqlite3.Connection, project: Project, cells: Iterable[tuple[int, int, int]]
) -> None:
    """Make the rows of some (analyst, evidence, hypothesis) cells match the project."""
    for analyst_id, evidence_id, hypothesis_id in cells:
        code = int(project.rating(analyst_id, evidence_id, hypothesis_id))
        rationale = project.rationales.get((analyst_id, evidence_id, hypothesis_id)) or None
        if code == Rating.BLANK and rationale is None:
            raw.execute(
                "DELETE FROM rating WHERE evidence_id = ? AND hypothesis_id = ? AND analyst_id = ?",
                (evidence_id, hypothesis_id, analyst_id),
            )
        else:
            raw.execute(
                "INSERT INTO rating (evidence_id, hypothesis_id, analyst_id, code, rationale)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (evidence_id, hypothesis_id, analyst_id)"
                " DO UPDATE SET code = excluded.code, rationale = excluded.rationale",
                (evidence_id, hypothesis_id, analyst_id, code, rationale),
            )
