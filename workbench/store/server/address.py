"""Server addresses: ``postgresql://[user[:password]@]host[:port]/dbname?project=NAME``.

Everything but ``project`` is handed to libpq untouched, so its usual ways
of finding a server and a password keep working: ``PGHOST``, ``PGUSER``,
``PGPASSWORD``, ``~/.pgpass``, ``?host=/run/postgresql`` for a Unix socket,
``sslmode`` and the rest. A password in the address is kept only in the
connection string; every text meant for a person (messages, recent files,
the window title) uses :attr:`ServerAddress.shown`, and :meth:`redact` takes
it out of any text that came back from the server or the driver.
"""

from __future__ import annotations

import dataclasses
import re
import urllib.parse
from pathlib import Path

from workbench.core.errors import BadInput

SCHEMES = ("postgresql://", "postgres://")

#: A project's name on a server: it becomes part of a schema name, so keep it plain.
PROJECT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,47}")

#: Every project lives in its own schema, named this prefix + the project's name.
SCHEMA_PREFIX = "achwb_"

_MASK = "***"


def is_server_address(text: str) -> bool:
    return text.strip().lower().startswith(SCHEMES)


@dataclasses.dataclass(frozen=True)
class ServerAddress:
    #: What libpq connects with: the address less ``project`` (may hold a password).
    conninfo: str = dataclasses.field(repr=False)
    #: The project's name on the server.
    project: str
    #: The address as a person may see it: any password replaced by ``***``.
    shown: str
    _secrets: tuple[str, ...] = dataclasses.field(default=(), repr=False)

    #: The address less any password, to remember (libpq finds the password again).
    remembered: str = ""

    @property
    def schema(self) -> str:
        return SCHEMA_PREFIX + self.project

    def redact(self, text: str) -> str:
        """``text`` with every password of this address replaced by ``***``."""
        for secret in self._secrets:
            text = text.replace(secret, _MASK)
        return text

    def __str__(self) -> str:
        return self.shown


def parse_address(text: str) -> ServerAddress:
    """Read a server address; BadInput (without the password) when it is not one."""
    text = text.strip()
    if not is_server_address(text):
        raise BadInput("a server address starts with postgresql://")
    parts = urllib.parse.urlsplit(text)
    secrets: list[str] = []
    netloc = parts.netloc
    shown_netloc = netloc
    if "@" in netloc:
        userinfo, _, hostinfo = netloc.rpartition("@")
        user, colon, password = userinfo.partition(":")
        if colon:
            secrets += [password, urllib.parse.unquote(password)]
            shown_netloc = f"{user}:{_MASK}@{hostinfo}"
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    projects = [value for key, value in query if key == "project"]
    kept = [(key, value) for key, value in query if key != "project"]
    shown_query = []
    for key, value in kept:
        if key == "password":
            secrets += [value, urllib.parse.quote(value, safe=""), urllib.parse.quote_plus(value)]
            value = _MASK
        shown_query.append((key, value))
    secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def joined(location: str, items: list[tuple[str, str]], safe: str) -> str:
        # Not urlunsplit: it drops the "//" of an empty host (postgresql:///db, a local socket).
        query_text = urllib.parse.urlencode(items, safe=safe)
        return f"{parts.scheme}://{location}{parts.path}" + (f"?{query_text}" if query_text else "")

    def shown(extra: list[tuple[str, str]]) -> str:
        return joined(shown_netloc, shown_query + extra, "/*")

    if len(projects) != 1:
        problem = "names no project" if not projects else "names more than one project"
        raise BadInput(f"{shown([])} {problem}: add ?project=NAME")
    project = projects[0]
    if not PROJECT_NAME.fullmatch(project):
        raise BadInput(
            f"{shown([])}: the project name {project!r} must be 1 to 48 letters, digits, "
            "'-' or '_', starting with a letter or digit"
        )
    conninfo = joined(netloc, kept, "/")
    bare_netloc = shown_netloc.replace(f":{_MASK}@", "@")
    bare_query = [(k, v) for k, v in kept if k != "password"] + [("project", project)]
    return ServerAddress(
        conninfo,
        project,
        shown([("project", project)]),
        tuple(secrets),
        joined(bare_netloc, bare_query, "/"),
    )


class ServerLocation(str):
    """Where a server project lives, for code written for file paths.

    The text is the address without its password (what the recent-files
    list keeps); ``name`` and ``stem`` read like a file's, and ``parent``
    (where copies and exports are offered) is the home folder.
    """

    def __new__(cls, address: ServerAddress) -> ServerLocation:
        location = super().__new__(cls, address.remembered)
        location.project = address.project
        return location

    project: str

    @property
    def name(self) -> str:
        return f"{self.project} (team server)"

    @property
    def stem(self) -> str:
        return self.project

    @property
    def parent(self) -> Path:
        return Path.home()
