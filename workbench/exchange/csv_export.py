"""Export the matrix as CSV: the plain form any tool (and our importer) can read.

Header ``ID,Evidence,Credibility,Relevance,H1: <title>,...,Active``; one row per
evidence item with rating codes, weight words and 1/0 for Active (a trailing
column the plain-matrix importer reads, so exclusions survive the round trip).
UTF-8 with a byte-order mark, because Excel otherwise opens UTF-8 as the
local code page and garbles every non-ASCII title; CRLF line ends (RFC 4180).

The CSV carries ONE layer's matrix (the team consensus, or one analyst's with
``--analyst``): titles, weights, ratings and Active. Descriptions, sources,
other analysts, rationales and the classification marking travel in the .xlsx
and .json forms.

CSV injection: a field beginning with ``=``, ``+``, ``-``, ``@``, tab or
carriage return would be run as a formula (or read as a number) by Excel and
LibreOffice opening the file with their default options. Such a field is
written with a leading apostrophe (``'=1+2``), which both programs show as
text. The importer removes it again (:func:`unescape_field`), and a field that
itself begins with an apostrophe followed by one of those characters or by a
second apostrophe gets one more, so every string comes back exactly.
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
#: Shown by spreadsheets as the start of text; removed again on import.
ESCAPE = "'"


def escape_field(value: str) -> str:
    """``=1+2`` -> ``'=1+2``; ``'=x`` -> ``''=x``; anything else unchanged."""
    if value.startswith(_FORMULA_TRIGGERS) or (
        value.startswith(ESCAPE) and value[1:2] in (*_FORMULA_TRIGGERS, ESCAPE)
    ):
        return ESCAPE + value
    return value


def unescape_field(value: str) -> str:
    """The inverse of :func:`escape_field`."""
    if value.startswith(ESCAPE) and value[1:2] in (*_FORMULA_TRIGGERS, ESCAPE):
        return value[1:]
    return value


def csv_field(value: str) -> str:
    """One field, escaped if it begins like a formula, then quoted when it holds a
    separator, a quote, a line break or outer spaces."""
    value = escape_field(value)
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
