"""Forms for the activities pages. Choices come from the user's scope; the services re-check what matters."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from deputyhome.core.fields import IdMultipleChoiceField
from deputyhome.core.forms import DateInput, ScopedForm, ScopedModelForm
from deputyhome.core.widgets import read_once, use_search
from deputyhome.deputies.selectors import deputy_label
from deputyhome.organisation import selectors as org_selectors
from deputyhome.suggestions.forms import MultipleFileField
from deputyhome.suggestions.selectors import category_choices

from . import selectors
from .choices import Attendance, ItemStatus
from .models import Activity, Campaign, Output, Problem, Rule, RuleVersion, StandardItem
from .uploads import check_document, check_photo

PHOTO_HELP = "可多选；JPG、PNG、GIF、WEBP 图片，每张不超过10MB"


def _today() -> datetime.date:
    return selectors.today()


class PhotoField(MultipleFileField):
    """Several photos; each one checked by its content here, and again by the service."""

    def clean(self, data, initial=None):
        files = super().clean(data, initial)
        for f in files:
            check_photo(f)
        return files


class DeputyMultipleField(IdMultipleChoiceField):
    """Several deputies of the user's scope, searched as you type past 100 (a province has 100,000)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", None)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"size": 8, "class": "wide"}))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return deputy_label(obj)


# Checklist --------------------------------------------------------------------------------------------


class StandardItemForm(ScopedModelForm):
    class Meta:
        model = StandardItem
        fields = ["group", "code", "label", "description", "points", "order", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_points(self) -> int:
        points = self.cleaned_data["points"]
        if not 1 <= points <= 100:
            raise forms.ValidationError("分值应在1至100之间。")
        return points


class PolicyForm(forms.Form):
    year = forms.IntegerField(label="自年度起", min_value=2000, max_value=2100)
    pass_score = forms.IntegerField(
        label="达标分数线", min_value=1, max_value=100, help_text="百分制；得分不低于分数线的家站为达标"
    )

    def __init__(self, *args: Any, instance=None, user=None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": _today().year, "pass_score": 80})
        super().__init__(*args, **kwargs)


# Assessments ------------------------------------------------------------------------------------------


class AssessmentForm(forms.Form):
    """The whole checklist on one page: a status, a note and photos for every active item."""

    station = forms.ModelChoiceField(label="家站", queryset=None)
    year = forms.IntegerField(label="评估年度", min_value=2000, max_value=2100)
    assessed_on = forms.DateField(label="评估日期", widget=DateInput())
    notes = forms.CharField(label="总体意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, user, items: list[StandardItem], instance=None, **kwargs: Any) -> None:
        self.items = items
        self.instance = instance
        initial = kwargs.pop("initial", {}) or {}
        if instance is not None:
            initial.update(
                station=instance.station, year=instance.year, assessed_on=instance.assessed_on, notes=instance.notes
            )
            for r in instance.results.all():
                initial[f"status_{r.item_id}"] = r.status
                initial[f"notes_{r.item_id}"] = r.notes
        else:
            initial.setdefault("year", _today().year)
            initial.setdefault("assessed_on", _today())
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["station"].queryset = selectors.station_choices(user=user)
        use_search(self.fields["station"], "station")
        if instance is not None:
            self.fields["station"].disabled = True
            self.fields["year"].disabled = True
        for item in items:
            self.fields[f"status_{item.pk}"] = forms.ChoiceField(
                label=item.label, choices=ItemStatus.choices, widget=forms.RadioSelect
            )
            self.fields[f"notes_{item.pk}"] = forms.CharField(
                label="说明", required=False, widget=forms.TextInput(attrs={"placeholder": "存在的问题或亮点"})
            )
            self.fields[f"photos_{item.pk}"] = PhotoField(label="佐证照片", help_text=PHOTO_HELP)

    def rows(self) -> list[dict[str, Any]]:
        """Each item's fields, with the values its row shows: the template writes the row's inputs itself (a dozen
        items rendered through the widgets' templates cost more than the rest of the page)."""
        out = []
        for item in self.items:
            status, notes = self[f"status_{item.pk}"], self[f"notes_{item.pk}"]
            out.append(
                {
                    "item": item,
                    "status": status,
                    "status_value": str(status.value() or ""),
                    "notes": notes,
                    "notes_value": notes.value() or "",
                    "photos": self[f"photos_{item.pk}"],
                }
            )
        return out

    def results(self) -> list[dict[str, Any]]:
        return [
            {
                "item": item,
                "status": self.cleaned_data[f"status_{item.pk}"],
                "notes": self.cleaned_data.get(f"notes_{item.pk}", ""),
                "photos": self.cleaned_data.get(f"photos_{item.pk}") or [],
            }
            for item in self.items
        ]


# Rules ------------------------------------------------------------------------------------------------


class RuleForm(ScopedModelForm):
    class Meta:
        model = Rule
        fields = ["title", "category", "is_active"]


class RuleVersionForm(ScopedModelForm):
    class Meta:
        model = RuleVersion
        fields = ["version", "effective_on", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12}), "effective_on": DateInput()}
        help_texts = {"version": "例如：2022年版"}


class PostingForm(forms.Form):
    version = forms.ModelChoiceField(label="制度版本", queryset=RuleVersion.objects.none())
    stations = IdMultipleChoiceField(
        label="家站",
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 10, "class": "wide"}),
        help_text="可多选，登记这些家站已将该版本制度上墙",
    )
    posted_on = forms.DateField(label="上墙日期", widget=DateInput())

    def __init__(self, *args: Any, user, rule: Rule, instance=None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"posted_on": _today()})
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = selectors.rule_versions(rule=rule)
        latest = self.fields["version"].queryset.first()
        if latest is not None:
            self.fields["version"].initial = latest.pk
        self.fields["stations"].queryset = selectors.station_choices(user=user)
        use_search(self.fields["stations"], "station")


# Campaigns --------------------------------------------------------------------------------------------


class CampaignForm(ScopedModelForm):
    class Meta:
        model = Campaign
        fields = ["slogan", "start_on", "end_on", "main_theme", "description"]
        widgets = {"start_on": DateInput(), "end_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}


class ThemeForm(ScopedForm):
    search_choices = {"region": (selectors.township_choices, "township")}
    region = forms.ModelChoiceField(label="乡镇（街道）", queryset=None)
    theme = forms.CharField(label="活动主题", max_length=200)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TopicForm(ScopedForm):
    search_choices = {"group": (selectors.group_choices, "group")}
    group = forms.ModelChoiceField(label="代表小组", queryset=None)
    topic = forms.CharField(label="小切口", max_length=200)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


# Activities -------------------------------------------------------------------------------------------


class ActivityForm(ScopedModelForm):
    present = DeputyMultipleField(label="出席代表", help_text="可多选；代表较多时输入姓名搜索")
    excused = DeputyMultipleField(label="请假代表")
    absent = DeputyMultipleField(label="缺席代表")
    photos = PhotoField(label="活动照片", help_text=PHOTO_HELP)

    class Meta:
        model = Activity
        fields = ["kind", "level", "region", "group", "station", "campaign", "date", "place", "topic", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 4})}
        labels = {"region": "组织活动的乡镇（街道）"}
        help_texts = {
            "region": "组织层级为“乡镇（街道）人大”时填写",
            "group": "组织层级为“代表小组”时填写",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        self.fields["region"].queryset = selectors.township_choices(user=user)
        self.fields["region"].required = False
        self.fields["group"].queryset = selectors.group_choices(user=user)
        self.fields["station"].queryset = selectors.station_choices(user=user)
        for name, kind in (("region", "township"), ("group", "group"), ("station", "station")):
            use_search(self.fields[name], kind)
        self.fields["campaign"].queryset = selectors.campaign_choices(user=user)
        deputies = selectors.deputy_choices(user=user)
        memo: dict[str, list[Any]] = {}
        for name in ("present", "excused", "absent"):
            self.fields[name].queryset = deputies
            use_search(self.fields[name], "deputy")
            read_once(self.fields[name].widget, memo)
        if self.instance.pk:
            by = {a: [] for a in Attendance.values}
            for p in self.instance.participations.all():
                by[p.attendance].append(p.deputy_id)
            self.initial.update(present=by["present"], excused=by["excused"], absent=by["absent"])
        else:
            self.initial.setdefault("date", _today())
        if self.instance.region_id and self.instance.region.parent_id is None:
            self.initial["region"] = None  # the city, for committee activities; not a township choice

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        seen: dict[int, str] = {}
        labels = {"present": "出席", "excused": "请假", "absent": "缺席"}
        for name in ("present", "excused", "absent"):
            for deputy in data.get(name) or []:
                if deputy.pk in seen:
                    self.add_error(name, f"同一名代表不能既“{labels[seen[deputy.pk]]}”又“{labels[name]}”。")
                    break
                seen[deputy.pk] = name
        return data

    def participants(self) -> list[tuple[Any, str]]:
        return [(d, a) for a in ("present", "excused", "absent") for d in self.cleaned_data.get(a) or []]

    def activity_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in self._meta.fields}


class OutputForm(ScopedModelForm):
    upload = forms.FileField(label="文件", required=False, help_text="PDF、Word、Excel、WPS 或 OFD 文件，不超过20MB")

    class Meta:
        model = Output
        fields = ["kind", "title", "date", "sent_to", "response", "response_on"]
        widgets = {"date": DateInput(), "response_on": DateInput(), "response": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"sent_to": "例如：市委、市人民政府、市发展和改革局"}

    def clean_upload(self):
        f = self.cleaned_data.get("upload")
        if f:
            check_document(f)
        return f


class ProblemForm(ScopedModelForm):
    class Meta:
        model = Problem
        fields = ["text", "place", "category", "deputy", "activity", "region", "date"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "date": DateInput()}
        help_texts = {"region": "不填时取活动或提出代表所在的乡镇（街道）"}

    def __init__(self, *args: Any, activity: Activity | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        self.fields["category"].queryset = category_choices(user=user, active=True, keep=self.instance.category_id)
        self.fields["deputy"].queryset = selectors.deputy_choices(user=user)
        self.fields["deputy"].label_from_instance = deputy_label
        self.fields["activity"].queryset = selectors.activity_choices(user=user, keep=self.instance.activity_id)
        self.fields["activity"].label_from_instance = selectors.activity_choice_label
        self.fields["region"].queryset = selectors.township_choices(user=user)
        self.fields["region"].required = False
        for name, kind in (("deputy", "deputy"), ("activity", "activity"), ("region", "township")):
            use_search(self.fields[name], kind)
        if activity is not None and not self.instance.pk:
            self.initial.setdefault("activity", activity.pk)
            self.initial.setdefault("date", activity.date)
        self.initial.setdefault("date", _today())

    def problem_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in self._meta.fields}


class CloseForm(forms.Form):
    note = forms.CharField(label="处理说明", widget=forms.Textarea(attrs={"rows": 3}), help_text="问题是如何当场解决的")


class ForwardForm(ScopedForm):
    search_choices = {"unit": (org_selectors.active_unit_choices, "active_unit")}
    unit = forms.ModelChoiceField(label="承办单位", queryset=None)
    due_on = forms.DateField(label="办理期限", required=False, widget=DateInput(), help_text="不填时为15个工作日后")

    def clean_due_on(self):
        due = self.cleaned_data.get("due_on")
        if due and due < _today():
            raise forms.ValidationError("办理期限不能早于今天。")
        return due


class ReplyForm(forms.Form):
    text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
