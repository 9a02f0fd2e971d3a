"""The team's part of a report: shown when the ratings in the report are the
team consensus of two or more analysts.

A reader of a team's report needs to know where the analysts differed, which
cells the facilitator decided by hand and why, and what each analyst said
about the cells they disputed; the consensus alone hides all of it.
"""

from __future__ import annotations

import dataclasses

from workbench.core.analysis import CONSENSUS, LayerKey
from workbench.core.model import Project
from workbench.core.plurals import counted
from workbench.core.ratings import Rating
from workbench.core.team import analyse_team

#: Disagreements listed in the table (disputed first, then by importance).
DISAGREEMENT_LIMIT = 25


@dataclasses.dataclass(frozen=True)
class TeamRow:
    cell: str
    disputed: bool
    spread: str
    consensus: str
    #: One rating code per analyst, in the order of ``TeamSection.analysts``.
    ratings: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class HandSetCell:
    cell: str
    rating: str
    computed: str
    note: str


@dataclasses.dataclass(frozen=True)
class DisputedReason:
    cell: str
    analyst: str
    rating: str
    rationale: str


@dataclasses.dataclass(frozen=True)
class TeamSection:
    summary: str
    analysts: tuple[str, ...]
    disagreements: tuple[TeamRow, ...]
    #: Cells that differ, in all (the table stops at DISAGREEMENT_LIMIT).
    disagreements_total: int
    hand_set: tuple[HandSetCell, ...]
    reasons: tuple[DisputedReason, ...]


def _code(rating: Rating) -> str:
    return rating.code or "–"


def team_section(project: Project, layer: LayerKey = CONSENSUS) -> TeamSection | None:
    """The team part of the report, or None when the ratings shown are not a team's."""
    if layer != CONSENSUS or len(project.analysts) < 2:
        return None
    team = analyse_team(project)
    ranking = team.ranking()
    disputed = [cell for cell in ranking if cell.disputed]
    rows = tuple(
        TeamRow(
            cell=f"{cell.evidence_code} × {cell.hypothesis_code}",
            disputed=cell.disputed,
            spread=f"{cell.spread:.2f}",
            consensus=_code(cell.consensus) + (" (by hand)" if cell.overridden else ""),
            ratings=tuple(_code(r.rating) for r in cell.ratings),
        )
        for cell in ranking[:DISAGREEMENT_LIMIT]
    )
    hand_set = []
    for row, evidence in enumerate(project.evidence):
        for column, hypothesis in enumerate(project.hypotheses):
            override = project.overrides.get((evidence.id, hypothesis.id))
            if override is None:
                continue
            hand_set.append(
                HandSetCell(
                    cell=f"{evidence.code} × {hypothesis.code}",
                    rating=_code(override.rating),
                    computed=_code(Rating(int(team.computed[row, column]))),
                    note=override.note,
                )
            )
    reasons = tuple(
        DisputedReason(
            cell=f"{cell.evidence_code} × {cell.hypothesis_code}",
            analyst=given.name,
            rating=_code(given.rating),
            rationale=given.rationale,
        )
        for cell in disputed
        for given in cell.ratings
        if given.rationale.strip()
    )
    summary = (
        f"The ratings in this report are the team consensus of "
        f"{counted(len(project.analysts), 'analyst')} "
        f"({', '.join(a.name for a in project.analysts)}). "
        f"They rated {counted(len(ranking), 'cell')} differently, "
        f"{len(disputed)} of them disputed (one consistent, another inconsistent); "
        f"the facilitator set {counted(len(hand_set), 'cell')} by hand."
    )
    return TeamSection(
        summary=summary,
        analysts=tuple(a.name for a in project.analysts),
        disagreements=rows,
        disagreements_total=len(ranking),
        hand_set=tuple(hand_set),
        reasons=reasons,
    )
