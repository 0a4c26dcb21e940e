"""The annual report's charts, shared by the Word document (PNG) and the dashboard (SVG)."""

from __future__ import annotations

from typing import Any

from . import charts
from .annual_text import LEVEL_LABELS, TRAINING_KIND_LABELS

# Which charts go with which part of the report.
CHART_SECTIONS = {
    "platform": ["platform"],
    "training": ["training"],
    "activities": ["activities"],
    "suggestions": ["suggestions", "satisfaction"],
}


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
    # Top N and 其他: a province has a thousand townships, and a chart's height grows with its rows.
    return {key: chart.bounded() for key, chart in out.items() if not chart.is_empty}
