"""The ``workbench`` commands of a team working on a server, and ``rate``.

``push`` puts a project file on a PostgreSQL server, ``pull`` makes a local
copy, ``grant`` admits a database role as an analyst with a layer of their
own, and ``rate`` sets one cell, on a file or a server. Added to the other
commands by :mod:`workbench.cli`; a server address is printed only as
:attr:`ServerAddress.shown`, never with its password.
"""

from __future__ import annotations

import argparse

from workbench.cli import (
    Command,
    _existing_file,
    _new_output,
    _open_project,
    _shown,
    arg,
)
from workbench.cli_output import say
from workbench.core.errors import BadInput

URL = arg("url", metavar="URL", help="postgresql://[user@]host[:port]/dbname?project=NAME")


def cmd_push(args: argparse.Namespace) -> int:
    from workbench.store.server import ServerProject, parse_address

    address = parse_address(args.url)
    with _open_project(str(_existing_file(args.project))) as local:
        project = local.project
    ServerProject.create(address, project, replace=args.force).close()
    say(
        f"pushed {args.project} to {address} ({len(project.evidence)} evidence x "
        f"{len(project.hypotheses)} hypotheses, {len(project.analysts)} analysts)"
    )
    return 0


def cmd_pull(args: argparse.Namespace) -> int:
    from workbench.store import PROJECT_SUFFIX, ProjectFile
    from workbench.store.server import ServerProject, parse_address

    address = parse_address(args.url)
    out = _new_output(args.out, args.force, (PROJECT_SUFFIX,))
    with ServerProject.open(address, read_only=True) as server:
        ProjectFile.create(out, server.project, replace=args.force).close()
    say(f"pulled {address} into {out}")
    return 0


def cmd_grant(args: argparse.Namespace) -> int:
    from workbench.store.server import ServerProject, parse_address

    address = parse_address(args.url)
    with ServerProject.open(address) as server:
        server.grant(args.analyst, args.role)
    say(f"{args.role} rates as {args.analyst} in {address}")
    return 0


def cmd_rate(args: argparse.Namespace) -> int:
    from workbench.core.edits import SetRating
    from workbench.core.ratings import ACCEPTED_RATING_SPELLINGS, BadRating, Rating, parse_rating

    text = args.rating.strip()
    try:
        # The scale's own spellings, as in rating sheets; "blank" clears the cell.
        rating = Rating.BLANK if text.lower() == "blank" else parse_rating(text)
    except BadRating as error:
        raise BadInput(f"{error}; use {ACCEPTED_RATING_SPELLINGS}, or blank") from None
    with _open_project(args.project, read_only=False) as store:
        project = store.project
        evidence = project.evidence_by_code(args.evidence)
        if evidence is None:
            raise BadInput(f"no evidence with the code {args.evidence!r}")
        hypothesis = project.hypothesis_by_code(args.hypothesis)
        if hypothesis is None:
            raise BadInput(f"no hypothesis with the code {args.hypothesis!r}")
        analyst_id = _whose_layer(store, args.analyst)
        store.apply(
            SetRating(analyst_id, evidence.id, hypothesis.id, rating, args.rationale), analyst_id
        )
        name = next(a.name for a in project.analysts if a.id == analyst_id)
    shown = rating.code or "blank"
    say(f"{name}: {evidence.code} x {hypothesis.code} = {shown} in {_shown(args.project)}")
    return 0


def _whose_layer(store, name: str | None) -> int:  # noqa: ANN001 - a ProjectStore
    """The analyst ``rate`` changes: named, else the role's own, the current, or the only one."""
    project = store.project
    names = ", ".join(a.name for a in project.analysts) or "none"
    if name is not None:
        analyst = project.analyst_by_name(name)
        if analyst is None:
            raise BadInput(f"no analyst named {name!r} (analysts: {names})")
        return analyst.id
    own = getattr(store, "my_analyst_id", None)
    if own is not None:
        return int(own)
    if not hasattr(store, "my_analyst_id"):  # a file: the analyst it was last rated as
        current = store.get_setting("current_analyst", None)
        known = {a.id for a in project.analysts}
        if current is not None and str(current).isdigit() and int(current) in known:
            return int(current)
    if len(project.analysts) == 1:
        return project.analysts[0].id
    raise BadInput(f"say whose layer with --analyst NAME (analysts: {names})")


COMMANDS: tuple[Command, ...] = (
    Command(
        "push",
        "put a project file on a team server (PostgreSQL); you become its facilitator",
        cmd_push,
        (
            arg("project", metavar="PROJECT.achwb"),
            URL,
            arg("--force", action="store_true", help="replace a project of that name there"),
        ),
    ),
    Command(
        "pull",
        "copy a project from a team server into a new project file",
        cmd_pull,
        (
            URL,
            arg("out", metavar="OUT.achwb"),
            arg("--force", action="store_true", help="replace OUT if it exists"),
        ),
    ),
    Command(
        "grant",
        "admit a database role to a project on a server as an analyst (facilitator only)",
        cmd_grant,
        (
            URL,
            arg("--analyst", required=True, metavar="NAME", help="the analyst's name"),
            arg("--role", required=True, metavar="ROLE", help="their database role"),
        ),
    ),
    Command(
        "rate",
        "rate one cell: EVIDENCE x HYPOTHESIS (codes) as RATING, on a file or a server",
        cmd_rate,
        (
            arg("project", metavar="PROJECT"),
            arg("evidence", metavar="EVIDENCE", help="the evidence code, e.g. E3"),
            arg("hypothesis", metavar="HYPOTHESIS", help="the hypothesis code, e.g. H2"),
            arg("rating", metavar="RATING", help="a rating as on a sheet, or blank"),
            arg(
                "--analyst",
                metavar="NAME",
                help="whose layer (default: yours on a server; the only or current one in a file)",
            ),
            arg("--rationale", metavar="TEXT", help='why ("" clears it)'),
        ),
    ),
)
