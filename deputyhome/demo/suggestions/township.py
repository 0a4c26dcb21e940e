"""A township congress at work: 白杨坪镇's deputies' suggestions to their presidium, through the real services.

The `townshipcongress` login (白杨坪镇人大主席团办公室) registers them under the common categories and one of
its own (茶叶产业, added through the settings service), and assigns them to the town's offices and a village
committee; the `townshipunit` login (白杨坪镇农业服务中心) and clerks who cannot log in answer. Six
suggestions in recess this year, at every stage: submitted, registered, assigned, replied (waiting for the
office's review), and two closed after the deputy's evaluation.

Each plan's steps fall on days counted back from yesterday, squeezed into the year so far when the demo is
built early in the year; too early (before the end of January) none is made. The township's numbering is its
own, so the city's 120 suggestions keep their numbers and figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import time_machine
from django.db.models import DateTimeField, ExpressionWrapper, F

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.deputies.models import Deputy, Mandate
from deputyhome.organisation.models import Congress, HandlingUnit
from deputyhome.suggestions import services
from deputyhome.suggestions.choices import ConsultationWay, Satisfaction
from deputyhome.suggestions.models import Category, ResultClass, Suggestion

from .. import data
from ..clock import DAY, TZ, local_today

READ_AFTER = datetime.timedelta(days=14)
OWN_CATEGORY = "茶叶产业"
SPAN = 150  # days from the first step of the oldest plan to yesterday
CLERKS = ["覃春兰", "谭国华", "黄玉芬", "向德明"]  # of data.TOWNSHIP_UNITS, in order (the first is `townshipunit`)


@dataclass(frozen=True)
class Story:
    """One suggestion: what it says, where it goes, and how far it has come (the steps' days before yesterday)."""

    title: str
    situation: str
    proposals: str
    category: str
    unit: str
    result: str = "A"
    satisfaction: str = Satisfaction.SATISFIED
    days: tuple[int, ...] = ()  # create, submit, register, assign, receive, consult, reply, accept, evaluate


STORIES = [
    Story(
        "关于硬化洞下槽村三组机耕道的建议",
        "洞下槽村三组机耕道长约2.3公里，雨天泥泞，农机和运茶车辆无法通行，群众出行和农产品外运困难。",
        "建议将该机耕道纳入全镇农村道路建设计划，分段实施硬化，并设置错车道和排水沟。",
        "农业农村",
        "白杨坪镇农业服务中心",
        days=(150, 148, 145, 142, 140, 120, 90, 87, 80),
    ),
    Story(
        "关于扶持林口村茶叶加工厂改造升级的建议",
        "林口村茶园面积逐年扩大，但现有加工厂设备陈旧，鲜叶收购高峰期加工能力不足，茶农收入受影响。",
        "建议镇里协调产业扶持资金，支持加工厂更新杀青、揉捻设备，并开展茶叶加工技术培训。",
        OWN_CATEGORY,
        "白杨坪镇农业服务中心",
        result="B",
        satisfaction=Satisfaction.BASIC,
        days=(130, 128, 125, 120, 118, 100, 60, 58, 50),
    ),
    Story(
        "关于麂子渡村卫生室增配常用药品和设备的建议",
        "麂子渡村距镇卫生院较远，村卫生室常用药品品种少，缺少血压计、血糖仪等基本设备，老年人看病不便。",
        "建议镇卫生院加强对村卫生室的药品配送和设备配置，定期安排医生下村巡诊。",
        "医疗卫生",
        "白杨坪镇卫生院",
        days=(80, 78, 75, 72, 70, 55, 8),
    ),
    Story(
        "关于及时足额发放耕地地力保护补贴的建议",
        "部分农户反映耕地地力保护补贴到账时间不一，个别农户对补贴面积和标准不清楚。",
        "建议镇财政所会同各村公示补贴面积和标准，按时足额发放到户，并开通咨询电话。",
        "社会保障",
        "白杨坪镇财政所",
        days=(6, 5),
    ),
    Story(
        "关于整治洞下槽村垃圾收集点的建议",
        "洞下槽村部分垃圾收集点设置在路边和溪沟旁，清运不及时，夏季异味较大，影响村容村貌。",
        "建议村委会重新规划垃圾收集点位置，增加分类垃圾桶，落实保洁员每日清运。",
        "生态环境",
        "白杨坪镇洞下槽村村民委员会",
        days=(22, 21, 18),
    ),
    Story(
        "关于熊家岩村安全饮水工程维护的建议",
        "熊家岩村饮水工程蓄水池和管网建成多年，冬季易冻裂，部分农户时有停水。",
        "建议对蓄水池加盖保温，更换老化管网，明确管水员和维护经费。",
        "农业农村",
        "白杨坪镇农业服务中心",
        days=(40, 38, 35, 33),  # new in the `townshipunit` inbox
    ),
]


def _account(username: str, **fields: Any) -> User:
    """An account that acts in the demo's records but cannot log in."""
    user = User(username=username, **fields)
    user.set_unusable_password()
    user.save()
    return user


class Township:
    """The actors of one township congress's demo work: its officer, its offices' clerks, its deputies."""

    def __init__(self, ctx: Any, congress: Congress) -> None:
        self.congress = congress
        logins = {u.username: u for u in User.objects.filter(username__in=["townshipcongress", "townshipunit"])}
        self.officer = logins["townshipcongress"]
        self.clerks = {logins["townshipunit"].unit_id: logins["townshipunit"]}
        self.units = {u.name: u for u in ctx.org.township_units}
        self.classes = {r.code: r for r in ResultClass.objects.all()}
        seated = Mandate.objects.filter(congress=congress).values("deputy_id")
        deputies = list(Deputy.objects.filter(pk__in=seated).order_by("id_number"))
        self.authors = ctx.rng.sample(deputies, len(STORIES))
        self.deputy_users = {u.deputy_id: u for u in User.objects.filter(deputy__in=self.authors)}

    def deputy_user(self, deputy: Deputy) -> User:
        if deputy.pk not in self.deputy_users:
            n = len([u for u in self.deputy_users.values() if u.username.startswith("township_deputy_")]) + 1
            self.deputy_users[deputy.pk] = _account(
                f"township_deputy_{n:02d}", role=Role.DEPUTY, deputy=deputy, display_name=deputy.name
            )
        return self.deputy_users[deputy.pk]

    def clerk(self, unit: HandlingUnit) -> User:
        if unit.pk not in self.clerks:
            n = [u.name for u in self.units.values()].index(unit.name)
            self.clerks[unit.pk] = _account(
                f"township_unit_{n + 1:02d}", role=Role.UNIT_CLERK, unit=unit, display_name=CLERKS[n]
            )
        return self.clerks[unit.pk]


def _steps(t: Township, story: Story, author: Deputy, categories: dict[str, Category]) -> list[Any]:
    """The service calls of one story, in order; each takes the suggestion made so far."""
    user = t.deputy_user(author)
    unit = t.units[story.unit]
    clerk = t.clerk(unit)
    result = t.classes[story.result]
    reply = (
        f"{author.name}代表：\n    您提出的《{story.title}》收悉。我们高度重视，经与您沟通并实地查看，现答复如下："
        + ("该事项已纳入今年工作计划并组织实施，预计年底前完成。" if story.result == "B" else "该事项已办理完毕。")
        + f"\n{unit.name}"
    )
    content = {"situation": story.situation, "reasons": "", "proposals": story.proposals, "congress": t.congress}

    def create(_s: Any) -> Suggestion:
        return services.suggestion_create(author=author, data={"title": story.title, **content}, actor=user)

    return [
        create,
        lambda s: services.suggestion_submit(suggestion=s, actor=user),
        lambda s: services.suggestion_register(suggestion=s, category=categories[story.category], actor=t.officer),
        lambda s: services.suggestion_assign(
            suggestion=s,
            lead_unit=unit,
            requirements="请于交办之日起3个月内办结并书面答复代表，答复前须与代表沟通联系。",
            actor=t.officer,
        ),
        lambda s: services.suggestion_receive(suggestion=s, actor=clerk),
        lambda s: services.suggestion_consult(
            suggestion=s,
            date=local_today(),
            way=ConsultationWay.SITE,
            notes=f"{unit.name}负责同志陪同{author.name}代表到现场查看，共同研究解决办法。",
            actor=clerk,
        ),
        lambda s: services.suggestion_reply(
            suggestion=s,
            text=reply,
            result_class=result,
            publishable=True,
            follow_up_on=local_today() + datetime.timedelta(days=120) if result.needs_follow_up else None,
            actor=clerk,
        ),
        lambda s: services.suggestion_review_reply(suggestion=s, accept=True, note="", actor=t.officer),
        lambda s: services.suggestion_evaluate(
            suggestion=s,
            attitude=Satisfaction.SATISFIED,
            result=story.satisfaction,
            comment="办理及时，希望继续跟踪落实。",
            actor=user,
        ),
    ]


def build(ctx: Any) -> dict[str, int]:
    town = next(t for t in ctx.org.townships if t.name == data.TOWNSHIP_CONGRESS_TOWN)
    congress = ctx.org.township_congresses[town.pk]
    last = ctx.today - DAY
    room = (last - datetime.date(last.year, 1, 10)).days
    if room < 20:
        return {}
    scale = min(1.0, room / SPAN)
    t = Township(ctx, congress)

    from deputyhome.notifications.models import Notification

    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    start = datetime.datetime(last.year, 1, 10, 9, 0, tzinfo=TZ)
    with time_machine.travel(start, tick=False):
        services.category_create(data={"name": OWN_CATEGORY, "order": 20, "is_active": True}, actor=t.officer)
    categories = {c.name: c for c in services.categories_for(congress)}
    moments = []
    for n, (story, author) in enumerate(zip(STORIES, t.authors, strict=True)):
        steps = _steps(t, story, author, categories)[: len(story.days)]
        for i, (ago, fn) in enumerate(zip(story.days, steps, strict=True)):
            day = last - datetime.timedelta(days=round(ago * scale))
            moments.append((datetime.datetime(day.year, day.month, day.day, 9 + i, 10 + n, tzinfo=TZ), n, fn))
    made: dict[int, Suggestion] = {}
    with services.notifications_at_once():  # stamped at each step's (travelled) time
        for when, n, fn in sorted(moments, key=lambda m: (m[0], m[1])):
            with time_machine.travel(when, tick=False):
                done = fn(made.get(n))
                made[n] = Suggestion.objects.get(pk=done.pk if isinstance(done, Suggestion) else made[n].pk)
    cutoff = datetime.datetime(last.year, last.month, last.day, tzinfo=TZ) - READ_AFTER
    Notification.objects.filter(pk__gt=before, created_at__lt=cutoff, read_at__isnull=True).update(
        read_at=ExpressionWrapper(F("created_at") + datetime.timedelta(hours=2), output_field=DateTimeField())
    )
    return {f"{congress.name}代表建议": Suggestion.objects.filter(congress=congress).count()}
