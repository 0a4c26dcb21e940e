from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.core.forms import DateInput, DateTimeInput, ScopedModelForm

from . import selectors
from .models import Congress, DeputyGroup, HandlingUnit, Region, Session, Station


class RegionForm(ScopedModelForm):
    search_choices = {"parent": (selectors.region_list, "region")}

    class Meta:
        model = Region
        fields = ["code", "name", "kind", "parent"]

    # The code's length by kind and its parent's prefix are checked by Region.clean (organisation/regions.py),
    # which the form runs on the instance it builds.


class StationForm(ScopedModelForm):
    search_choices = {"region": (selectors.region_list, "region")}

    class Meta:
        model = Station
        # 接待时间 is not typed here: it is written from the station's reception slots (群众意见 › 接待安排).
        fields = ["kind", "name", "region", "address", "phone"]


class GroupForm(ScopedModelForm):
    search_choices = {"station": (selectors.station_list, "station")}

    class Meta:
        model = DeputyGroup
        fields = ["name", "station", "founded_on", "notes"]
        widgets = {"founded_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}


class UnitForm(ScopedModelForm):
    class Meta:
        model = HandlingUnit
        fields = ["name", "kind", "region", "contact_person", "phone", "is_active", "duties"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = selectors.unit_region_choices(user=self.user)
        if self.user.role != Role.CITY_OFFICER:
            # A township congress's officer keeps their own township's units: the region is theirs, not asked.
            del self.fields["region"]
            return
        region = self.fields["region"]
        region.queryset, region.required, region.empty_label = choices, False, None  # none given: the city
        region.help_text = "市直单位所属区域为市；乡镇的单位由乡镇人大工作人员维护"
        if not self.instance.pk or self.instance.region_id is None:
            self.initial["region"] = selectors.home_region()


class CongressForm(ScopedModelForm):
    search_choices = {"region": (selectors.region_list, "region")}

    class Meta:
        model = Congress
        fields = ["level", "term", "name", "region", "start_date", "end_date", "is_current"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class SessionForm(ScopedModelForm):
    search_choices = {"congress": (selectors.congress_choices, "congress")}

    class Meta:
        model = Session
        fields = ["congress", "number", "name", "start_date", "end_date", "motion_deadline"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "motion_deadline": DateTimeInput()}

    def __init__(self, *args: Any, congress: Congress | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if congress is not None and not self.instance.pk:
            self.initial["congress"] = congress.pk

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end, deadline = data.get("start_date"), data.get("end_date"), data.get("motion_deadline")
        if start and end and end < start:
            self.add_error("end_date", "闭幕日期不能早于开幕日期。")
        elif start and end and deadline:
            day = timezone.localtime(deadline).date()
            if not start <= day <= end:
                self.add_error("motion_deadline", "议案截止时间应在会期之内（开幕日至闭幕日）。")
        return data
