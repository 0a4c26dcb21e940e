"""The register of motions (议案登记表) as an .xlsx workbook, streamed from the user's scoped list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from deputyhome.core.exports import CHUNK, ExportFile, ListExport, in_chunks

from .choices import Decision, MotionKind, MotionState
from .models import Motion, MotionSigner

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


def register_rows(qs: QuerySet[Motion]) -> Iterator[list[Any]]:
    """The register's rows, streamed: the motions with their session, lead, delegation and suggestion, a chunk at
    a time, and each chunk's confirmed co-signers (not the lead, not withdrawn) by name in one query."""
    kinds = {k: str(v) for k, v in MotionKind.choices}  # the labels in the request's language, once
    states = {k: str(v) for k, v in MotionState.choices}
    decisions = {k: str(v) for k, v in Decision.choices}
    motions = qs.prefetch_related(None).select_related("session", "lead", "delegation", "suggestion")
    for chunk in in_chunks(motions.iterator(chunk_size=CHUNK)):
        signers: dict[int, list[str]] = {}
        confirmed = MotionSigner.objects.filter(
            motion_id__in=[m.pk for m in chunk], is_lead=False, confirmed_at__isnull=False, withdrawn_at__isnull=True
        )
        for motion_id, name in confirmed.order_by("motion_id", "id").values_list("motion_id", "deputy__name"):
            signers.setdefault(motion_id, []).append(name)
        for m in chunk:
            yield [
                m.year,
                m.session.name,
                m.number,
                m.title,
                kinds.get(m.kind, m.kind),
                m.lead.name,
                m.delegation.name if m.delegation_id else "",
                "、".join(signers.get(m.pk, [])) if m.kind == MotionKind.JOINT else "",
                timezone.localtime(m.filed_at).strftime("%Y-%m-%d %H:%M") if m.filed_at else "",
                states.get(m.state, m.state),
                decisions.get(m.decision, m.decision or ""),
                m.committee,
                m.report_due_on,
                str(m.suggestion) if m.suggestion_id else "",
            ]


def register_file(*, qs: QuerySet[Motion], filters: dict[str, Any] | None = None) -> ExportFile:
    """The register as .xlsx, streamed (write-only); the download view (`core.exports.export_view`) writes the
    audit row."""
    export = ListExport("议案登记表", "议案登记表", HEADERS, WIDTHS, dates=(12,))
    for row in register_rows(qs):
        export.append(row)
    return export.file(filters)
