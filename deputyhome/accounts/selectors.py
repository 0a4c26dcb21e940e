from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from deputyhome.core.models import active_on

from .choices import ADMIN_ROLES, Role
from .models import User
from .scope_base import _model_at

# 三员分立: the system administrator keeps accounts, the security administrator assigns roles and
# scopes, the audit administrator only reads the audit trail.
USER_ADMINS = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN})


def holders(role: str) -> QuerySet[User]:
    """The enabled accounts of `role` (the administrators a notice goes to)."""
    return User.objects.filter(role=role, is_active=True)


def may_manage_users(user: User) -> bool:
    return user.role in USER_ADMINS


def may_manage_accounts(user: User) -> bool:
    return user.role == Role.SYSTEM_ADMIN


def may_assign_roles(user: User) -> bool:
    return user.role == Role.SECURITY_ADMIN


def user_list(*, user: User) -> QuerySet[User]:
    if not may_manage_users(user):
        return User.objects.none()
    return User.objects.select_related("region", "group", "deputy", "unit")


# An enabled account nobody has signed in with for this long is to be reviewed (等保: dormant accounts).
IDLE_DAYS = 90


def idle_q(now: datetime.datetime) -> Q:
    """Accounts not signed in with for `IDLE_DAYS` (never, for one created that long ago)."""
    since = now - datetime.timedelta(days=IDLE_DAYS)
    return Q(last_login__lt=since) | Q(last_login__isnull=True, date_joined__lt=since)


def former_deputy_q() -> Q:
    """Accounts whose deputy holds no mandate today (a term ended at 换届, or they left): a group leader's or a
    deputy's login that should be reviewed. One anti-join on the mandates (a province's 100,000 accounts in about
    50 ms, where an id list over the accounts joined twice took three times as long). The mandates are reached
    through the account's deputy, as the model relates them (accounts imports nothing from the deputies' app)."""
    seated = _model_at("deputy__mandates").objects.filter(active_on(timezone.localdate()), deputy=OuterRef("deputy_id"))
    return Q(deputy__isnull=False) & ~Exists(seated)


# The group posts each group role stands for (the values of deputies.choices.GroupRole: 组长, 副组长; 联络员; the
# accounts app reads no deputies).
POSTS = {Role.GROUP_LEADER: ("leader", "vice_leader"), Role.LIAISON_OFFICER: ("liaison",)}


def outdated_leader_q() -> Q:
    """Group leaders' and liaison officers' accounts whose deputy no longer holds that post in the account's group
    today (组长 or 副组长; 联络员: a new one elected, the deputy moved to another group or left it): the account still
    sees the group, and its role is the security administrator's to change. An account with no deputy is not
    checked (nothing to check it against: a liaison officer need not be a deputy)."""
    out = Q(pk__in=[])
    for role, posts in POSTS.items():
        memberships = _model_at("group__memberships").objects.filter(
            active_on(timezone.localdate()), group=OuterRef("group_id"), deputy=OuterRef("deputy_id"), role__in=posts
        )
        out |= Q(role=role, deputy__isnull=False) & ~Exists(memberships)
    return out


def retired_unit_q() -> Q:
    """Unit clerks' accounts whose handling unit is no longer in use (merged or abolished): the account still sees the
    unit's suggestions; it is to be anchored to the unit that took over (security administrator) or disabled."""
    return Q(role=Role.UNIT_CLERK, unit__is_active=False)


def account_review_reasons(account: User) -> list[str]:
    """Why an enabled account is to be reviewed, as its page says (the administrators' lists, for one account)."""
    one = User.objects.filter(pk=account.pk)
    reasons = []
    if account.deputy_id and one.filter(former_deputy_q()).exists():
        reasons.append("代表本人今天已没有代表资格：请复核后停用（系统管理员）。")
    if account.role in POSTS and one.filter(outdated_leader_q()).exists():
        post = "组长或副组长" if account.role == Role.GROUP_LEADER else "联络员"
        reasons.append(f"代表本人今天已不是{account.group}的{post}：请更改角色（安全管理员）。")
    if account.role == Role.UNIT_CLERK and account.unit_id and not account.unit.is_active:
        reasons.append(
            f"所属承办单位{account.unit}已停用：请改为承接其职责的单位（安全管理员）或停用账号（系统管理员）。"
        )
    return reasons


# The roles whose account exists because its holder is a deputy: when the deputy leaves, the login has no use. A
# liaison officer (联络员) may be a village's staff member rather than a deputy, and keeps their login unless an
# administrator decides otherwise, one account at a time.
DEPUTY_ROLES = frozenset({Role.DEPUTY, Role.GROUP_LEADER})


DISABLED_AS_FORMER = "user.disable_former_deputies"


def former_deputy_logins(*, actor: User, seated_again: bool = False) -> QuerySet[User]:
    """The enabled deputy and group-leader accounts of deputies who hold no seat today, that the system
    administrator `actor` may disable at once (never their own, nor an administrator's: 三员分立).

    `seated_again`: the other way, the accounts disabled that way (`DISABLED_AS_FORMER`, `User.disabled_as_former`)
    and not enabled or disabled by hand since, whose deputy holds a seat again today (a term change undone, a seat
    registered), to enable again at once."""
    if not may_manage_accounts(actor):
        return User.objects.none()
    return deputy_logins(seated_again=seated_again).exclude(pk=actor.pk)


def deputy_logins(*, seated_again: bool) -> QuerySet[User]:
    """`former_deputy_logins` for whoever may (the administrators' 待办 counts them ahead, for nobody in particular:
    an administrator's own account is never a deputy's role)."""
    deputies = User.objects.filter(role__in=DEPUTY_ROLES, deputy__isnull=False)
    if not seated_again:
        return deputies.filter(former_deputy_q(), is_active=True)
    return deputies.filter(is_active=False, disabled_as_former=True).exclude(former_deputy_q())


def with_seat_ended(accounts: QuerySet[User]) -> QuerySet[User]:
    """The accounts with their deputy and group, and the day the deputy's last seat ended (`seat_ended`)."""
    return (
        accounts.select_related("deputy", "group")
        .annotate(seat_ended=Max("deputy__mandates__end_date"))
        .order_by("username", "pk")
    )


def logins_digest(pks: Iterable[int]) -> str:
    """What a confirmation was shown: the accounts' ids, in order, digested (the page carries it back)."""
    return hashlib.sha256(",".join(str(pk) for pk in sorted(pks)).encode()).hexdigest()[:32]


def account_refusal(*, actor: User, target: User, action: str) -> str:
    """Why `actor` may not do `action` ("edit", "set_password", "role", "reset") to `target`; "" if allowed.

    三员分立 holds between the administrators' own accounts: nobody edits, disables, re-roles or sets the
    password of another administrator's account (another of the same role included). The one exception is
    the security administrator's reset of an administrator's password, which needs the target's second
    factor to stay in place (otherwise the one resetting could enrol their own and sign in as the target).
    """
    other_admin = target.role in ADMIN_ROLES and target.pk != actor.pk
    if action in ("edit", "set_password"):
        if not may_manage_accounts(actor):
            return "只有系统管理员可以修改账号。"
        if other_admin:
            return "不能修改其他管理员的账号（三员分立）；管理员密码须由安全管理员重置。"
        return ""
    if action == "role":
        if not may_assign_roles(actor):
            return "只有安全管理员可以分配角色。"
        if other_admin:
            return "不能修改其他管理员账号的角色（三员分立）。"
        return ""
    if action == "reset":
        if actor.role != Role.SECURITY_ADMIN:
            return "只有安全管理员可以重置管理员的密码。"
        if target.role not in ADMIN_ROLES:
            return "普通账号的密码由系统管理员在编辑账号时设置。"
        if target.pk == actor.pk:
            return "不能重置自己的密码，请使用“修改密码”。"
        if getattr(settings, "OTP_REQUIRED", True):
            from django_otp import user_has_device

            if not user_has_device(target, confirmed=True):
                return (
                    "该管理员尚未绑定动态验证码：重置后他人可代为绑定，故不予重置。请由其本人登录，或在服务器上处理。"
                )
        return ""
    raise ValueError(action)
