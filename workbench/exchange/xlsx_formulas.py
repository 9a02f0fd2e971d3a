"""The live score formulas under the exported matrix (scoring spec sections 1-3 and 7).

One SUMPRODUCT per score and hypothesis column, built only from array
arithmetic: comparisons turned into numbers by ``+``/``*``, never ``IF`` inside
the array (older Excel evaluates ``IF`` in SUMPRODUCT as a single value unless
array-entered, LibreOffice does not, and the two would then disagree).

For an evidence row with credibility ``c``, relevance ``r``, rating ``x`` and
``Active`` flag ``a`` (0 excluded, anything else or empty scored):

* level weight: ``1 + (c="High")*(SQRT(2)-1) + (c="Low")*(SQRT(0.5)-1)``, so
  High = sqrt(2), Low = 1/sqrt(2) and Medium or blank = 1 (spec 2);
* inconsistency of the rating: ``(x="I") + 2*(x="II")``; consistency:
  ``(x="C") + 2*(x="CC")``; scored: one of CC, C, N, I, II (spec 1). NA, blank
  and anything else count as not scored, as in the workbench.

The comparisons are case-insensitive in both programs, as is the importer.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from workbench.core.ratings import RATING_SCALE, Rating
from workbench.exchange import workbook_layout as layout

NEUTRAL = Rating.N
NOT_APPLICABLE = Rating.NA


def _column(column: int, first_row: int, last_row: int) -> str:
    letter = get_column_letter(column)
    return f"${letter}${first_row}:${letter}${last_row}"


def _level_weight(cells: str) -> str:
    return f'(1+({cells}="High")*(SQRT(2)-1)+({cells}="Low")*(SQRT(0.5)-1))'


def active_term(cells: str) -> str:
    """1 unless the Active cell holds 0: an empty cell counts, as the importer reads it
    (in both programs an empty cell equals 0 and also equals "")."""
    return f'(1-({cells}=0)*({cells}<>""))'


#: (code, weight) of each rating in the three sums, derived from the scale:
#: inconsistency counts I once and II twice, consistency C once and CC twice.
INCONSISTENT_TERMS: tuple[tuple[str, int], ...] = tuple(
    (r.code, -RATING_SCALE.values[r]) for r in RATING_SCALE.scored if RATING_SCALE.values[r] < 0
)
CONSISTENT_TERMS: tuple[tuple[str, int], ...] = tuple(
    (r.code, RATING_SCALE.values[r])
    for r in reversed(RATING_SCALE.scored)
    if RATING_SCALE.values[r] > 0
)
SCORED_TERMS: tuple[tuple[str, int], ...] = tuple((r.code, 1) for r in RATING_SCALE.scored)
#: (code, value squared) of each rating that is not neutral: the diagnosticity's second moment.
SQUARED_TERMS: tuple[tuple[str, int], ...] = tuple(
    (r.code, RATING_SCALE.values[r] ** 2) for r in RATING_SCALE.scored if RATING_SCALE.values[r]
)


def sumproducts(cells: str, factor: str, terms: tuple[tuple[str, int], ...]) -> str:
    """``SUMPRODUCT((cells="I")*factor)+2*SUMPRODUCT((cells="II")*factor)`` for ``terms``."""
    return "+".join(
        ("" if value == 1 else f"{value}*") + f'SUMPRODUCT(({cells}="{code}")*{factor})'
        for code, value in terms
    )


def _count(cells: str, *codes_and_values: tuple[str, int]) -> str:
    terms = [
        f'({cells}="{code}")' if value == 1 else f'{value}*({cells}="{code}")'
        for code, value in codes_and_values
    ]
    return "(" + "+".join(terms) + ")"


def score_formulas(column: int, n_evidence: int, n_hypotheses: int) -> dict[str, str]:
    """Score-row label -> formula for the hypothesis in sheet column ``column``."""
    first = layout.MATRIX_FIRST_EVIDENCE_ROW
    # An empty matrix still sums over its one blank row, which gives 0 everywhere.
    last = first + max(n_evidence, 1) - 1
    ratings = _column(column, first, last)
    active = active_term(_column(layout.active_column(n_hypotheses), first, last))
    weight = (
        f"{_level_weight(_column(layout.CREDIBILITY_COLUMN, first, last))},"
        f"{_level_weight(_column(layout.RELEVANCE_COLUMN, first, last))}"
    )
    inconsistent = _count(ratings, *INCONSISTENT_TERMS)
    consistent = _count(ratings, *CONSISTENT_TERMS)
    scored = _count(ratings, *SCORED_TERMS)
    scored_weight = f"SUMPRODUCT({active},{weight},{scored})"
    weighted_row = layout.first_score_row(n_evidence) + layout.SCORE_ROW_LABELS.index(
        layout.WEIGHTED_INCONSISTENCY_LABEL
    )
    weighted_cell = f"{get_column_letter(column)}{weighted_row}"
    return {
        layout.INCONSISTENCY_LABEL: f"=SUMPRODUCT({active},{inconsistent})",
        layout.WEIGHTED_INCONSISTENCY_LABEL: f"=SUMPRODUCT({active},{weight},{inconsistent})",
        layout.CONSISTENCY_LABEL: f"=SUMPRODUCT({active},{weight},{consistent})",
        layout.NORMALIZED_LABEL: f"=IF({scored_weight}=0,0,{weighted_cell}/{scored_weight})",
    }


def code_formula(column: int) -> str:
    """The hypothesis code above a Matrix header, as a formula of the header itself."""
    header = f"{get_column_letter(column)}{layout.MATRIX_HEADER_ROW}"
    return f'=IFERROR(LEFT({header},FIND(":",{header})-1),"")'


# -- the other sheets: formulas of the Matrix, found by code so sorting is harmless --


def matrix_range(column: int, n_evidence: int) -> str:
    """``Matrix!$C$5:$C$64``: one Matrix column over the evidence rows."""
    first = layout.MATRIX_FIRST_EVIDENCE_ROW
    last = first + max(n_evidence, 1) - 1
    return f"{layout.MATRIX_SHEET}!{_column(column, first, last)}"


def matrix_block(n_evidence: int, n_hypotheses: int) -> str:
    """The rating cells of the Matrix (at least one cell, so formulas stay valid)."""
    first = layout.MATRIX_FIRST_EVIDENCE_ROW
    last = first + max(n_evidence, 1) - 1
    left = get_column_letter(layout.FIRST_HYPOTHESIS_COLUMN)
    right = get_column_letter(layout.FIRST_HYPOTHESIS_COLUMN + max(n_hypotheses, 1) - 1)
    return f"{layout.MATRIX_SHEET}!${left}${first}:${right}${last}"


def matrix_codes_row(n_hypotheses: int) -> str:
    row = layout.MATRIX_CODES_ROW
    left = get_column_letter(layout.FIRST_HYPOTHESIS_COLUMN)
    right = get_column_letter(layout.FIRST_HYPOTHESIS_COLUMN + max(n_hypotheses, 1) - 1)
    return f"{layout.MATRIX_SHEET}!${left}${row}:${right}${row}"


def level_weight(cell: str) -> str:
    return _level_weight(cell)


def row_diagnosticity(ratings: str) -> str:
    """Population std dev of the scored values in ``ratings`` (one row), 0 below two."""
    n = f"SUMPRODUCT({_count(ratings, *SCORED_TERMS)})"
    v = f"SUMPRODUCT({_count(ratings, *CONSISTENT_TERMS)}-{_count(ratings, *INCONSISTENT_TERMS)})"
    v2 = f"SUMPRODUCT({_count(ratings, *SQUARED_TERMS)})"
    return f"IF({n}<2,0,SQRT(MAX(0,{v2}/{n}-({v}/{n})^2)))"


def likelihood_of(ratings: str, likelihood_cells: dict[str, str]) -> str:
    """The likelihood of each rating (NA, blank and anything unscored count as N)."""
    neutral = likelihood_cells[RATING_SCALE.codes[NEUTRAL]]
    terms = [neutral] + [
        f'({ratings}="{r.code}")*({likelihood_cells[r.code]}-{neutral})'
        for r in RATING_SCALE.scored
        if r is not NEUTRAL
    ]
    return "(" + "+".join(terms) + ")"


def log_evidence(column: int, n_evidence: int, n_hypotheses: int, likelihoods: dict) -> str:
    """sum over active e of w(e) * log L(e, h) for the Matrix column ``column``."""
    first = layout.MATRIX_FIRST_EVIDENCE_ROW
    last = first + max(n_evidence, 1) - 1
    ratings = f"{layout.MATRIX_SHEET}!{_column(column, first, last)}"
    active = active_term(matrix_range(layout.active_column(n_hypotheses), n_evidence))
    weight = (
        f"{_level_weight(matrix_range(layout.CREDIBILITY_COLUMN, n_evidence))},"
        f"{_level_weight(matrix_range(layout.RELEVANCE_COLUMN, n_evidence))}"
    )
    return f"SUMPRODUCT({active},{weight},LN({likelihood_of(ratings, likelihoods)}))"


def consensus_formula(row: int, column: int) -> str:
    """The team consensus of one Matrix cell from the Ratings sheet (spec section 5).

    Blank when nobody rated it; NA when more analysts said NA than gave a scored
    rating; otherwise the mean of the scored values rounded to the nearest
    step, halves toward zero. Codes are found by the row's ID and the code row
    above the header, so the formula follows a sort.
    """
    code_e = f"$A{row}"
    code_h = f"{get_column_letter(column)}${layout.MATRIX_CODES_ROW}"
    sheet = layout.RATINGS_SHEET

    def count(code: str) -> str:
        return f'COUNTIFS({sheet}!$A:$A,{code_e},{sheet}!$B:$B,{code_h},{sheet}!$D:$D,"{code}")'

    # Every term comes from the scale: a count per scored code, weighted by its value.
    counts = {r: count(r.code) for r in RATING_SCALE.scored}
    na_code = RATING_SCALE.codes[NOT_APPLICABLE]
    na = count(na_code)
    scored = "(" + "+".join(counts.values()) + ")"
    weighted = "+".join(f"({RATING_SCALE.values[r]})*{c}" for r, c in counts.items())
    mean = f"(({weighted})/{scored})"
    step = f"SIGN({mean})*MAX(0,ROUNDUP(ABS({mean})-0.5,0))"
    # CHOOSE is 1-based: the most inconsistent value maps to 1.
    lowest = min(RATING_SCALE.values.values())
    by_value = sorted(RATING_SCALE.scored, key=lambda r: RATING_SCALE.values[r])
    choices = ",".join(f'"{r.code}"' for r in by_value)
    return (
        f'=IF({scored}+{na}=0,"",IF({na}>{scored},"{na_code}",'
        f"CHOOSE({1 - lowest}+{step},{choices})))"
    )
