"""Writes to user accounts, each with its audit row; login events are audited too."""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING, Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from deputyhome.audit.services import BatchItem, record, record_batch
from deputyhome.core.services import model_update

from .login_services import login_refusal_record, login_success_record
from .models import User
from .selectors import DISABLED_AS_FORMER, account_refusal, former_deputy_logins, logins_digest, may_manage_accounts

if TYPE_CHECKING:
    from django.http import HttpRequest

# A password chosen by an administrator is a one-time password: changed at the first login, void after this.
ONE_TIME_PASSWORD_LIFETIME = datetime.timedelta(hours=72)

ENABLED_AS_SEATED = "user.enable_seated_deputies"

_SAFE_FIELDS = ("username", "display_name", "role", "region", "group", "deputy", "unit", "is_active", "email")


@transaction.atomic
def user_create(*, data: dict[str, Any], password: str, actor: Any) -> User:
    user = User(**{k: v for k, v in data.items() if k in _SAFE_FIELDS})
    user.set_password(password)
    user.password_one_time_until = timezone.now() + ONE_TIME_PASSWORD_LIFETIME
    user.full_clean()
    user.save()
    record(
        actor=actor, action="user.create", obj=user, changes={k: [None, data.get(k)] for k in _SAFE_FIELDS if k in data}
    )
    return user


def new_one_time_password() -> str:
    """Twelve random letters and digits (no look-alikes) in three groups, plus what the staff rules ask."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
    body = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{body[:4]}-{body[4:8]}-{body[8:]}-Aa1"


_GUARDED_ACTIONS = {
    "edit": "user.update",
    "set_password": "user.set_password",
    "role": "user.update",
    "reset": "user.reset_password",
}


def account_guard(*, actor: Any, target: User, action: str) -> None:
    """Refuse (PermissionDenied, with an audit row that survives the refusal) what `actor` may not do to `target`."""
    reason = account_refusal(actor=actor, target=target, action=action)
    if reason:
        # Recorded in its own transaction: the refusal must stay on the record when the caller rolls back.
        with transaction.atomic():
            record(actor=actor, action=_GUARDED_ACTIONS[action], obj=target, success=False, detail=reason)
        raise PermissionDenied(reason)


def user_update(*, user: User, data: dict[str, Any], actor: Any, action: str = "edit") -> User:
    safe = {k: v for k, v in data.items() if k in _SAFE_FIELDS}
    if "is_active" in safe and bool(safe["is_active"]) != user.is_active:
        safe["disabled_as_former"] = False  # enabled or disabled by hand: no longer the batch's to enable
    return model_update(instance=user, data=safe, actor=actor)


@transaction.atomic
def user_edit(*, user: User, data: dict[str, Any], password: str | None, actor: Any) -> User:
    """The system administrator's account form: its fields and, if one was typed, a new (one-time) password, in one
    transaction: a failure of either leaves the account as it was."""
    edited = user_update(user=user, data=data, actor=actor)
    if password:
        user_set_password(user=edited, password=password, actor=actor)
    return edited


@transaction.atomic
def user_set_password(*, user: User, password: str, actor: Any) -> None:
    """Set a password. The user's own choice is theirs to keep; one an administrator chose is one-time."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    own = getattr(actor, "pk", None) == locked.pk
    locked.set_password(password)
    locked.password_changed_at = timezone.now()
    locked.password_one_time_until = None if own else timezone.now() + ONE_TIME_PASSWORD_LIFETIME
    locked.save(update_fields=["password", "password_changed_at", "password_one_time_until"])
    record(actor=actor, action="user.set_password", obj=locked, detail="" if own else "一次性密码，72小时内有效")


@transaction.atomic
def user_reset_password(*, user: User, actor: Any) -> str:
    """The security administrator resets an administrator's password: a fresh one-time password, shown once.

    The second factor stays, so whoever reads the one-time password still cannot sign in as the account.
    """
    password = new_one_time_password()
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.set_password(password)
    locked.password_changed_at = timezone.now()
    locked.password_one_time_until = timezone.now() + ONE_TIME_PASSWORD_LIFETIME
    locked.save(update_fields=["password", "password_changed_at", "password_one_time_until"])
    record(actor=actor, action="user.reset_password", obj=locked, detail="一次性密码，72小时内有效，须在首次登录时修改")
    return password


@transaction.atomic
def former_deputy_logins_switch(*, actor: Any, confirmed: str, seated_again: bool = False) -> int:
    """Disable, in one step, the deputy and group-leader logins of deputies who no longer sit (after 换届 or a seat
    ended), or, `seated_again`, enable those so disabled whose deputy sits again (a term change undone), as the
    system administrator confirmed them: `confirmed` is the digest of the list they were shown, and a list changed
    since (a seat registered, an account edited) is refused, nothing written. One audit batch row, an item per
    account. A disabled account's sessions end at its next request (Django refuses inactive users)."""
    if not may_manage_accounts(actor):
        raise PermissionDenied("只有系统管理员可以启用或停用账号。")
    listed = former_deputy_logins(actor=actor, seated_again=seated_again)
    accounts = list(User.objects.select_for_update().filter(pk__in=listed).order_by("pk"))
    if not accounts:
        raise ValidationError("没有需要重新启用的代表账号。" if seated_again else "没有需要停用的离任代表账号。")
    if logins_digest(a.pk for a in accounts) != confirmed:
        raise ValidationError("名单在您打开本页后有变化（有代表资格登记或账号修改），请核对下面的名单后重新确认。")
    User.objects.filter(pk__in=[a.pk for a in accounts]).update(
        is_active=seated_again, disabled_as_former=not seated_again
    )
    items = [BatchItem(obj=a, changes={"is_active": [not seated_again, seated_again]}) for a in accounts]
    done = "重新启用代表本人恢复代表资格的" if seated_again else "停用离任代表的"
    record_batch(
        actor=actor,
        action=ENABLED_AS_SEATED if seated_again else DISABLED_AS_FORMER,
        items=items,
        object_type=User._meta.label_lower,
        object_repr="代表账号" if seated_again else "离任代表账号",
        detail=f"{done}{len(accounts)}个账号",
    )
    return len(accounts)


def one_time_password_expired(user: User) -> bool:
    return bool(user.password_one_time_until and user.password_one_time_until <= timezone.now())


# Logins are audited where Django announces them. This is bookkeeping, not business logic.
@receiver(user_logged_in)
def _audit_login(sender: type, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record(actor=user, action="auth.login", obj=user)
    login_success_record(username=user.get_username())
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session["login_at"] = now
        request.session["last_seen"] = now


@receiver(user_logged_out)
def _audit_logout(sender: type, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def _audit_login_failed(
    sender: str, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    login_refusal_record(username=username, action="auth.login_failed")
