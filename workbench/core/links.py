"""Which links may be made clickable: http, https, mailto and file, nothing else.

A source's link comes from whoever wrote the file (a PARC ``<LINK>``, a
colleague's workbook); ``javascript:``, ``data:`` or an application's own
scheme turned into a live link would run or open something when clicked.
Browsers ignore tabs, newlines and leading control characters or spaces in a
URL (``java\\tscript:`` is ``javascript:``), so the scheme is read the same way.
"""

from __future__ import annotations

import re

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "file"})

_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def is_safe_link(url: str) -> bool:
    """True when ``url`` has one of :data:`SAFE_SCHEMES` (a link without one is text)."""
    found = _SCHEME.match(_IGNORED_BY_BROWSERS.sub("", url))
    return found is not None and found.group(1).lower() in SAFE_SCHEMES
