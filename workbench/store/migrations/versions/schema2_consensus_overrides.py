"""Schema 2: the facilitator's consensus overrides and the kind of each change.

``change_log.kind`` is added in batch mode (SQLite cannot add a NOT NULL
column without a default in place); existing entries get ``""`` because
release 1 did not record what kind of edit they were.

Revision ID: schema2
Revises: schema1
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from workbench.store.migrations.marks import mark_schema_version

revision = "schema2"
down_revision = "schema1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consensus_override",
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("hypothesis_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint("code BETWEEN 0 AND 6", name="ck_consensus_override_code_range"),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name="fk_consensus_override_evidence_id_evidence",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["hypothesis_id"],
            ["hypothesis.id"],
            name="fk_consensus_override_hypothesis_id_hypothesis",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("evidence_id", "hypothesis_id", name="pk_consensus_override"),
    )
    op.create_index("ix_consensus_override_hypothesis_id", "consensus_override", ["hypothesis_id"])
    with op.batch_alter_table("change_log") as batch:
        batch.add_column(sa.Column("kind", sa.String(40), nullable=False, server_default=""))
    mark_schema_version(2)


def downgrade() -> None:
    raise NotImplementedError("project files are never downgraded; keep the backup instead")
