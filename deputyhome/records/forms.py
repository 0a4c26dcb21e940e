"""Forms for duty records: the points scheme, session attendance, reports to voters and the list filters."""

from __future__ import annotations

from typing import Any

from django import forms

from deputyhome.accounts.choices import ScopeKind
from deputyhome.core.filters import hide_township_filter
from deputyhome.core.forms import DateInput, SchemeItemsForm, ScopedForm, ScopedModelForm, points_field
from deputyhome.core.widgets import FlatSelect, use_search
from deputyhome.deputies.selectors import deputy_label
from deputyhome.motions.choices import AttendanceStatus
from deputyhome.organisation.models import Session
from deputyhome.organisation.selectors import station_choices

from . import selectors
from .choices import PointsRule, VoterReportStatus
from .models import PointsItem, VoterReport

YEAR_ERRORS = {
    "invalid": "请填写四位数年份。",
    "min_value": "年份不能早于2000年。",
    "max_value": "年份不能晚于2100年。",
}


class PointsSchemeForm(SchemeItemsForm):
    """One row per item: `label_<rule>`, `points_<rule>`, `cap_<rule>`, `deduction_<rule>`."""

    DATA_KEYS = {"points": "points", "cap": "cap", "deduction": "is_deduction"}

    def items_of(self, scheme: Any) -> list[Any]:
        """The scheme's items, then each rule it does not have yet (a scheme made before the rule was), at 0 points:
        given points, it is added (`points_scheme_update`)."""
        items = list(scheme.items.all())
        have = {item.rule for item in items}
        missing = [PointsItem(rule=r, label=PointsRule(r).label, points=0) for r in PointsRule.values if r not in have]
        return items + missing

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in self.scheme_items:
            if item.pk is None:  # offered, not in the scheme: may be left out (a page shown before the rule was)
                for key in ("label", "points"):
                    self.fields[f"{key}_{item.rule}"].required = False

    def items_data(self) -> dict[str, dict[str, Any]]:
        """The items; an offered rule left blank is at 0 points, which `points_scheme_update` does not add (and a
        blank label is the rule's name there, `item_label`)."""
        data = super().items_data()
        for item in self.scheme_items:
            if item.pk is None and data[item.rule].get("points") is None:
                data[item.rule]["points"] = 0
        return data

    def item_fields(self, item: Any, name: str) -> dict[str, forms.Field]:
        return {
            "points": points_field(
                f"{name}：分值",
                maximum=1000,
                messages={
                    "required": f"请填写“{name}”的分值。",
                    "invalid": f"“{name}”的分值请填写数字。",
                    "min_value": f"“{name}”的分值不能小于0。",
                    "max_value": f"“{name}”的分值不能大于1000。",
                    "max_decimal_places": f"“{name}”的分值最多保留两位小数。",
                },
            ),
            "cap": points_field(
                f"{name}：上限",
                maximum=10000,
                required=False,
                help_text="留空为不设上限",
                messages={
                    "invalid": f"“{name}”的上限请填写数字。",
                    "min_value": f"“{name}”的上限不能小于0。",
                    "max_decimal_places": f"“{name}”的上限最多保留两位小数。",
                },
            ),
            "deduction": forms.BooleanField(label=f"{name}：扣分项", required=False),
        }


def _in_scope_filter(label: str) -> forms.ModelChoiceField:
    """An optional filter whose choices (set per user in the form's `__init__`) are limited to the user's scope."""
    return forms.ModelChoiceField(
        label=label,
        required=False,
        queryset=None,
        empty_label="全部",
        error_messages={"invalid_choice": f"所选{label}不存在或不在您的查看范围内。"},
    )


class PointsFilterForm(ScopedForm):
    """The points list's filters; choices limited to the user's scope."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, error_messages=YEAR_ERRORS)
    quarter = forms.TypedChoiceField(
        label="季度",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "全年"), (1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
        widget=FlatSelect,
        error_messages={"invalid_choice": "季度只能是1至4。"},
    )
    township = _in_scope_filter("乡镇（街道）")
    group = _in_scope_filter("代表小组")
    name = forms.CharField(label="姓名", required=False, max_length=50)

    search_choices = {"township": (selectors.township_choices, "township"), "group": (selectors.group_choices, "group")}

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        hide_township_filter(self, ["township"], user)


class SessionAttendanceForm(forms.Form):
    """Record a deputy's attendance at a session of a congress the user works for (present is presumed until
    recorded otherwise)."""

    session = forms.ModelChoiceField(
        label="会议",
        queryset=Session.objects.select_related("congress").order_by("-start_date"),
        error_messages={"required": "请选择会议。", "invalid_choice": "所选会议不存在。"},
    )
    status = forms.ChoiceField(
        label="出席情况",
        choices=AttendanceStatus.choices,
        help_text="未登记的代表在履职档案中按出席计算；改为“出席”即撤销已登记的请假或缺席。",
        error_messages={"required": "请选择出席情况。", "invalid_choice": "出席情况无效。"},
    )
    reason = forms.CharField(label="请假事由", required=False, max_length=200)


class VoterReportForm(ScopedModelForm):
    class Meta:
        model = VoterReport
        fields = [
            "deputy",
            "station",
            "date",
            "status",
            "voters_present",
            "satisfied",
            "basically_satisfied",
            "dissatisfied",
            "summary",
        ]
        widgets = {"date": DateInput(), "summary": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "status": "计划述职先登记为“计划”，述职后改为“已述职”并填写参加人数和测评票数。",
            "satisfied": "选民满意度测评：满意、基本满意、不满意票数合计不能多于参加选民人数。",
        }
        error_messages = {
            "deputy": {"required": "请选择述职代表。", "invalid_choice": "所选代表不存在或不在您的管辖范围内。"},
            "station": {"required": "请选择述职地点。", "invalid_choice": "所选家站不存在或不在您的管辖范围内。"},
            "date": {"required": "请填写述职日期。", "invalid": "日期格式应为 年-月-日，例如 2026-06-18。"},
            "voters_present": {"invalid": "请填写整数。", "min_value": "人数不能为负数。"},
            "satisfied": {"invalid": "请填写整数。", "min_value": "票数不能为负数。"},
            "basically_satisfied": {"invalid": "请填写整数。", "min_value": "票数不能为负数。"},
            "dissatisfied": {"invalid": "请填写整数。", "min_value": "票数不能为负数。"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = selectors.report_deputy_choices(user=self.user)
        self.fields["deputy"].label_from_instance = deputy_label
        self.fields["station"].queryset = station_choices(user=self.user)
        use_search(self.fields["deputy"], "deputy")  # a province has 100,000 deputies
        use_search(self.fields["station"], "station")
        self.fields["status"].choices = VoterReportStatus.choices
        for name in ("satisfied", "basically_satisfied", "dissatisfied"):
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("satisfied", "basically_satisfied", "dissatisfied"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        return data


class NormFilterForm(PointsFilterForm):
    """A station norm's page: the points list's filters without the quarter, with the home or station (a station's
    assessment links to its own list) and 只看 those short of the norm."""

    station = _in_scope_filter("家站")
    missing = forms.BooleanField(required=False)

    field_order = ["year", "township", "station", "group", "name", "missing"]

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        del self.fields["quarter"]
        if user.scope_kind == ScopeKind.GROUP:  # one group: its station's list would be that group's, misnamed
            del self.fields["station"]
            return
        self.fields["station"].queryset = station_choices(user=user)
        use_search(self.fields["station"], "station")


class GroupQuarterFilterForm(NormFilterForm):
    """The group activities page's filters: year, township, station, the group's name, and 只看未达标."""

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        del self.fields["group"]
        self.fields["name"].label = "小组名称"
        self.fields["missing"].label = "只看未达标"
        self.fields["running"] = forms.BooleanField(label="只看本季度尚未开展", required=False)


class VisitFilterForm(NormFilterForm):
    """The station visits page's filters, and 只看未进站."""

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["missing"].label = "只看未进站"


class HouseholdFilterForm(NormFilterForm):
    """The paired households page's filters, and 只看未达标."""

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["missing"].label = "只看未达标"
