"""Help > ACH Guide (F1): Heuer's eight steps as this window does them.

Each step gives Heuer's point (the same text as the steps guide, from
core/steps.py), where the window does it, and what it looks like in the
built-in Belarus example, then the keys. A non-modal window, so the analyst
can read it beside the matrix.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from workbench.core.steps import HEUER_STEPS

#: Where each step lives in this window, by step number.
IN_THE_WINDOW = {
    1: "File > New asks for the key question first, then the hypotheses. Later: "
    "Hypotheses > Add Hypothesis (Ctrl+Shift+H), the Hypothesis panel, or double-click "
    "a column header. File > Project Details edits the question itself.",
    2: "Evidence > Add Evidence (Ctrl+Shift+E) adds a row; the Evidence panel holds its "
    "date, type, source, credibility and relevance. On the Cred. and Rel. columns of the "
    "matrix, l, m and h set Low, Medium and High.",
    3: "Rate across a row with the keys below; Tab moves right and wraps to the next row, "
    "Enter moves down. Every rating is saved at once and is one Undo step.",
    4: "Sort evidence by weighted diagnosticity; exclude an item (right-click, or "
    "Evidence > Exclude / Include) to set it aside. An excluded item keeps its ratings and "
    "its diagnosticity is still shown, so you can see what it would contribute.",
    5: "The footer under the matrix scores every hypothesis; the least inconsistent is "
    "ranked first and named in the status bar. The Scores panel charts them.",
    6: "View > Sensitivity: the tornado chart shows how much the lead depends on each "
    "item, and 'What would change my mind' the fewest rating changes that would "
    "change the leader.",
    7: "File > Report writes a PDF or web page with every hypothesis ranked, the "
    "diagnostic evidence and the sensitivity; with a team, the disagreements too. "
    "File > Export to Excel writes a workbook with live formulas.",
    8: "View > Milestones lists, for each hypothesis, what you expect to observe and "
    "by when; View > Evidence Timeline shows when the evidence appeared.",
}

#: The same step in the Belarus example (File > Open Example).
IN_THE_EXAMPLE = {
    1: "Key question: in what forms is Belarus being tied militarily to Russia? Four "
    "hypotheses: H1 subordination short of annexation, H2 annexation, H3 a status quo "
    "alliance under Belarusian control, H4 re-balancing away from Russia.",
    2: "58 items paraphrased from Banasik (2022), each citing the article section and "
    "its source, e.g. E1: after the August 2020 protests Minsk turned away from the West.",
    3: "E1 is rated against all four hypotheses in one pass along its row.",
    4: "Sort by weighted diagnosticity: E37 (the Interior Ministry and National Guard "
    "agreement), E1 and E20 separate the hypotheses most; items that rate all four alike "
    "show '0 · non-diagnostic'.",
    5: "H1, subordination short of annexation, has the least weighted inconsistency "
    "(6.8, against 21.6 for H2).",
    6: "No single excluded item changes the leader; E34 and E50 carry most of H1's lead, "
    "and it would take ten one-step changes to put H2 first.",
    7: "File > Report on the example shows the full report layout.",
    8: "Nine milestones, e.g. for H1: Russian units remain in Belarus after Zapad-2021 "
    "has ended; for H2: a Belarusian military district formed inside Russia's command.",
}


def guide_html() -> str:
    from workbench.ui.base.dialogs import KEYS_HELP

    parts = [
        "<h2>Analysis of Competing Hypotheses: the eight steps</h2>",
        "<p>Richards Heuer, <i>Psychology of Intelligence Analysis</i> (1999), chapter 8, "
        "as this window implements it. File &gt; Open Example opens the Belarus case used "
        "below.</p>",
    ]
    for step in HEUER_STEPS:
        parts.append(f"<h3>{step.number}. {html.escape(step.title)}</h3>")
        parts.append(f"<p>{html.escape(step.explanation)}</p>")
        parts.append(
            f"<p><b>In this window:</b> {html.escape(IN_THE_WINDOW.get(step.number, ''))}</p>"
        )
        parts.append(
            f"<p><b>In the Belarus example:</b> "
            f"{html.escape(IN_THE_EXAMPLE.get(step.number, ''))}</p>"
        )
    parts.append("<h3>Keys</h3>")
    parts.append(f"<p>{KEYS_HELP}</p>")
    parts.append(
        "<p>On the Cred. and Rel. columns: l = Low, m = Medium, h = High. "
        "Ctrl+Shift+E adds evidence, Ctrl+Shift+H a hypothesis; Ctrl+Z undoes, Ctrl+Y or "
        "Ctrl+Shift+Z redoes. F11 opens the workshop; F1 this guide.</p>"
    )
    return "\n".join(parts)


class HelpGuide(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("helpGuide")
        self.setWindowTitle("ACH Guide")
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("guideText")
        self.browser.setAccessibleName("ACH guide")
        self.browser.setOpenExternalLinks(True)
        self.browser.setHtml(guide_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(720, 640)
