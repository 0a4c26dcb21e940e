"""首次登录短信验证: before a deputy's account changes its one-time password, it proves it holds the deputy's phone.

A one-time password (a 开通单's, or one an administrator typed) passes through other hands: the system
administrator who made it, the officer who hands the slip over. Whoever holds it could sign in before the deputy.
So an account tied to a deputy, while its password is a one-time one, may do nothing but ask for a code sent to the
phone on the deputy's record and type it; then the password change (`accounts.security`) follows as before. The
phone on the record is kept by the committee's officers, the passwords by the system administrator (三员分立):
neither alone can take a deputy's account. A deputy without a phone on the record signs in as before; the pages of
开通代表账号 say who they are. Decision 145.

The code (six digits, valid 10 minutes, 5 wrong tries; a new one after a minute, at most 5 a day) is sent and
checked by `services/first_login_codes.py`; this module holds the gate and the page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import checks
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from deputyhome.accounts.gates import Gate
from deputyhome.core.crud import render_form
from deputyhome.core.masking import mask_phone

from .services.first_login_codes import code_send, code_verify, live_code, phone_to_check

SESSION_KEY = "first_login_phone_checked"


def checked(request: HttpRequest) -> bool:
    """This session's account has typed its code (or needs none)."""
    return request.session.get(SESSION_KEY) == request.user.pk or not phone_to_check(request.user)


def sms_gateway_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy`: the codes need a gateway; the default backend writes them to the server's log, where the
    deputy never reads them and an administrator could."""
    backend = getattr(settings, "SMS_BACKEND", "") or "LoggingSmsBackend"
    found: list[checks.CheckMessage] = []
    if settings.FIRST_LOGIN_SMS and not settings.DEBUG and backend.endswith("LoggingSmsBackend"):
        found.append(
            checks.Warning(
                "首次登录短信验证已开启（FIRST_LOGIN_SMS），但没有配置短信网关（SMS_BACKEND）：验证码只写入服务器日志。",
                hint="把 SMS_BACKEND 设为 deputyhome.notifications.services.HttpSmsBackend 并配置 SMS_GATEWAY_URL，"
                "或设为自己的发送类；确实没有短信网关时，设 FIRST_LOGIN_SMS=0 关闭首次登录短信验证。",
                id="deputies.W001",
            )
        )
    url = getattr(settings, "SMS_GATEWAY_URL", "")
    if backend.endswith("HttpSmsBackend") and not url.startswith(("https://", "http://")):
        found.append(
            checks.Error(
                "SMS_BACKEND 是 HttpSmsBackend，但 SMS_GATEWAY_URL 没有配置成 http(s) 地址：短信一条也发不出。",
                hint="设置 SMS_GATEWAY_URL（短信平台接收 JSON 的地址）和 SMS_GATEWAY_TOKEN。",
                id="deputies.E001",
            )
        )
    return found


# The middleware and the page ------------------------------------------------------------------------------------

EXEMPT = {"accounts:login", "accounts:logout", "deputies:first_login"}


class FirstLoginCheckMiddleware(Gate):
    """After the second factor, before the password change: an account that must prove it holds the deputy's phone
    goes to the code page, and nowhere else (the public pages excepted)."""

    exempt = EXEMPT

    def holds(self, request: HttpRequest, user: Any) -> bool:
        # One attribute read for everybody but the few accounts with a one-time password.
        return bool(user.password_one_time_until) and not checked(request)

    def redirect(self, request: HttpRequest, user: Any) -> HttpResponse:
        return HttpResponseRedirect(reverse("deputies:first_login"))


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="短信验证码",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "验证码是6位数字。", "required": "请输入短信验证码。"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "6"}),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def first_login(request: HttpRequest) -> HttpResponse:
    """首次登录验证: 获取验证码 (POST action=send) and 验证 (POST with the code)."""
    user = request.user
    if checked(request):
        return HttpResponseRedirect(reverse("core:dashboard"))
    form = CodeForm(request.POST if request.POST.get("action") == "verify" else None)
    if request.method == "POST" and request.POST.get("action") == "send":
        sending = code_send(user=user)
        if sending.refusal:
            messages.error(request, sending.refusal)
        else:
            messages.success(request, f"验证码已发送至{sending.masked}，10分钟内有效。")
        return HttpResponseRedirect(reverse("deputies:first_login"))
    if form.is_bound and form.is_valid():
        error = code_verify(user=user, code=form.cleaned_data["code"].strip())
        if not error:
            request.session[SESSION_KEY] = user.pk
            return HttpResponseRedirect(reverse("core:dashboard"))  # on to the password change
        form.add_error("code", error)
    sent = live_code(user, timezone.now()) is not None
    return render_form(
        request,
        "deputies/first_login.html",
        {"form": form, "title": "首次登录验证", "masked": mask_phone(phone_to_check(user)), "sent": sent},
    )
