"""Rating colours: ColorBrewer RdBu, diverging and colour-blind safe.

Blue is consistent, red inconsistent, near-white neutral. The same colours
read on a dim projector and in print; the two saturated ends carry white text
so the code stays legible. Blank cells take the view's base colour so an
unrated matrix looks empty, not grey.
"""

from __future__ import annotations

import weakref

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from workbench.core import palette as colours
from workbench.core.contrast import readable_muted
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


#: Colours derived from a palette, by (what, palette cache key, ...).
_DERIVED: dict[tuple, QColor] = {}


def muted_text(palette: QPalette | None = None) -> QColor:
    """Text for excluded or non-diagnostic evidence: clearly secondary, yet WCAG AA
    (4.5:1) on the excluded-row grey and so on the plain base as well.

    The style's disabled-text colour read at 1.9:1 on white; this is the palest
    mix of the text colour into the grey that still passes.
    """
    palette = palette or QApplication.palette()
    # Asked for every excluded cell Qt paints: computed once per palette.
    key = ("muted", palette.cacheKey())
    found = _DERIVED.get(key)
    if found is None:
        text = palette.color(QPalette.ColorRole.Text).name()
        found = _DERIVED[key] = QColor(readable_muted(text, excluded_fill(palette).name()))
    return found


def faded_text(fill: QColor | None, palette: QPalette | None = None) -> QColor:
    """The code's colour on a faded rating (an excluded row): AA on that fill."""
    if fill is None:
        return muted_text(palette)
    palette = palette or QApplication.palette()
    key = ("faded", palette.cacheKey(), fill.rgba())
    found = _DERIVED.get(key)
    if found is None:
        text = palette.color(QPalette.ColorRole.Text).name()
        found = _DERIVED[key] = QColor(readable_muted(text, faded(fill, palette).name()))
    return found


def error_text(palette: QPalette | None = None) -> QColor:
    """A refusal under a form: the II red in light, a lighter red that reads in dark."""
    return QColor(colours.ERROR_INK_DARK if is_dark(palette) else colours.ERROR_INK)


def excluded_fill(palette: QPalette | None = None) -> QColor:
    """A grey wash over an excluded row, visible in light and dark mode."""
    palette = palette or QApplication.palette()
    base = palette.color(QPalette.ColorRole.Base)
    return base.darker(112) if not is_dark(palette) else base.lighter(180)


def faded(fill: QColor, palette: QPalette | None = None) -> QColor:
    """A rating colour washed toward the excluded-row grey: still readable, clearly out."""
    grey = excluded_fill(palette)
    # Less of the rating on a dark grey: 30 % of a pale fill on it made a mid grey
    # on which no text colour reaches 4.5:1.
    mix = 0.3 if not is_dark(palette) else 0.2
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
    restyle(app)
    return choice


#: Widgets whose style sheets use ``palette(...)`` (see :func:`set_palette_sheet`).
_PALETTE_STYLED: weakref.WeakSet[QWidget] = weakref.WeakSet()


def set_palette_sheet(widget: QWidget, sheet: str) -> None:
    """Give ``widget`` a style sheet that uses ``palette(...)`` colours, and remember it
    so that :func:`restyle` re-resolves them when the appearance switches."""
    widget.setStyleSheet(sheet)
    _PALETTE_STYLED.add(widget)


def restyle(app: QApplication) -> None:
    """Re-resolve every ``palette(...)`` style sheet after a switch.

    Qt resolves them when a sheet is first applied and keeps the result, so
    the frozen ID/Evidence columns and the score footer stayed light in a dark
    window until a restart. Setting each sheet again makes the whole window
    switch at once.

    Only the widgets :func:`set_palette_sheet` styled are touched, never
    ``QApplication.allWidgets()``: that list wraps every widget of the process,
    and a wrapper PySide kept for an address Qt has since freed and reused (a
    widget Qt deleted on its own) crashed the process when used.
    """
    windows = {}
    for widget in list(_PALETTE_STYLED):
        if not shiboken6.isValid(widget):
            continue
        sheet = widget.styleSheet()
        widget.setStyleSheet("")
        widget.setStyleSheet(sheet)
        window = widget.window()
        windows[id(window)] = window
    for window in windows.values():
        # QWidget's own update() (repainting the window and its children): PySide6 6.9
        # lets an item view's update(index) hide it, and view.update() raises there.
        QWidget.update(window)
