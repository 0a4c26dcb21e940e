"""Reads of notifications: a user sees only their own in-site messages."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, overload

from django.db.models import Q, QuerySet
from django.utils import timezone

from .choices import Channel
from .models import Notification, NumberSms

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from deputyhome.accounts.models import User


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The user's in-site notifications, newest first.

    E-mail and SMS rows are the delivery records of the same messages and are not listed.
    """
    return Notification.objects.filter(user=user, channel=Channel.IN_APP).order_by("-created_at", "-id")


class Inbox(Sequence):
    """The user's in-site notifications as the inbox pages them: unread first, then read, each newest first.

    Two reads, each along its own index (the unread ones, few; the read ones, a committee officer's tens of
    thousands), instead of one sort of them all by "unread" on every page. A Paginator slices it."""

    def __init__(self, user: Any) -> None:
        mine = notification_list(user=user)
        self.unread = mine.filter(read_at__isnull=True)
        self.read = mine.filter(read_at__isnull=False)
        self.unread_count = unread_count(user)

    def count(self) -> int:  # type: ignore[override]  (Paginator's count: how many in all)
        return self.unread_count + self.read.count()

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> Notification: ...
    @overload
    def __getitem__(self, index: slice) -> list[Notification]: ...
    def __getitem__(self, index: int | slice) -> Notification | list[Notification]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        n = self.unread_count
        rows = list(self.unread[start : min(stop, n)]) if start < n else []
        if stop > n:
            rows += list(self.read[max(start - n, 0) : stop - n])
        return rows


def unread_count(user: User | AnonymousUser | None) -> int:
    """How many in-site notifications the user has not read yet (0 for anonymous users)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, channel=Channel.IN_APP, read_at__isnull=True).count()


def sent_under(keys: Iterable[str], *, users: QuerySet) -> bool:
    """Whether anything was sent to `users` under one of `keys` (read along the (user, channel, key) index: the
    notifications of a province are not scanned for a key)."""
    return Notification.objects.filter(user__in=users, channel=Channel.IN_APP, key__in=list(keys)).exists()


def failed_deliveries(*, channel: str = "") -> QuerySet[Notification]:
    """E-mails and SMS not sent (failed, or queued: in the site nothing fails), newest first, along the partial index
    of the unsent; `channel` narrows to one."""
    failed = Notification.objects.filter(sent_ok=False).order_by("-created_at", "-id")
    return failed.filter(channel=channel) if channel else failed


def _since(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def failed_lately(*, days: float) -> QuerySet[Notification]:
    """The unsent deliveries of the last `days` (the retry command's round)."""
    return failed_deliveries().filter(created_at__gte=_since(days))


def numbers_unsent(*, days: float | None = None) -> QuerySet[NumberSms]:
    """SMS to numbers not sent yet (waiting for the command, or failed), newest first, along their partial index;
    of the last `days` if given."""
    unsent = NumberSms.objects.filter(sent_at__isnull=True).order_by("-created_at", "-id")
    return unsent.filter(created_at__gte=_since(days)) if days else unsent


# A message unsent this long is overdue: the command (every 15 minutes) should have sent it.
OVERDUE = datetime.timedelta(minutes=30)


def _stuck(unsent: QuerySet) -> QuerySet:
    return unsent.filter(Q(tries__gte=1) | Q(created_at__lt=timezone.now() - OVERDUE))


def deliveries_stuck(*, days: float) -> QuerySet[Notification]:
    """Of the last `days`, the e-mails and SMS that failed, or waited longer than `OVERDUE` (the command not run)."""
    return _stuck(failed_lately(days=days))


def numbers_stuck(*, days: float) -> QuerySet[NumberSms]:
    """Of the last `days`, the SMS to numbers that failed, or waited longer than `OVERDUE`."""
    return _stuck(numbers_unsent(days=days))
