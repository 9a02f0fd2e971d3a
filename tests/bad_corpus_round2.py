"""Hostile corpus, round two (issue 17): what a hostile colleague tried after round one.

Made by code like the rest of the corpus (no binary blobs). :mod:`bad_corpus`
adds these cases to its ``CORPUS``, so each one runs through the CLI and the
window with the same contract: exit 2, one ``error:`` line naming the file,
nothing changed. A case whose input is more than one file (a project and the
journal beside it) makes all of them; the tests compare the whole folder.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from corpus_kit import PROJECT_COMMANDS, BadFile, make_real_project, tampered_project

_FIRST = (
    "WHERE (evidence_id, hypothesis_id, analyst_id) = "
    "(SELECT evidence_id, hypothesis_id, analyst_id FROM rating LIMIT 1)"
)
_FIRST_EVIDENCE = "WHERE id = (SELECT min(id) FROM evidence)"
_FIRST_HYPOTHESIS = "WHERE id = (SELECT min(id) FROM hypothesis)"


def _project(name: str, description: str, *statements: str) -> BadFile:
    return BadFile(name, description, tampered_project(statements), PROJECT_COMMANDS)


# -- journals that are not the file's own ---------------------------------------------


def _crashed_session_wal(folder: Path) -> Path:
    """Another project edited by a process killed mid-session: its WAL holds the edit."""
    other = folder / ".other.achwb"
    make_real_project(other)
    script = (
        "import os, sys\n"
        "from workbench.core.edits import UpdateProject\n"
        "from workbench.store import ProjectFile\n"
        "pf = ProjectFile.open(sys.argv[1])\n"
        "pf.apply(UpdateProject({'title': 'Someone else entirely'}))\n"
        "os._exit(0)\n"  # no close: the WAL stays, as after kill -9
    )
    subprocess.run([sys.executable, "-c", script, str(other)], check=True)
    return other


def _foreign_wal(path: Path) -> None:
    make_real_project(path)
    other = _crashed_session_wal(path.parent)
    shutil.copyfile(other.with_name(other.name + "-wal"), path.with_name(path.name + "-wal"))
    for leftover in ("", "-wal", "-shm", ".lock"):
        other.with_name(other.name + leftover).unlink(missing_ok=True)


def _foreign_journal(path: Path) -> None:
    """A hot rollback journal of some other database, beside a project copy.

    The project is in rollback-journal mode, as a Save a Copy writes it (in
    WAL mode SQLite ignores a ``-journal`` altogether).
    """
    make_real_project(path)
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode = DELETE")
    finally:
        db.close()
    other = path.with_name(".other.db")
    script = (
        "import os, sqlite3, sys\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('PRAGMA journal_mode = DELETE')\n"
        "db.execute('CREATE TABLE t (x)')\n"
        "db.executemany('INSERT INTO t VALUES (randomblob(3000))', [()] * 200)\n"
        # A tiny cache makes SQLite spill changed pages into the file mid-transaction,
        # after syncing the journal: the journal is then hot, as after a power cut.
        "db.execute('PRAGMA cache_size = 2')\n"
        "db.execute('BEGIN')\n"
        "db.execute('UPDATE t SET x = randomblob(3000)')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(other)], check=True)
    journal = other.with_name(other.name + "-journal")
    os.replace(journal, path.with_name(path.name + "-journal"))
    other.unlink()


def _claims_schema1(path: Path) -> None:
    make_real_project(path)
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA user_version = 1")
        db.commit()
    finally:
        db.close()


def _virtual_rating(path: Path) -> None:
    tampered_project(
        (
            "DROP TABLE rating",
            "CREATE VIRTUAL TABLE rating USING fts5("
            "evidence_id, hypothesis_id, analyst_id, code, rationale)",
        )
    )(path)


def _wide(count: int) -> Callable[[Path], None]:
    return tampered_project(
        (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
            f"{count}) INSERT INTO hypothesis (id, position, code, title, description, prior)"
            " SELECT 1000000 + i, 100 + i, 'X' || i, 'padding', '', NULL FROM n",
        )
    )


ROUND_TWO: tuple[BadFile, ...] = (
    # A file able to change data through our own writes, or to hide it.
    _project(
        "trigger.achwb",
        "a trigger that wipes the ratings on the next edit",
        "CREATE TRIGGER wipe AFTER INSERT ON change_log BEGIN DELETE FROM rating;"
        " UPDATE project SET title = 'owned'; END",
    ),
    _project("view.achwb", "a view we never make", "CREATE VIEW leak AS SELECT * FROM rating"),
    BadFile(
        "virtual-table.achwb", "an fts5 table in place of rating", _virtual_rating, PROJECT_COMMANDS
    ),
    _project("extra-column.achwb", "a column we never make", "ALTER TABLE evidence ADD x TEXT"),
    _project("extra-index.achwb", "an index we never make", "CREATE INDEX ix_x ON evidence(title)"),
    BadFile(
        "foreign-wal.achwb", "another project's -wal beside it", _foreign_wal, PROJECT_COMMANDS
    ),
    BadFile(
        "foreign-journal.achwb",
        "another database's hot -journal beside it",
        _foreign_journal,
        PROJECT_COMMANDS,
    ),
    BadFile(
        "claims-schema1.achwb", "a schema-2 file saying schema 1", _claims_schema1, PROJECT_COMMANDS
    ),
    # Damaged values.
    _project("blob-title.achwb", "a BLOB title", "UPDATE project SET title = X'00ff10'"),
    _project(
        "blob-rationale.achwb", "a BLOB rationale", f"UPDATE rating SET rationale = X'00' {_FIRST}"
    ),
    _project("tags-5.achwb", "tags of '5'", f"UPDATE evidence SET tags = '5' {_FIRST_EVIDENCE}"),
    _project(
        "tags-null.achwb", "tags of 'null'", f"UPDATE evidence SET tags = 'null' {_FIRST_EVIDENCE}"
    ),
    _project(
        "likelihoods-list.achwb", "likelihoods '[1,2]'", "UPDATE project SET likelihoods = '[1,2]'"
    ),
    _project(
        "likelihoods-null.achwb", "likelihoods 'null'", "UPDATE project SET likelihoods = 'null'"
    ),
    _project(
        "prior-abc.achwb",
        "a prior of 'abc'",
        f"UPDATE hypothesis SET prior = 'abc' {_FIRST_HYPOTHESIS}",
    ),
    _project("next-id-abc.achwb", "next_id of 'abc'", "UPDATE project SET next_id = 'abc'"),
    _project(
        "code-300.achwb",
        "a rating code 300 with next_id past 2^20",
        "UPDATE project SET next_id = 2000000",
        f"UPDATE rating SET code = 300 {_FIRST}",
    ),
    _project(
        "override-missing.achwb",
        "a consensus override of missing evidence",
        "INSERT INTO consensus_override VALUES (99999, (SELECT min(id) FROM hypothesis), 3, '')",
    ),
    _project(
        "setting-not-json.achwb",
        "a setting that is not JSON",
        "INSERT INTO setting VALUES ('view', '{oops')",
    ),
    _project(
        "long-title.achwb",
        "a 40,000-character title",
        "UPDATE project SET title = (SELECT group_concat('x', '') FROM"
        " (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)"
        " SELECT i FROM n))",
    ),
    BadFile(
        "too-wide.achwb", "1,058 hypotheses, past the supported size", _wide(1000), PROJECT_COMMANDS
    ),
)
