"""What an analyst's gesture means, as core edits: one policy for every front end.

The window, the workshop screen and the command line all turn "type C in this
cell", "paste this block", "duplicate this row" or "sort by rank" into the
same :mod:`~workbench.core.edits`, decided here without Qt. A front end says
*where* (the layer on show, the current analyst, row and column indices) and
applies the edit it gets back.

Which layer a typed rating lands on: on an analyst's layer, that analyst's
rating. On the consensus layer with one analyst, that analyst's rating (the
two are the same). On the consensus layer of a team, the facilitator's
override, because changing one analyst's vote would not show as the typed
value. A rationale follows the same rule, except that it never *creates* an
override: writing why the computed consensus is what it is must not freeze it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from workbench.core.analysis import CONSENSUS, LayerKey
from workbench.core.edits import (
    AddEvidence,
    AddHypothesis,
    Batch,
    Edit,
    MoveHypothesis,
    RemoveEvidence,
    RemoveHypothesis,
    SetOverride,
    SetRating,
)
from workbench.core.errors import WorkbenchError
from workbench.core.model import ConsensusOverride, Evidence, Hypothesis, Project
from workbench.core.plurals import counted
from workbench.core.ratings import ACCEPTED_RATING_SPELLINGS, BadRating, Rating, parse_rating
from workbench.core.scoring import MatrixScores


@dataclasses.dataclass(frozen=True)
class Seat:
    """Where the analyst sits: the layer on show and who is rating."""

    layer: LayerKey
    analyst_id: int | None

    def editing_analyst(self, project: Project) -> int | None:
        """Whose ratings and rationales a cell edit changes (None: the team's override)."""
        if self.layer != CONSENSUS:
            return int(self.layer)
        if len(project.analysts) > 1:
            return None
        return self.analyst_id


# -- ratings and rationales -----------------------------------------------------------


def rating_edit(project: Project, seat: Seat, row: int, column: int, rating: Rating) -> Edit:
    """The edit that makes one visible cell show ``rating`` (see the module's rule)."""
    evidence_id = project.evidence[row].id
    hypothesis_id = project.hypotheses[column].id
    analyst = seat.editing_analyst(project)
    if analyst is None and seat.layer == CONSENSUS and len(project.analysts) > 1:
        key = (evidence_id, hypothesis_id)
        note = project.overrides[key].note if key in project.overrides else ""
        return SetOverride(evidence_id, hypothesis_id, ConsensusOverride(rating, note))
    if analyst is None:
        raise WorkbenchError("Add an analyst before rating: this project has none.")
    return SetRating(int(analyst), evidence_id, hypothesis_id, rating)


def rate_cells(
    project: Project, seat: Seat, cells: Sequence[tuple[int, int]], rating: Rating
) -> Edit:
    """One undo step that rates every (row, column) in ``cells``."""
    edits = tuple(rating_edit(project, seat, r, c, rating) for r, c in cells)
    if len(edits) == 1:
        return edits[0]
    return Batch(edits, f"Rate {len(edits)} cells: {rating.code or 'blank'}")


def rationale(project: Project, seat: Seat, row: int, column: int) -> str:
    """The rationale shown for one cell on the layer being edited."""
    evidence_id = project.evidence[row].id
    hypothesis_id = project.hypotheses[column].id
    analyst = seat.editing_analyst(project)
    if analyst is None:
        override = project.overrides.get((evidence_id, hypothesis_id))
        return override.note if override else ""
    return project.rationale(analyst, evidence_id, hypothesis_id)


def rationale_edit(project: Project, seat: Seat, row: int, column: int, text: str) -> Edit:
    """The edit that sets the rationale of one cell on the layer being edited.

    On a team's consensus the note belongs to the facilitator's override; with
    no override there is nothing to annotate, and making one would freeze the
    computed consensus without anyone choosing to: that is refused.
    """
    evidence = project.evidence[row]
    hypothesis = project.hypotheses[column]
    analyst = seat.editing_analyst(project)
    if analyst is None:
        current = project.overrides.get((evidence.id, hypothesis.id))
        if current is None:
            raise WorkbenchError(
                f"The team's rating of {evidence.code} x {hypothesis.code} is computed from "
                "the analysts' ratings. Write the rationale on an analyst's layer, or set "
                "the consensus by hand first (Team > Set Consensus by Hand)."
            )
        return SetOverride(evidence.id, hypothesis.id, ConsensusOverride(current.rating, text))
    rating = project.rating(analyst, evidence.id, hypothesis.id)
    return SetRating(analyst, evidence.id, hypothesis.id, rating, text)


# -- paste --------------------------------------------------------------------------------


def parse_pasted_ratings(text: str) -> list[list[Rating]]:
    """Tab-separated ratings as spreadsheets copy them (rows of columns).

    Raises WorkbenchError naming the line and column of the first word that is
    not a rating.
    """
    if not text.strip():
        raise WorkbenchError("The clipboard holds no ratings to paste.")
    lines = [line.split("\t") for line in text.rstrip("\r\n").replace("\r\n", "\n").split("\n")]
    block = []
    for i, line in enumerate(lines):
        row = []
        for j, raw in enumerate(line):
            try:
                row.append(parse_rating(raw))
            except BadRating as error:
                raise WorkbenchError(
                    f"Clipboard line {i + 1}, column {j + 1}: {error} "
                    f"(use {ACCEPTED_RATING_SPELLINGS})."
                ) from None
        block.append(row)
    return block


def paste_edit(
    project: Project, seat: Seat, block: list[list[Rating]], rows: Sequence[int], left: int
) -> Edit:
    """Paste ``block`` with its top-left at (``rows[0]``, ``left``) as one undo step.

    ``rows`` are the project rows of the visible rows from the paste target down
    (a filtered or sorted view shows rows out of project order).
    """
    height, width = len(block), max(len(line) for line in block)
    if height > len(rows) or left + width > len(project.hypotheses):
        raise WorkbenchError(
            f"The pasted block ({height} x {width}) runs past the edge of the matrix; "
            "select a cell further up or left."
        )
    edits = [
        rating_edit(project, seat, rows[i], left + j, rating)
        for i, line in enumerate(block)
        for j, rating in enumerate(line)
    ]
    return Batch(tuple(edits), f"Paste {counted(len(edits), 'rating')}")


# -- structure ------------------------------------------------------------------------


def new_evidence_edit(project: Project, after_row: int) -> AddEvidence:
    """A blank item placed after ``after_row`` (at the end when -1)."""
    evidence = Evidence(id=project.new_id(), code=project.next_code("E"), title="New evidence")
    index = after_row + 1 if after_row >= 0 else len(project.evidence)
    return AddEvidence(evidence, index)


def duplicate_evidence_edit(project: Project, row: int) -> AddEvidence:
    """A copy of one item with every analyst's ratings and rationales, placed after it."""
    original = project.evidence[row]
    copy = dataclasses.replace(
        original,
        id=project.new_id(),
        code=project.next_code("E"),
        title=f"{original.title} (copy)",
        tags=list(original.tags),
    )
    rows = {aid: layer[row].copy() for aid, layer in project.layers.items()}
    notes = {
        (a, copy.id, h): text for (a, e, h), text in project.rationales.items() if e == original.id
    }
    return AddEvidence(copy, row + 1, rows, notes)


def delete_evidence_edit(project: Project, rows: Sequence[int]) -> Edit:
    removals = tuple(RemoveEvidence(project.evidence[r].id) for r in sorted(set(rows)))
    if len(removals) == 1:
        return removals[0]
    return Batch(removals, f"Delete {len(removals)} evidence items")


def new_hypothesis_edit(project: Project, after_column: int) -> AddHypothesis:
    hypothesis = Hypothesis(
        id=project.new_id(), code=project.next_code("H"), title="New hypothesis"
    )
    index = after_column + 1 if after_column >= 0 else len(project.hypotheses)
    return AddHypothesis(hypothesis, index)


def duplicate_hypothesis_edit(project: Project, column: int) -> AddHypothesis:
    original = project.hypotheses[column]
    copy = dataclasses.replace(
        original, id=project.new_id(), code=project.next_code("H"), title=f"{original.title} (copy)"
    )
    columns = {aid: layer[:, column].copy() for aid, layer in project.layers.items()}
    notes = {
        (a, e, copy.id): text for (a, e, h), text in project.rationales.items() if h == original.id
    }
    return AddHypothesis(copy, column + 1, columns, notes)


def delete_hypothesis_edit(project: Project, column: int) -> Edit:
    return RemoveHypothesis(project.hypotheses[column].id)


def sort_by_rank_edit(project: Project, scores: MatrixScores) -> Edit | None:
    """Moves that put the hypotheses in rank order (None when they already are)."""
    wanted = [project.hypotheses[i].id for i in scores.order()]
    current = [h.id for h in project.hypotheses]
    if wanted == current:
        return None
    moves = []
    for target, hypothesis_id in enumerate(wanted):
        old = current.index(hypothesis_id)
        if old != target:
            current.insert(target, current.pop(old))
            moves.append(MoveHypothesis(hypothesis_id, target))
    return Batch(tuple(moves), "Sort hypotheses by rank")
