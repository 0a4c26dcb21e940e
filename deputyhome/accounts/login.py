"""The login and password-change pages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from deputyhome.core.crud import render_form

from . import services
from .login_services import is_locked, login_failure_record, login_refusal_record

GENERIC_ERROR = "用户名或密码不正确。连续5次错误后，账号将被锁定30分钟。"


class LockingAuthenticationForm(AuthenticationForm):
    """Refuses a locked username before checking the password; one message for every failure."""

    error_messages = {**AuthenticationForm.error_messages, "invalid_login": GENERIC_ERROR, "inactive": GENERIC_ERROR}

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and is_locked(username):
            login_refusal_record(username=username, action="auth.login_refused", detail="账号锁定期间尝试登录")
            raise forms.ValidationError(GENERIC_ERROR, code="invalid_login")
        try:
            return super().clean()
        except forms.ValidationError:
            if username:
                login_failure_record(username=username)
            raise

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if services.one_time_password_expired(user):
            login_refusal_record(
                username=user.get_username(), action="auth.login_refused", detail="一次性密码已过期", user_pk=user.pk
            )
            raise forms.ValidationError(
                "初始密码已过期（管理员设置的一次性密码须在有效期内首次登录并修改：管理员输入的72小时，开通单上的14天）。请联系管理员重新设置。",
                code="password_expired",
            )


class DeputyHomeLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LockingAuthenticationForm


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(user=request.user, password=form.cleaned_data["new_password1"], actor=request.user)
        request.user.refresh_from_db()
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改。")
        return HttpResponseRedirect(reverse("core:dashboard"))
    return render_form(request, "accounts/password_change.html", {"form": form, "title": "修改密码"})
