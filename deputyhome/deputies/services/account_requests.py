"""申请开通代表账号: the staff who keep the deputies ask the administrators for deputies' logins.

Accounts are the system administrator's and roles the security administrator's (三员分立), and neither may browse the
deputies: a deputy's login is made only for the deputies a city or township officer names. The officer sees on a
deputy's page whether the deputy has a login and asks for one there, or for every deputy of a filtered register at
once (after a roster import, hundreds). A request is an `AccountRequest`, open until the system administrator makes
the accounts (`account_batches`); it is audited, the system administrators are told, and for `AGAIN_AFTER_DAYS`
the deputy is not asked for again (after that, a request is a reminder); never for a deputy who has a login or
holds no seat.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.accounts.selectors import holders, logins_digest
from deputyhome.audit.services import BatchItem, record, record_batch
from deputyhome.notifications.services import notify

from ..models import AccountRequest, Deputy, Mandate, active_on

ACTION = "deputy.account_request"
AGAIN_AFTER_DAYS = 7
# The most deputies one confirmation asks for, or one batch of accounts makes (a township's, a county's).
BATCH_MAX = 1000


@dataclass(frozen=True)
class AccountStatus:
    """What a deputy's page says of their login: the account, or when one was asked for in the last
    `AGAIN_AFTER_DAYS`."""

    account: User | None
    asked_at: datetime.datetime | None
    seated: bool = True

    @property
    def may_ask(self) -> bool:
        return self.account is None and self.seated and self.asked_at is None

    @property
    def first_login(self) -> str:
        """Whether the deputy has yet to sign in with the one-time password: "" (signed in, or no account),
        "pending" (still valid) or "expired" (the slip is void: the system administrator makes it again)."""
        until = self.account.password_one_time_until if self.account is not None else None
        if until is None or not self.account.is_active:
            return ""
        return "pending" if until > timezone.now() else "expired"


def _recent() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=AGAIN_AFTER_DAYS)


def account_status(deputy: Deputy) -> AccountStatus:
    """At most three queries: the deputy's account (one to one); without one, whether they hold a seat today and
    the last request of the week (along the requests' (deputy, time) index)."""
    account = User.objects.filter(deputy=deputy).first()
    if account is not None:
        return AccountStatus(account, None)
    seated = deputy.mandates.filter(active_on(timezone.localdate())).exists()
    asked = deputy.account_requests.filter(asked_at__gte=_recent()).order_by("-asked_at")
    return AccountStatus(None, asked.values_list("asked_at", flat=True).first(), seated)


def seated_q() -> Exists:
    return Exists(Mandate.objects.filter(active_on(timezone.localdate()), deputy=OuterRef("pk")))


def without_login_q() -> Exists:
    return ~Exists(User.objects.filter(deputy=OuterRef("pk")))


def requestable(deputies: QuerySet[Deputy]) -> QuerySet[Deputy]:
    """Of `deputies` (a scoped, filtered register), those an officer may ask a login for: a seat today, no login,
    not asked for in the last `AGAIN_AFTER_DAYS`."""
    asked = AccountRequest.objects.filter(deputy=OuterRef("pk"), asked_at__gte=_recent())
    return deputies.filter(seated_q(), without_login_q()).exclude(Exists(asked))


def _check_asker(actor: Any) -> None:
    if not actor.can_edit:
        raise PermissionDenied("只有市、乡两级人大工作人员可以申请开通代表账号。")


@transaction.atomic
def account_request(*, deputy: Deputy, actor: Any) -> None:
    """Ask the administrators for `deputy`'s login (module docstring); refused, saying why, when not to be asked."""
    _check_asker(actor)
    status = account_status(deputy)
    if status.account is not None:
        raise ValidationError(f"{deputy.name}已有登录账号（{status.account.username}）。")
    if not status.seated:
        raise ValidationError(f"{deputy.name}今天没有代表资格，无需开通登录账号。")
    if not status.may_ask:
        raise ValidationError(
            f"已于{timezone.localtime(status.asked_at):%Y-%m-%d}申请，{AGAIN_AFTER_DAYS}天内不再重复申请；"
            "如需催办，请联系系统管理员。"
        )
    AccountRequest.objects.create(deputy=deputy, asked_by=actor)
    where = f"{deputy.region}，" if deputy.region_id else ""
    event = record(actor=actor, action=ACTION, obj=deputy, detail="申请开通登录账号")
    _tell(actor, event, f"申请开通代表账号：{deputy.name}", f"代表{deputy.name}（{where}代表编号 {deputy.pk}）")


@transaction.atomic
def account_requests_batch(*, actor: Any, deputies: QuerySet[Deputy], confirmed: str) -> int:
    """Ask for the logins of the `requestable` deputies of `deputies` (the register as the officer filtered it), as
    confirmed: `confirmed` is the digest of the list shown, and a list changed since is refused, nothing written.
    One audit batch row with an item per deputy, one notice to each system administrator."""
    _check_asker(actor)
    ids = list(requestable(deputies).order_by("pk").values_list("pk", flat=True)[: BATCH_MAX + 1])
    if not ids:
        raise ValidationError("没有可以申请开通账号的代表：所列代表都已有登录账号、没有代表资格，或7天内已申请。")
    if len(ids) > BATCH_MAX:
        # The way out names the filters the register gives this officer (one township's: the groups only).
        by = "代表小组" if actor.sees_one_township else "乡镇（街道）或代表小组"
        raise ValidationError(f"一次最多申请{BATCH_MAX}名代表，请按{by}筛选后分批申请。")
    if logins_digest(ids) != confirmed:
        raise ValidationError("名单在您打开本页后有变化（有账号开通或申请），请核对下面的名单后重新确认。")
    AccountRequest.objects.bulk_create(AccountRequest(deputy_id=pk, asked_by=actor) for pk in ids)
    listed = list(Deputy.objects.filter(pk__in=ids).only("pk", "name").order_by("pk"))
    event = record_batch(
        actor=actor,
        action=ACTION,
        items=[BatchItem(obj=d, changes={}) for d in listed],
        object_type=Deputy._meta.label_lower,
        object_repr="代表账号开通申请",
        detail=f"申请为{len(ids)}名代表开通登录账号",
    )
    names = "、".join(d.name for d in listed[:3]) + ("等" if len(ids) > 3 else "")
    _tell(actor, event, f"申请开通代表账号：{len(ids)}名代表", f"{len(ids)}名代表（{names}）")
    return len(ids)


def _tell(actor: Any, event: Any, subject: str, about: str) -> None:
    asker = f"{actor.display_name or actor.username}（{actor.get_role_display()}）"
    notify(
        users=holders(Role.SYSTEM_ADMIN),
        subject=subject,
        body=f"{asker}申请为{about}开通登录账号。请在“开通代表账号”中创建账号并下载开通单，交申请人转交代表本人。",
        link=reverse("deputies:accounts_open"),
        key=f"account_request:{event.pk}",
    )
