"""The annual report's words: the four parts' paragraphs, the dashboard's headline figures and the report's tables.

Pure functions of the figures that annual.annual_figures gathers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from deputyhome.accounts.choices import ScopeKind
from deputyhome.organisation.choices import CongressLevel

from .annual_units import units_breakdown, units_phrase

LEVEL_LABELS = {
    CongressLevel.PROVINCE: "省级",
    CongressLevel.PREFECTURE: "州级",
    CongressLevel.CITY: "市级",
    CongressLevel.TOWNSHIP: "乡级",
}
SECTION_KEYS = ("platform", "training", "activities", "suggestions")
TRAINING_KIND_LABELS = {
    "initial": "初任培训",
    "special": "专题培训",
    "meeting": "以会代训",
    "onsite": "现场教学",
    "lecture": "专家授课",
    "exchange": "学员交流",
    "self_study": "个人自学",
}


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
        "坚持把人大代表之家、联络站建设作为密切代表同人民群众联系的基础工程，按照有场所、有制度、有活动、有档案的要求，"
        "统筹规划、分级建设、规范管理，推动家站由“有形覆盖”向“有效覆盖”转变，为代表履职搭建好平台。",
        f"{where}建成人大代表之家{p['deputy_homes']}个，人大代表联络站{p['liaison_stations']}个，"
        f"组织{p['deputies']}名代表（{levels or '暂无在任代表'}；同一人兼任多级代表的分别计数）"
        f"编成{p['deputy_groups']}个代表小组进家入站，让每个代表有家可回。",
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
        "坚持把学习培训作为代表依法履职的基础性工作，围绕“学什么、怎么学、学得怎么样”，"
        "分层分类组织代表学习法律法规和履职知识，不断提升代表的政治素质和履职能力。",
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
    out = [
        "坚持以代表行动为抓手，组织各级人大代表围绕党委中心工作和群众急难愁盼问题，进家入站、走访选民、视察调研，"
        "推动代表活动经常化、制度化，让代表常“回家”、群众常见面。"
    ]
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
    if r and r.get("households_paired"):
        contact.append(
            f"代表结对联系群众{r['households_paired']}户{r['household_members']}人，"
            f"全年走访联系{r['household_contacts']}次"
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
        "对代表收集的社情民意和提出的建议，常委会坚持认真对待、有效督办，尊重代表的“劳动成果”，做到选民有所呼、"
        "代表有所应，选民有所求、代表有所答，既增强选民对代表的信赖，又增强代表履职的成就感。",
        f"{session}期间，收到代表提出的建议意见{s['received_in_session']}件，"
        f"闭会期间收到代表建议意见{s['received_in_recess']}件。代工委将建议进行整理、分类、造册后，"
        f"立案{s['registered']}件，交{units_phrase(f.get('units', []))}承办{s['assigned']}件"
        f"{units_breakdown(f.get('units', []))}，并提出承办要求。",
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
