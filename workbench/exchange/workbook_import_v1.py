"""Read back a workbook of format version 1 (exports before issue 10).

Version 1 carried one layer on the Matrix and the others only where a
rationale repeated them; it is read as it always was. New exports are version
2, read by :mod:`workbench.exchange.workbook_import`.

The Matrix sheet is authoritative for what it shows: which evidence and
hypotheses exist, their codes and titles, credibility, relevance and ratings.
The other sheets fill in everything the matrix has no room for (descriptions,
dates, sources, tags, milestones, rationales), joined to the matrix BY CODE, so
rows a team re-sorted or deleted never shift data onto the wrong item.
Exclusion is read from the Evidence sheet's Active column, because the matrix's
own Active column is a hidden helper the team does not see.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from workbench.core.dates import BadDate, PartialDate
from workbench.core.errors import BadInput
from workbench.core.model import (
    Analyst,
    EvidenceType,
    Milestone,
    MilestoneStatus,
    Project,
    Source,
)
from workbench.core.ratings import ACCEPTED_RATING_SPELLINGS, BadRating, Rating, parse_rating
from workbench.exchange import workbook_layout as book
from workbench.exchange.imported import Imported, ImportScope
from workbench.exchange.matrix_import import cell_date, cell_text, find_layout, sheet_matrix
from workbench.exchange.spreadsheet_reader import Sheet, Workbook

_TRUE = frozenset({"true", "1", "yes", "y", "x"})
_FALSE = frozenset({"false", "0", "no", "n"})


def is_workbench_workbook(path: str | Path) -> bool:
    """True when the file is a workbook we exported (it has the hidden metadata sheet)."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".ods"):
        return False
    with Workbook(path) as workbook:
        return book.META_SHEET in workbook.sheet_names


def read_metadata(workbook: Workbook) -> dict[str, str]:
    """The key/value rows of the hidden ``_workbench`` sheet."""
    sheet = workbook.sheet(book.META_SHEET)
    meta = {}
    for row in sheet.rows:
        if len(row) >= 2 and cell_text(row[0]):
            meta[cell_text(row[0])] = cell_text(row[1])
    return meta


#: One layer and a guessed analyst: it goes into the analyst the import is for,
#: and its rationales (which version 1 could not tie to that layer) stay as they are.
V1_SCOPE = ImportScope(rationales=False, all_layers=False)


def read_workbook(path: str | Path) -> Project:
    """The whole project as the edited workbook now describes it."""
    return import_workbook(path).project


def import_workbook(path: str | Path, *, workbook: Workbook | None = None) -> Imported:
    """The project a version 1 workbook describes, what it speaks for, and any warnings.

    ``workbook`` is ``path`` already open (it is then read, not opened again, and left open).
    """
    path = Path(path)
    if workbook is None:
        with Workbook(path) as opened:
            return import_workbook(path, workbook=opened)
    book.require_meta_sheet(path.name, workbook.sheet_names)
    meta = read_metadata(workbook)
    _check_format(path, meta)
    project, warnings = _read_matrix(workbook, meta)
    reader = _TableReader(workbook, project)
    reader.read_hypotheses()
    reader.read_sources()
    reader.read_evidence()
    reader.read_milestones()
    reader.read_rationales()
    return Imported(project, V1_SCOPE, tuple(warnings))


def _check_format(path: Path, meta: dict[str, str]) -> None:
    if meta.get(book.META_FORMAT) != book.FORMAT_NAME:
        raise BadInput(
            f"{path.name}: the {book.META_SHEET} sheet does not say format "
            f"{book.FORMAT_NAME!r}; the workbook was not written by ACH Workbench"
        )
    version = meta.get(book.META_FORMAT_VERSION, "")
    if not version.isdigit() or int(version) > book.FORMAT_VERSION:
        raise BadInput(
            f"{path.name}: workbook format version {version or '(missing)'} is newer than this "
            f"version of ACH Workbench reads ({book.FORMAT_VERSION}); please update"
        )


def matrix_analyst_name(meta: dict[str, str]) -> str:
    """Whose ratings the Matrix sheet shows: the analyst's name, or "Consensus"."""
    layer = meta.get(book.META_LAYER, "")
    if meta.get(book.META_ANALYST):
        return meta[book.META_ANALYST]
    if layer and layer != book.CONSENSUS_LAYER_NAME:
        return layer
    return "Consensus"


def _read_matrix(workbook: Workbook, meta: dict[str, str]) -> tuple[Project, list[str]]:
    sheet = workbook.sheet(book.MATRIX_SHEET)
    # Rows above the header hold the title and question, which may well say "Evidence".
    layout = find_layout(sheet, first_row=book.MATRIX_TITLE_ROW + 1)
    if layout is None:
        raise BadInput(f"{workbook.path.name}: the Matrix sheet has no 'Evidence' header row")
    title = _cell(sheet, book.MATRIX_TITLE_ROW - 1, 0) or workbook.path.stem
    project, warnings = sheet_matrix(sheet, layout, title=title, analyst=matrix_analyst_name(meta))
    project.question = _cell(sheet, book.MATRIX_QUESTION_ROW - 1, 0)
    project.uid = meta.get(book.META_PROJECT_ID) or project.uid
    return project, warnings


def _cell(sheet: Sheet, r: int, c: int) -> str:
    if r < len(sheet.rows) and c < len(sheet.rows[r]):
        text = cell_text(sheet.rows[r][c])
        sheet.check_text(text, r, c)
        return text
    return ""


@dataclasses.dataclass
class _Record:
    """One row of a plain table sheet, read by header name."""

    sheet: Sheet
    r: int
    columns: dict[str, int]

    def where(self, header: str) -> str:
        return self.sheet.where(self.r, self.columns.get(header.casefold(), 0))

    def raw(self, header: str) -> object:
        c = self.columns.get(header.casefold())
        row = self.sheet.rows[self.r]
        return row[c] if c is not None and c < len(row) else ""

    def text(self, header: str) -> str:
        text = cell_text(self.raw(header))
        self.sheet.check_text(text, self.r, self.columns.get(header.casefold(), 0))
        return text

    def has(self, header: str) -> bool:
        return header.casefold() in self.columns


#: Columns that are only shown to readers; the importer does not need them back.
INFORMATIVE_HEADERS = frozenset(
    {"source", "weight", "diagnosticity", "weighted diagnosticity", "credibility", "relevance"}
)

#: Each record sheet and the columns it must still have to be read back safely.
REQUIRED_HEADERS = {
    book.EVIDENCE_SHEET: (
        "ID",
        "Title",
        "Description",
        "Type",
        "Date",
        "Source",
        "Source ref",
        "Locator",
        "Credibility",
        "Relevance",
        "Weight",
        "Active",
        "Tags",
        "Notes",
    ),
    book.HYPOTHESES_SHEET: book.HYPOTHESES_HEADERS,
    book.SOURCES_SHEET: book.SOURCES_HEADERS,
    book.MILESTONES_SHEET: book.MILESTONES_HEADERS,
    book.RATIONALES_SHEET: ("Evidence", "Hypothesis", "Analyst", "Rating", "Rationale"),
}


def _records(sheet: Sheet) -> Iterator[_Record]:
    """The non-empty rows of a record sheet, after checking its header row.

    A deleted column would read as empty for every row, and applying that would
    wipe what the project holds; so a sheet missing a column is refused instead.
    """
    header = sheet.rows[book.TABLE_HEADER_ROW - 1] if sheet.rows else []
    columns: dict[str, int] = {}
    for c, value in enumerate(header):
        key = " ".join(cell_text(value).split()).casefold()
        if key and key not in columns:
            columns[key] = c
    for name in REQUIRED_HEADERS.get(sheet.name or "", ()):
        if name.casefold() not in columns and name.casefold() not in INFORMATIVE_HEADERS:
            raise BadInput(
                f"{sheet.where(book.TABLE_HEADER_ROW - 1, len(columns))}: the {name!r} column "
                f"is missing from the {sheet.name} sheet; put it back (or export again) so "
                "that importing does not clear it in the project"
            )
    for r in range(book.TABLE_FIRST_ROW - 1, len(sheet.rows)):
        if any(cell_text(v) for v in sheet.rows[r]):
            yield _Record(sheet, r, columns)


class _TableReader:
    """Reads the plain table sheets into a project built from the Matrix."""

    def __init__(self, workbook: Workbook, project: Project) -> None:
        self.workbook = workbook
        self.project = project
        self.sources_by_ref: dict[str, Source] = {}

    def _sheet(self, name: str) -> Sheet:
        # A deleted sheet would read as "no sources, no milestones, no rationales",
        # and applying that would delete them from the project: refuse instead.
        if name not in self.workbook.sheet_names:
            raise BadInput(
                f"{self.workbook.path.name}: the {name} sheet is missing; ACH Workbench needs "
                "every sheet it exported to import the changes safely"
            )
        return self.workbook.sheet(name)

    def read_hypotheses(self) -> None:
        sheet = self._sheet(book.HYPOTHESES_SHEET)
        for record in _records(sheet):
            hypothesis = self.project.hypothesis_by_code(record.text("ID").upper())
            if hypothesis is None:
                continue  # the matrix decides which hypotheses exist
            hypothesis.description = record.text("Description")
            hypothesis.prior = self._prior(record)

    def _prior(self, record: _Record) -> float | None:
        text = record.text("Prior")
        if not text:
            return None
        try:
            value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            value = -1.0
        if not 0.0 <= value <= 1.0:
            raise BadInput(f"{record.where('Prior')}: {text!r} is not a probability from 0 to 1")
        return value

    def read_sources(self) -> None:
        sheet = self._sheet(book.SOURCES_SHEET)
        for record in _records(sheet):
            year_text = record.text("Year")
            if year_text and not year_text.isdigit():
                raise BadInput(f"{record.where('Year')}: {year_text!r} is not a year")
            source = Source(
                self.project.new_id(),
                author=record.text("Author"),
                year=int(year_text) if year_text else None,
                title=record.text("Title"),
                link=record.text("Link"),
                citation=record.text("Citation"),
            )
            self.project.sources.append(source)
            ref = record.text("Ref").upper()
            if ref:
                self.sources_by_ref[ref] = source

    def read_evidence(self) -> None:
        sheet = self._sheet(book.EVIDENCE_SHEET)
        for record in _records(sheet):
            evidence = self.project.evidence_by_code(_evidence_code(record.text("ID")))
            if evidence is None:
                continue  # deleted from the matrix: the matrix decides
            evidence.description = record.text("Description")
            try:
                evidence.type = EvidenceType.parse(record.raw("Type"))
            except ValueError as err:
                raise BadInput(f"{record.where('Type')}: {err}") from None
            evidence.date = _date(record)
            evidence.source_id = self._source_id(record)
            evidence.locator = record.text("Locator")
            if record.has("Active"):
                evidence.active = _boolean(record, "Active")
            tags = record.text("Tags")
            evidence.tags = [t.strip() for t in tags.split(",") if t.strip()]
            evidence.notes = record.text("Notes")

    def _source_id(self, record: _Record) -> int | None:
        ref = record.text("Source ref").upper()
        if ref:
            if ref not in self.sources_by_ref:
                raise BadInput(
                    f"{record.where('Source ref')}: no source {ref} on the "
                    f"{book.SOURCES_SHEET} sheet"
                )
            return self.sources_by_ref[ref].id
        # No ref: a team typed a source by hand; match it by its citation or add it.
        text = record.text("Source")
        if not text:
            return None
        key = text.casefold()
        for source in self.project.sources:
            if source.cite().casefold() == key:
                return source.id
        source = Source(self.project.new_id(), author=text)
        self.project.sources.append(source)
        return source.id

    def read_milestones(self) -> None:
        sheet = self._sheet(book.MILESTONES_SHEET)
        labels = {status.label.casefold(): status for status in MilestoneStatus}
        labels.update({status.value: status for status in MilestoneStatus})
        for record in _records(sheet):
            code = record.text("Hypothesis").upper()
            hypothesis = self.project.hypothesis_by_code(code)
            if hypothesis is None:
                continue  # its hypothesis was deleted from the matrix
            status_text = record.text("Status").casefold() or MilestoneStatus.PENDING.value
            if status_text not in labels:
                raise BadInput(
                    f"{record.where('Status')}: {status_text!r} is not a milestone status "
                    f"(use {', '.join(s.label for s in MilestoneStatus)})"
                )
            try:
                expected = PartialDate.parse(record.text("Expected by"))
            except BadDate as err:
                raise BadInput(f"{record.where('Expected by')}: {err}") from None
            self.project.milestones.append(
                Milestone(
                    self.project.new_id(),
                    hypothesis.id,
                    record.text("Indicator"),
                    expected,
                    labels[status_text],
                    record.text("Note"),
                )
            )

    def read_rationales(self) -> None:
        """Rationales of the matrix's analyst, and of others (who get a sparse layer)."""
        sheet = self._sheet(book.RATIONALES_SHEET)
        project = self.project
        matrix_analyst = project.analysts[0]
        for record in _records(sheet):
            evidence = project.evidence_by_code(_evidence_code(record.text("Evidence")))
            hypothesis = project.hypothesis_by_code(record.text("Hypothesis").upper())
            if evidence is None or hypothesis is None:
                continue  # the row or column was deleted from the matrix
            name = record.text("Analyst") or matrix_analyst.name
            analyst = project.analyst_by_name(name)
            if analyst is None:
                analyst = Analyst(project.new_id(), name)
                project.add_analyst(analyst)
            if analyst is not matrix_analyst:
                # The matrix shows one layer; another analyst's rating is known
                # only where the Rationales sheet repeats it.
                project.set_rating(analyst.id, evidence.id, hypothesis.id, _rating(record))
            key = (analyst.id, evidence.id, hypothesis.id)
            text = record.text("Rationale")
            if text:
                project.rationales[key] = text


def _evidence_code(text: str) -> str:
    if text.isdigit():
        return f"E{int(text)}"
    return text.upper() if text[:1] in "eE" and text[1:].isdigit() else text


def _date(record: _Record) -> PartialDate | None:
    try:
        return cell_date(record.raw("Date"))
    except BadDate as err:
        raise BadInput(f"{record.where('Date')}: {err}") from None


def _boolean(record: _Record, header: str) -> bool:
    raw = record.raw(header)
    if isinstance(raw, bool):
        return raw
    key = cell_text(raw).casefold()
    if key == "" or key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise BadInput(f"{record.where(header)}: {cell_text(raw)!r} is not TRUE or FALSE")


def _rating(record: _Record) -> Rating:
    try:
        return parse_rating(record.raw("Rating"))
    except BadRating:
        raise BadInput(
            f"{record.where('Rating')}: {cell_text(record.raw('Rating'))!r} is not a rating "
            f"(accepted: {ACCEPTED_RATING_SPELLINGS})"
        ) from None
