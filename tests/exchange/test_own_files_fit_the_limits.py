"""The import guards never refuse what the app itself writes at the supported size.

A 100,000 x 200 export takes minutes and gigabytes to write, too much for
every test run; so a 1,000 x 100 export and rating sheet are written, read
back through the same guards, and their sizes scaled up to the supported
size (every sheet grows at most with the number of cells) and compared with
each limit, which must leave at least half again as much room.

The smaller the measured project, the harder the scaled sizes are on the app:
what a file holds whatever its size (styles, headers) is multiplied with the
cells. The compression ratio does not scale; it is taken over the members
larger than 1 MB, which at 1,000 x 100 are still the sheets holding the cells
(at 2,000 x 100 the same members, with the same ratios to within 2 %).
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from workbench.core import limits
from workbench.exchange import safety, sheet_extent
from workbench.exchange.rating_sheets import write_rating_sheets
from workbench.exchange.xlsx_export import export_xlsx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic import make_project  # noqa: E402

MEASURED = (1_000, 100)
MARGIN = 1.5


def _sizes(path: Path) -> tuple[int, int, float, int]:
    """Unpacked bytes, packed bytes, highest compression ratio, most cells one sheet spans."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        ratios = [m.file_size / max(m.compress_size, 1) for m in members if m.file_size > 2**20]
        assert ratios, "no member over 1 MB: the compression ratio would go unmeasured"
        spans = []
        for member in members:
            if sheet_extent.is_worksheet(member.filename):
                scanner = sheet_extent.ExtentScanner(path.name, member.filename)
                scanner.feed(archive.read(member))
                scanner.finish()
                spans.append(scanner.rows * scanner.columns)
        unpacked = sum(m.file_size for m in members)
        return unpacked, path.stat().st_size, max(ratios), max(spans)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("own")
    project = make_project(*MEASURED, 1)
    export_xlsx(project, folder / "export.xlsx", app_version="test")
    (sheet,) = write_rating_sheets(project, ["Ana"], folder / "sheets", shuffle=False)
    return {"export": folder / "export.xlsx", "sheet": sheet}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "target"),
    [("export", (limits.MAX_EVIDENCE, 200)), ("sheet", (20_000, 100))],
    ids=["100000x200-export", "20000x100-rating-sheet"],
)
def test_the_app_s_own_workbooks_fit_the_import_limits(written, kind, target) -> None:
    path = written[kind]
    safety.check_zip_container(path)  # the measured file itself passes every guard
    unpacked, packed, ratio, span = _sizes(path)
    scale = (target[0] * target[1]) / (MEASURED[0] * MEASURED[1])
    assert unpacked * scale * MARGIN < safety.MAX_UNPACKED_BYTES, "unpacked-size limit"
    assert packed * scale * MARGIN < safety.MAX_WORKBOOK_BYTES, "file-size limit"
    assert ratio * MARGIN < safety.MAX_COMPRESSION_RATIO, "compression-ratio limit"
    assert span * scale * MARGIN < sheet_extent.MAX_SHEET_CELLS, "sheet-size limit"


def test_the_supported_size_is_the_one_the_limits_were_measured_for() -> None:
    assert limits.MAX_EVIDENCE * 200 <= limits.MAX_LAYER_CELLS
