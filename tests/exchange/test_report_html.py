"""The report's content and its self-contained HTML (no Qt needed)."""

from __future__ import annotations

import re

import pytest

from workbench.core.dates import PartialDate
from workbench.exchange.output_file import ExportError
from workbench.reports.content import build_report, sensitivity_summary
from workbench.reports.html import chart_image, png_size, render_html, write_html

# A 1 x 1 PNG, enough to check the data: URI and the size read from the header.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000020806000000f478d4fa"
    "0000000d49444154789c63f8ffff3f0305000bf903fd4a0a4d250000000049454e44ae426082"
)


def test_the_content_names_the_linchpin_and_why(linchpin_case):
    content = build_report(linchpin_case, app_version="9.9")
    assert [h.code for h in content.ranked] == ["H1", "H2", "H3"]
    assert [x.code for x in content.linchpins] == ["E1"]
    assert "excluding it makes H2 the leader" in content.linchpins[0].detail
    assert [x.code for x in content.undated] == ["E3"]
    assert content.milestones[0].indicator == "Clerk admits posting it"
    assert content.sources[0].cited_by == ("E1", "E2", "E3")
    assert content.matrix[0].ratings == ("C", "II", "I") and content.matrix[0].linchpin
    # Two one-step changes: either alone leaves a tie that H1 wins on position.
    assert content.change_my_mind[0].startswith("H2 would lead after these 2 one-step")


def test_the_summary_the_command_prints(linchpin_case):
    from workbench.core.sensitivity import project_sensitivity

    text = sensitivity_summary(linchpin_case, project_sensitivity(linchpin_case))
    assert "H1 (The clerk posted it) leads; the runner-up is H2" in text
    assert "Excluding any one of these items changes the leader: E1 (then H2)." in text
    assert "Linchpins (the leader rests on them): E1." in text
    assert "E1 x H2: II -> I" in text


def test_html_escapes_user_text_and_inlines_the_charts(linchpin_case, tmp_path):
    content = build_report(linchpin_case, app_version="9.9", annotate=PartialDate(2021, 3))
    out = tmp_path / "report.html"
    write_html(content, {"posterior": PIXEL, "tornado": PIXEL, "timeline": PIXEL}, out)
    text = out.read_text(encoding="utf-8")
    assert "Linchpin &lt;case&gt; &amp; co" in text
    assert "Who &lt;b&gt;really&lt;/b&gt; sent the letter?" in text
    assert "<b>really</b>" not in text
    sources = re.findall(r'<img src="([^"]+)"', text)
    assert len(sources) == 3 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert 'width="1" height="1"' in text  # 2 x 2 pixels painted at 2x
    for needed in (
        "The clerk posted it",
        "The manager =SUM(A1) forged it",
        "E1",
        "Clerk admits posting it",
        "Ortiz, 2021",
        "ACH Workbench 9.9",
        "The dashed line marks 2021-03",
        "#B2182B",
    ):
        assert needed in text
    assert list(tmp_path.iterdir()) == [out]


def test_a_missing_folder_leaves_nothing_behind(linchpin_case, tmp_path):
    content = build_report(linchpin_case, app_version="9.9")
    with pytest.raises(ExportError, match="does not exist"):
        write_html(content, {}, tmp_path / "nowhere" / "report.html")
    assert list(tmp_path.iterdir()) == []


def test_png_size_reads_the_header():
    assert png_size(PIXEL) == (2, 2)
    assert chart_image("x", PIXEL).width == 1
    with pytest.raises(ValueError):
        png_size(b"GIF89a")


def test_render_without_charts_still_reads(linchpin_case):
    text = render_html(build_report(linchpin_case, app_version="1"), {})
    assert "<img" not in text and "Sensitivity" in text


def test_a_long_matrix_is_cut_to_linchpins_and_the_most_diagnostic(linchpin_case):
    content = build_report(linchpin_case, app_version="1", matrix_limit=2)
    # E1 is the linchpin; of E2 and E3, E3 is the more diagnostic (weighted 1.41 vs 0.82).
    assert [row.code for row in content.matrix] == ["E1", "E3"]
    assert content.matrix_total == 3
    assert "Showing 2 of 3 items" in render_html(content, {})
