"""Schema 4: each analyst's ratings as blobs of blocks of evidence rows; rationales apart.

The ``rating`` table (one row per rated cell) becomes ``layer_block``: one row
per analyst and block of evidence ids (id >> BLOCK_BITS), holding the ids of
its rows and columns and the int8 codes (see :mod:`workbench.store.matrix`),
so a project opens at the speed its bytes are read. Rationales move to the
``rationale`` table. The rows are converted in this transaction; the file's
backup (``.bak-schema3``) was made before it started.

On a PostgreSQL team server the ratings stay one row per cell, and this
revision only marks the version. There, row-level security admits each
analyst to their own rows and twenty analysts rating at once write separate
rows; a block shared by a row of cells would serialise their edits, and a
structural edit by the facilitator would have to rewrite every analyst's
blocks, which the database rightly forbids the facilitator to touch.

Revision ID: schema4
Revises: schema3
"""

from __future__ import annotations

import sqlite3

import numpy as np
import sqlalchemy as sa
from alembic import op

from workbench.core.errors import ProjectFileError
from workbench.store.migrations.marks import mark_schema_version

revision = "schema4"
down_revision = "schema3"
branch_labels = None
depends_on = None

#: As workbench.store.matrix.BLOCK_BITS when schema 4 was released (a file format fact).
BLOCK_BITS = 7


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        mark_schema_version(4)
        return
    op.create_table(
        "layer_block",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("analyst_id", sa.Integer(), nullable=False),
        sa.Column("block", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.LargeBinary(), nullable=False),
        sa.Column("hypotheses", sa.LargeBinary(), nullable=False),
        sa.Column("codes", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint(
            "length(codes) * 64 = length(evidence) * length(hypotheses)",
            name="ck_layer_block_shape",
        ),
        sa.ForeignKeyConstraint(
            ["analyst_id"],
            ["analyst.id"],
            name="fk_layer_block_analyst_id_analyst",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_layer_block"),
    )
    op.create_index(
        "ix_layer_block_analyst_block", "layer_block", ["analyst_id", "block"], unique=True
    )
    op.create_table(
        "rationale",
        sa.Column("analyst_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("hypothesis_id", sa.Integer(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["analyst_id"],
            ["analyst.id"],
            name="fk_rationale_analyst_id_analyst",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name="fk_rationale_evidence_id_evidence",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["hypothesis_id"],
            ["hypothesis.id"],
            name="fk_rationale_hypothesis_id_hypothesis",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("analyst_id", "evidence_id", "hypothesis_id", name="pk_rationale"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_rationale_evidence_id", "rationale", ["evidence_id"])
    op.create_index("ix_rationale_hypothesis_id", "rationale", ["hypothesis_id"])
    raw = op.get_bind().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    _convert(raw)
    op.drop_index("ix_rating_with_rationale", table_name="rating")
    op.drop_table("rating")
    mark_schema_version(4)


def _ids(raw: sqlite3.Connection, table: str) -> np.ndarray:
    rows = raw.execute(f"SELECT id FROM {table} ORDER BY position, id").fetchall()
    return np.array([r[0] for r in rows], dtype=np.int64)


def _positions(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Position of each wanted id in ``ids``, -1 if absent: a binary search, because a
    table indexed by id would be gigabytes long for a project with a very large id."""
    if len(ids) == 0:
        return np.full(len(wanted), -1, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    ordered = ids[order]
    at = np.minimum(np.searchsorted(ordered, wanted), len(ordered) - 1)
    return np.where(ordered[at] == wanted, order[at], -1)


def _convert(raw: sqlite3.Connection) -> None:
    evidence, hypotheses = _ids(raw, "evidence"), _ids(raw, "hypothesis")
    analysts = _ids(raw, "analyst")
    record = np.dtype([("e", np.int64), ("h", np.int64), ("a", np.int64), ("c", np.int64)])
    cursor = raw.execute("SELECT evidence_id, hypothesis_id, analyst_id, code FROM rating")
    ratings = np.fromiter(cursor, dtype=record)
    keys = (ratings["e"], ratings["h"], ratings["a"])
    rows, cols, layers = (
        _positions(ids, wanted)
        for ids, wanted in zip((evidence, hypotheses, analysts), keys, strict=True)
    )
    codes = ratings["c"]
    broken = int(((rows < 0) | (cols < 0) | (layers < 0)).sum())
    if broken:
        raise ProjectFileError(f"the upgrade found {broken} broken references in table rating")
    if (codes < 0).any() or (codes > 6).any():
        raise ProjectFileError("the upgrade found a rating code out of range")
    stack = np.zeros((len(analysts), len(evidence), len(hypotheses)), dtype=np.int8)
    stack[layers, rows, cols] = codes
    blocks = evidence >> BLOCK_BITS
    order = np.argsort(blocks, kind="stable")
    hypothesis_blob = hypotheses.astype("<i8").tobytes()
    boundaries = np.flatnonzero(np.diff(blocks[order])) + 1
    groups = np.split(order, boundaries) if len(order) else []
    raw.executemany(
        "INSERT INTO layer_block (analyst_id, block, evidence, hypotheses, codes)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            (
                int(analyst),
                int(blocks[group[0]]),
                evidence[group].astype("<i8").tobytes(),
                hypothesis_blob,
                np.ascontiguousarray(stack[k][group]).tobytes(),
            )
            for k, analyst in enumerate(analysts.tolist())
            for group in groups
        ),
    )
    raw.execute(
        "INSERT INTO rationale (analyst_id, evidence_id, hypothesis_id, rationale)"
        " SELECT analyst_id, evidence_id, hypothesis_id, rationale FROM rating"
        " WHERE rationale IS NOT NULL AND rationale != ''"
    )


def downgrade() -> None:
    raise NotImplementedError("project files are never downgraded; keep the backup instead")
