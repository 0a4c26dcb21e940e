"""申请开通代表账号: the staff who keep the deputies ask the administrators for a deputy's login.

Accounts are the system administrator's and roles the security administrator's (三员分立), and neither may browse the
deputies: a deputy's login was made only when someone told them, by hand, whom it was for and the deputy's number
the role form asks for. A city or township officer now sees on a deputy's page whether the deputy has a login, and
asks for one there: the system administrators are told to make the account, the security administrators to give it
the role with the deputy's number; the request is audited, and for `AGAIN_AFTER_DAYS` the page says when it was
made instead of offering it again (after that, a reminder may be sent); never for a deputy who has a login or holds
no seat.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.accounts.selectors import holders
from deputyhome.audit.models import AuditEvent
from deputyhome.audit.services import record
from deputyhome.notifications.services import notify

from .choices import GroupRole
from .models import Deputy, GroupMembership, active_on

ACTION = "deputy.account_request"
AGAIN_AFTER_DAYS = 7


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


def account_status(deputy: Deputy) -> AccountStatus:
    """At most three queries: the deputy's account (one to one); without one, whether they hold a seat today and
    the last request of the week (along the audit log's index of times: a province's requests of all years are
    not read for one deputy)."""
    account = User.objects.filter(deputy=deputy).first()
    if account is not None:
        return AccountStatus(account, None)
    seated = deputy.mandates.filter(active_on(timezone.localdate())).exists()
    since = timezone.now() - datetime.timedelta(days=AGAIN_AFTER_DAYS)
    asked = AuditEvent.objects.filter(
        at__gte=since, action=ACTION, object_type=Deputy._meta.label_lower, object_id=str(deputy.pk)
    )
    return AccountStatus(None, asked.order_by("-pk").values_list("at", flat=True).first(), seated)


@transaction.atomic
def account_request(*, deputy: Deputy, actor: Any) -> None:
    """Ask the administrators for `deputy`'s login (module docstring); refused, saying why, when not to be asked."""
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
    leads = GroupMembership.objects.filter(
        active_on(timezone.localdate()), deputy=deputy, role__in=(GroupRole.LEADER, GroupRole.VICE_LEADER)
    ).select_related("group")
    lead = leads.first()
    role = Role.GROUP_LEADER if lead else Role.DEPUTY
    where = f"{deputy.region}，" if deputy.region_id else ""
    about = f"代表{deputy.name}（{where}代表编号 {deputy.pk}{f'，{lead.group.name}{lead.get_role_display()}' if lead else ''}）"
    event = record(actor=actor, action=ACTION, obj=deputy, detail=f"申请开通登录账号，建议角色：{role.label}")
    asker = f"{actor.display_name or actor.username}（{actor.get_role_display()}）"
    told = (
        (Role.SYSTEM_ADMIN, "请新建账号，再请安全管理员分配角色。", reverse("accounts:user_create")),
        (
            Role.SECURITY_ADMIN,
            f"系统管理员新建账号后，请分配角色“{role.label}”{f'（所属小组：{lead.group.name}）' if lead else ''}，"
            f"“代表本人”一栏填写代表编号 {deputy.pk}。",
            reverse("accounts:user_list") + f"?role={Role.UNASSIGNED}&is_active=true",
        ),
    )
    for administrators, what, link in told:
        body = f"{asker}申请为{about}开通登录账号。{what}"
        notify(
            users=holders(administrators),
            subject=f"申请开通代表账号：{deputy.name}",
            body=body,
            link=link,
            key=f"account_request:{event.pk}",
        )
