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
    if any(_hidden(ch) for ch in name):
        shown = "".join("?" if _hidden(ch) else ch for ch in name)
        raise BadInput(
            f"{where}the analyst name {shown!r} contains control or formatting characters"
        )
    return name


#: Unicode's control and format categories, named by a character of each (NUL, the
#: zero-width space) so that no string here reads like a rating code.
_HIDDEN_CATEGORIES = frozenset({unicodedata.category("\x00"), unicodedata.category("\u200b")})


def _hidden(ch: str) -> bool:
    return unicodedata.category(ch) in _HIDDEN_CATEGORIES
