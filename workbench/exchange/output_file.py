"""Writing an export so that a failure never leaves a half-written file behind.

The export is written to a temporary file in the target's folder (same file
system, so the final rename is atomic) and only renamed over the target once it
is complete. A crash, a full disk or a bug mid-way leaves the user's previous
file untouched and no stray temporary file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.core.errors import BadInput, WorkbenchError


class ExportError(WorkbenchError):
    """The export could not be written (folder missing, no permission, disk full)."""


def refuse_input_as_output(target: str | os.PathLike[str], *inputs: str | os.PathLike[str]) -> None:
    """Refuse an output that is one of the inputs: the same file, by any name.

    ``samefile`` compares device and inode, so a hard link, a symlink or a
    path spelt differently is caught as well as the same name (``export
    case.xlsx case.xlsx --force`` would replace the project with its export).
    """
    out = Path(target)
    for source in inputs:
        try:
            same = os.path.samefile(out, source)
        except OSError:  # one of them does not exist (yet): they cannot be the same file
            continue
        if same:
            raise BadInput(
                f"{out}: this is the input file itself ({Path(source).name}); "
                "choose another name for the output"
            )


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
        # On disk before it takes the old file's name: a power cut must not
        # leave an empty file where the previous export was.
        with open(temp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temp, target)
    except OSError as err:
        raise ExportError(f"{target}: cannot write the file ({err.strerror or err})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def save_workbook(book: Any, path: Path) -> None:
    """``book.save(path)`` that leaves no open zip archive behind when writing fails.

    openpyxl's own save opens a ZipFile and, when a write fails (a full
    disk), drops it unclosed; its ``__del__`` later retries the write and
    prints a second error as a traceback after ours. Here the archive is
    ours: on failure its file is closed and the archive forgotten.
    """
    from openpyxl.writer.excel import ExcelWriter

    book.properties.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    handle = open(path, "wb")  # noqa: SIM115 - closed below on every path
    archive = zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(book, archive).save()
    except BaseException:
        archive.fp = None  # its close() (and __del__) would write to a failed file again
        with contextlib.suppress(OSError):
            handle.close()
        raise
    handle.close()
