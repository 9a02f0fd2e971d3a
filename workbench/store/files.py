"""Small file-system helpers for writing files that are complete or absent.

Temporary files are made with ``O_EXCL`` and mode 0666 (less the umask), not
``tempfile.mkstemp``'s 0600: a project, its copy or its lock must be readable
by colleagues on a shared drive just like any file the user saves.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path


def new_temp_file(folder: Path, stem: str) -> Path:
    """Create an empty, hidden, uniquely named file in ``folder`` and return its path."""
    while True:
        path = folder / f".{stem}.{uuid.uuid4().hex[:12]}.tmp"
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
