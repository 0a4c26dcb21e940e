"""The annual report can be handed in as it is: no machine's note, 存在的问题 and 下一步工作 from the data
(edited by the clerk before the export), the handling units named by kind, and the length of a 年度工作报告."""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from docx import Document

from deputyhome.organisation.choices import UnitKind
from deputyhome.organisation.models import HandlingUnit
from deputyhome.reports import annual
from deputyhome.reports.annual_units import units_phrase
from deputyhome.suggestions import services as sv
from deputyhome.suggestions.models import Category

TZ = ZoneInfo("Asia/Shanghai")
YEAR = 2026


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def assigned_year(city, personas):
    """Five suggestions assigned on 2026-03-02 to a bureau, the court, 国网, 电信 and 水务; none replied."""
    units = [
        city.unit_a,
        city.unit_b,
        HandlingUnit.objects.create(name="国网恩施供电公司", kind=UnitKind.OTHER),
        HandlingUnit.objects.create(name="中国电信恩施市分公司", kind=UnitKind.OTHER),
        HandlingUnit.objects.create(name="恩施市水务有限公司", kind=UnitKind.OTHER),
    ]
    category = Category.objects.order_by("pk").first()
    deputy = personas["deputy"]
    with at(datetime.date(2026, 3, 2)):
        for n, unit in enumerate(units):
            s = sv.suggestion_create(
                author=deputy.deputy, data={"title": f"关于第{n + 1}件事的建议", "proposals": "建议办理"}, actor=deputy
            )
            sv.suggestion_submit(suggestion=s, actor=deputy)
            sv.suggestion_register(suggestion=s, category=category, actor=personas["city"])
            sv.suggestion_assign(suggestion=s, lead_unit=unit, actor=personas["city"])
    return units


def report(user) -> Document:
    with at(datetime.date(2026, 11, 20)):
        content, _name = annual.annual_report_docx(user=user, year=YEAR)
    return Document(io.BytesIO(content))


def body(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


@pytest.mark.django_db
def test_the_report_ends_without_a_machines_note_and_with_problems_and_next_steps(assigned_year, personas):
    document = report(personas["city"])
    text = body(document)
    assert "自动生成" not in text and "本报告由" not in text
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[4:] == ["五、存在的问题", "六、下一步工作"]
    problems = text[text.index("五、存在的问题") : text.index("六、下一步工作")]
    assert "目前尚有5件建议超过办理期限未答复" in problems
    next_steps = text[text.index("六、下一步工作") :]
    assert "2027年" in next_steps and "对5件逾期未答复的建议逐件催办" in next_steps
    # Signed by the committee's office, dated.
    assert text.rstrip().endswith("恩施市人大常委会代表工作委员会\n2026年11月20日")


@pytest.mark.django_db
def test_the_handling_units_are_named_by_kind(assigned_year, personas):
    text = body(report(personas["city"]))
    assert "交政府及法检两院承办" not in text
    assert "交市政府组成部门、法院及供电、通信、供水等单位承办5件" in text
    assert "其中市政府组成部门主办1件、法院主办1件、其他单位主办3件" in text


def test_units_phrase_by_kind():
    def u(name, kind):
        return {"name": name, "kind": kind, "count": 1}

    assert units_phrase([u("市教育局", UnitKind.GOVERNMENT)]) == "市政府组成部门"
    assert (
        units_phrase(
            [
                u("市教育局", UnitKind.GOVERNMENT),
                u("市人民检察院", UnitKind.PROCURATORATE),
                u("中国移动恩施市分公司", UnitKind.OTHER),
                u("某某协会", UnitKind.OTHER),
            ]
        )
        == "市政府组成部门、检察院及通信等单位"
    )
    assert units_phrase([u("某某协会", UnitKind.OTHER)]) == "其他有关单位"


@pytest.mark.django_db
def test_long_enough_for_an_annual_work_report(assigned_year, personas):
    # The old report had 1,061 characters on this small city (1,660 on the demo city).
    assert len(body(report(personas["city"])).replace("\n", "")) > 2000


# The clerk's page: the drafts in textareas, saved through the audited service, used by the export ---------


@pytest.mark.django_db
def test_the_clerk_edits_the_drafts_and_the_export_uses_the_saved_text(assigned_year, personas, login):
    from django.urls import reverse

    from deputyhome.audit.models import AuditEvent
    from deputyhome.reports.models import AnnualReportText

    url = f"{reverse('reports:annual_text')}?year={YEAR}"
    client = login(personas["city"])
    with at(datetime.date(2026, 11, 20)):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "<textarea" in html and "目前尚有5件建议超过办理期限未答复" in html

        # Bad input writes nothing.
        bad = client.post(url, {"problems": "  ", "next_steps": "明年的工作"})
        assert bad.status_code == 400 and "这个字段是必填项" in bad.content.decode()
        assert not AnnualReportText.objects.exists()

        saved = client.post(url, {"problems": "一是家站运行不够经常。\n二是建议办理偏慢。", "next_steps": "抓好落实。"})
        assert saved.status_code == 302
    text = AnnualReportText.objects.get()
    assert (text.year, text.region, text.problems) == (
        YEAR,
        personas["city"].region,
        "一是家站运行不够经常。\n二是建议办理偏慢。",
    )
    event = AuditEvent.objects.get(action="annualreporttext.create")
    assert event.actor == personas["city"] and event.changes["next_steps"] == [None, "抓好落实。"]

    body_text = body(report(personas["city"]))
    problems = body_text[body_text.index("五、存在的问题") : body_text.index("六、下一步工作")]
    assert problems.splitlines()[1:] == ["一是家站运行不够经常。", "二是建议办理偏慢。"]
    assert "超过办理期限" not in problems
    # Another region's report keeps its own draft: the city's text is not the township's.
    township_text = body(report(personas["township"]))
    assert "一是家站运行不够经常。" not in township_text and "五、存在的问题" in township_text


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["deputy", "group", "unit", "leader", "sysadmin"])
def test_only_the_committees_and_townships_staff_edit_the_texts(city, personas, login, persona):
    from django.urls import reverse

    from deputyhome.reports.models import AnnualReportText

    client = login(personas[persona])
    url = f"{reverse('reports:annual_text')}?year={YEAR}"
    assert client.get(url).status_code == 403
    assert client.post(url, {"problems": "x", "next_steps": "y"}).status_code == 403
    assert not AnnualReportText.objects.exists()


@pytest.mark.django_db
def test_a_township_officer_saves_the_townships_text_only(city, personas, login):
    from django.urls import reverse

    from deputyhome.reports.models import AnnualReportText

    client = login(personas["township"])
    url = f"{reverse('reports:annual_text')}?year={YEAR}"
    assert client.post(url, {"problems": "乡镇的问题。", "next_steps": "乡镇的打算。"}).status_code == 302
    assert AnnualReportText.objects.get().region == personas["township"].region
    assert "乡镇的问题。" in client.get(url).content.decode()
    other = login(personas["township_b"])
    assert "乡镇的问题。" not in other.get(url).content.decode()
