"""开通代表账号 in batches: the requested deputies' logins made by the system administrator, their roles given by
the security administrator (三员分立), each in one confirmed step.

1. `deputy_accounts_create`: the system administrator makes an account for every deputy waiting (an open
   `AccountRequest`, a seat today, no login), up to `BATCH_MAX` at once: the username `rd` + the deputy's number,
   the deputy's name, the account tied to its deputy (whose it is; what it may do is the role's), and a one-time
   password valid `HANDOVER_DAYS` (to be handed over by the township; changed at the first login). The passwords
   come back once, as the 开通单 the page downloads, and are kept only as hashes: machine-made, random enough to
   be hashed fast (`accounts.hashers.OneTimeCodeHasher`), so a thousand accounts take a second, not four minutes.
   `handovers_renew`: for the accounts whose one-time password expired unused (slips not handed over in time), new
   passwords and a new 开通单, in the same way.
2. `deputy_roles_grant`: the security administrator gives those accounts (role 未分配, tied to a deputy who
   sits) the role the deputy's posts call for: 代表小组组长 with the group for a group's 组长 or 副组长, else 人大代表.

Each step checks the list it confirms against the digest of the list shown (a list changed since is refused,
nothing written), writes one audit batch row with an item per account, and tells who acts next.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.accounts.hashers import ONE_TIME_CODE
from deputyhome.accounts.models import User
from deputyhome.accounts.selectors import holders, logins_digest
from deputyhome.accounts.services import new_one_time_password
from deputyhome.audit.services import BatchItem, record_batch
from deputyhome.notifications.services import notify
from deputyhome.organisation.models import DeputyGroup

from ..choices import GroupRole
from ..models import AccountRequest, Deputy, GroupMembership, Mandate, active_on
from .account_requests import BATCH_MAX, seated_q, without_login_q
from .phone_changes import RECENT_DAYS, replaced_numbers_tell

HANDOVER_DAYS = 14
USERNAME_PREFIX = "rd"
CREATED = "user.create_for_deputies"
GRANTED = "user.grant_deputy_roles"
RENEWED = "user.renew_deputy_slips"


def username_for(deputy_pk: int) -> str:
    return f"{USERNAME_PREFIX}{deputy_pk:07d}"


def _open_requests() -> QuerySet[AccountRequest]:
    return AccountRequest.objects.filter(done_at__isnull=True, deputy=OuterRef("pk"))


def waiting_count() -> int:
    """How many deputies wait for their login (the system administrator's 待办)."""
    return Deputy.objects.filter(Exists(_open_requests()), seated_q(), without_login_q()).count()


def waiting_deputies() -> QuerySet[Deputy]:
    """The deputies whose login was asked for and not yet made (open request, a seat today, no login), the longest
    waiting first (`asked_at`: their first open request). Grouped from the open requests (a partial index), not a
    correlated subquery per deputy: 1,000 waiting are ordered in a few milliseconds, not fifty."""
    return (
        # Both in one filter, over one inner join (done_at alone would be an outer join: every deputy without one).
        Deputy.objects.filter(account_requests__isnull=False, account_requests__done_at__isnull=True)
        .filter(seated_q(), without_login_q())
        .annotate(asked_at=Min("account_requests__asked_at"))
        .order_by("asked_at", "pk")
    )


def first_requests(deputy_ids: Iterable[int]) -> dict[int, tuple[datetime.datetime, str]]:
    """When and by whom each of these deputies' login was first asked for (of their open requests)."""
    rows = AccountRequest.objects.filter(done_at__isnull=True, deputy_id__in=list(deputy_ids))
    out: dict[int, tuple[datetime.datetime, str]] = {}
    for deputy_id, at, name, username in rows.order_by("-asked_at", "-pk").values_list(
        "deputy_id", "asked_at", "asked_by__display_name", "asked_by__username"
    ):
        out[deputy_id] = (at, name or username)  # the earliest, written last
    return out


def roleless_deputy_logins() -> QuerySet[User]:
    """Enabled accounts tied to a deputy who sits today, still without a role: the security administrator's list."""
    seated = Mandate.objects.filter(active_on(timezone.localdate()), deputy=OuterRef("deputy_id"))
    return (
        User.objects.filter(role=Role.UNASSIGNED, is_active=True, deputy__isnull=False)
        .filter(Exists(seated))
        .select_related("deputy__region")
        .order_by("pk")
    )


# A deputy's post in a group and the account role it calls for, the first post first (a 组长's over a 副组长's over a
# 联络员's, when a deputy holds posts in two groups).
POST_ROLES = {
    GroupRole.LEADER: Role.GROUP_LEADER,
    GroupRole.VICE_LEADER: Role.GROUP_LEADER,
    GroupRole.LIAISON: Role.LIAISON_OFFICER,
}
_RANK = {post: n for n, post in enumerate(POST_ROLES)}


def group_posts(deputy_ids: Iterable[int]) -> dict[int, tuple[str, DeputyGroup]]:
    """The post each of these deputies holds in a group today (组长, 副组长 or 联络员) with that group, by deputy id:
    their account's role is 代表小组组长 or 联络员 with that group."""
    posts = GroupMembership.objects.filter(
        active_on(timezone.localdate()), deputy_id__in=list(deputy_ids), role__in=list(POST_ROLES)
    ).select_related("group")
    out: dict[int, tuple[str, DeputyGroup]] = {}
    for m in posts.order_by("pk"):
        held = out.get(m.deputy_id)
        if held is None or _RANK[m.role] < _RANK[held[0]]:
            out[m.deputy_id] = (m.role, m.group)
    return out


def suggested_role(deputy_id: int, posts: dict[int, tuple[str, DeputyGroup]]) -> tuple[str, DeputyGroup | None]:
    held = posts.get(deputy_id)
    return (POST_ROLES[held[0]], held[1]) if held else (Role.DEPUTY, None)


@dataclass(frozen=True)
class Handover:
    """One line of the 开通单: whose account, its username and one-time password (never stored in clear)."""

    deputy: Deputy
    username: str
    password: str
    until: datetime.datetime


def _slip(deputy: Deputy, username: str, until: datetime.datetime) -> Handover:
    return Handover(deputy, username, new_one_time_password(), until)


def _confirmed(ids: list[int], confirmed: str, what: str) -> None:
    if not ids:
        raise ValidationError(f"没有{what}。")
    if logins_digest(ids) != confirmed:
        raise ValidationError("名单在您打开本页后有变化，请核对下面的名单后重新确认。")


def _usernames(ids: list[int]) -> dict[int, str]:
    """`rd` + the deputy's number; where that is taken (an account made by hand), a suffix -2, -3, …"""
    wanted = {pk: username_for(pk) for pk in ids}
    tries = [f"{name}-{n}" for name in wanted.values() for n in range(2, 10)]
    taken = set(User.objects.filter(username__in=[*wanted.values(), *tries]).values_list("username", flat=True))
    out = {}
    for pk, name in wanted.items():
        free = next((n for n in [name, *(f"{name}-{i}" for i in range(2, 10))] if n not in taken), None)
        if free is None:
            raise ValidationError(f"用户名{name}及{name}-2至{name}-9都已被占用，请先在用户管理中核对这些账号。")
        out[pk] = free
    return out


@transaction.atomic
def deputy_accounts_create(*, actor: Any, confirmed: str) -> list[Handover]:
    """Step 1 (module docstring). Returns the 开通单's lines; the passwords are nowhere else."""
    if actor.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以开通账号。")
    # The open requests locked first: a second administrator's confirmation waits, then finds its list changed.
    list(AccountRequest.objects.select_for_update().filter(done_at__isnull=True).values_list("pk", flat=True))
    ids = list(waiting_deputies().values_list("pk", flat=True)[:BATCH_MAX])
    _confirmed(ids, confirmed, "待开通的代表账号")
    deputies = {d.pk: d for d in Deputy.objects.filter(pk__in=ids).select_related("region")}
    names = _usernames(ids)
    now = timezone.now()
    until = now + datetime.timedelta(days=HANDOVER_DAYS)
    handovers = [_slip(deputies[pk], names[pk], until) for pk in ids]
    users = User.objects.bulk_create(
        User(
            username=h.username,
            display_name=h.deputy.name,
            deputy=h.deputy,
            role=Role.UNASSIGNED,
            password=make_password(h.password, hasher=ONE_TIME_CODE),
            password_one_time_until=until,
        )
        for h in handovers
    )
    asked = defaultdict(list)
    for request in AccountRequest.objects.filter(done_at__isnull=True, deputy_id__in=ids):
        asked[request.asked_by_id].append(request.deputy_id)
    AccountRequest.objects.filter(done_at__isnull=True, deputy_id__in=ids).update(done_at=now)
    told = replaced_numbers_tell(deputies.values())
    event = record_batch(
        actor=actor,
        action=CREATED,
        items=[
            BatchItem(obj=u, changes={"username": [None, u.username], "deputy": [None, u.deputy_id]}) for u in users
        ],
        object_type=User._meta.label_lower,
        object_repr="代表账号",
        detail=f"为{len(users)}名代表开通账号，一次性密码{HANDOVER_DAYS}天内有效{_told(told)}",
    )
    notify(
        users=holders(Role.SECURITY_ADMIN),
        subject=f"代表账号待分配角色：{len(users)}个",
        body=f"系统管理员已为{len(users)}名代表开通账号。请在“为代表账号分配角色”中核对并确认角色。",
        link=reverse("deputies:accounts_roles"),
        key=f"deputy_accounts:{event.pk}",
    )
    for asker, deputy_ids in asked.items():
        listed = [deputies[pk].name for pk in sorted(set(deputy_ids))]
        notify(
            users=User.objects.filter(pk=asker, is_active=True),
            subject=f"代表账号已开通：{len(listed)}名",
            body=f"您申请的{'、'.join(listed[:5])}{'等' if len(listed) > 5 else ''}{len(listed)}名代表的登录账号已开通，"
            f"开通单（用户名和一次性密码）由系统管理员交付，请当面转交代表本人；一次性密码{until:%Y-%m-%d}前有效，"
            "安全管理员分配角色后即可登录使用。",
            link=reverse("deputies:list") + "?login=yes",
            key=f"deputy_accounts:{event.pk}",
        )
    return handovers


def expired_slips() -> QuerySet[User]:
    """Enabled deputies' accounts whose one-time password expired unused (a slip not handed over, or not used within
    its days): the system administrator makes them a new 开通单. Along the partial index of one-time passwords."""
    return User.objects.filter(
        password_one_time_until__lte=timezone.now(), deputy__isnull=False, is_active=True
    ).order_by("pk")


@transaction.atomic
def handovers_renew(*, actor: Any, confirmed: str) -> list[Handover]:
    """A new one-time password, valid `HANDOVER_DAYS`, for each account of `expired_slips` (up to `BATCH_MAX`), as
    confirmed; the 开通单's lines back, as when the accounts were made. The usernames and roles stay."""
    if actor.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以重新生成开通单。")
    listed = list(expired_slips().values_list("pk", flat=True)[:BATCH_MAX])
    accounts = list(expired_slips().select_for_update().filter(pk__in=listed))
    _confirmed([a.pk for a in accounts], confirmed, "开通单已过期的代表账号")
    deputies = Deputy.objects.select_related("region").in_bulk([a.deputy_id for a in accounts])
    until = timezone.now() + datetime.timedelta(days=HANDOVER_DAYS)
    handovers, items = [], []
    for account in accounts:
        slip = _slip(deputies[account.deputy_id], account.username, until)
        items.append(
            BatchItem(obj=account, changes={"password_one_time_until": [account.password_one_time_until, until]})
        )
        account.password = make_password(slip.password, hasher=ONE_TIME_CODE)
        account.password_one_time_until = until
        handovers.append(slip)
    told = replaced_numbers_tell(deputies.values(), renewed=True)
    _save(actor, RENEWED, accounts, ["password", "password_one_time_until"], items, extra=_told(told))
    return handovers


@transaction.atomic
def deputy_roles_grant(*, actor: Any, confirmed: str) -> int:
    """Step 2 (module docstring): the role each listed account's deputy calls for, in one step."""
    if actor.role != Role.SECURITY_ADMIN:
        raise PermissionDenied("只有安全管理员可以分配角色。")
    listed = list(roleless_deputy_logins().values_list("pk", flat=True)[:BATCH_MAX])
    accounts = list(User.objects.select_for_update().filter(pk__in=listed, role=Role.UNASSIGNED).order_by("pk"))
    _confirmed([a.pk for a in accounts], confirmed, "待分配角色的代表账号")
    posts = group_posts(a.deputy_id for a in accounts)
    items = []
    for account in accounts:
        account.role, group = suggested_role(account.deputy_id, posts)
        account.group = group
        changes = {"role": [Role.UNASSIGNED, account.role]}
        if group:
            changes["group"] = [None, group.pk]
        items.append(BatchItem(obj=account, changes=changes))
    _save(actor, GRANTED, accounts, ["role", "group"], items)
    return len(accounts)


_DONE = {RENEWED: "重新生成一次性密码（{days}天内有效）", GRANTED: "分配角色"}


def _told(count: int) -> str:
    """What the audit row says of the replaced numbers told (`phone_changes.replaced_numbers_tell`)."""
    return f"；其中{count}名代表的手机号{RECENT_DAYS}天内变更过，已安排短信告知原号码" if count else ""


def _save(
    actor: Any, action: str, accounts: list[User], fields: list[str], items: list[BatchItem], extra: str = ""
) -> None:
    """The accounts' changed `fields` written, and one audit batch row with an item per account."""
    User.objects.bulk_update(accounts, fields, batch_size=500)
    done = _DONE[action].format(days=HANDOVER_DAYS)
    record_batch(
        actor=actor,
        action=action,
        items=items,
        object_type=User._meta.label_lower,
        object_repr="代表账号",
        detail=f"为{len(accounts)}个代表账号{done}{extra}",
    )
