"""What the lead rests on, in words: the ranking on the observations alone and
with the conclusions and assumptions added back (numbers from
:func:`workbench.core.analysis.lead_basis`). The report and ``workbench score``
both print these lines.
"""

from __future__ import annotations

import dataclasses

from workbench.core.analysis import CONSENSUS, LayerKey, Reading, lead_basis, reasoning_rows
from workbench.core.model import EvidenceType, Project


@dataclasses.dataclass(frozen=True)
class BasisRow:
    """One reading as the report's table shows it."""

    reading: str
    leader: str
    runner_up: str
    #: How far the leader is ahead in weighted inconsistency.
    margin: float


@dataclasses.dataclass(frozen=True)
class LeadBasis:
    rows: tuple[BasisRow, ...]
    #: Sentences: what is set apart, what counts now, what the lead rests on.
    notes: tuple[str, ...]


def _name(project: Project, column: int) -> str:
    if column < 0:
        return "none"
    h = project.hypotheses[column]
    return f"{h.code} ({h.title})"


def _codes(project: Project, rows: list[int]) -> str:
    return ", ".join(project.evidence[i].code for i in rows)


def _verdict(project: Project, readings: list[Reading]) -> str:
    base = readings[0]
    leaders = {r.leader for r in readings}
    code = project.hypotheses[base.leader].code
    if leaders == {base.leader}:
        margins = [r.margin for r in readings]
        return (
            f"{code} leads in every reading, so its lead rests on the observations; "
            f"the conclusions and assumptions only move its margin "
            f"(from {min(margins):.2f} to {max(margins):.2f})."
        )
    others = [r for r in readings if r.leader != base.leader]
    moved = "; ".join(f"{r.label.lower()}: {project.hypotheses[r.leader].code}" for r in others)
    return (
        f"On the observations alone {code} leads, but not in every reading ({moved}): "
        f"which hypothesis leads depends on reasoning items, not on what was observed."
    )


def basis(project: Project, layer: LayerKey = CONSENSUS) -> LeadBasis:
    """Empty when the project has no conclusions or assumptions."""
    readings = lead_basis(project, layer)
    if not readings:
        return LeadBasis((), ())
    conclusions = reasoning_rows(project, EvidenceType.CONCLUSION)
    assumptions = reasoning_rows(project, EvidenceType.ASSUMPTION)
    parts = [
        f"{len(rows)} {word}{'' if len(rows) == 1 else 's'} ({_codes(project, rows)})"
        for word, rows in (("conclusion", conclusions), ("assumption", assumptions))
        if rows
    ]
    notes = [
        f"The matrix holds {' and '.join(parts)}. A conclusion is a source's own answer "
        "and an assumption a premise; neither was observed, and scoring an answer as "
        "evidence for itself is circular, so they count only where the analyst includes them."
    ]
    counting = [i for i in conclusions + assumptions if project.evidence[i].active]
    if counting:
        notes.append(f"In the scores above the analyst counts {_codes(project, sorted(counting))}.")
    else:
        notes.append("None of them counts in the scores above.")
    notes.append(_verdict(project, readings))
    rows = tuple(
        BasisRow(r.label, _name(project, r.leader), _name(project, r.runner_up), r.margin)
        for r in readings
    )
    return LeadBasis(rows, tuple(notes))


def basis_text(project: Project, layer: LayerKey = CONSENSUS) -> list[str]:
    """The same as plain lines for the command line (empty when there is nothing to say)."""
    found = basis(project, layer)
    if not found.rows:
        return []
    lines = ["what the lead rests on (conclusions and assumptions set apart):"]
    for row in found.rows:
        lines.append(
            f"  {row.reading:<44} {row.leader.split(' ')[0]:<5} leads by {row.margin:6.2f} "
            f"over {row.runner_up.split(' ')[0]}"
        )
    lines += [f"  {note}" for note in found.notes]
    return lines
