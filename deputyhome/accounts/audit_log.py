"""The auditor's page (审计日志): read and filter the audit trail. The trail itself (its rows, hash chain and the
names of its actions) is the audit app's, below core; its page is here, with the administrators' other pages."""

from __future__ import annotations

import json
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.html import format_html

from deputyhome.audit import selectors
from deputyhome.audit.labels import action_label, actions_named
from deputyhome.audit.models import AuditItem
from deputyhome.core.crud import Column, RegisterView
from deputyhome.core.filters import YesNoFilter
from deputyhome.core.forms import DateInput


class AuditFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    actor_name = django_filters.CharFilter(label="操作人账号", lookup_expr="iexact")
    action = django_filters.CharFilter(label="操作", method="action_search")
    success = YesNoFilter(label="成功")
    since = django_filters.DateFilter(label="起始日期", field_name="at", lookup_expr="date__gte", widget=DateInput())
    until = django_filters.DateFilter(label="截止日期", field_name="at", lookup_expr="date__lte", widget=DateInput())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def action_search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        """An action by its Chinese name (登录, 交办) or by the start of its code (auth., suggestion.assign)."""
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(action__startswith=value) | Q(action__in=actions_named(value)))

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return qs
        # A batch event (a roster import) is found by any object it changed, e.g. a deputy's name.
        in_items = AuditItem.objects.filter(event=OuterRef("pk"), object_repr__icontains=value)
        return qs.filter(
            Q(object_repr__icontains=value)
            | Q(detail__icontains=value)
            | Q(object_type__icontains=value)
            | Exists(in_items)
        )


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
    filterset_class = AuditFilter
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
