"""'What the lead rests on' in the report, the HTML and ``workbench score``."""

from __future__ import annotations

from pathlib import Path

from workbench.cli import main
from workbench.core.model import Analyst, Evidence, EvidenceType, Hypothesis, Project
from workbench.core.ratings import Rating
from workbench.exchange.example import load_example
from workbench.reports.basis import basis, basis_text
from workbench.reports.content import build_report
from workbench.reports.html import render_html
from workbench.store import ProjectFile


def case(conclusion_rating: Rating = Rating.II) -> Project:
    """H1 leads on the one observation; the conclusion, if counted, crowns H2."""
    p = Project("t")
    analyst = Analyst(p.new_id(), "Ana")
    p.add_analyst(analyst)
    for code in ("H1", "H2"):
        p.insert_hypothesis(len(p.hypotheses), Hypothesis(p.new_id(), code, code))
    rows = [
        ("E1", EvidenceType.EVENT, True, (Rating.C, Rating.I)),
        ("E2", EvidenceType.CONCLUSION, False, (conclusion_rating, Rating.C)),
        ("E3", EvidenceType.ASSUMPTION, False, (Rating.N, Rating.I)),
    ]
    for code, kind, active, ratings in rows:
        item = Evidence(p.new_id(), code, code, type=kind, active=active)
        p.insert_evidence(len(p.evidence), item)
        for h, rating in zip(p.hypotheses, ratings, strict=True):
            p.set_rating(analyst.id, item.id, h.id, rating)
    return p


def test_a_lead_that_needs_a_conclusion_is_called_so():
    found = basis(case())
    # With both, H1 and H2 tie on every key and matrix position decides.
    assert [r.leader.split()[0] for r in found.rows] == ["H1", "H1", "H2", "H1"]
    assert "1 conclusion (E2) and 1 assumption (E3)" in found.notes[0]
    assert found.notes[1] == "None of them counts in the scores above."
    assert "depends on reasoning items" in found.notes[2]


def test_a_lead_on_observations_says_so_and_names_what_counts():
    p = case(conclusion_rating=Rating.C)
    p.evidence[2].active = True
    found = basis(p)
    assert found.notes[1] == "In the scores above the analyst counts E3."
    assert found.notes[2].startswith("H1 leads in every reading")


def test_the_report_and_its_html_carry_the_section():
    content = build_report(load_example(), app_version="9.9")
    assert content.lead_basis.rows[0].reading == "Observations only"
    html = render_html(content, {})
    assert "<h2>What the lead rests on</h2>" in html
    assert html.index("What the lead rests on") > html.index("<h2>Sensitivity</h2>")
    assert basis_text(load_example())[0].startswith("what the lead rests on")
    # The case's notes (what changed, what the lead rests on) close the report.
    assert "<h2>Notes</h2>" in html and "WHAT CHANGED IN THE 2026 REVIEW" in html
    assert "<b>Time horizon:</b> To the end of 2024" in html


def test_score_prints_it_but_the_json_contract_is_unchanged(tmp_path: Path, capsys):
    path = tmp_path / "belarus.achwb"
    ProjectFile.create(path, load_example()).close()
    assert main(["score", str(path)]) == 0
    out = capsys.readouterr().out
    assert "what the lead rests on" in out and "Observations only" in out
    assert main(["score", str(path), "--json"]) == 0
    assert "lead rests" not in capsys.readouterr().out
