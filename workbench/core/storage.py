"""Where a project lives, as the rest of the application sees it: one protocol.

The SQLite ``.achwb`` file (:class:`workbench.store.ProjectFile`) implements
it today. A second backend (a PostgreSQL server, say) implements the same
methods and is opened by :func:`workbench.store.open_store`; core, exchange,
reports and ui only ever hold a :class:`ProjectStore`, so none of them
changes when one is added.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self, runtime_checkable

from workbench.core.edits import Edit
from workbench.core.model import Project


@runtime_checkable
class ProjectStore(Protocol):
    """An open project, kept durable edit by edit."""

    #: Where the project lives (a file today); shown in titles and messages.
    path: Path
    #: The project as last stored: read it, never change it except through :meth:`apply`.
    project: Project
    #: A copy of an older version kept when the project was upgraded, if any.
    backup: Path | None

    @property
    def read_only(self) -> bool:
        """True when opened to look at only: :meth:`apply` refuses."""
        ...

    def apply(self, edit: Edit, analyst_id: int | None = None) -> Edit:
        """Apply ``edit`` to :attr:`project` durably and return its inverse.

        ``analyst_id`` says who made it, for the change log. If storing fails
        the project is left as it was and the error is raised.
        """
        ...

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A per-project setting (the current analyst, ...)."""
        ...

    def set_setting(self, key: str, value: Any) -> None: ...

    def save_copy(self, path: str | Path) -> None:
        """Write the whole project to a new file at ``path``."""
        ...

    def close(self) -> None:
        """Release the project (and any lock on it); closing twice is harmless."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...
