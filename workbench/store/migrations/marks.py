"""What the migrations write besides tables, in the way each database keeps it.

A project file keeps its schema version in ``PRAGMA user_version`` and its
file type in ``PRAGMA application_id``; a project on a PostgreSQL server has
no pragmas, so the version is a one-row ``schema_version`` table in the
project's schema (the application id means nothing there). The migrations
call these instead of writing pragmas, so the same revisions build both.
"""

from __future__ import annotations

from alembic import op


def _on_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def mark_application_id(application_id: int) -> None:
    if _on_sqlite():
        op.execute(f"PRAGMA application_id = {int(application_id)}")


def mark_schema_version(version: int) -> None:
    if _on_sqlite():
        op.execute(f"PRAGMA user_version = {int(version)}")
        return
    op.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version integer NOT NULL,"
        " single boolean PRIMARY KEY DEFAULT true CHECK (single))"
    )
    op.execute(
        f"INSERT INTO schema_version (version) VALUES ({int(version)})"
        " ON CONFLICT (single) DO UPDATE SET version = excluded.version"
    )
