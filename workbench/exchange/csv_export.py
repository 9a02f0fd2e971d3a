"""Export the matrix as CSV: the plain form any tool (and our importer) can read.

Header ``ID,Evidence,Credibility,Relevance,H1: <title>,...,Active``; one row per
evidence item with rating codes, weight words and 1/0 for Active (a trailing
column the plain-matrix importer reads, so exclusions survive the round trip).
UTF-8 with a byte-order mark, because Excel otherwise opens UTF-8 as the
local code page and garbles every non-ASCII title; CRLF line ends (RFC 4180).

About CSV injection: a field beginning with ``=``, ``+``, ``-`` or ``@`` is
always quoted, but never altered. The common advice (prefix a ``'``) changes
the analyst's data: a title ``-5% growth`` would come back as ``'-5% growth``
after a round trip. Quoting keeps the file an exact record; it does not stop
a spreadsheet program that is told to open the CSV from evaluating such a
field, so the application offers the .xlsx export (where user text is stored
as text) for opening in Excel, and the CSV for data tools and re-import.
"""

from __future__ import annotations

import os

from workbench.core.analysis import CONSENSUS, LayerKey, layer_codes
from workbench.core.model import Project
from workbench.core.ratings import Rating
from workbench.exchange import workbook_layout as layout
from workbench.exchange.export_layer import layer_description
from workbench.exchange.output_file import replacing

_CODES = [Rating(i).code for i in range(len(Rating))]
#: Leading characters that make a spreadsheet treat a field as a formula (OWASP list).
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTES = (",", '"', "\n", "\r")


def csv_field(value: str) -> str:
    """One field, quoted when it holds a separator, a quote, a line break, outer
    spaces, or begins like a formula; never otherwise changed."""
    if (
        any(ch in value for ch in _NEEDS_QUOTES)
        or value.startswith(_FORMULA_TRIGGERS)
        or value != value.strip()
    ):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_rows(project: Project, layer: LayerKey = CONSENSUS) -> list[list[str]]:
    """The header and the evidence rows, as text."""
    layer_description(project, layer)  # refuses an unknown analyst with a clear message
    codes = layer_codes(project, layer)
    header = list(layout.MATRIX_LEADING_HEADERS)
    header += [layout.hypothesis_header(h.code, h.title) for h in project.hypotheses]
    header.append(layout.ACTIVE_HEADER)
    rows = [header]
    for r, item in enumerate(project.evidence):
        row = [item.code, item.title, item.credibility.label, item.relevance.label]
        row += [_CODES[code] for code in codes[r].tolist()]
        row.append("1" if item.active else "0")
        rows.append(row)
    return rows


def export_csv(project: Project, path: str | os.PathLike[str], layer: LayerKey = CONSENSUS) -> None:
    """Write the matrix of ``layer`` (team consensus by default) to ``path``."""
    lines = (",".join(csv_field(field) for field in row) for row in csv_rows(project, layer))
    with replacing(path) as temp, open(temp, "w", encoding="utf-8-sig", newline="") as out:
        for line in lines:
            out.write(line)
            out.write("\r\n")
