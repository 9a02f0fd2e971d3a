"""The live score formulas under the exported matrix (scoring spec sections 1-3 and 7).

One SUMPRODUCT per score and hypothesis column, built only from array
arithmetic: comparisons turned into numbers by ``+``/``*``, never ``IF`` inside
the array (older Excel evaluates ``IF`` in SUMPRODUCT as a single value unless
array-entered, LibreOffice does not, and the two would then disagree).

For an evidence row with credibility ``c``, relevance ``r``, rating ``x`` and
helper ``Active`` flag ``a`` (1 scored, 0 excluded):

* level weight: ``1 + (c="High")*(SQRT(2)-1) + (c="Low")*(SQRT(0.5)-1)``, so
  High = sqrt(2), Low = 1/sqrt(2) and Medium or blank = 1 (spec 2);
* inconsistency of the rating: ``(x="I") + 2*(x="II")``; consistency:
  ``(x="C") + 2*(x="CC")``; scored: one of CC, C, N, I, II (spec 1). NA, blank
  and anything else count as not scored, as in the workbench.

The comparisons are case-insensitive in both programs, as is the importer.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from workbench.core.ratings import RATING_SCALE
from workbench.exchange import workbook_layout as layout


def _column(column: int, first_row: int, last_row: int) -> str:
    letter = get_column_letter(column)
    return f"${letter}${first_row}:${letter}${last_row}"


def _level_weight(cells: str) -> str:
    return f'(1+({cells}="High")*(SQRT(2)-1)+({cells}="Low")*(SQRT(0.5)-1))'


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
    active = _column(layout.active_column(n_hypotheses), first, last)
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
