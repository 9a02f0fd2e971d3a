"""Error dialogs and the import preview.

A WorkbenchError is the user's problem, told in one sentence; anything else
is our bug, said plainly with the details folded away. Neither ever leaves
a traceback on the screen or changes the open project.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable, Iterator

from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.core.errors import WorkbenchError
from workbench.core.ratings import RATING_SCALE


def show_error(parent: QWidget | None, message: str, title: str = "ACH Workbench") -> None:
    ok = QMessageBox.StandardButton.Ok
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, ok, parent)
    box.setObjectName("errorDialog")
    box.exec()


def show_bug(parent: QWidget | None, error: BaseException) -> None:
    """An unexpected exception: say it is a bug, keep the details one click away."""
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "ACH Workbench: unexpected error",
        "Something went wrong that should not have (a bug in ACH Workbench). "
        "Your project file is safe: every change up to now is saved.\n\n"
        f"{type(error).__name__}: {error}",
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("bugDialog")
    box.setDetailedText("".join(traceback.format_exception(error)))
    box.exec()


def report(parent: QWidget | None, error: BaseException) -> None:
    if isinstance(error, WorkbenchError):
        show_error(parent, str(error))
    else:
        show_bug(parent, error)


@contextlib.contextmanager
def reporting(parent: QWidget | None) -> Iterator[None]:
    """Run a user action; any failure becomes a dialog instead of a traceback."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - the last line of defence of a user action
        report(parent, error)


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    detail: str = "",
    *,
    accept: str = "",
    full_list: str = "",
) -> bool:
    """Ask before a change the user should look at first (an import into the project).

    ``accept`` names the OK button by what it does ("Import"); ``full_list``
    goes behind "Show Details..." when the summary had to be shortened.
    """
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setObjectName("confirmDialog")
    if detail:
        box.setInformativeText(detail)
    if accept:
        box.button(QMessageBox.StandardButton.Ok).setText(accept)
    if full_list:
        box.setDetailedText(full_list)
    box.setDefaultButton(QMessageBox.StandardButton.Ok)
    return box.exec() == QMessageBox.StandardButton.Ok


KEYS_HELP = (
    "<b>Rating keys</b> (on a hypothesis cell; several selected cells change together)<br>"
    + ",<br>".join(
        f"{' or '.join(RATING_SCALE.keys_for(r))} = {r.label}" for r in RATING_SCALE.choices
    )
    + ",<br>Delete / Backspace = blank. Arrows move; Enter moves down, Tab moves right.<br>"
    "Space (or a double-click) opens the picker; right-click for rationale and more.<br>"
    "Drag a hypothesis header to reorder; double-click it to edit the hypothesis."
)


def show_keys(parent: QWidget | None) -> None:
    QMessageBox.information(parent, "Rating keys", KEYS_HELP)


def show_about(parent: QWidget | None) -> None:
    from workbench import __version__

    QMessageBox.about(
        parent,
        "About ACH Workbench",
        f"<b>ACH Workbench {__version__}</b><br>Analysis of Competing Hypotheses "
        "(Heuer): matrix, scoring, sensitivity, teams, Excel round trip.",
    )


#: Shows a message on the window's status line for some milliseconds: what helpers get
#: instead of the window itself.
StatusMessage = Callable[[str, int], None]
