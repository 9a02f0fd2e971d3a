"""Import a PARC ACH 2.0 project (``.achz``), the tool most analysts used before.

An ``.achz`` is gzip-compressed UTF-16 XML. Only the elements below are known;
anything else is kept as ``[PARC TAG] value`` in the evidence notes, the
hypothesis description or (for the root's own children such as ``LAST-INDEX``
and ``COLOR-SCHEME``) the project's notes, so an unfamiliar file version loses
nothing silently and never stops the import. ``CLASSIFICATION`` becomes the
project's classification marking. The file is unpacked with a size cap and
parsed with entities forbidden; a ``<!DOCTYPE>`` line is accepted (see
:mod:`workbench.exchange.safety`).

A ``DATE`` is epoch milliseconds of the local midnight of the day the analyst
picked; it is read as the UTC calendar day of that instant plus twelve hours,
which is that day for any time zone from UTC-12 to UTC+12 (a date entered in
Kyiv or Berlin, whose midnight falls on the previous UTC day, does not move).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.etree.ElementTree import Element

import numpy as np

from workbench.core.dates import PartialDate
from workbench.core.errors import BadInput
from workbench.core.model import Analyst, Evidence, EvidenceType, Hypothesis, Project, Source
from workbench.core.ratings import (
    RATING_SCALE,
    BadLevel,
    BadRating,
    Level,
    Rating,
    parse_level,
    parse_rating,
)
from workbench.exchange import safety
from workbench.exchange.imported import ImportScope

#: PARC writes a rating as letters separated by a space: "I I" is very inconsistent.
PARC_RATINGS: dict[str, Rating] = RATING_SCALE.by_code
#: As PARC spells them: a doubled letter is written twice with a space ("C C").
PARC_SPELLED = ", ".join(
    " ".join(r.code) if len(set(r.code)) == 1 < len(r.code) else r.code
    for r in RATING_SCALE.scored + (Rating.NA,)
)
_EVIDENCE_TAGS = frozenset(
    {"NAME", "NOTES", "LINK", "TYPE", "CODE", "DATE", "FLAG", "CREDIBILITY", "RELEVANCE", "VALUES"}
)
_TRUE = frozenset({"true", "yes", "1", "y"})
#: PARC's TYPE words: an evidence type, or the collection discipline kept as a tag.
PARC_TYPES: dict[str, EvidenceType] = {
    "assu": EvidenceType.ASSUMPTION,
    "assumption": EvidenceType.ASSUMPTION,
}
PARC_DISCIPLINES: dict[str, str] = {
    "open source": "OSINT",
    "osint": "OSINT",
    "press": "OSINT",
    "hum": "HUMINT",
    "humint": "HUMINT",
    "imagery": "IMINT",
    "imint": "IMINT",
    "sig": "SIGINT",
    "sigint": "SIGINT",
    "masint": "MASINT",
}
#: Half a day: local midnight anywhere from UTC-12 to UTC+12 lands on its own date.
_HALF_DAY_MS = 12 * 3600 * 1000
#: What a PARC file can speak for when imported into an open project.
PARC_SCOPE = ImportScope(
    evidence_fields=frozenset(
        {"title", "notes", "type", "date", "source_id", "credibility", "relevance", "tags"}
    ),
    hypothesis_fields=frozenset({"title"}),
    project_fields=False,
    milestones=False,
    rationales=False,
    all_layers=False,
)
#: A PARC project of 10,000 evidence items is about 20 MB of UTF-16; four times that is refused.
MAX_XML_BYTES = 80 * 2**20


def _tag(element: Element) -> str:
    """Element name without a namespace, upper-case (PARC writes upper-case tags)."""
    return element.tag.rsplit("}", 1)[-1].upper() if isinstance(element.tag, str) else ""


def _text(element: Element | None) -> str:
    if element is None:
        return ""
    return "".join(element.itertext()).strip()


def _child(element: Element, name: str) -> Element | None:
    return next((c for c in element if _tag(c) == name), None)


def _find_all(root: Element, name: str) -> list[Element]:
    return [e for e in root.iter() if _tag(e) == name]


def decode_xml(data: bytes, file_name: str) -> str:
    """PARC writes UTF-16 with a byte-order mark; accept UTF-8 and BOM-less UTF-16 too."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data[:2] == b"<\x00":
        encoding = "utf-16-le"
    elif data[:2] == b"\x00<":
        encoding = "utf-16-be"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise BadInput(f"{file_name}: the project text is not valid {encoding.upper()}") from None


def _looks_like_xml(data: bytes) -> bool:
    """XML starts with "<" after an optional byte-order mark and white space."""
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if data.startswith(bom):
            data = data[len(bom) :]
            break
    return data.replace(b"\x00", b"").lstrip()[:1] == b"<"


def read_parc(path: str | Path, *, analyst: str = "Analyst") -> Project:
    """Read a PARC ACH 2.0 ``.achz`` (or its uncompressed XML) into a new project."""
    path = Path(path)
    if not path.exists():
        raise BadInput(f"{path.name}: no such file")
    safety.check_file_size(path, MAX_XML_BYTES)  # before opening: a pipe would block the open
    with path.open("rb") as stream:
        head = stream.read(4)
    if head[:2] == b"\x1f\x8b":
        data = safety.read_gzip_bounded(path, MAX_XML_BYTES)
    elif head[:2] == b"PK":
        raise BadInput(f"{path.name}: a zip archive, not a PARC ACH project (gzip-compressed XML)")
    else:
        safety.check_file_size(path, MAX_XML_BYTES)
        data = path.read_bytes()
    if not _looks_like_xml(data):
        raise BadInput(f"{path.name}: not a PARC ACH project (the content is not XML)")
    root = safety.parse_xml(decode_xml(data, path.name), path.name, allow_doctype=True)
    return _ParcReader(path, root, analyst).read()


class _ParcReader:
    def __init__(self, path: Path, root: Element, analyst: str) -> None:
        self.path = path
        self.root = root
        self.analyst = analyst
        self.sources: dict[str, Source] = {}

    def read(self) -> Project:
        titles = _find_all(self.root, "PROJECT-TITLE")
        title = _text(titles[0]) if titles else ""
        project = Project(title=title or self.path.stem)
        # root.iter() includes the root itself, so a bare <MATRIX> file works too.
        matrix = next(iter(_find_all(self.root, "MATRIX")), None)
        if matrix is None:
            raise BadInput(f"{self.path.name}: no MATRIX element; is this a PARC ACH file?")
        for element in (c for c in matrix if _tag(c) == "HYPOTHESIS"):
            project.hypotheses.append(self._hypothesis(project, element))
        safety.check_hypothesis_count(len(project.hypotheses), self.path.name)
        rows: list[list[int]] = []
        for number, element in enumerate((c for c in matrix if _tag(c) == "EVIDENCE"), 1):
            evidence, ratings = self._evidence(project, element, number)
            project.evidence.append(evidence)
            rows.append(ratings)
        layer = np.array(rows, dtype=np.int8).reshape(len(rows), len(project.hypotheses))
        project.sources = list(self.sources.values())
        project.add_analyst(Analyst(project.new_id(), self.analyst), layer)
        self._root_fields(project)
        return project

    def _root_fields(self, project: Project) -> None:
        """The classification marking, and every other root child kept in the notes."""
        if _tag(self.root) == "MATRIX":
            return
        notes = []
        for child in self.root:
            tag, text = _tag(child), _text(child)
            if not text or tag in ("PROJECT-TITLE", "MATRIX"):
                continue
            self._check(text, tag)
            if tag == "CLASSIFICATION" and not project.classification:
                project.classification = " ".join(text.split())
            else:
                notes.append(f"[PARC {tag}] {text}")
        project.notes = "\n".join(notes)

    def _hypothesis(self, project: Project, element: Element) -> Hypothesis:
        number = len(project.hypotheses) + 1
        extra = [f"[PARC {_tag(c)}] {_text(c)}" for c in element if _tag(c) != "NAME" and _text(c)]
        title = _text(_child(element, "NAME")) or (_text(element) if not len(element) else "")
        self._check(title, f"hypothesis {number}")
        return Hypothesis(project.new_id(), f"H{number}", title, "\n".join(extra))

    def _check(self, text: str, what: str) -> None:
        safety.check_cell_text(text, f"{self.path.name}: {what}")

    def _evidence(
        self, project: Project, element: Element, number: int
    ) -> tuple[Evidence, list[int]]:
        code = f"E{number}"
        fields = {_tag(c): _text(c) for c in element}
        notes = [fields.get("NOTES", "")]
        evidence = Evidence(project.new_id(), code, fields.get("NAME", ""))
        for name, value in fields.items():
            self._check(value, f"{code} {name}")
        for child in element:
            if _tag(child) not in _EVIDENCE_TAGS and _text(child):
                notes.append(f"[PARC {_tag(child)}] {_text(child)}")
        kind = fields.get("TYPE", "")
        key = " ".join(kind.split()).casefold()
        if key in PARC_TYPES:
            evidence.type = PARC_TYPES[key]
        elif key in PARC_DISCIPLINES:
            evidence.tags.append(PARC_DISCIPLINES[key])  # filterable, like any tag
        else:
            try:
                evidence.type = EvidenceType.parse(kind)
            except ValueError:
                # PARC's type list is free text ("Intelligence report"); keep the words.
                notes.append(f"[PARC TYPE] {kind}")
        evidence.credibility = self._level(fields.get("CREDIBILITY", ""), "CREDIBILITY", notes)
        evidence.relevance = self._level(fields.get("RELEVANCE", ""), "RELEVANCE", notes)
        evidence.date = self._date(fields.get("DATE", ""), notes)
        if fields.get("CODE"):
            evidence.tags.append(fields["CODE"])
        if fields.get("FLAG", "").casefold() in _TRUE:
            evidence.tags.append("flagged")
        link = fields.get("LINK", "")
        if link:
            evidence.source_id = self._source(project, link).id
        evidence.notes = "\n".join(n for n in notes if n)
        return evidence, self._ratings(fields.get("VALUES", ""), len(project.hypotheses), code)

    def _level(self, text: str, tag: str, notes: list[str]) -> Level:
        try:
            return parse_level(text)
        except BadLevel:
            notes.append(f"[PARC {tag}] {text}")
            return Level.MEDIUM

    def _date(self, text: str, notes: list[str]) -> PartialDate | None:
        """Epoch milliseconds, 0 meaning no date."""
        if not text or text == "0":
            return None
        try:
            moment = dt.datetime.fromtimestamp((int(text) + _HALF_DAY_MS) / 1000, tz=dt.UTC)
            return PartialDate.from_date(moment.date())
        except (ValueError, OverflowError, OSError):
            notes.append(f"[PARC DATE] {text}")
            return None

    def _ratings(self, text: str, n_hypotheses: int, code: str) -> list[int]:
        values = [v.strip() for v in text.split(",")] if text.strip() else []
        if len(values) > n_hypotheses and any(values[n_hypotheses:]):
            raise BadInput(
                f"{self.path.name}: evidence {code} has {len(values)} ratings "
                f"but the matrix has {n_hypotheses} "
                + ("hypothesis" if n_hypotheses == 1 else "hypotheses")
            )
        ratings = []
        for position, value in enumerate(values[:n_hypotheses], 1):
            squeezed = "".join(value.split()).upper()
            if squeezed in PARC_RATINGS:
                ratings.append(int(PARC_RATINGS[squeezed]))
                continue
            try:
                ratings.append(int(parse_rating(value)))
            except BadRating:
                raise BadInput(
                    f"{self.path.name}: evidence {code}, hypothesis H{position}: "
                    f"{value!r} is not a PARC rating ({PARC_SPELLED})"
                ) from None
        return ratings + [int(Rating.BLANK)] * (n_hypotheses - len(ratings))

    def _source(self, project: Project, link: str) -> Source:
        if link not in self.sources:
            self.sources[link] = Source(project.new_id(), author=link, link=link)
        return self.sources[link]
