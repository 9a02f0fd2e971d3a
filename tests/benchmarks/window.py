"""The window's figures, in their own interpreter: ``python window.py PROJECT REPEATS``.

Prints one JSON line of medians in seconds, each next to its baseline measured
alternately in the same run:

* ``key`` a rating key press on the team-consensus layer, until the score
  footer is repainted; ``key_base`` the same durable write done bare (bare.py)
  plus one repaint of the matrix viewport.
* ``layer`` switching the rating layer shown (consensus <-> an analyst) until
  the matrix viewport is repainted; ``layer_base`` that repaint alone.
* ``sensitivity`` showing the sensitivity view (stale after an edit) until
  its result is on screen; ``sensitivity_base`` core ``sensitivity()`` of the
  same layer.
* ``open`` opening the project in the window until the matrix is painted;
  ``open_base`` the bare read and score of the same file (bare.py).
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def measure(path: str, repeats: int) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import bare
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest

    from workbench.core.analysis import CONSENSUS
    from workbench.core.sensitivity import sensitivity
    from workbench.ui.app import make_application
    from workbench.ui.main_window import MainWindow

    app = make_application()
    settings = QSettings(str(Path(path).with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    view, footer = window.view, window.matrix.footer
    result: dict[str, list[float]] = {k: [] for k in ("open", "open_base")}

    def painted() -> None:
        app.processEvents()
        view.viewport().grab()

    # Opening: the first open of the process pays one-off imports; the rest are alike.
    for k in range(repeats + 1):
        window.document.close()  # the window holds the file's lock: release it first
        app.processEvents()
        start = time.perf_counter()
        assert window.files.open_path(Path(path))
        painted()
        if k:
            result["open"].append(time.perf_counter() - start)
        start = time.perf_counter()
        bare.read_and_score(Path(path))
        if k:
            result["open_base"].append(time.perf_counter() - start)

    document = window.document
    project = document.project
    document.set_layer(CONSENSUS)
    painted()
    row = len(project.evidence) // 2
    model = view.model()
    view.setCurrentIndex(model.index(row, 5))
    view.scrollTo(model.index(row, 5))
    view.setFocus()
    painted()
    analyst = project.analysts[0].id
    other = project.evidence[row + 1].id
    hypothesis = project.hypotheses[0].id
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = FULL")
    keys, base = [], []
    for k in range(repeats):
        key = "i" if k % 2 == 0 else "n"
        start = time.perf_counter()
        QTest.keyClick(view, key)
        app.processEvents()
        footer.viewport().grab()
        keys.append(time.perf_counter() - start)
        start = time.perf_counter()
        bare.write_rating(db, project, analyst, other, hypothesis, 3 if k % 2 == 0 else 4)
        view.viewport().grab()
        base.append(time.perf_counter() - start)
        QTest.qWait(5)
    db.close()
    result["key"], result["key_base"] = keys, base

    layers, layer_base = [], []
    for k in range(repeats):
        start = time.perf_counter()
        document.set_layer(analyst if k % 2 == 0 else CONSENSUS)
        painted()
        layers.append(time.perf_counter() - start)
        start = time.perf_counter()
        view.viewport().grab()
        layer_base.append(time.perf_counter() - start)
    result["layer"], result["layer_base"] = layers, layer_base

    document.set_layer(CONSENSUS)
    painted()
    dock = window.docks["analysis"]  # the tabbed analysis area holds the sensitivity page
    sensitivity_view = window.views["sensitivity"]
    shown, core = [], []
    for k in range(max(3, repeats // 4)):
        dock.hide()
        QTest.keyClick(view, "i" if k % 2 == 0 else "n")  # hidden, it is now stale
        app.processEvents()
        start = time.perf_counter()
        window.show_dock("sensitivity")
        while sensitivity_view.busy or sensitivity_view.result is None:
            app.processEvents()
            time.sleep(0.0005)
        app.processEvents()
        sensitivity_view.grab()
        shown.append(time.perf_counter() - start)
        start = time.perf_counter()
        sensitivity(document.codes, document.weights, document.active)
        core.append(time.perf_counter() - start)
    result["sensitivity"], result["sensitivity_base"] = shown, core
    dock.hide()
    window.document.close()
    return {name: statistics.median(times) for name, times in result.items()} | {
        "rows": float(len(project.evidence))
    }


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]))), flush=True)
    os._exit(0)
