"""File > New: Heuer's first steps, in order, before the matrix appears.

Step 1 is the key question (everything else answers it), step 2 the
hypotheses, step 3 the first evidence. Each step after the question can be
skipped (Finish is offered on every page); a project started without
hypotheses gets two placeholders so there is a matrix to rate.
"""

from __future__ import annotations

import getpass

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from workbench.core.model import Analyst, Evidence, Hypothesis, Project

#: Longest title taken from the key question when the analyst gives none.
TITLE_FROM_QUESTION = 60


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a text box, stripped (one hypothesis or item per line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def title_from(question: str, fallback: str = "Untitled analysis") -> str:
    """A short title from the key question: its first line, cut at a word."""
    first = question.strip().splitlines()[0].strip() if question.strip() else ""
    if not first:
        return fallback
    if len(first) <= TITLE_FROM_QUESTION:
        return first.rstrip("?").strip() or fallback
    cut = first[:TITLE_FROM_QUESTION].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def new_project(
    question: str,
    title: str = "",
    hypotheses: list[str] | None = None,
    evidence: list[str] | None = None,
    time_horizon: str = "",
    classification: str = "",
    analyst: str = "",
) -> Project:
    """The project the wizard describes, with one analyst (the person at the keyboard)."""
    project = Project(
        title=title.strip() or title_from(question),
        question=question.strip(),
        time_horizon=time_horizon.strip(),
        classification=classification.strip(),
    )
    name = analyst.strip() or (getpass.getuser() or "Analyst").capitalize()
    project.add_analyst(Analyst(project.new_id(), name))
    titles = list(hypotheses or []) or ["Hypothesis 1", "Hypothesis 2"]
    for number, text in enumerate(titles, start=1):
        project.insert_hypothesis(number, Hypothesis(project.new_id(), f"H{number}", text))
    for number, text in enumerate(evidence or [], start=1):
        project.insert_evidence(number, Evidence(project.new_id(), f"E{number}", text))
    return project


def _intro(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


class QuestionPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("questionPage")
        self.setTitle("Step 1 of 3 · The key question")
        self.setSubTitle("Heuer's ACH starts from one clearly stated question.")
        self.question = QPlainTextEdit(self)
        self.question.setObjectName("newQuestion")
        self.question.setAccessibleName("Key question")
        self.question.setTabChangesFocus(True)
        self.question.setPlaceholderText(
            "e.g. Will Belarus be integrated into Russia's armed forces by 2030?"
        )
        self.question.setFixedHeight(self.question.fontMetrics().lineSpacing() * 3 + 14)
        self.title_box = QLineEdit(self)
        self.title_box.setObjectName("newTitle")
        self.title_box.setAccessibleName("Title")
        self.title_box.setPlaceholderText("Taken from the question if left empty")
        self.horizon = QLineEdit(self)
        self.horizon.setObjectName("newTimeHorizon")
        self.horizon.setAccessibleName("Time horizon")
        self.horizon.setPlaceholderText("e.g. through 2030 (optional)")
        self.classification = QLineEdit(self)
        self.classification.setObjectName("newClassification")
        self.classification.setAccessibleName("Classification")
        self.classification.setPlaceholderText("e.g. UNCLASSIFIED (optional)")
        form = QFormLayout()
        form.addRow("&Key question", self.question)
        form.addRow("&Title", self.title_box)
        form.addRow("Time &horizon", self.horizon)
        form.addRow("&Classification", self.classification)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _intro(
                "Ask it so that several answers are possible; they become your hypotheses. "
                "You can change all of this later under File > Project Details.",
                self,
            )
        )
        layout.addLayout(form)
        self.question.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return bool(self.question.toPlainText().strip())


class ListPage(QWizardPage):
    """A page of one-per-line entries (hypotheses, evidence)."""

    def __init__(self, name: str, title: str, subtitle: str, intro: str, hint: str, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.setObjectName(f"{name}Page")
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.entries = QPlainTextEdit(self)
        self.entries.setObjectName(f"new_{name}")
        self.entries.setAccessibleName(title.split("·")[-1].strip())
        self.entries.setTabChangesFocus(True)
        self.entries.setPlaceholderText(hint)
        layout = QVBoxLayout(self)
        layout.addWidget(_intro(intro, self))
        layout.addWidget(self.entries)

    def lines(self) -> list[str]:
        return lines_of(self.entries.toPlainText())


class NewProjectWizard(QWizard):
    """Question, hypotheses, first evidence; Finish on any page skips the rest."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("newProjectWizard")
        self.setWindowTitle("New analysis")
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.question_page = QuestionPage(self)
        self.hypotheses_page = ListPage(
            "hypotheses",
            "Step 2 of 3 · Hypotheses",
            "Every reasonable answer to the question, one per line.",
            "List them all, including the ones you think unlikely: ACH works by trying to "
            "reject hypotheses, so one left out can never be tested. They should not overlap. "
            "Leave this empty (or press Finish) to start with two placeholders.",
            "Status quo\nGradual integration\nFull annexation",
            self,
        )
        self.evidence_page = ListPage(
            "evidence",
            "Step 3 of 3 · First evidence",
            "Facts, reports, assumptions and absences of evidence, one per line.",
            "Include what you expected to see but did not. Credibility, relevance, dates "
            "and sources are added in the Evidence panel; rate each item against every "
            "hypothesis in the matrix. This step can be skipped.",
            "Joint exercises held every year since 2009\nNo Russian base announced in 2021",
            self,
        )
        for page in (self.question_page, self.hypotheses_page, self.evidence_page):
            # Every page may finish (skip the rest) once the question is asked.
            page.setFinalPage(True)
            self.addPage(page)
        self.resize(620, 460)

    def project(self) -> Project:
        page = self.question_page
        return new_project(
            question=page.question.toPlainText(),
            title=page.title_box.text(),
            hypotheses=self.hypotheses_page.lines(),
            evidence=self.evidence_page.lines(),
            time_horizon=page.horizon.text(),
            classification=page.classification.text(),
        )

    def suggested_file_name(self) -> str:
        title = title_from(self.question_page.question.toPlainText(), "Untitled")
        title = self.question_page.title_box.text().strip() or title
        safe = "".join(c if c.isalnum() or c in " -_" else " " for c in title)
        return " ".join(safe.split())[:60] or "Untitled"
