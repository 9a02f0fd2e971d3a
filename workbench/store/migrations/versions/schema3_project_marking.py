"""Schema 3: the project's classification marking, time horizon and notes.

Three text columns on the single project row. SQLite adds a NOT NULL column
in place when it has a constant default, so no table copy is needed; older
projects get empty values (no marking, no horizon, no notes).

Revision ID: schema3
Revises: schema2
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from workbench.store.migrations.marks import mark_schema_version

revision = "schema3"
down_revision = "schema2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for name in ("classification", "time_horizon", "notes"):
        op.add_column("project", sa.Column(name, sa.Text(), nullable=False, server_default=""))
    mark_schema_version(3)


def downgrade() -> None:
    raise NotImplementedError("project files are never downgraded; keep the backup instead")
