"""Reminders from the station norms' lists: the deputies who have not come to a home or a station this year
(代表进站情况's 提醒) or are paired with too few households (结对联系群众情况's), and the leaders and liaison
officers of the groups that have not met yet this quarter (小组活动情况's 提醒). A message in the site to each login,
and a text message too when asked, once a day at most; one audit row with the numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.audit.services import record
from deputyhome.notifications.services import deliver

from .deputy_norms import DeputyQuery, NormPage
from .group_quarters import GroupQuarterQuery, group_quarters
from .households import households, least
from .visits import visits


@dataclass(frozen=True)
class Reminded:
    missing: int  # deputies (or groups) listed as short of the norm
    reached: int  # logins messaged (today's first reminder) or already messaged today
    texted: int  # text messages sent
    unreached: int = 0  # of those listed, the ones with no login to message (to telephone)


@dataclass(frozen=True)
class ReminderKind:
    """A kind of reminder: its audit action, the link sent, the body (with `{...}` filled in per reminder) and its
    numbers in the audit row's words (`{listed}`, `{reached}`); for a deputies' norm, the message's subject, who
    was reminded in words and the once-a-day key's stem (`{year}` and `{least}` filled in)."""

    action: str
    link: str  # a URL name
    body: str
    counted: str
    subject: str = ""
    what: str = ""
    key: str = ""


VISITS = ReminderKind(
    "visits.remind",
    "deputies:me",
    "按照家站制度，进站代表每人每年至少到家站参加一次活动或接待选民。请与所在代表小组联系安排。",
    "{listed}人，其中{reached}人有登录账号",
    "{year}年您尚未到代表之家或联络站参加活动或接待选民",
    "{year}年未进站代表",
    "visit_reminder",
)
HOUSEHOLDS = ReminderKind(
    "households.remind",
    "opinions:pairing_list",
    "按照家站制度，每名代表经常联系{least}户以上群众。请与所在乡镇（街道）人大联系确定结对联系户，并及时登记联系情况。",
    "{listed}人，其中{reached}人有登录账号",
    "您的结对联系户不足{least}户",
    "{year}年结对联系户不足{least}户的代表",
    "household_reminder",
)
GROUPS = ReminderKind(
    "group_quarters.remind",
    "activities:activity_create",
    "按照家站制度，代表小组每季度至少集中开展一次活动。本季度截至{end}，还有{left}天，请及时组织开展并登记活动。",
    "{listed}个，组长、联络员登录账号{reached}个",
)


def _send(
    users: QuerySet[User],
    kind: ReminderKind,
    *,
    listed: int,
    year: int,
    subject: str,
    what: str,
    key: str,
    actor: Any,
    sms: bool,
    covered: int | None = None,
    **body: Any,
) -> Reminded:
    """Send `kind` to `users` (once a day: `key` carries the day) and record it: `what` says who, in words;
    `covered`, how many of the `listed` have a login among `users` (each their own, unless said)."""
    sent = deliver(
        users=users,
        subject=subject,
        body=kind.body.format(**body),
        link=reverse(kind.link),
        key=f"{key}:{timezone.localdate():%Y%m%d}",
        sms=sms,
    )
    reached = users.count()
    record(
        actor=actor,
        action=kind.action,
        object_type=f"records.{kind.action.split('.')[0]}",
        object_repr=what,
        changes={"year": year, "missing": listed, "reached": reached, "sent": dict(sent)},
        detail=f"提醒{what}：{kind.counted.format(listed=listed, reached=reached)}",
    )
    covered = reached if covered is None else covered
    return Reminded(missing=listed, reached=reached, texted=sent.get("sms", 0), unreached=listed - covered)


def _deputies_send(
    kind: ReminderKind, listing: Callable[..., NormPage], query: DeputyQuery, *, actor: Any, sms: bool
) -> Reminded:
    """Remind the deputies `listing` shows short of a norm for `query` (`missing`, within the actor's scope)."""
    ids = list(listing(replace(query, missing=True), user=actor).listed.ids)
    users = User.objects.filter(deputy_id__in=ids, is_active=True).select_related("deputy")
    words = {"year": query.year, "least": least()}
    subject, what, key = kind.subject.format(**words), kind.what.format(**words), f"{kind.key}:{query.year}"
    return _send(users, kind, listed=len(ids), subject=subject, what=what, key=key, actor=actor, sms=sms, **words)


@transaction.atomic
def visit_reminders_send(*, query: DeputyQuery, actor: Any, sms: bool = False) -> Reminded:
    """Remind the deputies `query` lists as not come."""
    return _deputies_send(VISITS, visits, query, actor=actor, sms=sms)


@transaction.atomic
def household_reminders_send(*, query: DeputyQuery, actor: Any, sms: bool = False) -> Reminded:
    """Remind the deputies `query` lists as paired with too few households."""
    return _deputies_send(HOUSEHOLDS, households, query, actor=actor, sms=sms)


GROUP_KEEPERS = (Role.GROUP_LEADER, Role.LIAISON_OFFICER)


@transaction.atomic
def group_reminders_send(*, query: GroupQuarterQuery, actor: Any, sms: bool = False) -> Reminded:
    """Remind the leaders and liaison officers of the groups `query` lists as not met yet in the running quarter
    (`running`, within the actor's scope). Refused when the year has no running quarter."""
    if query.current is None:
        raise ValidationError(f"{query.year}年没有进行中的季度，无需提醒。")
    quarter = query.periods[query.current]
    ids = list(group_quarters(replace(query, running=True), user=actor).listed.ids)
    users = User.objects.filter(role__in=GROUP_KEEPERS, group_id__in=ids, is_active=True)
    end, left = f"{quarter.end.month}月{quarter.end.day}日", (quarter.end - query.day).days
    return _send(
        users,
        GROUPS,
        listed=len(ids),
        year=query.year,
        subject=f"{quarter.label}本组尚未开展集中活动",
        what=f"{quarter.label}尚未开展活动的代表小组",
        key=f"group_reminder:{query.year}:{query.current + 1}",
        actor=actor,
        sms=sms,
        covered=users.values("group_id").distinct().count(),
        end=end,
        left=left,
    )
