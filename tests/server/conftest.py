"""The server tests run against a real PostgreSQL cluster started for the session.

Without PostgreSQL installed they are skipped with a reason, except under CI
(``CI=true``), where a missing server is a broken CI setup and fails.
"""

from __future__ import annotations

import dataclasses
import itertools
import os

import pytest
from cluster import DATABASE, Cluster, discard, find_bindir, start_cluster

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster():
    bindir = find_bindir()
    if bindir is None:
        reason = (
            "PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin; "
            "Debian: apt-get install postgresql)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs the server tests: {reason}")
        pytest.skip(reason)
    cluster = start_cluster(bindir)
    yield cluster
    discard(cluster)


@dataclasses.dataclass(frozen=True)
class Role:
    name: str
    password: str
    cluster: Cluster

    def url(self, project: str, with_password: bool = True) -> str:
        return self.cluster.url(self.name, self.password if with_password else None, project)

    def connect(self):  # noqa: ANN201 - psycopg.Connection, as this role, autocommit
        import psycopg

        return psycopg.connect(
            self.cluster.conninfo(user=self.name), password=self.password, autocommit=True
        )


@pytest.fixture
def pg(pg_cluster):
    """The cluster, and a factory of fresh login roles: ``pg.role("ana")``."""

    class Server:
        cluster = pg_cluster

        @staticmethod
        def role(stem: str, facilitator: bool = False) -> Role:
            name = f"{stem}_{next(_names)}"
            password = f"pw-{name}-S3cret!"
            with pg_cluster.admin() as connection:
                connection.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
                privileges = "CONNECT, CREATE" if facilitator else "CONNECT"
                connection.execute(f"GRANT {privileges} ON DATABASE {DATABASE} TO {name}")
            return Role(name, password, pg_cluster)

        @staticmethod
        def project_name(stem: str = "case") -> str:
            return f"{stem}{next(_names)}"

    return Server
