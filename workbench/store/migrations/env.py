"""Alembic environment for project files, run only from code (no alembic.ini).

:mod:`workbench.store.migrate` builds the Alembic ``Config`` and passes the
open connection in ``config.attributes["connection"]``; the migration then
runs inside that connection's transaction, so a failed upgrade leaves the
file as it was. ``render_as_batch`` makes ALTERs work on SQLite by copying
tables when SQLite cannot alter in place.
"""

from __future__ import annotations

from alembic import context

from workbench.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("project file migrations run on an open connection, from workbench.store")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
