"""Demo activities: the year's campaign with its themes and entry points, the activities, their outputs."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from deputyhome.accounts.models import User
from deputyhome.activities.choices import ActivityKind, Attendance, OrganiserLevel, OutputKind
from deputyhome.activities.models import Activity, Campaign, GroupTopic, Output, Participation, TownshipTheme
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Region, Station

from ..clock import day_between, in_quarter
from ..draw import weighted

SLOGAN = "察民情、聚民智、惠民生"
MAIN_THEME = "为全市实现“当好龙头、稳居前列、绿色崛起、冲刺百强”彰显人大力量"
CAMPAIGN_DESCRIPTION = (
    "坚持“回家”真学真访真督真办：市人大常委会围绕中心工作开展专题调研，各乡镇（街道、大峡谷风景区管理处）"
    "人大确定本地活动主题，各代表小组找准小切口开展视察调研和走访活动，发现的问题分层分级转交办理。"
)

# The article's themes; the others are plausible for the place.
THEMES: dict[str, str] = {
    "舞阳坝街道": "城市社区治理和背街小巷改造",
    "六角亭街道": "老城文旅振兴和农村人居环境提升",
    "小渡船街道": "老旧小区改造和物业服务提升",
    "金子坝街道": "基层治理暨优化营商环境",
    "七里坪街道": "四清四整",
    "龙凤镇": "城乡融合发展和易迁安置社区治理",
    "白杨坪镇": "庭院建设和茶旅产业融合",
    "崔家坝镇": "茶叶产业提质增效",
    "板桥镇": "高山蔬菜产业和农村公路建设",
    "三岔乡": "土豆产业发展",
    "新塘乡": "人居环境整治",
    "红土乡": "特色产业发展和农村饮水安全",
    "沙地乡": "乡村旅游和特色种植",
    "太阳河乡": "土豆产业发展",
    "屯堡乡": "庭院建设和茶旅产业融合",
    "白果乡": "建设玉露走廊示范带",
    "芭蕉侗族乡": "侗族文化保护和茶旅融合",
    "盛家坝乡": "传统村落保护和乡村旅游",
    "大峡谷风景区管理处": "姚家坪水利枢纽工程移民搬迁安置",
}

# Small entry points (小切口) per township, given to its groups in order.
TOPICS: dict[str, list[str]] = {
    "舞阳坝街道": ["背街小巷路灯和路面改造", "社区养老服务", "农贸市场周边秩序", "小区停车难"],
    "六角亭街道": ["老城文旅振兴", "农村人居环境提升", "老街商户经营环境", "社区垃圾分类"],
    "小渡船街道": ["老旧小区雨污分流", "物业服务质量", "社区居家养老", "校园周边交通安全"],
    "金子坝街道": ["企业用工和融资服务", "小区物业管理", "背街小巷整治"],
    "七里坪街道": ["清垃圾、清沟渠", "整治乱搭乱建", "整治占道经营"],
    "龙凤镇": ["易迁安置社区就业", "城郊道路安全", "安置社区物业服务", "集镇污水处理", "产业园区配套", "农村饮水"],
    "白杨坪镇": ["庭院经济", "茶旅融合示范点", "洞下槽村代表之家示范建设", "茶园便道建设", "民宿发展"],
    "崔家坝镇": ["茶园提质改造", "茶叶加工厂用电", "茶叶品牌建设", "通组公路", "集镇管理"],
    "板桥镇": ["高山蔬菜冷链", "农村公路养护", "蔬菜种植技术服务", "山区客运"],
    "三岔乡": ["土豆脱毒种薯推广", "土豆仓储和销售", "农田灌溉", "易迁后续扶持", "村级道路"],
    "新塘乡": ["垃圾收集转运", "改厕和污水治理", "村庄绿化", "河道清理", "农房风貌"],
    "红土乡": ["烟叶产业", "农村饮水安全", "山区道路安全", "留守儿童关爱"],
    "沙地乡": ["乡村民宿", "特色种植", "旅游公路"],
    "太阳河乡": ["土豆品种改良", "土豆深加工", "梭布垭景区周边环境", "农村饮水"],
    "屯堡乡": ["庭院美化", "茶旅线路建设", "马者村民宿服务", "茶叶销售渠道"],
    "白果乡": ["玉露茶园基地建设", "玉露走廊沿线环境", "茶叶加工标准化", "乡村旅游接待"],
    "芭蕉侗族乡": ["侗族村寨保护", "茶叶加工", "侗族文化传承", "集镇环境", "茶旅线路"],
    "盛家坝乡": ["二官寨传统村落保护", "乡村旅游接待能力", "山区道路", "特色农产品销售"],
    "大峡谷风景区管理处": ["姚家坪移民搬迁安置", "景区周边村民就业"],
}

# The committee's research and checks of the year (the article's list), with their outputs:
# (topic, kind, output kind, output title, sent to, response)
COMMITTEE: list[tuple[str, str, str | None, str, str, str]] = [
    (
        "优化营商环境专题调研",
        ActivityKind.RESEARCH,
        OutputKind.RESEARCH_REPORT,
        "关于全市优化营商环境工作情况的调研报告",
        "市委、市人民政府",
        "市委主要领导作出批示，要求市发展和改革局牵头研究落实调研报告提出的建议。",
    ),
    (
        "国有资产管理情况专题调研",
        ActivityKind.RESEARCH,
        OutputKind.RESEARCH_REPORT,
        "关于全市国有资产管理情况的调研报告",
        "市委、市人民政府",
        "",
    ),
    ("“四清四整”工作专题调研", ActivityKind.RESEARCH, None, "", "", ""),
    (
        "州城燃气管理专题调研",
        ActivityKind.RESEARCH,
        OutputKind.RESEARCH_REPORT,
        "关于州城燃气安全管理情况的调研报告",
        "市委、市人民政府",
        "",
    ),
    (
        "生猪产业发展情况专题调研",
        ActivityKind.RESEARCH,
        OutputKind.REVIEW_OPINION,
        "关于全市生猪产业发展情况的审议意见",
        "市人民政府",
        "市人民政府已研究办理，出台稳定生猪生产的具体措施，并将办理情况报告市人大常委会。",
    ),
    (
        "州城饮用水源地环境保护专题调研",
        ActivityKind.RESEARCH,
        OutputKind.REVIEW_OPINION,
        "关于州城饮用水源地环境保护工作的审议意见",
        "市人民政府",
        "",
    ),
    ("《中华人民共和国未成年人保护法》执法检查", ActivityKind.ENFORCEMENT_CHECK, None, "", "", ""),
    ("民生实事项目完成情况视察", ActivityKind.INSPECTION, None, "", "", ""),
    ("“察民情、聚民智、惠民生”代表行动启动部署会", ActivityKind.FORUM, None, "", "", ""),
    ("代表行动专题培训", ActivityKind.TRAINING, None, "", "", ""),
]

KIND_WEIGHTS = [
    (ActivityKind.VISIT, 30),
    (ActivityKind.RECEPTION, 18),
    (ActivityKind.RESEARCH, 15),
    (ActivityKind.INSPECTION, 12),
    (ActivityKind.FORUM, 10),
    (ActivityKind.ENFORCEMENT_CHECK, 5),
    (ActivityKind.TRAINING, 5),
    (ActivityKind.OTHER, 5),
]
LAWS = [
    "《中华人民共和国土地管理法》",
    "《中华人民共和国安全生产法》",
    "《中华人民共和国食品安全法》",
    "《湖北省农村供水管理办法》",
]


def _attendance(rng: random.Random) -> str:
    r = rng.random()
    return Attendance.PRESENT if r < 0.85 else Attendance.EXCUSED if r < 0.95 else Attendance.ABSENT


def build_campaign(
    ctx: Any, city_user: User, author_for: Callable[[Region | None], User]
) -> tuple[dict[str, int], list[dict], list[Activity]]:
    """The campaign, the activities with their participants and the committee's outputs.

    Returns the counts, the plan (each activity with its people, village and township) and the activities
    as written (in the plan's order), for the problems found.
    """
    rng = ctx.rng
    today = ctx.today
    year = today.year
    org = ctx.org
    counts: dict[str, int] = {}

    start = datetime.date(year, 3, 1) if today >= datetime.date(year, 3, 1) else datetime.date(year, 1, 1)
    campaign = Campaign.objects.create(
        slogan=SLOGAN,
        start_on=start,
        end_on=datetime.date(year, 12, 31),
        main_theme=MAIN_THEME,
        description=CAMPAIGN_DESCRIPTION,
    )
    TownshipTheme.objects.bulk_create(
        TownshipTheme(campaign=campaign, region=t, theme=THEMES.get(t.name, "察民情、聚民智、惠民生"))
        for t in org.townships
    )
    groups_of: dict[int, list] = defaultdict(list)
    for g in org.groups:
        groups_of[org.township_of(g.station).pk].append(g)
    topic_of: dict[int, str] = {}
    for township in org.townships:
        topics = TOPICS.get(township.name) or [THEMES.get(township.name, "民生实事")]
        for i, g in enumerate(groups_of[township.pk]):
            topic_of[g.pk] = topics[i % len(topics)]
    GroupTopic.objects.bulk_create(
        GroupTopic(campaign=campaign, group=g, topic=topic_of[g.pk]) for g in org.groups if g.pk in topic_of
    )
    counts["代表行动"] = 1
    counts["乡镇行动主题"] = len(org.townships)
    counts["小组小切口"] = len(topic_of)

    # Activities -------------------------------------------------------------------------------------
    members: dict[int, list] = defaultdict(list)
    by_township: dict[int, list] = defaultdict(list)
    city_deputies = []
    for p in ctx.deputies.persons:
        members[p.group.pk].append(p)
        by_township[p.township.pk].append(p.deputy)
        if CongressLevel.CITY in p.levels:
            city_deputies.append(p.deputy)
    villages_of = org.villages_of
    home_of = {h.region_id: h for h in org.homes}

    plan: list[dict] = []  # activities with their participants, written in bulk below
    committee_outputs = []
    for topic, kind, out_kind, out_title, sent_to, response in COMMITTEE:
        township = rng.choice(org.townships)
        day = day_between(rng, start, today)
        plan.append(
            {
                "activity": Activity(
                    kind=kind,
                    level=OrganiserLevel.COMMITTEE,
                    region=org.city,
                    campaign=campaign,
                    date=day,
                    place="市人大常委会会议室"
                    if kind in (ActivityKind.FORUM, ActivityKind.TRAINING)
                    else f"{township.name}等地",
                    topic=topic,
                    notes=f"市人大常委会组织部分市人大代表围绕“{topic.removesuffix('专题调研')}”开展活动。",
                    created_by=city_user,
                ),
                "people": [(d, _attendance(rng)) for d in rng.sample(city_deputies, rng.randint(12, 25))],
                "village": rng.choice(villages_of[township.pk]),
                "township": township,
            }
        )
        if out_kind:
            committee_outputs.append((len(plan) - 1, out_kind, out_title, sent_to, response))
    for township in org.townships:
        theme = THEMES.get(township.name, "民生实事")
        for _ in range(4):
            kind = weighted(rng, KIND_WEIGHTS)
            day = day_between(rng, start, today)
            village = rng.choice(villages_of[township.pk])
            plan.append(
                {
                    "activity": Activity(
                        kind=kind,
                        level=OrganiserLevel.TOWNSHIP,
                        region=township,
                        station=home_of.get(township.pk),
                        campaign=campaign if kind not in (ActivityKind.TRAINING, ActivityKind.OTHER) else None,
                        date=day,
                        place=f"{township.name}{village.name}",
                        topic=_topic(rng, kind, theme, home_of.get(township.pk)),
                        notes=f"{township.name}人大组织辖区代表围绕“{theme}”开展{kind.label}。",
                        created_by=author_for(township),
                    ),
                    "people": [
                        (d, _attendance(rng))
                        for d in rng.sample(
                            by_township[township.pk], min(len(by_township[township.pk]), rng.randint(8, 15))
                        )
                    ],
                    "village": village,
                    "township": township,
                }
            )
    for group in org.groups:
        township = org.township_of(group.station)
        topic = topic_of.get(group.pk, THEMES.get(township.name, "民生实事"))
        for i in range(rng.choice([2, 3, 3, 3, 4])):
            kind = weighted(rng, KIND_WEIGHTS)
            in_campaign = kind not in (ActivityKind.TRAINING, ActivityKind.OTHER)
            low = start if in_campaign else datetime.date(year, 1, 1)
            day = in_quarter(day_between(rng, low, today), i, low, today)  # a group meets quarter by quarter
            plan.append(
                {
                    "activity": Activity(
                        kind=kind,
                        level=OrganiserLevel.GROUP,
                        region=township,
                        group=group,
                        station=group.station,
                        campaign=campaign if in_campaign else None,
                        date=day,
                        place=group.station.name
                        if kind == ActivityKind.RECEPTION
                        else f"{township.name}{group.station.region.name}",
                        topic=_topic(rng, kind, topic, group.station),
                        notes=f"{group.name}围绕“{topic}”开展{kind.label}。",
                        created_by=author_for(township),
                    ),
                    "people": [(p.deputy, _attendance(rng)) for p in members[group.pk]],
                    "village": group.station.region,
                    "township": township,
                }
            )
    plan.sort(key=lambda e: (e["activity"].date, e["activity"].level, e["activity"].topic))
    activities = Activity.objects.bulk_create(e["activity"] for e in plan)
    # bulk_create keeps the order, so plan[i] is activities[i]; the committee indices moved with the sort.
    Participation.objects.bulk_create(
        Participation(activity=a, deputy=d, attendance=att)
        for a, e in zip(activities, plan, strict=True)
        for d, att in e["people"]
    )
    counts["代表活动"] = len(activities)
    counts["参加活动记录"] = sum(len(e["people"]) for e in plan)

    # Outputs: 3 research reports and 2 review opinions from the committee's research.
    index = {e["activity"].topic: i for i, e in enumerate(plan) if e["activity"].level == OrganiserLevel.COMMITTEE}
    outputs = []
    for topic, _kind, out_kind, out_title, sent_to, response in COMMITTEE:
        if not out_kind:
            continue
        activity = activities[index[topic]]
        made = min(today, activity.date + datetime.timedelta(days=rng.randint(10, 30)))
        outputs.append(
            Output(
                activity=activity,
                kind=out_kind,
                title=out_title,
                date=made,
                sent_to=sent_to,
                response=response,
                response_on=min(today, made + datetime.timedelta(days=20)) if response else None,
                created_by=city_user,
            )
        )
    Output.objects.bulk_create(outputs)
    counts["调研报告"] = sum(1 for o in outputs if o.kind == OutputKind.RESEARCH_REPORT)
    counts["审议意见"] = sum(1 for o in outputs if o.kind == OutputKind.REVIEW_OPINION)

    return counts, plan, activities


# An activity's title by its kind, around the campaign's topic (other kinds: volunteering).
TOPIC_TITLES = {
    ActivityKind.RESEARCH: "“{topic}”专题调研",
    ActivityKind.INSPECTION: "“{topic}”视察",
    ActivityKind.VISIT: "走访群众：{topic}",
    ActivityKind.FORUM: "“{topic}”座谈会",
    ActivityKind.TRAINING: "以会代训：学习与“{topic}”相关的法律法规",
}


def _topic(rng: random.Random, kind: str, topic: str, station: Station | None) -> str:
    if kind == ActivityKind.ENFORCEMENT_CHECK:
        return f"{rng.choice(LAWS)}执法检查"
    if kind == ActivityKind.RECEPTION:
        return f"{station.name if station else ''}代表接待选民日"
    return TOPIC_TITLES.get(kind, "“{topic}”志愿服务活动").format(topic=topic)
