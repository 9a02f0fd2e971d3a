"""Every change an analyst makes, as a command object (glue's pattern).

``edit.apply(project)`` changes the in-memory project and returns the edit
that undoes it, captured at that moment, so undo never has to guess the
state it restores. The store persists an edit after applying it (one
transaction per edit) and the window wraps edits in ``QUndoCommand``s, so
the project file, the screen and the undo stack all speak the same language.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np

from workbench.core.limits import check_size, check_text
from workbench.core.model import (
    Analyst,
    ConsensusOverride,
    Evidence,
    EvidenceType,
    Hypothesis,
    Milestone,
    Project,
    Source,
)
from workbench.core.ratings import Rating

#: A rating cell: (analyst id, or None for the team's override; evidence id; hypothesis id).
CellKey = tuple[int | None, int, int]


@dataclasses.dataclass(frozen=True)
class Change:
    """What an edit touches, so a view refreshes no more than it must.

    Known from the edit itself, before or after it is applied; a front end
    reads it instead of asking what kind of edit it holds.
    """

    #: Evidence items whose row on screen changes (ratings or fields).
    evidence_ids: frozenset[int] = frozenset()
    #: The value each rating cell is set to, when the edit sets ratings and nothing
    #: else (a key press, a paste); None for any other edit.
    ratings: Mapping[CellKey, object] | None = None
    #: Rows, columns or analysts were added, removed or reordered.
    structure: bool = False
    #: Something besides ratings is shown differently (titles, weights, sources, priors).
    details: bool = False

    def __or__(self, other: Change) -> Change:
        ratings = (
            None
            if self.ratings is None or other.ratings is None
            else {**self.ratings, **other.ratings}
        )
        return Change(
            self.evidence_ids | other.evidence_ids,
            ratings,
            self.structure or other.structure,
            self.details or other.details,
        )

    @property
    def cells(self) -> frozenset[CellKey] | None:
        """The rating cells set (None when the edit is not ratings alone)."""
        return None if self.ratings is None else frozenset(self.ratings)


#: Adds, removes or reorders rows or columns.
STRUCTURE = Change(structure=True)
#: Changes what is shown beside the ratings.
DETAILS = Change(details=True)


class Edit:
    """Base class. Subclasses are frozen dataclasses holding what they change."""

    def apply(self, project: Project) -> Edit:
        raise NotImplementedError

    def change(self) -> Change:
        """What applying this edit touches (see :class:`Change`)."""
        return DETAILS

    def label(self, project: Project) -> str:
        """A human-readable description for the Edit menu ("Rate E12 x H2: C -> I")."""
        return type(self).__name__


def _code_e(project: Project, evidence_id: int) -> str:
    try:
        return project.evidence_by_id(evidence_id).code
    except KeyError:
        return f"#{evidence_id}"


def _code_h(project: Project, hypothesis_id: int) -> str:
    try:
        return project.hypothesis_by_id(hypothesis_id).code
    except KeyError:
        return f"#{hypothesis_id}"


def _shown(rating: Rating) -> str:
    return rating.code or "blank"


@dataclasses.dataclass(frozen=True)
class SetRating(Edit):
    analyst_id: int
    evidence_id: int
    hypothesis_id: int
    rating: Rating
    #: None keeps the rationale already there; "" clears it.
    rationale: str | None = None

    def apply(self, project: Project) -> Edit:
        before = project.rating(self.analyst_id, self.evidence_id, self.hypothesis_id)
        before_note = project.rationale(self.analyst_id, self.evidence_id, self.hypothesis_id)
        project.set_rating(
            self.analyst_id, self.evidence_id, self.hypothesis_id, self.rating, self.rationale
        )
        return SetRating(
            self.analyst_id,
            self.evidence_id,
            self.hypothesis_id,
            before,
            before_note if self.rationale is not None else None,
        )

    def change(self) -> Change:
        key = (self.analyst_id, self.evidence_id, self.hypothesis_id)
        return Change(frozenset({self.evidence_id}), {key: (self.rating, self.rationale)})

    def label(self, project: Project) -> str:
        cell = f"{_code_e(project, self.evidence_id)} x {_code_h(project, self.hypothesis_id)}"
        try:
            now = project.rating(self.analyst_id, self.evidence_id, self.hypothesis_id)
        except KeyError:
            now = None
        if now is not None and now != self.rating:
            return f"Rate {cell}: {_shown(now)} -> {_shown(self.rating)}"
        if self.rationale is not None and (now is None or now == self.rating):
            return f"Rationale {cell}"
        return f"Rate {cell}: {_shown(self.rating)}"


@dataclasses.dataclass(frozen=True)
class Batch(Edit):
    """Several edits as one undo step (an import, a paste, a fill)."""

    edits: tuple[Edit, ...]
    text: str = "Change several cells"

    def apply(self, project: Project) -> Edit:
        inverses = [edit.apply(project) for edit in self.edits]
        return Batch(tuple(reversed(inverses)), self.text)

    def change(self) -> Change:
        total = Change(ratings={})
        for edit in self.edits:
            total = total | edit.change()
        return total

    def label(self, project: Project) -> str:
        return self.text


#: The project-level fields an UpdateProject may change.
PROJECT_FIELDS = (
    "title",
    "question",
    "description",
    "classification",
    "time_horizon",
    "notes",
    "likelihoods",
)


@dataclasses.dataclass(frozen=True)
class UpdateProject(Edit):
    """Change title, question, description, marking, horizon, notes or likelihoods."""

    changes: dict[str, Any]

    def apply(self, project: Project) -> Edit:
        before = {}
        for name, value in self.changes.items():
            if name not in PROJECT_FIELDS:
                raise AttributeError(f"project has no editable field {name!r}")
            _check_length(name, value)
            before[name] = getattr(project, name)
            setattr(project, name, dict(value) if name == "likelihoods" else value)
        return UpdateProject(before)

    def label(self, project: Project) -> str:
        return "Edit project " + ", ".join(self.changes)


def _check_length(name: str, value: object) -> None:
    """Typed text obeys the same length limit as imported text (checked before any change)."""
    if isinstance(value, str):
        check_text(value, f"the {name}")


def _check_room(
    project: Project, what: str, evidence: int = 0, hypotheses: int = 0, analysts: int = 0
) -> None:
    """Refuse an Add that would take the project past the supported size.

    Opening and importing check the size too; this stops a project reaching it
    one typed or pasted row at a time, when it would no longer open.
    """
    check_size(
        len(project.evidence) + evidence,
        len(project.hypotheses) + hypotheses,
        len(project.analysts) + analysts,
        f"cannot add {what}",
    )


def _check_texts(item: object) -> None:
    """An added item's text obeys the limit a typed change of it would."""
    for field in dataclasses.fields(item):  # type: ignore[arg-type]
        value = getattr(item, field.name)
        if isinstance(value, str):
            _check_length(field.name, value)
        elif isinstance(value, list | tuple):
            for part in value:
                if isinstance(part, str):
                    _check_length(field.name, part)


def _update(obj: object, changes: dict[str, Any]) -> dict[str, Any]:
    before = {}
    fields = {f.name for f in dataclasses.fields(obj)}  # type: ignore[arg-type]
    for name, value in changes.items():
        if name not in fields or name == "id":
            raise AttributeError(f"{type(obj).__name__} has no editable field {name!r}")
        _check_length(name, value)
        before[name] = getattr(obj, name)
        setattr(obj, name, list(value) if isinstance(value, list) else value)
    return before


@dataclasses.dataclass(frozen=True)
class UpdateEvidence(Edit):
    evidence_id: int
    changes: dict[str, Any]

    def apply(self, project: Project) -> Edit:
        before = _update(project.evidence_by_id(self.evidence_id), self.changes)
        return UpdateEvidence(self.evidence_id, before)

    def change(self) -> Change:
        # Every evidence field is shown in the row (code, title, weights, tags).
        return Change(frozenset({self.evidence_id}), details=True)

    def label(self, project: Project) -> str:
        code = _code_e(project, self.evidence_id)
        if set(self.changes) == {"active"}:
            return f"{'Include' if self.changes['active'] else 'Exclude'} {code}"
        return f"Edit {code} " + ", ".join(self.changes)


def retype_evidence(evidence: Evidence, new_type: EvidenceType) -> UpdateEvidence:
    """Change an item's type. Turning an observation into a conclusion or an
    assumption also excludes it from scoring, in the same undo step: reasoning
    should not be weighed as if it were something seen. The reverse leaves the
    exclusion alone, since the analyst may have switched the item off on purpose."""
    changes: dict[str, Any] = {"type": new_type}
    if evidence.active and evidence.type.counts_by_default and not new_type.counts_by_default:
        changes["active"] = False
    return UpdateEvidence(evidence.id, changes)


@dataclasses.dataclass(frozen=True)
class UpdateHypothesis(Edit):
    hypothesis_id: int
    changes: dict[str, Any]

    def apply(self, project: Project) -> Edit:
        before = _update(project.hypothesis_by_id(self.hypothesis_id), self.changes)
        return UpdateHypothesis(self.hypothesis_id, before)

    def label(self, project: Project) -> str:
        return f"Edit {_code_h(project, self.hypothesis_id)} " + ", ".join(self.changes)


@dataclasses.dataclass(frozen=True)
class AddEvidence(Edit):
    evidence: Evidence
    index: int
    rows: dict[int, np.ndarray] | None = None
    rationales: dict[tuple[int, int, int], str] | None = None
    #: The facilitator's consensus ratings on the row (set when undoing a deletion).
    overrides: dict[tuple[int, int], ConsensusOverride] | None = None

    def change(self) -> Change:
        return STRUCTURE

    def apply(self, project: Project) -> Edit:
        _check_room(project, self.evidence.code, evidence=1)
        _check_texts(self.evidence)
        project.insert_evidence(
            self.index,
            dataclasses.replace(self.evidence),
            self.rows,
            self.rationales,
            self.overrides,
        )
        return RemoveEvidence(self.evidence.id)

    def label(self, project: Project) -> str:
        return f"Add {self.evidence.code}"


@dataclasses.dataclass(frozen=True)
class RemoveEvidence(Edit):
    evidence_id: int

    def change(self) -> Change:
        return STRUCTURE

    def apply(self, project: Project) -> Edit:
        removed = project.remove_evidence(self.evidence_id)
        return AddEvidence(
            removed.evidence, removed.index, removed.rows, removed.rationales, removed.overrides
        )

    def label(self, project: Project) -> str:
        return f"Delete {_code_e(project, self.evidence_id)}"


@dataclasses.dataclass(frozen=True)
class MoveEvidence(Edit):
    evidence_id: int
    index: int

    def change(self) -> Change:
        return STRUCTURE

    def apply(self, project: Project) -> Edit:
        return MoveEvidence(self.evidence_id, project.move_evidence(self.evidence_id, self.index))

    def label(self, project: Project) -> str:
        return f"Move {_code_e(project, self.evidence_id)}"


@dataclasses.dataclass(frozen=True)
class AddHypothesis(Edit):
    hypothesis: Hypothesis
    index: int
    columns: dict[int, np.ndarray] | None = None
    rationales: dict[tuple[int, int, int], str] | None = None
    overrides: dict[tuple[int, int], ConsensusOverride] | None = None
    #: (position in the milestone list, milestone): undo puts each back where it stood.
    milestones: tuple[tuple[int, Milestone], ...] = ()

    def change(self) -> Change:
        return STRUCTURE

    def apply(self, project: Project) -> Edit:
        _check_room(project, self.hypothesis.code, hypotheses=1)
        _check_texts(self.hypothesis)
        project.insert_hypothesis(
            self.index,
            dataclasses.replace(self.hypothesis),
            self.columns,
            self.rationales,
            self.overrides,
            tuple((i, dataclasses.replace(m)) for i, m in self.milestones),
        )
        return RemoveHypothesis(self.hypothesis.id)

    def label(self, project: Project) -> str:
        return f"Add {self.hypothesis.code}"


@dataclasses.dataclass(frozen=True)
class RemoveHypothesis(Edit):
    hypothesis_id: int

    def change(self) -> Change:
        return STRUCTURE

    def apply(self, project: Project) -> Edit:
        removed = project.remove_hypothesis(self.hypothesis_id)
        return AddHypothesis(
            removed.hypothesis,
            removed.index,
            removed.columns,
            removed.rationales,
            removed.overrides,
            removed.milestones,
        )

    def label(self, project: Project) -> str:
        return f"Delete {_code_h(project, self.hypothesis_id)}"


@dataclasses.dataclass(frozen=True)
class MoveHypothesis(Edit):
    hypothesis_id: int
    index: int

    def change(self) -> Change:
        return STRUCTURE

    def apply(self, project: Project) -> Edit:
        old = project.move_hypothesis(self.hypothesis_id, self.index)
        return MoveHypothesis(self.hypothesis_id, old)

    def label(self, project: Project) -> str:
        return f"Move {_code_h(project, self.hypothesis_id)}"


def _find(items: list, item_id: int) -> int:
    for i, item in enumerate(items):
        if item.id == item_id:
            return i
    raise KeyError(item_id)


@dataclasses.dataclass(frozen=True)
class AddSource(Edit):
    source: Source
    index: int = -1

    def apply(self, project: Project) -> Edit:
        _check_texts(self.source)
        project.reserve_id(self.source.id)
        index = len(project.sources) if self.index < 0 else self.index
        project.sources.insert(index, dataclasses.replace(self.source))
        return RemoveSource(self.source.id)

    def label(self, project: Project) -> str:
        return f"Add source {self.source.cite()}"


@dataclasses.dataclass(frozen=True)
class RemoveSource(Edit):
    """Removing a source unlinks the evidence that cited it; undo relinks it."""

    source_id: int

    def apply(self, project: Project) -> Edit:
        index = _find(project.sources, self.source_id)
        source = project.sources.pop(index)
        relink = []
        for evidence in project.evidence:
            if evidence.source_id == self.source_id:
                evidence.source_id = None
                relink.append(UpdateEvidence(evidence.id, {"source_id": None}))
        undo: list[Edit] = [AddSource(source, index)]
        undo += [UpdateEvidence(u.evidence_id, {"source_id": self.source_id}) for u in relink]
        return Batch(tuple(undo), f"Delete source {source.cite()}")

    def label(self, project: Project) -> str:
        source = next((s for s in project.sources if s.id == self.source_id), None)
        return f"Delete source {source.cite() if source else self.source_id}"


@dataclasses.dataclass(frozen=True)
class UpdateSource(Edit):
    source_id: int
    changes: dict[str, Any]

    def apply(self, project: Project) -> Edit:
        source = project.sources[_find(project.sources, self.source_id)]
        return UpdateSource(self.source_id, _update(source, self.changes))

    def label(self, project: Project) -> str:
        return "Edit source"


@dataclasses.dataclass(frozen=True)
class AddMilestone(Edit):
    milestone: Milestone
    index: int = -1

    def apply(self, project: Project) -> Edit:
        _check_texts(self.milestone)
        project.reserve_id(self.milestone.id)
        index = len(project.milestones) if self.index < 0 else self.index
        project.milestones.insert(index, dataclasses.replace(self.milestone))
        return RemoveMilestone(self.milestone.id)

    def label(self, project: Project) -> str:
        return "Add milestone"


@dataclasses.dataclass(frozen=True)
class RemoveMilestone(Edit):
    milestone_id: int

    def apply(self, project: Project) -> Edit:
        index = _find(project.milestones, self.milestone_id)
        return AddMilestone(project.milestones.pop(index), index)

    def label(self, project: Project) -> str:
        return "Delete milestone"


@dataclasses.dataclass(frozen=True)
class UpdateMilestone(Edit):
    milestone_id: int
    changes: dict[str, Any]

    def apply(self, project: Project) -> Edit:
        milestone = project.milestones[_find(project.milestones, self.milestone_id)]
        return UpdateMilestone(self.milestone_id, _update(milestone, self.changes))

    def label(self, project: Project) -> str:
        return "Edit milestone"


@dataclasses.dataclass(frozen=True)
class AddAnalyst(Edit):
    analyst: Analyst
    layer: np.ndarray | None = None
    rationales: dict[tuple[int, int, int], str] | None = None
    index: int = -1

    def change(self) -> Change:
        # The consensus layer and the columns' headers are recomputed.
        return Change(structure=True, details=True)

    def apply(self, project: Project) -> Edit:
        _check_room(project, f"analyst {self.analyst.name}", analysts=1)
        _check_texts(self.analyst)
        project.add_analyst(dataclasses.replace(self.analyst), self.layer)
        if self.index >= 0:
            project.analysts.insert(self.index, project.analysts.pop())
        project.rationales.update(self.rationales or {})
        return RemoveAnalyst(self.analyst.id)

    def label(self, project: Project) -> str:
        return f"Add analyst {self.analyst.name}"


@dataclasses.dataclass(frozen=True)
class RemoveAnalyst(Edit):
    analyst_id: int

    def change(self) -> Change:
        # The consensus layer and the columns' headers are recomputed.
        return Change(structure=True, details=True)

    def apply(self, project: Project) -> Edit:
        index, analyst, layer, notes = project.remove_analyst(self.analyst_id)
        return AddAnalyst(analyst, layer, notes, index)

    def label(self, project: Project) -> str:
        return "Remove analyst"


@dataclasses.dataclass(frozen=True)
class UpdateAnalyst(Edit):
    analyst_id: int
    changes: dict[str, Any]

    def apply(self, project: Project) -> Edit:
        analyst = project.analysts[_find(project.analysts, self.analyst_id)]
        return UpdateAnalyst(self.analyst_id, _update(analyst, self.changes))

    def label(self, project: Project) -> str:
        return "Rename analyst"


@dataclasses.dataclass(frozen=True)
class SetOverride(Edit):
    """The facilitator's consensus for one cell; None removes the override."""

    evidence_id: int
    hypothesis_id: int
    override: ConsensusOverride | None

    def apply(self, project: Project) -> Edit:
        key = (self.evidence_id, self.hypothesis_id)
        before = project.overrides.get(key)
        if self.override is None:
            project.overrides.pop(key, None)
        else:
            project.evidence_index(self.evidence_id)
            project.hypothesis_index(self.hypothesis_id)
            project.overrides[key] = self.override
        return SetOverride(self.evidence_id, self.hypothesis_id, before)

    def change(self) -> Change:
        key = (None, self.evidence_id, self.hypothesis_id)
        return Change(frozenset({self.evidence_id}), {key: self.override})

    def label(self, project: Project) -> str:
        cell = f"{_code_e(project, self.evidence_id)} x {_code_h(project, self.hypothesis_id)}"
        if self.override is None:
            return f"Clear consensus {cell}"
        return f"Set consensus {cell}: {_shown(self.override.rating)}"
