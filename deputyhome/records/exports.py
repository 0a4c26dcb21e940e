"""The .xlsx exports of duty records: one deputy's record, and the points list for publication.

Built here; the download views (`core.exports.export_view`) write the audit row, one per file served.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from deputyhome.core.xlsx import StreamedSheet, safe_sheet, streamed_workbook, titled_sheet, workbook_bytes

from .points import fmt_points
from .points_list import RankedPoints
from .selectors import DutyRecord

# The points list's rows read at a time: its figures come from nine grouped sources, each read once per chunk.
POINTS_CHUNK = 10_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _num(value: Decimal | int | float | None) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def summary_lines(rec: DutyRecord) -> list[tuple[str, Any]]:
    """The record's figures as (label, value) pairs, as the page and the workbook show them."""
    f = rec.figures
    results = "、".join(f"{code}类{n}件" for code, n in sorted(f.suggestion_results.items())) or "—"
    satisfaction = f"满意{f.suggestions_satisfied}件、基本满意{f.suggestions_basically_satisfied}件、不满意{f.suggestions_dissatisfied}件"
    rate = f.report_satisfaction_rate
    return [
        ("出席人民代表大会会议（次）", f.sessions_attended),
        ("应出席会议（次）", f.sessions_expected),
        ("请假（次）", f.sessions_excused),
        ("缺席（次）", f.sessions_absent),
        ("参加培训（期）", f.training_sessions),
        ("培训学时", _num(f.training_hours)),
        ("参加代表活动（次）", f.activities),
        ("进站接待选民（次）", f.receptions),
        ("接待选民（人次）", f.voters_received),
        ("处理社情民意（件）", f.opinions_handled),
        ("结对联系户（户，期末）", f.households_paired),
        ("联系结对户（次）", f.household_contacts),
        ("联系到的结对户（户）", f.households_contacted),
        ("领衔提出建议（件，已立案）", f.suggestions_led),
        ("联名提出建议（件，已立案）", f.suggestions_cosigned),
        ("领衔建议办理结果", results),
        ("领衔建议代表评价", satisfaction),
        ("向选民述职（次）", f.reports_held),
        ("述职参加选民（人次）", f.report_voters),
        ("述职满意度测评", f"{rate:.1%}" if rate is not None else "—"),
        ("无故缺席会议、培训或活动（次）", f.unexcused_absences),
        ("履职积分", fmt_points(rec.total_points)),
    ]


def record_workbook(rec: DutyRecord) -> tuple[bytes, str, int]:
    """One deputy's record: the summary, the points breakdown and every list behind the figures."""
    today = timezone.localdate()
    d = rec.deputy
    title = f"{d.name}代表履职档案（{rec.period.label}）"
    workbook = Workbook()
    summary = titled_sheet(workbook.active, "概况", f"{title}（导出日期 {today:%Y-%m-%d}）", ["项目", "内容"], [34, 60])
    safe_sheet(summary).append(["姓名", d.name])
    safe_sheet(summary).append(["乡镇（街道）", d.region.name if d.region else ""])
    safe_sheet(summary).append(["代表小组", rec.group.name if rec.group else "未编组"])
    safe_sheet(summary).append(["统计期间", f"{rec.period.start:%Y-%m-%d} 至 {rec.period.end:%Y-%m-%d}"])
    for label, value in summary_lines(rec):
        safe_sheet(summary).append([label, value])
    rows = summary.max_row - 2

    points_rows: list[list[Any]] = []
    for yp in rec.year_points:
        points_rows += [
            [
                yp.year,
                line.spec.label,
                _num(line.count),
                line.spec.unit,
                _num(-line.spec.points if line.spec.is_deduction else line.spec.points),
                _num(line.spec.cap),
                _num(line.earned),
                line.explanation,
            ]
            for line in yp.card.lines
        ]
        points_rows.append([yp.year, "合计", "", "", "", "", _num(yp.card.total), ""])
    # Every list behind the figures, one sheet each: (name, what it lists, headers, widths, rows).
    lists: list[tuple[str, str, list[str], list[int], list[list[Any]]]] = [
        (
            "积分明细",
            "履职积分明细",
            ["年度", "积分项", "数量", "单位", "每项分值", "上限", "计分", "说明"],
            [8, 30, 10, 8, 10, 10, 10, 48],
            points_rows,
        ),
        (
            "会议",
            "出席会议",
            ["会议", "开幕日期", "出席情况", "事由"],
            [44, 12, 10, 30],
            [[s["session"].name, s["session"].start_date, s["status"], s["reason"]] for s in rec.sessions],
        ),
        (
            "建议",
            "提出建议",
            ["方式", "编号", "标题", "提交日期", "状态", "办理结果", "领衔代表"],
            [8, 10, 50, 12, 10, 24, 12],
            [
                [
                    kind,
                    s.number_label,
                    s.title,
                    timezone.localtime(s.submitted_at).date() if s.submitted_at else "",
                    s.get_state_display(),
                    str(s.result_class) if s.result_class else "",
                    s.author.name if kind == "联名" else d.name,
                ]
                for kind, items in (("领衔", rec.suggestions_led), ("联名", rec.suggestions_cosigned))
                for s in items
            ],
        ),
        (
            "述职",
            "向选民述职",
            ["日期", "地点", "状态", "参加选民", "满意", "基本满意", "不满意"],
            [12, 30, 10, 10, 8, 10, 8],
            [
                [
                    r.date,
                    r.station.name,
                    r.get_status_display(),
                    _num(r.voters_present),
                    r.satisfied,
                    r.basically_satisfied,
                    r.dissatisfied,
                ]
                for r in rec.reports
            ],
        ),
        (
            "活动",
            "代表活动",
            ["日期", "类型", "主题", "出席情况"],
            [12, 12, 50, 10],
            [[a["date"], a["kind"], a["title"], a["status"]] for a in rec.activities],
        ),
        (
            "接待",
            "接待选民",
            ["日期", "家站", "接待人次"],
            [12, 36, 10],
            [[r["date"], r["station"], r["voters"]] for r in rec.receptions],
        ),
        (
            "结对联系",
            "联系结对户",
            ["日期", "联系户", "所在村（社区）", "联系方式", "联系情况"],
            [12, 16, 18, 10, 60],
            [[c["date"], c["household"], c["village"], c["way"], c["notes"]] for c in rec.household_contacts],
        ),
        (
            "培训",
            "参加培训",
            ["日期", "培训", "学时", "出勤"],
            [12, 50, 8, 10],
            [[t["date"], t["title"], _num(t["hours"]), t["status"]] for t in rec.trainings],
        ),
    ]
    for name, what, headers, widths, values in lists:
        sheet = titled_sheet(workbook.create_sheet(), name, f"{title}：{what}", headers, widths)
        for row in values:
            safe_sheet(sheet).append(row)

    for ws in workbook.worksheets:
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                if hasattr(cell.value, "isoformat") and not isinstance(cell.value, str):
                    cell.number_format = "yyyy-mm-dd"
    filename = f"{d.name}履职档案-{rec.period.label}-{today:%Y%m%d}.xlsx"
    return workbook_bytes(workbook), filename, rows


def points_workbook(*, rows: RankedPoints, heading: str, quarter: int | None) -> tuple[bytes, str]:
    """The points list as published (the page's ranking, read `POINTS_CHUNK` rows at a time): rank, deputy, township,
    group, the quarter's and the running points, and each item's count and points, so that every total can be
    checked. Streamed: a province's 100,000 rows in flat memory."""
    today = timezone.localdate()
    specs = rows.specs  # the rows' cards have a line for each, in this order
    headers = ["名次", "姓名", "乡镇（街道）", "代表小组"]
    if quarter:
        headers.append("本季度积分")
    headers.append("累计积分")
    for spec in specs:
        headers += [f"{spec.label}（数量）", f"{spec.label}（积分）"]
    widths = [6, 10, 16, 24, *([12] if quarter else []), 10, *([12, 12] * len(specs))]
    workbook = streamed_workbook()
    sheet = StreamedSheet(workbook, "履职积分", f"{heading}（导出日期 {today:%Y-%m-%d}）", headers, widths)
    for row in (row for start in range(0, len(rows), POINTS_CHUNK) for row in rows[start : start + POINTS_CHUNK]):
        values: list[Any] = [row.rank, row.deputy.name, row.deputy.region_name, row.group_name or "未编组"]
        if quarter:
            values.append(_num(row.period_card.total if row.period_card else Decimal(0)))
        values.append(_num(row.card.total))
        for line in row.card.lines:  # one a scheme item, in the scheme's order (`points.score`)
            values += [_num(line.count), _num(line.earned)]
        sheet.append(values)
    return workbook_bytes(workbook), f"{heading}-{today:%Y%m%d}.xlsx"
