"""Demo: station standards and rules, the year's campaign, activities, problems and referrals.

Follows the article: the "察民情、聚民智、惠民生" campaign with each township's theme and each
group's small entry point; a few hundred activities across the townships; 3 research reports
and 2 review opinions from the committee's research; 241 problems found, of which 171 became
suggestions or were forwarded to units; the remaining 70 closed on the spot or still open.

Problems "turned into suggestions" are linked to suggestions the suggestions demo already
built (so its figures stay as they are); when there are none, every one of the 171 goes to a
unit through the fast lane. All 97 stations are assessed against the checklist for the year.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.activities import scoring
from deputyhome.activities.choices import (
    ActivityKind,
    Attendance,
    ItemStatus,
    OrganiserLevel,
    OutputKind,
    ProblemStatus,
    ReferralStatus,
    RuleCategory,
)
from deputyhome.activities.models import (
    Activity,
    AssessmentResult,
    Campaign,
    GroupTopic,
    Output,
    Participation,
    Problem,
    Referral,
    Rule,
    RulePosting,
    RuleVersion,
    StandardItem,
    StationAssessment,
    TownshipTheme,
)
from deputyhome.organisation.choices import CongressLevel, StationKind
from deputyhome.organisation.models import Region, Station

PROBLEMS = 241
FORMED = 171  # became suggestions or were forwarded to units
STILL_OPEN = 20
MAX_LINKED_SUGGESTIONS = 40
PASS_SCORE = scoring.DEFAULT_PASS_SCORE

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
SHORT_NOTES = {
    "WY-3": "活动记录不全，部分季度未开展活动",
    "WY-4": "群众意见办理反馈不及时",
    "WY-5": "特色亮点不够突出",
    "TY-3": "台账不规范，接待登记缺页",
    "TY-5": "接待室兼作他用，布置不规范",
    "GF-1": "接待日未固定并公布",
    "GF-3": "接待前未提前公告",
    "GF-4": "代表小组活动少于每季度一次",
    "TY-2": "制度未全部上墙",
    "WY-1": "活动场所面积偏小",
}

RULES: list[tuple[str, str, str]] = [
    (
        "人大代表之家（联络站）工作职责",
        RuleCategory.DUTIES,
        "一、组织代表开展学习培训、视察调研、执法检查等活动。\n二、组织代表定期接待选民，收集社情民意。\n"
        "三、做好代表意见建议的收集、整理、转交和反馈。\n四、建立健全代表履职档案和各类工作台账。",
    ),
    (
        "代表小组组长、副组长和联络员工作职责",
        RuleCategory.DUTIES,
        "一、组长负责召集小组活动，制定年度活动计划。\n二、副组长协助组长开展工作。\n"
        "三、联络员负责活动通知、记录和台账整理，及时上报小组活动情况。",
    ),
    (
        "代表学习培训制度",
        RuleCategory.TRAINING,
        "一、新当选代表参加初任培训，实现全覆盖。\n二、每次视察、调研、检查活动前，以会代训学习相关法律法规。\n"
        "三、代表自学《新时代人大代表履职手册》《中国人大》等资料。",
    ),
    (
        "代表联系接待选民制度",
        RuleCategory.RECEPTION,
        "一、家站确定固定接待日，每周或每月至少接待一次。\n二、接待前2天发布公告，公布接待代表、时间和地点。\n"
        "三、进站代表每人每年至少接待选民一次。\n四、接待情况如实登记，意见建议按规定转交办理。",
    ),
    (
        "代表述职制度",
        RuleCategory.REPORTING,
        "一、代表每届任期内至少向原选区选民述职一次。\n二、述职内容包括参加会议、闭会期间活动、提出建议等情况。\n"
        "三、选民对代表履职情况进行评议。",
    ),
    (
        "代表建议意见处理办法",
        RuleCategory.OPINIONS,
        "一、代表收集的意见建议经梳理汇总后分层分级处理。\n二、属于乡镇（街道）职责的，转交乡镇（街道）办理。\n"
        "三、属于市级层面的，交市人大代工委处理。\n四、办理结果及时向代表和群众反馈。",
    ),
]
REVISED_RULE = "代表联系接待选民制度"
REVISED_TEXT = (
    "一、家站确定固定接待日，每周或每月至少接待一次，并通过公告栏和二维码向群众公布。\n"
    "二、接待前2天发布公告，公布接待代表、时间和地点。\n三、进站代表每人每年至少接待选民一次。\n"
    "四、群众可扫描家站或代表二维码在线反映意见，凭查询码查看办理情况。\n五、小事项直接转交承办单位快速办理，较大事项形成代表建议。"
)


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _attendance(rng: random.Random) -> str:
    r = rng.random()
    return Attendance.PRESENT if r < 0.85 else Attendance.EXCUSED if r < 0.95 else Attendance.ABSENT


def _short(text: str, n: int = 40) -> str:
    text = text.rstrip("。")
    return text if len(text) <= n else f"{text[:n]}…"


def _add_workdays(day: datetime.date, n: int) -> datetime.date:
    from deputyhome.core import workdays

    try:
        return workdays.add_workdays(day, n)
    except Exception:
        return day + datetime.timedelta(days=n * 7 // 5)


def build(ctx) -> dict[str, int]:
    rng = ctx.rng
    today = ctx.today
    year = today.year
    org = ctx.org
    city_user = User.objects.get(username="city")
    township_user = User.objects.filter(username="township").first() or city_user
    township_user_region = township_user.region_id if township_user != city_user else None

    def author_for(region: Region | None) -> User:
        return township_user if region is not None and region.pk == township_user_region else city_user

    counts: dict[str, int] = {}
    counts.update(_build_rules(org, rng, today, city_user))
    counts.update(_build_assessments(org, rng, today, city_user, author_for))

    # The campaign ------------------------------------------------------------------------------------
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
    villages_of: dict[int, list[Region]] = defaultdict(list)
    for v in org.villages:
        villages_of[v.parent_id].append(v)
    home_of = {h.region_id: h for h in org.homes}

    plan: list[dict] = []  # activities with their participants, written in bulk below
    committee_outputs = []
    for topic, kind, out_kind, out_title, sent_to, response in COMMITTEE:
        township = rng.choice(org.townships)
        day = _day(rng, start, today)
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
            kind = _weighted(rng, KIND_WEIGHTS)
            day = _day(rng, start, today)
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
        for _ in range(rng.choice([2, 3, 3, 3, 4])):
            kind = _weighted(rng, KIND_WEIGHTS)
            in_campaign = kind not in (ActivityKind.TRAINING, ActivityKind.OTHER)
            day = _day(rng, start if in_campaign else datetime.date(year, 1, 1), today)
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

    counts.update(_build_problems(ctx, plan, activities, city_user, author_for, villages_of))
    return counts


def _topic(rng: random.Random, kind: str, topic: str, station: Station | None) -> str:
    if kind == ActivityKind.RESEARCH:
        return f"“{topic}”专题调研"
    if kind == ActivityKind.INSPECTION:
        return f"“{topic}”视察"
    if kind == ActivityKind.ENFORCEMENT_CHECK:
        return f"{rng.choice(LAWS)}执法检查"
    if kind == ActivityKind.VISIT:
        return f"走访群众：{topic}"
    if kind == ActivityKind.RECEPTION:
        return f"{station.name if station else ''}代表接待选民日"
    if kind == ActivityKind.FORUM:
        return f"“{topic}”座谈会"
    if kind == ActivityKind.TRAINING:
        return f"以会代训：学习与“{topic}”相关的法律法规"
    return f"“{topic}”志愿服务活动"


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


def _build_problems(ctx, plan, activities, city_user, author_for, villages_of) -> dict[str, int]:
    from deputyhome.suggestions.models import Category

    rng = ctx.rng
    today = ctx.today
    year = today.year
    categories = {c.name: c for c in Category.objects.all()}
    units = {u.name: u for u in ctx.org.units}
    township_by_pk = ctx.org.township_by_pk

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
        category = _weighted(rng, CATEGORY_WEIGHTS)
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
                due_on=_add_workdays(sent, 15),
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


def _build_rules(org, rng: random.Random, today: datetime.date, city_user) -> dict[str, int]:
    stations = [*org.homes, *org.stations]
    rules = Rule.objects.bulk_create(Rule(title=t, category=c) for t, c, _text in RULES)
    first = datetime.date(2022, 3, 1)
    versions = RuleVersion.objects.bulk_create(
        RuleVersion(rule=r, version="2022年版", text=text, effective_on=first)
        for r, (_t, _c, text) in zip(rules, RULES, strict=True)
    )
    revised_rule = next(r for r in rules if r.title == REVISED_RULE)
    revised_on = datetime.date(today.year, 1, 1)
    revised = RuleVersion.objects.create(
        rule=revised_rule, version=f"{today.year}年修订版", text=REVISED_TEXT, effective_on=revised_on
    )
    postings = [
        RulePosting(station=s, version=v, posted_on=_day(rng, first, datetime.date(2022, 6, 30)))
        for s in stations
        for v in versions
    ]
    adopters = rng.sample(stations, 60)
    postings += [RulePosting(station=s, version=revised, posted_on=_day(rng, revised_on, today)) for s in adopters]
    RulePosting.objects.bulk_create(postings)
    return {"家站制度": len(rules), "制度上墙": len(postings)}


def _build_assessments(org, rng: random.Random, today: datetime.date, city_user, author_for) -> dict[str, int]:
    items = list(StandardItem.objects.filter(is_active=True).order_by("order", "code"))
    if not items:
        return {}
    stations: list[Station] = [*org.homes, *org.stations]
    failing = {s.pk for s in rng.sample([s for s in stations if s.kind == StationKind.LIAISON], 6)}
    weak_codes = [
        c for c in ("WY-3", "WY-4", "TY-3", "GF-1", "GF-3", "GF-4", "WY-5", "TY-5") if c in {i.code for i in items}
    ]
    start = max(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=60))
    assessments, result_sets = [], []
    for station in stations:
        statuses = {i.code: ItemStatus.MET for i in items}
        if station.pk in failing:
            for code in rng.sample(weak_codes, 3):
                statuses[code] = ItemStatus.NOT_MET
            for code in rng.sample([c for c in weak_codes if statuses[c] == ItemStatus.MET], 1):
                statuses[code] = ItemStatus.PARTLY
        else:
            for code in rng.sample(weak_codes, rng.choice([0, 0, 0, 1, 1, 2])):
                statuses[code] = ItemStatus.PARTLY
        value = scoring.score((i.points, statuses[i.code]) for i in items)
        region = station.region if station.kind == StationKind.HOME else org.township_of(station)
        notes = (
            "各项建设达到标准。"
            if value == 100
            else ("存在明显短板，限期整改。" if not scoring.passes(value, PASS_SCORE) else "总体达标，个别项目需完善。")
        )
        assessments.append(
            StationAssessment(
                station=station,
                year=today.year,
                assessor=author_for(region),
                assessed_on=_day(rng, start, today),
                notes=notes,
                score=value,
                pass_score=PASS_SCORE,
                passed=scoring.passes(value, PASS_SCORE),
            )
        )
        result_sets.append(statuses)
    assessments = StationAssessment.objects.bulk_create(assessments)
    AssessmentResult.objects.bulk_create(
        AssessmentResult(
            assessment=a,
            item=i,
            status=statuses[i.code],
            points=i.points,
            notes="" if statuses[i.code] == ItemStatus.MET else SHORT_NOTES.get(i.code, "需进一步完善"),
        )
        for a, statuses in zip(assessments, result_sets, strict=True)
        for i in items
    )
    return {"家站评估": len(assessments), "达标家站": sum(1 for a in assessments if a.passed)}
