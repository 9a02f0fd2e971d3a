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


def read_holder(path: Path) -> LockHolder | None:
    """The holder named in ``path``'s lock file, or None when there is no readable lock."""
    try:
        data = json.loads(lock_path(path).read_text(encoding="utf-8"))
        return LockHolder(
            str(data["host"]), int(data["pid"]), str(data["user"]), str(data["since"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def live_holder(path: Path) -> LockHolder | None:
    """Who holds ``path`` now, ignoring a lock left by a process that is gone."""
    holder = read_holder(path)
    return holder if holder is not None and _alive(holder) else None


def _alive(holder: LockHolder) -> bool:
    """False only when we can tell the holder is gone (a dead process on this host)."""
    if holder.host != socket.gethostname():
        return True
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


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
