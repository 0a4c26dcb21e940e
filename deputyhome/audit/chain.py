"""The audit hash chain: keyed digests, verification and checkpoints outside the database.

Each row's digest covers the previous row's digest and every recorded field. Since the keyed chain
(decisions: "Keyed audit chain") it is an HMAC-SHA256 under a key that lives in the environment
(`AUDIT_KEYS`, never in the database), and the row names the key (`key_id`) so that keys can rotate:
the current key signs new rows, older keys stay listed to verify older rows. Someone with the
database can drop the triggers and edit rows, but cannot recompute a keyed digest.

Rows written before the key existed have no key id and a plain SHA-256 digest ("legacy"). They are
accepted only as the chain's beginning: once a keyed row appears, every later row must be keyed, and
the last row must be keyed (the migration that introduced keys appended a keyed row after the legacy
ones). A chain recomputed with plain SHA-256, or with a key of the intruder's choosing, fails.

A chain is anchored at sequence 1, or at the first row a recorded purge kept (`audit.purge` carries
`kept_from_seq`, under the key), so that rows deleted from the beginning show too. Checkpoints of the
chain head written to a file (`audit_checkpoint`) catch a chain cut short and then continued.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .models import AuditChainHead, AuditEvent, AuditItem

LEGACY = ""  # the key id of rows from before the keyed chain


@lru_cache(maxsize=4)
def _parse(raw: str) -> tuple[tuple[str, bytes], ...]:
    keys = []
    for part in raw.split(","):
        key_id, sep, key = part.strip().partition(":")
        if not sep or not key_id or not key or len(key_id) > 16:
            raise ImproperlyConfigured("AUDIT_KEYS 的格式应为 id1:key1,id2:key2（当前密钥在前，编号不超过16个字符）。")
        keys.append((key_id, key.encode()))
    return tuple(keys)


def keys() -> dict[str, bytes]:
    return dict(_parse(settings.AUDIT_KEYS))


def current_key_id() -> str:
    return _parse(settings.AUDIT_KEYS)[0][0]


def _body(event: Any) -> bytes:
    fields = [
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
    ]
    if event.key_id != LEGACY:
        fields.append(event.key_id)
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def event_digest(event: Any) -> str:
    """The row's digest: HMAC-SHA256 under its key, or plain SHA-256 for a legacy row.

    Raises KeyError when the row names a key that is not configured.
    """
    if event.key_id == LEGACY:
        return hashlib.sha256(_body(event)).hexdigest()
    return hmac.new(keys()[event.key_id], _body(event), hashlib.sha256).hexdigest()


def items_digest(items: Any) -> str:
    """SHA-256 of a batch event's items in order (type, id, text, changes); the event's `items_sha256`."""
    body = [[i.object_type, i.object_id, i.object_repr, i.changes] for i in items]
    return hashlib.sha256(
        json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


def _items_problem(event: AuditEvent) -> str:
    """A batch event whose items no longer match the digest it signed ("" when they do, or it has none)."""
    if not isinstance(event.changes, dict) or "items_sha256" not in event.changes:
        return ""
    items = list(AuditItem.objects.filter(event_id=event.pk).order_by("id"))
    if len(items) != event.changes.get("items") or items_digest(items) != event.changes["items_sha256"]:
        return f"序号 {event.seq}（{event.action}）的逐项变更记录已被改动、增加或删除"
    return ""


def verify_chain(*, allow_empty: bool = False) -> list[str]:
    """Problems found in the chain, in Chinese; empty when every row is intact, linked and keyed."""
    problems: list[str] = []
    configured = keys()
    previous: AuditEvent | None = None
    first: AuditEvent | None = None
    purges: set[int] = set()
    keyed_seen = False
    for event in AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000):
        if first is None:
            first = event
        if previous is not None:
            if event.seq != previous.seq + 1:
                problems.append(f"序号 {previous.seq} 与 {event.seq} 之间缺少记录")
            if event.prev_hash != previous.hash:
                problems.append(f"序号 {event.seq} 的前一条摘要与序号 {previous.seq} 不符")
        if event.key_id == LEGACY:
            if keyed_seen:
                problems.append(f"序号 {event.seq} 没有密钥签名，却出现在已签名的记录之后：记录被重算")
            elif not hmac.compare_digest(event_digest(event), event.hash):
                problems.append(f"序号 {event.seq}（{event.action}）的内容已被改动")
        else:
            keyed_seen = True
            if event.key_id not in configured:
                problems.append(f"序号 {event.seq} 的签名密钥 {event.key_id} 未配置（AUDIT_KEYS），无法校验")
            elif not hmac.compare_digest(event_digest(event), event.hash):
                problems.append(f"序号 {event.seq}（{event.action}）的内容或签名不符：已被改动或用其他密钥重算")
            elif problem := _items_problem(event):
                problems.append(problem)
            elif event.action == "audit.purge" and isinstance(event.changes, dict):
                kept = event.changes.get("kept_from_seq")
                if isinstance(kept, int):
                    purges.add(kept)
        previous = event
    head = AuditChainHead.objects.filter(pk=1).first()
    if previous is None:
        if head is not None and head.seq:
            problems.append(f"审计日志为空，但链头记到序号 {head.seq}：记录已被删除")
        elif not allow_empty:
            problems.append("审计日志为空：新系统请加 --allow-empty")
        return problems
    if first is not None and first.seq != 1 and first.seq not in purges:
        problems.append(f"最早一条记录的序号是 {first.seq}，而没有清理记录保留到此：开头的记录被删除")
    if not keyed_seen or previous.key_id == LEGACY:
        problems.append("最后一条记录没有密钥签名：整条链可能被用普通 SHA-256 重算")
    if head is None or head.seq != previous.seq or head.hash != previous.hash:
        seq = head.seq if head is not None else "无"
        problems.append(f"链头（序号 {seq}）与最后一条记录（序号 {previous.seq}）不符，可能有记录被删除")
    return problems


# Checkpoints --------------------------------------------------------------------------------------------


def checkpoint_line() -> str:
    """One line for the checkpoint file: time, last sequence number, head digest, key id (tab-separated)."""
    last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").first()
    seq, digest, key_id = (last.seq, last.hash, last.key_id) if last else (0, "", "")
    return f"{timezone.now().isoformat(timespec='seconds')}\t{seq}\t{digest}\t{key_id or '-'}"


def checkpoint_write(path: Path) -> str:
    line = checkpoint_line()
    with path.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    return line


def checkpoint_problems(path: Path) -> list[str]:
    """Compare the chain with every checkpoint in the file: each recorded head must still be there, unchanged."""
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except OSError as exc:
        return [f"无法读取检查点文件 {path}：{exc}"]
    problems: list[str] = []
    first_seq = AuditEvent.objects.filter(seq__isnull=False).order_by("seq").values_list("seq", flat=True).first()
    last_seq = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", flat=True).first()
    for number, line in enumerate(lines, 1):
        parts = line.split("\t")
        if len(parts) != 4 or not parts[1].isdigit():
            problems.append(f"检查点文件第 {number} 行格式不对")
            continue
        when, seq, digest = parts[0], int(parts[1]), parts[2]
        if seq == 0:
            continue
        if last_seq is None or seq > last_seq:
            problems.append(f"检查点（{when}）记到序号 {seq}，但日志只到 {last_seq or 0}：末尾的记录被删除")
            continue
        if first_seq is not None and seq < first_seq:
            continue  # purged since; the purge row itself is checked by the chain
        stored = AuditEvent.objects.filter(seq=seq).values_list("hash", flat=True).first()
        if stored != digest:
            problems.append(f"检查点（{when}）的序号 {seq} 摘要与日志不符：记录被改动或重算")
    return problems
