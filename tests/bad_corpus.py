"""Build the hostile-input corpus: files a careless or malicious sender could hand us.

Nothing here is committed as a binary blob; every file is made by code, so the
corpus is reproducible and reviewable. The tests build it into a temporary
folder; ``python tests/bad_corpus.py [FOLDER]`` writes it to ``tests/data/bad``
(git-ignored) for poking at by hand.

Each :class:`BadFile` says what the file is, which CLI commands should refuse
it, and which place (sheet, cell, row) the refusal must name besides the file.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import os
import random
import sqlite3
import stat
import sys
import zipfile
from pathlib import Path

import openpyxl
from bad_corpus_round2 import ROUND_TWO, ROUND_TWO_IMPORTS, ROUND_TWO_SHEETS
from bad_corpus_round3 import ROUND_THREE
from corpus_kit import (
    IMPORT_COMMANDS,
    PROJECT_COMMANDS,
    BadFile,
    make_real_project,
    tampered_project,
)

#: Deterministic "random" content: a failure can be reproduced byte for byte.
_SEED = 20_260_127

# -- project files -----------------------------------------------------------------


def _random_bytes(size: int, salt: int) -> bytes:
    return random.Random(_SEED + salt).randbytes(size)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _random_project(path: Path) -> None:
    path.write_bytes(_random_bytes(64 * 1024, 1))


def _truncated_project(path: Path) -> None:
    """A real project cut in half, as a copy interrupted by a full disk would leave it."""
    whole = path.with_name(path.name + ".whole")
    make_real_project(whole)
    data = whole.read_bytes()
    whole.unlink()
    path.write_bytes(data[: len(data) // 2])


def _foreign_sqlite(path: Path) -> None:
    """Some other program's database: valid SQLite, none of our tables."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT, title TEXT)")
        db.execute("CREATE TABLE moz_bookmarks (id INTEGER PRIMARY KEY, fk INTEGER, title TEXT)")
        db.executemany(
            "INSERT INTO moz_places (url, title) VALUES (?, ?)",
            [(f"https://example.org/{i}", f"page {i}") for i in range(50)],
        )
    db.close()


def claim_newer_schema(path: Path) -> None:
    """Make a real project file say it was written by a future version."""
    from workbench.store import schema

    future = schema.SCHEMA_VERSION + 97
    db = sqlite3.connect(path)
    try:
        db.execute(f"PRAGMA user_version = {future}")
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" in tables:
            db.execute("UPDATE alembic_version SET version_num = ?", (f"{future:04d}_future",))
        db.commit()
    finally:
        db.close()


def _newer_project(path: Path) -> None:
    make_real_project(path)
    claim_newer_schema(path)


#: The first rating block (schema 4 stores each analyst's ratings as blocks of rows).
_FIRST_BLOCK = "WHERE id = (SELECT min(id) FROM layer_block)"


# -- spreadsheets --------------------------------------------------------------------

_HYPOTHESES = ("H1: Accident", "H2: Sabotage", "H3: Test gone wrong")


def _matrix_book(rows: list[list[object]], header: list[object] | None = None) -> openpyxl.Workbook:
    """A plain matrix laid out like our export: title, question, header on row 4."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Matrix"
    sheet.append(["Why did the plant fail?"])
    sheet.append(["Key question: what caused the outage?"])
    sheet.append([])
    sheet.append(header or ["ID", "Evidence", "Credibility", "Relevance", *_HYPOTHESES])
    for row in rows:
        sheet.append(row)
    return book


def _good_rows() -> list[list[object]]:
    return [
        ["E1", "Operator log shows a manual override", "High", "Medium", "C", "I", "CC"],
        ["E2", "No intrusion alerts that night", "Medium", "High", "C", "II", "N"],
        ["E3", "Spare parts were recently replaced", "Low", "Low", "N", "N", "C"],
    ]


def _save(book: openpyxl.Workbook, path: Path) -> None:
    book.save(path)


def _not_a_zip(path: Path) -> None:
    path.write_text("ID,Evidence,H1\nE1,this is CSV text saved as .xlsx,C\n", encoding="utf-8")


def _zip_bomb(path: Path) -> None:
    """A workbook whose sheet inflates to 300 MB from a file of a few hundred KB."""
    path.write_bytes(_zip_bomb_bytes())


@functools.cache  # compressing 300 MB takes a second; several tests use the same bomb
def _zip_bomb_bytes() -> bytes:
    buffer, bomb = io.BytesIO(), io.BytesIO()
    _save(_matrix_book(_good_rows()), buffer)  # type: ignore[arg-type]
    with zipfile.ZipFile(buffer) as good, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in good.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                continue
            out.writestr(item, good.read(item.filename))
        chunk = b"<row><c><v>0</v></c></row>" * 40_000  # ~1 MB of one repeated row
        with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(chunk)
    return bomb.getvalue()


_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


def _entity_bomb_sheet(path: Path) -> None:
    """Billion laughs: the sheet XML declares nested entities and uses the deepest."""
    buffer = io.BytesIO()
    _save(_matrix_book(_good_rows()), buffer)  # type: ignore[arg-type]
    with zipfile.ZipFile(buffer) as good:
        sheet_xml = good.read("xl/worksheets/sheet1.xml").decode("utf-8")
        body = sheet_xml.split("?>", 1)[1] if sheet_xml.startswith("<?xml") else sheet_xml
        # The bomb goes into the title cell A1 as an inline string.
        bomb_cell = '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>'
        start = body.index('<c r="A1"')
        end = body.index("</c>", start) + len("</c>")
        body = body[:start] + bomb_cell + body[end:]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for item in good.infolist():
                if item.filename == "xl/worksheets/sheet1.xml":
                    out.writestr(item.filename, _LAUGHS + body)
                else:
                    out.writestr(item, good.read(item.filename))


def _no_evidence_header(path: Path) -> None:
    header = ["ID", "Observation", "Credibility", "Relevance", *_HYPOTHESES]
    _save(_matrix_book(_good_rows(), header), path)


def _unknown_rating(path: Path) -> None:
    rows = _good_rows()
    rows[1][5] = "Maybe"  # F6: E2 x H2
    _save(_matrix_book(rows), path)


def _unknown_weight(path: Path) -> None:
    rows = _good_rows()
    rows[2][2] = "Very trustworthy"  # C7: E3's credibility
    _save(_matrix_book(rows), path)


def _megabyte_cell(path: Path) -> None:
    rows = _good_rows()
    rows[0][1] = "All work and no play makes Jack a dull boy. " * 23_000  # B5, ~1 MB
    _save(_matrix_book(rows), path)


def _two_thousand_columns(path: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Matrix")
    sheet.append(["ID", "Evidence", *(f"H{j}: hypothesis {j}" for j in range(1, 2001))])
    for i in range(1, 4):
        sheet.append([f"E{i}", f"evidence {i}", *(["C", "I", "N", "II"] * 500)])
    book.save(path)


# -- CSV -----------------------------------------------------------------------------


def _binary_csv(path: Path) -> None:
    path.write_bytes(b"ID,Evidence,H1\x00\x00\x01\x02" + _random_bytes(4096, 2))


def _ragged_csv(path: Path) -> None:
    path.write_text(
        "ID,Evidence,H1: Accident,H2: Sabotage\n"
        "E1,Operator log shows an override,C,I\n"
        "E2,No alerts, none at all,N,C\n"  # an unquoted comma shifts this row: E3 is extra
        "E3,Parts replaced,N,N\n",
        encoding="utf-8",
    )


# -- PARC .achz ----------------------------------------------------------------------

_PARC_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<ACH version="2.0.5"><Project name="Outage"><Hypotheses>'
    '<Hypothesis id="1" name="Accident"/><Hypothesis id="2" name="Sabotage"/>'
    "</Hypotheses><Evidence>"
    + "".join(
        f'<Item id="{i}" name="evidence {i}" credibility="High" relevance="Medium">'
        f'<Rating hypothesis="1" value="C"/><Rating hypothesis="2" value="I"/></Item>'
        for i in range(1, 200)
    )
    + "</Evidence></Project></ACH>\n"
)


def _achz_not_gzip(path: Path) -> None:
    """A zip archive named .achz (neither gzip nor XML), as a mixed-up attachment would be."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.xml", _PARC_XML)


def _achz_gzip_of_garbage(path: Path) -> None:
    path.write_bytes(gzip.compress(_random_bytes(32 * 1024, 3), mtime=0))


def _achz_truncated(path: Path) -> None:
    data = gzip.compress(_PARC_XML.encode("utf-8"), mtime=0)
    path.write_bytes(data[: len(data) // 2])


def _achz_entity_bomb(path: Path) -> None:
    xml = _LAUGHS.replace("lolz", "ACH") + (
        '<ACH version="2.0.5"><Project name="&lol9;"><Hypotheses>'
        '<Hypothesis id="1" name="&lol9;"/></Hypotheses></Project></ACH>\n'
    )
    path.write_bytes(gzip.compress(xml.encode("utf-8"), mtime=0))


# -- not files at all ---------------------------------------------------------------

#: Symlinks to /dev/zero and named pipes exist on POSIX systems only.
HAS_SPECIAL_FILES = hasattr(os, "mkfifo") and Path("/dev/zero").exists()


def _endless(path: Path) -> None:
    """A link to /dev/zero: stat says 0 bytes, reading never ends."""
    os.symlink("/dev/zero", path)


def _pipe(path: Path) -> None:
    """A named pipe: opening it waits for a writer that never comes."""
    os.mkfifo(path)


def fingerprint(path: Path) -> tuple[str, object]:
    """What is at ``path``, to compare before and after without reading a device forever."""
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        return ("symlink", os.readlink(path))
    if not stat.S_ISREG(info.st_mode):
        return ("special", stat.S_IFMT(info.st_mode))
    return ("file", hashlib.sha256(path.read_bytes()).hexdigest())


_SPECIAL: tuple[BadFile, ...] = (
    BadFile("endless.achwb", "a link to /dev/zero", _endless, PROJECT_COMMANDS),
    BadFile("pipe.achwb", "a named pipe", _pipe, PROJECT_COMMANDS),
    BadFile("endless.csv", "a link to /dev/zero", _endless, IMPORT_COMMANDS),
    BadFile("endless.xlsx", "a link to /dev/zero", _endless, IMPORT_COMMANDS),
    BadFile("endless.achz", "a link to /dev/zero", _endless, IMPORT_COMMANDS),
    BadFile("pipe.csv", "a named pipe", _pipe, IMPORT_COMMANDS),
)

# -- the corpus ----------------------------------------------------------------------

CORPUS: tuple[BadFile, ...] = (
    (
        BadFile("empty.achwb", "a zero-byte project file", _empty, PROJECT_COMMANDS),
        BadFile("random.achwb", "64 KB of random bytes", _random_project, PROJECT_COMMANDS),
        BadFile(
            "truncated.achwb", "a real project cut in half", _truncated_project, PROJECT_COMMANDS
        ),
        BadFile("foreign.achwb", "another program's SQLite db", _foreign_sqlite, PROJECT_COMMANDS),
        BadFile("newer.achwb", "a project from a future schema", _newer_project, PROJECT_COMMANDS),
        BadFile(
            "rating-code-9.achwb",
            "a rating code outside the scale",
            tampered_project(
                (f"UPDATE layer_block SET codes = X'09' || substr(codes, 2) {_FIRST_BLOCK}",)
            ),
            PROJECT_COMMANDS,
        ),
        BadFile(
            "orphan-rating.achwb",
            "a rating of evidence that does not exist",
            tampered_project(
                # The block's first evidence id (little-endian int64) becomes 99999.
                (
                    "UPDATE layer_block SET evidence = X'9F86010000000000' || substr(evidence, 9)"
                    f" {_FIRST_BLOCK}",
                )
            ),
            PROJECT_COMMANDS,
        ),
        BadFile(
            "no-rating-table.achwb",
            "the rating table dropped",
            tampered_project(("DROP TABLE layer_block",)),
            PROJECT_COMMANDS,
        ),
        BadFile("not-a-zip.xlsx", "CSV text named .xlsx", _not_a_zip, IMPORT_COMMANDS),
        BadFile("zip-bomb.xlsx", "a sheet inflating to 300 MB", _zip_bomb, IMPORT_COMMANDS),
        BadFile(
            "entity-bomb.xlsx", "billion laughs in sheet XML", _entity_bomb_sheet, IMPORT_COMMANDS
        ),
        BadFile(
            "no-evidence-header.xlsx",
            "a matrix without an Evidence header",
            _no_evidence_header,
            IMPORT_COMMANDS,
            where="Matrix",
        ),
        BadFile(
            "unknown-rating.xlsx",
            "a rating cell reading 'Maybe'",
            _unknown_rating,
            IMPORT_COMMANDS,
            where="Matrix!F6",
        ),
        BadFile(
            "unknown-weight.xlsx",
            "a credibility cell reading 'Very trustworthy'",
            _unknown_weight,
            IMPORT_COMMANDS,
            where="Matrix!C7",
        ),
        BadFile(
            "megabyte-cell.xlsx",
            "an evidence title of 1 MB",
            _megabyte_cell,
            IMPORT_COMMANDS,
            where="Matrix!B5",
        ),
        BadFile(
            "2000-columns.xlsx",
            "2,000 hypothesis columns",
            _two_thousand_columns,
            IMPORT_COMMANDS,
            where="Matrix",
        ),
        BadFile("binary.csv", "NUL bytes in a .csv", _binary_csv, IMPORT_COMMANDS),
        BadFile(
            "ragged.csv", "a row longer than the header", _ragged_csv, IMPORT_COMMANDS, where="E3"
        ),
        BadFile("not-gzip.achz", "a zip archive, not gzip", _achz_not_gzip, IMPORT_COMMANDS),
        BadFile(
            "gzip-garbage.achz", "gzip of random bytes", _achz_gzip_of_garbage, IMPORT_COMMANDS
        ),
        BadFile("truncated.achz", "a PARC file cut in half", _achz_truncated, IMPORT_COMMANDS),
        BadFile(
            "entity-bomb.achz", "billion laughs in PARC XML", _achz_entity_bomb, IMPORT_COMMANDS
        ),
    )
    + (_SPECIAL if HAS_SPECIAL_FILES else ())
    + ROUND_TWO
    + ROUND_TWO_IMPORTS
    + ROUND_TWO_SHEETS
    + ROUND_THREE
)

BY_NAME = {bad.name: bad for bad in CORPUS}


def build_one(name: str, folder: Path, project: Path | None = None) -> Path:
    """Write the named hostile file into ``folder`` and return its path.

    A rating sheet is written for ``project`` (a new example project beside
    it when none is given).
    """
    bad = BY_NAME[name]
    path = folder / bad.name
    path.unlink(missing_ok=True)  # never opens it: the old one may be a pipe
    if bad.make_for is not None:
        if project is None:
            project = folder / (bad.name + ".project.achwb")
            make_real_project(project)
        bad.make_for(path, project)
    else:
        bad.make(path)
    return path


def build(folder: Path) -> dict[str, Path]:
    """Write the whole corpus into ``folder``; returns name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    return {bad.name: build_one(bad.name, folder) for bad in CORPUS}


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path(__file__).parent / "data" / "bad"
    for name, path in build(folder).items():
        kind, what = fingerprint(path)
        size = f"{path.lstat().st_size:,}" if kind == "file" else kind
        print(f"{size:>10}  {name}  ({BY_NAME[name].description})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
