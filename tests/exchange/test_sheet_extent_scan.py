"""The sheet-extent scan: the fast form finds exactly what a plain regular-expression
pass, match by match, finds, however the bytes are laid out and cut into chunks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.errors import BadInput
from workbench.exchange import sheet_extent


class _PlainScanner(sheet_extent.ExtentScanner):
    """The reference: one regular-expression pass, match by match, over each chunk."""

    def _scan(self, data: bytes, end: int) -> None:
        for match in sheet_extent._REFERENCE.finditer(data, 0, end):
            for letters, digits in ((match[2], match[3]), (match[4], match[5])):
                if letters:
                    self.columns = max(self.columns, sheet_extent.column_number(letters.upper()))
                if digits:
                    self.rows = max(self.rows, int(digits))
        self._check()


_LETTERS = st.text("AbXFDz", max_size=4).map(str.encode)
_DIGITS = st.text("01789", max_size=8).map(str.encode)
_DOLLAR = st.sampled_from([b"", b"$"])


@st.composite
def _reference(draw: st.DrawFn) -> bytes:
    """Something shaped like a reference, well or badly (too many letters or
    digits, no closing quote), after any whitespace, or a declared range."""
    lead = draw(st.sampled_from([b" r", b"\tr", b"\nr", b"\rr", b"\x0br", b"\x0cr", b"x:r"]))
    lead = draw(st.sampled_from([lead, lead, b"<dimension ref"]))
    out = lead + b'="' + draw(_DOLLAR) + draw(_LETTERS) + draw(_DOLLAR) + draw(_DIGITS)
    if draw(st.booleans()):
        out += b":" + draw(_DOLLAR) + draw(_LETTERS) + draw(_DOLLAR) + draw(_DIGITS)
    return out + draw(st.sampled_from([b'"', b'"', b"", b'x"']))


_PIECES = st.one_of(
    _reference(), st.sampled_from([b"<c", b"<row", b"/>", b"<v>3</v>", b'"', b"  ", b"<"])
)


@settings(max_examples=500, deadline=None)
@given(parts=st.lists(_PIECES, max_size=40), cuts=st.lists(st.integers(0, 600), max_size=6))
def test_the_scan_finds_what_a_plain_pass_finds(parts: list[bytes], cuts: list[int]) -> None:
    xml = b"".join(parts)
    found: list[object] = []
    for kind in (sheet_extent.ExtentScanner, _PlainScanner):
        scanner = kind("book.xlsx", "xl/worksheets/sheet1.xml")
        start = 0
        try:
            for cut in sorted(c for c in cuts if c <= len(xml)):
                scanner.feed(xml[start:cut])
                start = cut
            scanner.feed(xml[start:])
            scanner.finish()
        except BadInput:
            found.append("refused")
        else:
            found.append((scanner.rows, scanner.columns))
    assert found[0] == found[1]
