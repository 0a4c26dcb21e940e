"""Who is who on one suggestion, and the machinery every step of its course shares: lock the
suggestion, check the move in the workflow table, write the new state with its timeline event
and audit row, tell people once the transaction commits.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role
from deputyhome.audit.services import record
from deputyhome.core import uploads
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import HandlingUnit

from .. import workflow
from ..choices import ActorRole, AssignmentStatus, UnitRole
from ..models import Attachment, Event, Forward, Policy, Reply, Suggestion

if TYPE_CHECKING:
    from deputyhome.accounts.models import User


def actor_roles(user: Any, suggestion: Suggestion) -> set[str]:
    """The parts `user` plays on `suggestion`; None is the scheduler (SYSTEM)."""
    if user is None:
        return {ActorRole.SYSTEM}
    roles: set[str] = set()
    if user.deputy_id and user.deputy_id == suggestion.author_id:
        roles.add(ActorRole.AUTHOR)
    if user.deputy_id and any(c.deputy_id == user.deputy_id for c in suggestion.cosigners.all()):
        roles.add(ActorRole.COSIGNER)
    # The desk of the suggestion's congress: the city's 代工委, or the township presidium's office.
    if scopes.is_congress_staff(user, suggestion.congress):
        roles |= {ActorRole.STAFF, ActorRole.ENTRY}
    if user.role == Role.TOWNSHIP_OFFICER and suggestion.created_by_id == user.pk:
        roles.add(ActorRole.ENTRY)
    if user.role in (Role.SUPERVISOR, Role.LEADER) and not is_township_work(suggestion):
        roles.add(ActorRole.SUPERVISOR)
    if user.role == Role.UNIT_CLERK and user.unit_id:
        for a in suggestion.assignments.all():
            if a.unit_id == user.unit_id and a.status == AssignmentStatus.ACTIVE:
                roles.add(ActorRole.LEAD_UNIT if a.role == UnitRole.LEAD else ActorRole.CO_UNIT)
    return roles


def is_township_work(suggestion: Suggestion) -> bool:
    """Whether a township congress runs the suggestion (the city reads it, read-only)."""
    return suggestion.congress is not None and suggestion.congress.level == CongressLevel.TOWNSHIP


def units_serving(congress: Any) -> QuerySet[HandlingUnit]:
    """The handling units of a congress: those of its region (the city's departments, a township's offices
    and village committees); units without a region are the city's, as they were before regions."""
    units = HandlingUnit.objects.filter(is_active=True)
    if congress is None or not congress.region_id:
        return units.filter(region__isnull=True)
    if congress.level == CongressLevel.TOWNSHIP:
        return units.filter(region_id=congress.region_id)
    return units.filter(Q(region_id=congress.region_id) | Q(region__isnull=True))


def allowed_actions(user: Any, suggestion: Suggestion) -> list[str]:
    return workflow.allowed_actions(suggestion.state, actor_roles(user, suggestion))


def policy_for(day: datetime.date, congress: Any = None) -> Policy:
    """The periods for a suggestion of `congress` (None: the city's) on `day`: the congress's own row of the
    newest year at or before `day`, else the default row (no region) of such a year, else the law's defaults."""
    rows = Policy.objects.filter(year__lte=day.year).order_by("-year")
    if congress is not None and congress.region_id and congress.level == CongressLevel.TOWNSHIP:
        own = rows.filter(region_id=congress.region_id).first()
        if own is not None:
            return own
    return rows.filter(region__isnull=True).first() or Policy(year=day.year)


def local_today() -> datetime.date:
    return timezone.localdate()


def actor_label(user: Any) -> str:
    if user is None:
        return "系统"
    if user.role == Role.UNIT_CLERK and user.unit_id:
        return f"{user.unit}（{user}）"
    return str(user)


def lock(suggestion: Suggestion) -> Suggestion:
    """The suggestion's row, locked for the step; its congress (and the congress's region) read in the same query,
    since every step asks who the congress's staff are (`actor_roles`). Only the suggestion's row is locked."""
    return Suggestion.objects.select_for_update(of=("self",)).select_related("congress__region").get(pk=suggestion.pk)


def lock_for_step(suggestion: Suggestion, action: str, actor: Any) -> Suggestion:
    """The suggestion locked (`lock`), once the course allows the actor's part this action in its state
    (IllegalTransition otherwise)."""
    s = lock(suggestion)
    workflow.transition(s.state, action, actor_roles(actor, s))
    return s


STALE = (
    "这件建议在您打开页面之后已有新的办理步骤（例如已被他人交办），本次操作未执行。请刷新页面，查看最新情况后再操作。"
)


def version_of(suggestion: Suggestion) -> int:
    """The suggestion's version: its latest event (every step records one); a form carries the one it was shown with."""
    return suggestion.events.order_by("-pk").values_list("pk", flat=True).first() or 0


def check_version(locked: Suggestion, version: int | None) -> None:
    """Refuse a form shown before the last step (call with the row locked): two staff must not both act on one state."""
    if version is not None and version != version_of(locked):
        raise ValidationError(STALE, code="stale")


STALE_ASSIGNMENT = (
    "这件建议在您打开答复页面之后交办情况已有变化（已重新交办，或已申请退回），本次答复未提交。"
    "请刷新页面，核对最新的交办情况后再答复。"
)


def assignment_version(suggestion: Suggestion) -> int:
    """The assignment a unit's form is shown under: the active lead assignment's id (0 when none).

    Every change of the assignment makes it another number: an assignment or a reassignment writes new
    rows for the lead and co-units, and a return ends the active ones. Other steps (a consultation, a
    supervision record) leave it as it is, so a clerk's reply is not refused for them.
    """
    leads = [
        a.pk for a in suggestion.assignments.all() if a.status == AssignmentStatus.ACTIVE and a.role == UnitRole.LEAD
    ]
    return max(leads, default=0)


def check_assignment(locked: Suggestion, version: int | None) -> None:
    """Refuse a unit's form shown under another assignment (call with the row locked, before the workflow's check)."""
    if version is not None and version != assignment_version(locked):
        raise ValidationError(STALE_ASSIGNMENT, code="stale")


def record_step(
    suggestion: Suggestion,
    action: str,
    actor: Any,
    *,
    note: str = "",
    data: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
    to: str | None = None,
) -> str:
    """Check the move (unless the caller already did and passes `to`), set the new state, and
    write the timeline event and the audit row."""
    before = suggestion.state
    after = to if to is not None else workflow.transition(before, action, actor_roles(actor, suggestion))
    suggestion.state = after
    suggestion.save()
    Event.objects.create(
        suggestion=suggestion,
        on=local_today(),
        actor=actor,
        actor_label=actor_label(actor),
        action=action,
        from_state=before,
        to_state=after,
        round=suggestion.round,
        note=note,
        data=data or {},
    )
    record(
        actor=actor or "system",
        action=f"suggestion.{action}",
        obj=suggestion,
        changes={"state": [before, after], **(changes or {})} if before != after else (changes or {}),
        detail=note[:500],
    )
    return after


def require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def unit_of(actor: Any) -> HandlingUnit:
    return HandlingUnit.objects.get(pk=actor.unit_id)


# The demo replays a year of steps under a travelled clock and wants each notification stamped at its
# step's time, so it asks for delivery at once (`notifications_at_once`); otherwise they go on commit.
_at_once: ContextVar[bool] = ContextVar("suggestion_notifications_at_once", default=False)


@contextmanager
def notifications_at_once() -> Iterator[None]:
    """Within this block, the course's notifications are delivered at once rather than on commit."""
    token = _at_once.set(True)
    try:
        yield
    finally:
        _at_once.reset(token)


def delivered_at_once() -> bool:
    """Whether notifications go out at once (inside `notifications_at_once`) rather than on commit; the
    motions' course, which the demo replays alongside, follows the same rule."""
    return _at_once.get()


def notify(users: Iterable[Any], subject: str, suggestion: Suggestion, key: str = "") -> None:
    """Tell `users` about a step of `suggestion`, once the step's transaction has committed."""
    from deputyhome.notifications.services import notify as send

    recipients = [u for u in users if u is not None]

    def deliver() -> None:
        send(users=recipients, subject=subject, link=suggestion.get_absolute_url(), key=key)

    if _at_once.get():
        deliver()
    else:
        transaction.on_commit(deliver)


def unit_users(unit_ids: Iterable[int]) -> list[User]:
    from deputyhome.accounts.models import User

    return list(User.objects.filter(role=Role.UNIT_CLERK, unit_id__in=list(unit_ids), is_active=True))


def users_of_deputies(deputy_ids: Iterable[int]) -> list[User]:
    from deputyhome.accounts.models import User

    return list(User.objects.filter(deputy_id__in=list(deputy_ids), is_active=True))


def evaluators(s: Suggestion) -> list[int]:
    """The deputies who answer for a suggestion: its author and the co-signers who confirmed."""
    return [s.author_id, *s.cosigners.filter(confirmed_at__isnull=False).values_list("deputy_id", flat=True)]


def deputy_users(suggestion: Suggestion) -> list[User]:
    return users_of_deputies(evaluators(suggestion))


def staff_users(suggestion: Suggestion) -> list[User]:
    """The officers of the suggestion's desk: the city's, or the township's for a township congress's."""
    from deputyhome.accounts.models import User

    congress = suggestion.congress
    if congress is not None and congress.level == CongressLevel.TOWNSHIP and congress.region_id:
        officers = User.objects.filter(
            role=Role.TOWNSHIP_OFFICER, region__code__in=scopes.ancestor_codes(congress.region.code)
        )
    else:
        officers = User.objects.filter(role=Role.CITY_OFFICER)
    return list(officers.filter(is_active=True))


def attach(
    suggestion: Suggestion,
    files: Sequence[UploadedFile],
    actor: Any,
    reply: Reply | None = None,
    forward: Forward | None = None,
) -> None:
    """Check every file first (type, size and content: core.uploads.check_attachment), then store them."""
    for f in files:
        uploads.check_attachment(f)
    for f in files:
        Attachment.objects.create(
            suggestion=suggestion,
            reply=reply,
            forward=forward,
            file=f,
            name=f.name[:200],
            size=f.size,
            uploaded_by=actor,
        )
