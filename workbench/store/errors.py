"""Why a project file could not be opened or saved, in words for the analyst.

Every error here is a ``ProjectFileError`` (a ``WorkbenchError``), so the CLI
prints it as one line and the window shows it in a dialog; the subclasses let
callers react (offer read-only when the file is in use, for instance).
"""

from __future__ import annotations

import dataclasses
import socket
from pathlib import Path

from workbench.core.errors import ProjectFileError


@dataclasses.dataclass(frozen=True)
class LockHolder:
    """Who has a project open for editing, as written in its lock file."""

    host: str
    pid: int
    user: str
    #: When they opened it (UTC, ISO 8601).
    since: str

    def describe(self) -> str:
        return f"{self.user or 'someone'} on {self.host} (process {self.pid}) since {self.since}"


class NotAProject(ProjectFileError):
    """The file is not an ACH Workbench project: empty, foreign, corrupt or truncated."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} is not an ACH Workbench project ({reason})")
        self.path = path
        self.reason = reason


class NewerSchema(ProjectFileError):
    """The file was written by a newer version; it is refused and left untouched."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(
            f"{path} was written by a newer ACH Workbench (schema {found}); "
            f"this version reads up to {supported}"
        )
        self.path = path
        self.found = found
        self.supported = supported


class FileInUse(ProjectFileError):
    """Someone (maybe this very program) already has the project open for editing."""

    def __init__(self, path: Path, holder: LockHolder | None) -> None:
        who = holder.describe() if holder else "another program"
        message = f"{path} is in use by {who}; open it read-only to look at it without changing it"
        if holder is None or holder.host != socket.gethostname():
            # We cannot tell whether a process on another computer is still
            # running; after a crash there, only the user can say the lock is stale.
            message += f" (if it is not open anywhere, delete {path.name}.lock)"
        else:
            # Where the start time of a process is unknown, a reused id looks alive.
            message += (
                f" (if process {holder.pid} is not ACH Workbench, the lock is left over "
                f"from before a restart: delete {path.name}.lock)"
            )
        super().__init__(message)
        self.path = path
        self.holder = holder


class ReadOnlyFile(ProjectFileError):
    """A change was asked of a project opened read-only."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is open read-only; open it again for editing to change it")
        self.path = path
