"""Rating colours: ColorBrewer RdBu, diverging and colour-blind safe.

Blue is consistent, red inconsistent, near-white neutral. The same colours
read on a dim projector and in print; the two saturated ends carry white text
so the code stays legible. Blank cells take the view's base colour so an
unrated matrix looks empty, not grey.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from workbench.core import palette as colours
from workbench.core.ratings import Rating

#: Cell fill of each rating (BLANK has none: the view's base colour shows).
RATING_FILL: dict[Rating, QColor] = {r: QColor(c) for r, c in colours.RATING_FILL.items()}

#: Code colour on each fill.
RATING_TEXT: dict[Rating, QColor] = {r: QColor(c) for r, c in colours.RATING_INK.items()}

#: Indexed by the int8 code so the model looks colours up without an enum call.
FILL_BY_CODE: list[QColor | None] = [RATING_FILL.get(Rating(i)) for i in range(len(Rating))]
TEXT_BY_CODE: list[QColor | None] = [RATING_TEXT.get(Rating(i)) for i in range(len(Rating))]


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the window background is dark (the system's dark mode)."""
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def muted_text(palette: QPalette | None = None) -> QColor:
    """Text for excluded or non-diagnostic evidence: readable, clearly secondary."""
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)


def excluded_fill(palette: QPalette | None = None) -> QColor:
    """A grey wash over an excluded row, visible in light and dark mode."""
    palette = palette or QApplication.palette()
    base = palette.color(QPalette.ColorRole.Base)
    return base.darker(112) if not is_dark(palette) else base.lighter(180)


def faded(fill: QColor, palette: QPalette | None = None) -> QColor:
    """A rating colour washed toward the excluded-row grey: still readable, clearly out."""
    grey = excluded_fill(palette)
    mix = 0.3
    return QColor.fromRgbF(
        fill.redF() * mix + grey.redF() * (1 - mix),
        fill.greenF() * mix + grey.greenF() * (1 - mix),
        fill.blueF() * mix + grey.blueF() * (1 - mix),
    )


def footer_fill(palette: QPalette | None = None) -> QColor:
    """The score footer's background, set apart from the matrix rows."""
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.AlternateBase)


def leader_fill(palette: QPalette | None = None) -> QColor:
    """Marks the rank-1 hypothesis in the footer (a soft highlight tint)."""
    palette = palette or QApplication.palette()
    tint = QColor(palette.color(QPalette.ColorRole.Highlight))
    tint.setAlpha(60)
    return tint


def swatch(rating: Rating, size: int = 14) -> QIcon:
    """A small square of the rating's colour, for menus."""
    pixmap = QPixmap(size, size)
    pixmap.fill(RATING_FILL.get(rating, QColor(Qt.GlobalColor.transparent)))
    return QIcon(pixmap)


#: The appearance choices of View > Appearance, stored in QSettings.
APPEARANCES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}


def dark_palette() -> QPalette:
    """A calm dark palette for Fusion (used when the analyst picks Dark)."""
    palette = QPalette()
    for role_name, name in colours.DARK_THEME.items():
        palette.setColor(getattr(QPalette.ColorRole, role_name), QColor(name))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colours.DARK_DISABLED_TEXT))
    return palette


def apply_appearance(choice: str) -> str:
    """Light, dark, or the system's scheme; returns the choice actually applied."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return "system"
    choice = choice if choice in APPEARANCES else "system"
    hints = app.styleHints()
    if choice == "system":
        hints.unsetColorScheme()
        app.setPalette(QPalette())
    elif choice == "light":
        hints.setColorScheme(Qt.ColorScheme.Light)
        app.setPalette(app.style().standardPalette())
    else:
        hints.setColorScheme(Qt.ColorScheme.Dark)
        app.setPalette(dark_palette())
    return choice
