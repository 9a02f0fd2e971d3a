"""Render the application icon, resources/desktop/ach-workbench.svg, to the files
the desktops want: PNGs in the hicolor sizes (Linux menus, file managers, the
window), .ico (Windows) and .icns (macOS). Run it after changing the SVG and
commit what it writes:

    QT_QPA_PLATFORM=offscreen .venv/bin/python resources/bundle/make_icons.py

The PNGs are committed rather than drawn at install time so that
``workbench install-desktop`` copies files and needs neither Qt's SVG module
nor a display (the bundle leaves QtSvg out).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DESKTOP = Path(__file__).resolve().parent.parent / "desktop"
SOURCE = DESKTOP / "ach-workbench.svg"
#: The hicolor sizes desktops look up (the Icon Theme Specification's usual set).
SIZES = (16, 22, 24, 32, 48, 64, 128, 256)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"error: {SOURCE} is not a valid SVG", file=sys.stderr)
        return 2

    def render(size: int) -> QImage:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        return image

    for size in SIZES:
        target = DESKTOP / "icons" / f"{size}x{size}" / "ach-workbench.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(size).save(str(target), "PNG"):
            print(f"error: could not write {target}", file=sys.stderr)
            return 1
        print(f"wrote {target}")
    # Windows and macOS take one file holding several sizes; Qt's ico and icns
    # plugins write the largest given, which those systems scale down.
    for name, kind in (("ach-workbench.ico", "ICO"), ("ach-workbench.icns", "ICNS")):
        target = DESKTOP / name
        if not render(256).save(str(target), kind):
            print(f"error: could not write {target} (no Qt {kind} plugin?)", file=sys.stderr)
            return 1
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
