"""Sending notifications: in the site always, by e-mail when the user has an address, by SMS through a backend.

Every message sent is a Notification row. A non-empty `key` makes sending idempotent: the same
key for the same user and channel is sent once, however often a scheduled command runs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from .models import Channel, Notification

log = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class LoggingSmsBackend:
    """Writes the SMS to the log instead of sending it; the default until a gateway is configured."""

    def send(self, *, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "***", text)


def sms_backend() -> SmsBackend:
    path = getattr(settings, "SMS_BACKEND", "deputyhome.notifications.services.LoggingSmsBackend")
    return import_string(path)()


def _create(user: Any, channel: str, subject: str, body: str, link: str, key: str) -> Notification | None:
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=user, channel=channel, subject=subject[:200], body=body, link=link, key=key
            )
    except IntegrityError:
        return None  # already sent under this key


def notify(
    *, users: Iterable[Any], subject: str, link: str = "", body: str = "", key: str = "", sms: bool = False
) -> int:
    """Send to each user; returns the number of new in-app notifications."""
    sent = 0
    for user in users:
        if _create(user, Channel.IN_APP, subject, body, link, key) is None:
            continue
        sent += 1
        if user.email:
            note = _create(user, Channel.EMAIL, subject, body, link, key)
            if note is not None:
                try:
                    send_mail(subject, f"{body}\n\n{link}".strip(), None, [user.email])
                except Exception as exc:  # noqa: BLE001 - a mail failure must not undo the work; it is recorded
                    Notification.objects.filter(pk=note.pk).update(sent_ok=False, error=str(exc)[:500])
        phone = getattr(getattr(user, "deputy", None), "phone", "") if user.deputy_id else ""
        if sms and phone:
            note = _create(user, Channel.SMS, subject, body, link, key)
            if note is not None:
                try:
                    sms_backend().send(phone=phone, text=subject)
                except Exception as exc:  # noqa: BLE001
                    Notification.objects.filter(pk=note.pk).update(sent_ok=False, error=str(exc)[:500])
    return sent


def notification_mark_read(*, notification: Notification) -> None:
    from django.utils import timezone

    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
