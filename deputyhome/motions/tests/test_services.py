"""The course of a motion through its services: signers, the deadline, the check, the decision, the conversion."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.audit.models import AuditEvent
from deputyhome.core import workdays
from deputyhome.motions import services
from deputyhome.motions.choices import Decision, MotionState
from deputyhome.motions.models import Motion, MotionEvent, MotionRules
from deputyhome.motions.workflow import IllegalTransition
from deputyhome.suggestions import services as suggestion_services
from deputyhome.suggestions.choices import State
from deputyhome.suggestions.models import Category

from .conftest import at, joint_motion

pytestmark = pytest.mark.django_db


def _confirm(cg, motion, cosigners):
    for d in cosigners:
        services.motion_confirm(motion=motion, actor=cg.users[d.pk])


def _check(cg, motion, **kwargs):
    kwargs.setdefault("within_powers", True)
    return services.motion_check(motion=motion, actor=cg.personas["city"], **kwargs)


def _checked(cg):
    """A joint motion of ten deputies, confirmed by all on the 9th and checked on the 10th: before the presidium."""
    with at(9):
        m, cosigners = joint_motion(cg, 10)
        _confirm(cg, m, cosigners)
    with at(10, 15):
        return _check(cg, m)


def _written() -> tuple[int, int, int]:
    return (
        Motion.objects.count(),
        MotionEvent.objects.count(),
        AuditEvent.objects.exclude(action="access.denied").count(),
    )


def test_nine_confirmed_signers_are_refused_and_ten_accepted(cg):
    with at(9):
        nine, cosigners = joint_motion(cg, 10)
        _confirm(cg, nine, cosigners[:8])  # the lead and 8: nine confirmed of ten listed
        ten, cosigners = joint_motion(cg, 10, title="关于加强清江流域生态保护的议案")
        _confirm(cg, ten, cosigners)
    with at(10, 15):
        nine, ten = _check(cg, nine), _check(cg, ten)
    assert nine.state == MotionState.REFUSED
    assert "须10名以上代表联名" in nine.refusal and "只有9人" in nine.refusal
    assert ten.state == MotionState.ACCEPTED and ten.refusal == ""


def test_a_township_congress_needs_five(cg):
    township_officer = cg.personas["township_b"]
    pool_lead = cg.city.deputies_b[1]
    with at(9):
        four, cosigners = joint_motion(cg, 5, session=cg.township_session, lead=pool_lead)
        _confirm(cg, four, cosigners[:3])
        five, cosigners = joint_motion(
            cg, 5, session=cg.township_session, lead=pool_lead, title="关于修缮村组道路的议案"
        )
        _confirm(cg, five, cosigners)
    with at(11, 18):
        four = services.motion_check(motion=four, within_powers=True, actor=township_officer)
        five = services.motion_check(motion=five, within_powers=True, actor=township_officer)
    assert four.state == MotionState.REFUSED and "须5名以上" in four.refusal and "只有4人" in four.refusal
    assert five.state == MotionState.ACCEPTED
    # The city committee reads a township congress's motions but does not act on them.
    with pytest.raises(IllegalTransition):
        services.motion_decide(motion=five, decision=Decision.NOT_ON_AGENDA, note="-", actor=cg.personas["city"])


def test_the_number_is_configurable_per_congress(cg):
    MotionRules.objects.create(congress=cg.city.city_congress, min_signers=3, review_months=4)
    with at(9):
        m, cosigners = joint_motion(cg, 3)
        _confirm(cg, m, cosigners)
        m = _check(cg, m)
    assert m.state == MotionState.ACCEPTED


def test_too_few_listed_signers_cannot_file(cg):
    with at(9):
        m = services.motion_create(
            session=cg.session,
            lead=cg.deputies[0],
            data={"title": "关于某事的议案", "grounds": "理由", "plan": "方案"},
            cosigners=cg.deputies[1:4],
            actor=cg.users[cg.deputies[0].pk],
        )
        before = _written()
        with pytest.raises(ValidationError, match="须10人以上"):
            services.motion_file(motion=m, actor=cg.users[cg.deputies[0].pk])
    assert _written() == before


def test_a_motion_after_the_deadline_is_refused(cg):
    lead = cg.deputies[0]
    with at(10, 11, 30):
        m = services.motion_create(
            session=cg.session,
            lead=lead,
            data={"title": "关于迟交的议案", "grounds": "理由", "plan": "方案"},
            cosigners=cg.deputies[1:10],
            actor=cg.users[lead.pk],
        )
    before = _written()
    with at(10, 12, 0), pytest.raises(ValidationError, match="已过.*议案截止时间（2026年01月10日 12:00）"):
        services.motion_file(motion=m, actor=cg.users[lead.pk])
    assert _written() == before
    # Nor before the session opens, nor a new draft once the deadline has passed.
    with at(7), pytest.raises(ValidationError, match="尚未开幕"):
        services.motion_file(motion=m, actor=cg.users[lead.pk])
    with at(12), pytest.raises(ValidationError, match="已过"):
        services.motion_create(
            session=cg.session, lead=lead, data={"title": "又一件"}, cosigners=[], actor=cg.users[lead.pk]
        )


def test_a_withdrawal_after_the_deadline_is_refused(cg):
    with at(9):
        m, cosigners = joint_motion(cg, 10)
        _confirm(cg, m, cosigners)
        services.motion_unsign(motion=m, actor=cg.users[cosigners[0].pk], note="另有考虑")
    m.refresh_from_db()
    assert sum(1 for s in m.signers.all() if s.counts) == 9
    before = _written()
    with at(10, 12, 1), pytest.raises(ValidationError, match="已过.*不能撤回联名"):
        services.motion_unsign(motion=m, actor=cg.users[cosigners[1].pk])
    assert _written() == before
    with at(10, 12, 1), pytest.raises(ValidationError, match="不能确认联名"):
        services.motion_confirm(motion=m, actor=cg.users[cosigners[0].pk])
    with at(10, 15):
        m = _check(cg, m)
    assert m.state == MotionState.REFUSED and "只有9人" in m.refusal


def test_outside_the_congress_powers_is_refused_with_the_reason(cg):
    with at(9):
        m, cosigners = joint_motion(cg, 10)
        _confirm(cg, m, cosigners)
    with at(10, 15):
        m = _check(cg, m, within_powers=False, note="属于政府的行政事务")
    assert m.state == MotionState.REFUSED
    assert m.refusal == "所提事项不属于本级人民代表大会的职权范围（属于政府的行政事务）。"


def test_the_roles_of_the_course(cg):
    with at(9):
        m, cosigners = joint_motion(cg, 10)
        with pytest.raises(IllegalTransition, match="大会秘书处"):
            _check_as = services.motion_check(motion=m, within_powers=True, actor=cg.users[cosigners[0].pk])
        with pytest.raises(IllegalTransition, match="联名代表"):
            services.motion_confirm(motion=m, actor=cg.personas["city"])
        with pytest.raises(IllegalTransition):
            services.motion_check(motion=m, within_powers=True, actor=cg.personas["township"])
    assert "_check_as" not in locals()


def test_a_conversion_keeps_the_text_the_signers_and_the_link(cg):
    city = cg.personas["city"]
    with at(9):
        m, cosigners = joint_motion(cg, 11)
        _confirm(cg, m, cosigners)
        services.motion_unsign(motion=m, actor=cg.users[cosigners[-1].pk])  # withdrawn: not a co-signer
    with at(10, 15):
        m = _check(cg, m)
    with at(11, 9):
        m = services.motion_decide(motion=m, decision=Decision.CONVERTED, actor=city)
    assert m.state == MotionState.CONVERTED and m.decision == Decision.CONVERTED
    s = m.suggestion
    assert s.motion == m
    assert (s.title, s.situation, s.proposals) == (m.title, m.grounds, m.plan)
    assert s.author_id == m.lead_id and s.session_id == cg.session.pk and s.year == 2026
    assert s.state == State.SUBMITTED and s.submitted_at is not None
    confirmed = {c.deputy_id: c.confirmed_at for c in s.cosigners.all()}
    assert set(confirmed) == {d.pk for d in cosigners[:-1]}
    assert all(confirmed.values())
    assert AuditEvent.objects.filter(action="suggestion.converted", object_id=str(s.pk)).exists()
    # It runs the whole course: the committee registers it.
    with at(14, 9):
        s = suggestion_services.suggestion_register(suggestion=s, category=Category.objects.first(), actor=city)
    assert s.state == State.REGISTERED and s.number == 1


def test_on_the_agenda_the_report_is_due_six_months_on(cg):
    m = _checked(cg)
    with at(11, 9):
        with pytest.raises(ValidationError):
            services.motion_decide(motion=m, decision=Decision.ON_AGENDA, actor=cg.personas["city"])
        m = services.motion_decide(
            motion=m, decision=Decision.ON_AGENDA, committee="财政经济委员会", actor=cg.personas["city"]
        )
    # 11 January + 6 months = 11 July 2026, a Saturday: due the next working day.
    assert m.report_due_on == datetime.date(2026, 7, 13)
    with at(1, month=7):
        m = services.motion_report(
            motion=m, reported_on=datetime.date(2026, 7, 1), report="建议交政府研究落实。", actor=cg.personas["city"]
        )
    assert m.state == MotionState.REPORTED


@pytest.mark.parametrize(
    ("decided", "months", "due"),
    [
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 3, 1)),  # 28 Feb 2027 is a Sunday
        (datetime.date(2027, 8, 31), 6, datetime.date(2028, 2, 29)),  # a leap year's month end, a Tuesday
        (datetime.date(2026, 3, 31), 6, datetime.date(2026, 9, 30)),  # 31 Sep does not exist: 30 Sep, a Wednesday
        (datetime.date(2026, 4, 1), 6, datetime.date(2026, 10, 8)),  # 1 Oct: the National Day holiday runs to the 7th
        (datetime.date(2026, 1, 30), 1, datetime.date(2026, 2, 28)),  # a Saturday, but a working day (调休)
        (datetime.date(2026, 5, 15), 6, datetime.date(2026, 11, 16)),  # 15 Nov is a Sunday
    ],
)
def test_report_due_dates_at_month_ends(decided, months, due):
    assert services.report_due(decided, months) == due
    assert workdays.is_workday(due)


def test_rules_default_by_level_and_configurable(cg):
    assert services.rules_for(cg.city.city_congress).min_signers == 10
    assert services.rules_for(cg.city.township_congress_b).min_signers == 5
    assert services.rules_for(cg.city.city_congress).review_months == 6
    MotionRules.objects.create(congress=cg.city.township_congress_b, min_signers=7, review_months=3)
    assert services.rules_for(cg.city.township_congress_b).min_signers == 7


def test_a_delegation_files_in_its_own_name(cg):
    city = cg.personas["city"]
    head, member = cg.city.deputies_a[0], cg.city.deputies_a[1]
    with at(2):
        d = services.delegation_create(
            data={"session": cg.session, "name": "六角亭街道代表团", "region": cg.city.township_a}, actor=city
        )
        services.delegation_members_add(
            delegation=d, deputies=cg.city.deputies_a, start_date=cg.session.start_date, head=head, actor=city
        )
    with at(9):
        with pytest.raises(ValidationError, match="不是本次会议代表团的团长"):
            services.motion_create(
                session=cg.session, lead=member, data={"title": "x"}, kind="delegation", actor=cg.users[member.pk]
            )
        m = services.motion_create(
            session=cg.session,
            lead=head,
            data={"title": "关于老城区改造的议案", "grounds": "理由", "plan": "方案"},
            kind="delegation",
            actor=cg.users[head.pk],
        )
        m = services.motion_file(motion=m, actor=cg.users[head.pk])
    with at(10, 15):
        m = _check(cg, m)
    assert m.state == MotionState.ACCEPTED and m.delegation == d and m.number == 1
    assert m.region == cg.city.township_a


def test_numbers_follow_the_order_of_filing(cg):
    with at(9):
        first, _ = joint_motion(cg, 10)
        second, _ = joint_motion(cg, 10, title="关于第二件事的议案")
    assert (first.number, second.number) == (1, 2)


def test_the_lead_withdraws_before_the_deadline_only(cg):
    with at(9):
        m, _ = joint_motion(cg, 10)
    lead = cg.users[m.lead_id]
    with at(10, 13), pytest.raises(ValidationError, match="不能撤回议案"):
        services.motion_withdraw(motion=m, actor=lead)
    with at(9):
        m2, _ = joint_motion(cg, 10, title="关于另一件事的议案")
        m2 = services.motion_withdraw(motion=m2, actor=cg.users[m2.lead_id], note="合并到另一件议案")
    assert m2.state == MotionState.WITHDRAWN


def test_the_converted_suggestions_page_names_its_motion_and_others_read_no_motion(cg, client):
    city = cg.personas["city"]
    m = _checked(cg)
    with at(11, 9):
        m = services.motion_decide(motion=m, decision=Decision.CONVERTED, actor=city)
        other = suggestion_services.suggestion_create(
            author=m.lead, data={"title": "关于增设公交站点的建议", "proposals": "增设"}, actor=cg.users[m.lead_id]
        )
    client.force_login(city)
    html = client.get(m.suggestion.get_absolute_url()).content.decode()
    assert 'id="motion-origin"' in html and m.get_absolute_url() in html
    client.force_login(cg.users[m.lead_id])
    with CaptureQueriesContext(connection) as queries:
        html = client.get(other.get_absolute_url()).content.decode()
    assert 'id="motion-origin"' not in html
    assert not [q for q in queries if q["sql"].startswith('SELECT "motions_motion"')]  # its row said: no motion


def test_a_step_locks_and_reads_the_motion_in_one_query(cg):
    """The check (a step) reads the locked motion with its session, congress, lead and delegation in one query that
    locks the motion's row only (PostgreSQL refuses FOR UPDATE on an outer join's nullable side)."""
    with at(9):
        m, cosigners = joint_motion(cg, 10)
        _confirm(cg, m, cosigners)
    with at(10, 15), CaptureQueriesContext(connection) as queries:
        _check(cg, m)
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "motions_motion"."id"')]
    of_this = [q for q in reads if f'"motions_motion"."id" = {m.pk}' in q]
    assert len(of_this) == 1
    if connection.vendor == "postgresql":
        assert 'FOR UPDATE OF "motions_motion"' in of_this[0]
    m.refresh_from_db()
    assert m.state != MotionState.FILED
