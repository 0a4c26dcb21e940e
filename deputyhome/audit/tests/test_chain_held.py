"""A long write (the demo build) holds the chain's head for its whole transaction (`chain_held`): the events it
records form the same chain as one by one, the head is written once, and a rolled-back event breaks the block."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from deputyhome.audit.models import AuditChainHead, AuditEvent
from deputyhome.audit.services import chain_held, record, verify_chain


def _record(i: int) -> AuditEvent:
    return record(actor="tester", action=f"test.{i}", object_repr=f"对象{i}")


def _head_writes(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith("UPDATE") and "audit_auditchainhead" in q["sql"])


def _held_run(n: int) -> int:
    """Record n events in a held block between two ordinary ones; check the chain; the block's number of queries."""
    before = _record(0)
    with CaptureQueriesContext(connection) as queries, chain_held():
        held = [_record(i) for i in range(1, n + 1)]
    after = _record(n + 1)
    events = [before, *held, after]
    assert [e.seq for e in events] == list(range(before.seq, before.seq + n + 2))
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    assert verify_chain() == []
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (after.seq, after.hash)
    assert _head_writes(queries.captured_queries) == 1
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_a_held_chain_is_the_same_chain_and_writes_its_head_once():
    # One insert per event; the head is locked, read and written once whatever the number of events.
    assert _held_run(50) - _held_run(5) == 45


@pytest.mark.django_db
def test_an_event_rolled_back_inside_the_block_undoes_the_block():
    before = _record(0)
    with pytest.raises(RuntimeError, match="审计链中断"), chain_held():
        _record(1)
        with pytest.raises(ValueError), transaction.atomic():
            _record(2)
            raise ValueError("回滚")
        _record(3)
    assert list(AuditEvent.objects.filter(seq__gt=before.seq)) == []
    assert AuditChainHead.objects.get(pk=1).seq == before.seq
    assert _record(4).seq == before.seq + 1
    assert verify_chain() == []


@pytest.mark.django_db
def test_a_block_inside_a_held_block_holds_nothing_more():
    with CaptureQueriesContext(connection) as queries, chain_held():
        _record(1)
        with chain_held():
            _record(2)
        _record(3)
    assert _head_writes(queries.captured_queries) == 1
    assert verify_chain() == []
