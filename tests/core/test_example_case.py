"""The shipped Belarus case is complete, consistent and scores as its README says."""

import re
import tomllib

from workbench.core.analysis import score_project
from workbench.core.model import EvidenceType
from workbench.core.ratings import Rating
from workbench.exchange.example import example_text, load_example


def test_case_is_complete():
    p = load_example()
    assert len(p.hypotheses) >= 4 and len(p.evidence) >= 30
    assert [h.code for h in p.hypotheses] == [f"H{i}" for i in range(1, len(p.hypotheses) + 1)]
    assert [e.code for e in p.evidence] == [f"E{i}" for i in range(1, len(p.evidence) + 1)]
    assert len(p.analysts) == 1
    layer = p.layers[p.analysts[0].id]
    assert (layer != Rating.BLANK).all(), "every cell is rated"
    for r, e in enumerate(p.evidence):
        assert e.source_id is not None, e.code
        assert re.match(r"Sections? [1-5]", e.locator), e.code
        for c, h in enumerate(p.hypotheses):
            if layer[r, c] in (Rating.CC, Rating.II):
                assert p.rationale(p.analysts[0].id, e.id, h.id), f"{e.code} x {h.code}"
    assert {e.type for e in p.evidence} >= {
        EvidenceType.EVENT,
        EvidenceType.STATEMENT,
        EvidenceType.EXPERT_ASSESSMENT,
        EvidenceType.ASSUMPTION,
        EvidenceType.ABSENCE,
    }
    sections = {n for e in p.evidence for n in re.findall(r"\b[1-5]\b", e.locator)}
    assert sections == {"1", "2", "3", "4", "5"}
    assert p.milestones


def test_article_is_a_source():
    p = load_example()
    assert any("10.37105/sd.178" in s.link for s in p.sources)


def test_subordination_leads():
    p = load_example()
    scores = score_project(p)
    leader = p.hypotheses[scores.leader]
    assert "ubordination" in leader.title
    case = tomllib.loads(example_text())
    assert case["schema"] == 1
