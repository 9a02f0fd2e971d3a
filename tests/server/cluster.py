"""A throwaway PostgreSQL cluster for the server tests (and the benchmark).

``initdb`` in a temporary folder, ``pg_ctl start`` listening on a Unix
socket in that folder only (no TCP port, so nothing else on the machine can
reach it), stopped and deleted at the end. PostgreSQL refuses to run as
root: as root the cluster runs as ``nobody``, otherwise as the current user.

The superuser ``postgres`` connects without a password over the socket;
every other role must give its password (scram-sha-256), so the tests
exercise real authentication, the password file and ``PGPASSWORD``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

SUPERUSER = "postgres"
DATABASE = "teamwork"


def find_bindir() -> Path | None:
    """Where initdb and pg_ctl are: $WORKBENCH_PG_BIN, PATH, or Debian's versioned folder."""
    explicit = os.environ.get("WORKBENCH_PG_BIN")
    if explicit:
        return Path(explicit) if (Path(explicit) / "initdb").exists() else None
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    return Path(versions[-1]).parent if versions else None


@dataclasses.dataclass
class Cluster:
    bindir: Path
    folder: Path
    port: int = 5432
    #: fsync and synchronous commits on (the benchmark); off for the tests, which lose nothing.
    durable: bool = False

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    def _as_owner(self, command: list[str], **kwargs) -> subprocess.CompletedProcess:  # noqa: ANN003
        if os.geteuid() == 0:
            command = ["runuser", "-u", "nobody", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)

    def init(self) -> None:
        self.data.mkdir(parents=True)
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            for path in (self.folder, self.data, self.socket_dir):
                os.chown(path, nobody.pw_uid, nobody.pw_gid)
        self._as_owner(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                "--auth-local=trust",
                "--auth-host=reject",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ]
        )
        hba = self.data / "pg_hba.conf"
        hba.write_text(
            f"local all {SUPERUSER} trust\nlocal all all scram-sha-256\n", encoding="utf-8"
        )
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(
                "\nlisten_addresses = ''\n"
                f"unix_socket_directories = '{self.socket_dir}'\n"
                f"port = {self.port}\n"
                "max_connections = 60\nshared_buffers = 32MB\n"
                + ("" if self.durable else "fsync = off\nsynchronous_commit = off\n")
            )

    def start(self) -> None:
        self._as_owner(
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.folder / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ]
        )

    def stop(self, mode: str = "fast") -> None:
        self._as_owner(
            [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"],
        )

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    # -- addresses ---------------------------------------------------------------------

    def conninfo(self, user: str = SUPERUSER, dbname: str = DATABASE) -> str:
        return f"host={self.socket_dir} port={self.port} dbname={dbname} user={user}"

    def url(
        self,
        user: str,
        password: str | None = None,
        project: str | None = "case",
        dbname: str = DATABASE,
    ) -> str:
        """A ``postgresql://`` address of this cluster, over its socket."""
        who = urllib.parse.quote(user, safe="")
        if password is not None:
            who += ":" + urllib.parse.quote(password, safe="")
        query = {"host": str(self.socket_dir), "port": str(self.port)}
        if project is not None:
            query["project"] = project
        return f"postgresql://{who}@/{dbname}?{urllib.parse.urlencode(query)}"

    def admin(self, dbname: str = DATABASE):  # noqa: ANN201 - psycopg.Connection
        import psycopg

        return psycopg.connect(self.conninfo(dbname=dbname), autocommit=True)


def start_cluster(bindir: Path, durable: bool = False) -> Cluster:
    """initdb, start, and create the test database; the caller stops it with ``discard``."""
    # As root the server runs as nobody, who must reach the folder: a TMPDIR inside a
    # root-only folder (pytest's tmp_path) would not do, /tmp does.
    base = "/tmp" if os.geteuid() == 0 and os.path.isdir("/tmp") else None
    folder = Path(tempfile.mkdtemp(prefix="workbench-pg-", dir=base))
    cluster = Cluster(bindir, folder, durable=durable)
    try:
        cluster.init()
        cluster.start()
        with cluster.admin(dbname="postgres") as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")
            # Only roles the tests admit may use it; public gets nothing by default.
            connection.execute(f"REVOKE ALL ON DATABASE {DATABASE} FROM PUBLIC")
    except BaseException:
        discard(cluster)
        raise
    return cluster


def discard(cluster: Cluster) -> None:
    if cluster.running():
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop("immediate")
    shutil.rmtree(cluster.folder, ignore_errors=True)
