"""Hostile corpus, round two (issue 17): what a hostile colleague tried after round one.

Made by code like the rest of the corpus (no binary blobs). :mod:`bad_corpus`
adds these cases to its ``CORPUS``, so each one runs through the CLI and the
window with the same contract: exit 2, one ``error:`` line naming the file,
nothing changed. A case whose input is more than one file (a project and the
journal beside it) makes all of them; the tests compare the whole folder.
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from corpus_kit import (
    COLLECT_COMMANDS,
    IMPORT_COMMANDS,
    PROJECT_COMMANDS,
    BadFile,
    make_real_project,
    tampered_project,
)

#: The first rating block (schema 4: each analyst's ratings as blocks of rows).
_FIRST = "WHERE id = (SELECT min(id) FROM layer_block)"
_FIRST_EVIDENCE = "WHERE id = (SELECT min(id) FROM evidence)"
_FIRST_HYPOTHESIS = "WHERE id = (SELECT min(id) FROM hypothesis)"


def _project(name: str, description: str, *statements: str) -> BadFile:
    return BadFile(name, description, tampered_project(statements), PROJECT_COMMANDS)


# -- journals that are not the file's own ---------------------------------------------


def _crashed_session_wal(folder: Path) -> Path:
    """Another project edited by a process killed mid-session: its WAL holds the edit."""
    other = folder / ".other.achwb"
    make_real_project(other)
    script = (
        "import os, sys\n"
        "from workbench.core.edits import UpdateProject\n"
        "from workbench.store import ProjectFile\n"
        "pf = ProjectFile.open(sys.argv[1])\n"
        "pf.apply(UpdateProject({'title': 'Someone else entirely'}))\n"
        "os._exit(0)\n"  # no close: the WAL stays, as after kill -9
    )
    subprocess.run([sys.executable, "-c", script, str(other)], check=True)
    return other


def _foreign_wal(path: Path) -> None:
    make_real_project(path)
    other = _crashed_session_wal(path.parent)
    shutil.copyfile(other.with_name(other.name + "-wal"), path.with_name(path.name + "-wal"))
    for leftover in ("", "-wal", "-shm", ".lock"):
        other.with_name(other.name + leftover).unlink(missing_ok=True)


def _foreign_journal(path: Path) -> None:
    """A hot rollback journal of some other database, beside a project copy.

    The project is in rollback-journal mode, as a Save a Copy writes it (in
    WAL mode SQLite ignores a ``-journal`` altogether).
    """
    make_real_project(path)
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode = DELETE")
    finally:
        db.close()
    other = path.with_name(".other.db")
    script = (
        "import os, sqlite3, sys\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('PRAGMA journal_mode = DELETE')\n"
        "db.execute('CREATE TABLE t (x)')\n"
        # One transaction: 200 committed one by one cost 200 journal syncs (seconds).
        "db.execute('BEGIN')\n"
        "db.executemany('INSERT INTO t VALUES (randomblob(3000))', [()] * 200)\n"
        "db.execute('COMMIT')\n"
        # A tiny cache makes SQLite spill changed pages into the file mid-transaction,
        # after syncing the journal: the journal is then hot, as after a power cut.
        "db.execute('PRAGMA cache_size = 2')\n"
        "db.execute('BEGIN')\n"
        "db.execute('UPDATE t SET x = randomblob(3000)')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(other)], check=True)
    journal = other.with_name(other.name + "-journal")
    os.replace(journal, path.with_name(path.name + "-journal"))
    other.unlink()


def _claims_schema1(path: Path) -> None:
    make_real_project(path)
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA user_version = 1")
        db.commit()
    finally:
        db.close()


def _virtual_rating(path: Path) -> None:
    tampered_project(
        (
            "DROP TABLE layer_block",
            "CREATE VIRTUAL TABLE layer_block USING fts5("
            "id, analyst_id, block, evidence, hypotheses, codes)",
        )
    )(path)


def _wide(count: int) -> Callable[[Path], None]:
    return tampered_project(
        (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
            f"{count}) INSERT INTO hypothesis (id, position, code, title, description, prior)"
            " SELECT 1000000 + i, 100 + i, 'X' || i, 'padding', '', NULL FROM n",
        )
    )


ROUND_TWO: tuple[BadFile, ...] = (
    # A file able to change data through our own writes, or to hide it.
    _project(
        "trigger.achwb",
        "a trigger that wipes the ratings on the next edit",
        "CREATE TRIGGER wipe AFTER INSERT ON change_log BEGIN DELETE FROM layer_block;"
        " UPDATE project SET title = 'owned'; END",
    ),
    _project("view.achwb", "a view we never make", "CREATE VIEW leak AS SELECT * FROM layer_block"),
    BadFile(
        "virtual-table.achwb",
        "an fts5 table in place of the ratings",
        _virtual_rating,
        PROJECT_COMMANDS,
    ),
    _project("extra-column.achwb", "a column we never make", "ALTER TABLE evidence ADD x TEXT"),
    _project("extra-index.achwb", "an index we never make", "CREATE INDEX ix_x ON evidence(title)"),
    BadFile(
        "foreign-wal.achwb", "another project's -wal beside it", _foreign_wal, PROJECT_COMMANDS
    ),
    BadFile(
        "foreign-journal.achwb",
        "another database's hot -journal beside it",
        _foreign_journal,
        PROJECT_COMMANDS,
    ),
    BadFile(
        "claims-schema1.achwb", "a schema-2 file saying schema 1", _claims_schema1, PROJECT_COMMANDS
    ),
    # Damaged values.
    _project("blob-title.achwb", "a BLOB title", "UPDATE project SET title = X'00ff10'"),
    _project(
        "blob-rationale.achwb",
        "a BLOB rationale",
        "INSERT INTO rationale VALUES ((SELECT min(id) FROM analyst),"
        " (SELECT min(id) FROM evidence), (SELECT min(id) FROM hypothesis), X'00')",
    ),
    _project("tags-5.achwb", "tags of '5'", f"UPDATE evidence SET tags = '5' {_FIRST_EVIDENCE}"),
    _project(
        "tags-null.achwb", "tags of 'null'", f"UPDATE evidence SET tags = 'null' {_FIRST_EVIDENCE}"
    ),
    _project(
        "likelihoods-list.achwb", "likelihoods '[1,2]'", "UPDATE project SET likelihoods = '[1,2]'"
    ),
    _project(
        "likelihoods-null.achwb", "likelihoods 'null'", "UPDATE project SET likelihoods = 'null'"
    ),
    _project(
        "prior-abc.achwb",
        "a prior of 'abc'",
        f"UPDATE hypothesis SET prior = 'abc' {_FIRST_HYPOTHESIS}",
    ),
    _project("next-id-abc.achwb", "next_id of 'abc'", "UPDATE project SET next_id = 'abc'"),
    _project(
        "code-300.achwb",
        "a rating code 127 with next_id past 2^20",
        "UPDATE project SET next_id = 2000000",
        f"UPDATE layer_block SET codes = X'7F' || substr(codes, 2) {_FIRST}",
    ),
    _project(
        "override-missing.achwb",
        "a consensus override of missing evidence",
        "INSERT INTO consensus_override VALUES (99999, (SELECT min(id) FROM hypothesis), 3, '')",
    ),
    _project(
        "setting-not-json.achwb",
        "a setting that is not JSON",
        "INSERT INTO setting VALUES ('view', '{oops')",
    ),
    _project(
        "long-title.achwb",
        "a 40,000-character title",
        "UPDATE project SET title = (SELECT group_concat('x', '') FROM"
        " (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)"
        " SELECT i FROM n))",
    ),
    BadFile(
        "too-wide.achwb", "1,058 hypotheses, past the supported size", _wide(1000), PROJECT_COMMANDS
    ),
)


# -- spreadsheets and CSV -------------------------------------------------------------


def _small_matrix_bytes(hidden_first: bool = False) -> bytes:
    """A plain three-row matrix; with ``hidden_first`` it sits behind a hidden sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Matrix"
    for row in (
        ["ID", "Evidence", "H1: Accident", "H2: Sabotage"],
        ["E1", "Operator log shows an override", "C", "I"],
        ["E2", "No intrusion alerts", "N", "II"],
    ):
        sheet.append(row)
    if hidden_first:
        secret = book.create_sheet("Secret", 0)
        secret.append(["ID", "Evidence", "H1: Planted"])
        secret.append(["E1", "A matrix nobody can see", "CC"])
        secret.sheet_state = "hidden"
        book.active = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite_sheet(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as good, zipfile.ZipFile(out, "w") as bad:
        for item in good.infolist():
            content = good.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            bad.writestr(item, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _far_cell(reference: str) -> Callable[[Path], None]:
    """One extra cell far away: the reader would allocate the whole rectangle up to it."""

    def make(path: Path) -> None:
        cell = f'<c r="{reference}" t="inlineStr"><is><t>x</t></is></c>'
        row = reference.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

        def change(xml: bytes) -> bytes:
            return xml.replace(b"</sheetData>", f'<row r="{row}">{cell}</row></sheetData>'.encode())

        path.write_bytes(_rewrite_sheet(_small_matrix_bytes(), change))

    return make


def _declared_dimension(path: Path) -> None:
    def change(xml: bytes) -> bytes:
        start = xml.index(b"<dimension ")
        end = xml.index(b"/>", start) + 2
        return xml[:start] + b'<dimension ref="A1:XFD1048576"/>' + xml[end:]

    path.write_bytes(_rewrite_sheet(_small_matrix_bytes(), change))


def _encrypted_flag(path: Path) -> None:
    """Every entry claims to be encrypted (general-purpose flag bit 0)."""
    data = bytearray(_small_matrix_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := data.find(signature, start)) >= 0:
            flags = int.from_bytes(data[found + offset : found + offset + 2], "little")
            data[found + offset : found + offset + 2] = (flags | 1).to_bytes(2, "little")
            start = found + 4
    path.write_bytes(bytes(data))


def _hidden_only(path: Path) -> None:
    """The only matrix is on a hidden sheet: it must not be read unasked."""
    book = openpyxl.load_workbook(io.BytesIO(_small_matrix_bytes(hidden_first=True)))
    book["Matrix"]["B1"] = "Notes"  # the visible sheet has no Evidence header now
    book.save(path)


def _unclosed_quote(path: Path) -> None:
    path.write_text(
        "ID,Evidence,H1: Accident,H2: Sabotage\n"
        'E1,"Operator log, shift 3,C,I\n'
        "E2,No intrusion alerts,N,II\n",
        encoding="utf-8",
    )


_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods_bytes(row_attributes: str, cell_attributes: str, hypothesis: str = "H1: a") -> bytes:
    """An OpenDocument sheet: a header row (Evidence, ``hypothesis``), then one row
    (attributes as given) of a cell and a second cell (attributes as given)."""
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    wide = (
        f'<table:table-cell {cell_attributes} office:value-type="string">'
        "<text:p>C</text:p></table:table-cell>"
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}>'
        '<office:body><office:spreadsheet><table:table table:name="Matrix">'
        f"<table:table-row>{cell.format('Evidence')}{cell.format(hypothesis)}</table:table-row>"
        f"<table:table-row {row_attributes}>{cell.format('x')}{wide}"
        "</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return out.getvalue()


def _ods_repeat_bomb(path: Path) -> None:
    """A 2 KB OpenDocument sheet whose repeat counts stand for 90 million cells."""
    path.write_bytes(
        ods_bytes(
            'table:number-rows-repeated="90000"', 'table:number-columns-repeated="1000"', "H1"
        )
    )


ROUND_TWO_IMPORTS: tuple[BadFile, ...] = (
    BadFile(
        "repeat-bomb.ods",
        "ODS repeat counts standing for 90 million cells",
        _ods_repeat_bomb,
        IMPORT_COMMANDS,
        where="90,001 rows x 1,001 columns",
    ),
    BadFile(
        "unclosed-quote.csv",
        "a quoted field never closed",
        _unclosed_quote,
        IMPORT_COMMANDS,
        where="line 2",
    ),
    BadFile(
        "cell-at-xfd1048576.xlsx",
        "one cell at XFD1048576 (half a terabyte to the reader)",
        _far_cell("XFD1048576"),
        IMPORT_COMMANDS,
        where="1,048,576 rows x 16,384 columns",
    ),
    BadFile(
        "cell-at-zz200000.xlsx",
        "one cell at ZZ200000 (5.5 GB to the reader)",
        _far_cell("ZZ200000"),
        IMPORT_COMMANDS,
        where="200,000 rows x 702 columns",
    ),
    BadFile(
        "declared-dimension.xlsx",
        "a dimension of A1:XFD1048576",
        _declared_dimension,
        IMPORT_COMMANDS,
        where="cells",
    ),
    BadFile("encrypted.xlsx", "zip entries flagged encrypted", _encrypted_flag, IMPORT_COMMANDS),
    BadFile(
        "hidden-only.xlsx",
        "the matrix only on a hidden sheet",
        _hidden_only,
        IMPORT_COMMANDS,
        where="'Secret'",
    ),
)


# -- rating sheets, collected into their own project -----------------------------------


def _sheet_for(project: Path, folder: Path) -> Path:
    from workbench.exchange.rating_sheets import write_rating_sheets
    from workbench.store import ProjectFile

    with ProjectFile.open(project, read_only=True) as project_file:
        (sheet,) = write_rating_sheets(project_file.project, ["Ana"], folder, shuffle=False)
    return sheet


def _planted_name(path: Path, project: Path) -> None:
    """The hidden _workbench sheet names the analyst with a C1 control and an RLO."""
    folder = path.with_name(path.name + ".d")
    sheet = _sheet_for(project, folder)
    book = openpyxl.load_workbook(sheet)
    for row in book["_workbench"].iter_rows():
        if row[0].value == "analyst":
            # XML 1.0 cannot carry ESC; a C1 control and a right-to-left override it can.
            row[1].value = "Ana\x85\u202enimda"
    book.save(path)
    shutil.rmtree(folder)


def _sheet_with_far_cell(path: Path, project: Path) -> None:
    """A real rating sheet with one more cell at XFD1048576 on its Ratings sheet."""
    folder = path.with_name(path.name + ".d")
    data = _sheet_for(project, folder).read_bytes()
    shutil.rmtree(folder)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as good, zipfile.ZipFile(out, "w") as bad:
        for item in good.infolist():
            content = good.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b"</sheetData>",
                    b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>',
                )
            bad.writestr(item, content, compress_type=zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


def _unused(path: Path) -> None:
    raise AssertionError(f"{path}: a rating sheet is made for its project (make_for)")


ROUND_TWO_SHEETS: tuple[BadFile, ...] = (
    BadFile(
        "planted-name.xlsx",
        "a rating sheet naming its analyst with control characters",
        _unused,
        COLLECT_COMMANDS,
        where="control or formatting characters",
        make_for=_planted_name,
    ),
    BadFile(
        "sheet-far-cell.xlsx",
        "a rating sheet with one cell at XFD1048576",
        _unused,
        COLLECT_COMMANDS,
        where="1,048,576 rows x 16,384 columns",
        make_for=_sheet_with_far_cell,
    ),
)
