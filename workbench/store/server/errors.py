"""Why a project on a server could not be opened or changed, in words for the analyst.

Each is a ``ProjectFileError``, so the CLI prints one ``error:`` line and
exits 2, and the window shows a dialog, exactly as for a project file. The
address in every message is the shown one (no password).
"""

from __future__ import annotations

from workbench.core.errors import ProjectFileError
from workbench.store.server.address import ServerAddress


class ServerUnreachable(ProjectFileError):
    """No connection: the server is down, the address is wrong, or the login was refused."""

    def __init__(self, address: ServerAddress, reason: str) -> None:
        # libpq's messages run over several lines; the CLI promises one.
        self.reason = " ".join(address.redact(reason).split())
        super().__init__(f"cannot reach {address} ({self.reason})")
        self.address = address


class NoSuchProject(ProjectFileError):
    def __init__(self, address: ServerAddress) -> None:
        super().__init__(
            f"{address}: the server has no project named {address.project!r} "
            "(push one there with: workbench push PROJECT.achwb URL)"
        )
        self.address = address


class ProjectExists(ProjectFileError):
    def __init__(self, address: ServerAddress) -> None:
        super().__init__(
            f"{address}: a project named {address.project!r} is already on the server "
            "(use --force to replace it)"
        )
        self.address = address


class NotPermitted(ProjectFileError):
    """The database role may not make this change (the server would refuse it too)."""

    def __init__(self, address: ServerAddress, message: str) -> None:
        super().__init__(f"{address}: {message}")
        self.address = address


class NewerServerSchema(ProjectFileError):
    def __init__(self, address: ServerAddress, found: int, supported: int) -> None:
        super().__init__(
            f"{address} was written by a newer ACH Workbench (schema {found}); "
            f"this version reads up to {supported}"
        )
        self.address = address
        self.found = found
        self.supported = supported
