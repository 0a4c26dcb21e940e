"""The annual report on the small city: scope, the download, the command, charts, the dashboard panel."""

from __future__ import annotations

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from docx import Document

from deputyhome.audit.models import AuditEvent
from deputyhome.reports import annual, charts

YEAR = 2026
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def fixed_today():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=TZ), tick=False):
        yield


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a .docx, one per line, with spaces and thousands separators removed."""
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("|".join(cell.text for cell in row.cells))
    text = "\n".join(parts)
    return re.sub(r"(?<=\d),(?=\d{3})", "", text).replace(" ", "")


def test_city_report_has_the_four_parts_tables_and_charts(city, personas):
    content, filename = annual.annual_report_docx(user=personas["city"], year=YEAR)
    assert filename == "恩施市人大常委会2026年代表工作报告.docx"
    document = Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、夯实平台，让代表可“回家”",
        "二、培训聚能，让代表能“回家”",
        "三、组织活动，让代表常“回家”",
        "四、增强成就感，让代表想“回家”",
        "五、存在的问题",
        "六、下一步工作",
    ]
    text = docx_text(content)
    assert text.splitlines()[0] == "恩施市人大常委会2026年代表工作报告"
    assert "建成人大代表之家2个，人大代表联络站2个" in text
    assert "组织8名代表" in text and "编成2个代表小组进家入站" in text
    assert "六角亭街道|1|1|1|4" in text and "合计|2|2|2|8" in text
    # Charts are embedded as PNG pictures.
    pictures = [r for r in document.part.rels.values() if "image" in r.reltype]
    assert pictures and all(r.target_part.content_type == "image/png" for r in pictures)


def test_township_report_shows_only_that_township(city, personas):
    content, filename = annual.annual_report_docx(user=personas["township"], year=YEAR)
    assert filename == "六角亭街道2026年人大代表工作报告.docx"
    text = docx_text(content)
    assert "数据范围：本乡镇及以下（六角亭街道）" in text
    assert "人大代表之家1个，人大代表联络站1个" in text
    assert "组织4名代表" in text and "编成1个代表小组" in text
    assert "六角亭街道|1|1|1|4" in text
    assert "白杨坪镇" not in text and "洞下槽村" not in text


def test_download_is_audited_and_refused_without_a_business_scope(city, personas, login):
    response = login(personas["township"]).get(f"/records/annual-report.docx?year={YEAR}", follow=True)
    assert response.status_code == 200
    assert response["Content-Type"] == annual.DOCX_TYPE
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert "六角亭街道" in docx_text(response.content)
    event = AuditEvent.objects.get(action="export.annual_report")
    assert event.actor == personas["township"] and event.changes["filters"] == {"year": YEAR}
    for persona in ("unit", "sysadmin", "auditor"):
        assert login(personas[persona]).get(f"/records/annual-report.docx?year={YEAR}").status_code == 403
    assert login(personas["city"]).get("/records/annual-report.docx?year=20x6", follow=True).status_code == 400


def test_management_command_writes_the_file(city, personas, tmp_path):
    out = tmp_path / "report.docx"
    stdout = io.StringIO()
    call_command("annual_report", year=YEAR, out=str(out), stdout=stdout)
    assert out.exists()
    text = docx_text(out.read_bytes())
    assert "组织8名代表" in text
    assert "已生成《恩施市人大常委会2026年代表工作报告》" in stdout.getvalue()
    assert AuditEvent.objects.get(action="export.annual_report").actor_name == "manage.py annual_report"

    township = tmp_path / "township.docx"
    call_command("annual_report", year=YEAR, out=str(township), user="township", stdout=io.StringIO())
    assert "组织4名代表" in docx_text(township.read_bytes())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"user": "nobody"}, "用户不存在：nobody"),
        ({"user": "unit"}, "无权生成年度代表工作报告"),
        ({"year": 1999}, "年度无效"),
        ({"out": "report.pdf"}, "应以 .docx 结尾"),
    ],
)
def test_management_command_bad_input(city, personas, tmp_path, kwargs, message):
    options = {"year": YEAR, "out": str(tmp_path / "r.docx"), **kwargs}
    with pytest.raises(CommandError, match=message):
        call_command("annual_report", **options)


def test_charts_render_as_svg_and_png():
    chart = charts.BarChart(
        "各乡镇<代表>",
        ["六角亭街道", "大峡谷"],
        [charts.Series("代表", [18, 7]), charts.Series("小组", [4, 2])],
    )
    markup = charts.svg(chart)
    assert markup.startswith("<svg") and "&lt;代表&gt;" in markup and "<代表>" not in markup
    assert markup.count("<rect") >= 4
    image = charts.png(chart)
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    assert charts.BarChart.single("空", [("a", 0)]).is_empty


def test_chart_font_is_the_cjk_one_when_installed():
    import os

    found = charts.font_path()
    if os.path.exists("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"):
        assert found is not None and found[0].endswith("NotoSansCJK-Regular.ttc")


def test_dashboard_loads_the_year_panel(city, personas, login):
    client = login(personas["city"])
    html = client.get("/").content.decode()
    assert 'hx-get="/records/year/' in html
    assert 'href="/records/annual-report.docx?year=2026"' in html
    panel = client.get("/records/year/?year=2026", headers={"HX-Request": "true"})
    assert panel.status_code == 200
    body = panel.content.decode()
    assert "<html" not in body and "<svg" in body
    assert "一、夯实平台，让代表可“回家”" in body and "四、增强成就感，让代表想“回家”" in body
    assert '<div class="n">8</div><div class="l">人大代表</div>' in body
    page = client.get("/records/year/?year=2026")
    assert "<html" in page.content.decode()


def test_year_panel_scope_and_permissions(city, personas, login):
    body = login(personas["township"]).get("/records/year/", headers={"HX-Request": "true"}).content.decode()
    assert '<div class="n">4</div><div class="l">人大代表</div>' in body
    assert login(personas["unit"]).get("/records/year/").status_code == 403
    html = login(personas["unit"]).get("/").content.decode()
    assert "annual-report" not in html


def test_year_panel_query_count_is_bounded(city, personas, login, django_assert_max_num_queries):
    client = login(personas["city"])
    with django_assert_max_num_queries(60):
        client.get("/records/year/?year=2026", headers={"HX-Request": "true"})


def test_annual_stats_api(city, personas, login, client):
    assert client.get("/api/v1/stats/annual").status_code == 401
    data = login(personas["township"]).get(f"/api/v1/stats/annual?year={YEAR}").json()
    assert data["platform"]["deputies"] == 4 and data["scope"] == "region"
    assert [s["heading"][:2] for s in data["sections"]] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert login(personas["unit"]).get("/api/v1/stats/annual").status_code == 403
    response = login(personas["city"]).get("/api/v1/stats/annual?year=abc")
    assert response.status_code == 400 and "年度参数无效" in response.json()["error"]


@pytest.mark.parametrize(
    ("persona", "title"),
    [
        ("group", "六角亭街道第一代表小组2026年代表工作报告"),
        ("liaison", "六角亭街道第一代表小组2026年代表工作报告"),
        ("deputy", "代表2026年履职相关情况报告"),
        ("supervisor", "恩施市人大常委会2026年代表工作报告"),
        ("leader", "恩施市人大常委会2026年代表工作报告"),
    ],
)
def test_every_role_with_a_business_scope_gets_a_report(city, personas, login, persona, title):
    response = login(personas[persona]).get(f"/records/annual-report.docx?year={YEAR}", follow=True)
    assert response.status_code == 200
    assert title in docx_text(response.content).splitlines()[0]
    assert login(personas[persona]).get("/records/year/", headers={"HX-Request": "true"}).status_code == 200


def test_a_deputys_home_page_does_not_offer_the_annual_report(city, personas, login):
    """The Word report is the committee's document; a deputy's home page (and its year panel) does not offer it."""
    client = login(personas["deputy"])
    assert "annual-report.docx" not in client.get("/").content.decode()
    panel = client.get("/records/year/?year=2026", headers={"HX-Request": "true"})
    assert panel.status_code == 200 and "annual-report.docx" not in panel.content.decode()
    staff_panel = login(personas["township"]).get("/records/year/?year=2026", headers={"HX-Request": "true"})
    assert "annual-report.docx" in staff_panel.content.decode()
