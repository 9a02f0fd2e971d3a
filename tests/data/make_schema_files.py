"""Regenerate the project files of each released schema kept in tests/data.

    python tests/data/make_schema_files.py

``schema1.achwb`` is what release 1 wrote: the schema-1 migration builds
its tables on an empty file and the rows are inserted with plain SQL, the
way release 1 laid them out (no consensus overrides, no change kind).
``schema2.achwb`` is what release 2 wrote: the current code writes the
project in schema 3's layout (below), then the columns schema 3 added are
dropped and the file is stamped schema 2 (exactly what schema 2's mapping
made). ``schema3.achwb`` is what
release 3 wrote: the current code writes the project, then its rating blocks
and rationales are turned back into schema 3's one-row-per-cell ``rating``
table. ``schema4.achwb`` is written by the current code. tests/store checks
that all open, with the contents listed here, and that older ones are
migrated. Existing files are replaced: only run this when a schema is
released (``python make_schema_files.py schema4.achwb`` writes one file).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import numpy as np

from workbench.core.dates import PartialDate
from workbench.core.edits import SetOverride, SetRating, UpdateEvidence
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
from workbench.core.ratings import Level, Rating
from workbench.store import ProjectFile
from workbench.store.connection import connect_file, make_engine
from workbench.store.migrate import upgrade

HERE = Path(__file__).resolve().parent

#: Shared by both files and by the tests that read them.
SCHEMA1_UID = "5c4e3a1b2d6f48e0a9b7c1d2e3f40501"
SCHEMA2_UID = "5c4e3a1b2d6f48e0a9b7c1d2e3f40502"
SCHEMA3_UID = "5c4e3a1b2d6f48e0a9b7c1d2e3f40503"
SCHEMA4_UID = "5c4e3a1b2d6f48e0a9b7c1d2e3f40504"

#: Schema 3's rating table, as release 3 created it (SQLite keeps the text verbatim).
_SCHEMA3_RATING_PARTS = (
    "evidence_id INTEGER NOT NULL",
    "hypothesis_id INTEGER NOT NULL",
    "analyst_id INTEGER NOT NULL",
    "code INTEGER NOT NULL",
    "rationale TEXT",
    "CONSTRAINT pk_rating PRIMARY KEY (evidence_id, hypothesis_id, analyst_id)",
    "CONSTRAINT ck_rating_code_range CHECK (code BETWEEN 0 AND 6)",
    "CONSTRAINT fk_rating_evidence_id_evidence FOREIGN KEY(evidence_id)"
    " REFERENCES evidence (id) ON DELETE CASCADE",
    "CONSTRAINT fk_rating_hypothesis_id_hypothesis FOREIGN KEY(hypothesis_id)"
    " REFERENCES hypothesis (id) ON DELETE CASCADE",
    "CONSTRAINT fk_rating_analyst_id_analyst FOREIGN KEY(analyst_id)"
    " REFERENCES analyst (id) ON DELETE CASCADE",
)
SCHEMA3_RATING = (
    "CREATE TABLE rating (\n\t" + ", \n\t".join(_SCHEMA3_RATING_PARTS) + "\n)\n WITHOUT ROWID\n\n",
    "CREATE INDEX ix_rating_with_rationale ON rating (analyst_id, evidence_id, hypothesis_id)"
    " WHERE rationale IS NOT NULL",
)


def _schema1(path: Path) -> None:
    path.write_bytes(b"")
    engine = make_engine(lambda: connect_file(path, read_only=False), read_only=False)
    try:
        upgrade(engine, "schema1")
    finally:
        engine.dispose()
    likelihoods = {"CC": 0.95, "C": 0.8, "N": 0.5, "I": 0.2, "II": 0.05}
    db = sqlite3.connect(path)
    with db:
        db.execute(
            "INSERT INTO project"
            " VALUES (1, ?, 'Schema 1 sample', 'Who did it?', 'Old file', ?, 20)",
            (SCHEMA1_UID, json.dumps(likelihoods)),
        )
        db.execute(
            "INSERT INTO source VALUES (9, 0, 'Sivitsky', 2020, 'Report', 'https://x.example', '')"
        )
        db.executemany(
            "INSERT INTO hypothesis VALUES (?, ?, ?, ?, '', NULL)",
            [(1, 0, "H1", "Fraud"), (2, 1, "H2", "No fraud"), (3, 2, "H3", "Partial")],
        )
        db.executemany(
            "INSERT INTO evidence VALUES (?, ?, ?, ?, '', ?, ?, ?, '', ?, ?, ?, ?, '')",
            [
                (4, 0, "E1", "Exit polls", "event", "2020-08", 9, "high", "medium", 1, '["poll"]'),
                (5, 1, "E2", "Protests", "statement", None, None, "low", "high", 1, "[]"),
                (6, 2, "E3", "Silence", "absence", "2020", None, "medium", "low", 0, "[]"),
            ],
        )
        db.executemany("INSERT INTO analyst VALUES (?, ?, ?)", [(7, 0, "Ann"), (8, 1, "Bo")])
        db.executemany(
            "INSERT INTO rating VALUES (?, ?, ?, ?, ?)",
            [
                (4, 1, 7, int(Rating.CC), "Clear"),
                (4, 2, 7, int(Rating.II), None),
                (5, 1, 7, int(Rating.C), None),
                (4, 1, 8, int(Rating.C), None),
                (6, 3, 8, int(Rating.NA), None),
                (5, 2, 8, int(Rating.BLANK), "Unsure yet"),
            ],
        )
        db.execute("INSERT INTO milestone VALUES (10, 0, 1, 'Audit', '2021-01', 'pending', '')")
        db.execute("INSERT INTO setting VALUES ('current_analyst', '\"7\"')")
        db.execute(
            "INSERT INTO change_log (at, analyst, label) "
            "VALUES ('2021-03-01T10:00:00+00:00', 'Ann', 'Rate E1 x H1: blank -> CC')"
        )
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()


def sample_project(schema: int = 2) -> Project:
    """The project kept in schemaN.achwb (every kind of entity, two analysts)."""
    uid = {2: SCHEMA2_UID, 3: SCHEMA3_UID}.get(schema, SCHEMA4_UID)
    project = Project(f"Schema {schema} sample", "Who did it?", "Current file", uid=uid)
    if schema >= 3:
        project.classification = "OFFICIAL-SENSITIVE"
        project.time_horizon = "through 2021"
        project.notes = "Kept in tests/data"
    source = Source(project.new_id(), "Sivitsky", 2020, "Report", "https://x.example", "Siv. 20")
    project.sources.append(source)
    project.hypotheses = [
        Hypothesis(project.new_id(), "H1", "Fraud", prior=0.6),
        Hypothesis(project.new_id(), "H2", "No fraud"),
    ]
    project.evidence = [
        Evidence(
            project.new_id(),
            "E1",
            "Exit polls",
            type=EvidenceType.EVENT,
            date=PartialDate(2020, 8, 9),
            source_id=source.id,
            credibility=Level.HIGH,
            tags=["poll", "vote"],
        ),
        Evidence(project.new_id(), "E2", "Protests", type=EvidenceType.STATEMENT, active=False),
    ]
    for name, codes in (("Ann", [[6, 2], [5, 0]]), ("Bo", [[5, 3], [1, 4]])):
        project.add_analyst(Analyst(project.new_id(), name), np.array(codes, dtype=np.int8))
    project.milestones.append(
        Milestone(
            project.new_id(),
            project.hypotheses[0].id,
            "Audit",
            PartialDate(2021),
            MilestoneStatus.OBSERVED,
        )
    )
    return project


def _schema2(path: Path) -> None:
    _as_schema3(path, sample_project(2))
    db = sqlite3.connect(path)
    with db:
        for column in ("classification", "time_horizon", "notes"):
            db.execute(f"ALTER TABLE project DROP COLUMN {column}")
        db.execute("UPDATE alembic_version SET version_num = 'schema2'")
    db.execute("PRAGMA user_version = 2")
    db.execute("VACUUM")
    db.close()


def _schema3(path: Path) -> None:
    _as_schema3(path, sample_project(3))


def _as_schema3(path: Path, project: Project) -> None:
    """``project`` written by the current code, then laid out as release 3 did."""
    _current(path, project)
    with ProjectFile.open(path, read_only=True) as project_file:
        stored = project_file.project
    db = sqlite3.connect(path)
    with db:
        db.execute("PRAGMA foreign_keys = OFF")
        for statement in SCHEMA3_RATING:
            db.execute(statement)
        cells = {}
        for analyst in stored.analysts:
            layer = stored.layers[analyst.id]
            for i, evidence in enumerate(stored.evidence):
                for j, hypothesis in enumerate(stored.hypotheses):
                    if layer[i, j]:
                        cells[(evidence.id, hypothesis.id, analyst.id)] = int(layer[i, j])
        for a, e, h in stored.rationales:
            cells.setdefault((e, h, a), 0)
        db.executemany(
            "INSERT INTO rating VALUES (?, ?, ?, ?, ?)",
            [
                (e, h, a, code, stored.rationales.get((a, e, h)))
                for (e, h, a), code in sorted(cells.items())
            ],
        )
        db.execute("DROP TABLE layer_block")
        db.execute("DROP TABLE rationale")
        db.execute("UPDATE alembic_version SET version_num = 'schema3'")
    db.execute("PRAGMA user_version = 3")
    db.execute("VACUUM")
    db.close()


def _schema4(path: Path) -> None:
    _current(path, sample_project(4))


def _current(path: Path, project: Project) -> None:
    ann, bo = (a.id for a in project.analysts)
    e1, e2 = (e.id for e in project.evidence)
    h1, h2 = (h.id for h in project.hypotheses)
    with ProjectFile.create(path, project) as project_file:
        project_file.apply(SetRating(ann, e1, h1, Rating.CC, "Clear"), analyst_id=ann)
        project_file.apply(UpdateEvidence(e2, {"notes": "check"}), analyst_id=bo)
        project_file.apply(SetOverride(e1, h2, ConsensusOverride(Rating.I, "agreed")))
        project_file.set_setting("current_analyst", str(ann))
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()


def main(names: list[str] | None = None) -> int:
    for name, make in (
        ("schema1.achwb", _schema1),
        ("schema2.achwb", _schema2),
        ("schema3.achwb", _schema3),
        ("schema4.achwb", _schema4),
    ):
        if names and name not in names:
            continue
        path = HERE / name
        path.unlink(missing_ok=True)
        make(path)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
