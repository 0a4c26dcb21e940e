"""Reminding the deputies who have not come to a home or a station this year (代表进站情况's 提醒): a message in the
site to each such deputy's login, and a text message too when asked, once a day at most; one audit row."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.audit.services import record
from deputyhome.notifications.services import deliver

from .visits import VisitQuery, visits


@dataclass(frozen=True)
class Reminded:
    missing: int  # deputies listed as not come
    reached: int  # of them, with a login: messaged (today's first reminder) or already messaged today
    texted: int  # text messages sent


@transaction.atomic
def visit_reminders_send(*, query: VisitQuery, actor: Any, sms: bool = False) -> Reminded:
    """Remind the deputies `query` lists as not come (`missing`, within the actor's scope)."""
    ids = list(visits(replace(query, missing=True), user=actor).listed.ids)
    users = User.objects.filter(deputy_id__in=ids, is_active=True).select_related("deputy")
    today = timezone.localdate()
    sent = deliver(
        users=users,
        subject=f"{query.year}年您尚未到代表之家或联络站参加活动或接待选民",
        body="按照家站制度，进站代表每人每年至少到家站参加一次活动或接待选民。请与所在代表小组联系安排。",
        link=reverse("deputies:me"),
        key=f"visit_reminder:{query.year}:{today:%Y%m%d}",
        sms=sms,
    )
    reached = users.count()
    record(
        actor=actor,
        action="visits.remind",
        object_type="records.visits",
        object_repr=f"{query.year}年未进站代表",
        changes={"year": query.year, "missing": len(ids), "reached": reached, "sent": dict(sent)},
        detail=f"提醒{query.year}年未进站代表：{len(ids)}人，其中{reached}人有登录账号",
    )
    return Reminded(missing=len(ids), reached=reached, texted=sent.get("sms", 0))
