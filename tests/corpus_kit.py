"""What every hostile-corpus module shares: the BadFile record and real projects to spoil.

Kept apart from :mod:`bad_corpus` so the corpus can be split over several
modules (round one there, round two in :mod:`bad_corpus_round2`) without
import cycles.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from pathlib import Path

#: Commands that read a project file, and the one that reads a spreadsheet/CSV/PARC file.
PROJECT_COMMANDS = ("score", "export")
IMPORT_COMMANDS = ("import",)
#: A rating sheet, collected into the project it was written for.
COLLECT_COMMANDS = ("collect",)


@dataclasses.dataclass(frozen=True)
class BadFile:
    """One hostile file, how it is made and what a refusal must mention."""

    name: str
    description: str
    make: Callable[[Path], None]
    #: CLI sub-commands that take this file as their input.
    commands: tuple[str, ...]
    #: Text the error must contain besides the file name (a sheet and cell), if any.
    where: str | None = None
    #: For a rating sheet: makes it at the first path for the project at the second
    #: (a sheet only means something to the project it was written for).
    make_for: Callable[[Path, Path], None] | None = None

    @property
    def is_project(self) -> bool:
        return self.commands == PROJECT_COMMANDS


def make_real_project(path: Path) -> None:
    """A genuine project file (the built-in example), written through the store."""
    from workbench.exchange.example import load_example
    from workbench.store import ProjectFile

    ProjectFile.create(path, load_example()).close()


def tampered_project(statements: tuple[str, ...]) -> Callable[[Path], None]:
    """A real project changed behind the store's back (by a script or another tool)."""

    def make(path: Path) -> None:
        make_real_project(path)
        db = sqlite3.connect(path)
        try:
            # What SQLite would refuse under the store's own settings, forced in.
            db.execute("PRAGMA foreign_keys = OFF")
            db.execute("PRAGMA ignore_check_constraints = ON")
            for statement in statements:
                db.execute(statement)
            db.commit()
        finally:
            db.close()

    return make
