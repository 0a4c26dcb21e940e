"""The annual report's part by congress level: the city congress's figures, the township congresses' top ten and
其他, in the Word file, the JSON and the page; the city's own text and figures unchanged by the townships'."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from deputyhome.organisation.choices import CongressLevel, RegionKind
from deputyhome.organisation.models import Congress, HandlingUnit, Region
from deputyhome.reports import annual
from deputyhome.reports.tests.test_annual import docx_text
from deputyhome.supervision.tests.test_stats_levels import township_suggestions

YEAR = 2026
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_today():
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def townships(city, officer, n: int = 12) -> None:
    """`n` township congresses besides 白杨坪镇's, the k-th receiving k suggestions."""
    for k in range(1, n + 1):
        region = Region.objects.create(code=f"422801{200 + k}", name=f"第{k}乡", kind=RegionKind.TOWNSHIP)
        congress = Congress.objects.create(
            level=CongressLevel.TOWNSHIP, term=19, name=f"第{k}乡人民代表大会", region=region
        )
        unit = HandlingUnit.objects.create(name=f"第{k}乡财政所", region=region)
        township_suggestions(k, congress=congress, region=region, author=city.deputies_b[0], by=officer, unit=unit)


def test_word_json_and_page_show_the_levels(city, personas, login):
    before = annual.annual_figures(user=personas["city"], year=YEAR)
    townships(city, personas["city"])
    after = annual.annual_figures(user=personas["city"], year=YEAR)
    # The city's parts say what they said (but the number of townships, which grew): the townships' 78
    # suggestions are the townships'.
    assert annual.section_texts(after)[1:] == annual.section_texts(before)[1:]
    assert "建议" in str(annual.section_texts(after)[3])
    assert after["suggestions"]["received"] == before["suggestions"]["received"]

    part = annual.levels_part(after)
    assert part["paragraphs"][0] == "市级人大收到代表建议0件，交办0件，已答复0件，已办结0件。"
    assert part["paragraphs"][1] == "12个乡镇人大收到代表建议78件，交办54件，已答复30件，已办结30件。"
    names = [row[0] for row in part["rows"]]
    assert names[:2] == ["第12乡人民代表大会", "第11乡人民代表大会"]
    assert names[10:] == ["其他2个乡镇人大", "合计"]
    assert part["rows"][10][1] == 1 + 2 and part["rows"][-1][1] == 78

    content, _name = annual.annual_report_docx(user=personas["city"], year=YEAR)
    text = docx_text(content)
    assert "各级人大代表建议办理情况" in text and "第12乡人民代表大会|12|" in text
    assert "其他2个乡镇人大|3|" in text and "第1乡人民代表大会" not in text

    data = login(personas["city"]).get(f"/api/v1/stats/annual?year={YEAR}").json()
    assert data["levels"]["township_total"]["received"] == 78
    assert data["levels_section"]["rows"][-1] == ["合计", 78, 54, 30, 30]
    html = login(personas["city"]).get(f"/records/year/?year={YEAR}").content.decode()
    assert "各乡镇人大代表建议办理情况" in html and "其他2个乡镇人大" in html


def test_a_township_officer_reads_their_congress_only(city, personas):
    townships(city, personas["city"], n=2)
    township_suggestions(
        3,
        congress=city.township_congress_b,
        region=city.township_b,
        author=city.deputies_b[0],
        by=personas["township_b"],
        unit=HandlingUnit.objects.create(name="白杨坪镇财政所", region=city.township_b),
    )
    part = annual.levels_part(annual.annual_figures(user=personas["township_b"], year=YEAR))
    assert [row[0] for row in part["rows"]] == ["白杨坪镇第十九届人民代表大会"]
    assert part["paragraphs"] == ["1个乡镇人大收到代表建议3件，交办2件，已答复1件，已办结1件。"]
    # A street's officer has one level only: no part.
    assert annual.levels_part(annual.annual_figures(user=personas["township"], year=YEAR)) is None
