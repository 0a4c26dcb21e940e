from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from deputyhome.core.filters import TownshipFilter, YearFilter
from deputyhome.core.forms import DateInput
from deputyhome.organisation.filters import ScopedFilterSet, TownshipFilterSet

from .choices import OrganiserLevel, PlanStatus, SessionKind


class SessionFilter(TownshipFilterSet):
    kind = django_filters.ChoiceFilter(label="培训类型", choices=SessionKind.choices)
    level = django_filters.ChoiceFilter(label="组织层级", choices=OrganiserLevel.choices)
    township = TownshipFilter(field_name="region")
    year = YearFilter(field_name="date", lookup_expr="year")
    date_from = django_filters.DateFilter(label="起始日期", field_name="date", lookup_expr="gte", widget=DateInput())
    date_to = django_filters.DateFilter(label="截止日期", field_name="date", lookup_expr="lte", widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("year", "date_from", "date_to"):
            self.filters[name].extra["error_messages"] = {"invalid": "日期或年度格式不正确。"}

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(title__icontains=value) | Q(lecturer__icontains=value) | Q(place__icontains=value))


class PlanFilter(ScopedFilterSet):
    search_fields = ("title",)
    year = YearFilter()
    level = django_filters.ChoiceFilter(label="组织层级", choices=OrganiserLevel.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=PlanStatus.choices)


class HoursFilter(TownshipFilterSet):
    """Filters of the hours-per-deputy page (the year comes from the page's own year picker)."""

    township = TownshipFilter(field_name="region")

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return qs.filter(name__icontains=value) if value else qs
