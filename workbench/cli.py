"""The ``workbench`` command. Its sub-commands and JSON keys are a contract.

Exit codes: 0 success; 2 bad input or bad usage (one ``error: ...`` line on
stderr, nothing written); 1 only for a bug. Each sub-command is a plain
function of its parsed arguments, listed with its arguments in
:data:`COMMANDS`; JSON goes out through :func:`print_json`. Heavy imports (Qt,
openpyxl, SQLAlchemy) happen inside the command so ``workbench --version``
stays instant.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench import __version__
from workbench.cli_output import say, say_json, say_lines
from workbench.core.errors import BadInput, WorkbenchError
from workbench.core.plurals import counted
from workbench.exchange import formats

# Qt-free at import: the view names only, so parsing arguments starts no Qt.
from workbench.ui.screenshot import VIEWS as SCREENSHOT_VIEWS

Handler = Callable[[argparse.Namespace], int]


@dataclasses.dataclass(frozen=True)
class Arg:
    """One argument of a sub-command, as ``argparse.add_argument`` takes it."""

    flags: tuple[str, ...]
    options: dict[str, Any]

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(*self.flags, **self.options)


def arg(*flags: str, **options: Any) -> Arg:
    return Arg(flags, options)


@dataclasses.dataclass(frozen=True)
class Command:
    """A sub-command: a plain function of the parsed arguments, returning the exit code."""

    name: str
    help: str
    run: Handler
    arguments: tuple[Arg | Callable[[argparse.ArgumentParser], None], ...]

    def add_to(self, sub: Any) -> None:
        parser = sub.add_parser(self.name, help=self.help, description=self.help)
        for argument in self.arguments:
            if isinstance(argument, Arg):
                argument.add_to(parser)
            else:
                argument(parser)
        parser.set_defaults(handler=self.run)


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage as one ``error:`` line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        say(f"error: {self.prog}: {message} (see --help)", file=sys.stderr)
        raise SystemExit(2)


def _existing_file(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        raise BadInput(f"{text}: no such file")
    if path.is_dir():
        raise BadInput(f"{text}: is a folder, not a file")
    if not path.is_file():
        # A pipe would block the first read forever, a device like /dev/zero never ends.
        raise BadInput(f"{text}: not a regular file (a device or pipe cannot be read)")
    return path


def _new_output(
    text: str, force: bool, suffixes: tuple[str, ...], inputs: tuple[str, ...] = ()
) -> Path:
    """OUT of a command: one of the kinds it writes, in a folder that exists, not in the way.

    Never one of the command's ``inputs``, under any name, even with --force.
    """
    from workbench.exchange.output_file import refuse_input_as_output

    path = Path(text)
    refuse_input_as_output(path, *inputs)
    if path.is_dir():
        raise BadInput(f"{text}: is a folder, not a file")
    if path.suffix.lower() not in suffixes:
        kind = path.suffix or "a name without an extension"
        allowed = ", ".join(suffixes[:-1]) + " or " + suffixes[-1] if suffixes[1:] else suffixes[0]
        raise BadInput(f"{text}: the output must be {allowed}, not {kind}")
    if path.exists() and not force:
        raise BadInput(f"{text}: already exists (use --force to replace it)")
    if not path.parent.exists():
        raise BadInput(f"{text}: folder {path.parent} does not exist")
    return path


def _one_line(text: str) -> str:
    """A message on one line: line breaks in a quoted cell must not start a new one."""
    return " ".join(text.split())


def _open_project(path_text: str, read_only: bool = True):  # noqa: ANN202 - store type
    """A project file, or a project on a team server (``postgresql://...?project=NAME``)."""
    from workbench.store import open_store
    from workbench.store.server.address import is_server_address

    if is_server_address(path_text):
        return open_store(path_text, read_only=read_only)
    return open_store(_existing_file(path_text), read_only=read_only)


def _shown(path_text: str) -> str:
    """PROJECT as it may be printed: a server address loses its password."""
    from workbench.store.server.address import is_server_address, parse_address

    return parse_address(path_text).shown if is_server_address(path_text) else path_text


def _create_project_file(project, out: Path, force: bool) -> None:  # noqa: ANN001
    """Write a new project file; with ``force`` it replaces OUT once the new file is whole."""
    from workbench.store import ProjectFile

    ProjectFile.create(out, project, replace=force).close()


# -- sub-commands ---------------------------------------------------------------


def cmd_example(args: argparse.Namespace) -> int:
    from workbench.exchange.example import load_example
    from workbench.store import PROJECT_SUFFIX

    out = _new_output(args.out, args.force, (PROJECT_SUFFIX,))
    _create_project_file(load_example(), out, args.force)
    say(f"wrote the Belarus example to {out}")
    return 0


def LAYER(parser: argparse.ArgumentParser) -> None:  # noqa: N802 - used like a constant
    """--consensus | --analyst NAME: whose ratings a command reads."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--consensus", action="store_true", help="score the team consensus (the default)"
    )
    group.add_argument("--analyst", metavar="NAME", help="score one analyst's ratings")


def _layer_of(project, args: argparse.Namespace):  # noqa: ANN001, ANN202
    from workbench.core.analysis import CONSENSUS

    if getattr(args, "analyst", None):
        analyst = project.analyst_by_name(args.analyst)
        if analyst is None:
            names = ", ".join(a.name for a in project.analysts) or "none"
            raise BadInput(f"no analyst named {args.analyst!r} (analysts: {names})")
        return analyst.id
    return CONSENSUS


def _print_score_table(report: dict[str, Any]) -> None:
    say(report["project"])
    say()
    say(
        f"{'rank':>4}  {'code':<5} {'weighted':>9} {'incons.':>8} {'consist.':>9} "
        f"{'normal.':>8} {'posterior':>10}  title"
    )
    for h in sorted(report["hypotheses"], key=lambda h: h["rank"]):
        say(
            f"{h['rank']:>4}  {h['code']:<5} {h['weighted_inconsistency']:>9.3f} "
            f"{h['inconsistency']:>8.0f} {h['consistency']:>9.3f} {h['normalized']:>8.3f} "
            f"{h['posterior']:>10.4f}  {h['title']}"
        )
    say()
    diagnostic = sorted(report["evidence"], key=lambda e: -e["weighted_diagnosticity"])
    say("most diagnostic evidence (weighted diagnosticity):")
    for e in diagnostic[:10]:
        flag = "" if e["active"] else "  (excluded)"
        say(f"  {e['code']:<5} {e['weighted_diagnosticity']:>6.3f}  {e['title']}{flag}")
    silent = [e["code"] for e in report["evidence"] if e["diagnosticity"] == 0]
    if silent:
        say(f"non-diagnostic: {', '.join(silent)}")


def cmd_score(args: argparse.Namespace) -> int:
    from workbench.core.analysis import score_report
    from workbench.reports.basis import basis_text

    with _open_project(args.project) as pf:
        layer = _layer_of(pf.project, args)
        report = score_report(pf.project, layer)
        basis = basis_text(pf.project, layer)
    if args.json:
        say_json(report)
    else:
        _print_score_table(report)
        if basis:
            say()
            say_lines("\n".join(basis))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    source = _existing_file(args.source)
    from workbench.store import PROJECT_SUFFIX

    out = _new_output(args.out, args.force, (PROJECT_SUFFIX,), (args.source,))
    imported = formats.import_any(source, args.sheet)
    project = imported.project
    _create_project_file(project, out, args.force)
    for warning in imported.warnings:
        say(f"warning: {_one_line(warning)}", file=sys.stderr)
    say(
        f"imported {len(project.evidence)} evidence x {len(project.hypotheses)} "
        f"hypotheses from {source} into {out}"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    out = _new_output(args.out, args.force, formats.EXPORT_SUFFIXES, (args.project,))
    with _open_project(args.project) as pf:
        formats.export_any(pf.project, out, _layer_of(pf.project, args), app_version=__version__)
    say(f"exported {_shown(args.project)} to {out}")
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from workbench.core.sensitivity import project_sensitivity, sensitivity_report
    from workbench.reports.content import sensitivity_summary

    with _open_project(args.project) as pf:
        project = pf.project
        result = project_sensitivity(project, _layer_of(project, args))
        if args.json:
            say_json(sensitivity_report(project, result, all_flips=args.all_flips))
        else:
            say_lines(sensitivity_summary(project, result))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from workbench.reports import REPORT_SUFFIXES

    out = _new_output(args.out, args.force, REPORT_SUFFIXES, (args.project,))
    from workbench.core.dates import BadDate, PartialDate

    try:
        annotate = PartialDate.parse(args.annotate) if args.annotate else None
    except BadDate as exc:
        raise BadInput(f"--annotate: {exc}") from None
    # Charts are drawn by Qt; without a display, draw offscreen.
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from workbench.reports import write_report

    with _open_project(args.project) as pf:
        write_report(
            pf.project,
            out,
            layer=_layer_of(pf.project, args),
            app_version=__version__,
            annotate=annotate,
        )
    say(f"wrote the report of {_shown(args.project)} to {out}")
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    project = _existing_file(args.project)
    out = _new_output(args.out, args.force, (".png",), (args.project,))
    from workbench.ui.screenshot import render_screenshot

    render_screenshot(project, out, args.view)
    say(f"saved the {args.view} view of {project} to {out}")
    return 0


# -- teams: rating sheets out and back, disagreement ----------------------------------


def cmd_sheets(args: argparse.Namespace) -> int:
    from workbench.exchange.rating_sheets import write_rating_sheets

    with _open_project(args.project) as pf:
        paths = write_rating_sheets(
            pf.project,
            args.analysts.split(","),
            args.out,
            shuffle=not args.no_shuffle,
            hide_scores=not args.show_scores,
            seed=args.seed,
            overwrite=args.force,
        )
    for path in paths:
        say(f"wrote {path}")
    return 0


def cmd_collect(args: argparse.Namespace) -> int:
    from workbench.exchange.rating_sheets_collect import collect_rating_sheets

    paths = [_existing_file(f) for f in args.files]
    with _open_project(args.project, read_only=args.dry_run) as pf:
        plan = collect_rating_sheets(pf.project, paths)
        if plan.changes_anything and not args.dry_run:
            pf.apply(plan.edit)
    for report in plan.reports:
        say(report.describe())
    if args.dry_run:
        say("dry run: nothing was changed")
    elif not plan.changes_anything:
        say("nothing new to collect")
    return 0


def cmd_team(args: argparse.Namespace) -> int:
    from workbench.core.team import analyse_team, team_report

    with _open_project(args.project) as pf:
        if args.json:
            say_json(team_report(pf.project))
            return 0
        names = [a.name for a in pf.project.analysts]
        ranking = analyse_team(pf.project).ranking()
    say(f"analysts: {', '.join(names) or 'none'}")
    if not ranking:
        say("no disagreements: every cell rated alike by everyone who rated it")
        return 0
    say(
        f"{counted(len(ranking), 'cell')} rated differently; "
        "disputed first, by how much they matter:"
    )
    for cell in ranking[: args.top]:
        votes = "  ".join(f"{r.name} {r.rating.code or '-'}" for r in cell.ratings)
        mark = "disputed" if cell.disputed else cell.level.value
        fixed = " (set by hand)" if cell.overridden else ""
        say(
            f"  {cell.evidence_code} x {cell.hypothesis_code}  {mark:<9} "
            f"spread {cell.spread:.2f}  matters {cell.importance:.2f}  "
            f"consensus {cell.consensus.code or '-'}{fixed}  |  {votes}"
        )
    return 0


def cmd_install_desktop(args: argparse.Namespace) -> int:
    from workbench import desktop

    change = desktop.uninstall() if args.uninstall else desktop.install()
    for line in change.describe():
        say(line)
    return 0


PROJECT = arg("project", metavar="PROJECT")
FORCE = arg("--force", action="store_true", help="replace OUT if it exists")
JSON = arg("--json", action="store_true", help="print JSON (a stable contract)")

#: Every sub-command: name, help, the function that runs it, and its arguments.
COMMANDS: tuple[Command, ...] = (
    Command(
        "example",
        "write the built-in Belarus case to a project file",
        cmd_example,
        (arg("out", metavar="OUT.achwb"), FORCE),
    ),
    Command(
        "score",
        "score a project: hypotheses ranked, evidence diagnosticity",
        cmd_score,
        (PROJECT, JSON, LAYER),
    ),
    Command(
        "import",
        f"import a matrix or a project .json ({formats.IMPORT_CHOICES}) into a new project file",
        cmd_import,
        (
            arg("source", metavar="IN"),
            arg("out", metavar="OUT.achwb"),
            arg(
                "--sheet",
                metavar="NAME",
                help="the sheet to read (default: the first sheet with an Evidence header)",
            ),
            FORCE,
        ),
    ),
    Command(
        "export",
        "export a project to "
        + formats.listed(
            [
                f"{f.export_suffix} ({f.note})" if f.note else f.export_suffix
                for f in formats.EXPORTS
            ]
        ),
        cmd_export,
        (
            PROJECT,
            arg("out", metavar="|".join(f"OUT{s}" for s in formats.EXPORT_SUFFIXES)),
            FORCE,
            LAYER,
        ),
    ),
    Command(
        "sensitivity",
        "how far the leader depends on single items: leave-one-out, linchpins",
        cmd_sensitivity,
        (
            PROJECT,
            JSON,
            arg(
                "--all-flips",
                action="store_true",
                help="list every one-step flip in the JSON "
                "(default: the smallest that change the leader)",
            ),
            LAYER,
        ),
    ),
    Command(
        "report",
        "write a report of the analysis (.pdf or self-contained .html)",
        cmd_report,
        (
            PROJECT,
            arg("out", metavar="OUT.pdf|OUT.html"),
            FORCE,
            arg(
                "--annotate",
                metavar="DATE",
                help="mark a date on the timeline (YYYY, YYYY-MM or YYYY-MM-DD), e.g. 2020-08",
            ),
            LAYER,
        ),
    ),
    Command(
        "screenshot",
        "save a PNG of the main window showing a project (no display needed)",
        cmd_screenshot,
        (
            PROJECT,
            arg("out", metavar="OUT.png"),
            arg(
                "--view",
                choices=SCREENSHOT_VIEWS,
                default="matrix",
                help="the view in front (default: matrix)",
            ),
            FORCE,
        ),
    ),
    Command(
        "sheets",
        "write one rating sheet (.xlsx) per analyst, to rate on their own",
        cmd_sheets,
        (
            PROJECT,
            arg(
                "--analysts",
                required=True,
                metavar="NAMES",
                help='comma-separated names, e.g. "Ana,Ben,Cy"',
            ),
            arg("--out", required=True, metavar="DIR", help="folder for the sheets"),
            arg(
                "--no-shuffle",
                action="store_true",
                help="keep the matrix's hypothesis order on every sheet",
            ),
            arg(
                "--show-scores",
                action="store_true",
                help="add live scores of the analyst's own ratings (hidden by default)",
            ),
            arg("--seed", help="seed for the column orders (default: the project's id)"),
            arg("--force", action="store_true", help="replace sheets that exist"),
        ),
    ),
    Command(
        "collect",
        "take filled rating sheets into the analysts' layers (one undo step)",
        cmd_collect,
        (
            PROJECT,
            arg("files", nargs="+", metavar="FILE.xlsx"),
            arg("--dry-run", action="store_true", help="report, change nothing"),
        ),
    ),
    Command(
        "team",
        "where the analysts disagree: consensus, spread, disputed cells",
        cmd_team,
        (
            PROJECT,
            JSON,
            arg(
                "--top",
                type=int,
                default=15,
                metavar="COUNT",
                help="disagreements to list (default 15)",
            ),
        ),
    ),
    Command(
        "install-desktop",
        "add the menu entry, icon and .achwb file type for this user",
        cmd_install_desktop,
        (arg("--uninstall", action="store_true", help="remove them again"),),
    ),
)


# -- the GUI ----------------------------------------------------------------------


def _gui(project: str | None) -> int:
    if project is not None and not project.lower().startswith(("postgresql://", "postgres://")):
        _existing_file(project)
    from workbench.ui.preflight import gui_start_problem

    problem = gui_start_problem()
    if problem:
        raise WorkbenchError(problem)
    from workbench.ui.app import run_gui

    return run_gui(project)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workbench",
        description="ACH Workbench: Analysis of Competing Hypotheses. "
        "Run with no command (or a PROJECT file) to open the window.",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    gui = sub.add_parser("gui", help="open the window (the default)")
    gui.add_argument("project", nargs="?", metavar="PROJECT")
    for command in COMMANDS:
        command.add_to(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:
        # What argparse's version action prints, without building every sub-command's
        # parser first: the answer should cost about as much as starting Python.
        say(f"workbench {__version__}")
        return 0
    parser = build_parser()
    # `workbench [PROJECT]`: anything that is not a command or an option is a project.
    if not argv or (
        argv[0] not in {c.name for c in COMMANDS}
        and argv[0] != "gui"
        and not argv[0].startswith("-")
    ):
        argv = ["gui", *argv]
    try:
        args = parser.parse_args(argv)
        if args.command == "gui":
            return _gui(args.project)
        return args.handler(args)
    except WorkbenchError as exc:
        say(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        say("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: keep the details, say so in one line
        log = _write_crash_log()
        say(
            f"error: unexpected internal error ({type(exc).__name__}: {exc}); "
            f"this is a bug, details in {log}",
            file=sys.stderr,
        )
        return 1


# The team-server commands (push, pull, grant) and rate live in their own module.
from workbench import cli_team as _cli_team  # noqa: E402

COMMANDS = COMMANDS + _cli_team.COMMANDS


def _write_crash_log() -> str:
    import tempfile
    import traceback

    with tempfile.NamedTemporaryFile(
        "w", prefix="workbench-crash-", suffix=".txt", delete=False
    ) as handle:
        traceback.print_exc(file=handle)
        return handle.name
