"""Fixtures for the committee's memory (three units with duties and two past years of ledgers), and
suggestions taken along the course for it and for merging."""

from __future__ import annotations

import datetime

import pytest
import time_machine

TZ = datetime.timezone(datetime.timedelta(hours=8))

ROWS = {
    "市住房和城乡建设局": [
        "关于六角亭老旧小区改造的建议",
        "老城区背街小巷路面破损亟需改造",
        "关于加快老旧小区加装电梯的建议",
        "西门社区老旧小区管网改造",
        "关于规范小区物业管理的建议",
    ],
    "市人民法院": [
        "关于破解法院执行难的建议",
        "涉民生案件判决执行周期长",
        "关于增加人民法庭巡回审判的建议",
        "关于完善诉讼服务中心的建议",
    ],
    "市水利和湖泊局": [
        "关于解决洞下槽村饮水安全的建议",
        "清江河堤垮塌威胁沿河住户",
        "关于加固白杨坪镇病险水库的建议",
        "农村饮水安全工程水源不足",
        "关于治理龙洞河河道的建议",
    ],
}
DUTIES = {
    "市住房和城乡建设局": "负责老旧小区改造和城市更新；管理物业服务；监管建筑市场",
    "市人民法院": "依法审判各类案件；负责执行工作；建设诉讼服务中心",
    "市水利和湖泊局": "负责农村饮水安全；负责河道堤防和水库建设管理；防汛抗旱",
}


def at(y: int, m: int, d: int):
    return time_machine.travel(datetime.datetime(y, m, d, 10, 0, tzinfo=TZ), tick=False)


@pytest.fixture
def memory(city, categories):
    """History rows for 2024 and 2025 (one kept internal), duties, and a trained model."""
    from deputyhome.organisation.models import HandlingUnit
    from deputyhome.suggestions.models import HistoricalSuggestion
    from deputyhome.suggestions.similarity.training import suggestions_learn

    cats, classes = categories
    water = HandlingUnit.objects.create(name="市水利和湖泊局")
    units = {"市住房和城乡建设局": city.unit_a, "市人民法院": city.unit_b, "市水利和湖泊局": water}
    for name, unit in units.items():
        unit.duties = DUTIES[name]
        unit.save()
    category = {"市住房和城乡建设局": "城乡建设与管理", "市人民法院": "政法与社会治理", "市水利和湖泊局": "农业农村"}
    rows = []
    number = 0
    for year in (2024, 2025):
        for name, titles in ROWS.items():
            for title in titles:
                number += 1
                rows.append(
                    HistoricalSuggestion(
                        year=year,
                        number=number,
                        title=title if year == 2025 else title.replace("关于", "有关"),
                        content=f"{title}，群众反映强烈。",
                        author_name="张三",
                        lead_unit=units[name],
                        category=cats[category[name]],
                        result_class=classes["A"],
                    )
                )
    rows[0].is_public = False  # 2024, the housing bureau's first row: internal
    HistoricalSuggestion.objects.bulk_create(rows)
    model, _ = suggestions_learn(actor="test")
    return {"units": units, "model": model, "water": water}


def make_suggestion(city, people, session, title: str, *, author=None, state: str = "registered", cats=None):
    """A suggestion through the services: drafted by the deputy persona (or `author`), submitted, registered."""
    from deputyhome.suggestions import services as sv

    deputy_user = people["deputy"]
    with at(2026, 1, 11):
        s = sv.suggestion_create(
            author=author or deputy_user.deputy,
            data={"title": title, "proposals": f"{title}，请尽快解决。", "session": session},
            actor=people["city"] if author else deputy_user,
        )
        sv.suggestion_submit(suggestion=s, actor=people["city"] if author else deputy_user)
        if state == "registered":
            sv.suggestion_register(suggestion=s, category=cats["城乡建设与管理"], actor=people["city"])
    s.refresh_from_db()
    return s


def answer(s, city, people, classes) -> None:
    """Assigned to unit A on 20 January; received, consultation waived, replied and the reply accepted on 1 February."""
    from deputyhome.suggestions import services as sv
    from deputyhome.testing import reply_to

    staff = people["city"]
    with at(2026, 1, 20):
        sv.suggestion_assign(suggestion=s, lead_unit=city.unit_a, actor=staff)
    with at(2026, 2, 1):
        sv.suggestion_receive(suggestion=s, actor=people["unit"])
        sv.suggestion_waive_consultation(suggestion=s, note="电话已沟通", actor=staff)
        reply_to(s, people["unit"], classes["A"], text="已列入改造计划", accepted_by=staff)
