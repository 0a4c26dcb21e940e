"""Demo activities: the stations' rules on the wall and this year's assessment against the checklist."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from deputyhome.accounts.models import User
from deputyhome.activities import scoring
from deputyhome.activities.choices import ItemStatus, RuleCategory
from deputyhome.activities.models import (
    AssessmentResult,
    Rule,
    RulePosting,
    RuleVersion,
    StandardItem,
    StationAssessment,
)
from deputyhome.organisation.choices import StationKind
from deputyhome.organisation.models import Region, Station

from ..clock import day_between
from ..organisation import Organisation

PASS_SCORE = scoring.DEFAULT_PASS_SCORE

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


def build_rules(org: Organisation, rng: random.Random, today: datetime.date) -> dict[str, int]:
    """The rules of 2022 on every station's wall, and this year's revised one at 60 of them."""
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
        RulePosting(station=s, version=v, posted_on=day_between(rng, first, datetime.date(2022, 6, 30)))
        for s in stations
        for v in versions
    ]
    adopters = rng.sample(stations, 60)
    postings += [
        RulePosting(station=s, version=revised, posted_on=day_between(rng, revised_on, today)) for s in adopters
    ]
    RulePosting.objects.bulk_create(postings)
    return {"家站制度": len(rules), "制度上墙": len(postings)}


def build_assessments(
    org: Organisation, rng: random.Random, today: datetime.date, author_for: Callable[[Region | None], User]
) -> dict[str, int]:
    """Every station assessed against the checklist this year; six liaison stations fail."""
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
                assessed_on=day_between(rng, start, today),
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
