"""Schema 1, the first release: project, entities, ratings, settings, change log.

Written out in full (not derived from the current mapping) because it must
always build exactly what release 1 wrote; the tests make schema-1 files
with it and migrate them.

Revision ID: schema1
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from workbench.store.migrations.marks import mark_application_id, mark_schema_version

revision = "schema1"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), autoincrement=False, nullable=False)


def upgrade() -> None:
    mark_application_id(1094928471)  # "ACHW"
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("likelihoods", sa.Text(), nullable=False),
        sa.Column("next_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_project_single_row"),
        sa.PrimaryKeyConstraint("id", name="pk_project"),
    )
    op.create_table(
        "hypothesis",
        _id(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("prior", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_hypothesis"),
    )
    op.create_table(
        "source",
        _id(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_source"),
    )
    op.create_table(
        "evidence",
        _id(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("type", sa.String(30), nullable=False),
        sa.Column("date", sa.String(10), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("locator", sa.Text(), nullable=False),
        sa.Column("credibility", sa.String(10), nullable=False),
        sa.Column("relevance", sa.String(10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name="fk_evidence_source_id_source",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_evidence"),
    )
    op.create_index("ix_evidence_source_id", "evidence", ["source_id"])
    op.create_table(
        "analyst",
        _id(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_analyst"),
    )
    op.create_table(
        "rating",
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("hypothesis_id", sa.Integer(), nullable=False),
        sa.Column("analyst_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.Integer(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=True),
        sa.CheckConstraint("code BETWEEN 0 AND 6", name="ck_rating_code_range"),
        sa.ForeignKeyConstraint(
            ["analyst_id"], ["analyst.id"], name="fk_rating_analyst_id_analyst", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name="fk_rating_evidence_id_evidence",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["hypothesis_id"],
            ["hypothesis.id"],
            name="fk_rating_hypothesis_id_hypothesis",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("evidence_id", "hypothesis_id", "analyst_id", name="pk_rating"),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_rating_with_rationale",
        "rating",
        ["analyst_id", "evidence_id", "hypothesis_id"],
        sqlite_where=sa.text("rationale IS NOT NULL"),
    )
    op.create_table(
        "milestone",
        _id(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("hypothesis_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.Text(), nullable=False),
        sa.Column("expected_by", sa.String(10), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hypothesis_id"],
            ["hypothesis.id"],
            name="fk_milestone_hypothesis_id_hypothesis",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_milestone"),
    )
    op.create_index("ix_milestone_hypothesis_id", "milestone", ["hypothesis_id"])
    op.create_table(
        "setting",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_setting"),
    )
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("analyst", sa.Text(), nullable=True),
        sa.Column("label", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_change_log"),
    )
    mark_schema_version(1)


def downgrade() -> None:
    raise NotImplementedError("project files are never downgraded; keep the backup instead")
