"""The deputies' part: drafting, filing, confirming a signature or withdrawing it, withdrawing the motion."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from deputyhome.audit.services import record
from deputyhome.core.models import active_on
from deputyhome.deputies.models import Deputy, Mandate
from deputyhome.organisation.models import Session

from ..choices import DelegationRole, MotionAction, MotionKind, MotionState
from ..models import Delegation, DelegationMember, Motion, MotionEvent, MotionSigner
from .course import (
    actor_label,
    lock_for_step,
    notify,
    open_for_drafting,
    record_step,
    require,
    rules_for,
    window_problem,
)

CONTENT_FIELDS = ("title", "grounds", "plan")


def _serving(session: Session, deputy_ids: Iterable[int], day: datetime.date) -> set[int]:
    """Those of `deputy_ids` who hold a mandate of the session's congress on `day`."""
    return set(
        Mandate.objects.filter(
            active_on(day), congress_id=session.congress_id, deputy_id__in=list(deputy_ids)
        ).values_list("deputy_id", flat=True)
    )


def delegation_of(session: Session, deputy: Deputy, day: datetime.date) -> Delegation | None:
    """The delegation of the session the deputy belongs to on `day`, if any."""
    row = (
        DelegationMember.objects.filter(active_on(day), delegation__session=session, deputy=deputy)
        .select_related("delegation__region")
        .order_by("-start_date", "-pk")
        .first()
    )
    return row.delegation if row else None


def is_head(delegation: Delegation, deputy: Deputy, day: datetime.date) -> bool:
    return DelegationMember.objects.filter(
        active_on(day), delegation=delegation, deputy=deputy, role=DelegationRole.HEAD
    ).exists()


def _check_signers(session: Session, lead: Deputy, cosigners: list[Deputy], day: datetime.date) -> None:
    names = [d for d in cosigners if d.pk == lead.pk]
    require(not names, f"领衔代表不能同时作为联名代表：{lead.name}。", "cosigners")
    serving = _serving(session, [lead.pk, *(d.pk for d in cosigners)], day)
    require(lead.pk in serving, f"{lead.name}不是{session.congress.name}的在任代表，不能提出议案。")
    outside = [d.name for d in cosigners if d.pk not in serving]
    require(
        not outside, f"以下代表不是{session.congress.name}的在任代表，不能联名：{'、'.join(outside)}。", "cosigners"
    )


def _set_signers(motion: Motion, cosigners: list[Deputy]) -> None:
    wanted = {d.pk for d in cosigners}
    motion.signers.filter(is_lead=False).exclude(deputy_id__in=wanted).delete()
    existing = set(motion.signers.values_list("deputy_id", flat=True))
    MotionSigner.objects.bulk_create(
        MotionSigner(motion=motion, deputy_id=pk) for pk in sorted(wanted - existing - {motion.lead_id})
    )


@transaction.atomic
def motion_create(
    *,
    session: Session,
    lead: Deputy,
    data: dict[str, Any],
    actor: Any,
    cosigners: Iterable[Deputy] = (),
    kind: str = MotionKind.JOINT,
) -> Motion:
    """A new draft for `session`, led by `lead`: jointly with `cosigners`, or (kind delegation) in the name of
    the delegation the lead heads. Checked again when it is filed."""
    now, day = timezone.now(), timezone.localdate()
    cosigners = list(cosigners)
    fields = {k: (data.get(k) or "").strip() for k in CONTENT_FIELDS}
    require(bool(fields["title"]), "请填写案由（议案的标题）。", "title")
    require(open_for_drafting(session, now), window_problem(session, now, "起草议案") or "该会议不受理议案。")
    require(kind in MotionKind.values, "请选择提出方式。", "kind")
    delegation = delegation_of(session, lead, max(day, session.start_date))
    if kind == MotionKind.DELEGATION:
        require(not cosigners, "以代表团名义提出的议案不需要联名代表。", "cosigners")
        require(
            delegation is not None and is_head(delegation, lead, max(day, session.start_date)),
            f"{lead.name}不是本次会议代表团的团长，不能以代表团名义提出议案。",
            "kind",
        )
    _check_signers(session, lead, cosigners, max(day, session.start_date))
    motion = Motion.objects.create(
        session=session,
        kind=kind,
        delegation=delegation,
        lead=lead,
        region=(delegation.region if delegation and delegation.region_id else lead.region),
        created_by=actor,
        year=session.start_date.year,
        state=MotionState.DRAFT,
        **fields,
    )
    MotionSigner.objects.create(motion=motion, deputy=lead, is_lead=True)
    _set_signers(motion, cosigners)
    MotionEvent.objects.create(
        motion=motion, actor=actor, actor_label=actor_label(actor), action=MotionAction.CREATE, to_state=motion.state
    )
    record(actor=actor, action="motion.create", obj=motion, changes={k: [None, v] for k, v in fields.items()})
    return motion


@transaction.atomic
def motion_update(
    *, motion: Motion, data: dict[str, Any], actor: Any, cosigners: Iterable[Deputy] | None = None
) -> Motion:
    """Change a draft's text or co-signers (the lead only)."""
    m = lock_for_step(motion, MotionAction.EDIT, actor)
    changes = {}
    for key in CONTENT_FIELDS:
        if key in data and getattr(m, key) != (value := (data[key] or "").strip()):
            changes[key] = [getattr(m, key), value]
            setattr(m, key, value)
    require(bool(m.title), "请填写案由（议案的标题）。", "title")
    if cosigners is not None:
        cosigners = list(cosigners)
        require(m.kind == MotionKind.JOINT or not cosigners, "以代表团名义提出的议案不需要联名代表。", "cosigners")
        _check_signers(m.session, m.lead, cosigners, max(timezone.localdate(), m.session.start_date))
        _set_signers(m, cosigners)
    m.save()
    record(actor=actor, action="motion.edit", obj=m, changes=changes)
    return m


@transaction.atomic
def motion_file(*, motion: Motion, actor: Any) -> Motion:
    """File the draft (提出): during the session, before the deadline; one matter with its subject, grounds and
    solution; a joint motion names enough deputies of the congress, who are asked to confirm."""
    m = lock_for_step(motion, MotionAction.FILE, actor)
    now, day = timezone.now(), timezone.localdate()
    problem = window_problem(m.session, now)
    require(not problem, problem)
    missing = [label for key, label in (("grounds", "案据"), ("plan", "方案")) if not getattr(m, key).strip()]
    require(not missing, f"请填写{'和'.join(missing)}后再提出：议案须一案一事，有案由、案据和方案。")
    signers = list(m.signers.select_related("deputy"))
    cosigners = [s.deputy for s in signers if not s.is_lead]
    _check_signers(m.session, m.lead, cosigners, day)
    if m.kind == MotionKind.DELEGATION:
        m.delegation = delegation_of(m.session, m.lead, day)
        require(
            m.delegation is not None and is_head(m.delegation, m.lead, day),
            f"{m.lead.name}不是本次会议代表团的团长，不能以代表团名义提出议案。",
        )
    else:
        minimum = rules_for(m.session.congress).min_signers
        require(
            len(signers) >= minimum,
            f"联名代表不足：{m.session.congress.name}的代表联名提出议案须{minimum}人以上（含领衔代表），现只列了{len(signers)}人。",
        )
        m.delegation = delegation_of(m.session, m.lead, day) or m.delegation
    # Numbers follow the order of filing within the session; the session row is the lock that orders them.
    Session.objects.select_for_update().get(pk=m.session_id)
    m.number = (Motion.objects.filter(session_id=m.session_id).aggregate(n=Max("number"))["n"] or 0) + 1
    m.filed_at = now
    m.signers.filter(is_lead=True).update(confirmed_at=now, withdrawn_at=None)
    record_step(
        m,
        MotionAction.FILE,
        actor,
        note=f"{m.get_kind_display()}，编为第{m.number}号",
        changes={"number": [None, m.number]},
    )
    notify([d.pk for d in cosigners], f"请确认联名议案：{m.title}", m)
    notify([], f"新提出的议案：{m.title}", m, staff=True)
    return m


def _signature(m: Motion, actor: Any) -> MotionSigner:
    row = m.signers.filter(deputy_id=actor.deputy_id, is_lead=False).first()
    require(row is not None, "您不是这件议案的联名代表。")
    return row


@transaction.atomic
def motion_confirm(*, motion: Motion, actor: Any) -> Motion:
    """A co-signer confirms their signature (before the deadline); a withdrawn name may be given again."""
    m = lock_for_step(motion, MotionAction.CONFIRM, actor)
    problem = window_problem(m.session, timezone.now(), "确认联名")
    require(not problem, problem)
    row = _signature(m, actor)
    require(row.confirmed_at is None or row.withdrawn_at is not None, "您已确认过联名。")
    row.confirmed_at, row.withdrawn_at = timezone.now(), None
    row.save(update_fields=["confirmed_at", "withdrawn_at"])
    record_step(m, MotionAction.CONFIRM, actor)
    return m


@transaction.atomic
def motion_unsign(*, motion: Motion, actor: Any, note: str = "") -> Motion:
    """A co-signer withdraws their name, only before the deadline; it stays on record and no longer counts."""
    m = lock_for_step(motion, MotionAction.UNSIGN, actor)
    problem = window_problem(m.session, timezone.now(), "撤回联名")
    require(not problem, problem)
    row = _signature(m, actor)
    require(row.withdrawn_at is None, "您已撤回过联名。")
    row.withdrawn_at = timezone.now()
    row.save(update_fields=["withdrawn_at"])
    record_step(m, MotionAction.UNSIGN, actor, note=note.strip())
    notify([m.lead_id], f"{row.deputy}撤回了对议案的联名：{m.title}", m)
    return m


@transaction.atomic
def motion_withdraw(*, motion: Motion, actor: Any, note: str = "") -> Motion:
    """The lead withdraws the motion: a draft at any time, a filed motion before the deadline."""
    m = lock_for_step(motion, MotionAction.WITHDRAW, actor)
    if m.state == MotionState.FILED:
        problem = window_problem(m.session, timezone.now(), "撤回议案")
        require(not problem, problem)
    record_step(m, MotionAction.WITHDRAW, actor, note=note)
    return m
