"""Small file-system helpers for writing files that are complete or absent.

Temporary files are made with ``O_EXCL`` and mode 0666 (less the umask), not
``tempfile.mkstemp``'s 0600: a project, its copy or its lock must be readable
by colleagues on a shared drive just like any file the user saves.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import uuid
from pathlib import Path

#: Names the computer in a temporary file's name, so a sweep never judges another's.
_HOST = hashlib.sha1(socket.gethostname().encode("utf-8")).hexdigest()[:8]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def sweep_stale_temp_files(folder: Path, stem: str) -> None:
    """Remove temporary files (and their SQLite journals) left by a killed process.

    A temporary file's name carries its computer and process id; one made on
    this computer by a process that is gone will never be finished or removed
    by it (``kill -9`` runs no cleanup), so the next run removes it.
    """
    prefix = f".{stem}.{_HOST}-"
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            name = entry.name
            if not name.startswith(prefix) or not name.endswith((".tmp", ".tmp-journal")):
                continue
            pid_text = name[len(prefix) :].split("-", 1)[0]
            if pid_text.isdigit() and not _pid_alive(int(pid_text)):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def new_temp_file(folder: Path, stem: str) -> Path:
    """Create an empty, hidden, uniquely named file in ``folder`` and return its path."""
    sweep_stale_temp_files(folder, stem)
    while True:
        path = folder / f".{stem}.{_HOST}-{os.getpid()}-{uuid.uuid4().hex[:12]}.tmp"
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return path


def publish(tmp: Path, target: Path) -> None:
    """Give the complete file ``tmp`` the name ``target``; FileExistsError if it is taken.

    A hard link is atomic and never replaces anything. File systems without
    hard links (FAT, some network shares) get an exclusive create and a copy
    instead: not atomic, but still never replacing someone else's file.
    """
    try:
        os.link(tmp, target)
        return
    except FileExistsError:
        raise
    except OSError:
        pass  # no hard links here
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
    try:
        with open(tmp, "rb") as source, os.fdopen(fd, "wb", closefd=False) as out:
            while chunk := source.read(1 << 20):
                out.write(chunk)
            out.flush()
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        target.unlink(missing_ok=True)
        raise
    os.close(fd)


def fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a new directory entry (a created or renamed file) survive a power cut."""
    with contextlib.suppress(OSError):  # not possible on every platform/file system
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
