"""The report as structured content, built from the core and free of layout.

The HTML writer and the Qt PDF writer both render this one object, so the two
formats say the same things, and the sensitivity sentences here are also what
``workbench sensitivity`` prints. Charts are not drawn here (that needs Qt):
the caller passes PNG bytes keyed by :data:`CHARTS`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from workbench.core.analysis import CONSENSUS, LayerKey, layer_codes
from workbench.core.dates import PartialDate
from workbench.core.model import Evidence, Project
from workbench.core.plurals import counted
from workbench.core.ratings import Rating
from workbench.core.scoring import MatrixScores, score
from workbench.core.sensitivity import SensitivityResult, sensitivity
from workbench.core.timeline import Timeline, project_timeline
from workbench.exchange.export_layer import layer_description
from workbench.reports.basis import LeadBasis, basis
from workbench.reports.team import TeamSection, team_section

#: Chart names the renderers expect, in the order they appear.
CHARTS = ("posterior", "tornado", "timeline")

_SHORT_LEVEL = {"Low": "Low", "Medium": "Med", "High": "High"}

#: Matrix rows a report shows: beyond this a printed matrix stops being read
#: (2,000 rows is 400 pages); the Excel export carries the full matrix.
MATRIX_LIMIT = 300

#: Undated items listed by name under the timeline.
UNDATED_LIMIT = 40

#: Linchpins detailed in the report's table (all are counted in the summary).
LINCHPIN_TABLE_LIMIT = 40

#: How many items the diagnostic-evidence list shows.
TOP_DIAGNOSTIC = 10

BAYES_NOTE = (
    "The posterior is a Bayesian reading of the same matrix. It treats each rating as a "
    "likelihood (by default Very consistent 0.95, Consistent 0.80, Neutral 0.50, "
    "Inconsistent 0.20, Very inconsistent 0.05), multiplies them over the active evidence "
    "with each item's weight as an exponent (an item of weight 2 counts as if seen twice), "
    "and starts from the priors; unrated and not-applicable cells count as neutral. That "
    "assumes the evidence items are independent of one another given each hypothesis and "
    "that the likelihoods are calibrated probabilities. Distrust it when items repeat one "
    "another or come from the same source: every copy multiplies in again, and with a few "
    "dozen items the posteriors are pushed to 0 or 1 whatever the real uncertainty. Read it "
    "as the direction the evidence points, not as a probability; the inconsistency scores "
    "remain the ACH result."
)


@dataclasses.dataclass(frozen=True)
class RankedHypothesis:
    rank: int
    code: str
    title: str
    weighted_inconsistency: float
    inconsistency: float
    consistency: float
    normalized: float
    prior: float
    posterior: float


@dataclasses.dataclass(frozen=True)
class MatrixRow:
    code: str
    title: str
    credibility: str
    relevance: str
    date: str
    #: Rating codes in hypothesis (column) order; "" for blank.
    ratings: tuple[str, ...]
    active: bool
    linchpin: bool


@dataclasses.dataclass(frozen=True)
class EvidenceLine:
    """An evidence item named in a list: code, title and a figure or reason."""

    code: str
    title: str
    detail: str = ""


@dataclasses.dataclass(frozen=True)
class MilestoneLine:
    hypothesis: str
    indicator: str
    expected_by: str
    status: str
    note: str


@dataclasses.dataclass(frozen=True)
class SourceLine:
    citation: str
    reference: str
    link: str
    cited_by: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class ReportContent:
    title: str
    question: str
    description: str
    layer_note: str
    generated: str
    app_version: str
    hypothesis_columns: tuple[tuple[str, str], ...]
    ranked: tuple[RankedHypothesis, ...]
    matrix: tuple[MatrixRow, ...]
    #: Evidence items in the project (more than len(matrix) when the matrix is cut).
    matrix_total: int
    diagnostic: tuple[EvidenceLine, ...]
    non_diagnostic: tuple[EvidenceLine, ...]
    sensitivity_summary: tuple[str, ...]
    linchpins: tuple[EvidenceLine, ...]
    change_my_mind: tuple[str, ...]
    bayes_note: str
    bayes_warning: str
    timeline_note: str
    undated: tuple[EvidenceLine, ...]
    #: Active undated items in all (the list stops at UNDATED_LIMIT).
    undated_total: int
    milestones: tuple[MilestoneLine, ...]
    sources: tuple[SourceLine, ...]
    #: The ranking with and without the conclusions and assumptions.
    lead_basis: LeadBasis = LeadBasis((), ())
    time_horizon: str = ""
    #: The project's own notes (method, gaps, what changed), printed at the end.
    notes: str = ""
    #: The project's classification marking, printed at the top and bottom of every page.
    classification: str = ""
    #: The team's disagreements, hand-set cells and disputed reasons (team consensus only).
    team: TeamSection | None = None


@dataclasses.dataclass(frozen=True)
class Analysis:
    """Everything computed for one layer: the report and the charts draw from it."""

    codes: np.ndarray
    scores: MatrixScores
    sensitivity: SensitivityResult
    timeline: Timeline


def analyse(project: Project, layer: LayerKey = CONSENSUS) -> Analysis:
    codes = layer_codes(project, layer)
    weights, active = project.weights(), project.active_mask()
    return Analysis(
        codes=codes,
        scores=score(codes, weights, active, project.priors(), project.likelihoods),
        sensitivity=sensitivity(codes, weights, active),
        timeline=project_timeline(project, codes),
    )


def effective_priors(project: Project) -> np.ndarray:
    """The priors the posterior starts from, normalised as the scorer uses them."""
    n = len(project.hypotheses)
    given = project.priors()
    if given is None:
        return np.full(n, 1.0 / n) if n else np.zeros(0)
    total = given.sum()
    return given / total if total > 0 else given


# -- sentences --------------------------------------------------------------------


def _h(project: Project, column: int) -> str:
    return project.hypotheses[column].code if column >= 0 else "none"


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def _some(items: list[str], limit: int = 12) -> str:
    """A readable list: the first ``limit`` items, then how many more."""
    if len(items) <= limit:
        return ", ".join(items)
    return f"{', '.join(items[:limit])} and {len(items) - limit} more"


def sensitivity_sentences(project: Project, result: SensitivityResult) -> list[str]:
    """Plain sentences on how firm the lead is (report section and CLI summary)."""
    if result.leader < 0:
        return ["There are no hypotheses to rank."]
    leader = project.hypotheses[result.leader]
    if result.runner_up < 0:
        return [f"{leader.code} ({leader.title}) is the only hypothesis."]
    runner = project.hypotheses[result.runner_up]
    lines = [
        f"{leader.code} ({leader.title}) leads; the runner-up is {runner.code} "
        f"({runner.title}), {_fmt(result.margin)} higher in weighted inconsistency."
    ]
    if result.margin == 0:
        lines.append(
            "The two are tied on weighted inconsistency; the spec's tie-breaks "
            "(consistency, then inconsistency, then order) decide."
        )
    changes = result.flips_leader_when_excluded()
    if result.excluded_rows.size:
        if changes.any():
            who = _some(
                [
                    f"{project.evidence[int(r)].code} (then {_h(project, int(new))})"
                    for r, new in zip(
                        result.excluded_rows[changes], result.excluded_leader[changes], strict=True
                    )
                ]
            )
            lines.append(f"Excluding any one of these items changes the leader: {who}.")
        else:
            lines.append(
                f"No single item's exclusion changes the leader "
                f"({counted(result.excluded_rows.size, 'item')} tried)."
            )
        lead = result.excluded_lead
        worst = int(np.argmin(lead))
        without = project.evidence[int(result.excluded_rows[worst])].code
        if lead[worst] > 0:
            lines.append(
                f"The narrowest lead after excluding one item: {_fmt(float(lead[worst]))} "
                f"(without {without})."
            )
        elif lead[worst] == 0:
            lines.append(
                f"Without {without}, {leader.code} would be level on weighted "
                f"inconsistency with the next hypothesis."
            )
        else:
            lines.append(
                f"Without {without}, {leader.code} would trail the next hypothesis by "
                f"{_fmt(float(-lead[worst]))} in weighted inconsistency."
            )
    flips = (result.toward_consistent_leader != result.leader) | (
        result.toward_inconsistent_leader != result.leader
    )
    if flips.any():
        # dict.fromkeys: one mention per cell, in matrix order.
        cells = list(
            dict.fromkeys(
                f"{project.evidence[int(r)].code} x {project.hypotheses[int(c)].code}"
                for r, c in zip(result.cell_rows[flips], result.cell_columns[flips], strict=True)
            )
        )
        lines.append(f"One rating step in any of these cells changes the leader: {_some(cells)}.")
    else:
        lines.append("No single one-step change of a rating changes the leader.")
    if result.linchpins.size:
        codes = _some([project.evidence[int(r)].code for r in result.linchpins], 40)
        lines.append(f"Linchpins (the leader rests on them): {codes}.")
    else:
        lines.append(
            "There are no linchpins: the leader survives every single exclusion "
            "and one-step change."
        )
    return lines


def change_my_mind_lines(project: Project, result: SensitivityResult) -> list[str]:
    if result.runner_up < 0:
        return []
    runner = project.hypotheses[result.runner_up].code
    if result.change_my_mind is None:
        return [
            f"No set of re-ratings of the cells that count against a hypothesis makes "
            f"{runner} the leader."
        ]
    steps = sum(c.steps for c in result.change_my_mind)
    lines = [
        f"{runner} would lead after {'this' if steps == 1 else 'these'} "
        f"{counted(steps, 'one-step change')} ({counted(len(result.change_my_mind), 'cell')}):"
    ]
    for c in result.change_my_mind:
        item = project.evidence[c.row]
        lines.append(
            f"{item.code} x {project.hypotheses[c.column].code}: "
            f"{c.before.code} -> {c.after.code} ({item.title})"
        )
    return lines


def sensitivity_summary(project: Project, result: SensitivityResult) -> str:
    """What ``workbench sensitivity`` prints."""
    lines = [project.title, ""]
    lines += sensitivity_sentences(project, result)
    lead = result.lead_change_when_excluded
    if result.excluded_rows.size and result.runner_up >= 0:
        lines += ["", "Items that move the lead most when excluded (change in the lead):"]
        flips = result.flips_leader_when_excluded()
        moving = [
            k for k in np.argsort(-np.abs(lead), kind="stable").tolist() if lead[k] != 0 or flips[k]
        ]
        for k in moving[:10]:
            item = project.evidence[int(result.excluded_rows[k])]
            flag = "  <- changes the leader" if flips[k] else ""
            lines.append(f"  {item.code:<6} {lead[k]:+7.2f}  {item.title}{flag}")
    mind = change_my_mind_lines(project, result)
    if mind:
        lines += ["", "What would change my mind:", mind[0], *(f"  {x}" for x in mind[1:])]
    return "\n".join(lines)


# -- the report -----------------------------------------------------------------------


def build_report(
    project: Project,
    layer: LayerKey = CONSENSUS,
    *,
    app_version: str,
    annotate: PartialDate | None = None,
    generated: dt.datetime | None = None,
    analysis: Analysis | None = None,
    matrix_limit: int = MATRIX_LIMIT,
) -> ReportContent:
    layer_note, _ = layer_description(project, layer)
    analysis = analysis or analyse(project, layer)
    scores, result = analysis.scores, analysis.sensitivity
    priors = effective_priors(project)
    ranked = tuple(
        RankedHypothesis(
            rank=int(scores.rank[j]),
            code=project.hypotheses[j].code,
            title=project.hypotheses[j].title,
            weighted_inconsistency=float(scores.weighted_inconsistency[j]),
            inconsistency=float(scores.inconsistency[j]),
            consistency=float(scores.consistency[j]),
            normalized=float(scores.normalized[j]),
            prior=float(priors[j]),
            posterior=float(scores.posterior[j]),
        )
        for j in scores.order()
    )
    linchpin_rows = set(result.linchpins.tolist())
    matrix = tuple(
        MatrixRow(
            code=e.code,
            title=e.title,
            credibility=_SHORT_LEVEL[e.credibility.label],
            relevance=_SHORT_LEVEL[e.relevance.label],
            date=str(e.date) if e.date else "",
            ratings=tuple(Rating(int(x)).code for x in analysis.codes[i]),
            active=e.active,
            linchpin=i in linchpin_rows,
        )
        for i, e in _matrix_rows(project, scores, linchpin_rows, matrix_limit)
    )
    active_rows = [i for i, e in enumerate(project.evidence) if e.active]
    by_diag = sorted(active_rows, key=lambda i: -scores.weighted_diagnosticity[i])
    diagnostic = tuple(
        EvidenceLine(
            project.evidence[i].code,
            project.evidence[i].title,
            f"{scores.weighted_diagnosticity[i]:.2f}",
        )
        for i in by_diag[:TOP_DIAGNOSTIC]
        if scores.weighted_diagnosticity[i] > 0
    )
    non_diagnostic = tuple(
        EvidenceLine(project.evidence[i].code, project.evidence[i].title)
        for i in active_rows
        if scores.diagnosticity[i] == 0
    )
    reasons = linchpin_reasons(project, result)
    return ReportContent(
        classification=" ".join(project.classification.split()),
        title=project.title,
        question=project.question,
        description=project.description,
        layer_note=layer_note,
        generated=(generated or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        app_version=app_version,
        hypothesis_columns=tuple((h.code, h.title) for h in project.hypotheses),
        ranked=ranked,
        matrix=matrix,
        matrix_total=len(project.evidence),
        diagnostic=diagnostic,
        non_diagnostic=non_diagnostic,
        sensitivity_summary=tuple(sensitivity_sentences(project, result)),
        # The table names the linchpins a reader can act on; the CLI's JSON lists all.
        linchpins=tuple(
            EvidenceLine(project.evidence[r].code, project.evidence[r].title, reasons[r])
            for r in result.linchpins.tolist()[:LINCHPIN_TABLE_LIMIT]
        ),
        change_my_mind=tuple(change_my_mind_lines(project, result)),
        bayes_note=BAYES_NOTE,
        bayes_warning=bayes_warning(project, scores),
        timeline_note=_timeline_note(project, analysis.timeline, annotate),
        undated=tuple(
            EvidenceLine(project.evidence[i].code, project.evidence[i].title)
            for i in analysis.timeline.undated_rows.tolist()[:UNDATED_LIMIT]
        ),
        undated_total=int(analysis.timeline.undated_rows.size),
        milestones=_milestones(project),
        sources=_sources(project),
        lead_basis=basis(project, layer),
        time_horizon=project.time_horizon,
        notes=project.notes,
        team=team_section(project, layer),
    )


def _matrix_rows(
    project: Project, scores: MatrixScores, linchpins: set[int], limit: int
) -> list[tuple[int, Evidence]]:
    """Every row, or past ``limit`` the linchpins and the most diagnostic, in matrix order."""
    if len(project.evidence) <= limit:
        return list(enumerate(project.evidence))
    by_diagnosticity = np.argsort(-scores.weighted_diagnosticity, kind="stable").tolist()
    chosen = set(sorted(linchpins)[:limit])
    for row in by_diagnosticity:
        if len(chosen) >= limit:
            break
        chosen.add(row)
    return [(i, project.evidence[i]) for i in sorted(chosen)]


def bayes_warning(project: Project, scores: MatrixScores) -> str:
    """A sentence when the posterior has gone to an extreme (often the case)."""
    if not project.hypotheses or scores.posterior.size == 0:
        return ""
    top = int(np.argmax(scores.posterior))
    if scores.posterior[top] < 0.99:
        return ""
    count = int(project.active_mask().sum())
    return (
        f"Here {project.hypotheses[top].code} is at {scores.posterior[top]:.3f} from "
        f"{count} active items: a sign of how many items multiply in, not of certainty."
    )


def linchpin_reasons(project: Project, result: SensitivityResult) -> dict[int, str]:
    """Why each linchpin is one, in words.

    The what-ifs that change the leader are found with numpy over every item
    and cell at once; only those (a handful) are turned into text, so a
    10,000 x 50 matrix costs no Python loop over its cells.
    """
    reasons: dict[int, list[str]] = {}
    excluded = np.flatnonzero(result.excluded_leader != result.leader)
    for k in excluded.tolist():
        reasons.setdefault(int(result.excluded_rows[k]), []).append(
            f"excluding it makes {_h(project, int(result.excluded_leader[k]))} the leader"
        )
    moves = (
        ("more consistent", result.toward_consistent_leader),
        ("less consistent", result.toward_inconsistent_leader),
    )
    # Cell by cell, more consistent before less consistent, as the matrix reads.
    hits = np.concatenate(
        [np.flatnonzero(leaders != result.leader) * 2 + m for m, (_, leaders) in enumerate(moves)]
    )
    for key in np.sort(hits).tolist():
        k, m = divmod(key, 2)
        moved, leaders = moves[m]
        row, col = int(result.cell_rows[k]), int(result.cell_columns[k])
        reasons.setdefault(row, []).append(
            f"one step {moved} for {project.hypotheses[col].code} makes "
            f"{_h(project, int(leaders[k]))} the leader"
        )
    return {row: "; ".join(texts) for row, texts in reasons.items()}


def _timeline_note(project: Project, line: Timeline, annotate: PartialDate | None) -> str:
    if line.rows.size == 0:
        return "No active evidence carries a date, so there is no timeline."
    text = (
        f"Weighted inconsistency accumulated over {line.rows.size} dated items, "
        f"{line.dates[0]} to {line.dates[-1]}."
    )
    if annotate is not None:
        text += f" The dashed line marks {annotate}."
    if line.undated_rows.size:
        text += f" {line.undated_rows.size} undated items are listed below the chart."
    return text


def _milestones(project: Project) -> tuple[MilestoneLine, ...]:
    order = {h.id: j for j, h in enumerate(project.hypotheses)}
    items = sorted(project.milestones, key=lambda m: order.get(m.hypothesis_id, len(order)))
    codes = {h.id: h.code for h in project.hypotheses}
    return tuple(
        MilestoneLine(
            codes.get(m.hypothesis_id, "?"),
            m.indicator,
            str(m.expected_by) if m.expected_by else "",
            m.status.label,
            m.note,
        )
        for m in items
    )


def _sources(project: Project) -> tuple[SourceLine, ...]:
    lines = []
    for source in project.sources:
        reference = ", ".join(x for x in (source.author, str(source.year or ""), source.title) if x)
        cited = tuple(e.code for e in project.evidence if e.source_id == source.id)
        lines.append(SourceLine(source.cite(), reference, source.link, cited))
    return tuple(lines)
