"""The JSON form carries every fact, reads back to the same JSON, and is byte-stable."""

from __future__ import annotations

import json

import pytest

from workbench.cli import main
from workbench.core.errors import BadInput
from workbench.exchange.example import load_example
from workbench.exchange.json_format import export_json, from_json, read_json, to_json
from workbench.store import ProjectFile


def test_every_fact_comes_back(full_project, same_project, tmp_path):
    project = full_project()
    project.classification = "OFFICIAL-SENSITIVE"
    project.time_horizon = "through 2025"
    project.notes = "[PARC LAST-INDEX] 7"
    path = tmp_path / "p.json"
    export_json(project, path)
    back = read_json(path)
    assert to_json(back) == path.read_text(encoding="utf-8")
    # Ids are fresh, so compare through the ids each side gave the same content.
    assert back.classification == "OFFICIAL-SENSITIVE"
    assert len(back.rationales) == len(project.rationales)
    assert len(back.overrides) == len(project.overrides) == 1
    assert [a.name for a in back.analysts] == [a.name for a in project.analysts]
    for a, b in zip(project.analysts, back.analysts, strict=True):
        assert (project.layer(a.id) == back.layer(b.id)).all()
    # The same content read twice gives the same project, ids included.
    same_project(back, read_json(path))


def test_content_only_and_stable(full_project):
    one, two = full_project(), full_project()
    two.uid = one.uid
    for e in two.evidence:  # different ids, same content
        e.id += 0
    text = to_json(one)
    assert text == to_json(two)
    doc = json.loads(text)
    assert list(doc)[:4] == ["format", "version", "project_id", "title"]
    assert "id" not in doc["evidence"][0] and "exported_at" not in doc
    assert "app_version" not in text


def test_example_round_trips_byte_for_byte():
    project = load_example()
    text = to_json(project)
    assert to_json(from_json(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        '{"format": "x"}',
        '{"format": "ach-workbench-project", "version": 99}',
        '{"format": "ach-workbench-project", "version": 1, "evidence": [{"code": "E1", '
        '"credibility": "Huge"}]}',
        '{"format": "ach-workbench-project", "version": 1, "analysts": [{"name": "A", '
        '"ratings": [{"evidence": "E9", "hypothesis": "H1", "rating": "C"}]}]}',
        "{not json",
    ],
)
def test_bad_documents_are_bad_input(text):
    with pytest.raises(BadInput):
        from_json(text)


def test_cli_export_and_import_json(tmp_path, capsys):
    source = tmp_path / "ex.achwb"
    assert main(["example", str(source)]) == 0
    assert main(["export", str(source), str(tmp_path / "ex.json")]) == 0
    assert main(["import", str(tmp_path / "ex.json"), str(tmp_path / "rt.achwb")]) == 0
    assert main(["export", str(tmp_path / "rt.achwb"), str(tmp_path / "rt.json")]) == 0
    assert (tmp_path / "ex.json").read_bytes() == (tmp_path / "rt.json").read_bytes()
    with ProjectFile.open(tmp_path / "rt.achwb", read_only=True) as pf:
        assert [a.name for a in pf.project.analysts] == [a.name for a in load_example().analysts]
    (tmp_path / "bad.json").write_text('{"format": "nope"}')
    capsys.readouterr()
    assert main(["import", str(tmp_path / "bad.json"), str(tmp_path / "bad.achwb")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert not (tmp_path / "bad.achwb").exists()
