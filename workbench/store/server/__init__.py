"""Projects on a PostgreSQL server: a team rates one matrix at once, each in their own layer.

:class:`ServerProject` has the public shape of :class:`~workbench.store.ProjectFile`
(open, apply, project, change_log, settings, close), so a command takes a
``postgresql://...?project=NAME`` address wherever it takes a file. The
tables are the project file's (but for the ratings, one row per cell here),
built by the same migrations in a schema of the project's own; who may
change what is enforced by PostgreSQL's grants and row-level security
(see :mod:`workbench.store.server.access`).
"""

from typing import TYPE_CHECKING

from workbench.store.server.address import ServerAddress, is_server_address, parse_address
from workbench.store.server.errors import (
    NewerServerSchema,
    NoSuchProject,
    NotPermitted,
    ProjectExists,
    ServerUnreachable,
)

if TYPE_CHECKING:
    from workbench.store.server.project import ServerProject

# ServerProject pulls in SQLAlchemy and psycopg. Telling an address from a file
# path must not: every read-only command asks, and reads a file without the ORM.


def __getattr__(name: str) -> object:
    if name == "ServerProject":
        from workbench.store.server.project import ServerProject

        return ServerProject
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
