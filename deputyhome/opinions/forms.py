"""Forms of the opinions app. Validation of input only; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse

from deputyhome.accounts import scopes
from deputyhome.core.converters import valid_id
from deputyhome.core.fields import IdMultipleChoiceField
from deputyhome.core.forms import DateInput, ScopedModelForm
from deputyhome.core.widgets import read_once, use_search
from deputyhome.deputies import selectors as deputy_selectors
from deputyhome.deputies.models import Deputy
from deputyhome.deputies.selectors import deputy_label
from deputyhome.deputies.validators import normalise_phone, validate_phone
from deputyhome.organisation import selectors as org_selectors
from deputyhome.organisation.models import HandlingUnit, Station
from deputyhome.suggestions.selectors import category_choices

from . import notices, selectors, uploads
from .choices import Channel, ContactWay, Weekday
from .models import ModelStory, Opinion, Pairing, Reception, ReceptionSlot


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


def _scoped_deputies(user: Any) -> QuerySet[Deputy]:
    """The deputies a form may name: those of the deputy search (kind "deputy"), with what a label needs only (the
    name, township and year of birth tell namesakes apart)."""
    return deputy_selectors.deputy_choices(user=user).only("name", "birth_date", "region__name").prefetch_related(None)


def _scoped_stations(user: Any) -> QuerySet[Station]:
    return Station.objects.filter(scopes.stations_q(user)).only("id", "name").order_by("region__code", "name")


class DeputyChoice(forms.ModelChoiceField):
    """One deputy: a drop-down up to 100, a search field beyond (`deputy_search`)."""

    def label_from_instance(self, obj: Deputy) -> str:
        return deputy_label(obj)


class DeputyMultiChoice(IdMultipleChoiceField):
    """Several deputies: a multi-select up to 100, a search field beyond (`deputy_search`)."""

    def label_from_instance(self, obj: Deputy) -> str:
        return deputy_label(obj)


def deputy_search(field: forms.ModelChoiceField, queryset: QuerySet[Deputy]) -> None:
    """Give a deputy field its choices and the search-as-you-type widget (a province has 100,000 deputies)."""
    field.queryset = queryset
    use_search(field, "deputy")


# The public form -----------------------------------------------------------------------------------------


class PublicOpinionForm(forms.Form):
    """What a citizen fills in on a station's or deputy's public page. No ID number is ever asked."""

    content = forms.CharField(
        label="您要反映的问题或建议",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2000, "placeholder": "请写清楚事情、地点和您的诉求"}),
        max_length=2000,
        error_messages={"required": "请填写您要反映的内容。", "max_length": "反映内容不能超过2000字。"},
    )
    name = forms.CharField(
        label="姓名（可不填）", required=False, max_length=30, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label="联系电话（可不填）",
        required=False,
        max_length=20,
        help_text="留下电话，代表或工作人员可以和您联系。",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    photo = forms.FileField(
        label="照片（可不传）",
        required=False,
        help_text="JPG 或 PNG 格式，不超过5MB。",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    consent = forms.BooleanField(
        label="我已阅读并同意《个人信息保护告知》",
        error_messages={"required": "请阅读并同意《个人信息保护告知》后再提交。"},
    )
    privacy_version = forms.CharField(widget=forms.HiddenInput, initial=notices.CURRENT_VERSION)

    def __init__(self, *args: Any, upload_too_large: bool = False, **kwargs: Any) -> None:
        self.upload_too_large = upload_too_large
        super().__init__(*args, **kwargs)

    def clean_phone(self) -> str:
        value = normalise_phone(self.cleaned_data.get("phone", ""))
        validate_phone(value)
        return value

    def clean_photo(self):
        if self.upload_too_large:
            raise ValidationError(uploads.size_message())
        upload = self.cleaned_data.get("photo")
        return uploads.clean_photo(upload) if upload else None

    def clean_privacy_version(self) -> str:
        value = self.cleaned_data.get("privacy_version") or ""
        if value not in notices.NOTICES:
            raise ValidationError("隐私告知版本无效，请刷新页面后重新提交。")
        return value


class TrackForm(forms.Form):
    code = forms.CharField(
        label="查询码",
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "例如 ABCD-EFGH-JKMN",
            }
        ),
        error_messages={"required": "请输入查询码。"},
    )


# Triage -------------------------------------------------------------------------------------------------


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="答复内容（群众凭查询码可见）",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "请填写答复内容。"},
    )


class ForwardForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="承办单位", queryset=HandlingUnit.objects.none(), error_messages={"required": "请选择承办单位。"}
    )
    title = forms.CharField(label="事项标题", max_length=200, required=False, help_text="不填则取反映内容的第一句。")
    content = forms.CharField(
        label="转交内容",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="不填则转交群众反映的原文（不含姓名和电话）。",
    )
    due_on = forms.DateField(label="办理期限", required=False, widget=DateInput(), help_text="不填则为15个工作日。")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = org_selectors.active_unit_choices(user=user)
        self.fields["unit"].queryset = units
        use_search(self.fields["unit"], "active_unit")
        # The picker reads up to CHOICE_LIMIT + 1 units for their names alone (a province has hundreds, each with
        # its duties and region); the unit chosen is validated, and read whole, through the field's own queryset.
        self.fields["unit"].widget.choices.queryset = units.select_related(None).only("id", "name")


class CandidatePicker(forms.Widget):
    """Search as you type (htmx) over every merge candidate; shows the latest few before anything is typed.

    The choices are never all rendered: the form's field validates against the whole scoped queryset.
    """

    search_url = ""
    candidates: list[Any] = []

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> str:
        selected = str(value) if value not in (None, "") else ""
        return render_to_string(
            "opinions/_candidate_picker.html",
            {"name": name, "selected": selected, "candidates": self.candidates, "search_url": self.search_url},
        )

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label="合并到",
        queryset=Opinion.objects.none(),
        widget=CandidatePicker,
        help_text="输入查询码或内容中的几个字查找；只列出本辖区内未合并的意见。",
        error_messages={
            "required": "请选择要合并到的意见。",
            "invalid_choice": "所选意见不能作为合并目标（已合并、不在您的辖区或已不存在），请重新查找选择。",
        },
    )

    def __init__(self, *args: Any, user: Any, opinion: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        # Validated against every candidate in scope, never a slice of them.
        field.queryset = selectors.merge_candidates(user=user, opinion=opinion)
        candidates = selectors.merge_candidates_search(user=user, opinion=opinion)
        chosen = self.data.get("into") if self.is_bound else None
        if valid_id(chosen) and all(str(c.pk) != str(chosen) for c in candidates):
            candidates = list(field.queryset.filter(pk=chosen)) + candidates
        field.widget.candidates = candidates
        field.widget.search_url = reverse("opinions:merge_candidates", args=[opinion.pk])


class ProblemForm(forms.Form):
    deputy = DeputyChoice(label="提出代表", queryset=Deputy.objects.none(), required=False)
    category = forms.ModelChoiceField(label="分类", queryset=None, required=False)
    place = forms.CharField(label="地点", max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, opinion: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _opinion_deputy_field(self.fields["deputy"], user, opinion)
        self.fields["deputy"].initial = opinion.deputy_id
        self.fields["category"].queryset = category_choices(user=user, active=True)
        self.fields["place"].initial = opinion.station.name if opinion.station_id else ""


class SuggestionForm(forms.Form):
    deputy = DeputyChoice(label="领衔代表", queryset=Deputy.objects.none(), required=False)
    title = forms.CharField(label="建议标题", max_length=200, required=False, help_text="不填则取反映内容的第一句。")

    def __init__(self, *args: Any, user: Any, opinion: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _opinion_deputy_field(self.fields["deputy"], user, opinion)
        self.fields["deputy"].initial = opinion.deputy_id or user.deputy_id


def _opinion_deputy_field(field: forms.ModelChoiceField, user: Any, opinion: Any) -> None:
    deputy_search(field, _opinion_deputies(user, opinion))
    # The problem and the suggestion forms of the opinion's page pick among the same deputies: read them once.
    read_once(field.widget, vars(opinion).setdefault("_deputy_choices", {}))


def _opinion_deputies(user: Any, opinion: Any) -> QuerySet[Deputy]:
    """Deputies who could take the matter up: of the opinion's station, or the one it was addressed to."""
    qs = _scoped_deputies(user)
    if opinion.station_id:
        from deputyhome.deputies.models import GroupMembership, active_on

        members = GroupMembership.objects.filter(active_on(scopes.today()), group__station_id=opinion.station_id)
        ids = members.order_by().values("deputy_id")
        if opinion.deputy_id:
            # One IN over a union, not "IN (...) OR = addressee", which read every deputy of the province.
            ids = ids.union(Deputy.objects.filter(pk=opinion.deputy_id).order_by().values("pk"))
        return qs.filter(pk__in=ids)
    return qs


class OpinionRecordForm(forms.Form):
    """An opinion taken down in person (at a reception or a visit)."""

    channel = forms.ChoiceField(
        label="来源", choices=[c for c in Channel.choices if c[0] != Channel.ONLINE], initial=Channel.RECEPTION
    )
    station = forms.ModelChoiceField(label="家站", queryset=Station.objects.none(), required=False)
    deputy = DeputyChoice(label="反映给代表", queryset=Deputy.objects.none(), required=False)
    reception = forms.ModelChoiceField(label="接待记录", queryset=Reception.objects.none(), required=False)
    received_on = forms.DateField(
        label="收到日期", widget=DateInput(), required=False, help_text="不填则为接待日期或今天。"
    )
    content = forms.CharField(label="反映内容", widget=forms.Textarea(attrs={"rows": 5}), max_length=2000)
    name = forms.CharField(label="群众姓名", required=False, max_length=30)
    phone = forms.CharField(label="联系电话", required=False, max_length=20)

    def __init__(self, *args: Any, user: Any, reception: Reception | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = _scoped_stations(user)
        use_search(self.fields["station"], "station")
        deputy_search(self.fields["deputy"], _scoped_deputies(user))
        self.fields["reception"].queryset = selectors.reception_choices(user=user)
        self.fields["reception"].label_from_instance = selectors.reception_label
        use_search(self.fields["reception"], "reception")
        if reception is not None:
            self.fields["reception"].initial = reception.pk
            self.fields["station"].initial = reception.station_id
            self.fields["received_on"].initial = reception.date

    def clean(self):
        data = super().clean()
        if not (data.get("station") or data.get("deputy") or data.get("reception")):
            raise ValidationError("请选择意见反映到的家站或代表。")
        return data


# Receptions --------------------------------------------------------------------------------------------


class StationBoundForm(ScopedModelForm):
    """A form whose deputies are those of one station, when the station is known."""

    def __init__(self, *args: Any, station: Station | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = _scoped_stations(self.user)
        use_search(self.fields["station"], "station")
        station = station or (self.instance.station if self.instance.pk else None)
        deputies = _scoped_deputies(self.user)
        if station is not None:
            self.fields["station"].initial = station.pk
            ids = selectors.station_deputies(station=station, today=scopes.today()).order_by().values("pk")
            if self.instance.pk:  # and those who received then, though they left the station since
                # One IN over a union: "IN (station's) OR IN (chosen)" reads every deputy of the province.
                ids = ids.union(self.instance.deputies.order_by().values("pk"))
            deputies = deputies.filter(pk__in=ids)
        deputy_search(self.fields["deputies"], deputies)


class SlotForm(StationBoundForm):
    deputies = DeputyMultiChoice(label="接待代表", queryset=Deputy.objects.none(), required=False)
    weekday = forms.TypedChoiceField(
        label="每周固定接待日",
        choices=[("", "—（一次性接待请填接待日期）")] + list(Weekday.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = ReceptionSlot
        fields = ["station", "weekday", "date", "start_time", "end_time", "deputies", "notice", "is_active"]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "notice": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"date": "一次性接待填写日期，须至少提前2天公告；每周固定接待请选上面的接待日。"}


class ReceptionForm(StationBoundForm):
    deputies = DeputyMultiChoice(
        label="接待代表", queryset=Deputy.objects.none(), error_messages={"required": "请选择参加接待的代表。"}
    )

    class Meta:
        model = Reception
        fields = ["station", "date", "slot", "deputies", "voters_received", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = selectors.slot_choices(user=self.user)
        self.fields["slot"].required = False
        use_search(self.fields["slot"], "slot")


# Pairings and stories ---------------------------------------------------------------------------------


class PairingForm(ScopedModelForm):
    deputy = DeputyChoice(label="代表", queryset=Deputy.objects.none())

    class Meta:
        model = Pairing
        fields = ["deputy", "household", "village", "members", "since", "ended_on", "notes"]
        widgets = {"since": DateInput(), "ended_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        deputies = _scoped_deputies(self.user)
        if self.user.role == "deputy" and self.user.deputy_id:
            deputies = deputies.filter(pk=self.user.deputy_id)
            self.fields["deputy"].initial = self.user.deputy_id
        deputy_search(self.fields["deputy"], deputies)
        self.fields["village"].queryset = selectors.village_choices(user=self.user)
        use_search(self.fields["village"], "village")


class ContactForm(forms.Form):
    date = forms.DateField(label="联系日期", widget=DateInput())
    way = forms.ChoiceField(label="联系方式", choices=ContactWay.choices)
    notes = forms.CharField(label="联系情况", widget=forms.Textarea(attrs={"rows": 3}))


class StoryForm(ScopedModelForm):
    deputy = DeputyChoice(label="代表", queryset=Deputy.objects.none())
    figures = forms.CharField(
        label="数据",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一项，名称和数值用冒号分开，如：结对联系群众：496户1438人",
    )

    class Meta:
        model = ModelStory
        fields = ["deputy", "title", "text", "figures"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        deputy_search(self.fields["deputy"], _scoped_deputies(self.user))
        if self.instance.pk:
            self.initial["figures"] = "\n".join(f"{a}：{b}" for a, b in self.instance.figures or [])

    def clean_figures(self) -> list[list[str]]:
        out = []
        for n, line in enumerate((self.cleaned_data.get("figures") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            for sep in ("：", ":", "｜", "|"):
                if sep in line:
                    label, value = (x.strip() for x in line.split(sep, 1))
                    break
            else:
                label, value = line, ""
            if not label or not value:
                raise ValidationError(f"第{n}行“{line}”：请写成“名称：数值”，如“调解成功率：98%”。")
            out.append([label, value])
        return out
