"""The register of motions (议案登记表) as an .xlsx workbook, streamed from the user's scoped list."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from deputyhome.core.exports import ExportFile
from deputyhome.core.xlsx import safe_sheet, titled_sheet, workbook_bytes

from .choices import MotionKind
from .models import Motion

HEADERS = [
    "年度",
    "会议",
    "编号",
    "案由",
    "提出方式",
    "领衔代表",
    "代表团",
    "联名代表（已确认）",
    "提出时间",
    "状态",
    "主席团决定",
    "审议委员会",
    "报告期限",
    "转为建议",
]
WIDTHS = [6, 30, 6, 40, 12, 10, 16, 30, 16, 12, 24, 16, 12, 12]


def register_rows(qs: QuerySet[Motion]) -> list[list[Any]]:
    rows = []
    for m in qs.prefetch_related("signers__deputy"):
        confirmed = [s.deputy.name for s in m.signers.all() if s.counts and not s.is_lead]
        rows.append(
            [
                m.year,
                m.session.name,
                m.number,
                m.title,
                m.get_kind_display(),
                m.lead.name,
                m.delegation.name if m.delegation_id else "",
                "、".join(confirmed) if m.kind == MotionKind.JOINT else "",
                timezone.localtime(m.filed_at).strftime("%Y-%m-%d %H:%M") if m.filed_at else "",
                m.get_state_display(),
                m.get_decision_display(),
                m.committee,
                m.report_due_on,
                str(m.suggestion) if m.suggestion_id else "",
            ]
        )
    return rows


def register_file(*, qs: QuerySet[Motion], filters: dict[str, Any] | None = None) -> ExportFile:
    """The register as .xlsx; the download view (`core.exports.export_view`) writes the audit row."""
    today = timezone.localdate()
    rows = register_rows(qs)
    wb = Workbook()
    sheet = titled_sheet(wb.active, "议案登记表", f"议案登记表（导出日期 {today:%Y-%m-%d}）", HEADERS, WIDTHS)
    for row in rows:
        safe_sheet(sheet).append(row)
    for row in sheet.iter_rows(min_row=3):
        row[12].number_format = "yyyy-mm-dd"
    return ExportFile(
        content=workbook_bytes(wb), filename=f"议案登记表-{today:%Y%m%d}.xlsx", rows=len(rows), filters=filters or {}
    )
