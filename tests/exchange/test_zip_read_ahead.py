"""A big zip member is inflated one chunk ahead on a second thread (safety._chunks):
the same bytes in the same chunks, every error raised where the chunk is taken, and
no thread left running however the reading ends."""

from __future__ import annotations

import random
import struct
import threading
import zipfile
from pathlib import Path

import pytest

from workbench.core.errors import BadInput
from workbench.exchange import safety

_MEMBER = "xl/worksheets/sheet1.xml"


def _inflating_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("inflate")]


def _payload(size: int) -> bytes:
    """Sheet-like text that compresses about as real sheets do (and fits the ratio limit)."""
    rng = random.Random(12)
    cells = [
        f'<c r="{rng.choice("ABC")}{rng.randrange(1, 999)}"><v>{rng.random()}</v></c>'
        for _ in range(2000)
    ]
    text = "".join(cells).encode()
    return (text * (size // len(text) + 1))[:size]


def _book(path: Path, payload: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(_MEMBER, payload)
    return path


def test_a_big_member_is_read_in_the_same_chunks_as_one_read_in_turn(tmp_path: Path) -> None:
    payload = _payload(3 * safety._CHUNK + 12345)
    path = _book(tmp_path / "big.xlsx", payload)
    readers: set[str] = set()
    with zipfile.ZipFile(path) as archive, archive.open(_MEMBER) as stream:
        read = stream.read

        def read_where(size: int) -> bytes:
            readers.add(threading.current_thread().name)
            return read(size)

        stream.read = read_where  # type: ignore[method-assign]
        with safety._chunks(stream, len(payload)) as chunks:
            ahead = list(chunks)
    assert [len(c) for c in ahead] == [safety._CHUNK] * 3 + [12345]
    assert readers and all(name.startswith("inflate") for name in readers)
    assert b"".join(ahead) == payload
    assert not _inflating_threads()


def test_a_member_damaged_past_its_first_chunk_is_refused_and_leaves_no_thread(
    tmp_path: Path,
) -> None:
    """A wrong checksum is found on the thread, inflating the last chunk."""
    payload = _payload(4 * safety._CHUNK)
    path = _book(tmp_path / "damaged.xlsx", payload)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(_MEMBER)
    central = data.rindex(b"PK\x01\x02")
    for crc_at in (info.header_offset + 14, central + 16):
        struct.pack_into("<I", data, crc_at, info.CRC ^ 1)
    path.write_bytes(bytes(data))
    with pytest.raises(BadInput, match=r"^damaged\.xlsx: damaged spreadsheet file .*CRC"):
        safety.check_zip_container(path)
    assert not _inflating_threads()


def test_a_refusal_while_chunks_are_read_ahead_leaves_no_thread(tmp_path: Path) -> None:
    """The unpacked-size budget and the sheet-extent scan stop the reading mid-member."""
    payload = _payload(4 * safety._CHUNK)
    path = _book(tmp_path / "big.xlsx", payload)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(_MEMBER)
        with pytest.raises(BadInput, match="unpacks beyond"):
            safety._inflate_bounded(archive, info, 2 * safety._CHUNK, path)
    assert not _inflating_threads()
    far = _payload(2 * safety._CHUNK) + b'<c r="XFD1048576"/>' + _payload(2 * safety._CHUNK)
    path = _book(tmp_path / "far.xlsx", far)
    with pytest.raises(BadInput, match="1,048,576 rows x 16,384 columns"):
        safety.check_zip_container(path)
    assert not _inflating_threads()


@pytest.mark.parametrize("fails_at", [1, 3])
def test_without_a_thread_to_be_had_the_member_is_read_in_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails_at: int
) -> None:
    """A thread limit, or the interpreter shutting down, refuses new work with a
    RuntimeError: the member is still read whole, in the same chunks, never twice."""
    payload = _payload(3 * safety._CHUNK + 12345)
    path = _book(tmp_path / "big.xlsx", payload)
    submit = safety.ThreadPoolExecutor.submit
    calls = [0]

    def refusing(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls[0] += 1
        if calls[0] >= fails_at:
            raise RuntimeError("can't start new thread")
        return submit(self, *args, **kwargs)

    monkeypatch.setattr(safety.ThreadPoolExecutor, "submit", refusing)
    with (
        zipfile.ZipFile(path) as archive,
        archive.open(_MEMBER) as stream,
        safety._chunks(stream, len(payload)) as chunks,
    ):
        taken = list(chunks)
    assert [len(c) for c in taken] == [safety._CHUNK] * 3 + [12345]
    assert b"".join(taken) == payload
    safety.check_zip_container(path)  # and the whole guard passes
    assert not _inflating_threads()
