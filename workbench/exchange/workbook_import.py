"""Read back our own exported workbook after a team has edited it (issues 4 and 10).

Every value is in exactly one cell of the workbook, and this reads each from
that cell only; columns that are formulas of another cell are never read. The
Matrix holds titles, credibility, relevance, Active and the ratings of one
view (see :class:`workbench.exchange.xlsx_team.MatrixView`); the other sheets
hold the rest, joined BY CODE, so rows a team sorted, filtered or deleted never
shift data onto the wrong item. Evidence keeps the order it was exported in
(recorded in the hidden sheet); rows added in the workbook come after it.

A rating written in a spelling the workbook's own formulas cannot count (``++``,
``Inconsistent``, ``C `` with a space) is read and reported as a warning naming
the cell, since the scores shown in the workbook left it out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from workbench.core.consensus import consensus_codes
from workbench.core.dates import BadDate, PartialDate
from workbench.core.errors import BadInput
from workbench.core.model import (
    Analyst,
    ConsensusOverride,
    Evidence,
    EvidenceType,
    Hypothesis,
    Milestone,
    MilestoneStatus,
    Project,
    Source,
)
from workbench.core.ratings import (
    ACCEPTED_LEVEL_SPELLINGS,
    ACCEPTED_RATING_SPELLINGS,
    SCALE,
    BadLevel,
    BadRating,
    Level,
    Rating,
    parse_level,
    parse_rating,
)
from workbench.exchange import workbook_layout as book
from workbench.exchange.imported import WHOLE_PROJECT, Imported
from workbench.exchange.matrix_import import SCORE_LABELS, cell_date, cell_text, find_layout
from workbench.exchange.spreadsheet_reader import Sheet, Workbook, column_letters

#: Codes the workbook's formulas count (their comparisons ignore case).
_CANONICAL = frozenset(r.code for r in Rating if r.code)
_TRUE = frozenset({"true", "1", "yes", "y", "x"})
_FALSE = frozenset({"false", "0", "no", "n"})


def is_workbench_workbook(path: str | Path) -> bool:
    """True when the file is a workbook we exported (it has the hidden metadata sheet)."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".ods"):
        return False
    with Workbook(path) as workbook:
        return book.META_SHEET in workbook.sheet_names


def _meta_rows(workbook: Workbook) -> list[list[str]]:
    return [
        [cell_text(v) for v in row]
        for row in workbook.sheet(book.META_SHEET).rows
        if row and cell_text(row[0])
    ]


def read_metadata(workbook: Workbook) -> dict[str, str]:
    """The key/value rows of the hidden ``_workbench`` sheet (first value of each key)."""
    return _metadata_of(_meta_rows(workbook))


def _metadata_of(meta_rows: list[list[str]]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for row in meta_rows:
        if len(row) >= 2:
            meta.setdefault(row[0], row[1])
    return meta


def read_workbook(path: str | Path) -> Project:
    """The whole project as the edited workbook now describes it."""
    return import_workbook(path).project


def import_workbook(path: str | Path, *, workbook: Workbook | None = None) -> Imported:
    """The whole project as the edited workbook now describes it, with its reader's warnings.

    Format 2 carries every layer (:data:`WHOLE_PROJECT`); a version 1 workbook
    speaks for one layer only. ``workbook`` is ``path`` already open (it is then
    read, not opened again, and left open).
    """
    path = Path(path)
    if workbook is None:
        with Workbook(path) as opened:
            return import_workbook(path, workbook=opened)
    book.require_meta_sheet(path.name, workbook.sheet_names)
    meta_rows = _meta_rows(workbook)
    meta = _metadata_of(meta_rows)
    version = _check_format(path, meta)
    if version == 1:
        from workbench.exchange.workbook_import_v1 import import_workbook as import_v1

        return import_v1(path, workbook=workbook)
    reader = _Reader(workbook, meta, meta_rows)
    project = reader.read()
    return Imported(project, WHOLE_PROJECT, tuple(reader.warnings))


def _check_format(path: Path, meta: dict[str, str]) -> int:
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
    return int(version)


def exact_text(value: object) -> str:
    """Text exactly as stored (our own cells keep their spaces); numbers as displayed."""
    return value if isinstance(value, str) else cell_text(value)


def _evidence_code(text: str) -> str:
    text = text.strip()
    if text.isdigit():
        return f"E{int(text)}"
    return text.upper() if text[:1] in "eE" and text[1:].isdigit() else text


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
        text = exact_text(self.raw(header))
        self.sheet.check_text(text, self.r, self.columns.get(header.casefold(), 0))
        return text

    def key(self, header: str) -> str:
        return self.text(header).strip()


def _records(sheet: Sheet, required: tuple[str, ...], derived=frozenset()) -> Iterator[_Record]:
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
    for name in required:
        if name.casefold() not in columns and name not in derived:
            raise BadInput(
                f"{sheet.where(book.TABLE_HEADER_ROW - 1, len(columns))}: the {name!r} column "
                f"is missing from the {sheet.name} sheet; put it back (or export again) so "
                "that importing does not clear it in the project"
            )
    read = [c for name, c in columns.items() if name not in {d.casefold() for d in derived}]
    for r in range(book.TABLE_FIRST_ROW - 1, len(sheet.rows)):
        row = sheet.rows[r]
        if any(c < len(row) and cell_text(row[c]) for c in read):
            yield _Record(sheet, r, columns)


@dataclasses.dataclass
class _Row:
    """One evidence row of the Matrix."""

    r: int
    evidence: Evidence
    ratings: list[int]


class _Reader:
    def __init__(self, workbook: Workbook, meta: dict[str, str], meta_rows: list[list[str]]):
        self.workbook = workbook
        self.meta = meta
        self.order = [row[1] for row in meta_rows if row[0] == book.META_EVIDENCE and len(row) > 1]
        self.snapshots = {
            row[1]: row[2].split(" ")
            for row in meta_rows
            if row[0] == book.META_EVIDENCE and len(row) > 2 and row[2]
        }
        self.warnings: list[str] = []
        self.project = Project(title="")

    def _sheet(self, name: str) -> Sheet:
        # A deleted sheet would read as "no sources, no ratings, no rationales",
        # and applying that would delete them from the project: refuse instead.
        if name not in self.workbook.sheet_names:
            raise BadInput(
                f"{self.workbook.path.name}: the {name} sheet is missing; ACH Workbench needs "
                "every sheet it exported to import the changes safely"
            )
        return self.workbook.sheet(name)

    def read(self) -> Project:
        project = self.project
        project.uid = self.meta.get(book.META_PROJECT_ID) or project.uid
        matrix = self._sheet(book.MATRIX_SHEET)
        rows = self._read_matrix(matrix)
        self._read_project_sheet()
        self._read_hypotheses()
        sources = self._read_sources()
        self._read_evidence(sources)
        self._read_milestones()
        names = self._read_analysts()
        grid = np.array([row.ratings for row in rows], dtype=np.int8).reshape(
            len(rows), len(project.hypotheses)
        )
        layers = self._read_ratings(names)
        notes = self._read_overrides()
        self._apply_view(matrix, rows, grid, layers, notes)
        self._read_rationales()
        project.sources = list(sources.values())
        return project

    # -- the Matrix ---------------------------------------------------------------

    def _read_matrix(self, sheet: Sheet) -> list[_Row]:
        layout = find_layout(sheet, first_row=book.MATRIX_HEADER_ROW - 1)
        if layout is None:
            raise BadInput(f"{sheet.file_name}: the Matrix sheet has no 'Evidence' header row")
        project = self.project
        project.title = self._cell(sheet, book.MATRIX_TITLE_ROW - 1, 0)
        project.question = self._cell(sheet, book.MATRIX_QUESTION_ROW - 1, 0)
        header = sheet.rows[layout.header_row]
        codes: list[str | None] = []
        titles: list[str] = []
        first_use: dict[str, int] = {}
        for c in layout.hypothesis_columns:
            text = exact_text(header[c])
            sheet.check_text(text, layout.header_row, c)
            code, title = book.parse_own_header(text)
            if code is not None:
                if code in first_use:
                    raise BadInput(
                        f"{sheet.where(layout.header_row, c)}: hypothesis code {code} is used "
                        f"twice (also in {column_letters(first_use[code])}{layout.header_row + 1})"
                    )
                first_use[code] = c
            codes.append(code)
            titles.append(title)
        taken = {c for c in codes if c}
        number = 0
        for k, code in enumerate(codes):
            if code is None:
                number += 1
                while f"H{number}" in taken:
                    number += 1
                codes[k] = f"H{number}"
        project.hypotheses = [
            Hypothesis(project.new_id(), code or "", title)
            for code, title in zip(codes, titles, strict=True)
        ]
        self.columns = layout.hypothesis_columns
        return self._evidence_rows(sheet, layout)

    def _cell(self, sheet: Sheet, r: int, c: int) -> str:
        if r < len(sheet.rows) and c < len(sheet.rows[r]):
            text = exact_text(sheet.rows[r][c])
            sheet.check_text(text, r, c)
            return text
        return ""

    def _evidence_rows(self, sheet: Sheet, layout) -> list[_Row]:  # noqa: ANN001
        fields = layout.fields
        id_column = fields.get("id", layout.evidence_column)
        read_columns = sorted(
            {layout.evidence_column, *fields.values(), *layout.hypothesis_columns}
        )
        found: dict[str, _Row] = {}
        unnamed: list[_Row] = []
        for r in range(layout.header_row + 1, len(sheet.rows)):
            row = list(sheet.rows[r])
            row += [""] * (layout.width + 1 - len(row))
            if cell_text(row[0]).casefold() in SCORE_LABELS:
                break
            if not any(c < len(row) and cell_text(row[c]) for c in read_columns):
                continue
            code = _evidence_code(cell_text(row[id_column])) if "id" in fields else ""
            title = exact_text(row[layout.evidence_column])
            sheet.check_text(title, r, layout.evidence_column)
            evidence = Evidence(self.project.new_id(), code, title)
            for name in ("credibility", "relevance"):
                if name in fields:
                    setattr(evidence, name, self._level(sheet, r, fields[name], row))
            if "active" in fields:
                evidence.active = self._active(sheet, r, fields["active"], row)
            ratings = [self._rating(sheet, r, c, row[c]) for c in layout.hypothesis_columns]
            item = _Row(r, evidence, ratings)
            if not code:
                unnamed.append(item)
            elif code in found:
                raise BadInput(
                    f"{sheet.where(r, id_column)}: evidence code {code} is used twice "
                    f"(also in {column_letters(id_column)}{found[code].r + 1})"
                )
            else:
                found[code] = item
        ordered = [found.pop(code) for code in self.order if code in found]
        ordered += sorted(found.values(), key=lambda item: item.r)
        for item in sorted(unnamed, key=lambda item: item.r):
            item.evidence.code = self._next_code(found, ordered)
            ordered.append(item)
        self.project.evidence = [item.evidence for item in ordered]
        return ordered

    def _next_code(self, found: dict[str, _Row], ordered: list[_Row]) -> str:
        used = {item.evidence.code for item in ordered} | set(found)
        numbers = [int(c[1:]) for c in used if c[:1] == "E" and c[1:].isdigit()]
        return f"E{max(numbers, default=0) + 1}"

    def _level(self, sheet: Sheet, r: int, c: int, row: list) -> Level:
        try:
            return parse_level(row[c])
        except BadLevel:
            raise BadInput(
                f"{sheet.where(r, c)}: {cell_text(row[c])[:40]!r} is not a weight "
                f"(accepted: {ACCEPTED_LEVEL_SPELLINGS})"
            ) from None

    def _active(self, sheet: Sheet, r: int, c: int, row: list) -> bool:
        """1 or 0 as the score formulas read them (empty counts); words with a warning."""
        value = row[c]
        if value is None or value == "":
            return True
        if isinstance(value, int | float) and not isinstance(value, bool) and value in (0, 1):
            return bool(value)
        key = cell_text(value).casefold()
        if isinstance(value, bool) or key in _TRUE or key in _FALSE:
            active = value if isinstance(value, bool) else key in _TRUE
            self.warnings.append(
                f"{sheet.where(r, c)}: Active {cell_text(value)!r} read as "
                f"{1 if active else 0}; the workbook's formulas exclude a row only for 0"
            )
            return active
        raise BadInput(f"{sheet.where(r, c)}: {cell_text(value)[:40]!r} is not 1 or 0 (Active)")

    def _rating(self, sheet: Sheet, r: int, c: int, value: object) -> int:
        if value is None or value == "":
            return int(Rating.BLANK)
        if isinstance(value, str) and value.upper() in _CANONICAL:
            return int(Rating.from_code(value.upper()))
        try:
            rating = parse_rating(value)
        except BadRating:
            raise BadInput(
                f"{sheet.where(r, c)}: {cell_text(value)[:40]!r} is not a rating "
                f"(accepted: {ACCEPTED_RATING_SPELLINGS})"
            ) from None
        if rating is not Rating.BLANK:
            self.warnings.append(
                f"{sheet.where(r, c)}: {exact_text(value)!r} read as {rating.code}; the "
                "workbook's own score formulas did not count it (type the code "
                f"{rating.code} so they do)"
            )
        return int(rating)

    # -- the record sheets -----------------------------------------------------------

    def _read_project_sheet(self) -> None:
        sheet = self._sheet(book.PROJECT_SHEET)
        fields = dict(book.PROJECT_TEXT_FIELDS)
        likelihoods = {book.likelihood_field(r.code): r for r in SCALE}
        for record in _records(sheet, book.PROJECT_HEADERS):
            field = record.key("Field")
            if field in fields:
                setattr(self.project, fields[field], record.text("Value"))
            elif field in likelihoods:
                raw = record.raw("Value")
                try:
                    value = float(cell_text(raw))
                except ValueError:
                    value = -1.0
                if not 0.0 < value <= 1.0:
                    raise BadInput(
                        f"{record.where('Value')}: {cell_text(raw)!r} is not a likelihood "
                        "above 0 and at most 1"
                    )
                self.project.likelihoods[likelihoods[field]] = value

    def _read_hypotheses(self) -> None:
        sheet = self._sheet(book.HYPOTHESES_SHEET)
        for record in _records(sheet, book.HYPOTHESES_HEADERS, frozenset({"Title"})):
            hypothesis = self.project.hypothesis_by_code(record.key("ID").upper())
            if hypothesis is None:
                continue  # the matrix decides which hypotheses exist
            self._shown_from_matrix(record, "Title", hypothesis.title.strip())
            hypothesis.description = record.text("Description")
            text = record.key("Prior")
            if not text:
                hypothesis.prior = None
                continue
            try:
                value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
            except ValueError:
                value = -1.0
            if not 0.0 <= value <= 1.0:
                raise BadInput(
                    f"{record.where('Prior')}: {text!r} is not a probability from 0 to 1"
                )
            hypothesis.prior = value

    def _read_sources(self) -> dict[str, Source]:
        sheet = self._sheet(book.SOURCES_SHEET)
        sources: dict[str, Source] = {}
        for record in _records(sheet, book.SOURCES_HEADERS):
            year_text = record.key("Year")
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
            ref = record.key("Ref").upper() or f"#{len(sources)}"
            sources[ref] = source
        return sources

    def _read_evidence(self, sources: dict[str, Source]) -> None:
        sheet = self._sheet(book.EVIDENCE_SHEET)
        for record in _records(sheet, book.EVIDENCE_HEADERS, book.EVIDENCE_DERIVED):
            evidence = self.project.evidence_by_code(_evidence_code(record.key("ID")))
            if evidence is None:
                continue  # deleted from the matrix: the matrix decides
            for header, shown in (
                ("Title", evidence.title.strip()),
                ("Credibility", evidence.credibility.label),
                ("Relevance", evidence.relevance.label),
                ("Active", "1" if evidence.active else "0"),
            ):
                self._shown_from_matrix(record, header, shown)
            evidence.description = record.text("Description")
            try:
                evidence.type = EvidenceType.parse(record.raw("Type"))
            except ValueError as err:
                raise BadInput(f"{record.where('Type')}: {err}") from None
            try:
                evidence.date = cell_date(record.raw("Date"))
            except BadDate as err:
                raise BadInput(f"{record.where('Date')}: {err}") from None
            evidence.source_id = self._source_id(record, sources)
            evidence.locator = record.text("Locator")
            tags = record.text("Tags")
            evidence.tags = [t.strip() for t in tags.split(",") if t.strip()]
            evidence.notes = record.text("Notes")

    def _shown_from_matrix(self, record: _Record, header: str, shown: str) -> None:
        """A cell that shows a Matrix value by formula, typed over: say it is not used.

        Empty means a file saved without computed values, which says nothing.
        """
        typed = record.key(header)
        if typed and typed.casefold() != shown.casefold():
            self.warnings.append(
                f"{record.where(header)}: {typed[:40]!r} is not used; this column shows the "
                f"{book.MATRIX_SHEET} sheet's {header.lower()} ({shown[:40]!r}), change it there"
            )

    def _source_id(self, record: _Record, sources: dict[str, Source]) -> int | None:
        ref = record.key("Source ref").upper()
        if ref:
            if ref not in sources:
                raise BadInput(
                    f"{record.where('Source ref')}: no source {ref} on the "
                    f"{book.SOURCES_SHEET} sheet"
                )
            return sources[ref].id
        # No ref: a team typed a source by hand over the formula; match or add it.
        text = record.key("Source")
        if not text:
            return None
        for source in sources.values():
            if source.cite().casefold() == text.casefold():
                return source.id
        source = Source(self.project.new_id(), author=text)
        sources[f"#{len(sources)}"] = source
        return source.id

    def _read_milestones(self) -> None:
        sheet = self._sheet(book.MILESTONES_SHEET)
        labels = {status.label.casefold(): status for status in MilestoneStatus}
        labels.update({status.value: status for status in MilestoneStatus})
        for record in _records(sheet, book.MILESTONES_HEADERS):
            hypothesis = self.project.hypothesis_by_code(record.key("Hypothesis").upper())
            if hypothesis is None:
                continue  # its hypothesis was deleted from the matrix
            status_text = record.key("Status").casefold() or MilestoneStatus.PENDING.value
            if status_text not in labels:
                raise BadInput(
                    f"{record.where('Status')}: {status_text!r} is not a milestone status "
                    f"(use {', '.join(s.label for s in MilestoneStatus)})"
                )
            try:
                expected = PartialDate.parse(record.key("Expected by"))
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

    # -- the team ----------------------------------------------------------------------

    def _read_analysts(self) -> list[str]:
        sheet = self._sheet(book.ANALYSTS_SHEET)
        names: list[str] = []
        for record in _records(sheet, book.ANALYSTS_HEADERS):
            name = record.text("Analyst")
            if name.strip().casefold() in {n.strip().casefold() for n in names}:
                raise BadInput(f"{record.where('Analyst')}: analyst {name!r} is listed twice")
            names.append(name)
        return names

    def _analyst(self, name: str, layers: dict[str, np.ndarray], where: str) -> str:
        """The listed analyst called ``name``; one not on the Analysts sheet is added."""
        key = name.strip().casefold()
        for known in layers:
            if known.strip().casefold() == key:
                return known
        self.warnings.append(f"{where}: analyst {name!r} is not on the Analysts sheet; added")
        layers[name] = self._blank()
        return name

    def _blank(self) -> np.ndarray:
        return np.zeros((len(self.project.evidence), len(self.project.hypotheses)), np.int8)

    def _cell_of(self, record: _Record) -> tuple[int, int] | None:
        """(row, column) of a record's cell; None when the Matrix no longer has it."""
        if not hasattr(self, "_rows"):
            self._rows = {e.code: i for i, e in enumerate(self.project.evidence)}
            self._cols = {h.code: j for j, h in enumerate(self.project.hypotheses)}
        e = self._rows.get(_evidence_code(record.key("Evidence")))
        h = self._cols.get(record.key("Hypothesis").upper())
        return None if e is None or h is None else (e, h)

    def _read_ratings(self, names: list[str]) -> dict[str, np.ndarray]:
        layers = {name: self._blank() for name in names}
        sheet = self._sheet(book.RATINGS_SHEET)
        for record in _records(sheet, book.RATINGS_HEADERS):
            cell = self._cell_of(record)
            if cell is None:
                continue
            name = self._analyst(record.text("Analyst"), layers, record.where("Analyst"))
            try:
                rating = parse_rating(record.raw("Rating"))
            except BadRating:
                raise BadInput(
                    f"{record.where('Rating')}: {cell_text(record.raw('Rating'))[:40]!r} is not "
                    f"a rating (accepted: {ACCEPTED_RATING_SPELLINGS})"
                ) from None
            layers[name][cell] = int(rating)
        self.layers = layers
        return layers

    def _read_overrides(self) -> dict[tuple[int, int], tuple[Rating, str]]:
        sheet = self._sheet(book.OVERRIDES_SHEET)
        found: dict[tuple[int, int], tuple[Rating, str]] = {}
        for record in _records(sheet, book.OVERRIDES_HEADERS):
            cell = self._cell_of(record)
            if cell is None:
                continue
            try:
                rating = parse_rating(record.raw("Rating"))
            except BadRating:
                rating = Rating.BLANK  # the Matrix decides when it shows the consensus
            found[cell] = (rating, record.text("Note"))
        return found

    def _apply_view(
        self,
        matrix: Sheet,
        rows: list[_Row],
        grid: np.ndarray,
        layers: dict[str, np.ndarray],
        notes: dict[tuple[int, int], tuple[Rating, str]],
    ) -> None:
        project = self.project
        consensus = self.meta.get(book.META_LAYER, "") == book.CONSENSUS_LAYER_NAME
        shown = self.meta.get(book.META_MATRIX_LAYER, "")
        if shown:
            name = self._analyst(shown, layers, f"{matrix.file_name}: {book.META_SHEET}")
            mask = np.ones(grid.shape, dtype=bool)
            if consensus:
                for cell in notes:
                    mask[cell] = False
            layers[name][mask] = grid[mask]
        overrides: dict[tuple[int, int], ConsensusOverride] = {}
        for cell, (rating, note) in notes.items():
            overrides[cell] = ConsensusOverride(
                Rating(int(grid[cell])) if consensus else rating, note
            )
        if consensus and not shown:
            computed = consensus_codes(list(layers.values()), grid.shape)
            live = self.meta.get(book.META_LIVE_CONSENSUS) == "1"
            # Saved without computed values (not by Excel or LibreOffice): an empty
            # formula cell then says nothing.
            unsaved = live and not self._has_results(matrix)
            for i, row in enumerate(rows):
                before = self.snapshots.get(row.evidence.code)
                for j in range(grid.shape[1]):
                    if (i, j) in overrides:
                        continue
                    if live:
                        # The cell is a formula of the layers unless typed over.
                        blank = int(grid[i, j]) == int(Rating.BLANK)
                        changed = not (unsaved and blank) and grid[i, j] != computed[i, j]
                    elif before is not None and j < len(before):
                        exported = Rating.from_code("" if before[j] == "-" else before[j])
                        changed = int(grid[i, j]) != int(exported)
                    else:
                        changed = int(grid[i, j]) != int(computed[i, j])
                    if changed:
                        rating = Rating(int(grid[i, j]))
                        overrides[(i, j)] = ConsensusOverride(rating, "")
                        self.warnings.append(
                            f"{matrix.where(row.r, self.columns[j])}: the team consensus was "
                            f"changed to {rating.code or 'blank'} in the workbook; kept as a "
                            "consensus set by hand"
                        )
        for name, layer in layers.items():
            project.add_analyst(Analyst(project.new_id(), name), layer)
        for (i, j), override in sorted(overrides.items()):
            project.overrides[(project.evidence[i].id, project.hypotheses[j].id)] = override

    def _has_results(self, matrix: Sheet) -> bool:
        """True when the Matrix score formulas carry results (the file was computed)."""
        if not self.columns:
            return True
        c = self.columns[0]
        for row in matrix.rows:
            if row and cell_text(row[0]) == book.INCONSISTENCY_LABEL:
                return c < len(row) and row[c] not in ("", None)
        return True

    def _read_rationales(self) -> None:
        sheet = self._sheet(book.RATIONALES_SHEET)
        project = self.project
        for record in _records(sheet, book.RATIONALES_HEADERS):
            cell = self._cell_of(record)
            text = record.text("Rationale")
            if cell is None or not text:
                continue
            analyst = project.analyst_by_name(record.text("Analyst"))
            if analyst is None:
                self.warnings.append(
                    f"{record.where('Analyst')}: analyst {record.text('Analyst')!r} is not on "
                    "the Analysts sheet; added"
                )
                analyst = Analyst(project.new_id(), record.text("Analyst"))
                project.add_analyst(analyst)
            e, h = project.evidence[cell[0]].id, project.hypotheses[cell[1]].id
            project.rationales[(analyst.id, e, h)] = text
