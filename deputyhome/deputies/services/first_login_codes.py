"""首次登录短信验证's writes (the check itself, its page and its gate are `deputies.first_login`): a code sent to the
phone on the deputy's record, and a code typed. Six digits, valid 10 minutes, 5 wrong tries; a new one after a minute,
at most 5 a day. Only a keyed digest is stored (`FirstLoginCode`); every sending and every try is audited."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from deputyhome.accounts.models import User
from deputyhome.audit.services import record
from deputyhome.core.masking import mask_phone
from deputyhome.notifications.services import sms_backend

from ..models import FirstLoginCode

CODE_LIFETIME = datetime.timedelta(minutes=10)
RESEND_AFTER = datetime.timedelta(seconds=60)
SENDS_PER_DAY = 5
TRIES = 5
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


def _digest(user: Any, code: str) -> str:
    return salted_hmac("deputyhome.first_login_code", f"{user.pk}:{code}", algorithm="sha256").hexdigest()


def live_code(user: Any, now: datetime.datetime) -> FirstLoginCode | None:
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
        live = live_code(user, now)
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
