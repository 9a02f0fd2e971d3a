"""The shipped Belarus case is complete, rated by its own written rules, keeps
reasoning apart from observation, and its notes say what the matrix says."""

import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

from workbench.core.analysis import layer_codes, lead_basis, score_project
from workbench.core.errors import BadInput
from workbench.core.model import EvidenceType, MilestoneStatus
from workbench.core.ratings import Rating, parse_rating
from workbench.core.sensitivity import sensitivity
from workbench.exchange.example import example_text, load_example, project_from_case


@pytest.fixture(scope="module")
def case():
    return tomllib.loads(example_text())


@pytest.fixture(scope="module")
def project():
    return load_example()


def test_case_is_complete(project):
    p = project
    assert len(p.hypotheses) >= 4 and len(p.evidence) >= 30
    assert [h.code for h in p.hypotheses] == [f"H{i}" for i in range(1, len(p.hypotheses) + 1)]
    codes = [e.code for e in p.evidence]
    # Codes are stable across revisions, so they are unique but need not be in order.
    assert len(set(codes)) == len(codes) and all(re.fullmatch(r"E\d+", c) for c in codes)
    assert sorted(int(c[1:]) for c in codes) == list(range(1, len(codes) + 1))
    assert len(p.analysts) == 1
    layer = p.layers[p.analysts[0].id]
    assert (layer != Rating.BLANK).all(), "every cell is rated"
    for r, e in enumerate(p.evidence):
        assert e.source_id is not None, e.code
        assert re.match(r"Sections? [1-5]", e.locator), e.code
        for c, h in enumerate(p.hypotheses):
            if layer[r, c] in (Rating.CC, Rating.II):
                assert p.rationale(p.analysts[0].id, e.id, h.id), f"{e.code} x {h.code}"
    assert {e.type for e in p.evidence} == set(EvidenceType)
    sections = {n for e in p.evidence for n in re.findall(r"\b[1-5]\b", e.locator)}
    assert sections == {"1", "2", "3", "4", "5"}
    assert p.milestones


def test_article_is_a_source(project):
    assert any("10.37105/sd.178" in s.link for s in project.sources)


def test_every_cited_work_is_used_where_the_article_uses_it(project):
    """Each source is an item's source or is cited in an item's text."""
    text = " ".join(f"{e.description} {e.notes}" for e in project.evidence)
    used = {e.source_id for e in project.evidence}
    for source in project.sources:
        assert source.id in used or source.cite() in text, source.cite()
    for name in (
        "Kagan",
        "Vtoraya",
        "Socor",
        "Brauss",
        "Dalsjö",
        "Druzhit",
        "Bohdan",
        "Wolf",
        "Cherny",
        "Leukavets",
        "Episkopos",
        "Gomolka",
    ):
        assert any(s.author.startswith(name) for s in project.sources), name


def test_titles_are_given_only_where_the_notes_own_the_identification(project):
    """The article's text has no reference list: every title but the article's own is
    the builder's identification, and the notes must say so for each."""
    identified = [s for s in project.sources if s.title and "10.37105" not in s.link]
    assert identified
    sources_note = project.notes.split("SOURCES.")[1].split("\n\n")[0]
    assert "builder's own" in sources_note and "no reference list" in sources_note
    for source in identified:
        assert source.cite() in sources_note, source.cite()


def test_every_item_follows_its_written_rating_rule(case, project):
    rules = {r["code"]: r for r in case["rules"]}
    layer = project.layers[project.analysts[0].id]
    columns = {h.code: j for j, h in enumerate(project.hypotheses)}
    analyst = project.analysts[0].id
    for raw in case["evidence"]:
        rule = rules[raw["rule"]]  # every item names a rule that exists
        evidence = project.evidence_by_code(raw["code"])
        row = project.evidence_index(evidence.id)
        assert evidence.notes.startswith(f"Rated by rule {raw['rule']}:")
        for h_code, j in columns.items():
            rating = Rating(int(layer[row, j]))
            note = project.rationale(analyst, evidence.id, project.hypotheses[j].id)
            if "ratings" in rule:
                expected = parse_rating(rule["ratings"][h_code])
                assert rating == expected or note, f"{raw['code']} x {h_code} departs silently"
            elif rating in (Rating.I, Rating.II):
                # Absences: whatever counts against a hypothesis says why.
                assert note, f"{raw['code']} x {h_code}"


def test_a_silent_departure_from_the_rule_is_refused(case):
    broken = dict(case)
    item = next(e for e in case["evidence"] if e["rule"] == "R9")
    changed = {**item, "ratings": {"H3": "I"}, "rationales": {}}
    broken["evidence"] = [changed if e is item else e for e in case["evidence"]]
    with pytest.raises(BadInput, match="departs from rule R9"):
        project_from_case(broken)
    # An argued departure is accepted, and an unknown rule is refused.
    argued = {**changed, "rationales": {"H3": "why this item differs"}}
    broken["evidence"] = [argued if e is item else e for e in case["evidence"]]
    assert project_from_case(broken).evidence_by_code(item["code"]) is not None
    broken["evidence"] = [{**item, "rule": "R99"} if e is item else e for e in case["evidence"]]
    with pytest.raises(BadInput, match="unknown rating rule 'R99'"):
        project_from_case(broken)


def test_no_strong_rating_without_a_threshold_crossed(project):
    """The case's rule R1 is the only route to CC for H1; no item in the article's
    record crosses a threshold, so the matrix holds no CC or II at all."""
    layer = project.layers[project.analysts[0].id]
    assert not np.isin(layer, [Rating.CC, Rating.II]).any()


def test_conclusions_and_assumptions_are_set_apart(project):
    for e in project.evidence:
        assert e.active == e.type.counts_by_default, e.code
    conclusions = [e for e in project.evidence if e.type is EvidenceType.CONCLUSION]
    # The author's own verdicts cite the article itself, never another work.
    article = next(s.id for s in project.sources if "10.37105" in s.link)
    assert conclusions and all(e.source_id == article for e in conclusions)


def test_the_pro_absorption_claim_is_in_the_case(project):
    p = project
    h2 = p.hypothesis_index(p.hypothesis_by_code("H2").id)
    layer = p.layers[p.analysts[0].id]
    absorption = [e for e in p.evidence if "absorb" in e.title.lower() and e.locator == "Section 1"]
    assert absorption and layer[p.evidence_index(absorption[0].id), h2] == Rating.C


def test_the_lead_rests_on_observations(project):
    p = project
    readings = lead_basis(p)
    assert [r.counted for r in readings][0] == ()
    leaders = {p.hypotheses[r.leader].title for r in readings}
    assert leaders == {"Subordination short of annexation"}
    assert score_project(p).leader == readings[0].leader


def test_the_notes_state_what_the_matrix_gives(project):
    p = project
    note = p.notes.split("\n\n")[0]
    found = re.search(
        r"(H\d) leads with a weighted inconsistency of (\d+\.\d\d); the runner-up is "
        r"(H\d) at (\d+\.\d\d) and (H\d) follows at (\d+\.\d\d), so \1 is ahead by (\d+\.\d\d)",
        note,
    )
    assert found, note
    scores = score_project(p)
    wi = {h.code: scores.weighted_inconsistency[j] for j, h in enumerate(p.hypotheses)}
    order = [p.hypotheses[j].code for j in scores.order()]
    assert [found[1], found[3], found[5]] == order[:3]
    for code, figure in ((found[1], found[2]), (found[3], found[4]), (found[5], found[6])):
        assert f"{wi[code]:.2f}" == figure
    assert f"{wi[found[3]] - wi[found[1]]:.2f}" == found[7]
    widest = re.search(r"widens the lead \(to (\d+\.\d\d) with both\)", note)
    assert widest and f"{lead_basis(p)[-1].margin:.2f}" == widest[1]
    # The items the notes name against H2 are the ones whose exclusion narrows the lead most.
    named = set(re.search(r"against H2 it rests on (.*?)\. What", note)[1].split("(")[1:])
    named = {x.split(")")[0] for x in named}
    result = sensitivity(layer_codes(p), p.weights(), p.active_mask())
    narrowing = np.argsort(result.lead_change_when_excluded, kind="stable")[: len(named)]
    assert named == {p.evidence[int(result.excluded_rows[k])].code for k in narrowing}
    assert result.linchpins.size == 0 and "No single exclusion changes the leader" in note


def test_question_and_hypotheses_state_the_horizon(project):
    p = project
    assert "2024" in p.question and "2024" in p.time_horizon
    assert all("By the end of 2024" in h.description for h in p.hypotheses)
    h1 = p.hypothesis_by_code("H1").description
    for threshold in ("standing", "peacetime", "nuclear-capable", "INF-class", "treaty"):
        assert threshold in h1, threshold
    for gap in ("Secret agreements", "Regional Grouping", "loyalty", "Succession"):
        assert gap in p.notes, gap
    assert "DECEPTION" in p.notes


def test_hindsight_is_recorded_as_milestones_never_as_evidence(project):
    p = project
    assert all(e.date is None or e.date.year <= 2022 for e in p.evidence)
    hindsight = [m for m in p.milestones if "Hindsight:" in m.note]
    h1 = p.hypothesis_by_code("H1").id
    observed = [m for m in hindsight if m.hypothesis_id == h1]
    assert len(observed) == 4 and all(m.status is MilestoneStatus.OBSERVED for m in observed)
    for m in hindsight:
        assert m.status is not MilestoneStatus.PENDING
        assert re.search(r"\b20(22|23)\b", m.note), m.note
    staging = [m for m in p.milestones if "Ukraine" in m.indicator]
    nuclear = [m for m in p.milestones if "nuclear" in m.indicator.lower()]
    assert staging and nuclear
    assert all(m.expected_by is not None for m in p.milestones)


def test_case_schema_version(case):
    assert case["schema"] == 1


def test_the_readme_states_what_the_case_gives(project):
    readme = Path(__file__).resolve().parents[2] / "README.md"
    text = " ".join(readme.read_text(encoding="utf-8").split())
    count = re.search(r"and (\d+) paraphrased evidence items", text)
    assert count and int(count[1]) == len(project.evidence)
    rules = re.search(r"one of (\d+) written rules", text)
    assert rules and int(rules[1]) == len(tomllib.loads(example_text())["rules"])
    figures = re.search(
        r"weighted inconsistency of (\d+\.\d\d) against (\d+\.\d\d) for absorption and "
        r"(\d+\.\d\d) for the status quo",
        text,
    )
    assert figures
    wi = score_project(project).weighted_inconsistency
    assert [f"{x:.2f}" for x in wi[:3]] == [figures[1], figures[2], figures[3]]
