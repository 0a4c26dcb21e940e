"""The keyed chain holds against someone with the database: triggers dropped, rows edited or deleted, the
chain recomputed with plain SHA-256 or with a key of their own: `audit_verify` fails every time."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from deputyhome.audit import chain
from deputyhome.audit.models import AuditChainHead, AuditEvent
from deputyhome.audit.services import record, verify_chain

from .test_chain import _drop_triggers, _restore_triggers


def _tamper(sql: str, params: list) -> None:
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def events(db):
    return [record(actor="tester", action=f"test.{i}", object_repr=f"对象{i}") for i in range(6)]


def _fails(*args: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="校验失败"):
        call_command("audit_verify", *args, stderr=err)
    return err.getvalue()


def _recompute(digest, *, key_id: str) -> None:
    """What an intruder does after an edit: rewrite every row's links and digests so that the chain links up."""
    _drop_triggers()
    previous = ""
    rows = list(AuditEvent.objects.order_by("seq"))
    for seq, event in enumerate(rows, start=rows[0].seq if rows else 1):
        event.seq, event.prev_hash, event.key_id = seq, previous, key_id
        event.hash = digest(event)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditevent SET seq = %s, prev_hash = %s, key_id = %s, hash = %s WHERE id = %s",
                [event.seq, event.prev_hash, event.key_id, event.hash, event.pk],
            )
        previous = event.hash
    AuditChainHead.objects.filter(pk=1).update(seq=rows[-1].seq if rows else 0, hash=previous)


def _plain_sha256(event) -> str:
    return hashlib.sha256(chain._body(event)).hexdigest()


def test_an_intact_keyed_chain_verifies(events):
    assert {e.key_id for e in AuditEvent.objects.all()} == {"test"}
    assert verify_chain() == []
    call_command("audit_verify", stdout=io.StringIO())


def test_recomputed_with_plain_sha256_fails(events):
    _tamper("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["被改过", events[2].pk])
    _recompute(_plain_sha256, key_id="")
    assert "没有密钥签名" in _fails()


def test_recomputed_with_a_wrong_key_fails(events):
    _tamper("UPDATE audit_auditevent SET detail = %s WHERE id = %s", ["被改过", events[3].pk])
    with override_settings(AUDIT_KEYS="test:a-key-the-intruder-chose"):
        _recompute(chain.event_digest, key_id="test")
    assert "签名不符" in _fails()


def test_recomputed_under_a_key_id_of_their_own_fails(events):
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    with override_settings(AUDIT_KEYS="evil:another-key"):
        _recompute(chain.event_digest, key_id="evil")
    assert "未配置" in _fails()


def test_a_deleted_row_recomputed_with_sha256_fails(events):
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[4].pk])
    _recompute(_plain_sha256, key_id="")
    _fails()


def test_rows_deleted_from_the_beginning_fail(events):
    _tamper("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [events[0].pk, events[1].pk])
    assert "开头的记录被删除" in _fails()


def test_an_empty_chain_fails_unless_new(db):
    assert "审计日志为空" in _fails()
    call_command("audit_verify", "--allow-empty", stdout=io.StringIO())


def test_all_rows_deleted_fails_even_when_allowed_empty(events):
    _tamper("DELETE FROM audit_auditevent", [])
    assert "链头" in _fails("--allow-empty")


def test_a_checkpoint_catches_a_chain_cut_short(events, tmp_path):
    checkpoints = tmp_path / "audit-checkpoints.log"
    call_command("audit_checkpoint", "--out", str(checkpoints), stdout=io.StringIO())
    line = checkpoints.read_text().strip().split("\t")
    assert int(line[1]) == events[-1].seq and line[2] == events[-1].hash and line[3] == "test"
    call_command("audit_verify", "--checkpoint", str(checkpoints), stdout=io.StringIO())
    # Cut the last two rows and move the head back: the chain alone looks whole ...
    _tamper("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [events[-1].pk, events[-2].pk])
    AuditChainHead.objects.filter(pk=1).update(seq=events[-3].seq, hash=events[-3].hash)
    assert verify_chain() == []
    # ... the checkpoint outside the database does not.
    assert "末尾的记录被删除" in _fails("--checkpoint", str(checkpoints))


def test_keys_rotate(events):
    with override_settings(AUDIT_KEYS="k2:the-next-key,test:deputyhome-fixed-test-audit-key"):
        later = record(actor="tester", action="test.rotated")
        assert later.key_id == "k2"
        assert verify_chain() == []
    # Without the new key its rows cannot be verified.
    assert any("未配置" in p for p in verify_chain())


def test_legacy_rows_verify_only_before_the_first_keyed_row(events):
    """Rows from before the keyed chain (no key id, plain SHA-256) are a valid beginning."""
    _drop_triggers()
    previous = ""
    for event in AuditEvent.objects.order_by("seq")[:3]:
        event.prev_hash, event.key_id = previous, ""
        event.hash = _plain_sha256(event)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditevent SET prev_hash = %s, key_id = '', hash = %s WHERE id = %s",
                [event.prev_hash, event.hash, event.pk],
            )
        previous = event.hash
    _restore_triggers()
    # Relink the fourth (keyed) row to the legacy prefix, as the upgrade did, and re-sign the rest.
    _drop_triggers()
    for event in AuditEvent.objects.order_by("seq")[3:]:
        event.prev_hash = previous
        event.hash = chain.event_digest(event)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
                [event.prev_hash, event.hash, event.pk],
            )
        previous = event.hash
    AuditChainHead.objects.filter(pk=1).update(hash=previous)
    assert verify_chain() == []


def test_the_purge_anchors_the_chain_and_writes_a_checkpoint(events, tmp_path):
    import datetime

    old = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=400)
    _tamper("UPDATE audit_auditevent SET at = %s WHERE id IN (%s, %s)", [old, events[0].pk, events[1].pk])
    # The edit above changed two rows' content: they are purged below, so the chain from row 3 on is intact.
    _restore_triggers()
    checkpoints = tmp_path / "cp.log"
    cutoff = (datetime.date.today() - datetime.timedelta(days=200)).isoformat()
    call_command("audit_purge", "--before", cutoff, "--checkpoint", str(checkpoints), stdout=io.StringIO())
    purge = AuditEvent.objects.get(action="audit.purge")
    assert purge.changes["kept_from_seq"] == events[2].seq
    assert checkpoints.read_text().count("\n") == 1
    call_command("audit_verify", "--checkpoint", str(checkpoints), stdout=io.StringIO())
    json.dumps(purge.changes)
