"""Filters of the reports-to-voters register; choice lists come from the user's scope."""

from __future__ import annotations

from typing import Any

import django_filters

from deputyhome.core.filters import TownshipFilter, YearFilter
from deputyhome.organisation.filters import ScopedFilterSet

from . import selectors
from .choices import VoterReportStatus
from .models import VoterReport


class VoterReportFilter(ScopedFilterSet):
    search_fields = ("deputy__name", "station__name", "summary")
    township = TownshipFilter(field_name="deputy__region")
    status = django_filters.ChoiceFilter(label="状态", choices=VoterReportStatus.choices, empty_label="全部")
    year = YearFilter(field_name="date", lookup_expr="year")

    class Meta:
        model = VoterReport
        fields = ["q", "township", "status", "year"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["township"].queryset = selectors.township_choices(user=self.user)
