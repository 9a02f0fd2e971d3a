"""Writing an export so that a failure never leaves a half-written file behind.

The export is written to a temporary file in the target's folder (same file
system, so the final rename is atomic) and only renamed over the target once it
is complete. A crash, a full disk or a bug mid-way leaves the user's previous
file untouched and no stray temporary file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from workbench.core.errors import WorkbenchError


class ExportError(WorkbenchError):
    """The export could not be written (folder missing, no permission, disk full)."""


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path`` atomically."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{target}: the folder {folder} does not exist")
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=target.suffix + ".part", dir=folder
        )
    except OSError as err:
        raise ExportError(f"{target}: cannot write in {folder} ({err.strerror or err})") from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        yield temp
        # mkstemp creates the file 0600; an export should get the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    except OSError as err:
        raise ExportError(f"{target}: cannot write the file ({err.strerror or err})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
