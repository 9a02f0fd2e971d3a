"""Text and rating colours meet WCAG AA (4.5:1) in light and in dark.

Checked over the palette itself (core/palette.py and the colours ui/palette.py
derives from the Qt palette), so a new colour that does not read fails here.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from workbench.core import palette as colours
from workbench.core.contrast import AA_TEXT, contrast_ratio, mix, readable_muted
from workbench.core.ratings import Rating
from workbench.ui.base import palette


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert mix("#000000", "#FFFFFF", 0.5) == "#808080"
    muted = readable_muted("#000000", "#FFFFFF")
    assert contrast_ratio(muted, "#FFFFFF") >= AA_TEXT and muted != "#000000"


@pytest.mark.parametrize("rating", [r for r in Rating if r in colours.RATING_FILL])
def test_every_rating_code_reads_on_its_fill(rating):
    ratio = contrast_ratio(colours.RATING_INK[rating], colours.RATING_FILL[rating])
    assert ratio >= AA_TEXT, f"{rating.name}: {ratio:.2f}"


@pytest.fixture(params=["light", "dark"])
def appearance(request, qapp):  # noqa: ANN001, ANN201
    palette.apply_appearance(request.param)
    yield QApplication.palette()
    palette.apply_appearance("system")


def _name(colour: QColor) -> str:
    return colour.name()


def test_window_text_reads_in_light_and_dark(appearance: QPalette):
    role = QPalette.ColorRole
    text = _name(appearance.color(role.Text))
    pairs = {
        "text on base": (text, _name(appearance.color(role.Base))),
        "text on alternate base (footer)": (text, _name(appearance.color(role.AlternateBase))),
        "window text": (
            _name(appearance.color(role.WindowText)),
            _name(appearance.color(role.Window)),
        ),
        "muted on base": (_name(palette.muted_text()), _name(appearance.color(role.Base))),
        "muted on excluded row": (_name(palette.muted_text()), _name(palette.excluded_fill())),
        "error message": (_name(palette.error_text()), _name(appearance.color(role.Window))),
    }
    failing = {k: round(contrast_ratio(*v), 2) for k, v in pairs.items()}
    failing = {k: v for k, v in failing.items() if v < AA_TEXT}
    assert not failing, failing


def test_excluded_ratings_still_read_in_light_and_dark(appearance: QPalette):
    failing = {}
    for rating, fill in palette.RATING_FILL.items():
        ratio = contrast_ratio(_name(palette.faded_text(fill)), _name(palette.faded(fill)))
        if ratio < AA_TEXT:
            failing[rating.name] = round(ratio, 2)
    assert not failing, failing


def test_the_workshop_reads_from_the_back_of_the_room():
    background = (colours.WORKSHOP_BACKGROUND, colours.WORKSHOP_PANEL)
    for ink in (colours.WORKSHOP_TEXT, colours.WORKSHOP_MUTED, colours.WORKSHOP_ACCENT):
        for paper in background:
            assert contrast_ratio(ink, paper) >= AA_TEXT, (ink, paper)


def test_ink_on_paper_reads_in_reports_workbooks_and_charts():
    paper = colours.WHITE
    inks = {
        name: getattr(colours, name)
        for name in (
            "INK",
            "SECONDARY_INK",
            "NOTE_INK",
            "MUTED_INK",
            "FAINT_INK",
            "EXCLUDED_INK",
            "ERROR_INK",
            "SHEET_NOTE",
            "SHEET_EXCLUDED",
        )
    }
    failing = {k: round(contrast_ratio(v, paper), 2) for k, v in inks.items()}
    assert not {k: v for k, v in failing.items() if v < AA_TEXT}, failing


def test_chart_axes_use_a_readable_ink(main_window):  # noqa: ANN001
    import pyqtgraph as pg

    foreground = pg.getConfigOption("foreground")
    assert contrast_ratio(str(foreground), colours.WHITE) >= AA_TEXT
