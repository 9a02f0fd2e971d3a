"""The report as HTML: a self-contained file, and the source of the Qt PDF.

One renderer serves both. It sticks to the HTML Qt's rich-text engine
understands (tables with bgcolor/cellpadding attributes, inline styles,
``page-break-before``) so the PDF looks like the web page. Every piece of
user text goes through :func:`html.escape`: a title may contain ``<``.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import os
import re
from collections.abc import Mapping

from workbench.core import palette as colours
from workbench.core.links import is_safe_link
from workbench.core.ratings import RATING_SCALE, Rating
from workbench.exchange.output_file import replacing
from workbench.reports.content import ReportContent

#: The window's rating palette: code -> (fill, text colour); blank is paper.
RATING_COLOURS: dict[str, tuple[str, str]] = {
    rating.code: (colours.RATING_FILL[rating], ink) for rating, ink in colours.RATING_INK.items()
}
RATING_COLOURS[Rating.BLANK.code] = (colours.WHITE, colours.INK)

#: Above this many hypotheses the report's matrix drops credibility, relevance and date.
COMPACT_MATRIX_HYPOTHESES = 10
#: Width of a rating column in the compact matrix: room for "CC" at 8 pt.
COMPACT_RATING_PX = 24

_STYLE = f"""
body {{ font-family: 'DejaVu Sans', 'Segoe UI', Arial, sans-serif; font-size: 10pt;
       color: {colours.INK}; line-height: 1.35; }}
h1 {{ font-size: 18pt; margin-bottom: 0.2em; }}
h2 {{ font-size: 13pt; margin-top: 1.4em; border-bottom: 1px solid {colours.RULE}; }}
h3 {{ font-size: 11pt; margin-top: 1em; }}
table {{ border-collapse: collapse; }}
th {{ background-color: {colours.HEADER_PAPER}; text-align: left; }}
td.num, th.num {{ text-align: right; }}
p.meta {{ color: {colours.SECONDARY_INK}; font-size: 9pt; }}
p.question {{ font-size: 11pt; }}
p.note {{ color: {colours.NOTE_INK}; font-size: 9pt; }}
span.muted {{ color: {colours.MUTED_INK}; }}
"""
_RULE = colours.RULE
_HEAD = colours.HEADER_PAPER


#: Only for browsers: Qt would turn the auto margins into an indent on every block.
_WEB_STYLE = (
    "body { max-width: 60em; margin: 1.5em auto; padding: 0 1em; }"
    # A printed page repeats the marking at its top and bottom.
    "@media print { .marking-top { position: fixed; top: 0; left: 0; right: 0; }"
    " .marking-bottom { position: fixed; bottom: 0; left: 0; right: 0; } }"
)
_MARKING_STYLE = ".marking { text-align: center; font-weight: bold; letter-spacing: 0.05em; }"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(
    headers: list[str],
    rows: list[list[str]],
    numeric: set[int] | None = None,
    widths: list[int] | None = None,
) -> str:
    """A table; cells are already-escaped HTML; ``widths`` in percent (0: automatic)."""
    numeric = numeric or set()
    out = [
        '<table border="1" cellspacing="0" cellpadding="3" width="100%" '
        f'style="border-color: {_RULE};">',
        "<tr>",
    ]
    for k, head in enumerate(headers):
        align = ' class="num" align="right"' if k in numeric else ""
        width = f' width="{widths[k]}%"' if widths and widths[k] else ""
        out.append(f'<th bgcolor="{_HEAD}"{align}{width}>{_e(head)}</th>')
    out.append("</tr>")
    for row in rows:
        out.append("<tr>")
        for k, cell in enumerate(row):
            align = ' class="num" align="right" nowrap' if k in numeric else ""
            # Qt's rich text takes column widths from the cells, not only the header.
            width = f' width="{widths[k]}%"' if widths and widths[k] else ""
            out.append(f"<td{align}{width}>{cell}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


@dataclasses.dataclass(frozen=True)
class ChartImage:
    """Where a chart's image is (a data URI or a Qt resource name) and its size in px."""

    src: str
    width: int
    height: int


def _image(sources: Mapping[str, ChartImage], name: str, alt: str) -> str:
    if name not in sources:
        return ""
    chart = sources[name]
    return (
        f'<p align="center" style="line-height: 100%;"><img src="{_e(chart.src)}" alt="{_e(alt)}" '
        f'width="{chart.width}" height="{chart.height}"></p>'
    )


def _page_break(print_layout: bool) -> str:
    return '<p style="page-break-before: always; margin: 0;"></p>' if print_layout else ""


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def render_html(
    content: ReportContent, image_sources: Mapping[str, ChartImage], *, print_layout: bool = False
) -> str:
    """The report as one HTML document; ``image_sources`` maps chart name -> image."""
    c = content
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(c.title)} - ACH report</title>",
        f"<style>{_STYLE}{_MARKING_STYLE}{'' if print_layout else _WEB_STYLE}</style></head><body>",
    ]
    # In the PDF the marking is painted on every page instead (reports/pdf.py).
    banner = c.classification and not print_layout
    if banner:
        parts.append(f'<p class="marking marking-top">{_e(c.classification)}</p>')
    parts.append(f"<h1>{_e(c.title)}</h1>")
    if c.question:
        parts.append(f'<p class="question"><b>Key question:</b> {_e(c.question)}</p>')
    if c.time_horizon:
        parts.append(f'<p class="question"><b>Time horizon:</b> {_e(c.time_horizon)}</p>')
    if c.description:
        parts.append(f"<p>{_e(c.description)}</p>")
    parts.append(
        f'<p class="meta">{_e(c.layer_note)} &middot; generated {_e(c.generated)} '
        f"&middot; ACH Workbench {_e(c.app_version)}</p>"
    )
    parts += _hypotheses(c, image_sources)
    parts += _sensitivity(c, image_sources)
    parts += _lead_basis(c)
    parts.append(_page_break(print_layout))
    parts += _matrix(c)
    parts += _diagnostic(c)
    parts += _team(c)
    parts.append(_page_break(print_layout))
    parts += _timeline(c, image_sources)
    parts += _milestones(c)
    parts += _notes(c)
    parts += _sources(c)
    parts.append(
        f'<p class="meta">Report of &ldquo;{_e(c.title)}&rdquo; generated {_e(c.generated)} '
        f"by ACH Workbench {_e(c.app_version)}. Scores follow the workbench's scoring "
        "specification: lower weighted inconsistency means more likely.</p>"
    )
    if banner:
        parts.append(f'<p class="marking marking-bottom">{_e(c.classification)}</p>')
    parts.append("</body></html>")
    return "\n".join(p for p in parts if p)


def _hypotheses(c: ReportContent, images: Mapping[str, ChartImage]) -> list[str]:
    rows = [
        [
            str(h.rank),
            f"<b>{_e(h.code)}</b>",
            _e(h.title),
            f"{h.weighted_inconsistency:.2f}",
            f"{h.inconsistency:.0f}",
            f"{h.consistency:.2f}",
            f"{h.normalized:.3f}",
            f"{h.prior:.3f}",
            f"{h.posterior:.3f}",
        ]
        for h in c.ranked
    ]
    out = [
        "<h2>Hypotheses ranked</h2>",
        "<p>Ranked by weighted inconsistency (lowest first): Heuer's ACH keeps the "
        "hypothesis with the least evidence against it, not the most for it.</p>",
        _table(
            [
                "Rank",
                "Code",
                "Hypothesis",
                "Weighted incons.",
                "Incons.",
                "Consist.",
                "Norm.",
                "Prior",
                "Posterior",
            ],
            rows,
            numeric={0, 3, 4, 5, 6, 7, 8},
            widths=[7, 7, 25, 12, 9, 11, 8, 8, 13],
        ),
        _image(images, "posterior", "Posterior probability per hypothesis"),
        f'<p class="note"><b>About the posterior.</b> {_e(c.bayes_note)}</p>',
    ]
    if c.bayes_warning:
        out.append(f'<p class="note"><b>{_e(c.bayes_warning)}</b></p>')
    return out


def _sensitivity(c: ReportContent, images: Mapping[str, ChartImage]) -> list[str]:
    out = ["<h2>Sensitivity</h2>", _list([_e(s) for s in c.sensitivity_summary])]
    out.append(_image(images, "tornado", "Change in the leader's lead when each item is excluded"))
    out.append(
        '<p class="note">Each bar: how far excluding one item moves the leader\'s lead '
        "in weighted inconsistency over the next-best hypothesis (left: the lead "
        "narrows). Dark red bars change the leader.</p>"
    )
    if c.linchpins:
        out.append("<h3>Linchpins</h3>")
        out.append(
            _table(
                ["ID", "Evidence", "Why"],
                [[f"<b>{_e(x.code)}</b>", _e(x.title), _e(x.detail)] for x in c.linchpins],
                widths=[8, 46, 46],
            )
        )
    if c.change_my_mind:
        out.append("<h3>What would change my mind</h3>")
        out.append(f"<p>{_e(c.change_my_mind[0])}</p>")
        if len(c.change_my_mind) > 1:
            out.append(_list([_e(x) for x in c.change_my_mind[1:]]))
    return out


def _lead_basis(c: ReportContent) -> list[str]:
    found = c.lead_basis
    if not found.rows:
        return []
    return [
        "<h2>What the lead rests on</h2>",
        f"<p>{_e(found.notes[0])}</p>",
        _table(
            ["Counted", "Leader", "Runner-up", "Lead"],
            [[_e(r.reading), _e(r.leader), _e(r.runner_up), f"{r.margin:.2f}"] for r in found.rows],
            numeric={3},
            widths=[28, 30, 30, 12],
        ),
        _list([_e(x) for x in found.notes[1:]]),
    ]


def _notes(c: ReportContent) -> list[str]:
    paragraphs = [" ".join(p.split()) for p in c.notes.split("\n\n") if p.strip()]
    if not paragraphs:
        return []
    return ["<h2>Notes</h2>", *(f"<p>{_e(p)}</p>" for p in paragraphs)]


def _rating_cell(code: str, active: bool) -> str:
    fill, ink = RATING_COLOURS.get(code, RATING_COLOURS[""])
    if not active:
        fill, ink = colours.HEADER_PAPER, colours.EXCLUDED_INK
    return (
        f'<td bgcolor="{fill}" align="center" nowrap style="background-color: {fill}; '
        f'color: {ink};"><span style="color: {ink};">{_e(code)}</span></td>'
    )


def _matrix(c: ReportContent) -> list[str]:
    legend = " ".join(
        f'<span style="background-color: {RATING_COLOURS[r.code][0]}; '
        f'color: {RATING_COLOURS[r.code][1]};">&nbsp;{r.code}&nbsp;</span> {_e(r.label)}'
        for r in RATING_SCALE.choices
    )
    # With many hypotheses the weights and dates give way to the title, which
    # would otherwise wrap one word per line.
    compact = len(c.hypothesis_columns) > COMPACT_MATRIX_HYPOTHESES
    id_width = "52" if compact else "7%"
    head = [
        '<table border="1" cellspacing="0" cellpadding="2" width="100%" '
        f'style="border-color: {_RULE}; font-size: 8pt;"><tr>',
        f'<th bgcolor="{_HEAD}" width="{id_width}" nowrap>ID</th>'
        f'<th bgcolor="{_HEAD}">Evidence</th>',
    ]
    if not compact:
        head.append(
            f'<th bgcolor="{_HEAD}" width="8%">Cred.</th><th bgcolor="{_HEAD}" width="8%">Rel.</th>'
            f'<th bgcolor="{_HEAD}" width="10%">Date</th>'
        )
    # Compact: fixed-width rating columns (Qt shares out percentages badly when
    # they add up to most of the page), the title takes what is left.
    share = (
        f' width="{COMPACT_RATING_PX}"'
        if compact
        else f' width="{max(3, min(6, 36 // len(c.hypothesis_columns)))}%"'
    )
    for code, title in c.hypothesis_columns:
        head.append(
            f'<th bgcolor="{_HEAD}" align="center"{share} nowrap '
            f'title="{_e(title)}">{_e(code)}</th>'
        )
    head.append("</tr>")
    body = []
    for row in c.matrix:
        mark = " &#9873;" if row.linchpin else ""
        title = (
            _e(row.title)
            if row.active
            else f'<span class="muted">{_e(row.title)} (excluded)</span>'
        )
        details = (
            ""
            if compact
            else f"<td>{_e(row.credibility)}</td><td>{_e(row.relevance)}</td>"
            f"<td>{_e(row.date)}</td>"
        )
        body.append(
            f"<tr><td><b>{_e(row.code)}</b>{mark}</td><td>{title}</td>{details}"
            + "".join(_rating_cell(code, row.active) for code in row.ratings)
            + "</tr>"
        )
    keys = "; ".join(f"{_e(code)}: {_e(title)}" for code, title in c.hypothesis_columns)
    note = (
        "Excluded items are greyed and do not count." if any(not r.active for r in c.matrix) else ""
    )
    flag = " &#9873; marks a linchpin." if any(r.linchpin for r in c.matrix) else ""
    if compact:
        flag += " Credibility, relevance and dates are in the Excel export."
    if len(c.matrix) < c.matrix_total:
        flag += (
            f" Showing {len(c.matrix)} of {c.matrix_total} items: every linchpin and the most "
            "diagnostic, in matrix order; the Excel export has the full matrix."
        )
    return [
        "<h2>The matrix</h2>",
        f'<p class="note">{legend}</p>',
        f'<p class="note">{keys}. {note}{flag}</p>',
        "".join(head + body) + "</table>",
    ]


def _diagnostic(c: ReportContent) -> list[str]:
    out = ["<h2>Diagnostic evidence</h2>"]
    if c.diagnostic:
        out.append(
            "<p>The items that best tell the hypotheses apart (weighted "
            "diagnosticity: the spread of an item's ratings across the hypotheses, "
            "times its weight).</p>"
        )
        out.append(
            _table(
                ["ID", "Evidence", "Weighted diagnosticity"],
                [[f"<b>{_e(x.code)}</b>", _e(x.title), _e(x.detail)] for x in c.diagnostic],
                numeric={2},
                widths=[8, 72, 20],
            )
        )
    else:
        out.append("<p>No active item tells the hypotheses apart yet.</p>")
    if c.non_diagnostic:
        codes = ", ".join(_e(x.code) for x in c.non_diagnostic)
        out.append(
            f"<p>Non-diagnostic (rated alike for every hypothesis, so they do not "
            f"help choose): {codes}.</p>"
        )
    return out


def _team(c: ReportContent) -> list[str]:
    """Where the analysts differed, what was set by hand, and why (team consensus only)."""
    team = c.team
    if team is None:
        return []
    out = ["<h2>The team</h2>", f"<p>{_e(team.summary)}</p>"]
    if team.disagreements:
        out.append("<h3>Where the analysts differ</h3>")
        out.append(
            _table(
                ["Cell", "Disputed", "Spread", "Team", *team.analysts],
                [
                    [
                        f"<b>{_e(row.cell)}</b>",
                        "yes" if row.disputed else "",
                        row.spread,
                        _e(row.consensus),
                        *(_e(r) for r in row.ratings),
                    ]
                    for row in team.disagreements
                ],
                numeric={2},
            )
        )
        if team.disagreements_total > len(team.disagreements):
            rest = team.disagreements_total - len(team.disagreements)
            out.append(f"<p>... and {rest} more, less important, cells rated differently.</p>")
    if team.hand_set:
        out.append("<h3>Consensus set by hand</h3>")
        out.append(
            _table(
                ["Cell", "Set to", "Rule gave", "Facilitator's note"],
                [
                    [f"<b>{_e(h.cell)}</b>", _e(h.rating), _e(h.computed), _e(h.note)]
                    for h in team.hand_set
                ],
                widths=[14, 10, 12, 64],
            )
        )
    if team.reasons:
        out.append("<h3>Reasons behind the disputed cells</h3>")
        out.append(
            _table(
                ["Cell", "Analyst", "Rating", "Rationale"],
                [
                    [f"<b>{_e(r.cell)}</b>", _e(r.analyst), _e(r.rating), _e(r.rationale)]
                    for r in team.reasons
                ],
                widths=[14, 16, 10, 60],
            )
        )
    return out


def _timeline(c: ReportContent, images: Mapping[str, ChartImage]) -> list[str]:
    out = [
        "<h2>Evidence timeline</h2>",
        f"<p>{_e(c.timeline_note)}</p>",
        _image(images, "timeline", "Weighted inconsistency accumulated by date"),
    ]
    if c.undated:
        out.append("<h3>Undated evidence</h3>")
        out.append(_list([f"<b>{_e(x.code)}</b> {_e(x.title)}" for x in c.undated]))
        if c.undated_total > len(c.undated):
            out.append(f"<p>... and {c.undated_total - len(c.undated)} more undated items.</p>")
    return out


def _milestones(c: ReportContent) -> list[str]:
    out = ["<h2>Milestones</h2>"]
    if not c.milestones:
        return [*out, "<p>No milestones have been set.</p>"]
    out.append("<p>Indicators to watch: what each hypothesis leads us to expect, and by when.</p>")
    out.append(
        _table(
            ["Hyp.", "Indicator", "Expected by", "Status", "Note"],
            [
                [
                    f"<b>{_e(m.hypothesis)}</b>",
                    _e(m.indicator),
                    _e(m.expected_by),
                    _e(m.status),
                    _e(m.note),
                ]
                for m in c.milestones
            ],
            widths=[7, 37, 12, 15, 29],
        )
    )
    return out


def _sources(c: ReportContent) -> list[str]:
    if not c.sources:
        return []
    items = []
    for s in c.sources:
        link = ""
        if s.link:
            # Only safe schemes become clickable; anything else stays readable as text.
            shown = _e(s.link)
            link = f' <a href="{shown}">{shown}</a>' if is_safe_link(s.link) else f" {shown}"
        cited = (
            f' <span class="muted">(cited by {_e(", ".join(s.cited_by))})</span>'
            if s.cited_by
            else ""
        )
        items.append(f"<b>{_e(s.citation)}</b>: {_e(s.reference)}.{link}{cited}")
    return ["<h2>Sources</h2>", _list(items)]


def svg_size(svg: bytes) -> tuple[int, int]:
    """Width and height from the opening tag of an SVG written by reports/svg.py."""
    head = svg[: svg.index(b">")].decode("utf-8")
    width = re.search(r'width="(\d+)"', head)
    height = re.search(r'height="(\d+)"', head)
    if not head.startswith("<svg") or width is None or height is None:
        raise ValueError("not an SVG chart")
    return int(width.group(1)), int(height.group(1))


def png_size(png: bytes) -> tuple[int, int]:
    """Pixel width and height from a PNG's header (IHDR), without an image library."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def chart_image(src: str, image: bytes, scale: int = 2) -> ChartImage:
    """A chart shown at its logical size: a PNG painted at ``scale`` x, or an SVG."""
    if image.startswith(b"<svg"):
        return ChartImage(src, *svg_size(image))
    width, height = png_size(image)
    return ChartImage(src, width // scale, height // scale)


def data_uri(image: bytes) -> str:
    kind = "svg+xml" if image.startswith(b"<svg") else "png"
    return f"data:image/{kind};base64," + base64.b64encode(image).decode("ascii")


def write_html(
    content: ReportContent, charts: Mapping[str, bytes], path: str | os.PathLike[str]
) -> None:
    """Write a self-contained HTML report (charts, SVG or PNG, inlined), replacing ``path``
    when done."""
    text = render_html(
        content, {name: chart_image(data_uri(png), png) for name, png in charts.items()}
    )
    with replacing(path) as temp:
        temp.write_text(text, encoding="utf-8")
