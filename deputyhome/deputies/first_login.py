"""首次登录短信验证: before a deputy's account changes its one-time password, it proves it holds the deputy's phone.

A one-time password (a 开通单's, or one an administrator typed) passes through other hands: the system
administrator who made it, the officer who hands the slip over. Whoever holds it could sign in before the deputy.
So an account tied to a deputy, while its password is a one-time one, may do nothing but ask for a code sent to the
phone on the deputy's record and type it; then the password change (`accounts.security`) follows as before. The
phone on the record is kept by the committee's officers, the passwords by the system administrator (三员分立):
neither alone can take a deputy's account. A deputy without a phone on the record signs in as before; the pages of
开通代表账号 say who they are. Decision 145.

The code: six digits, valid 10 minutes, 5 wrong tries; a new one after a minute, at most 5 a day. Only a keyed
digest is stored (`FirstLoginCode`); every sending and every try is audited.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import checks
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from deputyhome.accounts.gates import Gate
from deputyhome.accounts.models import User
from deputyhome.audit.services import record
from deputyhome.core.crud import render_form
from deputyhome.core.masking import mask_phone
from deputyhome.notifications.services import sms_backend

from .models import FirstLoginCode

CODE_LIFETIME = datetime.timedelta(minutes=10)
RESEND_AFTER = datetime.timedelta(seconds=60)
SENDS_PER_DAY = 5
TRIES = 5
SESSION_KEY = "first_login_phone_checked"
SENT = "auth.first_login_code"
CHECKED = "auth.first_login_check"


def phone_to_check(user: Any) -> str:
    """The phone a first login's code goes to; "" when the account needs no check (no one-time password, not a
    deputy's, staff with their own second factor, no phone on the record, or the check turned off)."""
    if not (getattr(settings, "FIRST_LOGIN_SMS", True) and user.is_authenticated):
        return ""
    if not user.password_one_time_until or not user.deputy_id or user.is_staff_role:
        return ""
    return user.deputy.phone or ""


def checked(request: HttpRequest) -> bool:
    """This session's account has typed its code (or needs none)."""
    return request.session.get(SESSION_KEY) == request.user.pk or not phone_to_check(request.user)


def _digest(user: Any, code: str) -> str:
    return salted_hmac("deputyhome.first_login_code", f"{user.pk}:{code}", algorithm="sha256").hexdigest()


def _live(user: Any, now: datetime.datetime):
    """The account's code that may still be typed: the newest, unused, in its lifetime, not tried out."""
    latest = FirstLoginCode.objects.filter(user=user, used_at__isnull=True).order_by("-sent_at", "-pk").first()
    if latest is None or latest.sent_at <= now - CODE_LIFETIME or latest.tries >= TRIES:
        return None
    return latest


@dataclass(frozen=True)
class Sending:
    """What came of asking for a code: sent (to `masked`), or refused with `refusal`."""

    masked: str
    refusal: str = ""


def code_send(*, user: Any) -> Sending:
    """Send a new code to the phone on the deputy's record (the earlier ones void), unless one was sent less than a
    minute ago or five today. The code row and its audit row are written together; a gateway failure writes
    neither and says so."""
    phone = phone_to_check(user)
    if not phone:
        return Sending("", "该账号不需要短信验证。")
    masked = mask_phone(phone)
    now = timezone.now()
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))  # one sending at a time per account
        today = FirstLoginCode.objects.filter(user=user, sent_at__gt=now - datetime.timedelta(days=1))
        last = today.order_by("-sent_at").values_list("sent_at", flat=True).first()
        if last and now - last < RESEND_AFTER:
            wait = int((RESEND_AFTER - (now - last)).total_seconds()) + 1
            return Sending(masked, f"验证码刚刚已发送，请{wait}秒后再重新获取。")
        if today.count() >= SENDS_PER_DAY:
            record(actor=user, action=SENT, obj=user, success=False, detail="24小时内已发送5次，拒绝再发")
            return Sending(masked, "24小时内已发送5次验证码，请明天再试，或联系所在乡镇（街道）人大核对手机号。")
        code = f"{secrets.randbelow(10**6):06d}"
        FirstLoginCode.objects.filter(user=user, used_at__isnull=True).update(tries=TRIES)  # the earlier ones void
        FirstLoginCode.objects.create(user=user, digest=_digest(user, code), sent_at=now)
        record(actor=user, action=SENT, obj=user, detail=f"首次登录验证码已发送至{masked}")
        try:
            sms_backend().send(
                phone=phone,
                text=f"【代表之家】您的首次登录验证码为{code}，{CODE_LIFETIME.seconds // 60}分钟内有效。"
                "请勿告诉任何人，包括交给您开通单的工作人员。",
            )
        except Exception as exc:  # noqa: BLE001 - the gateway's failure is the user's answer, not a 500
            transaction.set_rollback(True)
            failed = str(exc)[:200]
        else:
            return Sending(masked)
    record(actor=user, action=SENT, obj=user, success=False, detail=f"短信发送失败：{failed}")
    return Sending(masked, "短信发送失败，请稍后再试；多次失败请联系所在乡镇（街道）人大。")


def code_verify(*, user: Any, code: str) -> str:
    """Check the code typed; "" when right (the code used up), else what is wrong. Every try is audited."""
    now = timezone.now()
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        live = _live(user, now)
        if live is None:
            record(actor=user, action=CHECKED, obj=user, success=False, detail="验证码已失效或未获取")
            return "验证码已失效（10分钟内有效，错误5次作废）或还没有获取，请重新获取验证码。"
        if not constant_time_compare(live.digest, _digest(user, code)):
            live.tries += 1
            live.save(update_fields=["tries"])
            record(actor=user, action=CHECKED, obj=user, success=False, detail=f"验证码错误（第{live.tries}次）")
            left = TRIES - live.tries
            return f"验证码不正确，还可再试{left}次。" if left else "验证码错误已达5次，此验证码作废，请重新获取。"
        live.used_at = now
        live.save(update_fields=["used_at"])
        record(actor=user, action=CHECKED, obj=user, detail="首次登录短信验证通过")
    return ""


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
    sent = _live(user, timezone.now()) is not None
    return render_form(
        request,
        "deputies/first_login.html",
        {"form": form, "title": "首次登录验证", "masked": mask_phone(phone_to_check(user)), "sent": sent},
    )
