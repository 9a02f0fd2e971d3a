"""Import a plain ACH matrix from a spreadsheet someone made by hand or another
tool wrote (issues 2 and 10).

The rules an analyst can rely on: the header is the first row with a cell
``Evidence`` (or ``Evidence item``, ``Item`` or ``Description``), or else the
first row whose top-left cell is blank with a label row under it; the columns
after it are hypotheses (``H1: title`` or just a title), except the optional
columns named below; each following row is an evidence item, up to the first
wholly blank row (a tool's own "Scores" table below it is ignored, with a
warning) or our own score rows. Ratings may be written as PARC and ArkhamMirror
do (``++ + N - -- N/A``); weights as words or as numbers from 0 to 1 (read by
:data:`LEVEL_THRESHOLDS`, with a warning); an evidence type the workbench does
not know is kept as a tag, with a warning. Every problem is reported with the
file, sheet and cell (``Matrix!E7``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

from workbench.core.dates import BadDate, PartialDate
from workbench.core.errors import BadInput
from workbench.core.model import Analyst, Evidence, EvidenceType, Hypothesis, Project, Source
from workbench.core.ratings import (
    ACCEPTED_LEVEL_SPELLINGS,
    ACCEPTED_RATING_SPELLINGS,
    BadLevel,
    BadRating,
    Level,
    parse_level,
    parse_rating,
)
from workbench.exchange import safety
from workbench.exchange import workbook_layout as book_layout
from workbench.exchange.imported import Imported, ImportScope
from workbench.exchange.spreadsheet_reader import (
    Row,
    Sheet,
    Workbook,
    column_letters,
    open_sheets,
)

#: Column headers that describe the evidence rather than name a hypothesis.
FIELD_COLUMNS = ("id", "credibility", "relevance", "type", "date", "source", "notes", "active")
#: Headers of the evidence column, in order of preference (``Description`` is
#: the evidence only when no other is there; beside ``Evidence`` it is a field).
EVIDENCE_HEADERS = ("evidence", "evidence item", "item", "description")
#: A weight typed as a number from 0 to 1: below 1/3 Low, below 2/3 Medium, else High.
LEVEL_THRESHOLDS = (1 / 3, 2 / 3)
#: Column-A labels of the score rows under our own exported matrix: the evidence ends there.
SCORE_LABELS = frozenset(label.casefold() for label in book_layout.SCORE_ROW_LABELS)

_EVIDENCE_CODE = re.compile(r"^[Ee]\d+$")
_TRUE_WORDS = frozenset({"true", "yes", "y", "1", "x", "included", "active"})
_FALSE_WORDS = frozenset({"false", "no", "n", "0", "excluded", "inactive"})


def _key(value: object) -> str:
    return " ".join(str(value).split()).casefold()


def cell_text(value: object) -> str:
    """A cell as the text the analyst sees (``3`` not ``3.0``, dates as ISO)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if value is None:
        return ""
    return str(value)


def cell_date(value: object) -> PartialDate | None:
    """A date cell: a real date, a bare year typed as a number, or YYYY[-MM[-DD]] text."""
    if isinstance(value, dt.date):  # a datetime is a date too
        return PartialDate.from_date(value)
    if isinstance(value, float | int) and not isinstance(value, bool):
        if float(value).is_integer():
            return PartialDate(int(value))
        raise BadDate(f"{cell_text(value)!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return PartialDate.parse(cell_text(value))


def _number(value: object) -> float | None:
    """A cell holding a number (or numeric text such as ``0.90``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _shown(value: object) -> str:
    """A bad value quoted in a message, cut short so a 1 MB cell stays readable."""
    text = cell_text(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


@dataclasses.dataclass
class MatrixLayout:
    """Where things are in a sheet: 0-based header row and column indices."""

    header_row: int
    evidence_column: int
    fields: dict[str, int]
    hypothesis_columns: list[int]
    width: int


def _header_row(sheet: Sheet, first_row: int) -> tuple[int, int] | None:
    """(row, evidence column) of the header: by name, else a blank top-left cell."""
    for r in range(first_row, len(sheet.rows)):
        keys = [_key(v) if isinstance(v, str) else "" for v in sheet.rows[r]]
        for name in EVIDENCE_HEADERS:
            if name in keys:
                return r, keys.index(name)
    for r in range(first_row, len(sheet.rows) - 1):
        row, below = sheet.rows[r], sheet.rows[r + 1]
        labelled = [c for c, v in enumerate(row) if c and cell_text(v)]
        if row and not cell_text(row[0]) and labelled and below and cell_text(below[0]):
            return r, 0
        if any(cell_text(v) for v in row):
            break  # the first non-empty row decides; a title row means no such header
    return None


def find_layout(sheet: Sheet, first_row: int = 0) -> MatrixLayout | None:
    """The header row and its columns, or None if the sheet has no evidence header."""
    found = _header_row(sheet, first_row)
    if found is None:
        return None
    r, evidence_column = found
    row = sheet.rows[r]
    keys = [_key(v) if isinstance(v, str) else "" for v in row]
    fields: dict[str, int] = {}
    hypotheses: list[int] = []
    for c, key in enumerate(keys):
        if c == evidence_column or not key:
            continue
        if key in (*FIELD_COLUMNS, "description"):
            if key in fields:
                raise BadInput(
                    f"{sheet.where(r, c)}: a second {cell_text(row[c])!r} column "
                    f"(the first is column {column_letters(fields[key])})"
                )
            fields[key] = c
        elif c > evidence_column:
            hypotheses.append(c)
    width = max((c + 1 for c, v in enumerate(row) if cell_text(v)), default=0)
    return MatrixLayout(r, evidence_column, fields, hypotheses, max(width, evidence_column + 1))


def read_matrix(path: str | Path, *, sheet: str | None = None, analyst: str = "Analyst") -> Project:
    """Read a plain matrix (xlsx, xlsm, ods or csv) into a new one-analyst project."""
    return import_matrix(path, sheet=sheet, analyst=analyst).project


def import_matrix(
    path: str | Path,
    *,
    sheet: str | None = None,
    analyst: str = "Analyst",
    workbook: Workbook | None = None,
) -> Imported:
    """A plain matrix and what it can speak for (the columns it has).

    ``workbook`` is ``path`` already open: its sheets are read without opening it again.
    """
    path = Path(path)
    seen: list[str] = []
    for table in open_sheets(path, sheet, workbook=workbook):
        layout = find_layout(table)
        if layout is not None:
            project, warnings = sheet_matrix(table, layout, title=path.stem, analyst=analyst)
            return Imported(project, plain_matrix_scope(layout), tuple(warnings))
        seen.append(table.name or "")
    where = f" in sheets {', '.join(seen)}" if any(seen) else ""
    raise BadInput(f"{path.name}: no row with an 'Evidence' header cell{where}")


#: Evidence field each optional column fills.
_COLUMN_FIELDS = {
    "credibility": "credibility",
    "relevance": "relevance",
    "type": "type",
    "date": "date",
    "source": "source_id",
    "notes": "notes",
    "active": "active",
    "description": "description",
}


def plain_matrix_scope(layout: MatrixLayout) -> ImportScope:
    """A plain matrix speaks for titles, ratings and the columns it has; nothing else."""
    fields = {"title"} | {_COLUMN_FIELDS[name] for name in layout.fields if name in _COLUMN_FIELDS}
    return ImportScope(
        evidence_fields=frozenset(fields),
        hypothesis_fields=frozenset({"title"}),
        project_fields=False,
        milestones=False,
        rationales=False,
        all_layers=False,
    )


def matrix_from_sheet(
    sheet: Sheet, layout: MatrixLayout, *, title: str, analyst: str = "Analyst"
) -> Project:
    """Build the project from a sheet whose header has been found."""
    return sheet_matrix(sheet, layout, title=title, analyst=analyst)[0]


def sheet_matrix(
    sheet: Sheet, layout: MatrixLayout, *, title: str, analyst: str = "Analyst"
) -> tuple[Project, list[str]]:
    """The project from a sheet whose header has been found, and the reader's warnings."""
    project = Project(title=title)
    header = sheet.rows[layout.header_row]
    project.hypotheses = _hypotheses(sheet, layout, header, project)
    reader = _EvidenceReader(sheet, layout, project, analyst)
    reader.read()
    return project, reader.warnings


def _hypotheses(
    sheet: Sheet, layout: MatrixLayout, header: Row, project: Project
) -> list[Hypothesis]:
    safety.check_hypothesis_count(
        len(layout.hypothesis_columns), sheet.where_row(layout.header_row)
    )
    if not layout.hypothesis_columns:
        raise BadInput(
            f"{sheet.where(layout.header_row, layout.evidence_column)}: no hypothesis columns "
            "after the 'Evidence' header (one column per hypothesis, headed by its title)"
        )
    parsed: list[tuple[str | None, str]] = []
    first_use: dict[str, int] = {}
    for c in layout.hypothesis_columns:
        text = cell_text(header[c])
        sheet.check_text(text, layout.header_row, c)
        code, title = book_layout.parse_hypothesis_header(text)
        if code is not None:
            if code in first_use:
                raise BadInput(
                    f"{sheet.where(layout.header_row, c)}: hypothesis code {code} is used twice "
                    f"(also in {column_letters(first_use[code])}{layout.header_row + 1})"
                )
            first_use[code] = c
        parsed.append((code, title))
    codes = _fill_codes([code for code, _ in parsed], "H")
    return [
        Hypothesis(project.new_id(), code, title)
        for code, (_, title) in zip(codes, parsed, strict=True)
    ]


def _fill_codes(given: list[str | None], prefix: str) -> list[str]:
    """Keep the codes given; number the rest 1.. in order, skipping codes in use."""
    taken = {c.casefold() for c in given if c}
    out: list[str] = []
    number = 0
    for code in given:
        if code:
            out.append(code)
            continue
        number += 1
        while f"{prefix}{number}".casefold() in taken:
            number += 1
        out.append(f"{prefix}{number}")
    return out


def _is_score_row(row: Row, label_columns: list[int]) -> bool:
    """Our own score rows under an exported matrix (only text can be their label)."""
    for c in label_columns:
        if c < len(row):
            value = row[c]
            if isinstance(value, str) and value and _key(value) in SCORE_LABELS:
                return True
    return False


class _EvidenceReader:
    """Reads the rows under the header; one instance per import."""

    def __init__(self, sheet: Sheet, layout: MatrixLayout, project: Project, analyst: str) -> None:
        self.sheet = sheet
        self.analyst_name = analyst
        self.layout = layout
        self.project = project
        self.sources: dict[str, Source] = {}
        # Text spellings seen so far -> Rating: most cells repeat a handful of
        # codes, so one dict lookup per cell replaces a parse. Only strings are
        # cached, because False == 0 would otherwise alias a numeric Neutral.
        self.rating_cache: dict[object, int] = {}
        # The same for weight words ("High"), which would otherwise first fail as numbers.
        self.level_cache: dict[str, Level] = {}
        columns = layout.hypothesis_columns
        #: The rating cells of a row as a tuple, in one call.
        self._rating_cells: Callable[[Row], tuple[object, ...]] = (
            operator.itemgetter(*columns) if len(columns) > 1 else lambda row: (row[columns[0]],)
        )
        self.warnings: list[str] = []
        #: column -> (cells read from numbers, first cell, its number, its level)
        self.numeric_levels: dict[int, list] = {}

    def read(self) -> None:
        layout, rows = self.layout, self.sheet.rows
        label_columns = sorted({0, min(layout.evidence_column, layout.fields.get("id", 10**9))})
        # A row counts as evidence only if a column we read has something in it;
        # a stray note far to the right of the matrix is not an evidence item.
        read_columns = sorted(
            {layout.evidence_column, *layout.fields.values(), *layout.hypothesis_columns}
        )
        items: list[tuple[int, str | None, Evidence]] = []
        #: The ratings, row after row, as Rating values.
        ratings: list[int] = []
        rating_of, rating_cells = self.rating_cache.__getitem__, self._rating_cells
        is_csv, width = self.sheet.is_csv, layout.width
        for r in range(layout.header_row + 1, len(rows)):
            row = rows[r]
            if _is_score_row(row, label_columns):
                break
            if items and not any(map(cell_text, row)):
                self._ignore_below(r)
                break
            if is_csv:
                self._check_width(r, row)
            row = row + [""] * (width - len(row)) if len(row) < width else row
            if not any(map(cell_text, map(row.__getitem__, read_columns))):
                continue
            code, evidence = self._evidence(r, row)
            items.append((r, code, evidence))
            done = len(ratings)
            try:
                ratings.extend(map(rating_of, rating_cells(row)))
            except (KeyError, TypeError):
                del ratings[done:]
                ratings.extend(self._ratings(r, row))
        self._assign_codes(items)
        self.project.evidence = [evidence for _, _, evidence in items]
        shape = (len(items), len(self.project.hypotheses))
        # Ratings are 0..6: a bytearray of them is the layer's memory, made in one C call.
        layer = np.frombuffer(bytearray(ratings), dtype=np.int8).reshape(shape)
        analyst = Analyst(self.project.new_id(), self.analyst_name)
        self.project.sources = list(self.sources.values())
        self.project.add_analyst(analyst, layer)
        for c, (count, r, value, level) in sorted(self.numeric_levels.items()):
            low, high = LEVEL_THRESHOLDS
            self.warnings.append(
                f"{self.sheet.where(r, c)}: {count} weight{'s' if count > 1 else ''} in column "
                f"{column_letters(c)} given as numbers, read as Low below {low:.2f}, Medium "
                f"below {high:.2f}, High from {high:.2f} (here {cell_text(value)} -> {level.label})"
            )

    def _ignore_below(self, blank: int) -> None:
        """Rows after the first wholly blank row are another table, never evidence."""
        rows = self.sheet.rows
        rest = [r for r in range(blank + 1, len(rows)) if any(cell_text(v) for v in rows[r])]
        if rest:
            first = rows[rest[0]]
            label = next((cell_text(v) for v in first if cell_text(v)), "")
            self.warnings.append(
                f"{self.sheet.where_row(rest[0])}: {len(rest)} row"
                f"{'s' if len(rest) > 1 else ''} after the blank row {blank + 1} ignored "
                f"(starting {label[:40]!r}); the matrix ends at the first blank row"
            )

    def _check_width(self, r: int, row: Row) -> None:
        for c in range(len(row) - 1, self.layout.width - 1, -1):
            if cell_text(row[c]):
                raise BadInput(
                    f"{self.sheet.where(r, c)}: this row has more cells than the header "
                    f"(which ends at column {column_letters(self.layout.width - 1)}); "
                    "is there an unquoted delimiter in a text?"
                )

    def _text(self, r: int, c: int | None, row: Row) -> str:
        if c is None:
            return ""
        text = cell_text(row[c])
        if len(text) >= safety.MAX_CELL_CHARS:
            self.sheet.check_text(text, r, c)
        return text

    def _evidence(self, r: int, row: Row) -> tuple[str | None, Evidence]:
        fields = self.layout.fields
        code = self._code(r, fields.get("id"), row)
        title = self._text(r, self.layout.evidence_column, row)
        notes = self._text(r, fields.get("notes"), row)
        description = self._text(r, fields.get("description"), row)
        credibility = relevance = Level.MEDIUM
        if "credibility" in fields:
            credibility = self._level(r, fields["credibility"], row)
        if "relevance" in fields:
            relevance = self._level(r, fields["relevance"], row)
        evidence = Evidence(
            self.project.new_id(),
            "",
            title,
            description,
            notes=notes,
            credibility=credibility,
            relevance=relevance,
        )
        if "type" in fields:
            try:
                evidence.type = EvidenceType.parse(row[fields["type"]])
            except ValueError:
                # Another tool's word for it ("document", "testimony"): kept, filterable.
                kind = self._text(r, fields["type"], row)
                evidence.tags.append(kind)
                self.warnings.append(
                    f"{self.sheet.where(r, fields['type'])}: evidence type {kind[:40]!r} is not "
                    f"one of the workbench's ({', '.join(t.label for t in EvidenceType)}); "
                    "kept as a tag"
                )
        if "date" in fields:
            evidence.date = self._date(r, fields["date"], row)
        if "active" in fields:
            evidence.active = self._active(r, fields["active"], row)
        source_text = self._text(r, fields["source"], row) if "source" in fields else ""
        if source_text:
            evidence.source_id = self._source(source_text).id
        return code, evidence

    def _code(self, r: int, c: int | None, row: Row) -> str | None:
        text = self._text(r, c, row)
        if not text:
            return None
        if text.isdigit():
            return f"E{int(text)}"
        return text.upper() if _EVIDENCE_CODE.match(text) else text

    def _level(self, r: int, c: int, row: Row) -> Level:
        value = row[c]
        if isinstance(value, str):
            cached = self.level_cache.get(value)
            if cached is not None:
                return cached
        number = _number(value)
        if number is not None and 0.0 <= number <= 1.0:
            low, high = LEVEL_THRESHOLDS
            level = Level.LOW if number < low else Level.MEDIUM if number < high else Level.HIGH
            seen = self.numeric_levels.setdefault(c, [0, r, value, level])
            seen[0] += 1
            return level
        try:
            level = parse_level(value)
        except BadLevel:
            raise BadInput(
                f"{self.sheet.where(r, c)}: {_shown(row[c])} is not a weight "
                f"(accepted: {ACCEPTED_LEVEL_SPELLINGS})"
            ) from None
        if isinstance(value, str):
            self.level_cache[value] = level
        return level

    def _date(self, r: int, c: int, row: Row) -> PartialDate | None:
        try:
            return cell_date(row[c])
        except BadDate as err:
            raise BadInput(f"{self.sheet.where(r, c)}: {err}") from None

    def _active(self, r: int, c: int, row: Row) -> bool:
        value = row[c]
        if isinstance(value, bool):
            return value
        key = _key(cell_text(value))
        if key == "" or key in _TRUE_WORDS:
            return True
        if key in _FALSE_WORDS:
            return False
        raise BadInput(
            f"{self.sheet.where(r, c)}: {_shown(value)} is not TRUE or FALSE "
            "(Active says whether the evidence counts in the scores)"
        )

    def _source(self, text: str) -> Source:
        key = _key(text)
        if key not in self.sources:
            self.sources[key] = Source(self.project.new_id(), author=text)
        return self.sources[key]

    def _ratings(self, r: int, row: Row) -> list[int]:
        """A row's ratings one by one: the first time a spelling is seen, or a bad one."""
        return [self._rating(r, c, row[c]) for c in self.layout.hypothesis_columns]

    def _rating(self, r: int, c: int, value: object) -> int:
        cached = self.rating_cache.get(value) if isinstance(value, str) else None
        if cached is not None:
            return cached
        try:
            rating = int(parse_rating(value))
        except BadRating:
            raise BadInput(
                f"{self.sheet.where(r, c)}: {_shown(value)} is not a rating "
                f"(accepted: {ACCEPTED_RATING_SPELLINGS})"
            ) from None
        if isinstance(value, str):
            self.rating_cache[value] = rating
        return rating

    def _assign_codes(self, items: list[tuple[int, str | None, Evidence]]) -> None:
        first_use: dict[str, int] = {}
        id_column = self.layout.fields.get("id", self.layout.evidence_column)
        for r, code, _ in items:
            if code is None:
                continue
            key = code.casefold()
            if key in first_use:
                raise BadInput(
                    f"{self.sheet.where(r, id_column)}: evidence code {code} is used twice "
                    f"(also in {column_letters(id_column)}{first_use[key] + 1})"
                )
            first_use[key] = r
        codes = _fill_codes([code for _, code, _ in items], "E")
        for (_, _, evidence), code in zip(items, codes, strict=True):
            evidence.code = code
