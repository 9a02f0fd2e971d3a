"""Projects built with the core API for the export tests (not collected by pytest)."""

from __future__ import annotations

import random

import numpy as np

from workbench.core.dates import PartialDate
from workbench.core.model import (
    Analyst,
    Evidence,
    EvidenceType,
    Hypothesis,
    Milestone,
    MilestoneStatus,
    Project,
    Source,
)
from workbench.core.ratings import Level, Rating

#: User text that a spreadsheet would run as a formula if written carelessly.
FORMULA_LIKE = ('=HYPERLINK("x")', "+1", "-x", "@SUM(A1)", "=1+2")


def random_project(
    seed: int, n_evidence: int = 30, n_hypotheses: int = 5, n_analysts: int = 1
) -> Project:
    """Every level, every rating (NA and blank too), excluded rows, rationales, sources."""
    rng = random.Random(seed)
    project = Project(title=f"Random case {seed}", question="Which hypothesis survives?")
    for i in range(3):
        project.sources.append(
            Source(project.new_id(), f"Author {i}", 2000 + i, f"Report {i}", f"https://x/{i}")
        )
    for i in range(n_hypotheses):
        project.insert_hypothesis(
            i, Hypothesis(project.new_id(), f"H{i + 1}", f"Hypothesis number {i + 1}")
        )
    for i in range(n_evidence):
        item = Evidence(
            project.new_id(),
            f"E{i + 1}",
            f"Evidence item {i + 1} " + "with a longer title " * rng.randint(0, 4),
            type=rng.choice(list(EvidenceType)),
            date=rng.choice(
                [None, PartialDate(2020), PartialDate(2021, 3), PartialDate(2022, 1, 9)]
            ),
            source_id=rng.choice([None] + [s.id for s in project.sources]),
            locator=rng.choice(["", "p. 4", "section 2"]),
            credibility=rng.choice(list(Level)),
            relevance=rng.choice(list(Level)),
            active=rng.random() > 0.2,
            tags=rng.sample(["military", "economy", "politics"], rng.randint(0, 2)),
            notes=rng.choice(["", "checked twice"]),
        )
        project.insert_evidence(i, item)
    for k in range(n_analysts):
        analyst = Analyst(project.new_id(), f"Analyst {k + 1}")
        ratings = [int(r) for r in Rating]
        layer = np.array(
            [[rng.choice(ratings) for _ in range(n_hypotheses)] for _ in range(n_evidence)],
            dtype=np.int8,
        ).reshape(n_evidence, n_hypotheses)
        project.add_analyst(analyst, layer)
        for _ in range(min(5, n_evidence * n_hypotheses)):
            e = rng.choice(project.evidence)
            h = rng.choice(project.hypotheses)
            project.rationales[(analyst.id, e.id, h.id)] = f"Because {e.code} and {h.code}"
    if project.hypotheses:
        project.milestones.append(
            Milestone(
                project.new_id(),
                project.hypotheses[0].id,
                "Troops stay after the exercise",
                PartialDate(2023, 6),
                MilestoneStatus.OBSERVED,
                "seen in May",
            )
        )
    return project


def formula_like_project() -> Project:
    """Formula-looking text in every kind of user field."""
    project = random_project(7, n_evidence=len(FORMULA_LIKE), n_hypotheses=len(FORMULA_LIKE))
    project.title = FORMULA_LIKE[0]
    project.question = FORMULA_LIKE[1]
    analyst = project.analysts[0]
    for i, text in enumerate(FORMULA_LIKE):
        e, h = project.evidence[i], project.hypotheses[i]
        e.title = e.description = e.notes = e.locator = text
        e.tags = [text]
        h.title = h.description = text
        project.rationales[(analyst.id, e.id, h.id)] = text
    project.sources[0].author = project.sources[0].citation = FORMULA_LIKE[3]
    project.milestones[0].indicator = project.milestones[0].note = FORMULA_LIKE[2]
    return project
