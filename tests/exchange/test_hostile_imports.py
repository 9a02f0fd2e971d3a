"""Hostile files straight into the importers: refused with BadInput before any harm."""

from __future__ import annotations

import gzip
import io
import random
import string
import struct
import time
import zipfile
import zlib
from pathlib import Path

import bad_corpus
import openpyxl
import pytest

from workbench.core.errors import BadInput
from workbench.exchange import safety
from workbench.exchange.matrix_import import read_matrix
from workbench.exchange.parc import read_parc
from workbench.exchange.workbook_import import read_workbook

IMPORT_FILES = [bad for bad in bad_corpus.CORPUS if bad.commands == bad_corpus.IMPORT_COMMANDS]
RATING_SHEETS = [bad for bad in bad_corpus.CORPUS if bad.make_for is not None]


@pytest.mark.parametrize("bad", IMPORT_FILES, ids=lambda bad: bad.name)
def test_shared_corpus_is_refused_quickly(tmp_path, bad):
    path = bad_corpus.build_one(bad.name, tmp_path)
    reader = read_parc if path.suffix == ".achz" else read_matrix
    started = time.perf_counter()
    with pytest.raises(BadInput) as err:
        reader(path)
    assert time.perf_counter() - started < 10
    message = str(err.value)
    assert message.startswith(path.name + ": ")
    if bad.where:
        assert bad.where in message
    assert "\n" not in message


@pytest.mark.parametrize("bad", RATING_SHEETS, ids=lambda bad: bad.name)
def test_rating_sheet_corpus_is_refused(tmp_path, bad):
    from workbench.exchange.rating_sheets_collect import collect_rating_sheets
    from workbench.store import ProjectFile

    path = bad_corpus.build_one(bad.name, tmp_path)
    with ProjectFile.open(tmp_path / (bad.name + ".project.achwb"), read_only=True) as project:
        project_now = project.project
    with pytest.raises(BadInput) as err:
        collect_rating_sheets(project_now, [path])
    assert str(err.value).startswith(path.name + ": ")
    assert bad.where in str(err.value)


def _matrix_xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Matrix"
    sheet.append(["Evidence", "H1: a"])
    sheet.append(["x", "C"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_extra_member(path: Path, name: str, write) -> Path:  # noqa: ANN001
    with (
        zipfile.ZipFile(io.BytesIO(_matrix_xlsx_bytes())) as good,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in good.infolist():
            out.writestr(item, good.read(item.filename))
        with out.open(name, "w", force_zip64=True) as member:
            write(member)
    return path


def test_high_compression_ratio_is_refused(tmp_path):
    path = _with_extra_member(
        tmp_path / "ratio.xlsx", "xl/media/zeros.bin", lambda m: m.write(bytes(20 * 2**20))
    )
    with pytest.raises(
        BadInput,
        match=r"^ratio\.xlsx: member xl/media/zeros\.bin would expand .* ratio limit",
    ):
        read_matrix(path)


def test_declared_total_over_the_limit_is_refused(tmp_path, monkeypatch):
    # The real limit is 2 GB; a smaller one keeps the test quick and checks the same code.
    monkeypatch.setattr(safety, "MAX_UNPACKED_BYTES", 50 * 2**20)

    def write(member):
        block = bytes(2**20)
        for _ in range(55):
            member.write(block)

    path = _with_extra_member(tmp_path / "big.xlsx", "xl/big.bin", write)
    with pytest.raises(
        BadInput, match=r"refusing to unpack 55 MB \(the unpacked-size limit is 50 MB\)"
    ):
        read_matrix(path)


def test_lying_declared_size_is_caught_while_inflating(tmp_path):
    """A member that says it is 1 KB but inflates to 5 MB."""
    path = _with_extra_member(
        tmp_path / "liar.xlsx", "xl/liar.bin", lambda m: m.write(b"A" * (5 * 2**20))
    )
    data = bytearray(path.read_bytes())
    name = b"xl/liar.bin"
    # Patch the uncompressed size in the local header and the central directory.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (found := data.find(signature, start)) >= 0:
            name_at = found + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                size = struct.unpack_from("<I", data, found + offset)[0]
                if size != 0xFFFFFFFF:
                    struct.pack_into("<I", data, found + offset, 1024)
            start = found + 4
    path.write_bytes(bytes(data))
    with pytest.raises(BadInput, match=r"^liar\.xlsx: "):
        read_matrix(path)


def test_not_a_zip_named_xlsx(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("Evidence,H1\nx,C\n", encoding="utf-8")
    with pytest.raises(BadInput) as err:
        read_matrix(path)
    assert str(err.value) == "fake.xlsx: not a valid spreadsheet file (it is not a zip archive)"


def test_truncated_xlsx(tmp_path):
    data = _matrix_xlsx_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) - 200])
    with pytest.raises(BadInput, match=r"^cut\.xlsx: "):
        read_matrix(path)


def test_external_entity_probe_in_xlsx(tmp_path):
    path = _with_extra_member(
        tmp_path / "xxe.xlsx",
        "xl/extra.xml",
        lambda m: m.write(
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
        ),
    )
    with pytest.raises(BadInput, match="declares a DTD or entities"):
        read_matrix(path)


def test_workbook_import_uses_the_same_guards(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"\x00" * 100)
    with pytest.raises(BadInput, match="not a zip archive"):
        read_workbook(path)


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE MATRIX [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    "<MATRIX><HYPOTHESIS><NAME>&c;</NAME></HYPOTHESIS></MATRIX>"
)


def test_entity_bomb_in_achz(tmp_path):
    path = tmp_path / "laughs.achz"
    path.write_bytes(gzip.compress(LAUGHS.encode("utf-16")))
    with pytest.raises(BadInput, match=r"^laughs\.achz: the XML declares a DTD or entities"):
        read_parc(path)


def test_gzip_bomb_in_achz_is_cut_off(tmp_path):
    path = tmp_path / "bomb.achz"
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    with path.open("wb") as out:
        out.write(packer.compress("<MATRIX>".encode("utf-16")))
        block = " ".encode("utf-16-le") * 2**19
        for _ in range(100):  # 100 MB of spaces inside the XML
            out.write(packer.compress(block))
        out.write(packer.compress("</MATRIX>".encode("utf-16-le")) + packer.flush())
    assert path.stat().st_size < 2**20
    with pytest.raises(BadInput, match=r"^bomb\.achz: unpacks beyond 80 MB"):
        read_parc(path)


def test_gzip_bound_is_exact(tmp_path):
    path = tmp_path / "small.gz"
    path.write_bytes(gzip.compress(b"x" * 5000))
    assert safety.read_gzip_bounded(path, 5000) == b"x" * 5000
    with pytest.raises(BadInput, match="unpacks beyond"):
        safety.read_gzip_bounded(path, 4999)


# -- long cells and wide sheets -----------------------------------------------------


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Matrix"
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def _with_huge_text(path: Path, rows: list[list[object]], huge: str) -> Path:
    """openpyxl cuts long texts to 32,767 characters, so put the long text in by hand."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "Matrix"
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as good, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in good.infolist():
            data = good.read(item.filename)
            out.writestr(item, data.replace(b"HUGE", huge.encode()))
    return path


@pytest.mark.parametrize(("column", "cell"), [(1, "B2"), (2, "C2"), (3, "D1")])
def test_megabyte_cell_in_xlsx_is_named(tmp_path, column, cell):
    rows = [["ID", "Evidence", "Notes", "H1: a"], ["E1", "x", "", "C"]]
    if cell == "D1":
        rows[0][column] = "H1: HUGE"
    else:
        rows[1][column] = "HUGE"
    rng = random.Random(7)  # varied text: a repeated word would trip the zip-bomb ratio
    words = ["".join(rng.choices(string.ascii_letters, k=rng.randint(1, 9))) for _ in range(9999)]
    huge = " &amp; ".join(rng.choices(words, k=150_000))
    path = _with_huge_text(tmp_path / "m.xlsx", rows, huge)
    prefix = "H1: " if cell == "D1" else ""
    with pytest.raises(BadInput) as err:
        read_matrix(path)
    assert str(err.value) == (
        f"m.xlsx: Matrix!{cell}: the cell holds {len(prefix + huge.replace('&amp;', '&')):,} "
        "characters; the limit is 32,767 (Excel's own)"
    )


def test_cell_just_under_the_limit_is_accepted(tmp_path):
    text = "é" * (safety.MAX_CELL_CHARS - 1)
    project = read_matrix(_xlsx(tmp_path / "m.xlsx", [["Evidence", "H"], [text, "C"]]))
    assert project.evidence[0].title == text


def test_cell_filled_to_the_limit_was_probably_cut(tmp_path):
    """openpyxl (like Excel) cuts a longer text to exactly the limit: refuse what is left."""
    rows = [["Evidence", "H"], ["é" * (safety.MAX_CELL_CHARS + 10), "C"]]
    with pytest.raises(BadInput) as err:
        read_matrix(_xlsx(tmp_path / "m.xlsx", rows))
    assert str(err.value).startswith(
        "m.xlsx: Matrix!A2: the cell holds 32,767 characters, Excel's limit, so its text was "
        "probably cut off"
    )


def test_entities_count_as_one_character(tmp_path):
    """A text under the limit stays accepted even when its XML form is far longer."""
    text = "&" * (safety.MAX_CELL_CHARS - 1)
    rows = [["Evidence", "H"], [text, "C"]]
    assert read_matrix(_xlsx(tmp_path / "m.xlsx", rows)).evidence[0].title == text


def test_megabyte_cell_in_csv_is_named(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Evidence,H\n" + "x" * 2**20 + ",C\n", encoding="utf-8")
    with pytest.raises(BadInput) as err:
        read_matrix(path)
    assert str(err.value) == (
        "m.csv: A2: the cell holds 1,048,576 characters; the limit is 32,767 (Excel's own)"
    )


def test_two_thousand_columns_in_csv(tmp_path):
    path = tmp_path / "wide.csv"
    header = ",".join(["Evidence", *(f"H{j}" for j in range(2000))])
    path.write_text(header + "\n" + ",".join(["x"] + ["C"] * 2000) + "\n", encoding="utf-8")
    with pytest.raises(BadInput) as err:
        read_matrix(path)
    assert str(err.value).startswith(
        "wide.csv: row 1: 2,000 hypothesis columns; at most 1,000 are accepted"
    )


def test_thousand_columns_are_still_accepted(tmp_path):
    path = tmp_path / "wide.csv"
    header = ",".join(["Evidence", *(f"H{j}" for j in range(1000))])
    path.write_text(header + "\n" + ",".join(["x"] + ["I"] * 1000) + "\n", encoding="utf-8")
    assert len(read_matrix(path).hypotheses) == 1000


def test_oversized_csv_file_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_text("Evidence,H\n" + "x,C\n" * 1000, encoding="utf-8")
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(safety.check_file_size, "__defaults__", (1000,))
    with pytest.raises(BadInput, match=r"^big\.csv: the file is 0 MB; files over 0 MB are refused"):
        read_matrix(path)
