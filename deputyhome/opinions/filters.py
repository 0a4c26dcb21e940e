from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from deputyhome.core.filters import TownshipFilter, YearFilter, YesNoFilter
from deputyhome.core.widgets import SearchSelect
from deputyhome.deputies import selectors as deputy_selectors
from deputyhome.organisation import selectors as org_selectors
from deputyhome.organisation.filters import ScopedFilterSet, TownshipFilterSet

from . import codes
from .choices import Channel, OpinionStatus


class OpinionFilter(TownshipFilterSet):
    search_fields = ("content",)
    status = django_filters.ChoiceFilter(label="状态", choices=OpinionStatus.choices)
    channel = django_filters.ChoiceFilter(label="来源", choices=Channel.choices)
    township = TownshipFilter(field_name="region")
    station = django_filters.ModelChoiceFilter(
        label="家站", queryset=None, empty_label="全部", widget=SearchSelect("station")
    )
    year = YearFilter(field_name="received_on", lookup_expr="year")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["station"].queryset = org_selectors.station_choices(user=self.user)

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return qs
        code = codes.normalise(value)
        return qs.filter(Q(content__icontains=value) | (Q(tracking_code=code) if code else Q(pk__in=[])))


class StationScopedFilter(TownshipFilterSet):
    township = TownshipFilter(field_name="station__region")
    station = django_filters.ModelChoiceFilter(
        label="家站", queryset=None, empty_label="全部", widget=SearchSelect("station")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["station"].queryset = org_selectors.station_choices(user=self.user)


class SlotFilter(StationScopedFilter):
    search_fields = ("station__name", "notice")


class ReceptionFilter(StationScopedFilter):
    search_fields = ("station__name", "notes")
    year = YearFilter(field_name="date", lookup_expr="year")


class PairingFilter(ScopedFilterSet):
    search_fields = ("household", "deputy__name", "village__name")
    deputy = django_filters.ModelChoiceFilter(
        label="代表", queryset=None, empty_label="全部", widget=SearchSelect("deputy")
    )
    in_force = YesNoFilter(label="结对中", field_name="ended_on", lookup_expr="isnull")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["deputy"].queryset = deputy_selectors.deputy_choices(user=self.user)


class StoryFilter(ScopedFilterSet):
    search_fields = ("title", "deputy__name")
    is_published = YesNoFilter(label="已发布")
