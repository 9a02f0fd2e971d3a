import math

import pytest

from workbench.core.ratings import (
    BadLevel,
    BadRating,
    Level,
    Rating,
    evidence_weight,
    parse_level,
    parse_rating,
)

SPELLINGS = {
    Rating.CC: ["CC", "cc", "++", "Very consistent", "VERY CONSISTENT", " very  consistent "],
    Rating.C: ["C", "c", "+", "Consistent", "consistent"],
    Rating.N: ["N", "n", "0", 0, 0.0, "Neutral", "neutral"],
    Rating.I: ["I", "i", "-", "Inconsistent"],
    Rating.II: ["II", "ii", "--", "Very inconsistent"],
    Rating.NA: ["NA", "na", "N/A", "n/a", "Not applicable"],
    Rating.BLANK: [None, "", "   "],
}


@pytest.mark.parametrize(
    "raw,expected", [(raw, rating) for rating, words in SPELLINGS.items() for raw in words]
)
def test_every_accepted_spelling(raw, expected):
    assert parse_rating(raw) is expected


@pytest.mark.parametrize("raw", ["maybe", "CCC", "+++", 1, 2.5, True, "consistant", "I I"])
def test_other_words_are_refused_with_the_word(raw):
    with pytest.raises(BadRating, match="is not a rating"):
        parse_rating(raw)


def test_values_and_steps():
    assert [r.numeric for r in (Rating.CC, Rating.C, Rating.N, Rating.I, Rating.II)] == [
        2,
        1,
        0,
        -1,
        -2,
    ]
    assert Rating.C.step(+1) is Rating.CC and Rating.CC.step(+1) is Rating.CC
    assert Rating.I.step(-1) is Rating.II and Rating.NA.step(-1) is Rating.NA
    with pytest.raises(ValueError):
        _ = Rating.NA.numeric
    assert Rating.from_code("") is Rating.BLANK and Rating.from_code("II") is Rating.II


@pytest.mark.parametrize(
    "raw,level",
    [
        ("L", Level.LOW),
        ("low", Level.LOW),
        ("M", Level.MEDIUM),
        ("Med", Level.MEDIUM),
        ("medium", Level.MEDIUM),
        ("H", Level.HIGH),
        ("HIGH", Level.HIGH),
        (None, Level.MEDIUM),
        ("", Level.MEDIUM),
    ],
)
def test_levels(raw, level):
    assert parse_level(raw) is level


def test_bad_level():
    with pytest.raises(BadLevel, match="'Very high' is not a weight"):
        parse_level("Very high")


def test_weights_are_parcs():
    assert evidence_weight(Level.LOW, Level.LOW) == pytest.approx(0.5)
    assert evidence_weight(Level.HIGH, Level.HIGH) == pytest.approx(2.0)
    assert evidence_weight(Level.MEDIUM, Level.HIGH) == pytest.approx(math.sqrt(2))
