"""The PySide6 + pyqtgraph window: the only package that imports Qt widgets."""
