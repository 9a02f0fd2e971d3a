"""Store the workbench's own numbers as the cached results of the score formulas.

openpyxl writes formulas with an empty result, so any reader that does not
recalculate (previewers, mail clients, pandas, our own importer) would see
blanks. This fills each ``<v>`` of the named cells in one sheet of a saved
workbook. Excel and LibreOffice recalculate on load anyway.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_EMPTY_RESULT = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"([^>]*)>(\s*<f>[^<]*</f>)\s*<v\s*(?:/>|>\s*</v>)'
)


def sheet_member(archive: zipfile.ZipFile, title: str) -> str:
    """The zip member holding the sheet called ``title``."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    for sheet in book.iter(f"{_MAIN_NS}sheet"):
        if sheet.get("name") == title:
            target = targets[sheet.get(f"{_REL_NS}id")] or ""
            return target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    raise KeyError(title)


#: openpyxl marks outer spaces as significant only when the text has a non-space
#: character, so a cell of only spaces or line breaks would read back empty.
_BLANK_TEXT = re.compile(rb"<t>([ \t\n]+)</t>")


def _keep_blank_text(xml: bytes) -> bytes:
    return _BLANK_TEXT.sub(rb'<t xml:space="preserve">\1</t>', xml)


def write_cached_values(path: Path, sheet_title: str, values: dict[str, float | str]) -> None:
    """Rewrite ``path`` in place with ``values`` (cell -> number or text) as formula results.

    Only formula cells whose result is empty are touched; text of only white
    space is marked as such in every sheet. ``path`` is the exporter's temporary
    file, so rewriting it in place is safe.
    """
    patched = path.with_name(path.name + ".cached")
    try:
        with (
            zipfile.ZipFile(path) as source,
            zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            member = sheet_member(source, sheet_title)
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename.startswith("xl/worksheets/") and b"<t>" in data:
                    data = _keep_blank_text(data)
                if info.filename == member and values:
                    data = _fill(data, values)
                target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        shutil.move(patched, path)
    finally:
        patched.unlink(missing_ok=True)


def _fill(xml: bytes, values: dict[str, float | str]) -> bytes:
    def result(match: re.Match[bytes]) -> bytes:
        cell, attributes, formula = match.groups()
        value = values.get(cell.decode("ascii"))
        if value is None:
            return match.group(0)
        if isinstance(value, str):
            # Rating codes only: plain ASCII letters, nothing to escape.
            opening = b'<c r="' + cell + b'"' + attributes + b' t="str">'
            return opening + formula + b"<v>" + value.encode("ascii") + b"</v>"
        opening = b'<c r="' + cell + b'"' + attributes + b">"
        return opening + formula + b"<v>" + repr(float(value)).encode("ascii") + b"</v>"

    # The cached cells are the last ones in the sheet: search only from the first on.
    def position(cell: str) -> tuple[int, int, str]:
        letters = re.sub(r"[0-9]+", "", cell)
        return int(cell[len(letters) :]), len(letters), letters

    first = min(values, key=position)
    start = xml.find(f'<c r="{first}"'.encode("ascii"))
    start = 0 if start < 0 else start
    return xml[:start] + _EMPTY_RESULT.sub(result, xml[start:])
