"""Writing the audit trail. Every service calls `record` inside its own transaction."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from .chain import current_key_id, event_digest, items_digest, verify_chain
from .context import client_address
from .models import AuditChainHead, AuditEvent, AuditItem

__all__ = [
    "REFUSAL_ACTION",
    "BatchItem",
    "chain_held",
    "diff",
    "event_digest",
    "maintenance_mode",
    "mark_refusal_audited",
    "record",
    "record_batch",
    "set_maintenance_mode",
    "verify_chain",
]

# The action of the row written for a refused request (403), by the middleware or by a view itself.
REFUSAL_ACTION = "access.denied"


def mark_refusal_audited(request: HttpRequest) -> None:
    """Say that the view already wrote its own audit row for this refusal (exports, reveals)."""
    request.refusal_audited = True  # type: ignore[attr-defined]


def _text(value: str) -> str:
    """A text as the trail keeps it: a NUL character someone typed (PostgreSQL stores none, in text or JSON) shown
    as ␀, so that the attempt is recorded rather than failing the request."""
    return value.replace("\x00", "\u2400")


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, models.Model):
        return _text(str(value))
    if isinstance(value, (datetime.date, datetime.datetime, Decimal)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {_text(str(k)): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (int, float, bool)):
        return value
    return _text(str(value))


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
        actor_name=_text(user.get_username() if user else (str(actor) if actor else ""))[:150],
        action=action,
        object_type=object_type,
        object_id=_text(object_id),
        object_repr=_text(object_repr)[:255],
        changes=_plain(changes or {}),
        success=success,
        client_address=client_address.get(),
        detail=_text(detail),
    )
    held = _held_head.get()
    if held is not None:
        _append(event, held)
        return event
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        _append(event, head)
        head.save(update_fields=["seq", "hash"])
    return event


def _append(event: AuditEvent, head: AuditChainHead) -> None:
    event.seq = head.seq + 1
    event.prev_hash = head.hash
    event.key_id = current_key_id()
    event.hash = event_digest(event)
    event.save(force_insert=True)
    head.seq, head.hash = event.seq, event.hash


_held_head: contextvars.ContextVar[AuditChainHead | None] = contextvars.ContextVar("held_audit_head", default=None)


@contextlib.contextmanager
def chain_held() -> Iterator[None]:
    """One transaction that records thousands of events (the demo build): the chain's head is locked and read once,
    kept here while the block appends, and written back once at its end, instead of once per event. (On PostgreSQL
    each update of the one head row leaves a version that every later lookup in the same transaction walks past.)

    If a savepoint inside the block rolled back an event after it was chained, the events are no longer one chain:
    the block then raises, and its whole transaction rolls back."""
    if _held_head.get() is not None:
        yield
        return
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        start = head.seq
        token = _held_head.set(head)
        try:
            yield
        finally:
            _held_head.reset(token)
        if AuditEvent.objects.filter(seq__gt=start).count() != head.seq - start:
            raise RuntimeError("审计链中断：本事务中已记录的审计事件被部分回滚。")
        head.save(update_fields=["seq", "hash"])


@dataclass(frozen=True)
class BatchItem:
    """One object's change in a batch: what `record(obj=..., changes=...)` would have said about it."""

    obj: models.Model
    changes: dict[str, Any]


def record_batch(
    *,
    actor: Any,
    action: str,
    items: Sequence[BatchItem],
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    detail: str = "",
) -> AuditEvent:
    """One audit row for a bulk write, and one `AuditItem` per object changed, in the same transaction.

    The row's `changes` add `items` (their number) and `items_sha256` (their digest), which the row's keyed
    digest covers: the chain grows by one row however many objects the write touched.
    """
    rows = [
        AuditItem(
            object_type=item.obj._meta.label_lower,
            object_id=str(item.obj.pk),
            object_repr=str(item.obj)[:255],
            changes=_plain(item.changes),
        )
        for item in items
    ]
    summary = {**(changes or {}), "items": len(rows), "items_sha256": items_digest(rows)}
    with transaction.atomic():
        about = {"obj": obj, "object_type": object_type, "object_id": object_id, "object_repr": object_repr}
        event = record(actor=actor, action=action, changes=summary, detail=detail, **about)
        for row in rows:
            row.event = event
        AuditItem.objects.bulk_create(rows, batch_size=1000)
    return event


def diff(instance: models.Model, data: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields of `instance` that `data` would change, as {field: [old, new]}."""
    out: dict[str, list[Any]] = {}
    for key, new in data.items():
        old = getattr(instance, key, None)
        if old != new:
            out[key] = [_plain(old), _plain(new)]
    return out


def apply_changes(instance: models.Model, data: dict[str, Any]) -> dict[str, list[Any]]:
    """Set `data` on `instance` (not saved) and return what changed, as `diff` gives it, for the audit row."""
    changes = diff(instance, data)
    for key, value in data.items():
        setattr(instance, key, value)
    return changes


# The audit tables' triggers refuse an UPDATE or a DELETE unless the one row of `audit_maintenance` (a raw table
# that a flush does not empty) says why: "reset" (a restore, or a test's flush, empties every table) or "purge"
# (audit_purge removes rows past their retention). "" is normal operation.


def set_maintenance_mode(mode: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_maintenance SET mode = %s WHERE id = 1", [mode])


@contextlib.contextmanager
def maintenance_mode(mode: str) -> Iterator[None]:
    """The triggers let `mode`'s deletions through for the block, and are fully on again after it."""
    set_maintenance_mode(mode)
    try:
        yield
    finally:
        set_maintenance_mode("")


@transaction.atomic
def audit_purge(*, cutoff: datetime.datetime, label: str, actor: str) -> int:
    """Delete the audit rows recorded before `cutoff` (the retention is the caller's check; the triggers refuse a
    younger row whatever the caller does), and audit the purge with the first sequence number kept, the chain's new
    anchor (`label` names the date in the row). Returns how many events went."""
    with maintenance_mode("purge"):
        AuditItem.objects.filter(event__at__lt=cutoff)._raw_delete(AuditItem.objects.db)
        deleted = AuditEvent.objects.filter(at__lt=cutoff)._raw_delete(AuditEvent.objects.db)
    kept = AuditEvent.objects.filter(seq__isnull=False).order_by("seq").values_list("seq", flat=True).first()
    if kept is None:  # everything went: the chain starts again at the purge row itself
        head = AuditChainHead.objects.filter(pk=1).first()
        kept = (head.seq if head else 0) + 1
    record(
        actor=actor,
        action="audit.purge",
        object_type="audit.auditevent",
        changes={"kept_from_seq": kept, "deleted": deleted},
        detail=f"删除 {label} 之前的记录 {deleted} 条",
    )
    return deleted
