"""The annual report (年度代表工作报告): the committee's year, in the article's four parts, from the data.

`annual_figures(user=..., year=...)` gathers every figure for the user's scope from the apps'
own statistics selectors (reports.selectors.overview, reports.suggestion_stats,
activities.selectors.activity_stats, training.selectors.training_stats, opinions.selectors);
`annual_report_docx` writes them as a Word document with tables and PNG charts, and the
dashboard shows the same figures with SVG charts. The feature apps are imported lazily: a
deployment without one of them gets a report that says its data is not recorded.

The structure follows the article (domain/000_*.txt):
一、夯实平台，让代表可“回家”  二、培训聚能，让代表能“回家”
三、组织活动，让代表常“回家”  四、增强成就感，让代表想“回家”
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import ScopeKind
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Region, Session

from . import charts
from .selectors import overview

# Roles whose dashboard shows figures may download the report; unit clerks and administrators may not.
REPORT_SCOPES = frozenset({ScopeKind.CITY, ScopeKind.REGION, ScopeKind.GROUP, ScopeKind.SELF})
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LEVEL_LABELS = {
    CongressLevel.PROVINCE: "省级",
    CongressLevel.PREFECTURE: "州级",
    CongressLevel.CITY: "市级",
    CongressLevel.TOWNSHIP: "乡级",
}
SECTION_KEYS = ("platform", "training", "activities", "suggestions")
# Which charts go with which part of the report.
CHART_SECTIONS = {
    "platform": ["platform"],
    "training": ["training"],
    "activities": ["activities"],
    "suggestions": ["suggestions", "satisfaction"],
}
TRAINING_KIND_LABELS = {
    "initial": "初任培训",
    "special": "专题培训",
    "meeting": "以会代训",
    "onsite": "现场教学",
    "lecture": "专家授课",
    "exchange": "学员交流",
    "self_study": "个人自学",
}


def can_download(user) -> bool:
    return bool(user.is_authenticated and user.scope_kind in REPORT_SCOPES)


def as_of(year: int, today: datetime.date) -> datetime.date:
    """The day the year's figures are taken on: 31 December, or today while the year runs."""
    return min(today, datetime.date(year, 12, 31))


def place_and_title(user, year: int) -> tuple[str, str]:
    """Whose report it is (by the user's scope) and its title."""
    kind = user.scope_kind
    if kind == ScopeKind.REGION and user.region_id:
        return user.region.name, f"{user.region.name}{year}年人大代表工作报告"
    if kind == ScopeKind.GROUP and user.group_id:
        return user.group.name, f"{user.group.name}{year}年代表工作报告"
    if kind == ScopeKind.SELF and user.deputy_id:
        return user.deputy.name, f"{user.deputy.name}代表{year}年履职相关情况报告"
    city = Region.objects.filter(parent__isnull=True).order_by("code").first()
    name = city.name if city else ""
    return name, f"{name}人大常委会{year}年代表工作报告"


def _city_session(year: int) -> Session | None:
    return (
        Session.objects.filter(congress__level=CongressLevel.CITY, start_date__year=year)
        .select_related("congress")
        .order_by("start_date")
        .first()
    )


def _campaign(user, year: int) -> dict[str, Any] | None:
    from deputyhome.activities.selectors import campaign_list, campaign_topics

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    campaign = campaign_list(user=user).filter(start_on__lte=end, end_on__gte=start).order_by("start_on").first()
    if campaign is None:
        return None
    themes = campaign.township_themes.filter(region__in=Region.objects.filter(scopes.regions_q(user))).count()
    return {
        "slogan": campaign.slogan,
        "main_theme": campaign.main_theme,
        "themes": themes,
        "topics": campaign_topics(campaign=campaign, user=user).count(),
    }


def _stories(user, year: int) -> list[dict[str, Any]]:
    from deputyhome.opinions.selectors import story_list

    rows = story_list(user=user).filter(is_published=True).order_by("-published_at", "-id")[:5]
    return [{"deputy": s.deputy.name, "title": s.title, "figures": list(s.figures or [])} for s in rows]


def _voter_reports(user, year: int) -> dict[str, Any]:
    from deputyhome.deputies.models import Deputy
    from deputyhome.records.choices import VoterReportStatus
    from deputyhome.records.models import VoterReport

    held = Q(status=VoterReportStatus.HELD)
    agg = VoterReport.objects.filter(
        deputy__in=Deputy.objects.filter(scopes.deputies_q(user)).values("pk"), date__year=year
    ).aggregate(
        held=Count("pk", filter=held),
        planned=Count("pk", filter=Q(status=VoterReportStatus.PLANNED)),
        deputies=Count("deputy", filter=held, distinct=True),
        voters=Sum("voters_present", filter=held),
        satisfied=Sum("satisfied", filter=held),
        basic=Sum("basically_satisfied", filter=held),
        dissatisfied=Sum("dissatisfied", filter=held),
    )
    out = {k: v or 0 for k, v in agg.items()}
    votes = out["satisfied"] + out["basic"] + out["dissatisfied"]
    out["rate"] = (out["satisfied"] + out["basic"]) / votes if votes else None
    return out


def annual_figures(*, user, year: int, today: datetime.date | None = None) -> dict[str, Any]:
    """Every figure of the year's report for the user's scope."""
    from deputyhome.activities.selectors import activity_stats, stats_by_township
    from deputyhome.opinions.selectors import reception_stats
    from deputyhome.supervision.stats import suggestion_stats
    from deputyhome.training.selectors import township_breakdown, training_stats

    today = today or timezone.localdate()
    on = as_of(year, today)
    place, title = place_and_title(user, year)
    session = _city_session(year)
    return {
        "year": year,
        "as_of": on,
        "today": today,
        "scope": user.scope_kind,
        "scope_label": str(ScopeKind(user.scope_kind).label),
        "place": place,
        "title": title,
        "platform": overview(user=user, on=on),
        "activities": activity_stats(user=user, year=year),
        "activities_by_township": stats_by_township(user=user, year=year),
        "campaign": _campaign(user, year),
        "receptions": reception_stats(user=user, year=year),
        "stories": _stories(user, year),
        "training": training_stats(user=user, year=year),
        "training_by_township": township_breakdown(user=user, year=year),
        "suggestions": suggestion_stats(user=user, year=year, today=today),
        "session_name": session.name if session else None,
        "voter_reports": _voter_reports(user, year),
    }


# Charts ---------------------------------------------------------------------------------------------


def _short(name: str) -> str:
    # "大峡谷风景区管理处" is long for a chart row; the article itself says 大峡谷.
    return name.replace("风景区管理处", "").replace("（市人大常委会组织）", "（市级）")


def report_charts(figures: dict[str, Any]) -> dict[str, charts.BarChart]:
    """The charts of the report and the dashboard, keyed by section; empty charts are left out."""
    out: dict[str, charts.BarChart] = {}
    platform = figures["platform"]
    rows = platform["by_township"]
    if len(rows) > 1:
        out["platform"] = charts.BarChart(
            "各乡镇（街道）代表小组和代表人数",
            [_short(r["name"]) for r in rows],
            [
                charts.Series("代表（人）", [r["deputies"] for r in rows]),
                charts.Series("代表小组（个）", [r["groups"] for r in rows]),
            ],
        )
    else:
        out["platform"] = charts.BarChart.single(
            "各级人大代表人数",
            [(f"{LEVEL_LABELS[level]}代表", n) for level, n in platform["deputies_by_level"].items()],
            unit="人",
        )
    training = figures["training"]
    if training:
        kinds = [(TRAINING_KIND_LABELS.get(k, k), n) for k, n in training["sessions_by_kind"].items()]
        out["training"] = charts.BarChart.single("各类培训举办期数", kinds, unit="期")
    activities = figures["activities"]
    if activities:
        by_township = [r for r in figures["activities_by_township"] if r["problems_found"] or r["formed"]]
        if len(by_township) > 1:
            out["activities"] = charts.BarChart(
                "各乡镇（街道）代表活动发现问题和形成意见建议",
                [_short(r["label"]) for r in by_township],
                [
                    charts.Series("发现问题（个）", [r["problems_found"] for r in by_township]),
                    charts.Series("形成意见建议（件）", [r["formed"] for r in by_township]),
                ],
            )
        else:
            out["activities"] = charts.BarChart.single(
                "代表活动成果",
                [
                    ("调研报告", activities["research_reports"]),
                    ("审议意见", activities["review_opinions"]),
                    ("发现问题", activities["problems_found"]),
                    ("形成意见建议", activities["suggestions_formed"]),
                ],
            )
    suggestions = figures["suggestions"]
    if suggestions:
        categories = [(r["name"], r["count"]) for r in suggestions["by_category"]]
        if categories:
            out["suggestions"] = charts.BarChart.single("代表建议分类", categories, unit="件")
        out["satisfaction"] = charts.BarChart.single(
            "代表对建议办理的评价",
            [
                ("满意", suggestions["satisfied"]),
                ("基本满意", suggestions["basically_satisfied"]),
                ("不满意", suggestions["dissatisfied"]),
                ("逾期未评价", suggestions["no_evaluation"]),
            ],
            unit="件",
        )
    return {key: chart for key, chart in out.items() if not chart.is_empty}


# Text -----------------------------------------------------------------------------------------------


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%".replace(".0%", "%")


def num(value: Any) -> str:
    """Counts as the article writes them (1338, not 1,338); hours and money without trailing zeros."""
    if isinstance(value, Decimal):
        value = value.normalize()
        return f"{value:f}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _platform_paragraphs(f: dict[str, Any]) -> list[str]:
    p = f["platform"]
    levels = "、".join(f"{LEVEL_LABELS[level]}代表{n}名" for level, n in p["deputies_by_level"].items() if n)
    townships = len(p["by_township"])
    where = (
        f"全市{townships}个乡镇（街道、大峡谷风景区管理处）"
        if f["scope"] == ScopeKind.CITY
        else f"{f['place']}（共涉及{townships}个乡镇（街道））"
        if townships > 1
        else f"{f['place']}"
    )
    text = [
        f"{where}建成人大代表之家{p['deputy_homes']}个，人大代表联络站{p['liaison_stations']}个，"
        f"组织{p['deputies']}名代表（{levels or '暂无在任代表'}；同一人兼任多级代表的分别计数）"
        f"编成{p['deputy_groups']}个代表小组进家入站，让每个代表有家可回。"
    ]
    if p["deputies_without_group"]:
        text.append(f"目前尚有{p['deputies_without_group']}名在任代表未编入代表小组，需尽快编组。")
    else:
        text.append("在任代表全部编入代表小组，实现进家入站全覆盖。")
    a = f["activities"]
    if a and a.get("stations_assessed"):
        text.append(
            f"按照“五有”（有平台、有制度、有活动、有效果、有看点）“五统一”（统一挂牌、统一制度、统一台账、统一标识、统一布置）"
            f"标准，年度评估家站{a['stations_assessed']}个，达标{a['stations_meeting_standard']}个。"
        )
    return text


def _training_paragraphs(f: dict[str, Any]) -> list[str]:
    t = f["training"]
    if not t:
        return ["本年度培训数据尚未录入本平台。"]
    kinds = t["sessions_by_kind"]
    cov = t["initial_training_coverage"]
    plans = t["plans"]
    budget = t["budget_approved"]
    out = [
        f"一是统筹安排。年初制定培训方案{plans['total']}个（已批准{plans['approved']}个）"
        + (f"，列入经费预算{num((budget / Decimal(10000)).quantize(Decimal('0.01')))}万元" if budget else "")
        + "，明确培训目的、培训内容、培训形式和保障措施。",
    ]
    if cov["new_deputies"]:
        covered = (
            "实现了初任培训全覆盖"
            if cov["missing"] == 0
            else f"尚有{cov['missing']}名新任代表未参加初任培训，需安排补训"
        )
        initial = (
            f"市乡两级开展代表初任培训{kinds.get('initial', 0)}期，新任代表{cov['new_deputies']}名，"
            f"已参加初任培训{cov['covered']}名，覆盖率{pct(cov['ratio'])}，{covered}。"
        )
    else:
        initial = f"市乡两级开展代表初任培训{kinds.get('initial', 0)}期。"
    out.append(f"二是分层培训。{initial}组织开展专题培训{t['special_topic_sessions']}期。")
    out.append(
        f"三是拓宽渠道。全年共举办各类培训{t['sessions_total']}期"
        f"（市级{t['sessions_by_level'].get('city', 0)}期、乡镇级{t['sessions_by_level'].get('township', 0)}期），"
        f"其中以会代训{kinds.get('meeting', 0)}期、现场教学{kinds.get('onsite', 0)}期、"
        f"专家授课{kinds.get('lecture', 0)}期、学员交流{kinds.get('exchange', 0)}期；"
        f"参训代表{t['deputies_trained']}名，累计{num(t['hours_total'])}学时；"
        f"为代表发放学习资料{t['materials_distributed']}份，供代表自学。"
    )
    return out


def _activity_paragraphs(f: dict[str, Any]) -> list[str]:
    a = f["activities"]
    out = []
    c = f["campaign"]
    if c:
        lead = f"今年“{c['slogan']}”代表行动启动以来，认真组织各级人大代表主动参与（全市主题：{c['main_theme']}）"
        if c["themes"] or c["topics"]:
            themes = "各乡镇（街道）明确活动主题" if f["scope"] == ScopeKind.CITY else "明确乡镇（街道）活动主题"
            lead += f"；{themes}{c['themes']}个，各代表小组找准小切口{c['topics']}个"
        out.append(lead + "。")
    if a:
        out.append(
            f"一是主动融入中心服务大局。全年组织代表活动{a['activities']}次，参加代表{a['deputies_taking_part']}名，"
            f"完成调研报告{a['research_reports']}个，交办审议意见{a['review_opinions']}件。"
        )
        out.append(
            f"二是聚焦小切口，助推服务大民生。全市共发现问题{a['problems_found']}个，"
            f"形成意见建议{a['suggestions_formed']}件（其中形成代表建议{a['problems_to_suggestions']}件、"
            f"转交相关单位办理{a['problems_forwarded']}件）。"
            if f["scope"] == ScopeKind.CITY
            else f"二是聚焦小切口，助推服务大民生。共发现问题{a['problems_found']}个，"
            f"形成意见建议{a['suggestions_formed']}件（其中形成代表建议{a['problems_to_suggestions']}件、"
            f"转交相关单位办理{a['problems_forwarded']}件）。"
        )
    else:
        out.append("本年度代表活动数据尚未录入本平台。")
    r = f["receptions"]
    v = f["voter_reports"]
    contact = []
    if r:
        contact.append(
            f"代表进家入站接待选民{r['receptions']}次，接待选民{r['voters_received']}人次，收集社情民意{r['opinions']}件"
        )
    if v["held"]:
        contact.append(
            f"{v['deputies']}名代表向选民述职{v['held']}场，参加选民{v['voters']}人次，"
            f"述职满意度测评满意率{pct(v['rate'])}"
        )
    if contact:
        out.append("；".join(contact) + "。")
    stories = f["stories"]
    if stories:
        examples = "；".join(
            f"{s['deputy']}代表"
            + ("，".join(f"{label}{value}" for label, value in s["figures"][:3]) or f"（{s['title']}）")
            for s in stories[:3]
        )
        out.append(f"三是坚持典型引路，激发代表履职活力。涌现出一批先进典型，比如：{examples}。")
    return out


def _suggestion_paragraphs(f: dict[str, Any]) -> list[str]:
    s = f["suggestions"]
    if not s:
        return ["本年度代表建议数据尚未录入本平台。"]
    session = f["session_name"] or "人民代表大会会议"
    out = [
        f"{session}期间，收到代表提出的建议意见{s['received_in_session']}件，"
        f"闭会期间收到代表建议意见{s['received_in_recess']}件。代工委将建议进行整理、分类、造册后，"
        f"立案{s['registered']}件，交政府及法检两院承办{s['assigned']}件，并提出承办要求。",
        f"截至{f['as_of']:%Y年%-m月%-d日}，已答复{s['replied']}件，按期答复率{pct(s['on_time_rate'])}；"
        f"已办结{s['closed']}件。代表对办理结果评价满意{s['satisfied']}件、基本满意{s['basically_satisfied']}件、"
        f"不满意{s['dissatisfied']}件，满意率（含基本满意）{pct(s['satisfaction_rate'])}。",
    ]
    if s["key"]:
        out.append(
            f"市人大常委会成立督办专班，将{s['key']}件建议列为重点督办，通过查资料、听汇报、看现场、访代表等方式进行检查督办。"
        )
    if s["overdue"]:
        out.append(f"目前尚有{s['overdue']}件建议超过办理期限未答复，需加强催办。")
    return out


def section_texts(f: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The four parts with their paragraphs, in the article's order and words."""
    return [
        ("一、夯实平台，让代表可“回家”", _platform_paragraphs(f)),
        ("二、培训聚能，让代表能“回家”", _training_paragraphs(f)),
        ("三、组织活动，让代表常“回家”", _activity_paragraphs(f)),
        ("四、增强成就感，让代表想“回家”", _suggestion_paragraphs(f)),
    ]


def dashboard_sections(f: dict[str, Any]) -> list[dict[str, Any]]:
    """The four parts as headline figures for the dashboard: [{"key", "heading", "tiles": [(value, label)]}]."""
    p, t, a, r, s, v = (
        f["platform"],
        f["training"],
        f["activities"],
        f["receptions"],
        f["suggestions"],
        f["voter_reports"],
    )
    platform = [
        (p["deputy_homes"], "人大代表之家"),
        (p["liaison_stations"], "人大代表联络站"),
        (p["deputy_groups"], "代表小组"),
        (p["deputies"], "人大代表"),
    ]
    if a and a.get("stations_assessed"):
        platform.append((f"{a['stations_meeting_standard']}/{a['stations_assessed']}", "家站评估达标"))
    training = (
        [
            (t["sessions_total"], "举办培训（期）"),
            (t["special_topic_sessions"], "专题培训（期）"),
            (pct(t["initial_training_coverage"]["ratio"]), "初任培训覆盖率"),
            (t["deputies_trained"], "参训代表（名）"),
            (num(t["hours_total"]), "累计学时"),
            (t["materials_distributed"], "发放学习资料（份）"),
        ]
        if t
        else []
    )
    activities = (
        [
            (a["activities"], "代表活动（次）"),
            (a["research_reports"], "调研报告（个）"),
            (a["review_opinions"], "审议意见（件）"),
            (a["problems_found"], "发现问题（个）"),
            (a["suggestions_formed"], "形成意见建议（件）"),
        ]
        if a
        else []
    )
    if r:
        activities += [(r["receptions"], "接待选民（次）"), (r["voters_received"], "接待选民（人次）")]
    activities.append((v["held"], "向选民述职（场）"))
    suggestions = (
        [
            (s["received_in_session"], "会议期间建议（件）"),
            (s["received_in_recess"], "闭会期间建议（件）"),
            (s["registered"], "立案（件）"),
            (s["replied"], "已答复（件）"),
            (pct(s["on_time_rate"]), "按期答复率"),
            (pct(s["satisfaction_rate"]), "满意率（含基本满意）"),
            (s["key"], "重点督办（件）"),
        ]
        if s
        else []
    )
    headings = [heading for heading, _paragraphs in section_texts(f)]
    return [
        {"key": key, "heading": heading, "tiles": tiles}
        for key, heading, tiles in zip(
            SECTION_KEYS, headings, (platform, training, activities, suggestions), strict=True
        )
    ]


# Tables ---------------------------------------------------------------------------------------------


def report_tables(f: dict[str, Any]) -> dict[str, list[tuple[str, list[str], list[list[Any]]]]]:
    """Per section: (caption, headers, rows) for each table."""
    p = f["platform"]
    platform = [
        (
            "各乡镇（街道）家站和代表情况",
            ["乡镇（街道）", "代表之家", "联络站", "代表小组", "代表"],
            [[r["name"], r["homes"], r["stations"], r["groups"], r["deputies"]] for r in p["by_township"]]
            + (
                [["合计", p["deputy_homes"], p["liaison_stations"], p["deputy_groups"], p["deputies"]]]
                if len(p["by_township"]) > 1
                else []
            ),
        ),
        (
            "各级代表人数",
            ["层级", "人数"],
            [[f"{LEVEL_LABELS[level]}代表", n] for level, n in p["deputies_by_level"].items()],
        ),
    ]
    training = []
    if f["training"]:
        training.append(
            (
                "各类培训举办情况",
                ["培训类型", "期数"],
                [[TRAINING_KIND_LABELS.get(k, k), n] for k, n in f["training"]["sessions_by_kind"].items()],
            )
        )
    if f["training_by_township"]:
        training.append(
            (
                "各乡镇（街道）初任培训和学时",
                ["乡镇（街道）", "代表", "新任代表", "已初任培训", "覆盖率", "累计学时"],
                [
                    [r["name"], r["deputies"], r["new_deputies"], r["covered"], pct(r["ratio"]), num(r["hours"])]
                    for r in f["training_by_township"]
                ],
            )
        )
    activities = []
    if f["activities_by_township"]:
        activities.append(
            (
                "各乡镇（街道）代表活动情况",
                ["组织单位", "活动（次）", "参加代表（名）", "发现问题（个）", "形成意见建议（件）"],
                [
                    [r["label"], r["activities"], r["deputies"], r["problems_found"], r["formed"]]
                    for r in f["activities_by_township"]
                ],
            )
        )
    suggestions = []
    s = f["suggestions"]
    if s:
        suggestions.append(
            ("代表建议办理情况", ["项目", "件数"], _suggestion_summary_rows(s)),
        )
        if s["by_category"]:
            suggestions.append(("代表建议分类", ["分类", "件数"], [[r["name"], r["count"]] for r in s["by_category"]]))
        if s["by_result_class"]:
            suggestions.append(
                (
                    "办理结果",
                    ["结果", "件数"],
                    [[f"{r['code']}类 {r['label']}", r["count"]] for r in s["by_result_class"]],
                )
            )
        if s["by_unit"]:
            suggestions.append(
                (
                    "主办件数较多的承办单位",
                    ["承办单位", "主办", "已答复", "已办结", "逾期"],
                    [[r["name"], r["count"], r["replied"], r["closed"], r["overdue"]] for r in s["by_unit"][:10]],
                )
            )
    return {"platform": platform, "training": training, "activities": activities, "suggestions": suggestions}


def _suggestion_summary_rows(s: dict[str, Any]) -> list[list[Any]]:
    return [
        ["会议期间收到", s["received_in_session"]],
        ["闭会期间收到", s["received_in_recess"]],
        ["立案", s["registered"]],
        ["交办", s["assigned"]],
        ["已答复", s["replied"]],
        ["按期答复", s["replied_on_time"]],
        ["已办结", s["closed"]],
        ["重点督办", s["key"]],
        ["满意", s["satisfied"]],
        ["基本满意", s["basically_satisfied"]],
        ["不满意", s["dissatisfied"]],
    ]


# The Word document ----------------------------------------------------------------------------------


def _east_asian(run_or_style, name: str) -> None:
    from docx.oxml.ns import qn

    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _page_number_footer(section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def _table(document, caption: str, headers: list[str], rows: list[list[Any]], number: int) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    title = document.add_paragraph(style="Caption Zh")
    title.add_run(f"表{number}  {caption}")
    title.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(header)
        run.bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), "F3EBDD")
        cell._tc.get_or_add_tcPr().append(shading)
    # The header row repeats on every page of a long table.
    header_props = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = num(value)
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if index == 0 else WD_ALIGN_PARAGRAPH.CENTER
            if values and values[0] == "合计":
                for run in paragraph.runs:
                    run.bold = True
    # A wider first column for names (乡镇、承办单位), the rest shared out; 15.6 cm is the text width.
    first = 4.6 if len(headers) > 2 else 7.8
    rest = (15.6 - first) / max(len(headers) - 1, 1)
    table.autofit = False
    for index, column in enumerate(table.columns):
        column.width = Cm(first if index == 0 else rest)
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            cell.width = Cm(first if index == 0 else rest)
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.first_line_indent = Pt(0)
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.paragraph_format.line_spacing = 1.15  # the body's exact 28pt would make tall rows
                for run in paragraph.runs:
                    run.font.size = Pt(10.5)
    document.add_paragraph()


def _chart(document, chart: charts.BarChart, number: int) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    image = charts.png(chart, with_title=False)
    width, height = charts.png_size(image)
    # Full text width, but a tall chart (19 townships) no taller than about two thirds of a page.
    if 15.5 * height / width > 15:
        document.add_picture(io.BytesIO(image), height=Cm(15))
    else:
        document.add_picture(io.BytesIO(image), width=Cm(15.5))
    picture = document.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.first_line_indent = Pt(0)
    # The body's exact 28pt line height would crop the picture to one line.
    picture.paragraph_format.line_spacing = 1.0
    picture.paragraph_format.keep_with_next = True  # with its caption below
    caption = document.add_paragraph(style="Caption Zh")
    caption.add_run(f"图{number}  {chart.title}")


def _styles(document) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    _east_asian(normal, "仿宋")
    normal.paragraph_format.first_line_indent = Pt(28)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    for name, size, font in (("Heading 1", 16, "黑体"), ("Title", 22, "宋体")):
        style = document.styles[name]
        style.font.size = Pt(size)
        style.font.bold = name == "Title"
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.name = "Times New Roman"
        _east_asian(style, font)
        style.paragraph_format.first_line_indent = Pt(0) if name == "Title" else Pt(28)
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)
    document.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = document.styles.add_style("Caption Zh", WD_STYLE_TYPE.PARAGRAPH)
    caption.base_style = normal
    caption.font.size = Pt(10.5)
    caption.font.bold = True
    _east_asian(caption, "黑体")
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.first_line_indent = Pt(0)
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(4)
    caption.paragraph_format.line_spacing = 1.15


def build_docx(figures: dict[str, Any]) -> bytes:
    """The report as a .docx: title, the four parts (text, tables, charts), and a note on the data."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.2), Cm(2.8)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _styles(document)
    _page_number_footer(section)
    document.core_properties.title = figures["title"]
    document.core_properties.author = "代表之家"
    document.core_properties.language = "zh-CN"

    document.add_paragraph(figures["title"], style="Title")
    subtitle = document.add_paragraph(
        f"（数据截至{figures['as_of']:%Y年%-m月%-d日} · 数据范围：{figures['scope_label']}"
        f"{'' if figures['scope'] == ScopeKind.CITY else '（' + figures['place'] + '）'}）"
    )
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.paragraph_format.first_line_indent = Pt(0)
    document.add_paragraph(
        f"{figures['year']}年，{figures['place']}人大工作坚持创新代表工作机制，夯实践行全过程人民民主的代表履职平台，"
        "努力为人大代表履职行权创造条件，让代表可“回家”、能“回家”、常“回家”、想“回家”。现将全年代表工作情况报告如下。"
    )

    tables = report_tables(figures)
    chart_map = report_charts(figures)
    table_no = chart_no = 0
    for key, (heading, paragraphs) in zip(SECTION_KEYS, section_texts(figures), strict=True):
        document.add_paragraph(heading, style="Heading 1")
        for text in paragraphs:
            document.add_paragraph(text)
        for caption, headers, rows in tables[key]:
            table_no += 1
            _table(document, caption, headers, rows, table_no)
        for chart_key in CHART_SECTIONS[key]:
            if chart_key in chart_map:
                chart_no += 1
                _chart(document, chart_map[chart_key], chart_no)

    note = document.add_paragraph(
        f"说明：本报告由代表之家平台根据{figures['today']:%Y年%-m月%-d日}的业务数据自动生成，"
        f"各项数据均为{figures['scope_label']}范围内的统计；同一人兼任多级代表的，在各层级分别计数。"
    )
    for run in note.runs:
        run.font.size = Pt(10.5)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def annual_report_docx(*, user, year: int, today: datetime.date | None = None) -> tuple[bytes, str]:
    """The year's report for the user's scope: (.docx bytes, file name)."""
    figures = annual_figures(user=user, year=year, today=today)
    return build_docx(figures), f"{figures['title']}.docx"
