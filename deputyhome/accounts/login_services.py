"""The login's writes: failures counted per username and the lock after 5 within 15 minutes (30 minutes, whatever
the client address, also for usernames that do not exist: GB/T 22239-2019 level 3, docs/security.md), and every
refused or failed login audited under the name typed."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from deputyhome.audit.services import record

from .models import LoginLock

FAILURE_LIMIT = 5
FAILURE_WINDOW = datetime.timedelta(minutes=15)
LOCK_TIME = datetime.timedelta(minutes=30)


def _key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def login_refusal_record(*, username: str, action: str, detail: str = "", user_pk: Any = None) -> None:
    """Audit a login that failed or was refused, under the name typed (the row's actor: nobody is logged in)."""
    record(
        actor=username,
        action=action,
        object_type="accounts.user",
        object_id="" if user_pk is None else str(user_pk),
        object_repr=username[:255],
        success=False,
        detail=detail,
    )


def is_locked(username: str) -> bool:
    lock = LoginLock.objects.filter(username=_key(username)).first()
    return bool(lock and lock.locked_until and lock.locked_until > timezone.now())


@transaction.atomic
def login_failure_record(*, username: str) -> bool:
    """Count a failure for `username`; returns True if this failure locks it."""
    now = timezone.now()
    lock, _ = LoginLock.objects.select_for_update().get_or_create(username=_key(username))
    recent = [t for t in lock.failures if datetime.datetime.fromisoformat(t) > now - FAILURE_WINDOW]
    recent.append(now.isoformat())
    lock.failures = recent[-FAILURE_LIMIT:]
    locking = len(recent) >= FAILURE_LIMIT and not (lock.locked_until and lock.locked_until > now)
    if locking:
        lock.locked_until = now + LOCK_TIME
        login_refusal_record(
            username=username,
            action="auth.locked",
            detail=f"{FAILURE_WINDOW.seconds // 60}分钟内连续{FAILURE_LIMIT}次登录失败，锁定至{timezone.localtime(lock.locked_until):%H:%M}",
        )
    lock.save()
    return locking


@transaction.atomic
def login_success_record(*, username: str) -> None:
    LoginLock.objects.filter(username=_key(username)).update(failures=[], locked_until=None)
