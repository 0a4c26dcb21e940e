"""The second factor (TOTP) for staff and administrators: enrolment, verification, backup codes.

Staff and administrator roles (choices.STAFF_ROLES) must verify a time-based one-time password
after their password, every session. Their first login leads to enrolment: a secret shown as a QR
code (made here, no outside service), confirmed with a first code, and ten one-time backup codes
shown once. `OTP_REQUIRED` (settings) turns the requirement off only for the local demo and for
tests that do not test it.
"""

from __future__ import annotations

import base64
import io
import logging
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken

from deputyhome.audit.services import record
from deputyhome.core.crud import render_form

from .gates import Gate
from .otp_devices import EncryptedTOTPDevice, HashedStaticDevice, OTPKeyError
from .otp_services import otp_backup_codes_reissue, otp_enrol_confirm, otp_enrol_start

log = logging.getLogger(__name__)
KEY_ERROR = _("动态验证码密钥无法读取（服务器密钥已更换或数据被改动），本次登录不能完成验证。请联系安全管理员。")

# The password change waits for the second factor: whoever knows only a one-time password gets no further.
EXEMPT = {
    "accounts:login",
    "accounts:logout",
    "accounts:otp_setup",
    "accounts:otp_verify",
}


def otp_required(user) -> bool:
    return bool(getattr(settings, "OTP_REQUIRED", True)) and user.is_authenticated and user.is_staff_role


class OTPRequiredMiddleware(Gate):
    """After django_otp's OTPMiddleware: staff who have not verified this session go to verify or enrol."""

    exempt = EXEMPT

    def holds(self, request: HttpRequest, user: Any) -> bool:
        return otp_required(user) and not user.is_verified()

    def redirect(self, request: HttpRequest, user: Any) -> HttpResponse:
        target = "accounts:otp_verify" if user_has_device(user, confirmed=True) else "accounts:otp_setup"
        return HttpResponseRedirect(f"{reverse(target)}?next={request.get_full_path()}")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="动态验证码",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _safe_next(request: HttpRequest) -> str:
    nxt = request.GET.get("next") or request.POST.get("next") or ""
    # Browsers read "/\\evil.example" as "//evil.example": Django's check knows such tricks.
    safe = nxt.startswith("/") and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return nxt if safe else reverse("core:dashboard")


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    image.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def backup_codes_left(user) -> int:
    """How many of the user's backup codes are still unused."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_staff_role:
        raise Http404
    if user_has_device(user, confirmed=True) and not user.is_verified():
        return HttpResponseRedirect(reverse("accounts:otp_verify"))
    device = otp_enrol_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = otp_enrol_confirm(user=user, device=device, code=form.cleaned_data["code"].strip())
        if codes is not None:
            otp_login(request, device)
            return render(
                request,
                "accounts/otp_backup_codes.html",
                {"codes": codes, "next": _safe_next(request), "title": "备用码"},
            )
        form.add_error("code", "验证码不正确，请核对手机上的时间后重试。")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render_form(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "secret": secret,
            "next": _safe_next(request),
            "title": "绑定动态验证码",
        },
    )


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        unreadable = False
        for device in [
            *EncryptedTOTPDevice.objects.filter(user=user, confirmed=True),
            *HashedStaticDevice.objects.filter(user=user, confirmed=True),
        ]:
            try:
                verified = device.verify_token(code)
            except OTPKeyError:
                unreadable, verified = True, False
            if verified:
                otp_login(request, device)
                kind = "备用码" if isinstance(device, HashedStaticDevice) else "动态验证码"
                record(actor=user, action="auth.otp_verify", obj=user, detail=kind)
                if isinstance(device, HashedStaticDevice):
                    messages.warning(
                        request,
                        f"您用了一个备用码登录，还剩{backup_codes_left(user)}个。找回手机后，可在“修改密码”页重新生成备用码。",
                    )
                return HttpResponseRedirect(_safe_next(request))
        if unreadable:
            # Fail closed: no second factor is accepted without a key that decrypts.
            log.error("TOTP key of user %s does not decrypt with FIELD_ENCRYPTION_KEY; login refused", user.username)
            record(actor=user, action="auth.otp_verify", obj=user, success=False, detail="动态验证码密钥无法解密")
            form.add_error("code", KEY_ERROR)
        else:
            record(actor=user, action="auth.otp_verify", obj=user, success=False, detail="验证码错误")
            form.add_error("code", "验证码不正确。")
    return render_form(
        request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request), "title": "双因素认证"}
    )


@login_required
def otp_backup_codes(request: HttpRequest) -> HttpResponse:
    """备用码: how many are left, and ten new ones (the old ones void) for a current code from the phone."""
    user = request.user
    if not user.is_staff_role:
        raise Http404
    if not EncryptedTOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return HttpResponseRedirect(reverse("accounts:otp_setup"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = otp_backup_codes_reissue(user=user, code=form.cleaned_data["code"].strip())
        except OTPKeyError:
            log.error("TOTP key of user %s does not decrypt with FIELD_ENCRYPTION_KEY", user.username)
            record(actor=user, action="auth.otp_backup_codes", obj=user, success=False, detail="动态验证码密钥无法解密")
            form.add_error("code", KEY_ERROR)
        else:
            if codes is not None:
                return render(
                    request,
                    "accounts/otp_backup_codes.html",
                    {"codes": codes, "next": reverse("core:dashboard"), "title": "备用码", "reissued": True},
                )
            form.add_error("code", "动态验证码不正确（备用码不能用于这一步），请核对手机上的时间后重试。")
    return render_form(
        request,
        "accounts/otp_backup_codes_reissue.html",
        {"form": form, "left": backup_codes_left(user), "title": "重新生成备用码"},
    )
