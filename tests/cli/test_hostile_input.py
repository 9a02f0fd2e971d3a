"""Hostile files through the real command line: refused cleanly, nothing harmed.

Every file of the corpus (``tests/bad_corpus.py``) goes through each command
that takes it. The contract (team brief, issue 7): exit code 2; one stderr line
``error: ...`` naming the file (and the sheet and cell where there is one); no
traceback; the input file byte-identical afterwards; no output file,
half-written or otherwise, left.

The commands run through ``workbench.cli.main`` in this process (the code a
child process runs after its imports, ``tests/cli_runs.py``); one file per
command also goes through a real child process exactly as a user would run
it, so the process's own exit status and stderr keep the same contract.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import bad_corpus
import pytest
from cli_runs import run_process


def _neighbours(folder: Path, name: str) -> dict[str, tuple[str, object]]:
    """What lies beside the input, less SQLite's empty WAL and its shared-memory index.

    Any read-only open of a WAL-mode database leaves ``-shm`` and an empty
    ``-wal`` behind (a read-only connection may not delete them); they hold no
    data and SQLite removes them at the next writable close. A journal that
    came with the input (round two's foreign ``-wal``) must stay as it was.
    """
    found = {}
    for path in folder.iterdir():
        if path.name == name or path.name == name + "-shm":
            continue
        if path.name == name + "-wal" and not path.stat().st_size:
            continue
        found[path.name] = bad_corpus.fingerprint(path)
    return found


def _cases() -> list:
    return [
        pytest.param(bad, command, id=f"{command}-{bad.name}")
        for bad in bad_corpus.CORPUS
        for command in bad.commands
    ]


def _one_case_per_command() -> list:
    """The first file of the corpus each command (and ``collect``) takes."""
    chosen: dict[str, pytest.param] = {}
    for case in _cases():
        bad, command = case.values
        chosen.setdefault("collect" if bad.make_for is not None else command, case)
    return list(chosen.values())


def _arguments(command: str, source: Path, out_folder: Path) -> list[str]:
    if command == "import":
        return ["import", str(source), str(out_folder / "imported.achwb")]
    if command == "export":
        return ["export", str(source), str(out_folder / "exported.xlsx")]
    return ["score", str(source)]


@pytest.mark.parametrize(("bad", "command"), _cases())
def test_hostile_file_is_refused_cleanly(
    bad: bad_corpus.BadFile, command: str, tmp_path: Path, workbench_cli
) -> None:
    _refused_cleanly(bad, command, tmp_path, workbench_cli)


@pytest.mark.parametrize(("bad", "command"), _one_case_per_command())
def test_hostile_file_is_refused_cleanly_by_a_real_process(
    bad: bad_corpus.BadFile, command: str, tmp_path: Path
) -> None:
    _refused_cleanly(bad, command, tmp_path, run_process)


def _refused_cleanly(
    bad: bad_corpus.BadFile,
    command: str,
    tmp_path: Path,
    run: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    outbox.mkdir()
    project = None
    if bad.make_for is not None:  # a rating sheet, collected into its own project
        (tmp_path / "project").mkdir()
        project = tmp_path / "project" / "p.achwb"
        bad_corpus.make_real_project(project)
    source = bad_corpus.build_one(bad.name, inbox, project)
    before = bad_corpus.fingerprint(source)
    beside = _neighbours(inbox, bad.name)
    project_before = project and bad_corpus.fingerprint(project)

    arguments = _arguments(command, source, outbox)
    if project is not None:
        arguments = ["collect", str(project), str(source)]
    result = run(*arguments, cwd=tmp_path)

    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 2, f"exit {result.returncode}: {result.stderr}"
    assert len(lines) == 1, f"expected one error line, got: {lines}"
    message = lines[0]
    assert message.startswith("error: ")
    assert bad.name in message, f"the message does not name the file: {message}"
    if bad.where:
        assert bad.where in message, f"the message does not say where ({bad.where}): {message}"
    assert bad_corpus.fingerprint(source) == before, "the input file was changed"
    assert _neighbours(inbox, bad.name) == beside, "files beside the input appeared or changed"
    assert list(outbox.iterdir()) == [], "an output file was left behind"
    if project is not None:
        assert bad_corpus.fingerprint(project) == project_before, "the project was changed"
        assert sorted(p.name for p in project.parent.iterdir()) == ["p.achwb"]


def test_windows_1252_csv_keeps_its_accents(tmp_path: Path, workbench_cli) -> None:
    """Excel on Windows saves CSV in cp1252: accents and the en dash must survive."""
    source = tmp_path / "matrice.csv"
    titles = ["Déclaration du préfet à l'aube", "Témoignage – ouvrier de l'équipe de nuit"]
    text = (
        "ID;Evidence;H1: Sabotage délibéré;H2: Accident fortuit\r\n"
        f"E1;{titles[0]};C;I\r\n"
        f"E2;{titles[1]};II;CC\r\n"
    )
    source.write_bytes(text.encode("cp1252"))
    out = tmp_path / "matrice.achwb"

    imported = workbench_cli("import", str(source), str(out), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    scored = workbench_cli("score", "--json", str(out), cwd=tmp_path)
    assert scored.returncode == 0, scored.stderr

    report = json.loads(scored.stdout)
    assert [e["title"] for e in report["evidence"]] == titles
    assert [h["title"] for h in report["hypotheses"]] == ["Sabotage délibéré", "Accident fortuit"]


def test_latin_1_csv_keeps_its_accents(tmp_path: Path, workbench_cli) -> None:
    source = tmp_path / "matriz.csv"
    source.write_bytes(
        "ID,Evidence,H1: Avería,H2: Sabotaje\nE1,Señal de alarma en la caldera,C,I\n".encode(
            "latin-1"
        )
    )
    out = tmp_path / "matriz.achwb"
    assert workbench_cli("import", str(source), str(out), cwd=tmp_path).returncode == 0
    report = json.loads(workbench_cli("score", "--json", str(out), cwd=tmp_path).stdout)
    assert report["evidence"][0]["title"] == "Señal de alarma en la caldera"
    assert [h["title"] for h in report["hypotheses"]] == ["Avería", "Sabotaje"]
