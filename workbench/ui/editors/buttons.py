"""The row of edit buttons above an editor's form, sized for a narrow side dock.

Five push buttons in one row need about 420 pixels in the default style,
more than a side dock is wide on a laptop, and a form in a scroll area
without a horizontal bar cuts off whatever does not fit (the fields' right
edges went with it). So the buttons sit in a grid of ``columns`` per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget


def button_grid(
    parent: QWidget,
    buttons: Iterable[tuple[str, str, Callable[[], object]]],
    columns: int = 3,
) -> QGridLayout:
    """A grid of push buttons, one per ``(object name, text, slot)``, ``columns`` per row."""
    grid = QGridLayout()
    for index, (name, text, slot) in enumerate(buttons):
        button = QPushButton(text, parent)
        button.setObjectName(name)
        button.clicked.connect(slot)
        grid.addWidget(button, index // columns, index % columns)
    return grid
