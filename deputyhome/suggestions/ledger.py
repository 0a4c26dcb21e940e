"""The register of suggestions (登记册) as an .xlsx workbook."""

from __future__ import annotations

import io
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from deputyhome.core.exports import ExportFile
from deputyhome.core.xlsx import safe_sheet

from .models import Suggestion

HEADER = [
    "年度",
    "会议",
    "编号",
    "标题",
    "领衔代表",
    "联名代表",
    "分类",
    "主办单位",
    "协办单位",
    "交办日期",
    "办理期限",
    "状态",
    "答复日期",
    "办理结果",
    "满意度",
    "重点督办",
]


def _satisfaction(s: Suggestion) -> str:
    """The latest round's results, per deputy: 张三：满意；李四：基本满意 (逾期未评价 where none came)."""
    last = [e for e in s.evaluations.all() if e.round == s.round]
    return "；".join(f"{e.deputy.name}：{'逾期未评价' if e.no_response else e.get_result_display()}" for e in last)


def register_rows(qs: QuerySet[Suggestion]) -> list[list[Any]]:
    qs = qs.prefetch_related("assignments__unit", "cosigners__deputy", "evaluations__deputy")
    rows = []
    for s in qs:
        active = [a for a in s.assignments.all() if a.status == "active"]
        rows.append(
            [
                s.year,
                s.session.name if s.session_id else "闭会期间",
                s.number,
                s.title,
                s.author.name,
                "、".join(c.deputy.name for c in s.cosigners.all() if c.confirmed_at),
                s.category.name if s.category_id else "",
                "、".join(a.unit.name for a in active if a.role == "lead"),
                "、".join(a.unit.name for a in active if a.role == "co"),
                s.assigned_on,
                s.due_on,
                s.get_state_display(),
                s.replied_on,
                f"{s.result_class.code}类" if s.result_class_id else "",
                _satisfaction(s),
                "是" if s.is_key else "",
            ]
        )
    return rows


def register_file(*, qs: QuerySet[Suggestion], filters: dict[str, Any] | None = None) -> ExportFile:
    """The register as .xlsx; the download view (`core.exports.export_view`) writes the audit row."""
    rows = register_rows(qs)
    today = timezone.localdate()
    wb = Workbook()
    ws = wb.active
    ws.title = "建议登记册"
    ws.append([f"代表建议登记册（导出日期 {today:%Y-%m-%d}）"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        safe_sheet(ws).append(row)
    ws.freeze_panes = "A3"  # the title and the header stay in view while scrolling
    ws.print_title_rows = "2:2"
    for row in ws.iter_rows(min_row=3):
        for i in (9, 10, 12):  # 交办日期, 办理期限, 答复日期
            row[i].number_format = "yyyy-mm-dd"
    widths = (6, 30, 6, 40, 10, 16, 14, 20, 20, 12, 12, 10, 12, 8, 24, 8)
    for col, width in zip("ABCDEFGHIJKLMNOP", widths, strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return ExportFile(
        content=buf.getvalue(), filename=f"建议登记册-{today:%Y%m%d}.xlsx", rows=len(rows), filters=filters or {}
    )
