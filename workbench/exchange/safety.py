"""Guards that run before any untrusted file is parsed.

Spreadsheets and PARC files arrive by e-mail from other teams, so an import must
never be the way to exhaust memory or disk. Every check here runs on sizes we
can learn cheaply (zip directory, bounded decompression) before a parser sees
the bytes, and every refusal is a :class:`BadInput` naming the file.
"""

from __future__ import annotations

import contextlib
import functools
import stat
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from workbench.core import limits
from workbench.core.errors import BadInput
from workbench.core.limits import MAX_TEXT_CHARS
from workbench.exchange.sheet_extent import scanner_for

#: What a workbook may unpack to in all. Our own export of the largest supported
#: matrix (100,000 x 200, see workbench.core.limits) unpacks to about 1 GB
#: (measured: 49 MB at 5,000 x 200, growing with the rows), so 2 GB leaves it
#: room; a test extrapolates the app's own files against this and the limits below.
MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024
#: Spreadsheet XML compresses well (about 10-30x); a bomb compresses thousands of times.
MAX_COMPRESSION_RATIO = 100
#: Ratios are only meaningful for members large enough to matter.
RATIO_CHECK_MIN_BYTES = 1024 * 1024
#: A CSV or PARC file bigger than this on disk is not a matrix anyone typed
#: (our own CSV of a 100,000 x 200 matrix is about 50 MB).
MAX_FILE_BYTES = 100 * 1024 * 1024
#: A workbook on disk (our 100,000 x 200 export is about 75 MB packed).
MAX_WORKBOOK_BYTES = 300 * 1024 * 1024
#: Excel's own limit on the characters in one cell (the text limit of every project).
MAX_CELL_CHARS = MAX_TEXT_CHARS
#: Heuer's matrices have a handful of hypotheses; 1,000 columns is certainly a wrong sheet.
MAX_HYPOTHESES = limits.MAX_HYPOTHESES

_CHUNK = 1024 * 1024
#: Bit 0 of a zip entry's general-purpose flags: the entry is encrypted.
_ENCRYPTED = 0x1


def check_file_size(path: Path, limit: int = MAX_FILE_BYTES) -> None:
    try:
        info = path.stat()
    except OSError as err:
        raise BadInput(f"{path.name}: cannot read the file ({err.strerror or err})") from None
    if not stat.S_ISREG(info.st_mode):
        # A pipe waits for a writer forever and /dev/zero never ends; neither has a size.
        raise BadInput(f"{path.name}: not a regular file (a device or pipe cannot be imported)")
    size = info.st_size
    if size > limit:
        raise BadInput(f"{path.name}: the file is {_mb(size)}; files over {_mb(limit)} are refused")


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


def check_zip_container(path: Path, kind: str = "spreadsheet") -> None:
    """Refuse a file that is not a zip, or whose members would unpack too large.

    The declared sizes in the zip directory are checked first (cheap), then each
    member is actually inflated in bounded chunks, because a crafted zip can
    declare small sizes and still inflate to gigabytes.
    """
    check_file_size(path, MAX_WORKBOOK_BYTES)
    if not zipfile.is_zipfile(path):
        raise BadInput(f"{path.name}: not a valid {kind} file (it is not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            declared = sum(m.file_size for m in members)
            if declared > MAX_UNPACKED_BYTES:
                raise BadInput(
                    f"{path.name}: refusing to unpack {_mb(declared)} "
                    f"(the unpacked-size limit is {_mb(MAX_UNPACKED_BYTES)}); "
                    "the file may be a zip bomb"
                )
            for member in members:
                if member.flag_bits & _ENCRYPTED:
                    raise BadInput(
                        f"{path.name}: member {member.filename} is encrypted; "
                        f"save the {kind} without a password and import it again"
                    )
                _check_ratio(path, member.filename, member.file_size, member.compress_size)
            budget = MAX_UNPACKED_BYTES
            for member in members:
                budget -= _inflate_bounded(archive, member, budget, path)
    except BadInput:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as err:
        raise BadInput(f"{path.name}: damaged {kind} file ({err})") from None


def _check_ratio(path: Path, name: str, unpacked: int, packed: int) -> None:
    if unpacked < RATIO_CHECK_MIN_BYTES:
        return
    ratio = unpacked / max(packed, 1)
    if ratio > MAX_COMPRESSION_RATIO:
        raise BadInput(
            f"{path.name}: member {name} would expand {ratio:.0f} times "
            f"(the compression ratio limit is {MAX_COMPRESSION_RATIO}); the file may be a zip bomb"
        )


def _inflate_bounded(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int, path: Path
) -> int:
    """Inflate one member without keeping it; return its true size."""
    total = 0
    extent = scanner_for(path.name, member.filename)
    with archive.open(member) as stream, _chunks(stream, member.file_size) as chunks:
        for chunk in chunks:
            if extent is not None:
                extent.feed(chunk)
            if total == 0 and _declares_dtd(chunk):
                # Office files never carry a DTD; one here can only be an entity bomb
                # (or an external-entity probe) aimed at the XML parser.
                raise BadInput(
                    f"{path.name}: member {member.filename} declares a DTD or entities, "
                    "which spreadsheets never do; the file is refused"
                )
            total += len(chunk)
            if total > budget:
                raise BadInput(
                    f"{path.name}: member {member.filename} unpacks beyond "
                    f"{_mb(MAX_UNPACKED_BYTES)} (the unpacked-size limit); "
                    "the file may be a zip bomb"
                )
    if extent is not None:
        extent.finish()
    _check_ratio(path, member.filename, total, member.compress_size)
    return total


@contextlib.contextmanager
def _chunks(stream: IO[bytes], declared: int) -> Iterator[Iterator[bytes]]:
    """The member's bytes, :data:`_CHUNK` at a time.

    A member said to be longer than one chunk is inflated one chunk ahead on a
    second thread while the current one is scanned: zlib lets go of the
    interpreter lock while it inflates, and numpy for most of the scan, so on two
    cores the inflating is mostly hidden (about 12 ms of a 10 MB sheet). Only one
    chunk is ever ahead, so memory and the unpacked-size budget (counted as each
    chunk is taken) are as they were; an error while inflating is raised where
    the chunk is taken, and the thread has finished before this returns, whether
    or not the chunks were all taken. The declared size only chooses the way: a
    lying one is caught the same either way.
    """
    if declared <= _CHUNK:
        yield iter(functools.partial(stream.read, _CHUNK), b"")
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="inflate") as ahead:
        yield _read_ahead(ahead, stream)


def _read_ahead(ahead: ThreadPoolExecutor, stream: IO[bytes]) -> Iterator[bytes]:
    read = functools.partial(stream.read, _CHUNK)
    try:
        pending = ahead.submit(read)
    except RuntimeError:
        # No thread to be had (a limit on threads, or the interpreter shutting down
        # under an import in the window): read in turn, as a small member is.
        yield from iter(read, b"")
        return
    while chunk := pending.result():
        try:
            pending = ahead.submit(read)
        except RuntimeError:
            # As above, part-way: nothing is being read now, so go on in turn.
            yield chunk
            yield from iter(read, b"")
            return
        yield chunk


def _declares_dtd(head: bytes) -> bool:
    """True when the start of an XML member holds a DOCTYPE (UTF-8 or UTF-16)."""
    return any(
        marker in head for marker in (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"))
    )


def read_gzip_bounded(path: Path, limit: int = MAX_UNPACKED_BYTES) -> bytes:
    """Gunzip a file in chunks, refusing it as soon as the output passes ``limit``."""
    check_file_size(path)
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    parts: list[bytes] = []
    total = 0
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                data = chunk
                while data:
                    out = inflater.decompress(data, _CHUNK)
                    total += len(out)
                    if total > limit:
                        raise BadInput(
                            f"{path.name}: unpacks beyond {_mb(limit)}; "
                            "the file may be a compression bomb"
                        )
                    parts.append(out)
                    data = inflater.unconsumed_tail
                if inflater.eof:
                    break
            tail = inflater.flush()
    except zlib.error as err:
        raise BadInput(f"{path.name}: not a gzip-compressed file ({err})") from None
    if not inflater.eof:
        raise BadInput(f"{path.name}: the compressed data is truncated")
    parts.append(tail)
    return b"".join(parts)


def parse_xml(data: bytes | str, where: str, *, allow_doctype: bool = False) -> Element:
    """Parse untrusted XML with DTDs, entities and external references forbidden.

    ``allow_doctype`` accepts a ``<!DOCTYPE ...>`` line (PARC writes one); entity
    declarations and external references are refused all the same, and no DTD
    is ever fetched.
    """
    try:
        return SafeET.fromstring(
            data, forbid_dtd=not allow_doctype, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException:
        raise BadInput(
            f"{where}: the XML declares a DTD or entities, which are refused "
            "(they can be used to exhaust memory)"
        ) from None
    except ParseError as err:
        raise BadInput(f"{where}: not well-formed XML ({err})") from None


def check_cell_text(text: str, where: str) -> None:
    """Refuse a cell longer than Excel itself allows (``where`` names it).

    A text of exactly the limit is refused too: it is what Excel and openpyxl
    leave of a longer text after cutting it, so importing it would silently
    keep a cut title.
    """
    if len(text) < MAX_CELL_CHARS:
        return
    limit = f"{MAX_CELL_CHARS:,}"
    if len(text) == MAX_CELL_CHARS:
        raise BadInput(
            f"{where}: the cell holds {limit} characters, Excel's limit, so its text was "
            "probably cut off; shorten it and import again"
        )
    raise BadInput(
        f"{where}: the cell holds {len(text):,} characters; the limit is {limit} (Excel's own)"
    )


def check_hypothesis_count(count: int, where: str) -> None:
    if count > MAX_HYPOTHESES:
        raise BadInput(
            f"{where}: {count:,} hypothesis columns; at most {MAX_HYPOTHESES:,} are accepted "
            "(is this the right sheet?)"
        )
