"""Live: one analyst's commit reaches the others (LISTEN/NOTIFY); stale edits and lost servers."""

from __future__ import annotations

import select
import time

import pytest

from workbench.core.edits import RemoveEvidence, RemoveHypothesis, SetRating
from workbench.core.errors import ProjectFileError
from workbench.core.ratings import Rating
from workbench.store.server import ServerProject, ServerUnreachable


@pytest.fixture
def team(pg, full_project):
    facilitator = pg.role("fac", facilitator=True)
    ana, ben = pg.role("ana"), pg.role("ben")
    name = pg.project_name()
    with ServerProject.create(facilitator.url(name), full_project()) as server:
        server.grant("Analyst 1", ana.name)
        server.grant("Analyst 2", ben.name)
    return facilitator, ana, ben, name


def _wait_for_changes(server, seconds=2.0):
    """Wait on the listening socket as the window does, then take what arrived."""
    fd = server.listen()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        changes = server.take_changes()
        if changes:
            return changes
    return server.take_changes()


def test_an_edit_reaches_the_other_analysts_within_two_seconds(team):
    facilitator, ana, ben, name = team
    with ServerProject.open(ana.url(name)) as a, ServerProject.open(ben.url(name)) as b:
        a.listen()
        b.listen()
        p = b.project
        e, h, mine = p.evidence[4].id, p.hypotheses[2].id, b.my_analyst_id
        started = time.monotonic()
        b.apply(SetRating(mine, e, h, Rating.II, "seen it"))
        changes = _wait_for_changes(a)
        assert time.monotonic() - started < 2.0
        assert changes.cells == {(mine, e, h)} and not changes.reloaded
        assert a.project.rating(mine, e, h) == Rating.II
        assert a.project.rationale(mine, e, h) == "seen it"
        assert not b.take_changes()  # one's own edits do not come back


def test_a_structure_change_reloads_every_window(team):
    facilitator, ana, _, name = team
    with ServerProject.open(ana.url(name)) as a, ServerProject.open(facilitator.url(name)) as f:
        a.listen()
        gone = f.project.hypotheses[0]
        f.apply(RemoveHypothesis(gone.id))
        changes = _wait_for_changes(a)
        assert changes.reloaded
        assert gone.id not in {h.id for h in a.project.hypotheses}
        assert len(a.project.hypotheses) == len(f.project.hypotheses)


def test_an_edit_on_a_row_just_deleted_is_refused_naming_it(team, same_project):
    facilitator, ana, _, name = team
    with ServerProject.open(ana.url(name)) as a, ServerProject.open(facilitator.url(name)) as f:
        stale = a.project
        target = stale.evidence[2]
        f.apply(RemoveEvidence(target.id))
        before = a.project.rating(a.my_analyst_id, target.id, stale.hypotheses[0].id)
        with pytest.raises(ProjectFileError, match=f"refers to evidence {target.code}, which"):
            a.apply(SetRating(a.my_analyst_id, target.id, stale.hypotheses[0].id, Rating.CC))
        assert a.project.rating(a.my_analyst_id, target.id, stale.hypotheses[0].id) == before
        # Nothing else was lost: her other cells still save.
        a.apply(SetRating(a.my_analyst_id, stale.evidence[0].id, stale.hypotheses[0].id, Rating.C))
        a.reload()
        assert target.id not in {e.id for e in a.project.evidence}
        assert a.project.rating(a.my_analyst_id, stale.evidence[0].id, stale.hypotheses[0].id) == 5


def test_a_server_that_goes_away_refuses_edits_then_comes_back(pg, team):
    facilitator, ana, _, name = team
    with ServerProject.open(ana.url(name)) as a:
        a.listen()
        p = a.project
        e, h, mine = p.evidence[0].id, p.hypotheses[0].id, a.my_analyst_id
        before = p.rating(mine, e, h)
        pg.cluster.stop()
        try:
            with pytest.raises(
                ServerUnreachable, match="cannot reach .*was not saved and was undone"
            ):
                a.apply(SetRating(mine, e, h, Rating.NA))
            assert a.project.rating(mine, e, h) == before
            with pytest.raises(ServerUnreachable):
                a.take_changes()
        finally:
            pg.cluster.start()
        a.apply(SetRating(mine, e, h, Rating.NA))  # reconnects by itself
        a.listen()
        assert a.reload().rating(mine, e, h) == Rating.NA
