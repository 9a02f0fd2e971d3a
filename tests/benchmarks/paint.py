"""Paint one screenful of the matrix view at the top and at the bottom (own process).

A view whose paint cost grows with the row it is scrolled to (a model that
walks the rows above, a header that measures every row) shows up as a
bottom/top ratio above 1; the viewport holds the same number of rows in both.
Run as ``python paint.py PROJECT REPEATS``; prints ``{"rows", "top", "bottom"}``
in seconds. It runs in its own interpreter so Qt's start-up and shutdown stay
out of the other figures.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time


def measure(path: str, repeats: int) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from workbench.store import ProjectFile
    from workbench.ui.base.document import Document
    from workbench.ui.matrix.matrix_panel import MatrixPanel

    app = QApplication.instance() or QApplication([])
    document = Document(ProjectFile.open(path, read_only=True))
    panel = MatrixPanel(document)
    panel.resize(1400, 900)
    panel.show()
    app.processEvents()
    view = panel.view

    def paint(scroll) -> float:  # noqa: ANN001 - a bound scroll method
        scroll()
        app.processEvents()
        view.viewport().grab()  # the first paint after a scroll also lays out; not timed
        start = time.perf_counter()
        view.viewport().grab()
        return time.perf_counter() - start

    # Alternate the two ends so a busy machine slows both alike.
    top, bottom = [], []
    for _ in range(repeats):
        top.append(paint(view.scrollToTop))
        bottom.append(paint(view.scrollToBottom))
    result = {
        "rows": view.model().rowCount(),
        "top": statistics.median(top),
        "bottom": statistics.median(bottom),
    }
    panel.close()
    document.close()
    return result


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]))), flush=True)
    # Skip interpreter teardown: PySide6 may crash while collecting widgets at exit,
    # which says nothing about the figures already printed.
    os._exit(0)
