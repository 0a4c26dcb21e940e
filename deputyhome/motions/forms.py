"""Forms of sessions, delegations and motions; the services check again everything that matters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from deputyhome.core.fields import IdMultipleChoiceField
from deputyhome.core.forms import DateInput, ScopedModelForm
from deputyhome.core.widgets import use_search
from deputyhome.deputies.models import Deputy
from deputyhome.organisation.models import Congress
from deputyhome.organisation.selectors import current_congress_choices, townships
from deputyhome.suggestions.forms import DeputyPicker, picked_deputies
from deputyhome.suggestions.selectors import picker_deputies

from .choices import Decision, MotionKind
from .models import Delegation, DelegationMember, MotionRules


class MotionForm(forms.Form):
    """A deputy's draft: the session, how it is filed, the one matter (案由、案据、方案) and the co-signers."""

    session = forms.ModelChoiceField(label="会议", queryset=None, empty_label=None)
    kind = forms.ChoiceField(
        label="提出方式",
        choices=MotionKind.choices,
        initial=MotionKind.JOINT,
        widget=forms.RadioSelect,
        help_text="以代表团名义提出须为代表团团长",
    )
    title = forms.CharField(label="案由", max_length=200, help_text="议案的标题，一案一事，例如：关于……的议案")
    grounds = forms.CharField(
        label="案据",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="提出的理由和依据；提出前须填写",
    )
    plan = forms.CharField(
        label="方案",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="解决问题的具体方案；提出前须填写",
    )
    cosigners = IdMultipleChoiceField(
        label="联名代表",
        queryset=Deputy.objects.none(),
        required=False,
        widget=DeputyPicker(search_url="motions:deputy_search", include="[name='session']"),
        help_text="输入姓名（至少2个字）搜索本次会议的代表，可选多人；联名代表须在截止时间前确认。以代表团名义提出的不填",
    )

    def __init__(self, *args: Any, sessions, author_id: int | None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.author_id = author_id
        self.fields["session"].queryset = sessions
        if editing:  # a draft keeps its session (still there for the co-signers' search) and its way of filing
            self.fields["session"].widget = forms.HiddenInput()
            self.fields["session"].required = False
            del self.fields["kind"]
        choices = picker_deputies()
        self.fields["cosigners"].queryset = choices
        self.fields["cosigners"].picked = picked_deputies(self["cosigners"], choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lead = next((d for d in data.get("cosigners") or [] if d.pk == self.author_id), None)
        if lead is not None:
            self.add_error("cosigners", f"领衔代表不能同时作为联名代表：{lead.name}。请从联名代表中去掉。")
        if data.get("kind") == MotionKind.DELEGATION and data.get("cosigners"):
            self.add_error("cosigners", "以代表团名义提出的议案不需要联名代表。")
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


YES_NO = [("1", "是"), ("0", "否")]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="1"
    )


class CheckForm(forms.Form):
    """The secretariat's check: the signers and the timing are counted by the service; the scope is judged here."""

    within_powers = _yes_no("属于本级人民代表大会职权范围")
    single_matter = _yes_no("一案一事，有案由、案据和方案")
    note = forms.CharField(
        label="审查意见",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="不属于职权范围的，请说明（例如：属于政府的行政事务）",
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label="主席团决定", choices=Decision.choices, widget=forms.RadioSelect)
    decided_on = forms.DateField(label="决定日期", widget=DateInput())
    committee = forms.CharField(
        label="交付审议的专门委员会",
        max_length=100,
        required=False,
        help_text="列入会议议程的必填，例如：财政经济委员会",
    )
    note = forms.CharField(
        label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="不列入会议议程的须说明理由"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == Decision.ON_AGENDA and not (data.get("committee") or "").strip():
            self.add_error("committee", "列入会议议程的议案须写明交付审议的专门委员会。")
        if data.get("decision") == Decision.NOT_ON_AGENDA and not (data.get("note") or "").strip():
            self.add_error("note", "不列入会议议程的议案须说明理由。")
        return data


class ReportForm(forms.Form):
    reported_on = forms.DateField(label="报告日期", widget=DateInput())
    report = forms.CharField(label="审议结果报告", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()


class DelegationForm(ScopedModelForm):
    search_choices = {"region": (townships, "township")}

    class Meta:
        model = Delegation
        fields = ["name", "region"]


class MemberForm(ScopedModelForm):
    # The delegation's session, for the deputy search (the deputies of that session's congress).
    session = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = DelegationMember
        fields = ["deputy", "role", "start_date", "end_date"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "deputy": DeputyPicker(multiple=False, search_url="motions:deputy_search", include="[name='session']"),
        }

    def __init__(self, *args: Any, delegation: Delegation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["deputy"], self.fields["session"]
            return
        if delegation is not None:
            self.initial["session"] = delegation.session_id
        choices = picker_deputies()
        self.fields["deputy"].queryset = choices
        self.fields["deputy"].help_text = "输入姓名（至少2个字）搜索后选择"
        self.fields["deputy"].picked = picked_deputies(self["deputy"], choices)
        if delegation is not None:
            self.initial.setdefault("start_date", delegation.session.start_date)


class RulesForm(ScopedModelForm):
    class Meta:
        model = MotionRules
        fields = ["congress", "min_signers", "review_months"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        congress = self.fields["congress"]
        if self.instance.pk:
            # A rule's congress is fixed: shown, not chosen again.
            congress.queryset = Congress.objects.filter(pk=self.instance.congress_id)
            congress.disabled = True
        else:
            # The current congresses: a province has a thousand (searched as you type).
            congress.queryset = current_congress_choices(user=self.user)
            use_search(congress, "current_congress")


class LeaveForm(forms.Form):
    """A deputy's request for leave from a session (请假)."""

    reason = forms.CharField(
        label="请假事由",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写请假事由。", "max_length": "请假事由不能超过200字。"},
    )
