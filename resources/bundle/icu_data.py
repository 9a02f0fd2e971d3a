"""Slim the ICU data library Qt Core carries (libicudata, 32 MB of the bundle).

Qt links ICU, and ICU's data library holds one package ("CmnD": a table of
contents, then the items) exported as the symbol ``icudtNN_dat``. Qt formats
numbers, dates and locale names from its own CLDR tables, decodes and breaks
text with its own Unicode tables, and reads time zones from the system: of
ICU's data it uses the collation (QCollator, e.g. sorting in the file dialog),
the break iterators, the core properties and the locale tree those need.

What it never asks ICU for is dropped here: display names of languages,
regions, currencies, units and time zones (QTimeZone::displayName comes back
empty; the app shows no time zones), transliteration, spelled-out numbers, and
the large East Asian multi-byte converter tables (the app decodes files with
Python; Qt would only need them for a legacy-encoded clipboard). The
single-byte converters (windows-125x, ISO 8859) stay. That is 20 of the 32 MB.

The package is rewritten with the same layout and wrapped in a data-only
shared library of the same name with binutils (``as`` with ``.incbin``, then
``ld``). The bundle's tests then run the window, the reports and every
command on it.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

#: Item trees (below the package name) left out; see the docstring.
DROPPED_TREES = ("lang/", "region/", "curr/", "unit/", "zone/", "translit/", "rbnf/")
#: Converter tables above this size are the multi-byte East Asian ones (35 of 190,
#: 4.6 of 5.1 MB); the single-byte tables are a few kB each.
LARGEST_CONVERTER_KEPT = 64 * 1024

ALIGN = 16  # every item starts on a 16-byte boundary, as in ICU's own packages


def _symbol(library: Path, name: str) -> tuple[int, int]:
    """Address and size of an exported symbol (binutils' nm)."""
    listing = subprocess.run(
        ["nm", "-D", "--defined-only", "--print-size", str(library)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] == name:
            return int(parts[0], 16), int(parts[1], 16)
    raise ValueError(f"{library.name} exports no {name}")


def _file_offset(elf: bytes, address: int) -> int:
    """Where the byte at virtual ``address`` sits in an ELF64 file (its section headers)."""
    shoff = struct.unpack_from("<Q", elf, 0x28)[0]
    entry_size, count = struct.unpack_from("<HH", elf, 0x3A)
    for index in range(count):
        base = shoff + index * entry_size
        kind = struct.unpack_from("<I", elf, base + 4)[0]
        start, offset, size = struct.unpack_from("<QQQ", elf, base + 16)
        if kind != 8 and start <= address < start + size:  # 8: NOBITS, no file bytes
            return offset + (address - start)
    raise ValueError(f"address {address:#x} is in no section")


def _items(package: bytes) -> tuple[int, list[tuple[str, bytes]]]:
    """The header size and the (name, data) items of an ICU common-data package."""
    header_size = struct.unpack_from("<H", package, 0)[0]
    if package[2:4] != b"\xda\x27" or package[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package")
    count = struct.unpack_from("<I", package, header_size)[0]
    entries = [struct.unpack_from("<II", package, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(entries):
        name_start = header_size + name_offset
        name = package[name_start : package.index(b"\0", name_start)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(package) - header_size
        items.append((name, package[header_size + data_offset : header_size + end]))
    return header_size, items


def _package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """An ICU common-data package of ``items`` (kept in their sorted order)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    table_size = 4 + 8 * len(items)
    data_start = table_size + len(names)
    data_start += -data_start % ALIGN
    offsets, blob = [], bytearray()
    name_offset = table_size
    for name, data in items:
        offsets.append((name_offset, data_start + len(blob)))
        name_offset += len(name) + 1
        blob += data
        blob += b"\0" * (-len(blob) % ALIGN)
    table = struct.pack("<I", len(items)) + b"".join(struct.pack("<II", *o) for o in offsets)
    padding = b"\0" * (data_start - table_size - len(names))
    return header + table + names + padding + bytes(blob)


def slim_icu_data(library: Path) -> tuple[int, int]:
    """Rewrite ``library`` (libicudataNN) without the unused items; (old, new) sizes.

    Needs binutils (nm, as, ld, strip), which the bundle's build needs anyway.
    """
    match = re.match(r"libicudata\.so\.(\d+)", library.name)
    tools = [shutil.which(name) for name in ("nm", "as", "ld", "strip")]
    if match is None or None in tools:
        raise RuntimeError("slimming ICU data needs libicudata.so.NN and binutils")
    symbol = f"icudt{match.group(1)}_dat"
    elf = library.read_bytes()
    address, size = _symbol(library, symbol)
    start = _file_offset(elf, address)
    header_size, items = _items(elf[start : start + size])
    prefix = items[0][0].split("/", 1)[0] + "/"
    kept = [
        (name, data)
        for name, data in items
        if not name.removeprefix(prefix).startswith(DROPPED_TREES)
        and not (name.endswith(".cnv") and len(data) > LARGEST_CONVERTER_KEPT)
    ]
    package = _package(elf[start : start + header_size], kept)
    with tempfile.TemporaryDirectory() as work:
        data_file = Path(work) / "icudata.dat"
        data_file.write_bytes(package)
        source = Path(work) / "icudata.s"
        source.write_text(
            f"\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n"
            f'\t.balign {ALIGN}\n{symbol}:\n\t.incbin "{data_file}"\n'
            f"\t.size {symbol}, . - {symbol}\n"
            '\t.section .note.GNU-stack,"",@progbits\n'
        )
        built, objects = Path(work) / library.name, Path(work) / "icudata.o"
        subprocess.run(["as", "-o", str(objects), str(source)], check=True)
        subprocess.run(
            ["ld", "-shared", "-soname", library.name, "-z", "noexecstack"]
            + ["-o", str(built), str(objects)],
            check=True,
        )
        subprocess.run(["strip", "--strip-unneeded", str(built)], check=True)
        old = library.stat().st_size
        shutil.copyfile(built, library)
    return old, library.stat().st_size
