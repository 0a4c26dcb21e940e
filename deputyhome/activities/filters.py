"""Filters for the registers; choice lists come from the user's scope."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from deputyhome.core.filters import TownshipFilter, YearFilter, YesNoFilter
from deputyhome.core.widgets import SearchSelect
from deputyhome.organisation.filters import ScopedFilterSet, TownshipFilterSet
from deputyhome.organisation.models import HandlingUnit
from deputyhome.suggestions.selectors import category_choices

from . import selectors
from .choices import ActivityKind, OrganiserLevel, ProblemStatus, ReferralStatus, RuleCategory, StandardGroup
from .models import Campaign, StandardItem


def year_filter(field: str) -> django_filters.NumberFilter:
    return YearFilter(field_name=field, lookup_expr="year")


class StandardItemFilter(ScopedFilterSet):
    search_fields = ("label", "code", "description")
    group = django_filters.ChoiceFilter(label="类别", choices=StandardGroup.choices)
    is_active = YesNoFilter(label="在用")


class AssessmentFilter(TownshipFilterSet):
    search_fields = ("station__name",)
    township = TownshipFilter(field_name="station__region")
    year = YearFilter()
    passed = YesNoFilter(label="达标")


class ShortfallFilter(TownshipFilterSet):
    """The overview: which stations fall short, and on what."""

    search_fields = ("assessment__station__name",)
    township = TownshipFilter(field_name="assessment__station__region")
    year = YearFilter(field_name="assessment__year")
    item = django_filters.ModelChoiceFilter(label="标准项", queryset=StandardItem.objects.all(), empty_label="全部")
    status = django_filters.ChoiceFilter(
        label="结果", choices=[("partly", "部分达标"), ("not_met", "未达标")], empty_label="全部"
    )


class RuleFilter(ScopedFilterSet):
    search_fields = ("title",)
    category = django_filters.ChoiceFilter(label="类别", choices=RuleCategory.choices)
    is_active = YesNoFilter(label="在用")


class CampaignFilter(ScopedFilterSet):
    search_fields = ("slogan", "main_theme")
    year = year_filter("start_on")


class ActivityFilter(TownshipFilterSet):
    search_fields = ("topic", "place", "notes")
    kind = django_filters.ChoiceFilter(label="活动类型", choices=ActivityKind.choices)
    level = django_filters.ChoiceFilter(label="组织层级", choices=OrganiserLevel.choices)
    township = TownshipFilter(field_name="region")
    campaign = django_filters.ModelChoiceFilter(label="代表行动", queryset=None, empty_label="全部")
    year = year_filter("date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["campaign"].queryset = Campaign.objects.all()


class ProblemFilter(TownshipFilterSet):
    search_fields = ("text", "place", "deputy__name")
    status = django_filters.ChoiceFilter(label="处理状态", choices=ProblemStatus.choices)
    township = TownshipFilter(field_name="region")
    category = django_filters.ModelChoiceFilter(
        label="分类", queryset=None, empty_label="全部", widget=SearchSelect("category")
    )
    year = year_filter("date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["category"].queryset = category_choices(user=self.user)


class ReferralFilter(ScopedFilterSet):
    search_fields = ("title", "content")
    status = django_filters.ChoiceFilter(label="状态", choices=ReferralStatus.choices)
    unit = django_filters.ModelChoiceFilter(
        label="承办单位", queryset=None, empty_label="全部", widget=SearchSelect("unit")
    )
    overdue = YesNoFilter(label="已逾期未答复", method="filter_overdue")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from deputyhome.accounts import scopes

        if self.user.scope_kind == "unit":
            del self.filters["unit"]
        else:
            self.filters["unit"].queryset = HandlingUnit.objects.filter(scopes.units_q(self.user))

    def filter_overdue(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        if value is None:
            return qs
        late = Q(status=ReferralStatus.OPEN, due_on__lt=selectors.today())
        return qs.filter(late) if value else qs.exclude(late)
