"""The project file (``.achwb``): one SQLite database per project.

Everything else in the application sees only :class:`ProjectFile` and the
errors below; how tables, migrations and locks work stays inside this package.
"""

from workbench.store.changelog import ChangeRecord
from workbench.store.errors import FileInUse, LockHolder, NewerSchema, NotAProject, ReadOnlyFile
from workbench.store.format import PROJECT_SUFFIX, SCHEMA_VERSION
from workbench.store.project_file import ProjectFile

__all__ = [
    "PROJECT_SUFFIX",
    "SCHEMA_VERSION",
    "ChangeRecord",
    "FileInUse",
    "LockHolder",
    "NewerSchema",
    "NotAProject",
    "ProjectFile",
    "ReadOnlyFile",
]
