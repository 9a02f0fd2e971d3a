"""Every colour the workbench draws with, as ``#RRGGBB`` text: one palette.

The window (``ui/palette.py`` turns these into ``QColor``), the PDF and HTML
reports and the Excel workbooks all read their colours here, so a rating is
the same blue on screen, on paper and in a spreadsheet. It lives in the core
because the core is the one layer every writer may import; it has no Qt.

Ratings use ColorBrewer RdBu (diverging, colour-blind safe): blue is
consistent, red inconsistent, near-white neutral; the two saturated ends
carry white text. A test keeps colour literals out of every other module.
"""

from __future__ import annotations

from workbench.core.ratings import Rating

# -- the rating scale (ColorBrewer RdBu) ---------------------------------------------

#: Cell fill of each rating (BLANK has none: the view's base colour shows).
RATING_FILL: dict[Rating, str] = {
    Rating.CC: "#2166AC",
    Rating.C: "#92C5DE",
    Rating.N: "#F7F7F7",
    Rating.I: "#F4A582",
    Rating.II: "#B2182B",
    Rating.NA: "#D9D9D9",
}

#: Code colour on each fill.
RATING_INK: dict[Rating, str] = {
    Rating.CC: "#FFFFFF",
    Rating.C: "#1A1A1A",
    Rating.N: "#1A1A1A",
    Rating.I: "#1A1A1A",
    Rating.II: "#FFFFFF",
    Rating.NA: "#4D4D4D",  # 5.9:1 on the NA grey (WCAG AA; the old grey was 3.8:1)
}

# -- ink and paper --------------------------------------------------------------------

WHITE = "#FFFFFF"
INK = "#1A1A1A"
#: Secondary text: axis ticks, captions, dates.
SECONDARY_INK = "#555555"
NOTE_INK = "#333333"
MUTED_INK = "#767676"  # the lightest grey that reads at 4.5:1 on white
#: Page numbers in the PDF report.
FAINT_INK = "#666666"
#: A rating in an excluded row of the report's matrix.
EXCLUDED_INK = "#767676"
#: The outline of a rating button in the picker.
BUTTON_BORDER = "#888888"
#: Chart grid lines and table rules on paper.
GRID = "#DDDDDD"
RULE = "#BBBBBB"
HEADER_PAPER = "#EEEEEE"
#: A field's error message (the II red, readable on light and dark backgrounds).
ERROR_INK = "#B2182B"
#: The same message on the dark appearance (the II red reads at 2.3:1 on it).
ERROR_INK_DARK = "#FF8A80"

# -- charts ---------------------------------------------------------------------------

#: The rank-1 hypothesis (the CC blue) and the rest (the C blue).
LEADER = RATING_FILL[Rating.CC]
OTHERS = RATING_FILL[Rating.C]
#: Sensitivity: an exclusion that changes the leader (the II red), and one that does not.
FLIP = RATING_FILL[Rating.II]
STEADY = "#4393C3"
#: Bars of the hypotheses that do not lead, on a light and on a dark background.
BAR_LIGHT = "#9AAABB"
BAR_DARK = "#6F8296"
#: Series of a line chart (Okabe-Ito, colour-blind safe), in order of use.
SERIES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
#: Disagreement spread, from agreement to the widest split (ColorBrewer YlOrRd).
SPREAD = ("#FFFFCC", "#FED976", "#FD8D3C", "#E31A1C", "#800026")
#: Milestones that were observed or contradicted (the palest RdBu ends).
OBSERVED = "#D1E5F0"
CONTRADICTED = "#FDDBC7"
#: Marks in a matrix cell: a rationale (top right) and a hand-set consensus (bottom left).
RATIONALE_MARK = "#444444"
OVERRIDE_MARK = "#6A3D9A"

# -- the workshop's projector screen --------------------------------------------------

WORKSHOP_BACKGROUND = "#14213D"
WORKSHOP_PANEL = "#1F2F52"
WORKSHOP_TEXT = "#FFFFFF"
WORKSHOP_MUTED = "#B8C4DA"
WORKSHOP_ACCENT = "#FCA311"
WORKSHOP_ALARM = "#FF5A5F"

# -- spreadsheets -----------------------------------------------------------------------

SHEET_HEADER = "#DDE4EE"
SHEET_BORDER = "#8EA0B8"
SHEET_NOTE = "#404040"
#: Text of an excluded evidence row.
SHEET_EXCLUDED = "#767676"

# -- the window's dark appearance (Qt palette role name -> colour) ----------------------

DARK_THEME: dict[str, str] = {
    "Window": "#2B2B2B",
    "WindowText": "#E6E6E6",
    "Base": "#1F1F1F",
    "AlternateBase": "#2F2F2F",
    "ToolTipBase": "#3A3A3A",
    "ToolTipText": "#F0F0F0",
    "Text": "#E6E6E6",
    "PlaceholderText": "#9A9A9A",
    "Button": "#353535",
    "ButtonText": "#E6E6E6",
    "Highlight": "#3D7FD6",
    "HighlightedText": "#FFFFFF",
    "Link": "#8AB4F8",
}
DARK_DISABLED_TEXT = "#808080"
#: A note on the dark appearance where the accent blue would be too dark to read.
DARK_ACCENT = RATING_FILL[Rating.C]


def excel(colour: str) -> str:
    """openpyxl's spelling of a colour: ``RRGGBB`` without the hash."""
    return colour.lstrip("#").upper()
