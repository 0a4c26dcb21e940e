"""Login hardening: session timeouts, password rules (the lock by username after repeated failures:
`login_services`).

Numbers (GB/T 22239-2019 level 3, see docs/security.md): 5 failures within 15 minutes lock the
username for 30 minutes, whatever the client address; sessions end after 30 idle minutes and at
the latest 12 hours after login; staff and administrators change their password every 90 days.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from deputyhome.audit.services import record

from .gates import Gate

IDLE_TIMEOUT = datetime.timedelta(minutes=30)
ABSOLUTE_TIMEOUT = datetime.timedelta(hours=12)
PASSWORD_MAX_AGE = datetime.timedelta(days=90)


def password_expired(user: Any) -> bool:
    if not user.is_staff_role:
        return False
    changed = user.password_changed_at or user.date_joined
    return changed < timezone.now() - PASSWORD_MAX_AGE


class SessionTimeoutMiddleware:
    """Ends a session after 30 idle minutes or 12 hours."""

    EXEMPT = (
        "accounts:login",
        "accounts:logout",
        "accounts:password_change",
        "accounts:otp_setup",
        "accounts:otp_verify",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.setdefault("login_at", now)
            last = request.session.get("last_seen", now)
            if now - last > IDLE_TIMEOUT.total_seconds() or now - started > ABSOLUTE_TIMEOUT.total_seconds():
                reason = "长时间未操作" if now - last > IDLE_TIMEOUT.total_seconds() else "登录已超过12小时"
                record(actor=user, action="auth.session_expired", obj=user, detail=reason)
                logout(request)
                messages.info(request, f"{reason}，请重新登录。")
                return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            if now - last > 60:  # write the session at most once a minute
                request.session["last_seen"] = now
        return self.get_response(request)


def must_change_password(user: Any) -> str:
    """Why the user must change their password before anything else; "" if they need not."""
    if user.password_one_time_until:
        return "您的密码是管理员设置的一次性密码，请先修改密码。"
    if password_expired(user):
        return "您的密码已超过90天未修改，请先修改密码。"
    return ""


class PasswordChangeRequiredMiddleware(Gate):
    """After the second factor: a one-time or old password leads to the change-password page, and nowhere else."""

    # 首次登录验证 (deputies.first_login, the middleware before this one) comes before the password change.
    exempt = (*SessionTimeoutMiddleware.EXEMPT, "deputies:first_login")

    def holds(self, request: HttpRequest, user: Any) -> bool:
        return bool(must_change_password(user))

    def redirect(self, request: HttpRequest, user: Any) -> HttpResponse:
        messages.warning(request, must_change_password(user))
        return HttpResponseRedirect(reverse("accounts:password_change"))


# Passwords -----------------------------------------------------------------------------------------------

# Common Chinese-context passwords on top of Django's list of 20,000.
LOCAL_BLOCKLIST = {
    "a1234567",
    "a12345678",
    "aa123456",
    "abc12345",
    "abc123456",
    "woaini1314",
    "qwer1234",
    "1qaz2wsx",
    "1q2w3e4r",
    "zxcv1234",
    "p@ssw0rd",
    "password1",
    "admin123",
    "admin@123",
    "enshi123",
    "renda123",
    "daibiao123",
    "88888888",
    "11111111",
    "66666666",
    "12345678",
    "123456789",
    "87654321",
    "520131400",
}


class LocalBlocklistValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if password.lower() in LOCAL_BLOCKLIST:
            raise ValidationError("这个密码太常见，请换一个。", code="password_too_common")

    def get_help_text(self) -> str:
        return "不能使用常见的弱密码。"


class StaffComplexityValidator:
    """Staff and administrators: at least three of lower case, upper case, digits and symbols."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "is_staff_role", False):
            return
        classes = sum(bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"))
        if classes < 3:
            raise ValidationError(
                "工作人员和管理员的密码须至少包含小写字母、大写字母、数字、符号中的三类。", code="password_too_simple"
            )

    def get_help_text(self) -> str:
        return "工作人员和管理员的密码须至少包含小写字母、大写字母、数字、符号中的三类。"
