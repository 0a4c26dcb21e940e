"""Sending notifications: in the site always, by e-mail when the user has an address, by SMS through a backend.

Every message sent is a Notification row. A non-empty `key` makes sending idempotent: the same
key for the same user and channel is sent once, however often a scheduled command runs.

Settings:
    SMS_BACKEND   dotted path of a class with `send(*, phone, text)`; HttpSmsBackend posts to an SMS
                  platform (SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN); default LoggingSmsBackend,
                  which only writes the (masked) number and the text to the log (the tests' default is
                  LocmemSmsBackend, which keeps them in `outbox`).
    SITE_URL      e.g. "https://daibiao.example.gov.cn"; when set, links in e-mails are absolute.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.request
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from deputyhome.accounts.choices import Role
from deputyhome.audit.services import record
from deputyhome.core.masking import mask_phone

from .models import Channel, Notification, NumberSms

log = logging.getLogger(__name__)

DEFAULT_SMS_BACKEND = "deputyhome.notifications.services.LoggingSmsBackend"


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class LoggingSmsBackend:
    """Writes the SMS to the log instead of sending it; the default until a gateway is configured. Outside DEBUG
    (the local demo) a six-digit code is masked: a log is read by others than the phone's owner."""

    def send(self, *, phone: str, text: str) -> None:
        shown = text if settings.DEBUG else re.sub(r"(?<!\d)\d{6}(?!\d)", "******", text)
        log.info("SMS to %s: %s", mask_phone(phone), shown)


class HttpSmsBackend:
    """Posts each SMS as JSON, {"phone": …, "text": …}, to `SMS_GATEWAY_URL` (an organisation's own SMS platform,
    such as a 政务短信平台, or a relay to a provider), with `SMS_GATEWAY_TOKEN` as a bearer token. Any answer but
    2xx, or none within `TIMEOUT` seconds, raises: the caller records the failure."""

    TIMEOUT = 10

    def send(self, *, phone: str, text: str) -> None:
        url = getattr(settings, "SMS_GATEWAY_URL", "")
        if not url.startswith(("https://", "http://")):
            raise ValueError("SMS_GATEWAY_URL 未配置或不是 http(s) 地址")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        token = getattr(settings, "SMS_GATEWAY_TOKEN", "")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked
        with urllib.request.urlopen(request, timeout=self.TIMEOUT) as answer:  # noqa: S310 - 4xx/5xx raise HTTPError
            answer.read()


# What LocmemSmsBackend sent, oldest first (the tests' and the local demo's phone; like Django's mail.outbox).
outbox: list[tuple[str, str]] = []


class LocmemSmsBackend:
    """Keeps each SMS in `outbox` instead of sending it: the test suite's backend."""

    def send(self, *, phone: str, text: str) -> None:
        outbox.append((phone, text))


def sms_backend() -> SmsBackend:
    path = getattr(settings, "SMS_BACKEND", "") or DEFAULT_SMS_BACKEND
    return import_string(path)()


def phone_of(user: Any) -> str:
    """Where an SMS to `user` goes: their own number if the account has one, a deputy's number,
    or for a handling-unit clerk the unit's contact phone (accounts carry no phone of their own)."""
    own = getattr(user, "phone", "")
    if own:
        return own
    if getattr(user, "deputy_id", None):
        return user.deputy.phone or ""
    if getattr(user, "unit_id", None) and user.role == Role.UNIT_CLERK:
        return user.unit.phone or ""
    return ""


def _create(user: Any, channel: str, subject: str, body: str, link: str, key: str) -> Notification | None:
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=user, channel=channel, subject=subject[:200], body=body, link=link, key=key
            )
    except IntegrityError:
        return None  # already sent under this key


def _absolute(link: str) -> str:
    base = getattr(settings, "SITE_URL", "")
    return f"{base.rstrip('/')}{link}" if base and link.startswith("/") else link


def _failed(note: Notification, exc: Exception) -> None:
    log.warning("notification %s (%s) to user %s failed: %s", note.pk, note.channel, note.user_id, exc)
    Notification.objects.filter(pk=note.pk).update(sent_ok=False, error=str(exc)[:500])


def _email(note: Notification, address: str) -> None:
    send_mail(note.subject, f"{note.body}\n\n{_absolute(note.link)}".strip(), None, [address])


def deliver(
    *, users: Iterable[Any], subject: str, link: str = "", body: str = "", key: str = "", sms: bool = False
) -> Counter:
    """Send to each user on every channel they have; returns the number of new rows per channel.

    E-mail and SMS go out only together with a new in-app notification, so a repeated key sends
    nothing anywhere. One number gets one SMS per call even if several users share it (the
    clerks of one unit share the unit's phone); each user still gets their own row.
    """
    sent: Counter = Counter()
    sms_sent_to: set[str] = set()
    backend = None
    for user in users:
        if _create(user, Channel.IN_APP, subject, body, link, key) is None:
            continue
        sent[Channel.IN_APP] += 1
        if user.email:
            note = _create(user, Channel.EMAIL, subject, body, link, key)
            if note is not None:
                sent[Channel.EMAIL] += 1
                try:
                    _email(note, user.email)
                except Exception as exc:  # noqa: BLE001 - a mail failure must not undo the work; it is recorded
                    _failed(note, exc)
        phone = phone_of(user) if sms else ""
        if phone:
            note = _create(user, Channel.SMS, subject, body, link, key)
            if note is not None:
                sent[Channel.SMS] += 1
                if phone in sms_sent_to:
                    continue
                sms_sent_to.add(phone)
                try:
                    backend = backend or sms_backend()
                    backend.send(phone=phone, text=note.subject)
                except Exception as exc:  # noqa: BLE001
                    _failed(note, exc)
    return sent


def notify(
    *, users: Iterable[Any], subject: str, link: str = "", body: str = "", key: str = "", sms: bool = False
) -> int:
    """Send to each user; returns the number of new in-app notifications."""
    return deliver(users=users, subject=subject, link=link, body=body, key=key, sms=sms)[Channel.IN_APP]


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def notifications_withdraw(*, keys: Iterable[str], users: Iterable[Any]) -> int:
    """Withdraw what was said to `users` under `keys` where they have not read it yet (marked read: it leaves their
    待办); returns how many. For a notice whose cause was taken back (a term change undone). Read along the
    (user, channel, key) index."""
    unread = Notification.objects.filter(user__in=users, key__in=list(keys), read_at__isnull=True)
    return unread.update(read_at=timezone.now())


def notification_mark_all_read(*, user: Any) -> int:
    """Mark every unread in-site notification of `user` as read; returns how many."""
    return Notification.objects.filter(user=user, channel=Channel.IN_APP, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# Sending again what failed --------------------------------------------------------------------------------------

RETRIED = "notification.retry"
# A channel that fails this many times running is left for this round: with the SMS platform down, each try waits
# for its timeout, and a page or a cron run must not wait for every failed message in turn.
GIVE_UP_AFTER = 3


@dataclass
class Retry:
    """What a round of sending again did: sent, failed again, not tried (a channel given up, or taken by another
    round)."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    given_up: list[str] = field(default_factory=list)

    def summary(self) -> str:
        said = f"重新发送成功{self.sent}条，仍失败{self.failed}条"
        if self.skipped:
            said += f"，未发送{self.skipped}条"
        if self.given_up:
            labels = "、".join(Channel(c).label for c in self.given_up)
            said += f"（{labels}连续{GIVE_UP_AFTER}次失败，本次不再尝试，请检查发送渠道后再试）"
        return said


def _resend(note: Notification, backend: SmsBackend) -> None:
    """Send `note` again on its channel, to where its user is reached now; raises on failure."""
    if not note.user.is_active:
        raise ValueError("账号已停用")
    if note.channel == Channel.EMAIL:
        if not note.user.email:
            raise ValueError("用户没有电子邮箱")
        _email(note, note.user.email)
    else:
        phone = phone_of(note.user)
        if not phone:
            raise ValueError("用户没有手机号")
        backend.send(phone=phone, text=note.subject)


def _round(rows: Iterable[Any], unsent: Q, send: Any, settle: Any, result: Retry, channel_of: Any) -> list[Any]:
    """Send each of `rows` with `send(row)`, each claimed first while still `unsent` (its tries counted in a
    conditional update: two rounds at once send it once); a channel failing `GIVE_UP_AFTER` times running is not
    tried further. `settle(row, error)` notes the outcome on the row; the rows tried come back."""
    running, done = Counter(), []
    for row in rows:
        channel = channel_of(row)
        claimed = type(row).objects.filter(unsent, pk=row.pk, tries=row.tries)
        if channel in result.given_up or not claimed.update(tries=row.tries + 1):
            result.skipped += 1
            continue
        row.tries += 1
        try:
            send(row)
        except Exception as exc:  # noqa: BLE001 - recorded on the row, the round goes on
            settle(row, str(exc)[:500])
            result.failed += 1
            running[channel] += 1
            if running[channel] >= GIVE_UP_AFTER:
                result.given_up.append(channel)
        else:
            settle(row, "")
            result.sent += 1
            running[channel] = 0
        done.append(row)
    return done


def _audit_round(actor: Any, result: Retry, model: type[models.Model], what: str) -> None:
    record(
        actor=actor,
        action=RETRIED,
        object_type=model._meta.label_lower,
        object_repr=what,
        changes={"sent": result.sent, "failed": result.failed, "skipped": result.skipped},
        success=not result.failed,
        detail=result.summary(),
    )


def deliveries_retry(*, notes: Iterable[Notification], actor: Any) -> Retry:
    """Send each failed e-mail or SMS of `notes` again (`_round`); each row records the outcome and its tries, and
    one audit row the round (its actor a user, or the name of the command)."""
    result, backend = Retry(), sms_backend()

    def settle(note: Notification, error: str) -> None:
        note.sent_ok, note.error = not error, error

    done = _round(notes, Q(sent_ok=False), lambda note: _resend(note, backend), settle, result, lambda n: n.channel)
    with transaction.atomic():
        Notification.objects.bulk_update(done, ["sent_ok", "error"], batch_size=500)
        if done or result.skipped:
            _audit_round(actor, result, Notification, "发送失败的通知")
    return result


# SMS to numbers (`NumberSms`) ---------------------------------------------------------------------------------------

# Sent at once after the commit; the rest of a larger batch waits for `notifications_retry` (every 15 minutes).
SMS_AT_ONCE = 20


def sms_to_numbers(messages: Iterable[tuple[str, str]], *, purpose: str) -> int:
    """Queue an SMS to each (phone, text), in the caller's transaction (rolled back with it); after the commit the
    first `SMS_AT_ONCE` go out. Returns how many were queued."""
    rows = NumberSms.objects.bulk_create(NumberSms(phone=phone, text=text, purpose=purpose) for phone, text in messages)
    if rows:
        transaction.on_commit(lambda: number_sms_send(rows=rows[:SMS_AT_ONCE]))
    return len(rows)


def number_sms_send(*, rows: Iterable[NumberSms], actor: Any = None) -> Retry:
    """Send the queued `rows` (`_round`): each records when it went out, or the error and its tries. A round run by
    someone (the command, the administrator) is audited; the one right after the commit is part of the audited write
    that queued it."""
    result, backend = Retry(), sms_backend()

    def settle(row: NumberSms, error: str) -> None:
        row.sent_at, row.error = (None, error) if error else (timezone.now(), "")
        if error:
            log.warning("SMS %s (%s) to %s failed: %s", row.pk, row.purpose, mask_phone(row.phone), error)

    def send(row: NumberSms) -> None:
        backend.send(phone=row.phone, text=row.text)

    done = _round(rows, Q(sent_at__isnull=True), send, settle, result, lambda row: Channel.SMS)
    with transaction.atomic():
        NumberSms.objects.bulk_update(done, ["sent_at", "error"], batch_size=500)
        if actor is not None and (done or result.skipped):
            _audit_round(actor, result, NumberSms, "发往号码的短信")
    return result
