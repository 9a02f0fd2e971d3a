"""What importing an edited workbook would change in the open project.

Items are matched BY CODE, never by position: a team that sorts the matrix by
diagnosticity or deletes a row in the middle must not shift ratings onto the
wrong evidence. The plan is a list of core edits, shown to the analyst as a
summary first and applied as ONE undoable step, so an import is as reversible
as a single rating change.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from typing import Any

from workbench.core.edits import (
    AddAnalyst,
    AddEvidence,
    AddHypothesis,
    AddMilestone,
    AddSource,
    Batch,
    Edit,
    RemoveAnalyst,
    RemoveEvidence,
    RemoveHypothesis,
    RemoveMilestone,
    SetOverride,
    SetRating,
    UpdateEvidence,
    UpdateHypothesis,
    UpdateMilestone,
    UpdateProject,
    UpdateSource,
)
from workbench.core.errors import BadInput
from workbench.core.model import Analyst, ConsensusOverride, Evidence, Milestone, Project
from workbench.core.ratings import Rating
from workbench.exchange.imported import (
    EVIDENCE_FIELDS,
    HYPOTHESIS_FIELDS,
    WHOLE_PROJECT,
    ImportScope,
)

SOURCE_FIELDS = ("author", "year", "title", "link", "citation")


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


@dataclasses.dataclass
class ImportPlan:
    """The edits an import would make, with counts for the confirmation dialog."""

    edits: list[Edit] = dataclasses.field(default_factory=list)
    label: str = "Import workbook"
    ratings_changed: int = 0
    rationales_changed: int = 0
    evidence_added: list[str] = dataclasses.field(default_factory=list)
    evidence_removed: list[str] = dataclasses.field(default_factory=list)
    #: evidence code -> names of the fields that change
    evidence_changed: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    hypotheses_added: list[str] = dataclasses.field(default_factory=list)
    hypotheses_removed: list[str] = dataclasses.field(default_factory=list)
    hypotheses_changed: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    project_changed: list[str] = dataclasses.field(default_factory=list)
    sources_added: int = 0
    sources_changed: int = 0
    milestones_added: int = 0
    milestones_removed: int = 0
    milestones_changed: int = 0
    overrides_changed: int = 0
    analysts_added: list[str] = dataclasses.field(default_factory=list)
    analysts_removed: list[str] = dataclasses.field(default_factory=list)
    #: What the reader noticed (a spelling the workbook's formulas did not count...).
    warnings: list[str] = dataclasses.field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.edits

    def summary(self) -> list[str]:
        """One line per kind of change, in the words of the confirmation dialog."""
        notes = [f"Warning: {text}" for text in self.warnings]
        if self.is_empty:
            return ["No changes: the workbook matches the project.", *notes]
        lines = []
        if self.project_changed:
            lines.append("Project " + " and ".join(self.project_changed) + " changed")
        for codes, what in (
            (self.hypotheses_added, "added"),
            (self.hypotheses_removed, "removed"),
        ):
            if codes:
                lines.append(
                    f"{_plural(len(codes), 'hypothesis', 'hypotheses')} {what}: " + ", ".join(codes)
                )
        for code, fields in self.hypotheses_changed.items():
            lines.append(f"{code}: {', '.join(fields)} changed")
        for codes, what in ((self.evidence_added, "added"), (self.evidence_removed, "removed")):
            if codes:
                lines.append(f"{_plural(len(codes), 'evidence item')} {what}: " + ", ".join(codes))
        for code, fields in self.evidence_changed.items():
            lines.append(f"{code}: {', '.join(fields)} changed")
        for names, what in ((self.analysts_added, "added"), (self.analysts_removed, "removed")):
            if names:
                lines.append(f"{_plural(len(names), 'analyst')} {what}: " + ", ".join(names))
        if self.ratings_changed:
            lines.append(f"{_plural(self.ratings_changed, 'rating')} changed")
        if self.overrides_changed:
            lines.append(f"{_plural(self.overrides_changed, 'consensus cell')} set by hand changed")
        if self.rationales_changed:
            lines.append(f"{_plural(self.rationales_changed, 'rationale')} changed")
        if self.sources_added or self.sources_changed:
            lines.append(f"Sources: {self.sources_added} added, {self.sources_changed} changed")
        if self.milestones_added or self.milestones_removed or self.milestones_changed:
            lines.append(
                f"Milestones: {self.milestones_added} added, {self.milestones_removed} removed, "
                f"{self.milestones_changed} changed"
            )
        return lines + notes

    def as_edit(self) -> Batch:
        """All changes as one undo step; apply it to the project the plan was made for."""
        return Batch(tuple(self.edits), self.label)


def changes_from_workbook(
    project: Project,
    incoming: Project,
    analyst_id: int,
    *,
    allow_foreign: bool = False,
    label: str = "Import workbook",
    scope: ImportScope = WHOLE_PROJECT,
    warnings: Sequence[str] = (),
) -> ImportPlan:
    """Compare ``incoming`` (read from a workbook) with the open ``project``.

    The ratings of the workbook's matrix (``incoming.analysts[0]``) go to the
    layer of ``analyst_id`` (or, when ``scope.all_layers``, every analyst's layer
    goes to the analyst of that name); ``scope`` and ``warnings`` (from
    :class:`Imported`) say what the file could speak for and what its reader
    noticed. Nothing in ``project`` is changed here.
    """
    if incoming.uid != project.uid and not allow_foreign:
        raise BadInput(
            f"the workbook belongs to another project (project_id {incoming.uid}, "
            f"this project is {project.uid}); import it anyway only if you are sure"
        )
    if not scope.all_layers:
        project.layer(analyst_id)  # fail early on an unknown analyst
    plan = _Planner(project, incoming, analyst_id, label, scope).plan()
    plan.warnings = list(warnings)
    return plan


class _Planner:
    def __init__(
        self,
        project: Project,
        incoming: Project,
        analyst_id: int,
        label: str,
        scope: ImportScope,
    ) -> None:
        self.project = project
        self.incoming = incoming
        self.analyst_id = analyst_id
        self.result = ImportPlan(label=label)
        # Fresh ids are counted here, not taken with project.new_id(), so that
        # planning an import the analyst then cancels leaves the project untouched.
        self.ids = itertools.count(project.next_id)
        #: incoming entity id -> id in the open project (after the plan)
        self.evidence_ids: dict[int, int] = {}
        self.hypothesis_ids: dict[int, int] = {}
        self.source_ids: dict[int, int] = {}
        self.new_evidence: set[int] = set()
        self.new_hypotheses: set[int] = set()
        self.scope = scope

    def add(self, edit: Edit) -> None:
        self.result.edits.append(edit)

    def plan(self) -> ImportPlan:
        self._project_fields()
        self._sources()
        self._hypotheses()
        self._evidence()
        if self.scope.all_layers:
            self._all_layers()
        else:
            self._ratings()
        self._milestones()
        return self.result

    def _project_fields(self) -> None:
        if not self.scope.project_fields:
            return
        names = ["title", "question"]
        if self.scope.all_layers:
            names += ["description", "classification", "time_horizon", "notes", "likelihoods"]
        changes = {
            name: getattr(self.incoming, name)
            for name in names
            if getattr(self.incoming, name) != getattr(self.project, name)
        }
        if changes:
            self.result.project_changed = list(changes)
            self.add(UpdateProject(changes))

    def _sources(self) -> None:
        """Match sources by citation text; sources are added or updated, never removed."""
        used = {e.source_id for e in self.incoming.evidence if e.source_id is not None}
        by_cite = {s.cite().casefold(): s for s in self.project.sources}
        for source in self.incoming.sources:
            match = by_cite.get(source.cite().casefold())
            if match is None:
                if source.id not in used:
                    continue  # an unused row on the Sources sheet is not worth a new source
                new_id = next(self.ids)
                self.add(AddSource(dataclasses.replace(source, id=new_id)))
                self.source_ids[source.id] = new_id
                self.result.sources_added += 1
                continue
            self.source_ids[source.id] = match.id
            changes = _changed(match, source, SOURCE_FIELDS)
            if changes:
                self.add(UpdateSource(match.id, changes))
                self.result.sources_changed += 1

    def _hypotheses(self) -> None:
        incoming_codes = {h.code for h in self.incoming.hypotheses}
        for hypothesis in list(self.project.hypotheses):
            if hypothesis.code not in incoming_codes:
                self.add(RemoveHypothesis(hypothesis.id))
                self.result.hypotheses_removed.append(hypothesis.code)
        for index, new in enumerate(self.incoming.hypotheses):
            old = self.project.hypothesis_by_code(new.code)
            if old is None:
                new_id = next(self.ids)
                self.add(AddHypothesis(dataclasses.replace(new, id=new_id), index))
                self.hypothesis_ids[new.id] = new_id
                self.new_hypotheses.add(new_id)
                self.result.hypotheses_added.append(new.code)
                continue
            self.hypothesis_ids[new.id] = old.id
            changes = _changed(old, new, HYPOTHESIS_FIELDS, self.scope.hypothesis_fields)
            if changes:
                self.add(UpdateHypothesis(old.id, changes))
                self.result.hypotheses_changed[new.code] = list(changes)

    def _evidence(self) -> None:
        incoming_codes = {e.code for e in self.incoming.evidence}
        for evidence in list(self.project.evidence):
            if evidence.code not in incoming_codes:
                self.add(RemoveEvidence(evidence.id))
                self.result.evidence_removed.append(evidence.code)
        for index, new in enumerate(self.incoming.evidence):
            mapped = self._mapped_evidence(new)
            old = self.project.evidence_by_code(new.code)
            if old is None:
                new_id = next(self.ids)
                self.add(AddEvidence(dataclasses.replace(mapped, id=new_id), index))
                self.evidence_ids[new.id] = new_id
                self.new_evidence.add(new_id)
                self.result.evidence_added.append(new.code)
                continue
            self.evidence_ids[new.id] = old.id
            changes = _changed(old, mapped, EVIDENCE_FIELDS, self.scope.evidence_fields)
            if changes:
                self.add(UpdateEvidence(old.id, changes))
                self.result.evidence_changed[new.code] = [
                    "source" if name == "source_id" else name for name in changes
                ]

    def _mapped_evidence(self, new: Evidence) -> Evidence:
        source_id = self.source_ids.get(new.source_id) if new.source_id is not None else None
        return dataclasses.replace(new, source_id=source_id, tags=list(new.tags))

    def _ratings(self) -> None:
        """SetRating for every cell whose rating or rationale differs."""
        incoming, project = self.incoming, self.project
        if not incoming.analysts:
            return
        source_analyst = incoming.analysts[0].id
        layer = incoming.layer(source_analyst)
        old_rows = {e.code: i for i, e in enumerate(project.evidence)}
        old_cols = {h.code: j for j, h in enumerate(project.hypotheses)}
        old_layer = project.layer(self.analyst_id)
        for i, evidence in enumerate(incoming.evidence):
            e_id = self.evidence_ids[evidence.id]
            for j, hypothesis in enumerate(incoming.hypotheses):
                h_id = self.hypothesis_ids[hypothesis.id]
                rating = Rating(int(layer[i, j]))
                fresh = e_id in self.new_evidence or h_id in self.new_hypotheses
                before = (
                    Rating.BLANK
                    if fresh
                    else Rating(int(old_layer[old_rows[evidence.code], old_cols[hypothesis.code]]))
                )
                old_note = "" if fresh else project.rationale(self.analyst_id, e_id, h_id)
                note = (
                    incoming.rationale(source_analyst, evidence.id, hypothesis.id)
                    if self.scope.rationales
                    else old_note
                )
                if rating == before and note == old_note:
                    continue
                self.add(
                    SetRating(
                        self.analyst_id, e_id, h_id, rating, note if note != old_note else None
                    )
                )
                if rating != before and not fresh:
                    self.result.ratings_changed += 1
                if note != old_note:
                    self.result.rationales_changed += 1

    def _all_layers(self) -> None:
        """Every analyst's layer by name, rationales and the consensus set by hand."""
        incoming, project = self.incoming, self.project
        by_name = {a.name.strip().casefold(): a for a in project.analysts}
        kept = set()
        pairs: list[tuple[Analyst, int, bool]] = []
        for analyst in incoming.analysts:
            match = by_name.get(analyst.name.strip().casefold())
            if match is None:
                new_id = next(self.ids)
                self.add(AddAnalyst(Analyst(new_id, analyst.name)))
                self.result.analysts_added.append(analyst.name)
                pairs.append((analyst, new_id, True))
            else:
                kept.add(match.id)
                pairs.append((analyst, match.id, False))
        for analyst in project.analysts:
            if analyst.id not in kept:
                self.add(RemoveAnalyst(analyst.id))
                self.result.analysts_removed.append(analyst.name)
        for source, target, fresh in pairs:
            self._layer(source.id, target, fresh)
        self._overrides()

    def _layer(self, source_id: int, target_id: int, fresh_analyst: bool) -> None:
        incoming, project = self.incoming, self.project
        layer = incoming.layer(source_id)
        old_rows = {e.code: i for i, e in enumerate(project.evidence)}
        old_cols = {h.code: j for j, h in enumerate(project.hypotheses)}
        old_layer = None if fresh_analyst else project.layer(target_id)
        for i, evidence in enumerate(incoming.evidence):
            e_id = self.evidence_ids[evidence.id]
            for j, hypothesis in enumerate(incoming.hypotheses):
                h_id = self.hypothesis_ids[hypothesis.id]
                rating = Rating(int(layer[i, j]))
                existing = (
                    old_layer is not None
                    and e_id not in self.new_evidence
                    and h_id not in self.new_hypotheses
                )
                before = (
                    Rating(int(old_layer[old_rows[evidence.code], old_cols[hypothesis.code]]))
                    if existing and old_layer is not None
                    else Rating.BLANK
                )
                old_note = project.rationale(target_id, e_id, h_id) if existing else ""
                note = incoming.rationale(source_id, evidence.id, hypothesis.id)
                if rating == before and note == old_note:
                    continue
                changed_note = note if note != old_note else None
                self.add(SetRating(target_id, e_id, h_id, rating, changed_note))
                if rating != before and existing:  # a new row's ratings come with it
                    self.result.ratings_changed += 1
                if changed_note is not None:
                    self.result.rationales_changed += 1

    def _overrides(self) -> None:
        incoming, project = self.incoming, self.project
        wanted: dict[tuple[int, int], ConsensusOverride] = {}
        for (e, h), override in incoming.overrides.items():
            wanted[(self.evidence_ids[e], self.hypothesis_ids[h])] = override
        live_e = {e.id for e in project.evidence} - {
            e.id for e in project.evidence if e.code in set(self.result.evidence_removed)
        }
        live_h = {h.id for h in project.hypotheses} - {
            h.id for h in project.hypotheses if h.code in set(self.result.hypotheses_removed)
        }
        for cell in project.overrides:
            if cell not in wanted and cell[0] in live_e and cell[1] in live_h:
                self.add(SetOverride(cell[0], cell[1], None))
                self.result.overrides_changed += 1
        for cell, override in wanted.items():
            if project.overrides.get(cell) != override:
                self.add(SetOverride(cell[0], cell[1], override))
                self.result.overrides_changed += 1

    def _milestones(self) -> None:
        if not self.scope.milestones:
            return

        def key(milestone: Milestone, hypotheses: dict[int, str]) -> tuple[str, str]:
            return hypotheses.get(milestone.hypothesis_id, ""), milestone.indicator.casefold()

        old_codes = {h.id: h.code for h in self.project.hypotheses}
        new_codes = {h.id: h.code for h in self.incoming.hypotheses}
        old = {key(m, old_codes): m for m in self.project.milestones}
        new = {key(m, new_codes): m for m in self.incoming.milestones}
        removed_codes = set(self.result.hypotheses_removed)
        for k, milestone in old.items():
            # Removing a hypothesis already takes its milestones with it.
            if k not in new and k[0] not in removed_codes:
                self.add(RemoveMilestone(milestone.id))
                self.result.milestones_removed += 1
        for k, milestone in new.items():
            hypothesis_id = self.hypothesis_ids[milestone.hypothesis_id]
            if k not in old:
                self.add(
                    AddMilestone(
                        dataclasses.replace(
                            milestone, id=next(self.ids), hypothesis_id=hypothesis_id
                        )
                    )
                )
                self.result.milestones_added += 1
                continue
            changes = _changed(old[k], milestone, ("indicator", "expected_by", "status", "note"))
            if changes:
                self.add(UpdateMilestone(old[k].id, changes))
                self.result.milestones_changed += 1


def _changed(
    old: object, new: object, fields: tuple[str, ...], known: frozenset[str] | None = None
) -> dict[str, Any]:
    return {
        name: getattr(new, name)
        for name in fields
        if (known is None or name in known) and getattr(old, name) != getattr(new, name)
    }
