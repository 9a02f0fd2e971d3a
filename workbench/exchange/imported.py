"""A project read from a file, and what that file could speak for.

Kept free of numpy and openpyxl so the format registry (and the CLI's help,
which lists the formats) loads in an instant.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.core.model import Project

#: Evidence fields a workbook carries (everything but id and code).
EVIDENCE_FIELDS = (
    "title",
    "description",
    "type",
    "date",
    "source_id",
    "locator",
    "credibility",
    "relevance",
    "active",
    "tags",
    "notes",
)
HYPOTHESIS_FIELDS = ("title", "description", "prior")


@dataclasses.dataclass(frozen=True)
class ImportScope:
    """What a file can speak for; everything else in the project is left alone.

    A plain matrix says nothing about milestones or rationales, so importing one
    must not read their absence as "delete them all"; a column the sheet lacks
    must not clear that field in every item.
    """

    evidence_fields: frozenset[str] = frozenset(EVIDENCE_FIELDS)
    hypothesis_fields: frozenset[str] = frozenset(HYPOTHESIS_FIELDS)
    project_fields: bool = True
    milestones: bool = True
    rationales: bool = True
    #: The file carries every analyst's layer (matched by name), the consensus set
    #: by hand and the project's own fields: our workbook and JSON. Otherwise its
    #: one layer goes to the analyst the import is for.
    all_layers: bool = True


#: Our own workbook carries the whole project.
WHOLE_PROJECT = ImportScope()


@dataclasses.dataclass(frozen=True)
class Imported:
    """A project read from a file, and what that file could speak for."""

    project: Project
    scope: ImportScope = WHOLE_PROJECT
    #: Something read differently from how it looks, or kept in a place of its own
    #: (a spelling the workbook's formulas cannot count, a number read as a weight
    #: word, a block ignored below a matrix). The CLI prints each as a ``warning:``
    #: line; the window lists them after the import and in the import preview.
    warnings: tuple[str, ...] = ()
