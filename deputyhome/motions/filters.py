"""The filters of the motion register (the list page and its export) and of the session list."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from deputyhome.core.filters import ScopedFilterSet, TownshipFilter, YearFilter
from deputyhome.core.widgets import SearchSelect
from deputyhome.organisation import selectors as org_selectors
from deputyhome.organisation.choices import CongressLevel

from . import selectors
from .choices import Decision, MotionKind, MotionState


class MotionFilter(ScopedFilterSet):
    year = YearFilter()
    session = django_filters.ModelChoiceFilter(
        label="会议", queryset=None, empty_label="全部", widget=SearchSelect("session")
    )
    state = django_filters.ChoiceFilter(label="状态", choices=MotionState.choices)
    decision = django_filters.ChoiceFilter(label="主席团决定", choices=Decision.choices)
    kind = django_filters.ChoiceFilter(label="提出方式", choices=MotionKind.choices)
    region = TownshipFilter()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["session"].queryset = selectors.session_choices(user=self.user)
        self.filters["region"].queryset = org_selectors.townships(user=self.user)

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        """By subject, lead deputy or signer, or number (3, 第3号)."""
        value = value.strip()
        if not value:
            return qs
        cond = Q(title__icontains=value) | Q(lead__name__icontains=value) | Q(plan__icontains=value)
        digits = value.strip("第号")
        if digits.isascii() and digits.isdigit() and len(digits) < 9:
            cond |= Q(number=int(digits))
        return qs.filter(cond)


class SessionFilter(ScopedFilterSet):
    search_fields = ("name", "congress__name")
    level = django_filters.ChoiceFilter(label="层级", field_name="congress__level", choices=CongressLevel.choices)
    year = YearFilter(field_name="start_date__year")
