"""What every step of a motion's course shares: who plays which part, the congress's rules, the session's
window for motions, and the machinery of a step (lock, check the move, write it with its timeline event
and audit row, tell people once the transaction commits)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role
from deputyhome.audit.services import record
from deputyhome.organisation.models import Congress, Session
from deputyhome.suggestions.services.course import delivered_at_once

from .. import workflow
from ..choices import MotionPart
from ..models import (
    DEFAULT_MIN_SIGNERS,
    DEFAULT_MIN_SIGNERS_ABOVE,
    DEFAULT_REVIEW_MONTHS,
    Motion,
    MotionEvent,
    MotionRules,
)


def rules_for(congress: Congress) -> MotionRules:
    """The congress's rules; the defaults of its level (unsaved) when none were set."""
    found = MotionRules.objects.filter(congress=congress).first()
    if found is not None:
        return found
    minimum = DEFAULT_MIN_SIGNERS.get(congress.level, DEFAULT_MIN_SIGNERS_ABOVE)
    return MotionRules(congress=congress, min_signers=minimum, review_months=DEFAULT_REVIEW_MONTHS)


def may_act_for(user: Any, congress: Congress) -> bool:
    """Whether `user` is the staff of `congress` (its secretariat, recording the presidium's decisions)."""
    return scopes.is_congress_staff(user, congress)


def actor_parts(user: Any, motion: Motion) -> set[str]:
    """The parts `user` plays on `motion` (reads its signers: prefetch them for a page)."""
    parts: set[str] = set()
    if user.deputy_id:
        if user.deputy_id == motion.lead_id:
            parts.add(MotionPart.LEAD)
        elif any(s.deputy_id == user.deputy_id for s in motion.signers.all()):
            parts.add(MotionPart.SIGNER)
    if may_act_for(user, motion.session.congress):
        parts.add(MotionPart.STAFF)
    return parts


def allowed_actions(user: Any, motion: Motion) -> list[str]:
    return workflow.allowed_actions(motion.state, actor_parts(user, motion))


def deadline_of(session: Session) -> datetime.datetime:
    """The moment motions close: the presidium's deadline, or the end of the closing day."""
    if session.motion_deadline is not None:
        return session.motion_deadline
    day = session.end_date + datetime.timedelta(days=1)
    return datetime.datetime(day.year, day.month, day.day, tzinfo=timezone.get_current_timezone())


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y年%m月%d日 %H:%M")


def window_problem(session: Session, now: datetime.datetime, what: str = "提出议案") -> str:
    """Why `what` cannot be done at `now` (the session not open yet, closed, or past its deadline), or ""."""
    day = timezone.localtime(now).date()
    if day < session.start_date:
        return f"{session.name}尚未开幕（{session.start_date:%Y年%m月%d日}开幕），不能{what}。"
    deadline = deadline_of(session)
    if now >= deadline or day > session.end_date:
        return f"已过{session.name}的议案截止时间（{_when(deadline)}），不能{what}。"
    return ""


def open_for_drafting(session: Session, now: datetime.datetime) -> bool:
    """A draft may be prepared for a session of a current congress before its deadline (filed once it opens)."""
    return session.congress.is_current and now < deadline_of(session)


def require(condition: bool, message: str, field: str | None = None) -> None:
    if not condition:
        raise ValidationError({field: message} if field else message)


def lock(motion: Motion) -> Motion:
    # One query: the joined rows are read, only the motion's row is locked (PostgreSQL will not lock the nullable
    # side of an outer join).
    return (
        Motion.objects.select_for_update(of=("self",))
        .select_related("session__congress__region", "lead", "delegation")
        .get(pk=motion.pk)
    )


def lock_for_step(motion: Motion, action: str, actor: Any) -> Motion:
    """The motion locked (`lock`), once the course allows the actor's part this action in its state."""
    m = lock(motion)
    workflow.transition(m.state, action, actor_parts(actor, m))
    return m


def actor_label(user: Any) -> str:
    return "系统" if user is None else str(user)


def record_step(
    motion: Motion,
    action: str,
    actor: Any,
    *,
    to: str | None = None,
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> str:
    """Check the move, set the new state, and write the timeline event and the audit row."""
    before = motion.state
    after = workflow.transition(before, action, actor_parts(actor, motion), to)
    motion.state = after
    motion.save()
    MotionEvent.objects.create(
        motion=motion,
        actor=actor,
        actor_label=actor_label(actor),
        action=action,
        from_state=before,
        to_state=after,
        note=note,
    )
    states = {"state": [before, after]} if before != after else {}
    record(actor=actor, action=f"motion.{action}", obj=motion, changes={**states, **(changes or {})}, detail=note[:500])
    return after


def notify(deputy_ids: Iterable[int], subject: str, motion: Motion, *, staff: bool = False) -> None:
    """Tell the deputies (those with a login) and, with `staff`, the congress's staff, once the step commits."""
    from deputyhome.accounts.models import User
    from deputyhome.notifications.services import notify as send

    users = list(User.objects.filter(deputy_id__in=list(deputy_ids), is_active=True))
    if staff:
        congress = motion.session.congress
        candidates = User.objects.filter(role__in=[Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER], is_active=True)
        users += [u for u in candidates.select_related("region") if may_act_for(u, congress)]
    link = motion.get_absolute_url()

    def deliver() -> None:
        send(users=users, subject=subject, link=link)

    if delivered_at_once():  # the demo's replay, stamped at each step's (travelled) time
        deliver()
    else:
        transaction.on_commit(deliver)
