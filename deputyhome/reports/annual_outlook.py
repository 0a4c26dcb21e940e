"""The annual report's closing parts, drafted from the figures: 存在的问题 and 下一步工作, and the handling
units named by their kinds. Pure functions of the figures that annual.annual_figures gathers; the clerk
edits the drafts before the export (annual_drafts); the units' words are in annual_units."""

from __future__ import annotations

from typing import Any

from .annual_text import pct
from .annual_units import low_satisfaction_units

PROBLEMS_HEADING = "五、存在的问题"
NEXT_STEPS_HEADING = "六、下一步工作"
ORDINALS = "一二三四五六七八九十"


def _numbered(items: list[str]) -> list[str]:
    return [f"{ORDINALS[i]}是{text}" if i < len(ORDINALS) else text for i, text in enumerate(items)]


def _result_classes(s: dict[str, Any]) -> dict[str, int]:
    return {r["code"]: r["count"] for r in s.get("by_result_class", [])}


def problems_draft(f: dict[str, Any]) -> list[str]:
    """存在的问题, from the year's figures: what is overdue, unfinished or below standard."""
    p, t, a, s, v = f["platform"], f["training"], f["activities"], f["suggestions"], f["voter_reports"]
    items = []
    platform = []
    if a and a.get("stations_assessed") and a["stations_meeting_standard"] < a["stations_assessed"]:
        below = a["stations_assessed"] - a["stations_meeting_standard"]
        platform.append(f"年度评估的{a['stations_assessed']}个家站中，仍有{below}个未达到“五有”“五统一”标准")
    if p["deputies_without_group"]:
        platform.append(f"{p['deputies_without_group']}名在任代表尚未编入代表小组")
    norms = f.get("norms")
    if norms and norms["groups_missed"]:
        platform.append(f"{norms['groups']}个代表小组中有{norms['groups_missed']}个未做到每季度集中开展一次活动")
    if norms and norms["absent"]:
        platform.append(f"{norms['absent']}名代表全年未到家站参加活动或接待选民")
    if norms and norms["few_households"]:
        platform.append(f"{norms['few_households']}名代表结对联系群众不足{norms['least']}户")
    if platform:
        items.append(
            "家站建设还不够均衡。"
            + "，".join(platform)
            + "，部分家站制度上墙多、日常运行少，进家入站活动的经常性有待加强。"
        )
    if t:
        cov = t["initial_training_coverage"]
        training = []
        if cov["missing"]:
            training.append(f"尚有{cov['missing']}名新任代表未参加初任培训")
        untrained = p["deputies"] - t["deputies_trained"]
        if untrained > 0 and p["deputies"]:
            training.append(
                f"全年参训代表{t['deputies_trained']}名，占在任代表的{pct(t['deputies_trained'] / p['deputies'])}，"
                f"仍有{untrained}名代表本年度未参加任何培训"
            )
        if training:
            items.append("代表培训覆盖面还不够广。" + "；".join(training) + "，培训的针对性和实效性还需进一步提高。")
    if a and p["deputies"] and a["deputies_taking_part"] < p["deputies"]:
        idle = p["deputies"] - a["deputies_taking_part"]
        items.append(
            f"代表活动参与还不够普遍。全年参加代表活动的代表{a['deputies_taking_part']}名，"
            f"仍有{idle}名代表未参加有组织的代表活动"
            + (f"；计划向选民述职{v['planned']}场尚未举行" if v["planned"] else "")
            + f"，{'部分' if idle * 2 > p['deputies'] else '少数'}代表“回家”不经常、联系群众不紧密。"
        )
    if s:
        suggestion = []
        if s["overdue"]:
            suggestion.append(f"目前尚有{s['overdue']}件建议超过办理期限未答复")
        if s["replied"] and s["replied_on_time"] < s["replied"]:
            suggestion.append(f"已答复的{s['replied']}件中有{s['replied'] - s['replied_on_time']}件未按期答复")
        low = low_satisfaction_units(f.get("units", []))
        if low:
            names = "、".join(u["name"] for u in low[:3])
            unhappy = sum(u["dissatisfied"] for u in low)
            suggestion.append(
                f"代表对{names}{'等' if len(low) > 1 else ''}单位办理结果的满意率偏低，评价不满意{unhappy}件"
            )
        classes = _result_classes(s)
        if classes.get("B") or classes.get("C"):
            suggestion.append(
                f"列入计划解决（B类）的{classes.get('B', 0)}件、因条件限制留作参考（C类）的{classes.get('C', 0)}件"
                "还需持续跟踪落实"
            )
        if suggestion:
            items.append("建议办理质效有待提升。" + "；".join(suggestion) + "，个别单位存在重答复、轻落实的现象。")
    if not items:
        return ["对照人民群众的期待和代表履职的要求，代表工作在平台运行、能力建设和建议办理的实效等方面仍有提升空间。"]
    return ["对照人民群众的期待和代表履职的要求，代表工作还存在一些不足：", *_numbered(items)]


def _groups_missed(f: dict[str, Any]) -> int:
    return f["norms"]["groups_missed"] if f.get("norms") else 0


def _few_households(f: dict[str, Any]) -> int:
    return f["norms"]["few_households"] if f.get("norms") else 0


def next_steps_draft(f: dict[str, Any]) -> list[str]:
    """下一步工作, answering the problems from the same figures."""
    p, t, a, s, v = f["platform"], f["training"], f["activities"], f["suggestions"], f["voter_reports"]
    year = f["year"] + 1
    below = a["stations_assessed"] - a["stations_meeting_standard"] if a and a.get("stations_assessed") else 0
    items = [
        "持续夯实代表履职平台。"
        + (f"对未达标的{below}个家站逐一列出问题清单，限期整改，年中组织复评；" if below else "")
        + (f"将{p['deputies_without_group']}名未编组代表全部编入代表小组；" if p["deputies_without_group"] else "")
        + (f"督促{missed}个代表小组每季度至少集中开展一次活动；" if (missed := _groups_missed(f)) else "")
        + (
            f"帮助{few}名代表落实结对联系户，每人联系{f['norms']['least']}户以上群众；"
            if (few := _few_households(f))
            else ""
        )
        + "落实家站活动日、代表轮值接待等制度，让家站常开门、代表常在家。",
    ]
    missing = t["initial_training_coverage"]["missing"] if t else 0
    items.append(
        f"分层分类开展代表培训。制定{year}年度代表培训计划，"
        + (f"对{missing}名未参加初任培训的新任代表安排补训，" if missing else "")
        + "围绕审议、视察、调研和建议撰写等履职本领开展专题培训，推动代表学习培训全覆盖。"
    )
    items.append(
        "深化“代表行动”。围绕党委中心工作和群众急难愁盼问题确定活动主题，组织代表进家入站、走访选民，"
        + (f"督促尚未举行的{v['planned']}场述职按计划举行，" if v["planned"] else "")
        + "推动代表向选民述职常态化，让选民评代表、代表为选民。"
    )
    if s:
        low = low_satisfaction_units(f.get("units", []))
        items.append(
            "提升建议办理质效。"
            + (f"对{s['overdue']}件逾期未答复的建议逐件催办，" if s["overdue"] else "")
            + ("对满意率偏低的承办单位开展面商督办，" if low else "")
            + "跟踪列入计划解决和留作参考的建议落实情况，把办理结果纳入承办单位年度目标考核，"
            "做到件件有回音、事事有着落。"
        )
    items.append(
        "加强代表工作自身建设。完善代表履职档案和履职积分，用好代表之家信息平台，"
        "及时、准确录入家站、培训、活动和建议办理数据，为常委会决策和代表履职提供支撑。"
    )
    return [f"{year}年，我们将坚持问题导向，重点做好以下工作：", *_numbered(items)]
