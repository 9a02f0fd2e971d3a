"""The desktop window (PySide6). The only package that imports Qt."""

from workbench.ui.qt_compat import make_none_immortal

# Before any Qt call: see qt_compat.py (a PySide6 6.12 bug that aborts Python 3.11).
make_none_immortal()
