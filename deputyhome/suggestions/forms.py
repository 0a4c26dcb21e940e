"""Forms for each step; the services re-check everything that matters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from deputyhome.core.converters import valid_id
from deputyhome.core.fields import IdMultipleChoiceField
from deputyhome.core.forms import DateInput, ListChoiceField
from deputyhome.core.widgets import use_search
from deputyhome.deputies.models import Deputy
from deputyhome.organisation.models import Congress, HandlingUnit, Session
from deputyhome.organisation.selectors import session_label

from . import services
from .choices import ConsultationWay, ReturnReason, Satisfaction, SupervisionMethod
from .models import Category, ResultClass, Suggestion

DISSATISFIED_NEEDS_REASON = "选择“不满意”时，请说明不满意的理由，以便承办单位重新办理。"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class DeputyPicker(forms.SelectMultiple):
    """A search-as-you-type deputy picker (`core/_deputy_picker.html`, `static/js/deputy-picker.js`):
    the chosen deputies are checked boxes (radios for one), the matches come from `suggestions:deputy_search`."""

    picker = True

    def __init__(self, multiple: bool = True, search_url: str = "suggestions:deputy_search", include: str = "") -> None:
        super().__init__()
        self.multiple = multiple
        # The search that answers (a url name; another app's, e.g. the motions' search among one congress's
        # deputies), and the form fields it needs (an htmx hx-include selector).
        self.search_url = search_url
        self.include = include

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            return super().value_from_datadict(data, files, name)
        return data.get(name)


def picked_deputies(bound_field: forms.BoundField, choices) -> list[tuple[int, str]]:
    """What a deputy picker shows as chosen: the submitted (or initial) deputies among `choices`, labelled."""
    from deputyhome.deputies.selectors import deputy_label

    value = bound_field.value()
    values = value if isinstance(value, (list, tuple)) else [value]
    ids = [pk for v in values if (pk := valid_id(v))]
    if not ids:
        return []
    return [(d.pk, deputy_label(d)) for d in choices.filter(pk__in=ids)]


class SuggestionForm(forms.Form):
    author = forms.ModelChoiceField(
        label="领衔代表",
        queryset=Deputy.objects.none(),
        required=False,
        widget=DeputyPicker(multiple=False),
        help_text="输入姓名（至少2个字）搜索后选择",
    )
    title = forms.CharField(label="标题", max_length=200)
    situation = forms.CharField(label="基本情况", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    reasons = forms.CharField(label="存在问题及原因", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    proposals = forms.CharField(
        label="意见建议", widget=forms.Textarea(attrs={"rows": 5}), required=False, help_text="提交前须填写"
    )
    congress = forms.ModelChoiceField(
        label="受理人大",
        queryset=Congress.objects.none(),
        required=False,
        empty_label="按代表资格确定",
        help_text="市级代表的建议由市人大常委会代工委受理，乡镇代表的建议由乡镇人大主席团受理；同时是两级代表的请选择",
    )
    session = forms.ModelChoiceField(
        label="提出时间",
        queryset=Session.objects.none(),
        required=False,
        empty_label="闭会期间",
        help_text="会议期间提出的，请选择所属会议",
    )
    cosigners = IdMultipleChoiceField(
        label="联名代表",
        queryset=Deputy.objects.none(),
        required=False,
        widget=DeputyPicker(),
        help_text="输入姓名（至少2个字）搜索，可选多人；同名代表以乡镇、小组和出生年份区分。联名代表须在提交后确认",
    )
    files = MultipleFileField(label="附件", help_text="PDF、Word、Excel、图片或文本，每个不超过20MB")

    def __init__(
        self,
        *args: Any,
        authors,
        cosigner_choices,
        sessions,
        congresses,
        ask_author: bool,
        author_id: int | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.author_id = author_id
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = session_label
        if len(congresses[:2]) > 1:
            self.fields["congress"].queryset = (
                congresses
                if isinstance(congresses, QuerySet)
                else Congress.objects.filter(pk__in=[c.pk for c in congresses])
            )
        else:
            del self.fields["congress"]
        if ask_author:
            # An officer enters for any deputy of their scope: a province has a thousand current congresses.
            use_search(self.fields["session"], "entry_session")
            if "congress" in self.fields:
                use_search(self.fields["congress"], "entry_congress")
        self.fields["cosigners"].queryset = cosigner_choices
        if ask_author:
            self.fields["author"].queryset = authors
            self.fields["author"].required = True
        else:
            del self.fields["author"]
        for name in ("author", "cosigners"):
            if name in self.fields:
                self.fields[name].picked = self._picked(name, cosigner_choices)

    def _picked(self, name: str, choices) -> list[tuple[int, str]]:
        return picked_deputies(self[name], choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        author_id = self.author_id or (data["author"].pk if data.get("author") else None)
        author = next((d for d in data.get("cosigners") or [] if d.pk == author_id), None)
        if author is not None:
            self.add_error("cosigners", f"领衔代表不能同时作为联名代表：{author.name}。请从联名代表中去掉。")
        return data


class ReturnForm(forms.Form):
    reason = forms.ChoiceField(label="退回理由", choices=ReturnReason.choices)
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RegisterForm(forms.Form):
    category = ListChoiceField(label="分类", queryset=Category.objects.filter(is_active=True))

    def __init__(self, *args: Any, suggestion: Suggestion | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if suggestion is not None:
            self.fields["category"].queryset = services.categories_for(suggestion.congress)


class AssignForm(forms.Form):
    lead_unit = forms.ModelChoiceField(label="主办单位", queryset=HandlingUnit.objects.filter(is_active=True))
    co_units = IdMultipleChoiceField(
        label="协办单位",
        queryset=HandlingUnit.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    requirements = forms.CharField(label="办理要求", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    is_complex = forms.BooleanField(label="涉及面广、办理难度大（办理期限6个月）", required=False)
    # The suggestion's version when the form was shown: a second assignment of the same state is refused.
    version = forms.IntegerField(label="", widget=forms.HiddenInput, required=False, min_value=0, max_value=2**63 - 1)

    def __init__(self, *args: Any, suggestion: Suggestion | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if suggestion is not None:
            units = services.units_serving(suggestion.congress)
            self.fields["lead_unit"].queryset = self.fields["co_units"].queryset = units

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lead, co = data.get("lead_unit"), data.get("co_units") or []
        if lead and lead in co:
            self.add_error("co_units", "主办单位不能同时作为协办单位。")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ConsultForm(forms.Form):
    date = forms.DateField(label="沟通日期", widget=DateInput())
    way = forms.ChoiceField(label="方式", choices=ConsultationWay.choices)
    notes = forms.CharField(label="沟通情况", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class OpinionForm(forms.Form):
    opinion = forms.CharField(label="协办意见", widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(forms.Form):
    months = forms.IntegerField(label="延期（月）", min_value=1, max_value=3)
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class DecideExtensionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审批", choices=[("1", "批准"), ("0", "不批准")], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    note = forms.CharField(label="审批意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 6}))
    result_class = ListChoiceField(label="办理结果", queryset=ResultClass.objects.filter(is_active=True))
    follow_up_on = forms.DateField(
        label="跟踪落实日期", widget=DateInput(), required=False, help_text="B类、C类答复必填"
    )
    publishable = forms.BooleanField(label="答复可公开", required=False)
    files = MultipleFileField(label="答复附件")
    # The assignment the form was shown under: a reply written before a reassignment or a return is refused.
    version = forms.IntegerField(label="", widget=forms.HiddenInput, required=False, min_value=0, max_value=2**63 - 1)


class ReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        label="审核",
        choices=[("1", "审核通过"), ("0", "退回修改")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class EvaluateForm(forms.Form):
    attitude = forms.ChoiceField(label="办理态度", choices=Satisfaction.choices, widget=forms.RadioSelect)
    result = forms.ChoiceField(label="办理结果", choices=Satisfaction.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="意见", widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="选择“不满意”时必填"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        dissatisfied = Satisfaction.DISSATISFIED in (data.get("attitude"), data.get("result"))
        if dissatisfied and not (data.get("comment") or "").strip():
            self.add_error("comment", DISSATISFIED_NEEDS_REASON)
        return data


class MarkKeyForm(forms.Form):
    leader = forms.CharField(label="督办领导", max_length=50)
    note = forms.CharField(label="说明", required=False)


class SuperviseForm(forms.Form):
    method = forms.ChoiceField(label="督办方式", choices=SupervisionMethod.choices)
    date = forms.DateField(label="日期", widget=DateInput())
    findings = forms.CharField(label="督办情况", widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(label="后续要求", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class ForwardForm(forms.Form):
    """A township's forward of a matter to a city unit (转请市级办理): the units of the city congress only."""

    unit = forms.ModelChoiceField(label="市级承办单位", queryset=HandlingUnit.objects.none())
    due_on = forms.DateField(label="答复期限", widget=DateInput(), help_text="默认为办理期限设置中的办理月数")
    note = forms.CharField(
        label="转办事项", widget=forms.Textarea(attrs={"rows": 3}), help_text="写明请市级单位办理的事项"
    )

    def __init__(self, *args: Any, suggestion: Suggestion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = services.city_units_for(suggestion)
        use_search(self.fields["unit"], "city_unit")
        self.fields["due_on"].initial = services.default_due_on(timezone.localdate())

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError("答复期限不能早于今天。")
        return due_on


class ForwardAnswerForm(forms.Form):
    answer = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label="答复附件", help_text="答复函等（PDF、Word、Excel或图片）")
