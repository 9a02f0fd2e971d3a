"""The tables of a ``.achwb`` project file, as SQLAlchemy 2.0 typed mappings.

One SQLite file holds one project. The mapping is the single description of
the current schema: a new file is made from it (``create_all``), the Alembic
migrations in ``migrations/versions`` bring older files up to it, and a test
checks the two agree. Ratings (schema 4) are stored as each analyst's int8
layer cut into blocks of evidence rows, one blob per block (see
:mod:`workbench.store.matrix`), so opening reads them at the disk's speed;
rationales, which are few, have a table of their own.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from workbench.core.ratings import RATING_SCALE
from workbench.store.format import APPLICATION_ID, PROJECT_SUFFIX, SCHEMA_VERSION

__all__ = ["APPLICATION_ID", "PROJECT_SUFFIX", "SCHEMA_VERSION", "Base"]

# Stable constraint names let Alembic batch migrations find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ProjectRow(Base):
    """The single row describing the project itself (id is always 1)."""

    __tablename__ = "project"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    classification: Mapped[str] = mapped_column(Text, default="", server_default="")
    time_horizon: Mapped[str] = mapped_column(Text, default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: JSON object rating code -> likelihood, e.g. {"CC": 0.95, ...}.
    likelihoods: Mapped[str] = mapped_column(Text)
    #: The next entity id to hand out (ids are unique across kinds).
    next_id: Mapped[int] = mapped_column(Integer)


class HypothesisRow(Base):
    __tablename__ = "hypothesis"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    prior: Mapped[float | None] = mapped_column(Float, default=None)


class SourceRow(Base):
    __tablename__ = "source"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer, default=None)
    title: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(Text, default="")
    citation: Mapped[str] = mapped_column(Text, default="")


class EvidenceRow(Base):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    #: EvidenceType value ("event", "statement", ...).
    type: Mapped[str] = mapped_column(String(30))
    #: PartialDate as text: "2020", "2020-08" or "2020-08-09".
    date: Mapped[str | None] = mapped_column(String(10), default=None)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("source.id", ondelete="SET NULL"), default=None, index=True
    )
    locator: Mapped[str] = mapped_column(Text, default="")
    #: Level name in lower case: "low", "medium", "high".
    credibility: Mapped[str] = mapped_column(String(10))
    relevance: Mapped[str] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    #: JSON list of strings.
    tags: Mapped[str] = mapped_column(Text, default="[]")
    notes: Mapped[str] = mapped_column(Text, default="")


class AnalystRow(Base):
    __tablename__ = "analyst"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)


#: Stored rating codes are the scale's code indices (0 blank, 1 NA, 2 II ... 6 CC).
_CODE_RANGE = f"code BETWEEN {RATING_SCALE.lowest_code} AND {RATING_SCALE.highest_code}"


class LayerBlockRow(Base):
    """One analyst's ratings of a block of evidence rows (schema 4).

    The block holds the evidence whose id >> BLOCK_BITS is ``block``
    (:mod:`workbench.store.matrix`). ``evidence`` and ``hypotheses`` are the
    ids of its rows and columns as little-endian int64; ``codes`` the int8
    Rating values, row by row. Ids are never handed out twice, so a block
    describes itself whatever order the matrix shows.
    """

    __tablename__ = "layer_block"
    __table_args__ = (
        Index("ix_layer_block_analyst_block", "analyst_id", "block", unique=True),
        CheckConstraint("length(codes) * 64 = length(evidence) * length(hypotheses)", name="shape"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    analyst_id: Mapped[int] = mapped_column(ForeignKey("analyst.id", ondelete="CASCADE"))
    block: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[bytes] = mapped_column(LargeBinary)
    hypotheses: Mapped[bytes] = mapped_column(LargeBinary)
    codes: Mapped[bytes] = mapped_column(LargeBinary)


class RationaleRow(Base):
    """An analyst's reason for one rating (schema 4; before, a column of ``rating``)."""

    __tablename__ = "rationale"
    __table_args__ = ({"sqlite_with_rowid": False},)

    analyst_id: Mapped[int] = mapped_column(
        ForeignKey("analyst.id", ondelete="CASCADE"), primary_key=True
    )
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    hypothesis_id: Mapped[int] = mapped_column(
        ForeignKey("hypothesis.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    rationale: Mapped[str] = mapped_column(Text)


class MilestoneRow(Base):
    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(Integer)
    hypothesis_id: Mapped[int] = mapped_column(
        ForeignKey("hypothesis.id", ondelete="CASCADE"), index=True
    )
    indicator: Mapped[str] = mapped_column(Text)
    expected_by: Mapped[str | None] = mapped_column(String(10), default=None)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")


class ConsensusOverrideRow(Base):
    """The facilitator's consensus rating for one cell (schema 2)."""

    __tablename__ = "consensus_override"
    __table_args__ = (CheckConstraint(_CODE_RANGE, name="code_range"),)

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True
    )
    hypothesis_id: Mapped[int] = mapped_column(
        ForeignKey("hypothesis.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    code: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")


class SettingRow(Base):
    """Small per-project settings (current analyst, view), values as JSON."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ChangeLogRow(Base):
    """One row per applied edit: who changed what, when (UTC, ISO 8601)."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(40))
    analyst: Mapped[str | None] = mapped_column(Text, default=None)
    label: Mapped[str] = mapped_column(Text)
    #: The Edit class name (schema 2), e.g. "SetRating"; "" in migrated rows.
    kind: Mapped[str] = mapped_column(String(40), default="", server_default="")
