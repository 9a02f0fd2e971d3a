"""What an analyst's name may be, whether typed or read from someone's file.

Names are shown in the window, in exports, rating sheets and on the terminal,
and name files (one rating sheet per analyst): a control or formatting
character (an escape sequence, a right-to-left override) in one could act on
whatever shows it. The same rule applies to a name typed in a dialog, given
on the command line or planted in a rating sheet's hidden sheet.
"""

from __future__ import annotations

import unicodedata

from workbench.core.errors import BadInput

MAX_NAME_CHARS = 100


def analyst_name(raw: str, where: str) -> str:
    """``raw`` with runs of white space made single; BadInput (after ``where``) if unfit.

    ``where`` names the file and place a name was read from ("" for a typed name).
    """
    name = " ".join(str(raw).split())
    where = f"{where}: " if where else ""
    if not name:
        raise BadInput(f'{where}an analyst name is empty (give names such as "Ana,Ben,Cy")')
    if len(name) > MAX_NAME_CHARS:
        raise BadInput(
            f"{where}an analyst name of {len(name):,} characters; at most "
            f"{MAX_NAME_CHARS} are accepted"
        )
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        shown = "".join(ch if unicodedata.category(ch) not in ("Cc", "Cf") else "?" for ch in name)
        raise BadInput(
            f"{where}the analyst name {shown!r} contains control or formatting characters"
        )
    return name
