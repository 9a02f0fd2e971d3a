"""What identifies a project file, without importing SQLAlchemy.

Read-only paths (every CLI command that only looks at a project) check these
with plain ``sqlite3``; the mapping in :mod:`workbench.store.schema` re-exports
them.
"""

from __future__ import annotations

#: The schema this code writes. 1: first release. 2: consensus overrides and
#: the change log's ``kind`` column. 3: the project's classification marking,
#: time horizon and notes. 4: ratings as one blob per analyst and block of
#: evidence rows, rationales in a table of their own.
SCHEMA_VERSION = 4

#: ``PRAGMA application_id`` of every project file ("ACHW"), so a file is
#: recognised as ours without trusting its name.
APPLICATION_ID = 0x41434857

PROJECT_SUFFIX = ".achwb"

#: Alembic revision id of each schema version (the migrations live in
#: ``workbench/store/migrations``; kept here so read paths need no Alembic).
REVISIONS = {1: "schema1", 2: "schema2", 3: "schema3", 4: "schema4"}
