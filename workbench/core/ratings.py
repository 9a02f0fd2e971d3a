"""The rating scale and evidence weights (scoring spec sections 1 and 2).

Everything about the scale is declared once, in :data:`RATING_SCALE`: the code
each rating is stored as, its spec value, label, the spellings analysts type
in spreadsheets, the keys that rate a cell, and the default likelihoods. The
store's CHECK constraint and bit packing, the Excel formulas, the pickers and
the PARC reader all derive from it; a test keeps rating literals out of every
other module.

A rating is stored as a small integer *code index* so that whole matrices are
numpy ``int8`` arrays; :attr:`RatingScale.value_table` turns such an array
into spec values with one lookup.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import math
from collections.abc import Mapping

import numpy as np


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
        return RATING_SCALE.codes[self]

    @property
    def label(self) -> str:
        return RATING_SCALE.labels[self]

    @property
    def is_scored(self) -> bool:
        return self in RATING_SCALE.values

    @property
    def numeric(self) -> int:
        """The spec's value v: +2 .. -2. Raises for NA and blank, which have none."""
        try:
            return RATING_SCALE.values[self]
        except KeyError:
            raise ValueError(f"{self.label} has no value") from None

    def step(self, direction: int) -> Rating:
        """One step toward consistent (+1) or inconsistent (-1); the ends stay put."""
        return RATING_SCALE.step(self, direction)

    @classmethod
    def from_code(cls, code: str) -> Rating:
        """The canonical code as stored in a project (``""`` is blank)."""
        return RATING_SCALE.by_code[code]


@dataclasses.dataclass(frozen=True)
class RatingScale:
    """One declaration of the scale that every layer derives its facts from."""

    #: Scored ratings from most consistent to most inconsistent (pickers, likelihoods).
    scored: tuple[Rating, ...]
    #: What a rater may choose (drop-downs, rating sheets): the scored ones, then NA.
    choices: tuple[Rating, ...]
    #: Menu order: the choices, then blank (clear).
    menu: tuple[Rating, ...]
    codes: Mapping[Rating, str]
    labels: Mapping[Rating, str]
    #: The spec's value v of each scored rating (+2 .. -2).
    values: Mapping[Rating, int]
    #: Default likelihood L of each scored rating (spec section 3).
    default_likelihoods: Mapping[Rating, float]
    #: Lower-case spellings accepted in spreadsheets and pasted text.
    spellings: Mapping[str, Rating]
    accepted_spellings: str
    #: One key press rates a cell ...
    keys: Mapping[str, Rating]
    #: ... and a second key within the same cell strengthens or completes it.
    chords: Mapping[tuple[str, str], Rating]
    #: The shortcut shown next to each rating in menus.
    key_hints: Mapping[Rating, str]

    # -- derived facts ---------------------------------------------------------------

    @functools.cached_property
    def by_code(self) -> dict[str, Rating]:
        return {code: rating for rating, code in self.codes.items()}

    @functools.cached_property
    def lowest_code(self) -> int:
        return int(min(self.codes))

    @functools.cached_property
    def highest_code(self) -> int:
        return int(max(self.codes))

    @functools.cached_property
    def code_bits(self) -> int:
        """Bits a stored code needs (the store packs codes next to ids)."""
        return max(1, self.highest_code.bit_length())

    @functools.cached_property
    def value_table(self) -> np.ndarray:
        """Spec value by code index (0 for unscored codes): ``value_table[codes]``."""
        table = np.zeros(self.highest_code + 1, dtype=np.int16)
        for rating, value in self.values.items():
            table[int(rating)] = value
        return table

    @functools.cached_property
    def scored_table(self) -> np.ndarray:
        """True by code index for scored ratings: ``scored_table[codes]``."""
        table = np.zeros(self.highest_code + 1, dtype=bool)
        for rating in self.values:
            table[int(rating)] = True
        return table

    @functools.cached_property
    def min_value(self) -> int:
        return min(self.values.values())

    @functools.cached_property
    def max_value(self) -> int:
        return max(self.values.values())

    @functools.cached_property
    def code_by_value(self) -> np.ndarray:
        """Code index of each value from ``min_value`` up: ``code_by_value[v - min_value]``."""
        table = np.zeros(self.max_value - self.min_value + 1, dtype=np.int8)
        for rating, value in self.values.items():
            table[value - self.min_value] = int(rating)
        return table

    def values_of(self, codes: np.ndarray) -> np.ndarray:
        """The spec value of every code in an array (0 where not scored)."""
        return self.value_table[np.asarray(codes, dtype=np.intp)]

    def scored_of(self, codes: np.ndarray) -> np.ndarray:
        """True where a code in an array is a scored rating."""
        return self.scored_table[np.asarray(codes, dtype=np.intp)]

    def codes_of(self, values: np.ndarray) -> np.ndarray:
        """The code of every value in an array (values within the scale's range)."""
        return self.code_by_value[np.asarray(values, dtype=np.intp) - self.min_value]

    def from_value(self, value: int) -> Rating:
        for rating, v in self.values.items():
            if v == value:
                return rating
        raise ValueError(f"no rating has the value {value}")

    def step(self, rating: Rating, direction: int) -> Rating:
        """One step toward consistent (+1) or inconsistent (-1); the ends stay put."""
        if rating not in self.values:
            return rating
        value = self.values[rating] + direction
        return self.from_value(min(self.max_value, max(self.min_value, value)))

    def stronger(self, rating: Rating) -> Rating:
        """The strengthened rating a repeated key gives (C -> CC, I -> II), else itself."""
        key = self.key_hints.get(rating, "")
        return self.chords.get((key, key), rating) if len(key) == 1 else rating

    @functools.cached_property
    def legend(self) -> str:
        """ "CC very consistent, C consistent, ... NA not applicable": prompts and help."""
        return ", ".join(f"{r.code} {self.labels[r].lower()}" for r in self.choices)

    @functools.cached_property
    def code_list(self) -> str:
        """ "CC, C, N, I, II or NA": what a rating cell accepts."""
        codes = [r.code for r in self.choices]
        return ", ".join(codes[:-1]) + " or " + codes[-1]

    def counted(self, sign: int) -> str:
        """How inconsistency (sign -1) or consistency (+1) counts each rating:
        "1 for each I, 2 for each II"."""
        steps = sorted((abs(v), r.code) for r, v in self.values.items() if v * sign > 0)
        return ", ".join(f"{n} for each {code}" for n, code in steps)

    def keys_for(self, rating: Rating) -> list[str]:
        """Every way to type ``rating`` on the keyboard: single keys, then pairs."""
        single = [key for key, r in self.keys.items() if r == rating]
        pairs = [
            " ".join(pair) if pair[0] != pair[1] else "".join(pair)
            for pair, r in self.chords.items()
            if r == rating
        ]
        return single + pairs

    def strengthens(self, rating: Rating) -> bool:
        return self.stronger(rating) != rating


RATING_SCALE = RatingScale(
    scored=(Rating.CC, Rating.C, Rating.N, Rating.I, Rating.II),
    choices=(Rating.CC, Rating.C, Rating.N, Rating.I, Rating.II, Rating.NA),
    menu=(Rating.CC, Rating.C, Rating.N, Rating.I, Rating.II, Rating.NA, Rating.BLANK),
    codes={
        Rating.BLANK: "",
        Rating.NA: "NA",
        Rating.II: "II",
        Rating.I: "I",
        Rating.N: "N",
        Rating.C: "C",
        Rating.CC: "CC",
    },
    labels={
        Rating.BLANK: "Not yet rated",
        Rating.NA: "Not applicable",
        Rating.II: "Very inconsistent",
        Rating.I: "Inconsistent",
        Rating.N: "Neutral",
        Rating.C: "Consistent",
        Rating.CC: "Very consistent",
    },
    values={Rating.CC: 2, Rating.C: 1, Rating.N: 0, Rating.I: -1, Rating.II: -2},
    default_likelihoods={
        Rating.CC: 0.95,
        Rating.C: 0.80,
        Rating.N: 0.50,
        Rating.I: 0.20,
        Rating.II: 0.05,
    },
    spellings={
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
    },
    accepted_spellings=(
        "CC, ++, Very consistent; C, +, Consistent; N, 0, Neutral; "
        "I, -, Inconsistent; II, --, Very inconsistent; NA, N/A, Not applicable; or empty"
    ),
    keys={
        "c": Rating.C,
        "+": Rating.C,
        "i": Rating.I,
        "-": Rating.I,
        "n": Rating.N,
        "0": Rating.N,
        "a": Rating.NA,
    },
    chords={
        ("c", "c"): Rating.CC,
        ("+", "+"): Rating.CC,
        ("i", "i"): Rating.II,
        ("-", "-"): Rating.II,
        ("n", "a"): Rating.NA,
    },
    key_hints={
        Rating.CC: "cc",
        Rating.C: "c",
        Rating.N: "n",
        Rating.I: "i",
        Rating.II: "ii",
        Rating.NA: "a",
        Rating.BLANK: "Del",
    },
)

# The names the rest of the code has always imported, derived from the scale.
RATING_LABELS: dict[Rating, str] = dict(RATING_SCALE.labels)
SCALE: tuple[Rating, ...] = RATING_SCALE.scored
DEFAULT_LIKELIHOODS: dict[Rating, float] = dict(RATING_SCALE.default_likelihoods)
ACCEPTED_RATING_SPELLINGS = RATING_SCALE.accepted_spellings
_SPELLINGS = RATING_SCALE.spellings


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
