"""The deputy's part before screening: drafts, co-signers, attachments, submission, withdrawal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from deputyhome.audit.services import record
from deputyhome.deputies.models import Deputy

from .. import workflow
from ..choices import Action, State
from ..models import (
    CoSigner,
    Event,
    Suggestion,
)
from .course import (
    actor_label,
    actor_roles,
    attach,
    local_today,
    lock,
    lock_for_step,
    notify,
    record_step,
    require,
    staff_users,
    users_of_deputies,
)
from .lists import congresses_for, session_during


def _set_cosigners(suggestion: Suggestion, cosigners: Iterable[Deputy], actor: Any) -> None:
    cosigners = list(cosigners)
    author = next((d for d in cosigners if d.pk == suggestion.author_id), None)
    require(author is None, f"领衔代表不能同时作为联名代表：{author.name if author else ''}。")
    wanted = {d.pk for d in cosigners}
    suggestion.cosigners.exclude(deputy_id__in=wanted).delete()
    existing = set(suggestion.cosigners.values_list("deputy_id", flat=True))
    for deputy_id in wanted - existing:
        CoSigner.objects.create(suggestion=suggestion, deputy_id=deputy_id, confirmed_at=None)


CONTENT_FIELDS = ("title", "situation", "reasons", "proposals", "session", "congress")


def _with_congress(author: Deputy, fields: dict[str, Any]) -> dict[str, Any]:
    """`fields` with the congress the suggestion goes to: the one chosen, the session's, or the deputy's first
    (`congresses_for`); refused when the deputy holds no mandate in it or the session is another congress's."""
    session = fields.get("session")
    choices = congresses_for(deputy=author, day=local_today())
    congress = fields.get("congress") or (session.congress if session else None) or (choices[0] if choices else None)
    if congress is not None and choices:
        allowed = ", ".join(c.name for c in choices)
        require(
            congress.pk in {c.pk for c in choices},
            f"{author.name}不是{congress}的代表，建议不能提交给该人大（可提交给：{allowed}）。",
        )
    if session is not None and congress is not None:
        require(session.congress_id == congress.pk, f"所选会议“{session}”不属于{congress}。")
    return {**fields, "congress": congress}


@transaction.atomic
def suggestion_create(
    *,
    author: Deputy,
    data: dict[str, Any],
    actor: Any,
    cosigners: Iterable[Deputy] = (),
    files: Sequence[UploadedFile] = (),
) -> Suggestion:
    """A new draft, private to its author and to the officer who entered it."""
    fields = {k: v for k, v in data.items() if k in CONTENT_FIELDS}
    require(bool((fields.get("title") or "").strip()), "请填写建议标题。")
    fields = _with_congress(author, fields)
    suggestion = Suggestion.objects.create(
        author=author, created_by=actor, year=local_today().year, region=author.region, state=State.DRAFT, **fields
    )
    _set_cosigners(suggestion, cosigners, actor)
    attach(suggestion, files, actor)
    Event.objects.create(
        suggestion=suggestion,
        on=local_today(),
        actor=actor,
        actor_label=actor_label(actor),
        action=Action.CREATE,
        to_state=State.DRAFT,
    )
    record(actor=actor, action="suggestion.create", obj=suggestion, changes={k: [None, v] for k, v in fields.items()})
    return suggestion


@transaction.atomic
def suggestion_update(
    *,
    suggestion: Suggestion,
    data: dict[str, Any],
    actor: Any,
    cosigners: Iterable[Deputy] | None = None,
    files: Sequence[UploadedFile] = (),
) -> Suggestion:
    s = lock_for_step(suggestion, Action.EDIT, actor)
    changes = {}
    if "congress" in data or "session" in data:
        picked = {k: data.get(k, getattr(s, k)) for k in ("congress", "session")}
        data = {**data, **_with_congress(s.author, picked)}
    for key, value in data.items():
        if key in CONTENT_FIELDS and getattr(s, key) != value:
            changes[key] = [str(getattr(s, key)), str(value)]
            setattr(s, key, value)
    if cosigners is not None:
        _set_cosigners(s, cosigners, actor)
    attach(s, files, actor)
    s.save()
    record(actor=actor, action="suggestion.edit", obj=s, changes=changes)
    return s


@transaction.atomic
def suggestion_submit(*, suggestion: Suggestion, actor: Any) -> Suggestion:
    s = lock(suggestion)
    require(bool(s.proposals.strip()), "请填写“意见建议”后再提交。")
    if s.session_id is None and s.submitted_at is None:
        # Submitted for the first time while the deputy's congress sits: it came in during that session.
        s.session = session_during(day=local_today(), congress=s.congress)
    s.submitted_at = timezone.now()
    s.year = local_today().year if s.session_id is None else s.session.start_date.year
    s.region = s.author.region
    s.return_reason, s.return_note = "", ""
    record_step(s, Action.SUBMIT, actor, note="会议期间提出" if s.session_id else "闭会期间提出")
    notify(staff_users(s), f"新提交的代表建议：{s.title}", s)
    pending = s.cosigners.filter(confirmed_at__isnull=True).values_list("deputy_id", flat=True)
    notify(users_of_deputies(pending), f"请确认联名：{s.title}", s)
    return s


@transaction.atomic
def suggestion_confirm_cosign(*, suggestion: Suggestion, actor: Any) -> Suggestion:
    s = lock_for_step(suggestion, Action.CONFIRM_COSIGN, actor)
    row = s.cosigners.get(deputy_id=actor.deputy_id)
    require(row.confirmed_at is None, "您已确认过联名。")
    row.confirmed_at = timezone.now()
    row.save()
    record_step(s, Action.CONFIRM_COSIGN, actor, note=f"{row.deputy}确认联名", to=s.state)
    return s


def may_withdraw(user: Any, s: Suggestion) -> bool:
    """The author; or whoever entered the suggestion for them, when the deputy did not draft it themselves."""
    if user.deputy_id and user.deputy_id == s.author_id:
        return True
    entered_by_other = s.created_by_id is not None and (s.created_by.deputy_id != s.author_id)
    return entered_by_other and Action.WITHDRAW in workflow.allowed_actions(s.state, actor_roles(user, s))


@transaction.atomic
def suggestion_withdraw(*, suggestion: Suggestion, actor: Any, note: str = "") -> Suggestion:
    """The author withdraws their suggestion; staff only one they entered for the deputy, recorded as such."""
    s = lock(suggestion)
    to = workflow.transition(s.state, Action.WITHDRAW, actor_roles(actor, s))
    if actor.deputy_id != s.author_id:
        require(may_withdraw(actor, s), "只有领衔代表本人可以撤回自己提交的建议。")
        note = f"受托代领衔代表{s.author.name}撤回。{note}".strip()
    record_step(s, Action.WITHDRAW, actor, note=note, to=to)
    return s
