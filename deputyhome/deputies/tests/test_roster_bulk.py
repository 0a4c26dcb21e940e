"""The roster import writes in bulk: a constant number of queries whatever the file's length, and one audit
row per import with one chained item per deputy."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from deputyhome.accounts.audit_log import AuditFilter
from deputyhome.audit.models import AuditEvent, AuditItem
from deputyhome.audit.services import maintenance_mode, verify_chain
from deputyhome.deputies.models import Deputy, GroupMembership
from deputyhome.deputies.roster import roster_import

from .test_roster_files import people, plain_xlsx

pytestmark = pytest.mark.django_db


def _statement(sql: str) -> str:
    """The verb and table of a statement: 'UPDATE "deputies_deputy"'."""
    words = sql.split()
    return " ".join(words[:3] if words[0] in ("INSERT", "DELETE") else words[:2])


def _queries(rows, actor) -> int:
    """The import's query count. On SQLite, whose limit of bound variables splits a bulk write every few dozen
    rows, consecutive batches of one bulk write count once; PostgreSQL writes each in one batch of 1,000."""
    with CaptureQueriesContext(connection) as ctx:
        result = roster_import(content=plain_xlsx(rows), filename="名册.xlsx", actor=actor)
    assert result.applied, [str(i) for i in result.issues]
    sqls = [q["sql"] for q in ctx.captured_queries]
    if connection.vendor == "postgresql":
        return len(sqls)
    bulk = [s for s in sqls if s.startswith(("INSERT", "UPDATE"))]
    collapsed = [s for i, s in enumerate(bulk) if i == 0 or _statement(s) != _statement(bulk[i - 1])]
    return len(sqls) - len(bulk) + len(collapsed)


def _edited(persons, group):
    rows = [p.cells() for p in persons]
    for row in rows:
        row["工作单位及职务"] = "新单位 职员"
        row["所在小组"] = group.name
    return rows


def test_an_import_costs_the_same_queries_for_20_rows_and_200(city, personas):
    roster_import(
        content=plain_xlsx([people(city, 1, start=900)[0].cells()]), filename="a.xlsx", actor=personas["city"]
    )
    small, large = people(city, 20), people(city, 200, start=20)
    created = (
        _queries([p.cells() for p in small], personas["city"]),
        _queries([p.cells() for p in large], personas["city"]),
    )
    assert created[0] == created[1], created
    # Updates too: a changed field and a move to another group (ending one membership, starting one).
    updated = (
        _queries(_edited(small, city.group_b), personas["city"]),
        _queries(_edited(large, city.group_b), personas["city"]),
    )
    assert updated[0] == updated[1], updated
    assert Deputy.objects.filter(employer_title="新单位 职员").count() == 220
    moved = Deputy.objects.get(id_number=small[0].id_number)
    assert GroupMembership.objects.get(deputy=moved, end_date__isnull=True).group == city.group_b


def test_one_audit_row_per_import_and_a_chained_item_per_deputy(city, personas):
    persons = people(city, 30)
    before = AuditEvent.objects.count()
    result = roster_import(
        content=plain_xlsx([p.cells() for p in persons]), filename="名册.xlsx", actor=personas["city"]
    )
    assert result.applied
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(action="roster.import")
    items = list(event.items.order_by("id"))
    assert len(items) == 30 == event.changes["items"]
    first = Deputy.objects.get(id_number=persons[0].id_number)
    item = next(i for i in items if i.object_id == str(first.pk))
    assert item.object_type == "deputies.deputy" and item.object_repr == first.name
    assert item.changes["name"] == [None, first.name]
    assert "*" in item.changes["id_number"][1]  # personal data enters the trail masked
    assert item.changes["group"][1] and item.changes["mandates"][1]
    assert verify_chain() == []

    # The audit page finds the import by a deputy's name.
    found = AuditFilter({"q": first.name}, queryset=AuditEvent.objects.all()).qs
    assert event in found

    # An item removed behind the chain's back shows.
    with maintenance_mode("reset"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_audititem WHERE id = %s", [item.pk])
    assert any("逐项变更记录" in p for p in verify_chain())


def test_audit_items_cannot_be_edited(city, personas):
    persons = people(city, 2)
    roster_import(content=plain_xlsx([p.cells() for p in persons]), filename="名册.xlsx", actor=personas["city"])
    item = AuditItem.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_audititem SET object_repr = 'x' WHERE id = %s", [item.pk])
