"""The window on a team server: others' edits appear, a lost server is said and survived."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("PySide6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from workbench.core.edits import RemoveHypothesis, SetRating  # noqa: E402
from workbench.core.errors import WorkbenchError  # noqa: E402
from workbench.core.ratings import Rating  # noqa: E402
from workbench.store.server import ServerProject  # noqa: E402


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    from workbench.ui.main_window import MainWindow

    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(settings=settings)
    qtbot.addWidget(main)
    main.show()
    main.shown_messages = shown
    yield main
    main.document.close()


@pytest.fixture
def team(pg, full_project):
    facilitator = pg.role("fac", facilitator=True)
    ana, ben = pg.role("ana"), pg.role("ben")
    name = pg.project_name()
    with ServerProject.create(facilitator.url(name), full_project()) as server:
        server.grant("Analyst 1", ana.name)
        server.grant("Analyst 2", ben.name)
    return facilitator, ana, ben, name


def test_the_window_shows_another_analysts_edit_within_two_seconds(window, team, qtbot):
    facilitator, ana, ben, name = team
    assert window.files.open_path(ana.url(name)), window.shown_messages
    document = window.document
    assert document.analyst_id == document.file.my_analyst_id  # her own layer by default
    assert ana.password not in window.windowTitle()
    assert all(ana.password not in p for p in window.files.recent_files())
    with ServerProject.open(ben.url(name)) as other:
        p = other.project
        e, h, bens = p.evidence[1].id, p.hypotheses[3].id, other.my_analyst_id
        other.apply(SetRating(bens, e, h, Rating.II, "from Ben"))
        qtbot.waitUntil(lambda: document.project.rating(bens, e, h) == Rating.II, timeout=2000)
        facilitator_view = ServerProject.open(facilitator.url(name))
        try:
            gone = facilitator_view.project.hypotheses[0].id
            facilitator_view.apply(RemoveHypothesis(gone))
            qtbot.waitUntil(
                lambda: gone not in {h.id for h in document.project.hypotheses}, timeout=2000
            )
        finally:
            facilitator_view.close()
    assert document.scores.weighted_inconsistency.shape[0] == len(document.project.hypotheses)


def test_a_lost_server_is_shown_edits_are_refused_and_it_reconnects(window, team, qtbot, pg):
    facilitator, ana, _, name = team
    assert window.files.open_path(ana.url(name))
    document, link = window.document, window.files.live_link
    mine = document.file.my_analyst_id
    e, h = document.project.evidence[0].id, document.project.hypotheses[0].id
    pg.cluster.stop()
    try:
        qtbot.waitUntil(lambda: not link.connected, timeout=3000)
        status = window.findChild(type(link._status), "serverStatus")
        assert "unreachable" in status.text()
        with pytest.raises(WorkbenchError, match="cannot reach"):
            document.do(SetRating(mine, e, h, Rating.NA))
    finally:
        pg.cluster.start()
    qtbot.waitUntil(lambda: link.connected, timeout=6000)
    document.do(SetRating(mine, e, h, Rating.NA))
    with ServerProject.open(facilitator.url(name), read_only=True) as check:
        assert check.project.rating(mine, e, h) == Rating.NA
