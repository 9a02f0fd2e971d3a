"""The built-in worked example, read from its human-readable TOML source.

The case lives in ``resources/example/belarus.toml`` (installed as package
data) so that analysts can read and review it; this module turns it into a
core Project and validates it on the way, so a broken edit of the TOML fails
loudly in the tests instead of shipping a half-rated example.
"""

from __future__ import annotations

import importlib.resources
import tomllib
from typing import Any

from workbench.core.dates import PartialDate
from workbench.core.errors import BadInput
from workbench.core.model import (
    Analyst,
    Evidence,
    EvidenceType,
    Hypothesis,
    Milestone,
    MilestoneStatus,
    Project,
    Source,
)
from workbench.core.ratings import parse_level, parse_rating

EXAMPLE_RESOURCE = "example/belarus.toml"


def example_text() -> str:
    """The TOML source of the example as shipped with the package."""
    root = importlib.resources.files("workbench.resources")
    return root.joinpath(EXAMPLE_RESOURCE).read_text(encoding="utf-8")


def load_example() -> Project:
    """The Belarus case as a fresh Project (new uid each time: each copy is its own analysis)."""
    return project_from_case(tomllib.loads(example_text()), EXAMPLE_RESOURCE)


def project_from_case(case: dict[str, Any], where: str = "case") -> Project:
    """Build a Project from the case schema used by ``belarus.toml``."""
    info = case.get("project", {})
    project = Project(
        title=info.get("title", "Untitled"),
        question=info.get("question", ""),
        description=info.get("description", ""),
        classification=info.get("classification", ""),
        time_horizon=info.get("time_horizon", ""),
        notes=info.get("notes", ""),
    )
    analyst = Analyst(project.new_id(), info.get("analyst", "Analyst"))
    project.add_analyst(analyst)

    source_ids: dict[str, int] = {}
    for raw in case.get("sources", []):
        source = Source(
            id=project.new_id(),
            author=raw["author"],
            year=raw.get("year"),
            title=raw.get("title", ""),
            link=raw.get("link", ""),
            citation=raw.get("citation", ""),
        )
        project.sources.append(source)
        source_ids[raw["key"]] = source.id

    rules = _rating_rules(case.get("rules", []), where)

    hypothesis_ids: dict[str, int] = {}
    for raw in case.get("hypotheses", []):
        hypothesis = Hypothesis(
            id=project.new_id(),
            code=raw["code"],
            title=raw["title"],
            description=raw.get("description", ""),
            prior=raw.get("prior"),
        )
        project.insert_hypothesis(len(project.hypotheses), hypothesis)
        hypothesis_ids[hypothesis.code] = hypothesis.id

    for raw in case.get("evidence", []):
        code = raw["code"]
        place = f"{where}: evidence {code}"
        source_key = raw.get("source", "")
        if source_key and source_key not in source_ids:
            raise BadInput(f"{place}: unknown source {source_key!r}")
        rationales = raw.get("rationales", {})
        ratings, notes = _apply_rule(raw, rules, rationales, place)
        try:
            kind = EvidenceType.parse(raw.get("type", ""))
            evidence = Evidence(
                id=project.new_id(),
                code=code,
                title=raw["title"],
                description=raw.get("description", ""),
                type=kind,
                date=PartialDate.parse(raw.get("date", "")),
                source_id=source_ids.get(source_key),
                locator=raw.get("locator", ""),
                credibility=parse_level(raw.get("credibility")),
                relevance=parse_level(raw.get("relevance")),
                # Conclusions and assumptions start excluded unless the case says otherwise.
                active=raw.get("active", kind.counts_by_default),
                tags=list(raw.get("tags", [])),
                notes=notes,
            )
        except (ValueError, KeyError) as exc:
            raise BadInput(f"{place}: {exc}") from None
        project.insert_evidence(len(project.evidence), evidence)
        for h_code, word in ratings.items():
            if h_code not in hypothesis_ids:
                raise BadInput(f"{place}: rates unknown hypothesis {h_code}")
            try:
                rating = parse_rating(word)
            except ValueError as exc:
                raise BadInput(f"{place} x {h_code}: {exc}") from None
            project.set_rating(
                analyst.id, evidence.id, hypothesis_ids[h_code], rating, rationales.get(h_code)
            )

    for raw in case.get("milestones", []):
        h_code = raw["hypothesis"]
        if h_code not in hypothesis_ids:
            raise BadInput(f"{where}: milestone for unknown hypothesis {h_code}")
        project.milestones.append(
            Milestone(
                id=project.new_id(),
                hypothesis_id=hypothesis_ids[h_code],
                indicator=raw["indicator"],
                expected_by=PartialDate.parse(raw.get("expected_by", "")),
                status=MilestoneStatus(raw.get("status", "pending")),
                note=raw.get("note", ""),
            )
        )
    return project


#: A rule's pattern: hypothesis code -> rating word.
Rules = dict[str, tuple[str, dict[str, str]]]


def _rating_rules(raw_rules: list[dict[str, Any]], where: str) -> Rules:
    """The case's rating rules: code -> (text, pattern), patterns checked."""
    rules: Rules = {}
    for raw in raw_rules:
        code = raw["code"]
        pattern = dict(raw.get("ratings", {}))
        for h_code, word in pattern.items():
            try:
                parse_rating(word)
            except ValueError as exc:
                raise BadInput(f"{where}: rule {code} x {h_code}: {exc}") from None
        rules[code] = (raw["text"], pattern)
    return rules


def _apply_rule(
    raw: dict[str, Any], rules: Rules, rationales: dict[str, str], place: str
) -> tuple[dict[str, str], str]:
    """An item's ratings and notes once its rating rule is applied.

    A rule with a pattern rates every hypothesis it names; the item may rate
    a cell otherwise only with a rationale saying why (so one rule holds
    throughout, and every exception is argued). The rule is named in the notes.
    """
    ratings = dict(raw.get("ratings", {}))
    notes = raw.get("notes", "")
    code = raw.get("rule", "")
    if not code:
        return ratings, notes
    if code not in rules:
        raise BadInput(f"{place}: unknown rating rule {code!r}")
    text, pattern = rules[code]
    for h_code, word in pattern.items():
        given = ratings.setdefault(h_code, word)
        try:
            departs = parse_rating(given) != parse_rating(word)
        except ValueError as exc:
            raise BadInput(f"{place} x {h_code}: {exc}") from None
        if departs and not rationales.get(h_code):
            raise BadInput(f"{place} x {h_code}: departs from rule {code} without a rationale")
    lead = f"Rated by rule {code}: {text}"
    return ratings, f"{lead}\n\n{notes}" if notes else lead
