"""Writes to user accounts, each with its audit row; login events are audited too."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from deputyhome.audit.services import diff, record

from .models import User

_SAFE_FIELDS = ("username", "display_name", "role", "region", "group", "deputy", "unit", "is_active", "email")


@transaction.atomic
def user_create(*, data: dict[str, Any], password: str, actor: Any) -> User:
    user = User(**{k: v for k, v in data.items() if k in _SAFE_FIELDS})
    user.set_password(password)
    user.full_clean()
    user.save()
    record(
        actor=actor, action="user.create", obj=user, changes={k: [None, data.get(k)] for k in _SAFE_FIELDS if k in data}
    )
    return user


@transaction.atomic
def user_update(*, user: User, data: dict[str, Any], actor: Any) -> User:
    locked = User.objects.select_for_update().get(pk=user.pk)
    fields = {k: v for k, v in data.items() if k in _SAFE_FIELDS}
    changes = diff(locked, fields)
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.full_clean()
    locked.save()
    record(actor=actor, action="user.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def user_set_password(*, user: User, password: str, actor: Any) -> None:
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.set_password(password)
    locked.password_changed_at = timezone.now()
    locked.save(update_fields=["password", "password_changed_at"])
    record(actor=actor, action="user.set_password", obj=locked)


# Logins are audited where Django announces them. This is bookkeeping, not business logic.
@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs) -> None:
    from .security import login_success_record

    record(actor=user, action="auth.login", obj=user)
    login_success_record(username=user.get_username())
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session["login_at"] = now
        request.session["last_seen"] = now


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    record(actor=username, action="auth.login_failed", object_type="accounts.user", object_repr=username, success=False)
