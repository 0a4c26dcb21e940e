from __future__ import annotations

from typing import Any

from django import forms

from deputyhome.core.forms import DateInput, ScopedModelForm

from . import selectors
from .models import Congress, DeputyGroup, HandlingUnit, Region, Session, Station


class RegionForm(ScopedModelForm):
    class Meta:
        model = Region
        fields = ["code", "name", "kind", "parent"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = selectors.region_list(user=self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code, parent = data.get("code"), data.get("parent")
        if code and not code.isdigit():
            self.add_error("code", "区划代码只能由数字组成。")
        elif code and parent and not (code.startswith(parent.code) and len(code) > len(parent.code)):
            self.add_error("code", f"区划代码应以上级代码 {parent.code} 开头并更长。")
        elif code and len(code) not in (6, 9, 12):
            self.add_error("code", "区划代码应为6位（市）、9位（乡镇）或12位（村、社区）。")
        if code and not parent and len(code) != 6:
            self.add_error("parent", "乡镇、村（社区）须选择上级区域。")
        return data


class StationForm(ScopedModelForm):
    class Meta:
        model = Station
        # 接待时间 is not typed here: it is written from the station's reception slots (群众意见 › 接待安排).
        fields = ["kind", "name", "region", "address", "phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.region_list(user=self.user)


class GroupForm(ScopedModelForm):
    class Meta:
        model = DeputyGroup
        fields = ["name", "station", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = selectors.station_list(user=self.user)


class UnitForm(ScopedModelForm):
    class Meta:
        model = HandlingUnit
        fields = ["name", "kind", "contact_person", "phone", "is_active", "duties"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 6})}


class CongressForm(ScopedModelForm):
    class Meta:
        model = Congress
        fields = ["level", "term", "name", "region", "start_date", "end_date", "is_current"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.region_list(user=self.user)


class SessionForm(ScopedModelForm):
    class Meta:
        model = Session
        fields = ["congress", "number", "name", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args: Any, congress: Congress | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = selectors.congress_list(user=self.user)
        if congress is not None and not self.instance.pk:
            self.initial["congress"] = congress.pk

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "闭幕日期不能早于开幕日期。")
        return data
