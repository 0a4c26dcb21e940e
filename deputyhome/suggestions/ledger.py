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
    "办理结果",
    "重点督办",
]


def register_rows(qs: QuerySet[Suggestion]) -> list[list[Any]]:
    qs = qs.prefetch_related("assignments__unit", "cosigners__deputy")
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
                f"{s.result_class.code}类" if s.result_class_id else "",
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
    for row in ws.iter_rows(min_row=3, min_col=10, max_col=11):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    for col, width in zip("ABCDEFGHIJKLMN", (6, 30, 6, 40, 10, 16, 14, 20, 20, 12, 12, 10, 8, 8), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return ExportFile(
        content=buf.getvalue(), filename=f"建议登记册-{today:%Y%m%d}.xlsx", rows=len(rows), filters=filters or {}
    )
