"""The project file (``.achwb``): one SQLite database per project.

Everything else in the application sees a :class:`~workbench.core.storage.ProjectStore`
(opened with :func:`open_store`), :class:`ProjectFile` to create one, and the
errors below; how tables, migrations and locks work stays inside this package.
A second backend is one more branch in :func:`open_store`.
"""

import os

from workbench.core.storage import ProjectStore
from workbench.store.changelog import ChangeRecord
from workbench.store.errors import FileInUse, LockHolder, NewerSchema, NotAProject, ReadOnlyFile
from workbench.store.format import PROJECT_SUFFIX, SCHEMA_VERSION
from workbench.store.project_file import ProjectFile


def open_store(location: str | os.PathLike[str], read_only: bool = False) -> ProjectStore:
    """Open the project at ``location`` for editing or reading.

    ``location`` is an ``.achwb`` file, or a team server's address
    (``postgresql://...?project=NAME``, see :mod:`workbench.store.server`).
    """
    from workbench.store.server.address import is_server_address

    if isinstance(location, str) and is_server_address(location):
        from workbench.store.server.project import ServerProject

        return ServerProject.open(location, read_only=read_only)
    return ProjectFile.open(location, read_only=read_only)


__all__ = [
    "PROJECT_SUFFIX",
    "SCHEMA_VERSION",
    "ChangeRecord",
    "FileInUse",
    "LockHolder",
    "NewerSchema",
    "NotAProject",
    "ProjectFile",
    "ProjectStore",
    "ReadOnlyFile",
    "open_store",
]
