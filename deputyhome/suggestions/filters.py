"""The filters of the suggestion register (the list page and its export)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from deputyhome.core.filters import TownshipFilter, YearFilter, YesNoFilter
from deputyhome.core.widgets import SearchSelect
from deputyhome.organisation import selectors as org_selectors
from deputyhome.organisation.filters import ScopedFilterSet

from . import selectors
from .choices import AssignmentStatus, State, UnitRole


class SuggestionFilter(ScopedFilterSet):
    search_fields = ("title", "author__name", "proposals")
    year = YearFilter()
    state = django_filters.ChoiceFilter(label="状态", choices=State.choices)
    category = django_filters.ModelChoiceFilter(
        label="分类", queryset=None, empty_label="全部", widget=SearchSelect("category")
    )
    unit = django_filters.ModelChoiceFilter(
        label="主办单位", queryset=None, empty_label="全部", method="filter_unit", widget=SearchSelect("unit")
    )
    region = TownshipFilter()
    received = django_filters.ChoiceFilter(
        label="提出时间", choices=[("session", "会议期间"), ("recess", "闭会期间")], method="filter_received"
    )
    is_key = YesNoFilter(label="重点督办")
    overdue = YesNoFilter(label="已逾期", method="filter_overdue")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = org_selectors.unit_list(user=self.user)
        self.filters["category"].queryset = selectors.category_choices(user=self.user)
        self.filters["region"].queryset = org_selectors.townships(user=self.user)

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        digits = value.strip("第号")
        cond = Q(title__icontains=value) | Q(author__name__icontains=value)
        if digits.isascii() and digits.isdigit() and len(digits) < 9:
            cond |= Q(number=int(digits))
        return qs.filter(cond) if value else qs

    def filter_unit(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(
            assignments__unit=value, assignments__role=UnitRole.LEAD, assignments__status=AssignmentStatus.ACTIVE
        )

    def filter_received(self, qs, name, value):
        if value == "session":
            return qs.filter(session__isnull=False)
        if value == "recess":
            return qs.filter(session__isnull=True)
        return qs

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        cond = selectors.overdue_q(timezone.localdate())
        return qs.filter(cond) if value else qs.exclude(cond)
