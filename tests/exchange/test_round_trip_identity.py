"""Round trips are identities: for any project P, exporting to .xlsx (or .json) and
importing gives a Q whose JSON form equals P's, single analyst or team, whatever
the Matrix shows. Nothing invented (no "Consensus" analyst), nothing lost."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import numpy as np
import pytest
from export_sample_projects import FORMULA_LIKE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.cli import main
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
from workbench.core.ratings import SCALE, Level, Rating
from workbench.exchange.json_format import export_json, read_json, to_json
from workbench.exchange.workbook_import import read_workbook
from workbench.exchange.xlsx_export import export_xlsx
from workbench.store import ProjectFile

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))

#: Any printable text: unicode, outer spaces, line breaks, tabs and formula-like
#: starts. Control characters other than tab and line feed cannot be stored in
#: an .xlsx (they become a space or line feed, tested in test_export_xlsx).
_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
TEXT = st.one_of(
    st.text(st.one_of(_CHARS, st.sampled_from("\n\t =+-@ ")), max_size=30),
    st.sampled_from(FORMULA_LIKE),
    st.sampled_from(["", "  padded  ", "42", "TRUE", "ünï©ødé ✓", "H2: not a code", "0.5"]),
).filter(lambda text: "_x" not in text)
#: Tags are comma-separated on the sheet: no commas, no outer spaces, not empty.
TAG = st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=8)
#: A spreadsheet cell holds 15 significant digits (Excel's precision; openpyxl writes
#: 16), so priors and likelihoods are drawn as people type them.
PROBABILITY = st.integers(0, 10**6).map(lambda k: k / 10**6)
NAME = st.text(st.characters(whitelist_categories=("L", "N", "Zs")), min_size=1, max_size=12).map(
    str.strip
)


@st.composite
def projects(draw) -> Project:
    n_e = draw(st.integers(0, 6))
    n_h = draw(st.integers(0, 4))
    project = Project(draw(TEXT), draw(TEXT), draw(TEXT))
    project.classification = draw(st.sampled_from(["", "UNCLASSIFIED", "SECRET", "ÖFFENTLICH"]))
    project.time_horizon, project.notes = draw(TEXT), draw(TEXT)
    for rating in SCALE:
        if draw(st.booleans()):
            project.likelihoods[rating] = draw(PROBABILITY.filter(bool))
    for _ in range(draw(st.integers(0, 3))):
        project.sources.append(
            Source(
                project.new_id(),
                draw(TEXT),
                draw(st.none() | st.integers(1000, 2100)),
                draw(TEXT),
                draw(TEXT),
                draw(TEXT),
            )
        )
    numbers = draw(st.permutations(range(1, n_h + 1)))
    for k in numbers:
        prior = draw(st.none() | PROBABILITY)
        project.hypotheses.append(
            Hypothesis(project.new_id(), f"H{k}", draw(TEXT), draw(TEXT), prior)
        )
    for k in draw(st.permutations(range(1, n_e + 1))):
        project.evidence.append(
            Evidence(
                project.new_id(),
                f"E{k}",
                draw(TEXT),
                draw(TEXT),
                draw(st.sampled_from(list(EvidenceType))),
                draw(st.sampled_from([None, PartialDate(2020), PartialDate(1999, 12, 31)])),
                draw(st.sampled_from([None] + [s.id for s in project.sources])),
                draw(TEXT),
                draw(st.sampled_from(list(Level))),
                draw(st.sampled_from(list(Level))),
                draw(st.booleans()),
                draw(st.lists(TAG, max_size=3, unique=True)),
                draw(TEXT),
            )
        )
    names = draw(st.lists(NAME.filter(bool), max_size=3, unique_by=str.casefold))
    seed = draw(st.integers(0, 2**31))
    rng = random.Random(seed)
    for name in names:
        layer = np.array(
            [[rng.choice(list(Rating)) for _ in range(n_h)] for _ in range(n_e)], dtype=np.int8
        ).reshape(n_e, n_h)
        analyst = Analyst(project.new_id(), name)
        project.add_analyst(analyst, layer)
        for _ in range(rng.randint(0, 4) if n_e and n_h else 0):
            e, h = rng.choice(project.evidence), rng.choice(project.hypotheses)
            project.rationales[(analyst.id, e.id, h.id)] = draw(TEXT) or "why"
    if n_e and n_h:
        for _ in range(rng.randint(0, 3)):
            e, h = rng.choice(project.evidence), rng.choice(project.hypotheses)
            project.overrides[(e.id, h.id)] = ConsensusOverride(
                rng.choice(list(Rating)), draw(TEXT)
            )
    for h in project.hypotheses[:2]:
        project.milestones.append(
            Milestone(
                project.new_id(),
                h.id,
                draw(TEXT),
                draw(st.sampled_from([None, PartialDate(2024, 3)])),
                draw(st.sampled_from(list(MilestoneStatus))),
                draw(TEXT),
            )
        )
    return project


def _views(project: Project) -> list:
    return ["consensus", *(a.id for a in project.analysts)]


@pytest.mark.slow
@SETTINGS
@given(projects())
def test_xlsx_round_trip_is_an_identity(project):
    expected = to_json(project)
    with tempfile.TemporaryDirectory() as folder:
        for view in _views(project):
            path = Path(folder) / "p.xlsx"
            export_xlsx(project, path, layer=view, app_version="test")
            back = read_workbook(path)
            assert to_json(back) == expected, f"view {view}"


@SETTINGS
@given(projects())
def test_json_round_trip_is_an_identity(project):
    expected = to_json(project)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.json"
        export_json(project, path)
        assert to_json(read_json(path)) == expected


def test_the_cli_round_trip_of_a_one_analyst_project_invents_no_team(tmp_path, capsys):
    """The issue's own steps: example -> xlsx -> import -> team lists one analyst."""
    example = tmp_path / "ex.achwb"
    assert main(["example", str(example)]) == 0
    assert main(["export", str(example), str(tmp_path / "ex.xlsx")]) == 0
    assert main(["import", str(tmp_path / "ex.xlsx"), str(tmp_path / "rt.achwb")]) == 0
    capsys.readouterr()
    assert main(["team", str(tmp_path / "rt.achwb")]) == 0
    out = capsys.readouterr().out
    assert "Consensus" not in out.split("analysts:", 1)[-1].splitlines()[0]
    for path in ("ex.achwb", "rt.achwb"):
        assert main(["export", str(tmp_path / path), str(tmp_path / f"{path}.json")]) == 0
    assert (tmp_path / "ex.achwb.json").read_bytes() == (tmp_path / "rt.achwb.json").read_bytes()


def test_a_team_project_round_trips_through_the_cli(full_project, tmp_path):
    project = full_project()
    source = tmp_path / "team.achwb"
    ProjectFile.create(source, project).close()
    assert main(["export", str(source), str(tmp_path / "team.xlsx")]) == 0
    assert main(["import", str(tmp_path / "team.xlsx"), str(tmp_path / "back.achwb")]) == 0
    with ProjectFile.open(tmp_path / "back.achwb", read_only=True) as pf:
        assert to_json(pf.project) == to_json(project)
