"""The project as JSON: every fact, nothing else, in a stable order (schema in
``workbench/exchange/json_format.md``).

It is the full-fidelity form for scripting, diffing and archiving: content
only (no timestamps, database ids or app version), entities referred to by
their codes, keys and lists always in the same order, so two projects with
the same content give byte-identical files (the ``project_id`` aside). Reading
it back assigns fresh ids in file order, so ``to_json(from_json(t)) == t``.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

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
from workbench.core.ratings import SCALE, Level, Rating
from workbench.exchange import safety
from workbench.exchange.output_file import replacing

FORMAT_NAME = "ach-workbench-project"
FORMAT_VERSION = 1
JSON_SUFFIX = ".json"
_LEVELS = {level.label: level for level in Level}
_STATUSES = {status.value: status for status in MilestoneStatus}
_TYPES = {kind.value: kind for kind in EvidenceType}


def source_refs(project: Project) -> dict[int, str]:
    """Source id -> its reference S1, S2, ... in the project's source order."""
    return {s.id: f"S{i + 1}" for i, s in enumerate(project.sources)}


def project_document(project: Project) -> dict[str, Any]:
    """The project as plain JSON values, in the documented key order."""
    refs = source_refs(project)
    e_code = {e.id: e.code for e in project.evidence}
    h_code = {h.id: h.code for h in project.hypotheses}
    rows = {e.id: i for i, e in enumerate(project.evidence)}
    cols = {h.id: j for j, h in enumerate(project.hypotheses)}
    analysts = []
    for analyst in project.analysts:
        layer = project.layer(analyst.id)
        notes = {(e, h): text for (a, e, h), text in project.rationales.items() if a == analyst.id}
        cells = []
        rated = {(int(i), int(j)) for i, j in zip(*np.nonzero(layer), strict=True)}
        rated |= {(rows[e], cols[h]) for e, h in notes}
        for i, j in sorted(rated):
            e, h = project.evidence[i], project.hypotheses[j]
            cell: dict[str, Any] = {
                "evidence": e.code,
                "hypothesis": h.code,
                "rating": Rating(int(layer[i, j])).code,
            }
            if notes.get((e.id, h.id)):
                cell["rationale"] = notes[(e.id, h.id)]
            cells.append(cell)
        analysts.append({"name": analyst.name, "ratings": cells})
    overrides = [
        {
            "evidence": e_code[e],
            "hypothesis": h_code[h],
            "rating": override.rating.code,
            "note": override.note,
        }
        for (e, h), override in sorted(
            project.overrides.items(), key=lambda item: (rows[item[0][0]], cols[item[0][1]])
        )
    ]
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "project_id": project.uid,
        "title": project.title,
        "question": project.question,
        "description": project.description,
        "classification": project.classification,
        "time_horizon": project.time_horizon,
        "notes": project.notes,
        "likelihoods": {r.code: float(project.likelihoods[r]) for r in SCALE},
        "hypotheses": [
            {"code": h.code, "title": h.title, "description": h.description, "prior": h.prior}
            for h in project.hypotheses
        ],
        "sources": [
            {
                "ref": refs[s.id],
                "author": s.author,
                "year": s.year,
                "title": s.title,
                "link": s.link,
                "citation": s.citation,
            }
            for s in project.sources
        ],
        "evidence": [
            {
                "code": e.code,
                "title": e.title,
                "description": e.description,
                "type": e.type.value,
                "date": str(e.date) if e.date else None,
                "source": refs.get(e.source_id) if e.source_id is not None else None,
                "locator": e.locator,
                "credibility": e.credibility.label,
                "relevance": e.relevance.label,
                "active": e.active,
                "tags": list(e.tags),
                "notes": e.notes,
            }
            for e in project.evidence
        ],
        "analysts": analysts,
        "consensus_overrides": overrides,
        "milestones": [
            {
                "hypothesis": h_code[m.hypothesis_id],
                "indicator": m.indicator,
                "expected_by": str(m.expected_by) if m.expected_by else None,
                "status": m.status.value,
                "note": m.note,
            }
            for m in project.milestones
        ],
    }


def to_json(project: Project) -> str:
    """The project as JSON text (two-space indent, UTF-8 characters kept, final newline)."""
    return json.dumps(project_document(project), indent=2, ensure_ascii=False) + "\n"


def export_json(project: Project, path: str | os.PathLike[str]) -> None:
    text = to_json(project)
    with replacing(path) as temp:
        Path(temp).write_text(text, encoding="utf-8", newline="\n")


# -- reading ----------------------------------------------------------------------


class _Reader:
    """Checks each value's type as it is taken, naming where a bad one is."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, message: str) -> BadInput:
        return BadInput(f"{self.name}: {where}: {message}")

    def obj(self, value: object, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "expected an object")
        return value

    def items(self, doc: dict[str, Any], key: str, where: str) -> list[Any]:
        value = doc.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{where}.{key}", "expected a list")
        return value

    def text(self, doc: dict[str, Any], key: str, where: str, default: str = "") -> str:
        value = doc.get(key, default)
        if value is None:
            value = default
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", "expected text")
        safety.check_cell_text(value, f"{self.name}: {where}.{key}")
        return value

    def required(self, doc: dict[str, Any], key: str, where: str) -> str:
        value = self.text(doc, key, where)
        if not value:
            raise self.fail(f"{where}.{key}", "must not be empty")
        return value

    def number(self, doc: dict[str, Any], key: str, where: str) -> float | None:
        value = doc.get(key)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise self.fail(f"{where}.{key}", "expected a number")
        return float(value)

    def choice(self, doc: dict[str, Any], key: str, where: str, table: dict, default: Any) -> Any:
        value = doc.get(key)
        if value is None:
            return default
        if value not in table:
            raise self.fail(f"{where}.{key}", f"{value!r} is not one of {', '.join(table)}")
        return table[value]

    def date(self, doc: dict[str, Any], key: str, where: str) -> PartialDate | None:
        try:
            return PartialDate.parse(self.text(doc, key, where))
        except BadDate as err:
            raise self.fail(f"{where}.{key}", str(err)) from None

    def rating(self, doc: dict[str, Any], where: str) -> Rating:
        code = self.text(doc, "rating", where)
        try:
            return Rating.from_code(code)
        except KeyError:
            raise self.fail(f"{where}.rating", f"{code!r} is not a rating code") from None


def read_json(path: str | os.PathLike[str]) -> Project:
    """Read a project written by :func:`export_json` (or by a script following the schema)."""
    path = Path(path)
    safety.check_file_size(path)
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BadInput(f"{path.name}: the file is not UTF-8 text") from None
    except (json.JSONDecodeError, RecursionError) as err:
        raise BadInput(f"{path.name}: not valid JSON ({err})") from None
    return project_from_document(doc, path.name)


def from_json(text: str, name: str = "project.json") -> Project:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise BadInput(f"{name}: not valid JSON ({err})") from None
    return project_from_document(doc, name)


def project_from_document(doc: object, name: str) -> Project:
    r = _Reader(name)
    doc = r.obj(doc, "the file")
    if doc.get("format") != FORMAT_NAME:
        raise BadInput(f'{name}: not an ACH Workbench project (no "format": "{FORMAT_NAME}")')
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise r.fail("version", "expected a whole number")
    if version > FORMAT_VERSION:
        raise BadInput(
            f"{name}: format version {version} is newer than this version of ACH Workbench "
            f"reads ({FORMAT_VERSION}); please update"
        )
    project = Project(title=r.text(doc, "title", "project"))
    project.uid = r.text(doc, "project_id", "project") or project.uid
    for key in ("question", "description", "classification", "time_horizon", "notes"):
        setattr(project, key, r.text(doc, key, "project"))
    likelihoods = r.obj(doc.get("likelihoods", {}), "likelihoods")
    for rating in SCALE:
        value = r.number(likelihoods, rating.code, "likelihoods")
        if value is not None:
            if not 0.0 < value <= 1.0:
                raise r.fail(f"likelihoods.{rating.code}", "must be above 0 and at most 1")
            project.likelihoods[rating] = value

    hypotheses: dict[str, Hypothesis] = {}
    for k, item in enumerate(r.items(doc, "hypotheses", "project")):
        where = f"hypotheses[{k}]"
        item = r.obj(item, where)
        code = r.required(item, "code", where)
        if code in hypotheses:
            raise r.fail(where, f"hypothesis code {code} is used twice")
        prior = r.number(item, "prior", where)
        if prior is not None and not 0.0 <= prior <= 1.0:
            raise r.fail(f"{where}.prior", "must be from 0 to 1")
        hypothesis = Hypothesis(
            project.new_id(),
            code,
            r.text(item, "title", where),
            r.text(item, "description", where),
            prior,
        )
        hypotheses[code] = hypothesis
    safety.check_hypothesis_count(len(hypotheses), name)
    project.hypotheses = list(hypotheses.values())

    sources: dict[str, Source] = {}
    for k, item in enumerate(r.items(doc, "sources", "project")):
        where = f"sources[{k}]"
        item = r.obj(item, where)
        year = item.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise r.fail(f"{where}.year", "expected a whole number")
        source = Source(
            project.new_id(),
            r.text(item, "author", where),
            year,
            r.text(item, "title", where),
            r.text(item, "link", where),
            r.text(item, "citation", where),
        )
        ref = r.text(item, "ref", where) or f"S{k + 1}"
        if ref in sources:
            raise r.fail(f"{where}.ref", f"source ref {ref} is used twice")
        sources[ref] = source
    project.sources = list(sources.values())

    evidence: dict[str, Evidence] = {}
    for k, item in enumerate(r.items(doc, "evidence", "project")):
        where = f"evidence[{k}]"
        item = r.obj(item, where)
        code = r.required(item, "code", where)
        if code in evidence:
            raise r.fail(where, f"evidence code {code} is used twice")
        ref = r.text(item, "source", where)
        if ref and ref not in sources:
            raise r.fail(f"{where}.source", f"no source {ref}")
        active = item.get("active", True)
        if not isinstance(active, bool):
            raise r.fail(f"{where}.active", "expected true or false")
        tags = r.items(item, "tags", where)
        if not all(isinstance(t, str) for t in tags):
            raise r.fail(f"{where}.tags", "expected a list of texts")
        evidence[code] = Evidence(
            project.new_id(),
            code,
            r.text(item, "title", where),
            r.text(item, "description", where),
            r.choice(item, "type", where, _TYPES, EvidenceType.EVENT),
            r.date(item, "date", where),
            sources[ref].id if ref else None,
            r.text(item, "locator", where),
            r.choice(item, "credibility", where, _LEVELS, Level.MEDIUM),
            r.choice(item, "relevance", where, _LEVELS, Level.MEDIUM),
            active,
            list(tags),
            r.text(item, "notes", where),
        )
    project.evidence = list(evidence.values())
    rows = {code: i for i, code in enumerate(evidence)}
    cols = {code: j for j, code in enumerate(hypotheses)}

    def cell(item: dict[str, Any], where: str) -> tuple[int, int]:
        e, h = r.text(item, "evidence", where), r.text(item, "hypothesis", where)
        if e not in rows:
            raise r.fail(f"{where}.evidence", f"no evidence {e!r}")
        if h not in cols:
            raise r.fail(f"{where}.hypothesis", f"no hypothesis {h!r}")
        return rows[e], cols[h]

    shape = (len(evidence), len(hypotheses))
    names: set[str] = set()
    for k, item in enumerate(r.items(doc, "analysts", "project")):
        where = f"analysts[{k}]"
        item = r.obj(item, where)
        analyst = Analyst(project.new_id(), r.required(item, "name", where))
        if analyst.name.casefold() in names:
            raise r.fail(f"{where}.name", f"analyst {analyst.name!r} is listed twice")
        names.add(analyst.name.casefold())
        layer = np.zeros(shape, dtype=np.int8)
        notes: dict[tuple[int, int, int], str] = {}
        for n, rated in enumerate(r.items(item, "ratings", where)):
            at = f"{where}.ratings[{n}]"
            rated = r.obj(rated, at)
            i, j = cell(rated, at)
            layer[i, j] = int(r.rating(rated, at))
            note = r.text(rated, "rationale", at)
            if note:
                notes[(analyst.id, project.evidence[i].id, project.hypotheses[j].id)] = note
        project.add_analyst(analyst, layer)
        project.rationales.update(notes)
    for k, item in enumerate(r.items(doc, "consensus_overrides", "project")):
        where = f"consensus_overrides[{k}]"
        item = r.obj(item, where)
        i, j = cell(item, where)
        cell_ids = (project.evidence[i].id, project.hypotheses[j].id)
        project.overrides[cell_ids] = ConsensusOverride(
            r.rating(item, where), r.text(item, "note", where)
        )
    for k, item in enumerate(r.items(doc, "milestones", "project")):
        where = f"milestones[{k}]"
        item = r.obj(item, where)
        code = r.text(item, "hypothesis", where)
        if code not in hypotheses:
            raise r.fail(f"{where}.hypothesis", f"no hypothesis {code!r}")
        project.milestones.append(
            Milestone(
                project.new_id(),
                hypotheses[code].id,
                r.text(item, "indicator", where),
                r.date(item, "expected_by", where),
                r.choice(item, "status", where, _STATUSES, MilestoneStatus.PENDING),
                r.text(item, "note", where),
            )
        )
    return project
