"""Translation between core entities and table rows, in one place.

Both directions live side by side so a new field is added to the file format
in one module: ``*_values`` gives the column values to write, ``*_from``
rebuilds the core object from a loaded row. Enums are stored by their value
(or lower-case name for levels) and dates as text, so the file reads well in
any SQLite browser.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from workbench.core.dates import PartialDate
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
from workbench.core.ratings import Level, Rating

if TYPE_CHECKING:  # the mapping imports SQLAlchemy; reading a file does not need it
    from workbench.store.schema import (
        AnalystRow,
        ConsensusOverrideRow,
        EvidenceRow,
        HypothesisRow,
        MilestoneRow,
        SourceRow,
    )

Values = dict[str, Any]


def _date_text(value: PartialDate | None) -> str | None:
    return None if value is None else str(value)


def likelihoods_json(likelihoods: dict[Rating, float]) -> str:
    return json.dumps({Rating(k).name: float(v) for k, v in likelihoods.items()})


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise ValueError(f"{what} is not valid JSON") from None


def likelihoods_from(text: str) -> dict[Rating, float]:
    data = _json(text, "the likelihood table")
    if not isinstance(data, dict) or not all(
        name in Rating.__members__ and type(value) in (int, float) for name, value in data.items()
    ):
        raise ValueError("the likelihood table is not a set of rating names and numbers")
    table = {Rating[name]: float(value) for name, value in data.items()}
    # Scoring takes their logarithms: a 0, a negative or a NaN from a damaged
    # file would otherwise surface later as a crash instead of a clear refusal.
    wrong = [f"{rating.name}={value}" for rating, value in table.items() if not 0 < value <= 1]
    if wrong:
        raise ValueError(f"likelihoods outside (0, 1]: {', '.join(wrong)}")
    return table


def project_from(head: Any, ordered: Callable[[str], Iterable[Any]]) -> Project:
    """A Project from its ``project`` row and its entity rows, ``ordered(table)`` giving
    a table's rows in matrix order; a file and a team server both read through this."""
    return Project(
        title=head.title,
        question=head.question,
        description=head.description,
        classification=head.classification,
        time_horizon=head.time_horizon,
        notes=head.notes,
        hypotheses=[hypothesis_from(r) for r in ordered("hypothesis")],
        evidence=[evidence_from(r) for r in ordered("evidence")],
        sources=[source_from(r) for r in ordered("source")],
        analysts=[analyst_from(r) for r in ordered("analyst")],
        milestones=[milestone_from(r) for r in ordered("milestone")],
        likelihoods=likelihoods_from(head.likelihoods),
        next_id=head.next_id,
        uid=head.uid,
    )


def project_values(project: Project) -> Values:
    return {
        "id": 1,
        "uid": project.uid,
        "title": project.title,
        "question": project.question,
        "description": project.description,
        "classification": project.classification,
        "time_horizon": project.time_horizon,
        "notes": project.notes,
        "likelihoods": likelihoods_json(project.likelihoods),
        "next_id": project.next_id,
    }


def hypothesis_values(item: Hypothesis, position: int) -> Values:
    return {
        "id": item.id,
        "position": position,
        "code": item.code,
        "title": item.title,
        "description": item.description,
        "prior": item.prior,
    }


def hypothesis_from(row: HypothesisRow) -> Hypothesis:
    # A negative or NaN prior from a damaged file would make every posterior NaN.
    if row.prior is not None and not 0 <= row.prior <= 1:
        raise ValueError(f"hypothesis {row.code} has a prior of {row.prior}, outside [0, 1]")
    return Hypothesis(row.id, row.code, row.title, row.description, row.prior)


def evidence_values(item: Evidence, position: int) -> Values:
    return {
        "id": item.id,
        "position": position,
        "code": item.code,
        "title": item.title,
        "description": item.description,
        "type": EvidenceType(item.type).value,
        "date": _date_text(item.date),
        "source_id": item.source_id,
        "locator": item.locator,
        "credibility": Level(item.credibility).name.lower(),
        "relevance": Level(item.relevance).name.lower(),
        "active": bool(item.active),
        "tags": json.dumps(list(item.tags)),
        "notes": item.notes,
    }


#: Stored text -> value, looked up once per row (opening 10,000 rows is on the
#: path of every command; json and enum lookups by name cost more than the read).
_LEVELS = {level.name.lower(): level for level in Level}
_EVIDENCE_TYPES = {kind.value: kind for kind in EvidenceType}


def _level(text: str) -> Level:
    level = _LEVELS.get(text)
    return level if level is not None else Level[text.upper()]


def evidence_from(row: EvidenceRow) -> Evidence:
    kind = _EVIDENCE_TYPES.get(row.type)
    # Positional: keyword arguments double the cost of building 10,000 of them.
    return Evidence(
        row.id,
        row.code,
        row.title,
        row.description,
        kind if kind is not None else EvidenceType(row.type),
        PartialDate.parse(row.date) if row.date else None,
        row.source_id,
        row.locator,
        _level(row.credibility),
        _level(row.relevance),
        bool(row.active),
        [] if row.tags == "[]" else _tags(row.code, row.tags),
        row.notes,
    )


def _tags(code: str, text: str) -> list[str]:
    tags = _json(text, f"the tags of evidence {code}")
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ValueError(f"the tags of evidence {code} are not a list of words")
    return tags


def setting_from(key: str, text: str) -> Any:
    return _json(text, f"setting {key!r}")


def source_values(item: Source, position: int) -> Values:
    return {
        "id": item.id,
        "position": position,
        "author": item.author,
        "year": item.year,
        "title": item.title,
        "link": item.link,
        "citation": item.citation,
    }


def source_from(row: SourceRow) -> Source:
    return Source(row.id, row.author, row.year, row.title, row.link, row.citation)


def analyst_values(item: Analyst, position: int) -> Values:
    return {"id": item.id, "position": position, "name": item.name}


def analyst_from(row: AnalystRow) -> Analyst:
    return Analyst(row.id, row.name)


def milestone_values(item: Milestone, position: int) -> Values:
    return {
        "id": item.id,
        "position": position,
        "hypothesis_id": item.hypothesis_id,
        "indicator": item.indicator,
        "expected_by": _date_text(item.expected_by),
        "status": MilestoneStatus(item.status).value,
        "note": item.note,
    }


def milestone_from(row: MilestoneRow) -> Milestone:
    return Milestone(
        id=row.id,
        hypothesis_id=row.hypothesis_id,
        indicator=row.indicator,
        expected_by=PartialDate.parse(row.expected_by) if row.expected_by else None,
        status=MilestoneStatus(row.status),
        note=row.note,
    )


def override_values(evidence_id: int, hypothesis_id: int, value: ConsensusOverride) -> Values:
    return {
        "evidence_id": evidence_id,
        "hypothesis_id": hypothesis_id,
        "code": int(value.rating),
        "note": value.note,
    }


def override_from(row: ConsensusOverrideRow) -> tuple[tuple[int, int], ConsensusOverride]:
    return (row.evidence_id, row.hypothesis_id), ConsensusOverride(Rating(row.code), row.note)
