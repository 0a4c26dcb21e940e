"""The demo's session: a delegation per township-level unit, 6 motions (1 on the agenda, 5 handled as
suggestions, which are 5 of the article's 118 session suggestions), and the figures as `city` sees them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.motions.choices import Decision, DelegationRole, MotionKind, MotionState
from deputyhome.motions.models import Delegation, Motion
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Region, Session
from deputyhome.suggestions.choices import State
from deputyhome.suggestions.models import Suggestion

pytestmark = pytest.mark.usefixtures("demo")

YEAR = timezone.localdate().year


def _session() -> Session:
    return Session.objects.get(congress__level=CongressLevel.CITY, start_date__year=YEAR)


def test_the_motions_api_as_city(db, client):
    client.force_login(User.objects.get(username="city"))
    body = client.get(reverse("reports:stats_motions"), {"year": YEAR}).json()
    assert {k: body[k] for k in ("received", "on_agenda", "not_on_agenda", "converted_to_suggestions", "pending")} == {
        "received": 6,
        "on_agenda": 1,
        "not_on_agenda": 0,
        "converted_to_suggestions": 5,
        "pending": 0,
    }


def test_a_delegation_per_township_level_unit(db):
    session = _session()
    delegations = Delegation.objects.filter(session=session)
    # Every township-level unit that elected city deputies (all but one of the 19 in the demo) sends a delegation.
    townships = Region.objects.filter(code__regex=r"^\d{9}$", deputies__mandates__congress=session.congress).distinct()
    assert delegations.count() == townships.count() == 18
    assert set(delegations.values_list("region", flat=True)) == set(townships.values_list("pk", flat=True))
    for d in delegations.prefetch_related("members__deputy__mandates__congress"):
        members = list(d.members.all())
        assert members, d
        assert sum(1 for m in members if m.role == DelegationRole.HEAD) == 1
        for m in members:
            assert m.deputy.region_id == d.region_id
            assert any(x.congress_id == session.congress_id for x in m.deputy.mandates.all())
    assert session.motion_deadline is not None


def test_five_of_the_118_session_suggestions_came_in_as_motions(db):
    session = _session()
    received = Suggestion.objects.filter(year=YEAR, submitted_at__isnull=False, congress=session.congress).exclude(
        state=State.DRAFT
    )
    assert received.count() == 120 and received.filter(session=session).count() == 118
    converted = Motion.objects.filter(session=session, decision=Decision.CONVERTED).select_related("suggestion")
    assert converted.count() == 5
    for m in converted:
        s = m.suggestion
        assert s.session == session and s.title == m.title and s.author_id == m.lead_id
        assert m.kind == MotionKind.JOINT and m.state == MotionState.CONVERTED
        signers = {x.deputy_id for x in m.signers.all() if x.counts and not x.is_lead}
        assert len(signers) == 9
        assert set(s.cosigners.filter(confirmed_at__isnull=False).values_list("deputy_id", flat=True)) == signers
        assert s.events.first().action == "create" and s.state != State.SUBMITTED  # it ran on
    assert received.filter(motion__isnull=False).count() == 5


def test_the_motion_on_the_agenda(db):
    m = Motion.objects.get(decision=Decision.ON_AGENDA)
    assert m.kind == MotionKind.DELEGATION and m.delegation is not None
    assert m.committee and m.report_due_on is not None
    assert m.report_due_on.year == YEAR and m.report_due_on.month == 7


def test_the_session_page_counts_the_118_by_delegation(db, client):
    client.force_login(User.objects.get(username="city"))
    response = client.get(reverse("motions:session_detail", args=[_session().pk]))
    assert response.status_code == 200
    rows = response.context["delegations"]
    assert len(rows) == Delegation.objects.filter(session=_session()).count() >= 18
    assert sum(d.suggestions_received for d in rows) == 118
    assert sum(d.motions_received for d in rows) == 6
    assert response.context["totals"] == {
        "motions_received": 6,
        "motions_on_agenda": 1,
        "motions_converted": 5,
        "suggestions": 118,
    }
    # The township persona (六角亭街道) sees its own delegation.
    client.force_login(User.objects.get(username="township"))
    rows = client.get(reverse("motions:session_detail", args=[_session().pk])).context["delegations"]
    assert [d.name for d in rows] == ["六角亭街道代表团"]


def test_the_sessions_attendance_as_the_committee_recorded_it(db, client):
    """Every delegation's members recorded on the opening morning: all present but five on approved leave (each
    with its reason) and one absent; the session page counts them by delegation."""
    from deputyhome.motions.choices import AttendanceStatus, LeaveState
    from deputyhome.motions.models import DelegationMember, SessionAttendance

    session = _session()
    if session.start_date > timezone.localdate():
        pytest.skip("this year's session has not opened yet")
    members = DelegationMember.objects.filter(delegation__session=session).values("deputy_id").distinct().count()
    rows = SessionAttendance.objects.filter(session=session)
    assert rows.count() == members > 200
    excused = rows.filter(status=AttendanceStatus.EXCUSED)
    assert sorted(excused.values_list("reason", flat=True)) == sorted(
        ["因病请假", "因公出差", "参加上级人大组织的培训", "家中有急事", "因病住院治疗"]
    )
    assert set(excused.values_list("leave_state", flat=True)) == {LeaveState.APPROVED}
    assert rows.filter(status=AttendanceStatus.ABSENT).count() == 1
    assert rows.filter(status=AttendanceStatus.PRESENT).count() == members - 6
    # Nobody away leads or signs a motion of the session.
    away = set(rows.exclude(status=AttendanceStatus.PRESENT).values_list("deputy_id", flat=True))
    assert not away & set(Motion.objects.filter(session=session).values_list("signers__deputy_id", flat=True))
    client.force_login(User.objects.get(username="city"))
    delegations = client.get(reverse("motions:session_detail", args=[session.pk])).context["delegations"]
    totals = {k: sum(getattr(d, k) for d in delegations) for k in ("present", "excused", "absent", "not_recorded")}
    assert totals == {"present": members - 6, "excused": 5, "absent": 1, "not_recorded": 0}
