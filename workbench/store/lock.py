"""Who has a project open for editing: a ``<file>.lock`` sidecar.

SQLite's own locks last one transaction, so two windows could both edit the
same project and undo each other's work. The sidecar says who holds the file
(host, process, user, since) so the second opener can be told by name and
offered read-only. It is written to a temporary file and hard-linked into
place, which is atomic and fails if a lock already exists: nobody ever reads
a half-written lock. A lock left by a process that died on this host is
stale and taken over.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import stat
from pathlib import Path

from workbench.core.errors import ProjectFileError
from workbench.store.errors import FileInUse, LockHolder
from workbench.store.files import new_temp_file, publish


def lock_path(path: Path) -> Path:
    """The lock beside the file itself: opened through a symlink or by its own name,
    one project has one lock."""
    real = path.resolve()
    return real.with_name(real.name + ".lock")


def _me() -> LockHolder:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user database entry (containers)
        user = ""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return LockHolder(host=socket.gethostname(), pid=os.getpid(), user=user, since=now)


#: A lock file is a few hundred bytes of JSON; more is not one of ours.
_MAX_LOCK_BYTES = 4096
#: Process ids on every system we run on fit in 32 bits (os.kill overflows beyond).
_MAX_PID = 2**31 - 1


class UnreadableLock(ProjectFileError):
    """Something is in the lock file's place that is not a lock file (a pipe, a folder)."""


def _read_lock_text(target: Path) -> str:
    """The lock file's text, never waiting on a pipe or reading a device.

    ``O_NONBLOCK`` makes opening a FIFO return at once; the file is then
    checked to be a regular file before a byte is read.
    """
    fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnreadableLock(f"{target} is not a lock file (a pipe, device or folder)")
        return os.read(fd, _MAX_LOCK_BYTES).decode("utf-8")
    finally:
        os.close(fd)


def read_holder(path: Path) -> LockHolder | None:
    """The holder named in ``path``'s lock file, or None when there is no readable lock."""
    try:
        data = json.loads(_read_lock_text(lock_path(path)))
        holder = LockHolder(
            str(data["host"]), int(data["pid"]), str(data["user"]), str(data["since"])
        )
    except (OSError, ValueError, KeyError, TypeError, UnreadableLock):
        return None
    return holder if 0 < holder.pid <= _MAX_PID else None


def live_holder(path: Path) -> LockHolder | None:
    """Who holds ``path`` now, ignoring a lock left by a process that is gone."""
    holder = read_holder(path)
    return holder if holder is not None and _alive(holder) else None


def _alive(holder: LockHolder) -> bool:
    """False only when we can tell the holder is gone (a dead process on this host).

    A process id is reused once its process is gone (after a reboot, process 1
    always exists): a process that started after the lock was written cannot
    be the one that wrote it.
    """
    if holder.host != socket.gethostname():
        return True
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        pass
    started = _process_start(holder.pid)
    since = _parse_since(holder.since)
    # A minute's grace: the lock's time is whole seconds, the clock may have been set.
    return started is None or since is None or started <= since + 60


def _parse_since(text: str) -> float | None:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _process_start(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch), where the system says (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[19])  # starttime, the 22nd field, after pid and (comm)
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


class ProjectLock:
    """The lock this process holds on one project file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.holder = _me()
        try:
            self._acquire()
        except OSError as error:
            raise ProjectFileError(
                f"{path} cannot be opened for editing: its lock file cannot be written "
                f"in {path.parent} ({error.strerror}); open it read-only"
            ) from None

    def _acquire(self) -> None:
        target = lock_path(self.path)
        payload = json.dumps(self.holder.__dict__, indent=1).encode("utf-8")
        tmp_name = new_temp_file(target.parent, target.name)
        try:
            tmp_name.write_bytes(payload)
            for _attempt in range(3):
                try:
                    publish(tmp_name, target)
                    return
                except FileExistsError:
                    holder = read_holder(self.path)
                    if holder is not None and _alive(holder):
                        raise FileInUse(self.path, holder) from None
                    if holder is None and target.exists():
                        if not target.is_file() or target.is_symlink():
                            raise ProjectFileError(
                                f"{self.path} cannot be opened for editing: {target.name} "
                                "beside it is not a lock file (a pipe, device, folder or "
                                "link); remove it and try again"
                            ) from None
                        # Unreadable lock: not ours to judge; say so rather than steal it.
                        raise FileInUse(self.path, None) from None
                    target.unlink(missing_ok=True)  # stale: its process is gone
            raise FileInUse(self.path, read_holder(self.path))
        finally:
            os.unlink(tmp_name)

    def release(self) -> None:
        """Remove the lock file if it is still ours."""
        if read_holder(self.path) == self.holder:
            lock_path(self.path).unlink(missing_ok=True)
