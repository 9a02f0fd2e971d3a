"""Projects on a PostgreSQL server: a team rates one matrix at once, each in their own layer.

:class:`ServerProject` has the public shape of :class:`~workbench.store.ProjectFile`
(open, apply, project, change_log, settings, close), so a command takes a
``postgresql://...?project=NAME`` address wherever it takes a file. The
tables are the project file's, built by the same migrations in a schema of
the project's own; who may change what is enforced by PostgreSQL's grants
and row-level security (see :mod:`workbench.store.server.access`).
"""

from workbench.store.server.address import ServerAddress, is_server_address, parse_address
from workbench.store.server.errors import (
    NewerServerSchema,
    NoSuchProject,
    NotPermitted,
    ProjectExists,
    ServerUnreachable,
)
from workbench.store.server.project import ServerProject

__all__ = [
    "NewerServerSchema",
    "NoSuchProject",
    "NotPermitted",
    "ProjectExists",
    "ServerAddress",
    "ServerProject",
    "ServerUnreachable",
    "is_server_address",
    "parse_address",
]
