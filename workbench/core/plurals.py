"""Counts that read as English: "1 analyst", "2 analysts", "1 cell", "7 cells".

Every message that puts a number before a noun goes through :func:`counted`,
so the window, the reports and the command line never say "1 analysts".
"""

from __future__ import annotations

#: Nouns whose plural is not the singular plus "s".
IRREGULAR = {
    "analysis": "analyses",
    "hypothesis": "hypotheses",
    "evidence": "evidence",
    "this": "these",
}


def plural(count: int, singular: str, many: str | None = None) -> str:
    """The noun for ``count`` items: ``singular`` for exactly one, else its plural."""
    if count == 1:
        return singular
    if many is not None:
        return many
    if singular in IRREGULAR:
        return IRREGULAR[singular]
    # "one-step change" -> "one-step changes": only the last word is inflected.
    head, _, last = singular.rpartition(" ")
    if last in IRREGULAR:
        word = IRREGULAR[last]
    elif last.endswith(("s", "x", "ch", "sh")):
        word = last + "es"
    elif last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        word = last[:-1] + "ies"
    else:
        word = last + "s"
    return f"{head} {word}" if head else word


def counted(count: int, singular: str, many: str | None = None) -> str:
    """``"1 analyst"``, ``"3 analysts"``, ``"0 cells"``."""
    return f"{count} {plural(count, singular, many)}"
