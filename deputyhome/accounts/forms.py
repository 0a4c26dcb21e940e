from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password

from deputyhome.core.forms import ScopedModelForm

from .choices import Role
from .models import User

# Which anchor each role needs, and what it must be.
ANCHOR = {
    Role.TOWNSHIP_OFFICER: ("region", "乡镇（街道）人大工作人员须选择所属乡镇（街道）。"),
    Role.GROUP_LEADER: ("group", "代表小组组长须选择所属小组。"),
    Role.LIAISON_OFFICER: ("group", "联络员须选择所属小组。"),
    Role.DEPUTY: ("deputy", "人大代表账号须关联代表本人。"),
    Role.UNIT_CLERK: ("unit", "承办单位经办人须选择承办单位。"),
}


# The anchors each role may carry (a group leader or liaison officer may also be a deputy).
USED_ANCHORS = {
    Role.CITY_OFFICER: ("region",),
    Role.TOWNSHIP_OFFICER: ("region",),
    Role.GROUP_LEADER: ("group", "deputy"),
    Role.LIAISON_OFFICER: ("group", "deputy"),
    Role.DEPUTY: ("deputy",),
    Role.UNIT_CLERK: ("unit",),
}


class AccountForm(ScopedModelForm):
    """The system administrator's form: the account itself, never its role."""

    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text="新建账号时必填；编辑时留空则不修改。这是一次性密码：用户须在首次登录时修改，72小时后失效；"
        "关联代表本人的账号，首次登录还须输入发到代表登记手机的验证码。",
    )

    class Meta:
        model = User
        fields = ["username", "display_name", "is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.instance.pk and not data.get("password"):
            self.add_error("password", "新建账号须设置初始密码。")
        if data.get("password") and self.instance.pk and self.instance.pk == self.user.pk:
            self.add_error("password", "请在“修改密码”页修改自己的密码。")
        elif data.get("password"):
            try:
                validate_password(data["password"], self.instance)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class RoleForm(ScopedModelForm):
    """The security administrator's form: the role and the anchor of the data scope."""

    class Meta:
        model = User
        fields = ["role", "region", "group", "deputy", "unit"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The anchors' models belong to the apps above accounts: narrowed from the fields' own querysets.
        self.fields["region"].queryset = self.fields["region"].queryset.filter(code__regex=r"^\d{6}(\d{3})?$")
        self.fields["group"].queryset = self.fields["group"].queryset.order_by("name")
        self.fields["deputy"].widget = forms.NumberInput()
        self.fields["deputy"].help_text = "代表编号（见“申请开通代表账号”的通知，或代表详情页地址中的数字）"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role = data.get("role")
        if role in ANCHOR:
            field, message = ANCHOR[role]
            if not data.get(field):
                self.add_error(field, message)
        if role == Role.TOWNSHIP_OFFICER and data.get("region") and len(data["region"].code) != 9:
            self.add_error("region", "请选择乡镇级区域。")
        if self.instance.pk == self.user.pk:
            self.add_error("role", "不能修改自己的角色。")
        # Anchors that the role does not use are cleared, so a scope never lingers.
        for field in ("region", "group", "deputy", "unit"):
            if field not in USED_ANCHORS.get(role, ()):
                data[field] = None
        return data
