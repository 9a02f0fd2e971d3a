"""The size of project ACH Workbench supports, and how long one text may be.

Every way into a project (a typed edit, an import, a collected rating sheet,
opening a file) checks against these numbers, so a project that is let in can
also be scored, exported and printed in reasonable time and memory. The
figures are stated in the README; the supported matrix is the largest one
measured to score in seconds and export in minutes on a 2-core machine.
"""

from __future__ import annotations

from workbench.core.errors import BadInput

#: Excel's own limit on the characters in one cell: every text we hold can be exported.
MAX_TEXT_CHARS = 32_767
#: Evidence items in one project.
MAX_EVIDENCE = 100_000
#: Hypotheses in one project (Heuer's matrices have a handful).
MAX_HYPOTHESES = 1_000
#: Cells of one analyst's layer (evidence x hypotheses): 100,000 x 200.
MAX_LAYER_CELLS = 20_000_000
#: Analysts (layers) in one project.
MAX_ANALYSTS = 200
#: Ids are handed out one by one and never reused; a file claiming more is damaged.
MAX_ID = 2**31 - 1


def text_problem(text: str) -> str | None:
    """Why ``text`` may not enter a project, or None."""
    if len(text) > MAX_TEXT_CHARS:
        return f"{len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}"
    return None


def check_text(text: str, where: str) -> None:
    problem = text_problem(text)
    if problem:
        raise BadInput(f"{where}: the text has {problem}")


def size_problem(evidence: int, hypotheses: int, analysts: int) -> str | None:
    """Why a matrix of this size is beyond what is supported, or None."""
    if evidence > MAX_EVIDENCE:
        return f"{evidence:,} evidence items; at most {MAX_EVIDENCE:,} are supported"
    if hypotheses > MAX_HYPOTHESES:
        return f"{hypotheses:,} hypotheses; at most {MAX_HYPOTHESES:,} are supported"
    if evidence * hypotheses > MAX_LAYER_CELLS:
        return (
            f"{evidence:,} x {hypotheses:,} = {evidence * hypotheses:,} cells; at most "
            f"{MAX_LAYER_CELLS:,} (such as 100,000 x 200) are supported"
        )
    if analysts > MAX_ANALYSTS:
        return f"{analysts:,} analysts; at most {MAX_ANALYSTS:,} are supported"
    return None


def check_size(evidence: int, hypotheses: int, analysts: int, where: str) -> None:
    problem = size_problem(evidence, hypotheses, analysts)
    if problem:
        raise BadInput(f"{where}: {problem}")
