"""撤销换届: a term change made by mistake (the wrong day, the wrong congress) is taken back, while nothing has been
built on it.

A term change (`term_change`) records one audit row, on the new congress, whose items say what each mandate and
membership was before (`record_batch`); its `changes` say which congress ended, what it was, and whether the new one
was created or registered beforehand. The undo reads that row and puts everything back: the mandates' status, end
and reason, the memberships' end, the old congress current again with its former end, and the new congress no
longer current: as it was if it was registered before, else kept as the registered next term (a session may already
refer to it; a change made again reuses it, and an unwanted one is deleted from its page, which refuses while
anything refers to it). It is refused, saying why, once the change has been built on: a mandate registered in the
new congress since (the new roster imported), one of the mandates and memberships the change ended edited since, or
the new congress no longer the current one. Everything is one transaction, with one audit row for the records put
back.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.accounts.selectors import holders
from deputyhome.audit.models import AuditEvent, AuditItem
from deputyhome.audit.services import BatchItem, record_batch
from deputyhome.core.services import model_update
from deputyhome.notifications.selectors import sent_under
from deputyhome.notifications.services import notifications_withdraw, notify
from deputyhome.organisation.models import Congress

from ..models import GroupMembership, Mandate
from .term_change import review_key

TERM_CHANGE = "congress.term_change"
MANDATE, MEMBERSHIP = Mandate._meta.label_lower, GroupMembership._meta.label_lower


def term_change_of(congress: Congress) -> AuditEvent | None:
    """The term change that made `congress` the current one, if it can be undone as recorded (one query)."""
    if not congress.is_current:
        return None
    events = AuditEvent.objects.filter(action=TERM_CHANGE, object_type="organisation.congress", success=True)
    event = events.filter(object_id=str(congress.pk)).order_by("-pk").first()
    return event if event is not None and "congress" in event.changes else None


@dataclass(frozen=True)
class TermUndo:
    """What undoing the term change would do."""

    event: AuditEvent
    old: Congress
    new: Congress
    last_day: datetime.date
    mandates: dict[int, dict[str, list[Any]]]  # mandate id: its changes [before, after]
    memberships: dict[int, dict[str, list[Any]]]

    @property
    def created(self) -> bool:
        """Whether the change created the new congress, or made one registered before current."""
        return bool(self.event.changes.get("next_created"))


def term_undo_plan(*, congress: Congress) -> TermUndo:
    """Check that the term change that made `congress` current can be undone, and say what it would put back; raises
    a ValidationError, in Chinese, saying why not."""
    event = term_change_of(congress)
    if event is None:
        raise ValidationError(f"{congress.name}不是经本系统换届成为本届的，没有可撤销的换届。")
    old = Congress.objects.filter(pk=event.changes["congress"]).first()
    last_day = datetime.date.fromisoformat(event.changes["last_day"])
    if old is None or old.is_current or old.end_date != last_day:
        raise ValidationError("上一届人民代表大会在换届后已有修改，不能自动撤销换届。")
    since = Mandate.objects.filter(congress=congress, created_at__gte=event.at)
    if since.exists():
        raise ValidationError(
            f"换届后已在{congress.name}登记{since.count()}个代表资格（如已导入新一届名册），不能撤销换届；"
            "如需更正，请先删除这些代表资格。"
        )
    items: dict[str, dict[int, dict[str, list[Any]]]] = defaultdict(dict)
    for kind, pk, changes in AuditItem.objects.filter(event=event).values_list("object_type", "object_id", "changes"):
        items[kind][int(pk)] = changes
    mandates, memberships = items[MANDATE], items[MEMBERSHIP]
    edited = _edited_mandates(mandates) + _edited_memberships(memberships)
    if edited:
        raise ValidationError(f"换届后已有{edited}项代表资格或小组成员记录被修改或删除，不能自动撤销换届。")
    return TermUndo(event, old, congress, last_day, mandates, memberships)


def _edited_mandates(mandates: dict[int, dict[str, list[Any]]]) -> int:
    """How many of the mandates the change ended are no longer as it left them (or gone)."""
    now = {
        pk: (status, str(end) if end else None, reason)
        for pk, status, end, reason in Mandate.objects.filter(pk__in=list(mandates)).values_list(
            "pk", "status", "end_date", "end_reason"
        )
    }
    left = {pk: (c["status"][1], c["end_date"][1], c["end_reason"][1]) for pk, c in mandates.items()}
    return sum(1 for pk, state in left.items() if now.get(pk) != state)


def _edited_memberships(memberships: dict[int, dict[str, list[Any]]]) -> int:
    rows = GroupMembership.objects.filter(pk__in=list(memberships)).values_list("pk", "end_date")
    now = {pk: str(end) if end else None for pk, end in rows}
    return sum(1 for pk, c in memberships.items() if now.get(pk, "gone") != c["end_date"][1])


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def term_change_undo(*, congress: Congress, actor: Any) -> TermUndo:
    """Undo the term change that made `congress` current (module docstring); returns what was put back (its `old`:
    the congress current again)."""
    congress = Congress.objects.select_for_update().get(pk=congress.pk)
    plan = term_undo_plan(congress=congress)
    now = timezone.now()
    # One UPDATE per set of former values (nearly always one: active, no end, no reason).
    by_before: dict[tuple, list[int]] = defaultdict(list)
    for pk, c in plan.mandates.items():
        by_before[(c["status"][0], c["end_date"][0], c["end_reason"][0])].append(pk)
    for (status, end, reason), ids in by_before.items():
        Mandate.objects.filter(pk__in=ids).update(status=status, end_date=_day(end), end_reason=reason, updated_at=now)
    ends: dict[str | None, list[int]] = defaultdict(list)
    for pk, c in plan.memberships.items():
        ends[c["end_date"][0]].append(pk)
    for end, ids in ends.items():
        GroupMembership.objects.filter(pk__in=ids).update(end_date=_day(end), updated_at=now)

    changes = plan.event.changes
    before = {} if plan.created else changes.get("next_before") or {}
    new_data = {"is_current": bool(before.get("is_current", False)), "end_date": _day(before.get("end_date"))}
    if before:
        new_data |= {"name": before.get("name", congress.name), "start_date": _day(before.get("start_date"))}
    congress = model_update(instance=congress, data=new_data, actor=actor)
    old = model_update(
        instance=plan.old, data={"is_current": True, "end_date": _day(changes.get("congress_end_date"))}, actor=actor
    )
    mandates = Mandate.objects.filter(pk__in=list(plan.mandates)).select_related("deputy", "congress")
    memberships = GroupMembership.objects.filter(pk__in=list(plan.memberships)).select_related("deputy", "group")
    items = [BatchItem(m, {k: [v[1], v[0]] for k, v in plan.mandates[m.pk].items()}) for m in mandates]
    items += [BatchItem(m, {"end_date": plan.memberships[m.pk]["end_date"][::-1]}) for m in memberships]
    said = f"撤销换届：{old.name}恢复为本届，恢复代表资格{len(plan.mandates)}个、小组成员{len(plan.memberships)}人"
    undone = {"undone": plan.event.pk, "next": congress.pk}
    undo = record_batch(
        actor=actor, action="congress.term_change_undo", obj=old, items=items, changes=undone, detail=said
    )
    _tell_administrators(plan, undo)
    return plan


def _tell_administrators(plan: TermUndo, undo: AuditEvent) -> None:
    """The account review the change asked of the system administrators no longer holds: its unread notices are
    withdrawn, and the administrators are told so, naming the accounts of the deputies seated again that were
    disabled since (theirs to enable again, 三员分立)."""
    keys = [review_key(plan.event), f"term_change:{plan.old.pk}:{plan.new.term}"]  # the second: as keyed before
    administrators = holders(Role.SYSTEM_ADMIN)
    asked = sent_under(keys, users=administrators)
    notifications_withdraw(keys=keys, users=administrators)
    seated = Mandate.objects.filter(pk__in=list(plan.mandates)).values("deputy")
    disabled = list(
        User.objects.filter(deputy__in=seated, is_active=False).order_by("username").values_list("username", flat=True)
    )
    if not (asked or disabled):
        return
    body = f"{plan.new.name}的换届已撤销，{plan.old.name}恢复为本届，此前请复核离任代表账号的提醒作废。"
    if disabled:
        named = "、".join(disabled[:20]) + ("等" if len(disabled) > 20 else "")
        body += f"已停用的{len(disabled)}个账号（{named}）的代表本人已恢复代表资格，请复核后重新启用。"
    notify(
        users=administrators,
        subject=f"撤销换届：{plan.old.name}恢复为本届"
        + (f"，{len(disabled)}个已停用的代表账号待恢复" if disabled else ""),
        body=body,
        link=reverse("accounts:seated_deputies") if disabled else reverse("accounts:user_list"),
        key=f"term_change_undo:{undo.pk}",
    )
