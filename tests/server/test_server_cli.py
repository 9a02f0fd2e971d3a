"""The commands on a team server: push, pull, grant, rate, and the analysis commands on a URL."""

from __future__ import annotations

import json
import socket

import openpyxl
import pytest

from workbench.cli import main
from workbench.store import ProjectFile
from workbench.store.server import ServerProject


def run(capsys, *argv):
    """(exit code, stdout, stderr) of ``workbench argv``."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def pushed(pg, tmp_path, full_project, capsys):
    """A project file pushed by a facilitator; (facilitator, name, file)."""
    facilitator = pg.role("fac", facilitator=True)
    name = pg.project_name()
    path = tmp_path / "case.achwb"
    ProjectFile.create(path, full_project()).close()
    code, out, err = run(capsys, "push", path, facilitator.url(name))
    assert (code, err) == (0, "")
    assert facilitator.password not in out and "***" in out
    return facilitator, name, path


def test_push_then_pull_gives_the_same_project(pushed, tmp_path, capsys, same_project):
    facilitator, name, path = pushed
    copy = tmp_path / "copy.achwb"
    code, out, err = run(capsys, "pull", facilitator.url(name), copy)
    assert (code, err) == (0, "") and facilitator.password not in out
    with ProjectFile.open(path, read_only=True) as a, ProjectFile.open(copy, read_only=True) as b:
        assert same_project(a.project, b.project)
    # The issue's own measure: the JSON exports of the original, the pulled copy and the
    # project on the server are identical, byte for byte.
    exports = []
    for source, out_name in (
        (path, "original"),
        (copy, "pulled"),
        (facilitator.url(name), "server"),
    ):
        out_path = tmp_path / f"{out_name}.json"
        assert run(capsys, "export", source, out_path)[0] == 0
        exports.append(out_path.read_bytes())
    assert exports[0] == exports[1] == exports[2]
    exported = json.loads(exports[0])
    assert exported["analysts"] and exported["evidence"] and exported["project_id"]


def test_push_refuses_a_name_that_is_taken_unless_forced(pushed, capsys):
    facilitator, name, path = pushed
    code, out, err = run(capsys, "push", path, facilitator.url(name))
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "already on the server" in err and facilitator.password not in err
    assert run(capsys, "push", path, facilitator.url(name), "--force")[0] == 0


def test_the_analysis_commands_take_a_url_and_agree_with_the_file(pushed, tmp_path, capsys):
    facilitator, name, path = pushed
    url = facilitator.url(name)
    for argv in (["score", "--json"], ["team", "--json"], ["sensitivity", "--json"]):
        on_file = run(capsys, argv[0], path, *argv[1:])
        on_server = run(capsys, argv[0], url, *argv[1:])
        assert on_file[0] == on_server[0] == 0
        assert json.loads(on_server[1]) == json.loads(on_file[1]), argv
    assert run(capsys, "score", url, "--analyst", "Analyst 2")[0] == 0
    code, out, _ = run(capsys, "export", url, tmp_path / "m.xlsx")
    assert code == 0 and facilitator.password not in out
    assert openpyxl.load_workbook(tmp_path / "m.xlsx").sheetnames
    code, out, _ = run(capsys, "report", url, tmp_path / "r.html")
    assert code == 0 and "<html" in (tmp_path / "r.html").read_text(encoding="utf-8").lower()
    assert facilitator.password not in out
    code, out, _ = run(capsys, "sheets", url, "--analysts", "Analyst 3", "--out", tmp_path)
    assert code == 0
    sheet = next(tmp_path.glob("*Analyst 3*.xlsx"))
    code, out, err = run(capsys, "collect", url, sheet)
    assert (code, err) == (0, ""), err  # Analyst 3's layer is nobody's yet: the facilitator's


def test_grant_then_rate_own_layer_but_not_another(pg, pushed, tmp_path, capsys):
    facilitator, name, path = pushed
    ana, ben = pg.role("ana"), pg.role("ben")
    code, out, err = run(
        capsys, "grant", facilitator.url(name), "--analyst", "Analyst 1", "--role", ana.name
    )
    assert (code, err) == (0, "") and f"{ana.name} rates as Analyst 1" in out
    assert (
        run(capsys, "grant", facilitator.url(name), "--analyst", "Ben", "--role", ben.name)[0] == 0
    )
    code, out, err = run(capsys, "rate", ana.url(name), "E2", "H3", "ii", "--rationale", "no")
    assert (code, err) == (0, "") and "Analyst 1: E2 x H3 = II" in out
    code, out, err = run(capsys, "rate", ana.url(name), "E2", "H3", "C", "--analyst", "Ben")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"only the role {ben.name} may change Ben's ratings" in err
    assert ana.password not in err
    code, _, err = run(capsys, "grant", ana.url(name), "--analyst", "Analyst 3", "--role", ana.name)
    assert code == 2 and "only the facilitator" in err
    with ServerProject.open(ben.url(name), read_only=True) as server:
        project = server.project
        e2, h3 = project.evidence_by_code("E2").id, project.hypothesis_by_code("H3").id
        analyst_1 = project.analyst_by_name("Analyst 1").id
        assert int(project.rating(analyst_1, e2, h3)) == 2
        assert project.rationale(analyst_1, e2, h3) == "no"


def test_rate_works_on_a_file(tmp_path, full_project, capsys):
    path = tmp_path / "p.achwb"
    ProjectFile.create(path, full_project()).close()
    code, out, err = run(capsys, "rate", path, "E1", "H2", "CC", "--analyst", "Analyst 2")
    assert (code, err) == (0, "")
    code, _, err = run(capsys, "rate", path, "E1", "H2", "CC")
    assert code == 2 and "--analyst NAME" in err
    code, _, err = run(capsys, "rate", path, "E1", "H2", "maybe", "--analyst", "Analyst 2")
    assert code == 2 and "not a rating" in err
    with ProjectFile.open(path, read_only=True) as pf:
        p = pf.project
        analyst = p.analyst_by_name("Analyst 2").id
        assert p.rating(analyst, p.evidence_by_code("E1").id, p.hypothesis_by_code("H2").id) == 6


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", ["score", "team", "rate"])
def test_a_server_that_is_down_exits_2_without_the_password(command, capsys):
    url = f"postgresql://ana:Top%40Secret@127.0.0.1:{_closed_port()}/teamwork?project=case"
    extra = ["E1", "H1", "C"] if command == "rate" else []
    code, out, err = run(capsys, command, url, *extra)
    assert code == 2 and out == ""
    assert err.startswith("error: cannot reach postgresql://ana:***@127.0.0.1:")
    assert err.count("\n") == 1
    assert "Top" not in err and "Secret" not in err


def test_the_password_file_and_libpq_variables_work(pushed, pg, tmp_path, capsys, monkeypatch):
    facilitator, name, _ = pushed
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"*:*:*:{facilitator.name}:{facilitator.password}\n", encoding="utf-8")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    assert run(capsys, "score", facilitator.url(name, with_password=False))[0] == 0
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    monkeypatch.setenv("PGUSER", facilitator.name)
    monkeypatch.setenv("PGPASSWORD", facilitator.password)
    url = (
        f"postgresql:///teamwork?host={pg.cluster.socket_dir}&port={pg.cluster.port}&project={name}"
    )
    assert run(capsys, "score", url)[0] == 0
    monkeypatch.setenv("PGPASSWORD", "wrong")
    code, _, err = run(capsys, "score", url)
    assert code == 2 and "cannot reach" in err and "password authentication failed" in err


def test_an_address_without_a_project_is_refused(capsys):
    code, _, err = run(capsys, "score", "postgresql://a:pw@localhost/db")
    assert code == 2 and "add ?project=NAME" in err and ":pw@" not in err
