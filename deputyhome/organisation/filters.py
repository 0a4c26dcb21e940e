from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from deputyhome.core.filters import ScopedFilterSet, TownshipFilter, YesNoFilter

from . import selectors
from .choices import CongressLevel, RegionKind, StationKind, UnitKind


class TownshipFilterSet(ScopedFilterSet):
    """A filter set whose 乡镇（街道） filters (`core.filters.TownshipFilter`) offer the user's townships."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.filters.values():
            if isinstance(f, TownshipFilter):
                f.queryset = selectors.townships(user=self.user)


class RegionFilter(TownshipFilterSet):
    search_fields = ("name", "code")
    kind = django_filters.ChoiceFilter(label="类型", choices=RegionKind.choices)
    township = TownshipFilter(method="filter_township")  # the region itself lies within the township

    def filter_township(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return qs.filter(code__startswith=value.code)


class StationFilter(TownshipFilterSet):
    search_fields = ("name", "address", "region__name")
    kind = django_filters.ChoiceFilter(label="类型", choices=StationKind.choices)
    township = TownshipFilter(field_name="region")


class GroupFilter(TownshipFilterSet):
    search_fields = ("name", "station__name")
    township = TownshipFilter(field_name="station__region")


class UnitFilter(ScopedFilterSet):
    search_fields = ("name", "contact_person")
    kind = django_filters.ChoiceFilter(label="类型", choices=UnitKind.choices)
    is_active = YesNoFilter(label="在用")


class CongressFilter(ScopedFilterSet):
    search_fields = ("name",)
    level = django_filters.ChoiceFilter(label="层级", choices=CongressLevel.choices)
    is_current = YesNoFilter(label="本届")
