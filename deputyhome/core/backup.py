"""Backup and restore of the whole database in a portable, verifiable form.

A backup is one gzip'd JSON file: the applied migrations, every model's rows (Django's
serialiser, primary keys kept) and a manifest with the row count and a SHA-256 checksum of
each table (each row by its fields' names: the fields' order in a model does not count).
Restoring loads the rows into a migrated, empty database (or, with `force`, empties it
first) and then recomputes the manifest: any difference in any table fails the restore.
The same code serves SQLite and PostgreSQL.

All reads of a backup see one snapshot: on PostgreSQL the transaction is REPEATABLE READ, READ ONLY
(at the default READ COMMITTED every query sees a fresh snapshot, and a backup taken while people work
would not even match its own manifest); SQLite's read transaction is a snapshot already. The file is then
read back and checked (rows per table against the manifest, a digest of the data) before the backup
reports success. "Empty" for a restore means: nothing but what migrations create (content types,
permissions, default categories and station standards), which the restore replaces.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from deputyhome.audit.services import maintenance_mode

FORMAT = 1


class BackupError(Exception):
    """A backup that cannot be restored here, or a restore that did not verify; the message is for the user."""


def _models() -> list[type[models.Model]]:
    app_list = [(config, None) for config in apps.get_app_configs()]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    return [m for m in ordered if m._meta.managed and not m._meta.proxy]


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, memoryview):
        return value.tobytes().hex()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def _encode(value: Any) -> Any:
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)  # Decimal, UUID: their exact text


# How a row is checksummed: "by_name", each row as its fields by name (the fields' order in the model does not count:
# a field moved into an abstract base leaves every checksum as it was); a backup without the key, written before,
# each row as its values in the model's field order.
CHECKSUMS = "by_name"


def _fields(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def table_manifest(*, by_name: bool = True) -> dict[str, dict[str, Any]]:
    """Row count and checksum per model table, over the rows in primary-key order (`by_name`: see CHECKSUMS)."""
    out: dict[str, dict[str, Any]] = {}
    for model in _models():
        fields = _fields(model)
        digest = hashlib.sha256()
        count = 0
        for row in model._base_manager.order_by("pk").values_list(*fields).iterator(chunk_size=2000):
            value = dict(zip(fields, row, strict=True)) if by_name else list(row)
            digest.update(json.dumps(_canonical(value), ensure_ascii=False, separators=(",", ":")).encode())
            digest.update(b"\n")
            count += 1
        out[model._meta.db_table] = {"count": count, "sha256": digest.hexdigest()}
    return out


def _migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _data_digest(data: list[Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_encode)
    return hashlib.sha256(text.encode()).hexdigest()


def _snapshot() -> None:
    """Make the current transaction one snapshot for all its reads (must be its first statement)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def verify_backup_file(path: Path) -> None:
    """Read the written file back: it must parse, hold the manifest's row count per table, and its digest."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            payload = json.load(fh)
    except (OSError, EOFError, json.JSONDecodeError) as exc:
        raise BackupError(f"备份文件写入后无法读回：{exc}") from exc
    counts: dict[str, int] = {}
    tables = {m._meta.label_lower: m._meta.db_table for m in _models()}
    for obj in payload["data"]:
        table = tables.get(obj["model"], obj["model"])
        counts[table] = counts.get(table, 0) + 1
    problems = [
        f"{table}：清单 {want['count']} 行，文件中 {counts.get(table, 0)} 行"
        for table, want in payload["manifest"].items()
        if counts.get(table, 0) != want["count"]
    ]
    if _data_digest(payload["data"]) != payload.get("data_sha256"):
        problems.append("数据摘要与写入时不符")
    if problems:
        raise BackupError("备份文件校验失败（不是一致的快照或写入不完整）：" + "；".join(problems))


def create_backup(path: Path) -> dict[str, Any]:
    """Write a backup of the current database to `path`, read it back and check it; returns its manifest."""
    nested = connection.in_atomic_block  # inside a caller's transaction (tests): its snapshot rules
    with transaction.atomic():
        if not nested:
            _snapshot()
        data = []
        for model in _models():
            data.extend(serializers.serialize("python", model._base_manager.order_by("pk")))
        manifest = table_manifest()
        migrations = _migrations()
    payload = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "migrations": migrations,
        "checksums": CHECKSUMS,
        "manifest": manifest,
        "data": data,
    }
    payload["data_sha256"] = _data_digest(json.loads(json.dumps(data, ensure_ascii=False, default=_encode)))
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        # Our own encoder: Django's JSON serialiser would cut datetimes to milliseconds.
        json.dump(payload, fh, ensure_ascii=False, default=_encode)
    verify_backup_file(path)
    return manifest


# Tables that migrations fill (Django's own, and our default settings); the restore replaces them.
MIGRATION_SEEDED = {
    "contenttypes.ContentType",
    "auth.Permission",
    "suggestions.Category",
    "suggestions.ResultClass",
    "activities.StandardItem",
}


def _is_empty() -> bool:
    """Nothing but what `migrate` writes: a freshly migrated database counts as empty."""
    return not any(m._base_manager.exists() for m in _models() if m._meta.label not in MIGRATION_SEEDED)


def restore_backup(path: Path, *, force: bool = False) -> dict[str, Any]:
    """Load the backup at `path`; raises BackupError unless every table's count and checksum match."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            payload = json.load(fh)
    except (OSError, EOFError, json.JSONDecodeError) as exc:
        raise BackupError(f"无法读取备份文件：{exc}") from exc
    if payload.get("format") != FORMAT:
        raise BackupError("备份文件格式不受支持。")
    if payload["migrations"] != _migrations():
        raise BackupError("备份时的数据库结构（迁移）与当前不一致：请先把代码和迁移升级到备份时的版本。")
    if not force and not _is_empty():
        raise BackupError("当前数据库不是空的；如确需覆盖，请加 --force（将清空现有数据）。")
    all_models = _models()
    with transaction.atomic():
        with maintenance_mode("reset"):
            for model in reversed(all_models):
                model._base_manager.all()._raw_delete(connection.alias)
            for obj in serializers.deserialize("python", payload["data"]):
                obj.save()
        sequences = connection.ops.sequence_reset_sql(no_style(), all_models)
        if sequences:
            with connection.cursor() as cursor:
                for sql in sequences:
                    cursor.execute(sql)
        found = table_manifest(by_name=payload.get("checksums") == CHECKSUMS)
        expected = payload["manifest"]
        problems = [
            f"{table}：应有 {want['count']} 行，实有 {found.get(table, {}).get('count')} 行"
            if found.get(table, {}).get("count") != want["count"]
            else f"{table}：校验和不一致"
            for table, want in expected.items()
            if found.get(table) != want
        ]
        if problems:
            raise BackupError("恢复后校验失败，已回滚：" + "；".join(problems))
    return found
