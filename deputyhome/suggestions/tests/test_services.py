"""The whole course through the services, with the timeline and the audit trail."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.audit.models import AuditEvent
from deputyhome.suggestions import services as sv
from deputyhome.suggestions.choices import State
from deputyhome.suggestions.workflow import IllegalTransition
from deputyhome.testing import draft_cosigned_suggestion, reply_to

TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(y, m, d):
    return time_machine.travel(datetime.datetime(y, m, d, 10, 0, tzinfo=TZ), tick=False)


@pytest.mark.django_db
def test_full_course_with_rehandling(city, people, session, categories):
    cats, classes = categories
    deputy, cos, staff, unit, court = (
        people["deputy"],
        people["cosigner"],
        people["city"],
        people["unit"],
        people["unit_b"],
    )
    with at(2026, 1, 11):
        s = draft_cosigned_suggestion(people, session)
        sv.suggestion_submit(suggestion=s, actor=deputy)
        sv.suggestion_confirm_cosign(suggestion=s, actor=cos)
        with pytest.raises(IllegalTransition):
            sv.suggestion_register(suggestion=s, category=cats["城乡建设与管理"], actor=deputy)
        sv.suggestion_register(suggestion=s, category=cats["城乡建设与管理"], actor=staff)
    s.refresh_from_db()
    assert s.state == State.REGISTERED and s.number == 1 and s.year == 2026
    with at(2026, 1, 20):
        sv.suggestion_assign(
            suggestion=s, lead_unit=city.unit_a, co_units=[city.unit_b], requirements="限期答复", actor=staff
        )
    s.refresh_from_db()
    assert s.due_on == datetime.date(2026, 4, 20)
    with at(2026, 2, 2):
        sv.suggestion_receive(suggestion=s, actor=unit)
        sv.suggestion_co_opinion(suggestion=s, opinion="同意主办意见", actor=court)
        with pytest.raises(ValidationError, match="沟通联系"):
            reply_to(s, unit, classes["A"], text="已列入计划", publishable=True)
        sv.suggestion_consult(
            suggestion=s, date=datetime.date(2026, 2, 2), way="in_person", notes="当面沟通", actor=unit
        )
        reply_to(s, unit, classes["A"], text="已列入计划", publishable=True, accepted_by=staff)
        sv.suggestion_evaluate(
            suggestion=s, attitude="satisfied", result="dissatisfied", comment="未解决", actor=deputy
        )
    s.refresh_from_db()
    assert s.state == State.AWAITING_EVALUATION  # the co-signer has not answered yet
    with at(2026, 2, 3):
        sv.suggestion_evaluate(suggestion=s, attitude="satisfied", result="basic", comment="", actor=cos)
    s.refresh_from_db()
    assert s.state == State.REHANDLING and s.round == 2
    assert s.due_on == datetime.date(2026, 3, 3)
    with at(2026, 2, 20):
        sv.suggestion_consult(suggestion=s, date=datetime.date(2026, 2, 20), way="site", notes="现场查看", actor=unit)
        reply_to(s, unit, classes["A"], text="已完成改造", publishable=True, accepted_by=staff)
        sv.suggestion_evaluate(suggestion=s, attitude="satisfied", result="satisfied", comment="", actor=deputy)
        sv.suggestion_evaluate(suggestion=s, attitude="satisfied", result="satisfied", comment="", actor=cos)
    s.refresh_from_db()
    assert s.state == State.CLOSED
    actions = list(s.events.values_list("action", flat=True))
    assert actions.count("reply") == 2 and "rehandle" in actions and actions[-1] == "close"
    assert (
        AuditEvent.objects.filter(object_type="suggestions.suggestion", object_id=str(s.pk)).count() >= len(actions) - 1
    )


@pytest.mark.django_db
def test_numbers_have_no_gaps_and_restart_per_scope(city, people, session, categories):
    cats, _ = categories
    staff, deputy = people["city"], people["deputy"]
    numbers = []
    for i in range(3):
        s = sv.suggestion_create(
            author=deputy.deputy, data={"title": f"建议{i}", "proposals": "x", "session": session}, actor=deputy
        )
        sv.suggestion_submit(suggestion=s, actor=deputy)
        numbers.append(sv.suggestion_register(suggestion=s, category=cats["其他"], actor=staff).number)
    r = sv.suggestion_create(author=deputy.deputy, data={"title": "闭会期间建议", "proposals": "x"}, actor=deputy)
    sv.suggestion_submit(suggestion=r, actor=deputy)
    assert numbers == [1, 2, 3]
    assert sv.suggestion_register(suggestion=r, category=cats["其他"], actor=staff).number == 1


@pytest.mark.django_db
def test_unit_return_only_within_window(city, people, categories):
    cats, _ = categories
    staff, deputy, unit = people["city"], people["deputy"], people["unit"]
    with at(2026, 3, 2):
        s = sv.suggestion_create(author=deputy.deputy, data={"title": "t", "proposals": "p"}, actor=deputy)
        sv.suggestion_submit(suggestion=s, actor=deputy)
        sv.suggestion_register(suggestion=s, category=cats["其他"], actor=staff)
        sv.suggestion_assign(suggestion=s, lead_unit=city.unit_a, actor=staff)
    with at(2026, 3, 20), pytest.raises(ValidationError, match="已超过申请退回期限"):
        sv.suggestion_unit_return(suggestion=s, reason="不属本单位职责", actor=unit)
    with at(2026, 3, 10):
        sv.suggestion_unit_return(suggestion=s, reason="不属本单位职责", actor=unit)
    s.refresh_from_db()
    assert s.state == State.REGISTERED


@pytest.mark.django_db
def test_a_step_reads_the_congress_with_the_locked_row(city, people, session, categories):
    """Every step asks whether the actor is the congress's staff: the congress comes with the locked suggestion (one
    query), the lock holds the suggestion's row only (PostgreSQL refuses FOR UPDATE on an outer join's nullable side)."""
    cats, _ = categories
    with at(2026, 1, 11):
        s = draft_cosigned_suggestion(people, session)
        sv.suggestion_submit(suggestion=s, actor=people["deputy"])
        sv.suggestion_confirm_cosign(suggestion=s, actor=people["cosigner"])
        with CaptureQueriesContext(connection) as queries:
            sv.suggestion_register(suggestion=s, category=cats["城乡建设与管理"], actor=people["city"])
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if q.startswith("SELECT") and 'FROM "organisation_congress"' in q]
    locking = [q for q in sql if 'FROM "suggestions_suggestion"' in q and 'JOIN "organisation_congress"' in q]
    assert len(locking) == 1
    if connection.vendor == "postgresql":
        assert 'FOR UPDATE OF "suggestions_suggestion"' in locking[0]
    s.refresh_from_db()
    assert s.state == State.REGISTERED
