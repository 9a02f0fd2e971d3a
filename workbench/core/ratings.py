"""The rating scale and evidence weights (scoring spec sections 1 and 2).

A rating is stored as a small integer *code index* so that whole matrices are
numpy ``int8`` arrays. The indices are chosen so that ``value = index - 4`` for
every scored rating, which keeps the vectorised scoring free of lookups.
"""

from __future__ import annotations

import enum
import math


class Rating(enum.IntEnum):
    """One cell of the matrix. BLANK (not yet rated) and NA are not scored."""

    BLANK = 0
    NA = 1
    II = 2
    I = 3  # noqa: E741 - the analyst's own code for "Inconsistent"
    N = 4
    C = 5
    CC = 6

    @property
    def code(self) -> str:
        return "" if self is Rating.BLANK else self.name

    @property
    def label(self) -> str:
        return RATING_LABELS[self]

    @property
    def is_scored(self) -> bool:
        return self >= Rating.II

    @property
    def numeric(self) -> int:
        """The spec's value v: +2 .. -2. Raises for NA and blank, which have none."""
        if not self.is_scored:
            raise ValueError(f"{self.label} has no value")
        return int(self) - 4

    def step(self, direction: int) -> Rating:
        """One step toward consistent (+1) or inconsistent (-1); the ends stay put."""
        if not self.is_scored:
            return self
        return Rating(min(int(Rating.CC), max(int(Rating.II), int(self) + direction)))

    @classmethod
    def from_code(cls, code: str) -> Rating:
        """The canonical code as stored in a project (``""`` is blank)."""
        if code == "":
            return cls.BLANK
        return cls[code]


RATING_LABELS: dict[Rating, str] = {
    Rating.BLANK: "Not yet rated",
    Rating.NA: "Not applicable",
    Rating.II: "Very inconsistent",
    Rating.I: "Inconsistent",
    Rating.N: "Neutral",
    Rating.C: "Consistent",
    Rating.CC: "Very consistent",
}

# Scored ratings from most consistent to most inconsistent, as shown in pickers.
SCALE: tuple[Rating, ...] = (Rating.CC, Rating.C, Rating.N, Rating.I, Rating.II)

#: Default likelihood L of each rating (spec section 3). NA/blank count as Neutral.
DEFAULT_LIKELIHOODS: dict[Rating, float] = {
    Rating.CC: 0.95,
    Rating.C: 0.80,
    Rating.N: 0.50,
    Rating.I: 0.20,
    Rating.II: 0.05,
}

_SPELLINGS: dict[str, Rating] = {
    "cc": Rating.CC,
    "++": Rating.CC,
    "very consistent": Rating.CC,
    "c": Rating.C,
    "+": Rating.C,
    "consistent": Rating.C,
    "n": Rating.N,
    "0": Rating.N,
    "neutral": Rating.N,
    "i": Rating.I,
    "-": Rating.I,
    "inconsistent": Rating.I,
    "ii": Rating.II,
    "--": Rating.II,
    "very inconsistent": Rating.II,
    "na": Rating.NA,
    "n/a": Rating.NA,
    "not applicable": Rating.NA,
}

ACCEPTED_RATING_SPELLINGS = (
    "CC, ++, Very consistent; C, +, Consistent; N, 0, Neutral; "
    "I, -, Inconsistent; II, --, Very inconsistent; NA, N/A, Not applicable; or empty"
)


class BadRating(ValueError):
    """A rating word that is not on the scale."""


def parse_rating(raw: object) -> Rating:
    """Read a rating as analysts write it in spreadsheets (case-insensitive).

    A numeric 0 (Excel stores a typed ``0`` as a number) is Neutral; ``None`` and
    whitespace are blank. Anything else raises :class:`BadRating`.
    """
    if raw is None:
        return Rating.BLANK
    if isinstance(raw, bool):
        raise BadRating(f"{raw!r} is not a rating")
    if isinstance(raw, (int, float)):
        if raw == 0:
            return Rating.N
        raise BadRating(f"{raw!r} is not a rating")
    text = " ".join(str(raw).split()).lower()
    if text == "":
        return Rating.BLANK
    try:
        return _SPELLINGS[text]
    except KeyError:
        raise BadRating(f"{str(raw).strip()!r} is not a rating") from None


class Level(enum.IntEnum):
    """Credibility or relevance of an evidence item (PARC ACH's three levels)."""

    LOW = 0
    MEDIUM = 1
    HIGH = 2

    @property
    def label(self) -> str:
        return self.name.capitalize()

    @property
    def weight(self) -> float:
        return LEVEL_WEIGHTS[self]


LEVEL_WEIGHTS: dict[Level, float] = {
    Level.LOW: 1 / math.sqrt(2),
    Level.MEDIUM: 1.0,
    Level.HIGH: math.sqrt(2),
}

_LEVEL_SPELLINGS: dict[str, Level] = {
    "l": Level.LOW,
    "low": Level.LOW,
    "m": Level.MEDIUM,
    "med": Level.MEDIUM,
    "medium": Level.MEDIUM,
    "h": Level.HIGH,
    "high": Level.HIGH,
}

ACCEPTED_LEVEL_SPELLINGS = "Low, L; Medium, Med, M; High, H; or empty (Medium)"


class BadLevel(ValueError):
    """A credibility or relevance word that is not Low/Medium/High."""


def parse_level(raw: object) -> Level:
    """Read a credibility/relevance word; blank means Medium (spec section 2)."""
    if raw is None:
        return Level.MEDIUM
    text = " ".join(str(raw).split()).lower()
    if text == "":
        return Level.MEDIUM
    try:
        return _LEVEL_SPELLINGS[text]
    except KeyError:
        raise BadLevel(f"{str(raw).strip()!r} is not a weight") from None


def evidence_weight(credibility: Level, relevance: Level) -> float:
    """w(e) = cred_weight * rel_weight, from 0.5 to 2.0."""
    return credibility.weight * relevance.weight
