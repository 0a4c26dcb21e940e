"""The audit trail cannot be changed: triggers refuse edits and deletes; the hash chain exposes tampering."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, InternalError, OperationalError, ProgrammingError, connection, transaction

from deputyhome.audit.models import AuditEvent
from deputyhome.audit.services import record, verify_chain

REFUSED = (IntegrityError, InternalError, OperationalError, ProgrammingError)  # PostgreSQL: RAISE → ProgrammingError


@pytest.fixture
def events(db):
    return [
        record(actor="tester", action=f"test.{i}", object_repr=f"对象{i}", changes={"n": [i, i + 1]}) for i in range(5)
    ]


def test_chain_links_every_row(events):
    assert [e.seq for e in events] == list(range(events[0].seq, events[0].seq + 5))
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    assert verify_chain() == []
    call_command("audit_verify")


def test_database_refuses_update_and_delete(events):
    for sql in ("UPDATE audit_auditevent SET detail = 'x'", "DELETE FROM audit_auditevent"):
        with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    with pytest.raises(REFUSED), transaction.atomic():
        AuditEvent.objects.filter(pk=events[0].pk).update(detail="x")
    with pytest.raises(REFUSED), transaction.atomic():
        AuditEvent.objects.filter(pk=events[0].pk)._raw_delete(AuditEvent.objects.db)
    assert AuditEvent.objects.count() >= 5


def _drop_triggers() -> None:
    """What an intruder with the database does first (idempotent here)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_guard")


def _tamper(sql: str, params: list) -> None:
    """Edit a row the way an intruder with database access would: triggers off, change, triggers on."""
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _restore_triggers() -> None:
    from importlib import import_module

    migration = import_module("deputyhome.audit.migrations.0001_squashed_0005_batch_items")
    statements = migration.SQLITE if connection.vendor == "sqlite" else migration.POSTGRES
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for sql in statements:
                cursor.execute(sql)
        else:
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_guard")


def test_verify_detects_an_edit(events):
    _tamper("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["被改过", events[2].pk])
    problems = verify_chain()
    assert any(f"序号 {events[2].seq}" in p and "已被改动" in p for p in problems)
    with pytest.raises(CommandError, match="校验失败"):
        call_command("audit_verify")


def test_verify_detects_a_deleted_row(events):
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    assert any("缺少记录" in p for p in verify_chain())


def test_verify_detects_a_deleted_last_row(events):
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    assert any("链头" in p for p in verify_chain())


def test_purge_refuses_young_rows(events):
    too_recent = (datetime.date.today() - datetime.timedelta(days=100)).isoformat()
    with pytest.raises(CommandError, match="至少保留183天"):
        call_command("audit_purge", "--before", too_recent)


def test_purge_deletes_only_old_rows_and_is_audited(events):
    # Age two rows by a year, as if they had been written then (triggers off for the set-up only),
    # then put the triggers back so that the purge runs against them.
    old = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=400)
    _tamper("UPDATE audit_auditevent SET at = %s WHERE id IN (%s, %s)", [old, events[0].pk, events[1].pk])
    _restore_triggers()
    cutoff = (datetime.date.today() - datetime.timedelta(days=200)).isoformat()
    call_command("audit_purge", "--before", cutoff)
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert events[0].pk not in remaining and events[1].pk not in remaining
    assert events[2].pk in remaining
    assert AuditEvent.objects.filter(action="audit.purge").exists()
