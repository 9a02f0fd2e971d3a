"""PARC ACH 2.0 .achz import, from files the tests write (gzip of UTF-16 XML)."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest

from workbench.core.analysis import score_project
from workbench.core.dates import PartialDate
from workbench.core.errors import BadInput
from workbench.core.model import EvidenceType
from workbench.core.ratings import Level, Rating
from workbench.exchange.parc import read_parc


def write_achz(path: Path, xml: str, encoding: str = "utf-16") -> Path:
    path.write_bytes(gzip.compress(xml.encode(encoding)))
    return path


def epoch_ms(year: int, month: int, day: int, utc_offset_hours: float = 0) -> int:
    """What PARC writes: the local midnight of the day picked, in milliseconds."""
    zone = dt.timezone(dt.timedelta(hours=utc_offset_hours))
    return int(dt.datetime(year, month, day, tzinfo=zone).timestamp() * 1000)


def evidence_xml(name: str, values: str, **fields: str) -> str:
    inner = "".join(f"<{tag}>{text}</{tag}>" for tag, text in fields.items())
    return f"<EVIDENCE><NAME>{name}</NAME>{inner}<VALUES>{values}</VALUES></EVIDENCE>"


THREE_BY_FOUR = f"""<?xml version="1.0" encoding="UTF-16"?>
<ACH-PROJECT>
  <PROJECT-TITLE>Who sank the ferry?</PROJECT-TITLE>
  <MATRIX>
    <HYPOTHESIS><NAME>Accident</NAME></HYPOTHESIS>
    <HYPOTHESIS><NAME>Sabotage by crew</NAME></HYPOTHESIS>
    <HYPOTHESIS><NAME>Foreign attack</NAME></HYPOTHESIS>
    <HYPOTHESIS><NAME>Insurance fraud</NAME></HYPOTHESIS>
    {evidence_xml("Weather was calm", "I I,C,C,C", CREDIBILITY="HIGH", RELEVANCE="HIGH")}
    {evidence_xml("Crew left early", "I,C C,N,C", CREDIBILITY="MEDIUM", RELEVANCE="MEDIUM")}
    {evidence_xml("Hull breach from outside", "C,I,C C,I I", CREDIBILITY="LOW", RELEVANCE="HIGH")}
  </MATRIX>
</ACH-PROJECT>
"""


def test_three_by_four(tmp_path):
    project = read_parc(write_achz(tmp_path / "ferry.achz", THREE_BY_FOUR))
    assert project.title == "Who sank the ferry?"
    assert [h.code for h in project.hypotheses] == ["H1", "H2", "H3", "H4"]
    assert project.hypotheses[1].title == "Sabotage by crew"
    assert [e.code for e in project.evidence] == ["E1", "E2", "E3"]
    assert [a.name for a in project.analysts] == ["Analyst"]
    layer = project.layer(project.analysts[0].id)
    assert layer.tolist() == [
        [Rating.II, Rating.C, Rating.C, Rating.C],
        [Rating.I, Rating.CC, Rating.N, Rating.C],
        [Rating.C, Rating.I, Rating.CC, Rating.II],
    ]
    assert [(e.credibility, e.relevance) for e in project.evidence] == [
        (Level.HIGH, Level.HIGH),
        (Level.MEDIUM, Level.MEDIUM),
        (Level.LOW, Level.HIGH),
    ]
    scores = score_project(project)
    # PARC's weighted inconsistency: H1 = 2*2 + 1*1 = 5; H4 = 2*(1/sqrt2*sqrt2) = 2
    assert scores.weighted_inconsistency.tolist() == pytest.approx([5.0, 1.0, 0.0, 2.0], abs=1e-9)


ODD = f"""<?xml version="1.0" encoding="UTF-16"?>
<WRAPPER><SETTINGS><ZOOM>3</ZOOM></SETTINGS>
<DOCUMENT><PROJECT-TITLE>  Odd file  </PROJECT-TITLE>
<MATRIX>
  <HYPOTHESIS><NAME>Alpha &amp; co</NAME><COLOR>red</COLOR></HYPOTHESIS>
  <HYPOTHESIS><NAME>Beta</NAME></HYPOTHESIS>
  <HYPOTHESIS><NAME>Gamma</NAME></HYPOTHESIS>
  {
    evidence_xml(
        "Dated report",
        "NA,N, I",
        NOTES="first note",
        LINK="http://example.org/a",
        TYPE="Assumption",
        CODE="K9",
        DATE=str(epoch_ms(2020, 8, 9)),
        FLAG="true",
        CREDIBILITY="HIGH",
        PRIORITY="urgent",
    )
}
  {evidence_xml("Undated", "C C", DATE="0", TYPE="Intelligence report", CREDIBILITY="SHAKY")}
  {evidence_xml("Same link", "", LINK="http://example.org/a", FLAG="false")}
  <EVIDENCE><NAME>Ünïcödé ✓ Ł</NAME><VALUES>c c,i i,na</VALUES></EVIDENCE>
</MATRIX></DOCUMENT></WRAPPER>
"""


def test_odd_tags_missing_relevance_na_and_dates(tmp_path):
    project = read_parc(write_achz(tmp_path / "odd.achz", ODD))
    assert project.title == "Odd file"
    assert project.hypotheses[0].title == "Alpha & co"
    assert project.hypotheses[0].description == "[PARC COLOR] red"
    dated, undated, same_link, unicode = project.evidence
    assert dated.date == PartialDate(2020, 8, 9)
    assert undated.date is None
    assert dated.type == EvidenceType.ASSUMPTION
    assert dated.notes == "first note\n[PARC PRIORITY] urgent"
    assert dated.tags == ["K9", "flagged"]
    assert same_link.tags == []
    assert dated.relevance == Level.MEDIUM  # missing RELEVANCE means Medium
    assert undated.type == EvidenceType.EVENT
    assert "[PARC TYPE] Intelligence report" in undated.notes
    assert "[PARC CREDIBILITY] SHAKY" in undated.notes
    assert undated.credibility == Level.MEDIUM
    assert dated.source_id == same_link.source_id is not None
    assert [s.link for s in project.sources] == ["http://example.org/a"]
    assert unicode.title == "Ünïcödé ✓ Ł"
    layer = project.layer(project.analysts[0].id)
    assert layer.tolist() == [
        [Rating.NA, Rating.N, Rating.I],
        [Rating.CC, Rating.BLANK, Rating.BLANK],
        [Rating.BLANK, Rating.BLANK, Rating.BLANK],
        [Rating.CC, Rating.II, Rating.NA],
    ]


def test_uncompressed_and_bare_matrix(tmp_path):
    xml = "<MATRIX><HYPOTHESIS><NAME>A</NAME></HYPOTHESIS>" + evidence_xml("e", "C") + "</MATRIX>"
    path = tmp_path / "bare.achz"
    path.write_bytes(xml.encode("utf-16"))
    project = read_parc(path, analyst="Kim")
    assert project.title == "bare"
    assert [a.name for a in project.analysts] == ["Kim"]
    assert project.layer(project.analysts[0].id).tolist() == [[Rating.C]]


def test_utf8_xml_is_accepted(tmp_path):
    xml = "<ACH><MATRIX><HYPOTHESIS><NAME>Å</NAME></HYPOTHESIS></MATRIX></ACH>"
    project = read_parc(write_achz(tmp_path / "u8.achz", xml, "utf-8"))
    assert project.hypotheses[0].title == "Å"
    assert project.evidence == []


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ("<ACH><NOTHING/></ACH>", "x.achz: no MATRIX element; is this a PARC ACH file?"),
        ("<ACH><MATRIX>", "x.achz: not well-formed XML"),
        (
            "<MATRIX><HYPOTHESIS><NAME>A</NAME></HYPOTHESIS>"
            + evidence_xml("e", "C,C,C")
            + "</MATRIX>",
            "x.achz: evidence E1 has 3 ratings but the matrix has 1 hypothesis",
        ),
        (
            "<MATRIX><HYPOTHESIS><NAME>A</NAME></HYPOTHESIS>"
            + evidence_xml("e", "maybe")
            + "</MATRIX>",
            "x.achz: evidence E1, hypothesis H1: 'maybe' is not a PARC rating",
        ),
    ],
)
def test_bad_files_are_named(tmp_path, xml, message):
    with pytest.raises(BadInput) as err:
        read_parc(write_achz(tmp_path / "x.achz", xml))
    assert str(err.value).startswith(message)


def test_truncated_gzip(tmp_path):
    data = gzip.compress(THREE_BY_FOUR.encode("utf-16"))
    path = tmp_path / "cut.achz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BadInput, match="cut.achz: the compressed data is truncated"):
        read_parc(path)


REAL_FILE = f"""<?xml version="1.0" encoding="UTF-16"?>
<!DOCTYPE ACH-PROJECT>
<ACH-PROJECT>
  <PROJECT-TITLE>Border incident</PROJECT-TITLE>
  <CLASSIFICATION>OFFICIAL-SENSITIVE</CLASSIFICATION>
  <LAST-INDEX>7</LAST-INDEX>
  <COLOR-SCHEME>Classic</COLOR-SCHEME>
  <MATRIX>
    <HYPOTHESIS><NAME>Accident</NAME></HYPOTHESIS>
    <HYPOTHESIS><NAME>Provocation</NAME></HYPOTHESIS>
    {evidence_xml("Kyiv report", "C,I", TYPE="Assu", DATE=str(epoch_ms(2022, 2, 24, 2)))}
    {evidence_xml("Berlin note", "N,C", TYPE="Assumption", DATE=str(epoch_ms(2021, 3, 28, 2)))}
    {evidence_xml("Wire story", "C,C", TYPE="Press", DATE=str(epoch_ms(2021, 1, 1, 1)))}
    {evidence_xml("New York desk", "I,C", TYPE="HUMINT", DATE=str(epoch_ms(2020, 12, 31, -5)))}
    {evidence_xml("Photo", "I,I", TYPE="Imagery")}
    {evidence_xml("Intercept", "I,CC", TYPE="SIG")}
    {evidence_xml("Radar", "N,N", TYPE="MASINT")}
    {evidence_xml("Blog", "N,N", TYPE="Open Source")}
  </MATRIX>
</ACH-PROJECT>
"""


def test_a_real_file_keeps_its_marking_notes_dates_and_types(tmp_path):
    project = read_parc(write_achz(tmp_path / "real.achz", REAL_FILE))
    assert project.classification == "OFFICIAL-SENSITIVE"
    assert project.notes == "[PARC LAST-INDEX] 7\n[PARC COLOR-SCHEME] Classic"
    kyiv, berlin, wire, new_york, photo, intercept, radar, blog = project.evidence
    assert [kyiv.date, berlin.date, wire.date, new_york.date] == [
        PartialDate(2022, 2, 24),
        PartialDate(2021, 3, 28),
        PartialDate(2021, 1, 1),
        PartialDate(2020, 12, 31),
    ]
    assert kyiv.type == berlin.type == EvidenceType.ASSUMPTION
    assert [e.tags for e in (wire, new_york, photo, intercept, radar, blog)] == [
        ["OSINT"],
        ["HUMINT"],
        ["IMINT"],
        ["SIGINT"],
        ["MASINT"],
        ["OSINT"],
    ]
    assert not any("[PARC TYPE]" in e.notes for e in project.evidence)


def test_entity_declarations_are_still_refused(tmp_path):
    xml = REAL_FILE.replace("<!DOCTYPE ACH-PROJECT>", '<!DOCTYPE ACH-PROJECT [<!ENTITY x "boom">]>')
    with pytest.raises(BadInput, match="declares a DTD or entities"):
        read_parc(write_achz(tmp_path / "evil.achz", xml))
