"""Small editing widgets shared by the side panels.

Each field commits when the analyst finishes with it (Enter, leaving the
field, picking from a list), so every change is one readable undo step
("Edit E12 title") and nothing waits for an OK button that may be forgotten.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from workbench.core.edits import Edit
from workbench.ui.base.dialogs import reporting
from workbench.ui.base.document import Document


class CommitTextEdit(QPlainTextEdit):
    """A multi-line field that reports its text when it loses focus."""

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None, lines: int = 3):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self._loaded = ""
        height = self.fontMetrics().lineSpacing() * lines + 12
        self.setFixedHeight(height)

    def load(self, text: str) -> None:
        self._loaded = text
        self.setPlainText(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.commit()

    def commit(self) -> None:
        text = self.toPlainText()
        if text != self._loaded:
            self._loaded = text
            self.committed.emit(text)


class StatusLine(QLabel):
    """One line under a form saying why a value was not accepted."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("formStatus")
        self.setWordWrap(True)
        self.hide()

    def say(self, text: str) -> None:
        # Chosen when shown, so a message reads in whichever appearance is on now.
        from workbench.ui.base.palette import error_text

        self.setStyleSheet(f"color: {error_text().name()};")
        self.setText(text)
        self.setVisible(bool(text))


def apply_edit(widget: QWidget, document: Document, edit: Edit) -> bool:
    """Do an edit, reporting a refusal in a dialog; True when it went through."""
    done = False
    with reporting(widget):
        document.do(edit)
        done = True
    return done
