"""Where the analyst stands in Heuer's eight steps of ACH, read from the project.

The guide in the window highlights one step. Which one is a pure function of
the project and the rating layer on screen, so it lives here and is tested
without Qt. The texts are our own plain-language summaries of Heuer,
*Psychology of Intelligence Analysis* (1999), chapter 8.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from workbench.core.model import Project
from workbench.core.ratings import Rating
from workbench.core.scoring import diagnosticity, score


@dataclasses.dataclass(frozen=True)
class HeuerStep:
    number: int
    title: str
    explanation: str


HEUER_STEPS: tuple[HeuerStep, ...] = (
    HeuerStep(
        1,
        "Identify the hypotheses",
        "Write down every reasonable explanation of what happened or will happen, "
        "including the ones you doubt. A group brainstorm helps. Keep them mutually "
        "exclusive where you can: the method compares hypotheses against each other, "
        "so it needs at least two.",
    ),
    HeuerStep(
        2,
        "List the evidence and arguments",
        "List the facts, statements, expert judgements and assumptions that bear on "
        "the question, and also what you would expect to see but do not. Note where "
        "each item comes from and how much you trust it. Type a source's own "
        "conclusions and your assumptions as such: they start excluded from the "
        "scores, so an answer is never counted as evidence for itself.",
    ),
    HeuerStep(
        3,
        "Prepare the matrix and rate it",
        "Work across each row: for one piece of evidence, ask of every hypothesis "
        "whether the item is consistent with it, inconsistent with it, or neither. "
        "Rating a whole row at a time shows which items tell the hypotheses apart.",
    ),
    HeuerStep(
        4,
        "Refine the matrix",
        "Look again at the hypotheses: merge ones that the evidence never separates, "
        "add any that the evidence suggests. Evidence rated the same against every "
        "hypothesis is not diagnostic; exclude it from scoring so it does not "
        "distract you (its ratings are kept).",
    ),
    HeuerStep(
        5,
        "Draw tentative conclusions",
        "Try to refute hypotheses rather than confirm them. The most likely "
        "hypothesis is the one with the least evidence against it, not the one with "
        "the most evidence for it. Read the scores as a guide, not a verdict.",
    ),
    HeuerStep(
        6,
        "Check how sensitive the conclusion is",
        "Ask which few items decide the outcome. If one of them were wrong, "
        "misread, or planted, would the leading hypothesis change? Those critical "
        "items deserve a second look at their sources.",
    ),
    HeuerStep(
        7,
        "Report the conclusions",
        "Report the relative likelihood of all the hypotheses, not just the leader, "
        "and say why the alternatives were set aside. Readers need to know what was "
        "considered and how firm the judgement is.",
    ),
    HeuerStep(
        8,
        "Set milestones for the future",
        "Conclusions are tentative. Name the observable events that would show the "
        "situation is developing differently than you expect, so that you and your "
        "readers know when to revisit the analysis.",
    ),
)


@dataclasses.dataclass(frozen=True)
class StepStatus:
    """The step the analyst should be working on, and why in one sentence."""

    step: int
    reason: str
    #: Blank cells in the layer among the evidence that counts for scoring.
    unrated: int = 0
    #: Codes of active evidence that rates every hypothesis alike.
    non_diagnostic: tuple[str, ...] = ()
    #: True once the analysis is far enough along that milestones are due but none exist.
    milestones_due: bool = False


def current_step(project: Project, codes: np.ndarray) -> StepStatus:
    """The current step of ACH for ``project`` rated as ``codes`` (evidence x hypotheses).

    ``codes`` is the rating layer on screen: one analyst's, or the consensus.
    """
    n_hypotheses = len(project.hypotheses)
    if n_hypotheses < 2:
        have = "no hypotheses yet" if n_hypotheses == 0 else "only one hypothesis so far"
        return StepStatus(1, f"ACH compares competing explanations: add at least two ({have}).")

    active = project.active_mask()
    if not project.evidence:
        return StepStatus(2, "No evidence yet: list what you know that bears on the question.")
    if not active.any():
        return StepStatus(
            2, "Every evidence item is excluded from scoring: include some or add new items."
        )

    codes = np.asarray(codes, dtype=np.int8)
    counted = codes[active]
    unrated = int(np.count_nonzero(counted == Rating.BLANK))
    if unrated:
        cells = "cell" if unrated == 1 else "cells"
        return StepStatus(
            3,
            f"{unrated} {cells} unrated: rate each evidence item against every hypothesis.",
            unrated=unrated,
        )

    # Diagnosticity 0 covers rows rated alike everywhere and rows with fewer than two
    # scored ratings (all NA, say): neither helps choose between hypotheses.
    flat = diagnosticity(counted) == 0
    active_evidence = [e for e, on in zip(project.evidence, active, strict=True) if on]
    non_diagnostic = tuple(e.code for e, f in zip(active_evidence, flat, strict=True) if f)
    milestones_due = not project.milestones
    if non_diagnostic:
        listed = ", ".join(non_diagnostic[:5]) + (" ..." if len(non_diagnostic) > 5 else "")
        return StepStatus(
            4,
            f"{_count(len(non_diagnostic), 'active item does', 'active items do')} not tell "
            f"the hypotheses apart ({listed}): exclude them or reconsider the hypotheses.",
            non_diagnostic=non_diagnostic,
            milestones_due=milestones_due,
        )

    scores = score(codes, project.weights(), active, project.priors(), project.likelihoods)
    leader = project.hypotheses[scores.leader]
    reason = (
        f"Every cell is rated: {leader.code} is the least inconsistent hypothesis. "
        "Treat it as tentative and check which items it hangs on."
    )
    if milestones_due:
        reason += " No milestones yet: list what to watch for (step 8)."
    return StepStatus(5, reason, milestones_due=milestones_due)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
