from __future__ import annotations

from typing import Any

from django import forms

from deputyhome.accounts import scopes
from deputyhome.core.filters import hide_township_filter
from deputyhome.core.forms import DateInput, ScopedForm, ScopedModelForm
from deputyhome.core.widgets import use_search
from deputyhome.deputies.models import Deputy
from deputyhome.deputies.selectors import deputy_choices, deputy_label
from deputyhome.organisation import selectors as org_selectors
from deputyhome.organisation.choices import CongressLevel

from . import selectors
from .choices import OrganiserLevel
from .models import Material, MaterialDistribution, TrainingPlan, TrainingSession


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class _OrganiserMixin:
    """Level and township choices: a township officer organises only for their own township."""

    def _limit_organiser(self) -> None:
        user = self.user
        self.fields["region"].queryset = org_selectors.townships(user=user)
        use_search(self.fields["region"], "township")
        self.fields["region"].empty_label = "（市级培训不选）"
        if not selectors.is_city_manager(user):
            self.fields["level"].choices = [(OrganiserLevel.TOWNSHIP.value, OrganiserLevel.TOWNSHIP.label)]
            self.fields["region"].empty_label = None
            if not self.instance.pk:
                self.initial["level"] = OrganiserLevel.TOWNSHIP
                if user.region_id:
                    self.initial["region"] = user.region_id

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("level") == OrganiserLevel.CITY:
            data["region"] = None
        return data


class PlanForm(_OrganiserMixin, ScopedModelForm):
    class Meta:
        model = TrainingPlan
        fields = ["year", "level", "region", "title", "purpose", "content", "forms", "safeguards", "budget", "status"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ("purpose", "content", "forms", "safeguards")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limit_organiser()
        if not self.instance.pk:
            self.initial.setdefault("year", scopes.today().year)


class SessionForm(_OrganiserMixin, ScopedModelForm):
    class Meta:
        model = TrainingSession
        fields = [
            "plan",
            "title",
            "kind",
            "level",
            "region",
            "date",
            "start_time",
            "end_time",
            "hours",
            "lecturer",
            "place",
            "description",
        ]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, plan: TrainingPlan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limit_organiser()
        self.fields["plan"].queryset = selectors.plan_choices(user=self.user)
        self.fields["plan"].empty_label = "（不属于某个方案）"
        self.fields["plan"].label_from_instance = selectors.plan_label
        use_search(self.fields["plan"], "training_plan")
        if plan is not None and not self.instance.pk:
            self.initial["plan"] = plan.pk
            self.initial["level"] = plan.level
            self.initial["region"] = plan.region_id


class InviteFilterForm(ScopedForm):
    """Who to look for on the invite page; the results are deputies in the user's scope."""

    township = forms.ModelChoiceField(label="乡镇（街道）", queryset=None, required=False, empty_label="全部")
    group = forms.ModelChoiceField(label="代表小组", queryset=None, required=False, empty_label="全部")
    level = forms.ChoiceField(label="代表层级", choices=[("", "全部"), *CongressLevel.choices], required=False)
    new_only = forms.BooleanField(label="仅本届新任代表", required=False)
    q = forms.CharField(label="姓名", required=False, max_length=50)

    search_choices = {
        "township": (org_selectors.townships, "township"),
        "group": (org_selectors.group_choices, "group"),
    }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        hide_township_filter(self, ["township"], user)


class SignInForm(forms.Form):
    code = forms.CharField(
        label="签到码",
        max_length=20,
        error_messages={"required": "请输入签到码。"},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "placeholder": "6位数字",
                "class": "code-input",
                "autofocus": True,
            }
        ),
    )


class MaterialForm(ScopedModelForm):
    class Meta:
        model = Material
        fields = ["title", "publisher", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class DistributionForm(ScopedModelForm):
    """Copies handed to one deputy or at one session: the deputy, the session and the material are searched
    as you type past 100 (a province has 100,000 deputies and thousands of sessions)."""

    deputy = forms.ModelChoiceField(label="发放给代表", queryset=Deputy.objects.none(), required=False)

    class Meta:
        model = MaterialDistribution
        fields = ["material", "session", "deputy", "date", "quantity", "notes"]
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, material: Material | None = None, session=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["deputy"].queryset = deputy_choices(user=self.user)
        fields["deputy"].label_from_instance = deputy_label
        fields["session"].queryset = selectors.session_choices(user=self.user)
        fields["session"].label_from_instance = selectors.session_label
        fields["material"].queryset = selectors.material_choices(user=self.user)
        fields["session"].empty_label = "（不在培训中发放）"
        fields["deputy"].empty_label = "（不指定代表）"
        fields["deputy"].help_text = "发给某位代表，或在某次培训中发放，至少选一项。"
        use_search(fields["deputy"], "deputy")
        use_search(fields["session"], "training_session")
        use_search(fields["material"], "material")
        if not self.instance.pk:
            self.initial.setdefault("date", scopes.today())
            if material is not None:
                self.initial["material"] = material.pk
            if session is not None:
                self.initial["session"] = session.pk
