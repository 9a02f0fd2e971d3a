"""Run the real window on one screen size and report its geometry as JSON.

Used by test_window_geometry.py in a process of its own per screen (the
offscreen platform fixes its screen when the application starts):

    python screen_probe.py WIDTH HEIGHT OUT.json [SHOTS_DIR] [SAVED_GEOMETRY_INI]

or, to probe several screens for the price of one start-up, as a small server
that imports the application and writes the example once, then forks one
probe per request line (``WIDTH HEIGHT SCALE OUT.json SHOTS_DIR [SAVED_INI]``,
tab-separated) and answers each with the probe's exit status:

    python screen_probe.py --serve

Each probe still has a process and a QApplication of its own: the fork comes
before any QApplication exists, so its screen and scale are set from scratch.

It opens the Belarus example, records the first-start geometry and the
matrix's share of the window, then opens every view through the View menu's
actions, one after the other, and records the window and the view after each.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path


def _write_example(path: Path) -> None:
    from workbench.exchange.example import load_example
    from workbench.store import ProjectFile

    ProjectFile.create(path, load_example()).close()


def main() -> None:
    width, height, out = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    shots = Path(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else None
    saved = Path(sys.argv[5]) if len(sys.argv) > 5 else None
    probe(width, height, out, shots, saved, example=None)


def serve() -> None:
    """Import once, write the example once, fork a probe per request (see the docstring)."""
    from PySide6.QtWidgets import QApplication  # noqa: F401 - imported before the forks

    from workbench.ui.main_window import MainWindow  # noqa: F401 - likewise

    example = Path(tempfile.mkdtemp(prefix="probe-example-")) / "belarus.achwb"
    _write_example(example)
    print("ready", flush=True)
    for request in sys.stdin:
        width, height, scale, out, shots, *saved = request.rstrip("\n").split("\t")
        pid = os.fork()
        if pid == 0:
            # Standard output is the server's answer channel: anything the probe
            # prints goes to the error log instead of reading as an exit status.
            os.dup2(2, 1)
            status = 1
            try:
                if scale != "1":
                    os.environ["QT_SCALE_FACTOR"] = scale
                probe(
                    int(width),
                    int(height),
                    Path(out),
                    Path(shots) if shots else None,
                    Path(saved[0]) if saved else None,
                    example=example,
                )
                status = 0
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
        _, code = os.waitpid(pid, 0)  # waited for: the probe's CPU time is the server's
        print(os.waitstatus_to_exitcode(code), flush=True)
    shutil.rmtree(example.parent, ignore_errors=True)


def probe(
    width: int,
    height: int,
    out: Path,
    shots: Path | None,
    saved: Path | None,
    example: Path | None,
) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="probe-"))
    screen = scratch / "screen.json"
    scale = float(os.environ.get("QT_SCALE_FACTOR", "1"))
    screen.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "probe",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ]
            }
        )
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    os.environ["HOME"] = str(scratch)
    os.environ["XDG_CONFIG_HOME"] = str(scratch / "config")
    os.environ["XDG_DATA_HOME"] = str(scratch / "data")
    from PySide6.QtCore import QSettings, QStandardPaths
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QApplication

    from workbench.ui.main_window import MainWindow

    app = QApplication(["probe"])
    QStandardPaths.setTestModeEnabled(True)
    path = scratch / "belarus.achwb"
    if example is None:
        _write_example(path)
    else:
        shutil.copyfile(example, path)
    settings_path = saved if saved is not None else scratch / "settings.ini"
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    window.show()
    window.files.open_path(path)

    def settle() -> None:
        for _ in range(6):
            app.processEvents()

    def rect(r) -> list[int]:  # noqa: ANN001
        return [r.x(), r.y(), r.width(), r.height()]

    def snapshot(name: str) -> dict:
        settle()
        matrix = window.matrix
        window_area = window.width() * window.height()
        entry = {
            "name": name,
            "frame": rect(window.frameGeometry()),
            "available": rect(window.screen().availableGeometry()),
            "matrix_share": matrix.width() * matrix.height() / window_area,
            "matrix_rows_visible": matrix.view.viewport().height()
            // max(1, matrix.view.verticalHeader().defaultSectionSize()),
            "footer_visible": matrix.footer.isVisible()
            and matrix.footer.mapTo(window, matrix.footer.rect().bottomLeft()).y()
            <= window.height(),
            "status_visible": window.statusBar().isVisible(),
        }
        area = window.analysis_area
        key = area.current_key() if window.docks["analysis"].isVisible() else None
        entry["front"] = key
        if key is not None:
            holder = area.holder(key)
            entry["view_size"] = [holder.width(), holder.height()]
        if shots is not None:
            picture = window.grab()
            picture.save(str(shots / f"{width}x{height}@{scale:g}-{name}.png"), "PNG")
        return entry

    report = {"scale": scale, "states": [snapshot("start")]}
    for key in window.analysis_area.titles:
        action = window.findChild(QAction, "actionView" + key.capitalize())
        action.trigger()
        report["states"].append(snapshot(key))
    for key in ("scores", "evidence", "hypothesis", "sources", "history"):
        window.show_dock(key)
        report["states"].append(snapshot(key))
    window.findChild(QAction, "actionResetLayout").trigger()
    report["states"].append(snapshot("reset"))
    window.close()
    settings.sync()
    out.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        main()
