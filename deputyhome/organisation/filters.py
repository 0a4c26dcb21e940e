from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from deputyhome.core.filters import ScopedFilterSet, YesNoFilter
from deputyhome.core.widgets import SearchSelect

from . import selectors
from .choices import CongressLevel, RegionKind, StationKind, UnitKind


def township_filter(field: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label="乡镇（街道）",
        field_name=field,
        queryset=None,
        empty_label="全部",
        method="filter_township",
        widget=SearchSelect("township"),
    )


class TownshipFilterMixin:
    township_prefix: str = "region"

    def _set_township_choices(self) -> None:
        self.filters["township"].queryset = selectors.townships(user=self.user)

    def filter_township(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        if not value:
            return qs
        return qs.filter(**{f"{self.township_prefix}__code__startswith": value.code})


class RegionFilter(TownshipFilterMixin, ScopedFilterSet):
    search_fields = ("name", "code")
    kind = django_filters.ChoiceFilter(label="类型", choices=RegionKind.choices)
    township = township_filter("code")
    township_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_township_choices()

    def filter_township(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return qs.filter(code__startswith=value.code) if value else qs


class StationFilter(TownshipFilterMixin, ScopedFilterSet):
    search_fields = ("name", "address", "region__name")
    kind = django_filters.ChoiceFilter(label="类型", choices=StationKind.choices)
    township = township_filter("region")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_township_choices()


class GroupFilter(TownshipFilterMixin, ScopedFilterSet):
    search_fields = ("name", "station__name")
    township = township_filter("station__region")
    township_prefix = "station__region"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_township_choices()


class UnitFilter(ScopedFilterSet):
    search_fields = ("name", "contact_person")
    kind = django_filters.ChoiceFilter(label="类型", choices=UnitKind.choices)
    is_active = YesNoFilter(label="在用")


class CongressFilter(ScopedFilterSet):
    search_fields = ("name",)
    level = django_filters.ChoiceFilter(label="层级", choices=CongressLevel.choices)
    is_current = YesNoFilter(label="本届")
