"""Demo activities: the problems deputies found, the suggestions and referrals they led to."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.activities.choices import ActivityKind, Attendance, OrganiserLevel, ProblemStatus, ReferralStatus
from deputyhome.activities.models import Activity, Problem, Referral
from deputyhome.organisation.models import Region

from ..clock import after
from ..draw import weighted

PROBLEMS = 241
FORMED = 171  # became suggestions or were forwarded to units
STILL_OPEN = 20
MAX_LINKED_SUGGESTIONS = 40

CATEGORY_WEIGHTS = [
    ("城乡建设与管理", 25),
    ("农业农村", 20),
    ("交通运输", 15),
    ("生态环境", 10),
    ("社会保障", 8),
    ("教育科技文化", 6),
    ("医疗卫生", 6),
    ("政法与社会治理", 5),
    ("经济建设", 3),
    ("其他", 2),
]
PROBLEM_TEXTS: dict[str, list[str]] = {
    "城乡建设与管理": [
        "{v}主干道路灯损坏{n}盏，夜间群众出行存在安全隐患。",
        "{v}老旧小区雨污管网堵塞，雨天污水外溢。",
        "{v}背街小巷路面破损、坑洼积水，群众出行不便。",
        "{v}垃圾收集点设置不足，部分垃圾未能及时清运。",
        "{v}安置小区物业服务不到位，公共区域卫生较差。",
        "{v}农贸市场周边占道经营，早晚高峰交通拥堵。",
    ],
    "农业农村": [
        "{v}茶园生产便道年久失修，采茶季鲜叶运输困难。",
        "{v}土豆种薯退化，群众希望统一调供脱毒种薯。",
        "{v}灌溉水渠淤塞，约{n}十亩农田灌溉困难。",
        "{v}生猪养殖户反映粪污处理设施不足。",
        "{v}农产品缺少冷链仓储，鲜叶、蔬菜损耗较大。",
        "{v}撂荒地较多，群众希望引进经营主体流转经营。",
    ],
    "交通运输": [
        "{v}通组公路急弯处缺少防护栏和警示标志。",
        "{v}至集镇的客运班车班次少，群众出行不便。",
        "{v}公路边坡塌方未及时清理，存在安全隐患。",
        "{v}学校门口缺少减速带和人行横道。",
    ],
    "生态环境": [
        "{v}河道内垃圾堆积，影响水质和环境。",
        "{v}饮用水源地周边有畜禽散养，存在污染隐患。",
        "{v}石材加工点粉尘和噪声扰民。",
    ],
    "社会保障": [
        "{v}部分高龄老人不了解高龄津贴申领办法。",
        "{v}易迁安置户就业渠道少，希望组织技能培训。",
        "{v}养老服务站设施闲置，未能正常运转。",
    ],
    "教育科技文化": [
        "{v}村小教学点教师不足，音体美课程开设不全。",
        "{v}文化广场健身器材损坏，存在安全隐患。",
        "{v}农家书屋图书陈旧、开放时间不固定。",
    ],
    "医疗卫生": [
        "{v}卫生室缺少常用药品，村医年龄偏大。",
        "{v}群众反映慢性病门诊报销手续繁琐。",
    ],
    "政法与社会治理": [
        "{v}邻里宅基地纠纷长期未化解。",
        "{v}电信诈骗防范宣传不够，老人受骗时有发生。",
        "{v}夜间有大货车超速行驶，存在安全隐患。",
    ],
    "经济建设": [
        "{v}小微企业反映办理用地手续周期长。",
        "{v}个体工商户反映融资渠道窄、贷款难。",
    ],
    "其他": [
        "{v}移动信号弱，部分农户无法正常通话上网。",
        "{v}电压不稳，茶叶加工设备无法正常运行。",
        "{v}自来水管网老化，经常停水。",
    ],
}
UNITS_BY_CATEGORY: dict[str, list[str]] = {
    "城乡建设与管理": ["市住房和城乡建设局", "市城市管理执法局", "市住房和城乡建设局", "市自然资源和规划局"],
    "农业农村": ["市农业农村局", "市茶产业发展中心", "市林业局", "市水利和湖泊局"],
    "交通运输": ["市交通运输局", "恩施市公共交通有限公司"],
    "生态环境": ["市生态环境局", "市水利和湖泊局"],
    "社会保障": ["市人力资源和社会保障局", "市民政局"],
    "教育科技文化": ["市教育局", "市文化和旅游局"],
    "医疗卫生": ["市卫生健康委员会", "市医疗保障局"],
    "政法与社会治理": ["市公安局", "市司法局"],
    "经济建设": ["市发展和改革局", "市市场监督管理局"],
    "其他": ["中国移动恩施市分公司", "国网恩施供电公司", "恩施市水务有限公司"],
}
CLOSING_NOTES = [
    "经代表现场协调，村（社区）当即安排人员处理，问题已解决。",
    "代表当场向群众解释相关政策并指导办理，群众表示满意。",
    "代表联系乡镇相关站所到现场办理，问题当场解决。",
    "代表协调村委会组织群众投工投劳，当天完成整治。",
]
REPLIES = [
    "已安排专人现场核实，并于{d}完成整改。",
    "已纳入本年度整改计划，正在组织实施，预计{m}月底前完成。",
    "已会同所在乡镇（街道）研究处理，现已解决，并向代表反馈。",
    "经核实情况属实，已完成维修，后续将加强日常巡查。",
]


def _short(text: str, n: int = 40) -> str:
    text = text.rstrip("。")
    return text if len(text) <= n else f"{text[:n]}…"


def _linked_suggestions(rng: random.Random, year: int) -> list:
    """Suggestions the suggestions demo built this year that a problem can have led to."""
    from deputyhome.suggestions.choices import State
    from deputyhome.suggestions.models import Suggestion

    candidates = list(
        Suggestion.objects.filter(year=year, author__region__isnull=False)
        .exclude(state__in=[State.DRAFT, State.WITHDRAWN, State.RETURNED])
        .select_related("author", "category")
        .order_by("pk")
    )
    if len(candidates) > MAX_LINKED_SUGGESTIONS:
        candidates = sorted(rng.sample(candidates, MAX_LINKED_SUGGESTIONS), key=lambda s: s.pk)
    return candidates


def build_problems(
    ctx: Any, plan: list[dict], activities: list[Activity], author_for: Callable[[Region | None], User]
) -> dict[str, int]:
    """The problems of the year: those behind this year's suggestions, and those found at activities."""
    from deputyhome.suggestions.models import Category

    rng = ctx.rng
    today = ctx.today
    year = today.year
    categories = {c.name: c for c in Category.objects.all()}
    units = {u.name: u for u in ctx.org.units}
    township_by_pk = ctx.org.township_by_pk
    villages_of = ctx.org.villages_of

    linked = _linked_suggestions(rng, year)
    problems: list[Problem] = []
    for s in linked:
        submitted = s.submitted_at.date() if s.submitted_at else today
        day = max(datetime.date(year, 1, 1), min(today, submitted) - datetime.timedelta(days=rng.randint(3, 30)))
        core = s.title.removeprefix("关于").removesuffix("的建议").removesuffix("建议")
        region = township_by_pk.get(s.author.region_id) or s.author.region
        village = rng.choice(villages_of[region.pk]) if villages_of.get(region.pk) else None
        problems.append(
            Problem(
                text=f"代表在走访中了解到，{core}方面的问题群众反映较多，需要统筹研究解决。",
                place=f"{region.name}{village.name if village else ''}",
                category=s.category,
                deputy=s.author,
                activity=None,
                region=region,
                created_by=author_for(region),
                date=day,
                status=ProblemStatus.SUGGESTION,
                handled_on=min(today, day + datetime.timedelta(days=rng.randint(1, 3))),
                suggestion=s,
            )
        )

    eligible = [
        (a, e)
        for a, e in zip(activities, plan, strict=True)
        if a.kind not in (ActivityKind.TRAINING, ActivityKind.FORUM) and a.campaign_id
    ]
    found: list[Problem] = []
    for _ in range(PROBLEMS - len(problems)):
        activity, e = rng.choice(eligible)
        present = [d for d, att in e["people"] if att == Attendance.PRESENT]
        deputy = rng.choice(present) if present else None
        category = weighted(rng, CATEGORY_WEIGHTS)
        village = e["village"] if activity.level == OrganiserLevel.GROUP else rng.choice(villages_of[e["township"].pk])
        text = rng.choice(PROBLEM_TEXTS[category]).format(v=village.name, n=rng.randint(2, 9))
        region = e["township"]
        found.append(
            Problem(
                text=text,
                place=f"{region.name}{village.name}",
                category=categories.get(category),
                deputy=deputy,
                activity=activity,
                region=region,
                created_by=author_for(region),
                date=min(today, activity.date + datetime.timedelta(days=rng.choice([0, 0, 0, 1, 2]))),
                status=ProblemStatus.OPEN,
            )
        )
    # The newest stay open; of the rest, enough go to units to make 171 with the suggestions, the others were
    # closed on the spot.
    found.sort(key=lambda p: (p.date, p.text))
    settled = found[: len(found) - STILL_OPEN]
    forwarded_count = FORMED - len(problems)
    forwarded = set(rng.sample(range(len(settled)), forwarded_count))
    referrals: list[Referral] = []
    forwarded_problems: list[Problem] = []
    for i, p in enumerate(settled):
        if i in forwarded:
            p.status = ProblemStatus.FORWARDED
            p.handled_on = min(today, p.date + datetime.timedelta(days=rng.randint(1, 5)))
            unit_name = rng.choice(
                UNITS_BY_CATEGORY.get(p.category.name if p.category else "其他", ["市住房和城乡建设局"])
            )
            replied = rng.random() < 0.85
            sent = p.handled_on
            reply_day = min(today, sent + datetime.timedelta(days=rng.randint(3, 20)))
            referral = Referral(
                unit=units[unit_name],
                title=_short(p.text),
                content=p.text + f"\n地点：{p.place}" + (f"\n提出代表：{p.deputy.name}" if p.deputy else ""),
                region=p.region,
                created_by=p.created_by,
                due_on=after(sent, 15),
                status=ReferralStatus.REPLIED if replied else ReferralStatus.OPEN,
                reply=rng.choice(REPLIES).format(
                    d=f"{reply_day.month}月{reply_day.day}日", m=min(12, reply_day.month + 1)
                )
                if replied
                else "",
                replied_on=reply_day if replied else None,
            )
            referrals.append(referral)
            forwarded_problems.append(p)
        else:
            p.status = ProblemStatus.CLOSED
            p.closing_note = rng.choice(CLOSING_NOTES)
            p.handled_on = p.date
    referrals = Referral.objects.bulk_create(referrals)
    # The fast lane's business date is when the problem was forwarded, not when the demo ran.
    for r, p in zip(referrals, forwarded_problems, strict=True):
        r.created_at = timezone.make_aware(datetime.datetime.combine(p.handled_on, datetime.time(9, 30)))
        p.referral = r
    Referral.objects.bulk_update(referrals, ["created_at"])
    clerk = User.objects.filter(role="unit_clerk").first()
    replied_ids = [
        r.pk for r in referrals if r.status == ReferralStatus.REPLIED and clerk and r.unit_id == clerk.unit_id
    ]
    if replied_ids:
        Referral.objects.filter(pk__in=replied_ids).update(replied_by=clerk)
    Problem.objects.bulk_create(problems + found)
    return {
        "发现问题": len(problems) + len(found),
        "形成建议": len(problems),
        "转交事项": len(referrals),
        "形成意见建议并转交": len(problems) + len(referrals),
        "当场解决": sum(1 for p in found if p.status == ProblemStatus.CLOSED),
    }
