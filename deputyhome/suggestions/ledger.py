"""The register of suggestions (登记册) as an .xlsx workbook."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from deputyhome.core.exports import CHUNK, ExportFile, in_chunks
from deputyhome.core.xlsx import StreamedSheet, streamed_workbook, workbook_bytes

from .choices import AssignmentStatus, Satisfaction, State
from .models import Assignment, CoSigner, Evaluation, Suggestion

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


COLUMNS = (
    "pk",
    "year",
    "session__name",
    "number",
    "title",
    "author__name",
    "category__name",
    "assigned_on",
    "due_on",
    "state",
    "replied_on",
    "result_class__code",
    "is_key",
    "round",
)


def _joined(rows, pks: list[int]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for row in rows.filter(suggestion_id__in=pks):
        out.setdefault(row[0], []).append(row[1:])
    return out


def register_rows(qs: QuerySet[Suggestion]) -> Iterator[list[Any]]:
    """The register's rows, streamed: the suggestions in chunks, their units, co-signers and evaluations
    fetched once per chunk (three queries per 2,000 suggestions), no model objects."""
    # The labels in the request's language, looked up once, not once per row.
    result_labels = {k: str(v) for k, v in Satisfaction.choices}
    state_labels = {k: str(v) for k, v in State.choices}
    units = Assignment.objects.filter(status=AssignmentStatus.ACTIVE).values_list("suggestion_id", "unit__name", "role")
    cosigners = CoSigner.objects.filter(confirmed_at__isnull=False).order_by("id")
    cosigners = cosigners.values_list("suggestion_id", "deputy__name")
    evaluations = Evaluation.objects.values_list("suggestion_id", "round", "deputy__name", "no_response", "result")
    rows = qs.prefetch_related(None).values_list(*COLUMNS).iterator(chunk_size=CHUNK)
    for chunk in in_chunks(rows):
        pks = [r[0] for r in chunk]
        unit_of, cosigner_of, evaluation_of = _joined(units, pks), _joined(cosigners, pks), _joined(evaluations, pks)
        for (
            pk,
            year,
            session,
            number,
            title,
            author,
            category,
            assigned,
            due,
            state,
            replied,
            result,
            key,
            rnd,
        ) in chunk:
            active = unit_of.get(pk, [])
            last = [e for e in evaluation_of.get(pk, []) if e[0] == rnd]
            yield [
                year,
                session or "闭会期间",
                number,
                title,
                author,
                "、".join(c[0] for c in cosigner_of.get(pk, [])),
                category or "",
                "、".join(name for name, role in active if role == "lead"),
                "、".join(name for name, role in active if role == "co"),
                assigned,
                due,
                state_labels.get(state, state),
                replied,
                f"{result}类" if result else "",
                # The latest round's results, per deputy: 张三：满意；李四：基本满意 (逾期未评价 where none came).
                "；".join(
                    f"{name}：{'逾期未评价' if none else result_labels.get(res, '')}" for _, name, none, res in last
                ),
                "是" if key else "",
            ]


def register_file(*, qs: QuerySet[Suggestion], filters: dict[str, Any] | None = None) -> ExportFile:
    """The register as .xlsx, streamed (write-only); the download view (`core.exports.export_view`) writes
    the audit row."""
    today = timezone.localdate()
    wb = streamed_workbook()
    widths = (6, 30, 6, 40, 10, 16, 14, 20, 20, 12, 12, 10, 12, 8, 24, 8)
    heading = f"代表建议登记册（导出日期 {today:%Y-%m-%d}）"
    ws = StreamedSheet(wb, "建议登记册", heading, HEADER, widths, dates=(9, 10, 12))  # 交办日期, 办理期限, 答复日期
    ws.sheet.print_title_rows = "2:2"
    count = 0
    for row in register_rows(qs):
        ws.append(row)
        count += 1
    return ExportFile(
        content=workbook_bytes(wb), filename=f"建议登记册-{today:%Y%m%d}.xlsx", rows=count, filters=filters or {}
    )
