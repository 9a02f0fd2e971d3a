"""The shape of the workbench's own Excel workbook, shared by the exporter and the importers.

Every sheet name, header text, row and column position lives here so that the
workbook we write and the workbook we read back cannot drift apart. Rows and
columns are 1-based, as in Excel (``Matrix!E7`` is row 7, column 5).

The Matrix sheet::

    row 1   project title
    row 2   key question
    row 3   whose ratings are shown | (above each hypothesis) its code, a formula of the header
    row 4   ID | Evidence | Credibility | Relevance | H1: <title> | H2: ... | Active
    row 5.. one row per evidence item: code, title, level words, rating codes, 1/0
    (one blank row)
            Inconsistency            | live formula per hypothesis column
            Weighted inconsistency   | ...
            Consistency              | ...
            Normalized               | ...

Every value a user can edit is in exactly one cell (format version 2): the
Matrix holds titles, weights, Active and the ratings of the view it shows; the
Evidence, Hypotheses, Scores and About sheets show those by formula. Every
other sheet is a plain table: headers in row 1, one record per row from row 2.
The CSV export is the Matrix header row and evidence rows only (same headers,
including the trailing ``Active`` 1/0 column so exclusions survive the round trip).
"""

from __future__ import annotations

import re

from workbench.core.errors import BadInput
from workbench.core.ratings import RATING_SCALE

# -- sheet names ----------------------------------------------------------------

MATRIX_SHEET = "Matrix"
EVIDENCE_SHEET = "Evidence"
HYPOTHESES_SHEET = "Hypotheses"
SCORES_SHEET = "Scores"
SOURCES_SHEET = "Sources"
MILESTONES_SHEET = "Milestones"
RATIONALES_SHEET = "Rationales"
#: Description, classification, time horizon, notes and likelihoods.
PROJECT_SHEET = "Project"
#: The team, in order: one name per row.
ANALYSTS_SHEET = "Analysts"
#: Every analyst's rating that the Matrix does not show (long form).
RATINGS_SHEET = "Ratings"
#: The consensus cells the facilitator set by hand, with their notes.
OVERRIDES_SHEET = "Overrides"
ABOUT_SHEET = "About"
#: Hidden key/value sheet that identifies the workbook as ours.
META_SHEET = "_workbench"

#: Order of the sheets in the exported workbook.
SHEET_ORDER = (
    MATRIX_SHEET,
    EVIDENCE_SHEET,
    HYPOTHESES_SHEET,
    SCORES_SHEET,
    SOURCES_SHEET,
    MILESTONES_SHEET,
    PROJECT_SHEET,
    ANALYSTS_SHEET,
    RATINGS_SHEET,
    OVERRIDES_SHEET,
    RATIONALES_SHEET,
    ABOUT_SHEET,
    META_SHEET,
)

# -- Matrix sheet ---------------------------------------------------------------

MATRIX_TITLE_ROW = 1
MATRIX_QUESTION_ROW = 2
#: The layer note in column A; above each hypothesis, its code as a formula of the
#: header (so other sheets can find a hypothesis column by code).
MATRIX_CODES_ROW = 3
MATRIX_HEADER_ROW = 4
MATRIX_FIRST_EVIDENCE_ROW = 5

ID_HEADER = "ID"
EVIDENCE_HEADER = "Evidence"
CREDIBILITY_HEADER = "Credibility"
RELEVANCE_HEADER = "Relevance"
#: The column right after the last hypothesis: 1 = scored, 0 = excluded. It is the
#: one place the workbook holds exclusion; the Evidence sheet shows it by formula.
ACTIVE_HEADER = "Active"

ID_COLUMN = 1
EVIDENCE_COLUMN = 2
CREDIBILITY_COLUMN = 3
RELEVANCE_COLUMN = 4
FIRST_HYPOTHESIS_COLUMN = 5

#: Header cells before the hypotheses, in column order.
MATRIX_LEADING_HEADERS = (ID_HEADER, EVIDENCE_HEADER, CREDIBILITY_HEADER, RELEVANCE_HEADER)

INCONSISTENCY_LABEL = "Inconsistency"
WEIGHTED_INCONSISTENCY_LABEL = "Weighted inconsistency"
CONSISTENCY_LABEL = "Consistency"
NORMALIZED_LABEL = "Normalized"
#: Column-A labels of the score rows under the matrix, top to bottom.
SCORE_ROW_LABELS = (
    INCONSISTENCY_LABEL,
    WEIGHTED_INCONSISTENCY_LABEL,
    CONSISTENCY_LABEL,
    NORMALIZED_LABEL,
)


def active_column(n_hypotheses: int) -> int:
    """The ``Active`` column, right after the last hypothesis."""
    return FIRST_HYPOTHESIS_COLUMN + n_hypotheses


def hypothesis_column(index: int) -> int:
    """Column of the hypothesis at 0-based matrix position ``index``."""
    return FIRST_HYPOTHESIS_COLUMN + index


def evidence_row(index: int) -> int:
    """Row of the evidence item at 0-based matrix position ``index``."""
    return MATRIX_FIRST_EVIDENCE_ROW + index


def first_score_row(n_evidence: int) -> int:
    """Row of ``Inconsistency``: one blank row after the last evidence row.

    An empty matrix still keeps one (blank) evidence row's worth of space, so the
    score formulas always have a range to sum over.
    """
    return MATRIX_FIRST_EVIDENCE_ROW + max(n_evidence, 1) + 1


# -- hypothesis headers: "H1: title" -------------------------------------------

_HEADER_CODE = re.compile(r"^\s*(H\d+)\s*:\s?(.*)$", re.IGNORECASE | re.DOTALL)
_EXACT_HEADER = re.compile(r"^(H\d+): (.*)$", re.DOTALL)


def hypothesis_header(code: str, title: str) -> str:
    """``H1: Lukashenko keeps power`` (code, colon, space, title)."""
    return f"{code}: {title}"


def parse_own_header(text: object) -> tuple[str | None, str]:
    """Our own ``H1: title`` header, the title exactly as written (spaces and all)."""
    raw = "" if text is None else str(text)
    match = _EXACT_HEADER.match(raw)
    if match is None:
        return parse_hypothesis_header(raw)
    return match.group(1).upper(), match.group(2)


def parse_hypothesis_header(text: object) -> tuple[str | None, str]:
    """Split a header into (code, title); code is None when there is no ``H<n>:`` prefix.

    The code comes back upper-case (``h3: x`` gives ``("H3", "x")``); the title
    is stripped of surrounding whitespace.
    """
    raw = "" if text is None else str(text)
    match = _HEADER_CODE.match(raw)
    if match is None:
        return None, raw.strip()
    return match.group(1).upper(), match.group(2).strip()


# -- the other sheets: headers in row 1, records from row 2 ---------------------

TABLE_HEADER_ROW = 1
TABLE_FIRST_ROW = 2

EVIDENCE_HEADERS = (
    "ID",
    "Title",  # formula: the Matrix title of this code
    "Description",
    "Type",  # EvidenceType.label, e.g. "Expert assessment"
    "Date",  # str(PartialDate): "2020", "2020-08" or "2020-08-09"; blank if none
    "Source",  # formula: the cited source of "Source ref", for people to read
    "Source ref",  # the Sources sheet's Ref (S1, S2, ...), for the importer
    "Locator",
    "Credibility",  # formula: the Matrix's credibility of this code
    "Relevance",  # formula
    "Weight",  # formula: w(e) from the Matrix's credibility and relevance
    "Active",  # formula: the Matrix's Active flag
    "Tags",  # comma-joined, see TAG_SEPARATOR
    "Notes",
    "Diagnosticity",  # formula, from the Matrix row
    "Weighted diagnosticity",  # formula
    "Matrix row",  # formula: where this code is on the Matrix (a helper, hidden)
)
#: Evidence sheet columns that are formulas of the Matrix: never read back.
EVIDENCE_DERIVED = frozenset(
    {
        "Title",
        "Source",
        "Credibility",
        "Relevance",
        "Weight",
        "Active",
        "Diagnosticity",
        "Weighted diagnosticity",
        "Matrix row",
    }
)
TAG_SEPARATOR = ", "

#: Title is a formula of the Matrix header; Prior blank = equal share.
HYPOTHESES_HEADERS = ("ID", "Title", "Description", "Prior")

SCORES_HEADERS = (
    "Rank",
    "ID",
    "Hypothesis",
    INCONSISTENCY_LABEL,
    WEIGHTED_INCONSISTENCY_LABEL,
    CONSISTENCY_LABEL,
    NORMALIZED_LABEL,
    "Posterior",
)

#: Ref is S1, S2, ... in the project's source order; the Evidence sheet points at it.
SOURCES_HEADERS = ("Ref", "Citation", "Author", "Year", "Title", "Link")

#: Hypothesis is the hypothesis code; Status is MilestoneStatus.label ("Pending").
MILESTONES_HEADERS = ("Hypothesis", "Indicator", "Expected by", "Status", "Note")

#: One row per (analyst, evidence, hypothesis) that has a rationale.
RATIONALES_HEADERS = ("Evidence", "Hypothesis", "Analyst", "Rationale")
#: One row per rating the Matrix does not show: every other analyst's non-blank cells.
RATINGS_HEADERS = ("Evidence", "Hypothesis", "Analyst", "Rating")
#: One row per consensus cell set by hand. When the Matrix shows the consensus, the
#: rating is the Matrix cell and Rating here is a formula of it.
OVERRIDES_HEADERS = ("Evidence", "Hypothesis", "Rating", "Note")
ANALYSTS_HEADERS = ("Analyst",)
PROJECT_HEADERS = ("Field", "Value")
#: Project sheet rows (Field column), top to bottom.
PROJECT_DESCRIPTION = "Description"
PROJECT_CLASSIFICATION = "Classification"
PROJECT_TIME_HORIZON = "Time horizon"
PROJECT_NOTES = "Notes"
PROJECT_TEXT_FIELDS = (
    (PROJECT_DESCRIPTION, "description"),
    (PROJECT_CLASSIFICATION, "classification"),
    (PROJECT_TIME_HORIZON, "time_horizon"),
    (PROJECT_NOTES, "notes"),
)


def likelihood_field(code: str) -> str:
    """The Project sheet's Field for the likelihood of a rating code."""
    return f"Likelihood {code}"


def project_value_row(index: int) -> int:
    """Row of the ``index``-th Project sheet field (texts first, then likelihoods)."""
    return TABLE_FIRST_ROW + index


def source_ref(index: int) -> str:
    """The Ref of the source at 0-based position ``index`` in ``project.sources``."""
    return f"S{index + 1}"


# -- hidden _workbench metadata sheet: key in column A, value in column B -------

META_FORMAT = "format"
META_FORMAT_VERSION = "format_version"
META_PROJECT_ID = "project_id"  # Project.uid
META_EXPORTED_AT = "exported_at"  # ISO 8601 UTC, e.g. 2026-11-27T01:30:00Z
META_APP_VERSION = "app_version"
#: Which layer the Matrix shows: "consensus" or the analyst's name.
META_LAYER = "layer"
#: Present (the analyst's name) when the Matrix is one analyst's layer / a rating sheet.
META_ANALYST = "analyst"
#: The analyst whose layer the Matrix cells are (outside cells set by hand); absent
#: when the Matrix shows a team's consensus.
META_MATRIX_LAYER = "matrix_layer_of"
#: One row per evidence item in project order: key, code, and (team consensus only)
#: the consensus codes exported, space-separated, to tell an edited cell from one
#: that moved because an analyst's rating changed. Sorting the Matrix loses nothing.
META_EVIDENCE = "evidence"
#: Present (1) when a team's consensus cells on the Matrix are formulas of the
#: Ratings sheet: a cell that differs from the consensus was typed over.
META_LIVE_CONSENSUS = "live_consensus"

FORMAT_NAME = "ach-workbench"
#: 2: every analyst's layer, the consensus set by hand and the project's own fields
#: are carried; every value is in one cell, everything else is a formula of it.
FORMAT_VERSION = 2
CONSENSUS_LAYER_NAME = "consensus"

# -- defined names and lists ------------------------------------------------------

#: Workbook-level defined names (point at the About sheet's legend).
RATING_SCALE_NAME = "RatingScale"
WEIGHT_LEVELS_NAME = "WeightLevels"
#: Values offered in the rating and weight drop-downs, in order.
RATING_CHOICES = tuple(r.code for r in RATING_SCALE.choices)
LEVEL_CHOICES = ("Low", "Medium", "High")


def require_meta_sheet(file_name: str, sheet_names: list[str]) -> None:
    """Refuse a workbook without the hidden metadata sheet: not one of our exports."""
    if META_SHEET not in sheet_names:
        raise BadInput(
            f"{file_name}: not a workbook exported by ACH Workbench (no hidden "
            f"{META_SHEET} sheet); import it as a plain matrix instead"
        )
