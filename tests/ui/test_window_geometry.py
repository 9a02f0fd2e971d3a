"""The window on every screen: it fits on first start and after each view is
opened, the matrix keeps its room, views come to the front, Reset Layout
restores the default, and a saved geometry from a bigger screen is clamped.

Each screen runs in a process of its own (screen_probe.py): the offscreen
platform fixes its screen when the application starts. The processes are forked
from one that imported the application and wrote the example once.
"""

from __future__ import annotations

import gc
import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("screen_probe.py")
#: (width, height, scale): 2560 x 1440 at 200 % is 1280 x 720 logical pixels.
SCREENS = [(1280, 720, 1), (1366, 768, 1), (1920, 1080, 1), (2560, 1440, 2)]
PROBE_TIMEOUT_SECONDS = 240
VIEWS = ("steps", "sensitivity", "bayes", "timeline", "milestones", "disagreement")


@pytest.fixture(scope="module")
def probe_server(tmp_path_factory):
    """screen_probe.py --serve: the application imported and the example written once,
    one forked process (and QApplication) per screen probed."""
    log = tmp_path_factory.mktemp("probe-server") / "stderr.txt"
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("QT_SCALE_FACTOR", None)
    with open(log, "w") as errors:
        server = subprocess.Popen(
            [sys.executable, str(PROBE), "--serve"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    assert server.stdout.readline().strip() == "ready", log.read_text()[-3000:]
    server.log = log  # type: ignore[attr-defined]
    yield server
    server.stdin.close()
    try:
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def probe(
    server: subprocess.Popen,
    tmp_path: Path,
    width: int,
    height: int,
    scale: int,
    saved: Path | None = None,
) -> dict:
    out = tmp_path / f"probe-{width}x{height}.json"
    shots = os.environ.get("WORKBENCH_SCREENSHOTS", "")  # a folder: keep PNGs to look at
    fields = [str(width), str(height), str(scale), str(out), shots]
    if saved is not None:
        fields.append(str(saved))
    server.stdin.write("\t".join(fields) + "\n")
    server.stdin.flush()
    answered, _, _ = select.select([server.stdout], [], [], PROBE_TIMEOUT_SECONDS)
    if not answered:
        server.kill()
        pytest.fail(f"no answer from the probe in {PROBE_TIMEOUT_SECONDS} s")
    status = server.stdout.readline().strip()
    assert status == "0", server.log.read_text()[-3000:]
    return json.loads(out.read_text())


def inside(frame: list[int], available: list[int]) -> bool:
    x, y, w, h = frame
    ax, ay, aw, ah = available
    return x >= ax and y >= ay and x + w <= ax + aw and y + h <= ay + ah


@pytest.mark.slow
@pytest.mark.parametrize(("width", "height", "scale"), SCREENS)
def test_the_window_fits_every_screen_with_every_view_open(
    probe_server, tmp_path, width, height, scale
):
    report = probe(probe_server, tmp_path, width, height, scale)
    states = {s["name"]: s for s in report["states"]}
    logical = [0, 0, width // scale, height // scale]
    for state in report["states"]:
        assert state["available"] == logical
        assert inside(state["frame"], state["available"]), state
        assert state["status_visible"] and state["footer_visible"], state
    # The default layout leaves the matrix at least half the window.
    assert states["start"]["matrix_share"] >= 0.5
    assert states["reset"]["matrix_share"] >= 0.5
    assert states["reset"]["front"] is None
    for view in VIEWS:
        state = states[view]
        # Chosen means in front, in the one analysis area, with room to read it...
        assert state["front"] == view
        assert state["view_size"][1] >= 200, state
        # ...and the matrix still shows rows to rate.
        assert state["matrix_rows_visible"] >= 4, state
        assert state["matrix_share"] >= 0.3, state


@pytest.mark.slow
def test_a_geometry_saved_on_a_big_screen_is_clamped_to_a_small_one(qapp, probe_server, tmp_path):  # noqa: ANN001
    from PySide6.QtCore import QSettings

    from workbench.ui.main_window import MainWindow

    # Saved by a window 1900 x 1300 at (400, 300) on a large desktop.
    window = MainWindow(settings=QSettings(str(tmp_path / "big.ini"), QSettings.Format.IniFormat))
    window.setGeometry(400, 300, 1900, 1300)
    saved = QSettings(str(tmp_path / "saved.ini"), QSettings.Format.IniFormat)
    saved.setValue("window/geometry", window.saveGeometry())
    saved.setValue("window/state", window.saveState())
    saved.sync()
    # Freed by Python now, not by deleteLater: a never-shown window deleted later by
    # the event loop left pyqtgraph state that crashed (SIGSEGV) a window test that ran
    # after test_present_the_disagreement_view_on_a_projector.
    del window
    gc.collect()
    report = probe(probe_server, tmp_path, 1366, 768, 1, saved=tmp_path / "saved.ini")
    for state in report["states"]:
        assert inside(state["frame"], state["available"]), state


def test_present_the_disagreement_view_on_a_projector(main_window, qtbot):  # noqa: ANN001
    import pyqtgraph as pg
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel, QTableView

    from workbench.core.edits import AddAnalyst
    from workbench.core.model import Analyst
    from workbench.ui.analysis.area import PRESENT_POINTS

    # A second analyst who disagrees, so the heat map and the list are drawn.
    document = main_window.document
    layer = document.project.layer(document.project.analysts[0].id)[::-1].copy()
    document.do(AddAnalyst(Analyst(document.project.new_id(), "Second analyst"), layer))
    main_window.findChild(QAction, "actionViewDisagreement").trigger()
    main_window.findChild(QAction, "actionPresentAnalysis").trigger()
    dock = main_window.docks["analysis"]
    qtbot.waitUntil(lambda: dock.isFloating() and dock.isVisible(), timeout=2000)
    screen = main_window.screen().availableGeometry()
    assert screen.contains(dock.frameGeometry())
    assert dock.width() * dock.height() >= 0.8 * screen.width() * screen.height()
    view = main_window.analysis_area.pages["disagreement"]
    found = [*view.findChildren(QLabel), *view.findChildren(QTableView)]
    found += [t.horizontalHeader() for t in view.findChildren(QTableView)]
    assert view.plot.isVisible()
    texts = [w for w in found if w.isVisible()]
    assert texts and min(w.font().pointSizeF() for w in texts) >= PRESENT_POINTS >= 14
    # The chart's own text (drawn in a graphics scene that ignores widget fonts) grows too:
    # on every page, whose chart is made when the page is first shown (here, presenting).
    area = main_window.analysis_area
    charts = []
    for key in area.pages:
        area.bring_to_front(key)
        qtbot.waitUntil(area.holder(key).isVisible, timeout=2000)
        for plot in area.holder(key).findChildren(pg.PlotWidget):
            charts.append(plot.objectName())
            assert plot.isVisible(), (key, plot)
            for side in ("left", "bottom"):
                axis = plot.getPlotItem().getAxis(side)
                assert axis.style["tickFont"].pointSizeF() >= PRESENT_POINTS, (plot, side)
                if axis.labelText:
                    assert axis.label.boundingRect().height() >= PRESENT_POINTS, (plot, side)
    assert sorted(charts) == ["posteriorChart", "spreadHeatMap", "timelineChart", "tornadoChart"]
    heat_map = view.plot.getPlotItem()
    assert f"{PRESENT_POINTS:g}pt" in heat_map.titleLabel.item.toHtml().replace(" ", "")
    main_window.findChild(QAction, "actionPresentAnalysis").trigger()
    assert not dock.isFloating()
    assert view.font().pointSizeF() < PRESENT_POINTS
    for side in ("left", "bottom"):
        assert heat_map.getAxis(side).style["tickFont"].pointSizeF() < PRESENT_POINTS


def test_the_editor_forms_fit_their_side_dock_on_a_laptop(main_window, qtbot):  # noqa: ANN001
    """Nothing in the Evidence, Hypothesis or Sources panel is cut off at the right: each
    form is no wider than the dock that scrolls it (one row of five buttons was)."""
    from PySide6.QtWidgets import QScrollArea

    main_window.resize(1366, 768)
    for key in ("evidence", "hypothesis", "sources"):
        main_window.show_dock(key)
        dock = main_window.docks[key]
        qtbot.waitUntil(dock.isVisible, timeout=2000)
        scrolls = [s for s in dock.findChildren(QScrollArea) if s.widget() is not None]
        assert scrolls, key
        for scroll in scrolls:
            needed = scroll.widget().minimumSizeHint().width()
            assert needed <= scroll.viewport().width(), (key, needed, scroll.viewport().width())
