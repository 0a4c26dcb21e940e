"""Triage of an opinion by staff: reply, forward, merge, turn into a problem or a suggestion."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from deputyhome.audit.services import record
from deputyhome.deputies.models import Deputy
from deputyhome.organisation.models import HandlingUnit

from .. import selectors
from ..choices import OpinionStatus
from ..models import Opinion
from .common import (
    MAX_CONTENT,
    add_event,
    clean_text,
    require,
)


def _check_scope(actor: Any, opinion: Opinion) -> None:
    require(selectors.may_triage(actor), "您的角色只能查看群众意见，不能处理。")
    require(selectors.opinion_list(user=actor).filter(pk=opinion.pk).exists(), "该意见不在您的管辖范围内。")


def _lock(opinion: Opinion) -> Opinion:
    return Opinion.objects.select_for_update().get(pk=opinion.pk)


OPEN_STATES = (OpinionStatus.NEW, OpinionStatus.REPLIED)


def _move(
    locked: Opinion, status: str, action: str, actor: Any, note: str = "", *, field: str, to: Any, **also: Any
) -> Opinion:
    """Give the opinion its new status and set `field` to what it now points to (a referral, a
    problem, ...), with its timeline event and the audit row (`also`: more of the change)."""
    before = locked.status
    locked.status = status
    setattr(locked, field, to)
    locked.save()
    add_event(locked, action, actor, note)
    changes = {"status": [before, status], field: [None, to], **{k: [None, v] for k, v in also.items()}}
    record(actor=actor, action=f"opinion.{action}", obj=locked, changes=changes)
    return locked


@transaction.atomic
def opinion_reply(*, opinion: Opinion, text: str, actor: Any) -> Opinion:
    """Answer the citizen; the reply is shown on the public status page."""
    _check_scope(actor, opinion)
    text = clean_text(text)
    require(bool(text), "请填写答复内容。")
    require(len(text) <= MAX_CONTENT, f"答复内容不能超过{MAX_CONTENT}字。")
    locked = _lock(opinion)
    require(locked.status != OpinionStatus.MERGED, "该意见已合并到其他意见，请在合并后的意见上答复。")
    before = locked.status
    locked.reply, locked.replied_at, locked.replied_by = text, timezone.now(), actor
    if before == OpinionStatus.NEW:
        locked.status = OpinionStatus.REPLIED
    locked.save()
    add_event(locked, "reply", actor, text)
    record(
        actor=actor,
        action="opinion.reply",
        obj=locked,
        changes={"status": [before, locked.status], "reply": [opinion.reply or None, text]},
    )
    return locked


@transaction.atomic
def opinion_forward(
    *,
    opinion: Opinion,
    unit: HandlingUnit,
    actor: Any,
    title: str = "",
    content: str = "",
    due_on: datetime.date | None = None,
) -> Opinion:
    """Send the matter to a handling unit through the fast lane; the unit's reply reaches the citizen."""
    from deputyhome.activities.services import referral_create

    _check_scope(actor, opinion)
    locked = _lock(opinion)
    require(locked.status in OPEN_STATES, f"该意见{locked.get_status_display()}，不能再转交。")
    title = clean_text(title) or _summary(locked.content)
    referral = referral_create(
        unit=unit,
        title=title,
        content=clean_text(content) or locked.content,
        actor=actor,
        due_on=due_on,
        region=locked.region,
    )
    return _move(
        locked, OpinionStatus.FORWARDED, "forward", actor, f"转交{unit.name}", field="referral", to=referral, unit=unit
    )


@transaction.atomic
def opinion_merge(*, opinion: Opinion, into: Opinion, actor: Any) -> Opinion:
    """Mark `opinion` as a duplicate of `into` (both in the actor's scope)."""
    _check_scope(actor, opinion)
    require(into is not None, "请选择要合并到的意见。")
    _check_scope(actor, into)
    require(into.pk != opinion.pk, "不能把意见合并到它自己。")
    locked = _lock(opinion)
    target = _lock(into)
    require(locked.status in OPEN_STATES, f"该意见{locked.get_status_display()}，不能再合并。")
    require(target.status != OpinionStatus.MERGED, "目标意见本身已合并到其他意见，请选择合并后的那一条。")
    require(not locked.duplicates.exists(), "已有其他意见合并到该意见，不能再把它合并出去。")
    add_event(target, "merged_in", actor, f"{locked.code_display} 合并到此")
    return _move(
        locked, OpinionStatus.MERGED, "merge", actor, f"合并到 {target.code_display}", field="duplicate_of", to=target
    )


def _summary(text: str, n: int = 40) -> str:
    first = text.replace("\r", "").split("\n")[0].strip().rstrip("。；;，,")
    return first if len(first) <= n else f"{first[:n]}…"


@transaction.atomic
def opinion_to_problem(*, opinion: Opinion, actor: Any, data: dict[str, Any] | None = None) -> Opinion:
    """Register the opinion as a problem found by deputies (activities.problem_create).

    data: deputy (default: the deputy it was addressed to), category, place (default the station).
    """
    from deputyhome.activities.services import problem_create

    _check_scope(actor, opinion)
    data = data or {}
    locked = _lock(opinion)
    require(locked.status in OPEN_STATES, f"该意见{locked.get_status_display()}，不能再转为问题。")
    deputy = data.get("deputy") or locked.deputy or (Deputy.objects.filter(pk=actor.deputy_id).first())
    problem = problem_create(
        data={
            "text": locked.content,
            "place": clean_text(data.get("place")) or (locked.station.name if locked.station_id else ""),
            "category": data.get("category"),
            "deputy": deputy,
            "activity": None,
            "region": locked.region,
            "date": locked.received_on,
        },
        actor=actor,
    )
    return _move(locked, OpinionStatus.PROBLEM, "to_problem", actor, field="problem", to=problem)


@transaction.atomic
def opinion_to_suggestion(*, opinion: Opinion, actor: Any, deputy: Deputy | None = None, title: str = "") -> Opinion:
    """Turn the opinion into a deputy's draft suggestion.

    An opinion already registered as a problem goes through activities.problem_to_suggestion
    (its deputy is the author); otherwise suggestions.suggestion_create makes a draft with
    `deputy` (default: the deputy it was addressed to, or the actor's own deputy) as author.
    """
    from deputyhome.suggestions.services import suggestion_create

    _check_scope(actor, opinion)
    locked = _lock(opinion)
    require(
        locked.status in (*OPEN_STATES, OpinionStatus.PROBLEM),
        f"该意见{locked.get_status_display()}，不能再形成建议。",
    )
    if locked.status == OpinionStatus.PROBLEM and locked.problem_id:
        from deputyhome.activities.services import problem_to_suggestion

        suggestion = problem_to_suggestion(problem=locked.problem, actor=actor)
    else:
        author = deputy or locked.deputy or Deputy.objects.filter(pk=actor.deputy_id).first()
        require(author is not None, "请选择领衔提出建议的代表。")
        require(
            author.pk == actor.deputy_id or selectors.may_edit_station_records(actor),
            "代表只能以本人名义形成建议。",
        )
        suggestion = suggestion_create(
            author=author,
            data={
                "title": clean_text(title) or _summary(locked.content),
                "situation": f"群众反映（{locked.received_on:%Y年%-m月%-d日}，{locked.addressee}）：\n{locked.content}",
            },
            actor=actor,
        )
    return _move(
        locked, OpinionStatus.SUGGESTION, "to_suggestion", actor, str(suggestion), field="suggestion", to=suggestion
    )
