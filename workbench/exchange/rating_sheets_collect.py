"""Collecting filled rating sheets back into the analysts' layers.

Every file is read and checked completely before anything is planned, and the
plan is ONE Batch edit: either the whole collection goes in (and one undo
takes it out again) or, on any refusal, nothing changes at all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from workbench.core.edits import AddAnalyst, Batch, Edit, SetRating
from workbench.core.errors import BadInput
from workbench.core.model import Analyst, Project
from workbench.core.names import analyst_name
from workbench.core.plurals import counted
from workbench.core.ratings import ACCEPTED_RATING_SPELLINGS, BadRating, Rating, parse_rating
from workbench.exchange import safety
from workbench.exchange import workbook_layout as layout
from workbench.exchange.matrix_import import cell_text
from workbench.exchange.rating_sheets import (
    FORMAT_NAME,
    FORMAT_VERSION,
    META_DIGEST,
    RATINGS_SHEET,
    RATIONALE_PREFIX,
    SCORE_LABELS,
    codes_digest,
)
from workbench.exchange.spreadsheet_reader import Sheet, Workbook


@dataclasses.dataclass(frozen=True)
class SheetReport:
    """What one analyst's sheet brought in."""

    file: str
    analyst: str
    new_analyst: bool
    #: Non-blank rating cells on the sheet.
    ratings: int
    #: Cells whose rating differs from the analyst's layer before collecting.
    changed: int
    #: Rating cells left blank (their ratings stay as they were).
    blank: int
    #: Rationales added or changed.
    rationales: int

    def describe(self) -> str:
        who = f"{self.analyst} (new analyst)" if self.new_analyst else self.analyst
        return (
            f"{self.file}: {who}: {counted(self.ratings, 'rating')}, {self.changed} changed, "
            f"{self.blank} blank, {counted(self.rationales, 'rationale')} changed"
        )


@dataclasses.dataclass(frozen=True)
class CollectPlan:
    """The single edit that takes in every sheet, and what it takes per analyst."""

    edit: Batch
    reports: tuple[SheetReport, ...]

    @property
    def changes_anything(self) -> bool:
        return bool(self.edit.edits)


@dataclasses.dataclass
class _FilledSheet:
    path: Path
    analyst: str
    #: (evidence code, hypothesis code) -> (rating, rationale text)
    cells: dict[tuple[str, str], tuple[Rating, str]]


def collect_rating_sheets(project: Project, paths: Iterable[str | Path]) -> CollectPlan:
    """Read filled sheets and plan them into the analysts' layers (the project is not changed).

    Apply ``plan.edit`` with ``ProjectFile.apply`` (or ``Document.do``). Raises
    BadInput naming the file, and the cell where there is one, for a sheet of
    another project, edited IDs, a duplicated analyst or a word that is not a rating.
    """
    sheets = [_read_sheet(project, Path(p)) for p in paths]
    if not sheets:
        raise BadInput("no rating sheets given")
    seen: dict[str, Path] = {}
    for sheet in sheets:
        key = sheet.analyst.casefold()
        if key in seen:
            raise BadInput(
                f"{sheet.path.name}: {sheet.analyst} already handed in {seen[key].name}; "
                "collect one sheet per analyst"
            )
        seen[key] = sheet.path
    edits: list[Edit] = []
    reports = []
    next_id = project.next_id
    for sheet in sheets:
        analyst = project.analyst_by_name(sheet.analyst)
        if analyst is None:
            edit, report = _new_analyst(project, sheet, next_id)
            next_id += 1
            edits.append(edit)
        else:
            changes, report = _existing_analyst(project, sheet, analyst)
            edits.extend(changes)
        reports.append(report)
    names = ", ".join(s.analyst for s in sheets)
    return CollectPlan(Batch(tuple(edits), f"Collect rating sheets ({names})"), tuple(reports))


def _counts(sheet: _FilledSheet) -> tuple[int, int]:
    rated = sum(1 for rating, _ in sheet.cells.values() if rating != Rating.BLANK)
    return rated, len(sheet.cells) - rated


def _new_analyst(
    project: Project, sheet: _FilledSheet, analyst_id: int
) -> tuple[Edit, SheetReport]:
    layer = np.zeros((len(project.evidence), len(project.hypotheses)), dtype=np.int8)
    rationales: dict[tuple[int, int, int], str] = {}
    rows = {e.code: (i, e) for i, e in enumerate(project.evidence)}
    columns = {h.code: (j, h) for j, h in enumerate(project.hypotheses)}
    for (e_code, h_code), (rating, note) in sheet.cells.items():
        # Codes were checked while reading; dicts keep a 20,000-row sheet linear.
        (row, evidence), (column, hypothesis) = rows[e_code], columns[h_code]
        layer[row, column] = rating
        if note:
            rationales[(analyst_id, evidence.id, hypothesis.id)] = note
    rated, blank = _counts(sheet)
    report = SheetReport(sheet.path.name, sheet.analyst, True, rated, rated, blank, len(rationales))
    return AddAnalyst(Analyst(analyst_id, sheet.analyst), layer, rationales), report


def _existing_analyst(
    project: Project, sheet: _FilledSheet, analyst: Analyst
) -> tuple[list[Edit], SheetReport]:
    edits: list[Edit] = []
    changed = notes = 0
    evidence_of = {e.code: e for e in project.evidence}
    hypothesis_of = {h.code: h for h in project.hypotheses}
    for (e_code, h_code), (rating, note) in sheet.cells.items():
        evidence, hypothesis = evidence_of[e_code], hypothesis_of[h_code]
        before = project.rating(analyst.id, evidence.id, hypothesis.id)
        before_note = project.rationale(analyst.id, evidence.id, hypothesis.id)
        new_rating = before if rating == Rating.BLANK else rating
        new_note = note if note and note != before_note else None
        if new_rating == before and new_note is None:
            continue
        changed += new_rating != before
        notes += new_note is not None
        edits.append(SetRating(analyst.id, evidence.id, hypothesis.id, new_rating, new_note))
    rated, blank = _counts(sheet)
    report = SheetReport(sheet.path.name, analyst.name, False, rated, changed, blank, notes)
    return edits, report


# -- reading and checking one file ---------------------------------------------------


def _read_sheet(project: Project, path: Path) -> _FilledSheet:
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".ods"):
        raise BadInput(f"{path.name}: a rating sheet is an .xlsx workbook")
    with Workbook(path) as workbook:
        if layout.META_SHEET not in workbook.sheet_names:
            raise BadInput(
                f"{path.name}: not a rating sheet written by ACH Workbench "
                f"(the hidden {layout.META_SHEET} sheet is missing)"
            )
        meta = _metadata(workbook.sheet(layout.META_SHEET))
        _check_identity(project, path, meta)
        if RATINGS_SHEET not in workbook.sheet_names:
            raise BadInput(f"{path.name}: the {RATINGS_SHEET} sheet is missing")
        sheet = workbook.sheet(RATINGS_SHEET)
        written = meta.get(layout.META_ANALYST, "")
        if not " ".join(str(written).split()):
            raise BadInput(f"{path.name}: the sheet does not say whose ratings it holds")
        analyst = analyst_name(written, f"{path.name}: {layout.META_SHEET}")
        return _FilledSheet(path, analyst, _read_ratings(project, sheet, meta.get(META_DIGEST)))


def _metadata(sheet: Sheet) -> dict[str, str]:
    meta = {}
    for row in sheet.rows:
        if len(row) >= 2 and cell_text(row[0]):
            meta[cell_text(row[0])] = cell_text(row[1])
    return meta


def _check_identity(project: Project, path: Path, meta: dict[str, str]) -> None:
    if meta.get(layout.META_FORMAT) != FORMAT_NAME:
        raise BadInput(
            f"{path.name}: not a rating sheet (format {meta.get(layout.META_FORMAT)!r}, "
            f"expected {FORMAT_NAME!r}); to read an exported workbook use import"
        )
    version = meta.get(layout.META_FORMAT_VERSION, "")
    if not version.isdigit() or int(version) > FORMAT_VERSION:
        raise BadInput(
            f"{path.name}: rating sheet format {version or '(missing)'} is newer than this "
            f"version of ACH Workbench reads ({FORMAT_VERSION}); please update"
        )
    if meta.get(layout.META_PROJECT_ID) != project.uid:
        raise BadInput(
            f"{path.name}: this rating sheet belongs to another project "
            f"(project id {meta.get(layout.META_PROJECT_ID) or 'missing'}, "
            f"this project is {project.uid}); nothing was collected"
        )


def _find_header(sheet: Sheet) -> int:
    for r, row in enumerate(sheet.rows):
        if row and cell_text(row[0]) == layout.ID_HEADER:
            return r
    raise BadInput(f"{sheet.file_name}: {RATINGS_SHEET} has no header row starting with 'ID'")


def _read_ratings(
    project: Project, sheet: Sheet, digest: str | None
) -> dict[tuple[str, str], tuple[Rating, str]]:
    header_row = _find_header(sheet)
    header = sheet.rows[header_row]
    ratings_at: dict[int, str] = {}
    rationale_at: dict[str, int] = {}
    for c, raw in enumerate(header):
        text = cell_text(raw)
        code, _ = layout.parse_hypothesis_header(text)
        if code is not None:
            if code in ratings_at.values():
                raise BadInput(f"{sheet.where(header_row, c)}: hypothesis {code} appears twice")
            ratings_at[c] = code
        elif text.startswith(RATIONALE_PREFIX):
            rationale_at[text[len(RATIONALE_PREFIX) :].strip().upper()] = c
    safety.check_hypothesis_count(len(ratings_at), sheet.where(header_row, 0))
    rows: dict[str, int] = {}
    for r in range(header_row + 1, len(sheet.rows)):
        row = sheet.rows[r]
        code = cell_text(row[0]) if row else ""
        if code in SCORE_LABELS:
            continue
        if not code:
            stray = next((c for c in ratings_at if c < len(row) and cell_text(row[c])), None)
            if stray is not None:
                raise BadInput(f"{sheet.where(r, stray)}: a rating in a row without an ID")
            continue
        # As written: the fingerprint was taken of the codes as the project has
        # them, and a code such as "log-1" is not "LOG-1".
        if code in rows:
            raise BadInput(f"{sheet.where(r, 0)}: evidence {code} appears twice")
        rows[code] = r
    if digest != codes_digest(list(rows), list(ratings_at.values())):
        raise BadInput(
            f"{sheet.file_name}: {RATINGS_SHEET}: the ID column or the hypothesis headers were "
            "changed after the sheet was written (they no longer match its fingerprint); "
            "ask for a fresh sheet or restore the IDs"
        )
    known = {e.code for e in project.evidence}  # one set, not a scan per row
    for code, r in rows.items():
        if code not in known:
            raise BadInput(f"{sheet.where(r, 0)}: evidence {code} is no longer in the project")
    for c, code in ratings_at.items():
        if project.hypothesis_by_code(code) is None:
            raise BadInput(
                f"{sheet.where(header_row, c)}: hypothesis {code} is no longer in the project"
            )
    cells: dict[tuple[str, str], tuple[Rating, str]] = {}
    for e_code, r in rows.items():
        row = sheet.rows[r]
        for c, h_code in ratings_at.items():
            raw = row[c] if c < len(row) else None
            try:
                rating = parse_rating(raw if raw != "" else None)
            except BadRating:
                raise BadInput(
                    f"{sheet.where(r, c)}: {cell_text(raw)!r} is not a rating "
                    f"(accepted: {ACCEPTED_RATING_SPELLINGS})"
                ) from None
            note = ""
            column = rationale_at.get(h_code)
            if column is not None and column < len(row):
                note = cell_text(row[column])
                safety.check_cell_text(note, sheet.where(r, column))
            cells[(e_code, h_code)] = (rating, note)
    return cells
