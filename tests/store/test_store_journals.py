"""A project with its own leftover journal opens; one with another's is refused (issue 17).

The journal is the file's own when replaying it into a private copy gives the
same project, sound (see workbench/store/sidecars.py); then even a read-only
share, where SQLite itself could not replay it, opens for reading.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from bad_corpus_round2 import _crashed_session_wal

from workbench.core.errors import ProjectFileError
from workbench.store import ProjectFile


def _folder(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.fixture
def crashed(tmp_path: Path) -> Path:
    """A project whose editor was killed: the title edit is only in its -wal."""
    folder = tmp_path / "share"
    folder.mkdir()
    made = _crashed_session_wal(folder)
    path = folder / "p.achwb"
    for end in ("", "-wal"):
        made.with_name(made.name + end).rename(path.with_name(path.name + end))
    for end in ("-shm", ".lock"):
        made.with_name(made.name + end).unlink(missing_ok=True)
    return path


def test_its_own_wal_is_replayed_on_a_read_only_share(crashed: Path, read_only_view) -> None:
    view = read_only_view(crashed.parent)
    before = _folder(crashed.parent)
    with ProjectFile.open(view / crashed.name, read_only=True) as project_file:
        assert project_file.project.title == "Someone else entirely"  # the edit in the WAL
    assert _folder(crashed.parent) == before
    with pytest.raises(ProjectFileError, match="cannot be opened for editing.*open it read-only"):
        ProjectFile.open(view / crashed.name)


def test_its_own_wal_is_replayed_when_opened_for_editing(crashed: Path) -> None:
    with ProjectFile.open(crashed) as project_file:
        assert project_file.project.title == "Someone else entirely"
    assert not crashed.with_name(crashed.name + "-wal").exists()


def test_its_own_hot_journal_is_rolled_back_in_a_copy(tmp_path: Path) -> None:
    path = tmp_path / "copy.achwb"
    ProjectFile.create(tmp_path / "p.achwb", _example()).close()
    with ProjectFile.open(tmp_path / "p.achwb", read_only=True) as original:
        title = original.project.title
    shutil.copy(tmp_path / "p.achwb", path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = DELETE")  # as Save a Copy writes it
    db.close()
    script = (
        "import os, sqlite3, sys\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('PRAGMA cache_size = 2')\n"
        "db.execute('BEGIN')\n"
        "db.execute(\"UPDATE project SET title = 'half done'\")\n"
        "db.execute('UPDATE evidence SET notes = hex(randomblob(500))')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)
    assert path.with_name(path.name + "-journal").stat().st_size > 0
    with ProjectFile.open(path, read_only=True) as project_file:
        assert project_file.project.title == title  # the half-done change rolled back


def _example():  # noqa: ANN202
    from workbench.exchange.example import load_example

    return load_example()
