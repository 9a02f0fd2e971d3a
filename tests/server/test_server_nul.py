"""Text PostgreSQL cannot hold (NUL, a lone surrogate) in a rationale: refused, undone."""

from __future__ import annotations

import pytest

from workbench.core.edits import SetRating
from workbench.core.errors import ProjectFileError
from workbench.core.ratings import Rating
from workbench.store.server import ServerProject


def test_a_rationale_with_a_nul_character_is_refused_and_undone(pg, full_project):
    url = pg.role("fac", facilitator=True).url(pg.project_name())
    with ServerProject.create(url, full_project()) as server:
        project = server.project
        a, e, h = project.analysts[2].id, project.evidence[0].id, project.hypotheses[0].id
        before = (server.project.rating(a, e, h), server.project.rationale(a, e, h))
        with pytest.raises(ProjectFileError, match=r"“Rate E1 x H1.*cannot contain NUL.*undone"):
            server.apply(SetRating(a, e, h, Rating.II, "a\x00b"))
        assert (server.project.rating(a, e, h), server.project.rationale(a, e, h)) == before
        server.apply(SetRating(a, e, h, Rating.II, "fine"))


def test_a_rationale_with_a_lone_surrogate_is_refused_and_undone(pg, full_project):
    url = pg.role("fac", facilitator=True).url(pg.project_name())
    with ServerProject.create(url, full_project()) as server:
        project = server.project
        a, e, h = project.analysts[2].id, project.evidence[0].id, project.hypotheses[0].id
        before = (project.rating(a, e, h), project.rationale(a, e, h))
        with pytest.raises(ProjectFileError, match=r"“Rate E1 x H1.*'\\ud800'.*undone"):
            server.apply(SetRating(a, e, h, Rating.II, "bad \ud800 x"))
        assert (server.project.rating(a, e, h), server.project.rationale(a, e, h)) == before
