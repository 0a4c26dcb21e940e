from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from deputyhome.core.filters import YesNoFilter
from deputyhome.core.forms import DateInput

from .labels import actions_named
from .models import AuditItem


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
