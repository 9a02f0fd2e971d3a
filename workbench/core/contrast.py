"""WCAG 2.x contrast between two colours, for the palette's own test and for
picking a readable secondary text colour on whatever background is in use.

Pure arithmetic on ``#RRGGBB`` strings: https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio
"""

from __future__ import annotations

import functools

#: WCAG AA for normal text.
AA_TEXT = 4.5


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    text = colour.lstrip("#")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """From 1 (the same) to 21 (black on white), whichever is lighter."""
    a, b = relative_luminance(first), relative_luminance(second)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


def mix(first: str, second: str, share: float) -> str:
    """``share`` of ``first`` and the rest of ``second``, as ``#RRGGBB``."""
    a, b = first.lstrip("#"), second.lstrip("#")
    parts = [
        round(int(a[i : i + 2], 16) * share + int(b[i : i + 2], 16) * (1 - share))
        for i in (0, 2, 4)
    ]
    return "#" + "".join(f"{p:02X}" for p in parts)


@functools.lru_cache(maxsize=256)
def readable_muted(text: str, background: str, ratio: float = AA_TEXT) -> str:
    """The palest mix of ``text`` into ``background`` that still reads at ``ratio``:
    secondary text that looks secondary and passes WCAG AA."""
    for step in range(0, 101, 5):
        share = step / 100
        candidate = mix(text, background, share)
        if contrast_ratio(candidate, background) >= ratio:
            return candidate
    return text
