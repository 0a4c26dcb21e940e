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
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from deputyhome.accounts.choices import Role
from deputyhome.audit.services import record
from deputyhome.core.masking import mask_phone

from .choices import Channel
from .models import Notification, NumberSms

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


def _create(
    user: Any,
    channel: str,
    subject: str,
    body: str,
    link: str,
    key: str,
    *,
    queued: bool = False,
    sent_with: Notification | None = None,
) -> Notification | None:
    """A new row, or None where `key` was said to this user on this channel already. `queued`: an e-mail or SMS still
    to send (unsent, not tried); `sent_with`: the row whose SMS carries this one's."""
    unsent = {"sent_ok": False, "tries": 0} if queued else {}
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=user,
                channel=channel,
                subject=subject[:200],
                body=body,
                link=link,
                key=key,
                sent_with=sent_with,
                **unsent,
            )
    except IntegrityError:
        return None  # already sent under this key


def _absolute(link: str) -> str:
    base = getattr(settings, "SITE_URL", "")
    return f"{base.rstrip('/')}{link}" if base and link.startswith("/") else link


def _email(note: Notification, address: str) -> None:
    send_mail(note.subject, f"{note.body}\n\n{_absolute(note.link)}".strip(), None, [address])


def deliver(
    *, users: Iterable[Any], subject: str, link: str = "", body: str = "", key: str = "", sms: bool = False
) -> Counter:
    """Send to each user on every channel they have; returns the number of new rows per channel.

    The in-site notification is there at once; the e-mails and SMS are queued in the caller's transaction (rolled
    back with it) and go out after its commit (`_queue`), so that a write never waits for a mail server or the SMS
    platform. E-mail and SMS go out only together with a new in-app notification, so a repeated key sends
    nothing anywhere. One number gets one SMS per call even if several users share it (the
    clerks of one unit share the unit's phone); each user still gets their own row, which rides on the first one's
    (`sent_with`) and takes its outcome, a failure included.
    """
    sent: Counter = Counter()
    carriers: dict[str, Notification] = {}
    queued: list[int] = []
    for user in users:
        if _create(user, Channel.IN_APP, subject, body, link, key) is None:
            continue
        sent[Channel.IN_APP] += 1
        if user.email:
            note = _create(user, Channel.EMAIL, subject, body, link, key, queued=True)
            if note is not None:
                sent[Channel.EMAIL] += 1
                queued.append(note.pk)
        phone = phone_of(user) if sms else ""
        if phone:
            carrier = carriers.get(phone)
            note = _create(user, Channel.SMS, subject, body, link, key, queued=True, sent_with=carrier)
            if note is not None:
                sent[Channel.SMS] += 1
                if carrier is None:
                    carriers[phone] = note
                    queued.append(note.pk)
    _queue(Notification, queued)
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
# A round run in a request (right after a write's commit, or the administrator's 发送) starts no message after this
# many seconds: with a platform that answers slowly but answers (9 s a message), 20 messages would hold the page for
# three minutes, past the app server's timeout. What is left waits for `notifications_retry`.
IN_REQUEST_SECONDS = 15


@dataclass
class Retry:
    """What a round of sending did: sent, failed, not tried (a channel given up, or taken by another round)."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    given_up: list[str] = field(default_factory=list)
    # Not started: the round's time was spent (`IN_REQUEST_SECONDS`).
    out_of_time: int = 0

    def summary(self) -> str:
        said = f"发送成功{self.sent}条，失败{self.failed}条"
        if self.skipped:
            said += f"，未发送{self.skipped}条"
        if self.out_of_time:
            said += f"（发送较慢，其中{self.out_of_time}条本次未及发送，请稍后再发送）"
        if self.given_up:
            labels = "、".join(str(Channel(c).label) for c in self.given_up)
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


def _round(
    rows: Iterable[Any], unsent: Q, send: Any, settle: Any, result: Retry, channel_of: Any, seconds: float | None
) -> list[Any]:
    """Send each of `rows` with `send(row)`, each claimed first while still `unsent` (its tries counted in a
    conditional update: two rounds at once send it once); a channel failing `GIVE_UP_AFTER` times running is not
    tried further, nor is any row once `seconds` (if given) have passed: those are left unclaimed, as they were.
    `settle(row, error)` notes the outcome on the row; the rows tried come back."""
    running, done = Counter(), []
    until = None if seconds is None else time.monotonic() + seconds
    for row in rows:
        if until is not None and time.monotonic() >= until:
            result.skipped += 1
            result.out_of_time += 1
            continue
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


def deliveries_send(*, notes: Iterable[Notification], actor: Any = None, seconds: float | None = None) -> Retry:
    """Send each unsent e-mail or SMS of `notes` (queued, or failed before) (`_round`, for at most `seconds`); each
    row records the outcome and its tries. A round run by someone (the command, the administrator) is audited; the one
    right after the commit is part of the audited write that queued it."""
    result, backend = Retry(), sms_backend()

    def settle(note: Notification, error: str) -> None:
        note.sent_ok, note.error = not error, error
        if error:
            log.warning("notification %s (%s) to user %s failed: %s", note.pk, note.channel, note.user_id, error)

    notes, detached = _carriers(notes)
    done = _round(
        notes, Q(sent_ok=False), lambda note: _resend(note, backend), settle, result, lambda n: n.channel, seconds
    )
    with transaction.atomic():
        Notification.objects.filter(pk__in=detached).update(sent_with=None)
        Notification.objects.bulk_update(done + _riders_of(done), ["sent_ok", "error", "tries"], batch_size=500)
        if actor is not None and (done or result.skipped):
            _audit_round(actor, result, Notification, "发送失败的通知")
    return result


def _carriers(notes: Iterable[Notification]) -> tuple[list[Notification], list[int]]:
    """`notes` with each rider replaced by the row that carries its SMS (once, in the rider's place), and the riders
    to detach and send on their own: those whose carrier was sent already or cannot be sent any more (its user
    stopped, or without a phone)."""
    notes = list(notes)
    wanted = {n.sent_with_id for n in notes if n.sent_with_id} - {n.pk for n in notes}
    carriers = {n.pk: n for n in notes} | Notification.objects.select_related("user__deputy", "user__unit").in_bulk(
        wanted
    )
    out: dict[int, Notification] = {}
    detached: list[int] = []
    for note in notes:
        carrier = carriers.get(note.sent_with_id, note) if note.sent_with_id else note
        if carrier is not note and (carrier.sent_ok or not carrier.user.is_active or not phone_of(carrier.user)):
            detached.append(note.pk)
            carrier = note
        out.setdefault(carrier.pk, carrier)
    return list(out.values()), detached


def _riders_of(done: list[Notification]) -> list[Notification]:
    """The rows riding on `done`, given their carrier's outcome."""
    by_pk = {note.pk: note for note in done if note.channel == Channel.SMS}
    riders = list(Notification.objects.filter(sent_with__in=list(by_pk)).exclude(pk__in=list(by_pk)))
    for rider in riders:
        carrier = by_pk[rider.sent_with_id]
        rider.sent_ok, rider.error, rider.tries = carrier.sent_ok, carrier.error, carrier.tries
    return riders


# Sending after the commit ---------------------------------------------------------------------------------------------

# Of what a transaction queued (of each model), this many go out right after its commit (for `IN_REQUEST_SECONDS` at
# the most); the rest of a larger batch waits for `notifications_retry` (every 15 minutes, oldest first): a reminder
# to a thousand deputies answers at once.
AT_ONCE = 20
_pending = threading.local()


class _Batch:
    """The ids of one model's rows queued by the running transaction, sent (the first `AT_ONCE`) after its commit."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model, self.ids = model, []

    def flush(self) -> None:
        if _pending.batches.get(self.model) is self:
            del _pending.batches[self.model]
        _SENDERS[self.model](list(dict.fromkeys(self.ids)))


def _queue(model: type[models.Model], ids: list[int]) -> None:
    """Send the first `AT_ONCE` of the rows the running transaction queued of `model` (in this call and others) once
    it commits; outside a transaction, at once. A batch whose hook is no longer pending (its transaction, or the
    savepoint it began in, rolled back) is not added to: a new one begins."""
    if not ids:
        return
    batches = _pending.__dict__.setdefault("batches", {})
    batch = batches.get(model)
    if batch is not None and batch.flush in [
        hook for _sids, hook, _robust in transaction.get_connection().run_on_commit
    ]:
        batch.ids += ids
        return
    batch = batches[model] = _Batch(model)
    batch.ids += ids
    # Outside a transaction: called now. Robust: the write is done whatever the sending meets (a backend that cannot
    # be loaded, the database gone): the error is logged and the rows wait for the command.
    transaction.on_commit(batch.flush, robust=True)


def _first_unsent(unsent: QuerySet, ids: list[int]) -> list[Any]:
    """Of the first `AT_ONCE` of `ids`, those still in `unsent` (not sent meanwhile by a round), in their order."""
    found = unsent.in_bulk(ids[:AT_ONCE])
    return [found[pk] for pk in ids[:AT_ONCE] if pk in found]


def _deliveries_after_commit(ids: list[int]) -> None:
    unsent = Notification.objects.filter(sent_ok=False, tries=0).select_related("user__deputy", "user__unit")
    deliveries_send(notes=_first_unsent(unsent, ids), seconds=IN_REQUEST_SECONDS)


# SMS to numbers (`NumberSms`) ---------------------------------------------------------------------------------------


def sms_to_numbers(*, messages: Iterable[tuple[str, str]], purpose: str) -> int:
    """Queue an SMS to each (phone, text), in the caller's transaction (rolled back with it); after the commit the
    first `AT_ONCE` go out (`_queue`). Returns how many were queued."""
    rows = NumberSms.objects.bulk_create(NumberSms(phone=phone, text=text, purpose=purpose) for phone, text in messages)
    _queue(NumberSms, [row.pk for row in rows])
    return len(rows)


def number_sms_send(*, rows: Iterable[NumberSms], actor: Any = None, seconds: float | None = None) -> Retry:
    """Send the queued `rows` (`_round`, for at most `seconds`): each records when it went out, or the error and its
    tries. A round run by someone (the command, the administrator) is audited; the one right after the commit is part
    of the audited write that queued it."""
    result, backend = Retry(), sms_backend()

    def settle(row: NumberSms, error: str) -> None:
        row.sent_at, row.error = (None, error) if error else (timezone.now(), "")
        if error:
            log.warning("SMS %s (%s) to %s failed: %s", row.pk, row.purpose, mask_phone(row.phone), error)

    def send(row: NumberSms) -> None:
        backend.send(phone=row.phone, text=row.text)

    done = _round(rows, Q(sent_at__isnull=True), send, settle, result, lambda row: Channel.SMS, seconds)
    with transaction.atomic():
        NumberSms.objects.bulk_update(done, ["sent_at", "error"], batch_size=500)
        if actor is not None and (done or result.skipped):
            _audit_round(actor, result, NumberSms, "发往号码的短信")
    return result


def _numbers_after_commit(ids: list[int]) -> None:
    unsent = NumberSms.objects.filter(sent_at__isnull=True, tries=0)
    number_sms_send(rows=_first_unsent(unsent, ids), seconds=IN_REQUEST_SECONDS)


_SENDERS: dict[type[models.Model], Callable[[list[int]], Any]] = {
    Notification: _deliveries_after_commit,
    NumberSms: _numbers_after_commit,
}
