"""Writing the audit trail. Every service calls `record` inside its own transaction."""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from .context import client_address
from .models import AuditChainHead, AuditEvent

# The action of the row written for a refused request (403), by the middleware or by a view itself.
REFUSAL_ACTION = "access.denied"


def mark_refusal_audited(request: HttpRequest) -> None:
    """Say that the view already wrote its own audit row for this refusal (exports, reveals)."""
    request.refusal_audited = True  # type: ignore[attr-defined]


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, Decimal)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    success: bool = True,
    detail: str = "",
) -> AuditEvent:
    """Append one audit row. Call it inside the transaction of the write it describes."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        at=timezone.now(),
        actor=user,
        actor_name=(user.get_username() if user else (str(actor) if actor else ""))[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        changes=_plain(changes or {}),
        success=success,
        client_address=client_address.get(),
        detail=detail,
    )
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event.seq = head.seq + 1
        event.prev_hash = head.hash
        event.hash = event_digest(event)
        event.save(force_insert=True)
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


def event_digest(event: AuditEvent) -> str:
    """SHA-256 over the previous digest and every recorded field, in a fixed form."""
    body = json.dumps(
        [
            event.prev_hash,
            event.seq,
            event.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            event.actor_id,
            event.actor_name,
            event.action,
            event.object_type,
            event.object_id,
            event.object_repr,
            event.changes,
            event.success,
            event.client_address,
            event.detail,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def verify_chain() -> list[str]:
    """Problems found in the chain, in Chinese; empty when every row is intact and linked.

    The first remaining row anchors the chain (older rows may have been purged).
    """
    problems: list[str] = []
    previous: AuditEvent | None = None
    for event in AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000):
        if previous is not None:
            if event.seq != previous.seq + 1:
                problems.append(f"序号 {previous.seq} 与 {event.seq} 之间缺少记录")
            if event.prev_hash != previous.hash:
                problems.append(f"序号 {event.seq} 的前一条摘要与序号 {previous.seq} 不符")
        if event_digest(event) != event.hash:
            problems.append(f"序号 {event.seq}（{event.action}）的内容已被改动")
        previous = event
    head = AuditChainHead.objects.filter(pk=1).first()
    if previous is not None and head is not None and (head.seq != previous.seq or head.hash != previous.hash):
        problems.append(f"链头（序号 {head.seq}）与最后一条记录（序号 {previous.seq}）不符，可能有记录被删除")
    return problems


def diff(instance: models.Model, data: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields of `instance` that `data` would change, as {field: [old, new]}."""
    out: dict[str, list[Any]] = {}
    for key, new in data.items():
        old = getattr(instance, key, None)
        if old != new:
            out[key] = [_plain(old), _plain(new)]
    return out
