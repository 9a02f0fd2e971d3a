"""Work around a reference-count bug of PySide6 6.12 on Python 3.11.

PySide6 6.12 returns ``None`` for every invalid QVariant without taking a
reference to it: ``index.data(role)``, ``QComboBox.currentData()``,
``QAction.data()``, ``QObject.property()`` ... each drop one reference to
None. On Python 3.11 None starts with a few thousand references, so after a
few thousand such calls (a few dozen repaints of a table whose delegate asks
for a role the model leaves empty) Python aborts with "none_dealloc:
deallocating None". Python 3.12 made None immortal, which makes the leak
harmless; here we do the same by giving None a reference count no session
can use up (2**40 at one leaked reference per call). True and False get the
same reserve: a session of the full window also ran them out ("bool_dealloc").
Nothing else changes: these singletons are never freed in any Python anyway.
"""

from __future__ import annotations

import ctypes
import sys

#: References added to None; at one leak per call this outlasts any session.
_RESERVE = 1 << 40


def make_none_immortal() -> bool:
    """Top up the reference counts of None, True and False on Python < 3.12.

    True when it did (once per process; later calls change nothing).
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    topped = False
    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < _RESERVE:
            count.value += _RESERVE
            topped = True
    return topped
