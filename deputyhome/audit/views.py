"""The auditor's page: read and filter the audit trail."""

from __future__ import annotations

import json

from django.utils import timezone
from django.utils.html import format_html

from deputyhome.core.crud import Column, RegisterView

from . import filters, selectors
from .labels import action_label


def _action(event) -> str:
    """The action's Chinese name, with the action as stored (what the 操作 filter searches) under it."""
    name = action_label(event.action)
    if name == event.action:
        return name
    return format_html('{}<br><small class="muted">{}</small>', name, event.action)


def _changes(event) -> str:
    if not event.changes:
        return ""
    text = json.dumps(event.changes, ensure_ascii=False)
    return text if len(text) <= 200 else text[:200] + "…"


class AuditList(RegisterView):
    title = "审计日志"
    allowed = staticmethod(lambda user: user.is_auditor)
    selector = staticmethod(selectors.event_list)
    filterset_class = filters.AuditFilter
    default_sort = "-at"
    paginate_by = 50
    columns = [
        Column("时间", lambda e: f"{timezone.localtime(e.at):%Y-%m-%d %H:%M:%S}", "at"),
        Column("操作人", lambda e: e.actor_name, "actor_name"),
        Column("操作", _action, "action"),
        Column("对象", lambda e: f"{e.object_type} #{e.object_id} {e.object_repr}".strip() if e.object_type else ""),
        Column("变更", _changes),
        Column("结果", lambda e: "成功" if e.success else "失败", "success"),
        Column("客户端地址", lambda e: e.client_address),
        Column("说明", lambda e: e.detail),
    ]
