from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from deputyhome.core.forms import DateInput, ScopedModelForm
from deputyhome.core.uploads import check_photo
from deputyhome.organisation import selectors as org_selectors

from .choices import EDUCATIONS, PARTIES, MandateStatus
from .models import Deputy, GroupMembership, Mandate
from .roster_columns import PARTICULARS
from .validators import normalise_id_number, normalise_phone, validate_id_number, validate_phone


class DeputyForm(ScopedModelForm):
    party = forms.ChoiceField(label="政治面貌", choices=[(p, p) for p in PARTIES])
    education = forms.ChoiceField(label="文化程度", choices=[("", "—")] + [(e, e) for e in EDUCATIONS], required=False)

    class Meta:
        model = Deputy
        fields = [
            "name",
            *PARTICULARS,
            "id_number",
            "address",
            "photo",
        ]
        widgets = {"birth_date": DateInput()}
        help_texts = {
            "id_number": "18位居民身份证号码，末位X大小写均可",
            "phone": "手机号11位，或固定电话如 0718-8888888",
        }

    def clean_id_number(self) -> str:
        value = normalise_id_number(self.cleaned_data.get("id_number", ""))
        validate_id_number(value)
        clash = Deputy.objects.filter(id_number=value).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise forms.ValidationError("该身份证号已登记为另一名代表。")
        return value

    def clean_phone(self) -> str:
        value = normalise_phone(self.cleaned_data.get("phone", ""))
        validate_phone(value)
        return value

    def clean_photo(self):
        """A new photo must be a JPG, PNG, GIF or WEBP image of sane size (Pillow already checked it is an image)."""
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            check_photo(photo)
        return photo

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        id_number, born = data.get("id_number"), data.get("birth_date")
        if id_number and born and id_number[6:12] != f"{born:%Y%m}":
            self.add_error("birth_date", "出生年月与身份证号中的出生日期不一致。")
        return data


class _DeputyRecordForm(ScopedModelForm):
    """A dated record of one deputy (a mandate, a membership): of the deputy given, or the record's own; its
    end date (where given) not before its start date, else `end_before_start`."""

    end_before_start = ""

    def __init__(self, *args: Any, deputy: Deputy | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deputy = deputy or self.instance.deputy

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", self.end_before_start)
        return data


class MandateForm(_DeputyRecordForm):
    search_choices = {"congress": (org_selectors.congress_choices, "congress")}  # a province has a thousand
    end_before_start = "任期终止日期不能早于开始日期。"

    class Meta:
        model = Mandate
        fields = ["congress", "constituency", "start_date", "end_date", "status", "end_reason"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        help_texts = {"status": "终止后，该代表如不再担任其他人大代表，于任期终止日退出所在代表小组"}

    def clean(self) -> dict[str, Any]:
        end = self.cleaned_data.get("end_date")  # read before the date check drops a date out of order
        data = super().clean()
        if data.get("status") == MandateStatus.ENDED:
            if not end:
                self.add_error("end_date", "终止代表资格须填写任期终止日期。")
            if not data.get("end_reason"):
                self.add_error("end_reason", "请选择终止原因。")
        congress = data.get("congress")
        if (
            congress
            and Mandate.objects.filter(deputy=self.deputy, congress=congress).exclude(pk=self.instance.pk).exists()
        ):
            self.add_error("congress", "该代表在这一届人大已有代表资格记录。")
        return data


class MembershipForm(_DeputyRecordForm):
    search_choices = {"group": (org_selectors.group_choices, "group")}
    end_before_start = "退出日期不能早于加入日期。"

    class Meta:
        model = GroupMembership
        fields = ["group", "role", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class TermChangeForm(forms.Form):
    """换届: the new congress's term, name and first day (`term_change`)."""

    term = forms.IntegerField(label="新一届届次", min_value=1, max_value=99, help_text="如第十二届填 12")
    name = forms.CharField(
        label="新一届名称",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"size": 36}),
        help_text="留空则按届次生成，如“恩施市第十二届人民代表大会”",
    )
    start_date = forms.DateField(
        label="新一届第一次会议开幕日期",
        widget=DateInput(),
        help_text="本届代表的任期截至前一日；开幕后办理，不能晚于今天",
    )
