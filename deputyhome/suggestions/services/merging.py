"""并案: staff merge duplicate suggestions into one lead suggestion, and can undo it.

The merged suggestions keep their register numbers (no gaps, nothing renumbered) and point to
the lead; their lead deputies and confirmed co-signers become confirmed co-signers of the lead,
so one reply answers all and every one of them may evaluate it. Undo removes exactly the
co-signers the merge added (recorded on the timeline event) and frees the suggestion again;
it is refused once the lead's reply has gone to the deputies for evaluation. When the lead is
closed (办结), the suggestions merged into it are closed with it (`close_merged_with`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role
from deputyhome.audit.services import record

from ..choices import Action, State
from ..models import CoSigner, Event, Suggestion

LEAD_STATES = (State.REGISTERED, State.ASSIGNED, State.HANDLING)
MERGEABLE_STATES = (State.REGISTERED,)


def may_merge(user: Any) -> bool:
    """The city committee's officers: they merge and keep the committee's memory (past years' ledgers)."""
    return bool(user and user.is_authenticated and user.role == Role.CITY_OFFICER)


def may_merge_at(user: Any, suggestion: Suggestion) -> bool:
    """Whether `user` is the staff of the desk that runs `suggestion` (the city's, or a township's)."""
    return bool(user and user.is_authenticated and scopes.is_congress_staff(user, suggestion.congress))


def _event(
    s: Suggestion, action: str, actor: Any, note: str, data: dict[str, Any], from_state: str | None = None
) -> None:
    Event.objects.create(
        suggestion=s,
        on=timezone.localdate(),
        actor=actor,
        actor_label=str(actor) if actor else "系统",
        action=action,
        from_state=from_state or s.state,
        to_state=s.state,
        round=s.round,
        note=note,
        data=data,
    )


@transaction.atomic
def suggestion_merge(*, lead: Suggestion, others: Sequence[Suggestion], actor: Any, note: str = "") -> Suggestion:
    """Merge `others` into `lead`; their deputies become confirmed co-signers of the lead."""
    if not may_merge_at(actor, lead):
        raise PermissionDenied("只有受理这件建议的人大工作人员可以并案。")
    ids = sorted({lead.pk, *(o.pk for o in others)})
    locked = {s.pk: s for s in Suggestion.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    lead = locked[lead.pk]
    rest = [locked[o.pk] for o in others if o.pk != lead.pk]
    if not rest:
        raise ValidationError("请选择要并入的建议。")
    if lead.merged_into_id:
        raise ValidationError(f"{lead.number_label}已并入其他建议，不能作为主建议。")
    if lead.state not in LEAD_STATES:
        raise ValidationError(
            f"主建议处于“{lead.get_state_display()}”状态，只有已立案、已交办或办理中的建议可作为主建议。"
        )
    for s in rest:
        where = s.number_label or s.title[:20]
        if s.state not in MERGEABLE_STATES:
            raise ValidationError(f"{where}处于“{s.get_state_display()}”状态，只有已立案、尚未交办的建议可以并入。")
        if s.merged_into_id:
            raise ValidationError(f"{where}已并入其他建议。")
        if s.merged.exists():
            raise ValidationError(f"{where}本身是并案的主建议，请先撤销其并案。")
        if s.congress_id != lead.congress_id:
            raise ValidationError(f"{where}与主建议不是同一人大受理的建议，不能并案。")
        if s.year != lead.year:
            raise ValidationError(f"{where}与主建议不在同一年度，不能并案。")
    now = timezone.now()
    present = {lead.author_id, *lead.cosigners.values_list("deputy_id", flat=True)}
    for s in rest:
        signers = [s.author_id, *s.cosigners.filter(confirmed_at__isnull=False).values_list("deputy_id", flat=True)]
        added = [d for d in dict.fromkeys(signers) if d not in present]
        CoSigner.objects.bulk_create([CoSigner(suggestion=lead, deputy_id=d, confirmed_at=now) for d in added])
        present |= set(added)
        s.merged_into = lead
        s.save(update_fields=["merged_into", "updated_at"])
        data = {"lead": lead.pk, "added_cosigners": added}
        _event(s, Action.MERGE, actor, f"并入{lead.number_label}（{lead.title}）。{note}".strip(), data)
        _event(lead, Action.MERGE, actor, f"{s.number_label}（{s.title}）并入本件，领衔及联名代表列为联名代表", data)
        record(actor=actor, action="suggestion.merge", obj=s, changes={"merged_into": [None, lead.pk], **data})
    return lead


@transaction.atomic
def suggestion_unmerge(*, suggestion: Suggestion, actor: Any, note: str = "") -> Suggestion:
    """Undo a merge: the suggestion stands alone again; the co-signers it brought leave the lead."""
    s = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not may_merge_at(actor, s):
        raise PermissionDenied("只有受理这件建议的人大工作人员可以撤销并案。")
    if not s.merged_into_id:
        raise ValidationError("这件建议没有并案。")
    lead = Suggestion.objects.select_for_update().get(pk=s.merged_into_id)
    if lead.state not in LEAD_STATES:
        raise ValidationError(f"主建议已“{lead.get_state_display()}”，代表已收到统一答复，不能撤销并案。")
    merge = s.events.filter(action=Action.MERGE, data__lead=lead.pk).order_by("-id").first()
    added = list(merge.data.get("added_cosigners", [])) if merge else []
    # A deputy who is also on another suggestion still merged into the lead keeps their place.
    still = set()
    for other in lead.merged.exclude(pk=s.pk):
        e = other.events.filter(action=Action.MERGE, data__lead=lead.pk).order_by("-id").first()
        still |= set(e.data.get("added_cosigners", [])) if e else set()
    removed = [d for d in added if d not in still]
    lead.cosigners.filter(deputy_id__in=removed).delete()
    s.merged_into = None
    s.save(update_fields=["merged_into", "updated_at"])
    data = {"lead": lead.pk, "removed_cosigners": removed}
    _event(s, Action.UNMERGE, actor, f"撤销并入{lead.number_label}。{note}".strip(), data)
    _event(lead, Action.UNMERGE, actor, f"{s.number_label}撤销并案", data)
    record(actor=actor, action="suggestion.unmerge", obj=s, changes={"merged_into": [lead.pk, None], **data})
    return s


def close_merged_with(*, lead: Suggestion, actor: Any) -> list[Suggestion]:
    """The lead has just been closed (办结): the suggestions merged into it close with it.

    Called by the closing service inside its transaction; each merged suggestion gets a CLOSE event
    on its timeline and an audit row. Withdrawn or already closed ones are left as they are.
    """
    closed = []
    merged = Suggestion.objects.select_for_update().filter(merged_into=lead).order_by("pk")
    for s in merged.exclude(state__in=(State.CLOSED, State.WITHDRAWN)):
        before = s.state
        s.state = State.CLOSED
        s.closed_on = lead.closed_on or timezone.localdate()
        s.save(update_fields=["state", "closed_on", "updated_at"])
        note = f"主建议{lead.number_label}办结，本件随之办结"
        _event(s, Action.CLOSE, actor, note, {"lead": lead.pk}, from_state=before)
        record(
            actor=actor or "system",
            action="suggestion.close",
            obj=s,
            changes={"state": [before, State.CLOSED], "lead": lead.pk},
            detail=note,
        )
        closed.append(s)
    return closed
