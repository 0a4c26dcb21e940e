"""The demo's suggestions: the article's 118 + 2 of this year, on every stage of the course.

The demo is built once for the module on a fixed day (27 November 2026) and time stays on that
day (ticking) while the tests run, so "overdue" and "due soon" mean the same as when it was built.
Before that, the same demo is built on 15 March (and rolled back) to see it degrade early in a year. Only what the
suggestions are made of is built: the city, its deputies and logins, the city's suggestions and a township congress's
(`build_demo(features=...)`); the other features draw from generators of their own and leave the suggestions as
they are. That the whole demo states the same figures is test_annual_demo's and test_demo_motions'; that the same
seed builds the same suggestions is test_demo_determinism's.
"""

from __future__ import annotations

import datetime
import importlib.util
from collections import Counter

import pytest
import time_machine
from django.db import transaction
from django.db.models import Count, Max, Q

from deputyhome.accounts.models import User
from deputyhome.audit.models import AuditEvent
from deputyhome.demo.builder import build_demo
from deputyhome.organisation.choices import CongressLevel, UnitKind
from deputyhome.organisation.models import Region
from deputyhome.suggestions import services
from deputyhome.suggestions.choices import Action, ExtensionStatus, ReviewStatus, Satisfaction, State, UnitRole
from deputyhome.suggestions.models import (
    Assignment,
    Consultation,
    CoSigner,
    Evaluation,
    Event,
    Extension,
    Reply,
    Suggestion,
    SupervisionRecord,
)
from deputyhome.suggestions.selectors import overdue_q

TZ = datetime.timezone(datetime.timedelta(hours=8))
TODAY = datetime.date(2026, 11, 27)
EARLY = datetime.date(2026, 3, 15)
YEAR = TODAY.year


def _received(year: int = YEAR):
    """The city congress's suggestions (the article's); 白杨坪镇's congress has its own (test_demo_township)."""
    received = Suggestion.objects.filter(year=year, submitted_at__isnull=False, congress__level=CongressLevel.CITY)
    return received.exclude(state=State.DRAFT)


def _summary() -> dict:
    """What the early-year tests look at, read before the build is rolled back."""
    now = datetime.datetime.now(tz=TZ)
    received = _received()
    return {
        "received": received.count(),
        "in_session": received.filter(session__isnull=False).count(),
        "states": Counter(Suggestion.objects.values_list("state", flat=True)),
        "last_event_at": Event.objects.aggregate(m=Max("at"))["m"],
        "last_event_on": Event.objects.aggregate(m=Max("on"))["m"],
        "now": now,
        "overdue": Suggestion.objects.filter(overdue_q(EARLY)).count(),
    }


@pytest.fixture(scope="module")
def early(django_db_setup, django_db_blocker):
    """What the demo's suggestions are when it is built on 15 March (rolled back after)."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(datetime.datetime(2026, 3, 15, 10, 0, tzinfo=TZ), tick=False),
        transaction.atomic(),
    ):
        # Only the suggestions on top of the city: the other features do not change them.
        build_demo(features=("suggestions",))
        summary = _summary()
        transaction.set_rollback(True)
    return summary


@pytest.fixture(scope="module")
def demo(early, django_db_setup, django_db_blocker):
    """The demo's suggestions built on 27 November 2026; the clock stays on that day for the module's tests."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(datetime.datetime(2026, 11, 27, 9, 0, tzinfo=TZ), tick=True),
        transaction.atomic(),
    ):
        result = build_demo(features=("suggestions", "township"))
        yield result
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("demo")


def test_the_articles_counts(db, demo):
    received = _received()
    assert received.count() == 120
    assert received.filter(session__isnull=False).count() == 118
    assert received.filter(session__isnull=True).count() == 2
    # The session is the city congress's session of this year.
    sessions = {s.session for s in received.filter(session__isnull=False).select_related("session__congress")}
    assert len(sessions) == 1
    session = sessions.pop()
    assert session.congress.level == CongressLevel.CITY and session.start_date.year == YEAR
    # None withdrawn; the drafts are on top and no statistic counts them.
    assert not Suggestion.objects.filter(state=State.WITHDRAWN).exists()
    drafts = Suggestion.objects.filter(state=State.DRAFT)
    assert drafts.count() == 3 and not drafts.filter(submitted_at__isnull=False).exists()
    assert demo.counts["代表建议"] == 120
    assert demo.counts["代表建议（会议期间）"] == 118 and demo.counts["代表建议（闭会期间）"] == 2


def test_every_state_but_withdrawn(db):
    states = Counter(Suggestion.objects.values_list("state", flat=True))
    assert set(states) == {
        State.DRAFT,
        State.SUBMITTED,
        State.RETURNED,
        State.REGISTERED,
        State.ASSIGNED,
        State.HANDLING,
        State.REPLIED,
        State.AWAITING_EVALUATION,
        State.REHANDLING,
        State.CLOSED,
    }
    # Most of the year's work is done by late November.
    assert states[State.CLOSED] >= 80


def test_overdue_rehandled_and_key(db):
    overdue = Suggestion.objects.filter(overdue_q(TODAY))
    assert overdue.count() >= 3
    assert all(s.due_on < TODAY for s in overdue)
    assert Suggestion.objects.filter(round=2, state=State.REHANDLING).exists()
    assert Suggestion.objects.filter(round=2, state=State.CLOSED).count() >= 3
    key = Suggestion.objects.filter(is_key=True)
    assert key.count() >= 5 and not key.filter(key_leader="").exists()
    methods = set(SupervisionRecord.objects.filter(suggestion__is_key=True).values_list("method", flat=True))
    assert methods == {"documents", "report", "site", "visit"}


def test_numbers_without_gaps(db):
    numbered = Suggestion.objects.filter(number__isnull=False)
    for session_id in numbered.filter(session__isnull=False).values_list("session", flat=True).distinct():
        numbers = sorted(numbered.filter(session_id=session_id).values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
    # In recess, each congress numbers its own (the city's and each township's).
    in_recess = numbered.filter(session__isnull=True, year=YEAR)
    congresses = set(in_recess.values_list("congress", flat=True))
    assert len(congresses) >= 2 and {CongressLevel.CITY, CongressLevel.TOWNSHIP} <= set(
        in_recess.values_list("congress__level", flat=True)
    )
    for congress in congresses:
        recess = sorted(in_recess.filter(congress=congress).values_list("number", flat=True))
        assert recess == list(range(1, len(recess) + 1))
    # Numbers follow the order of registration.
    for session_id in numbered.filter(session__isnull=False).values_list("session", flat=True).distinct():
        registered = Event.objects.filter(action=Action.REGISTER, suggestion__session=session_id).order_by("at")
        assert [e.data["number"] for e in registered] == sorted(e.data["number"] for e in registered)


def test_nothing_happens_after_yesterday(db):
    start_of_today = datetime.datetime(2026, 11, 27, tzinfo=TZ)
    assert not Event.objects.filter(at__gte=start_of_today).exists()
    assert not Event.objects.filter(on__gte=TODAY).exists()
    assert not AuditEvent.objects.filter(action__startswith="suggestion.", at__gte=start_of_today).exists()
    assert not Consultation.objects.filter(date__gte=TODAY).exists()
    assert not Evaluation.objects.filter(evaluated_on__gte=TODAY).exists()
    assert not Reply.objects.filter(submitted_on__gte=TODAY).exists()
    assert not SupervisionRecord.objects.filter(date__gte=TODAY).exists()
    assert not Suggestion.objects.filter(Q(submitted_at__gte=start_of_today) | Q(closed_on__gte=TODAY)).exists()
    # Each timeline starts with its creation, in the year.
    first = Event.objects.order_by("at").first()
    assert first.at.year == YEAR and first.action == "create"


def test_timelines_are_the_services_own(db):
    closed = Suggestion.objects.filter(state=State.CLOSED).first()
    actions = list(closed.events.values_list("action", flat=True))
    assert actions[:2] == ["create", "submit"]
    assert {"register", "assign", "receive", "consult", "reply", "accept_reply", "close"} <= set(actions)
    assert AuditEvent.objects.filter(object_type="suggestions.suggestion", object_id=str(closed.pk)).count() >= 8
    # Every reply came after a consultation of its round, or a waiver.
    for reply in Reply.objects.select_related("suggestion"):
        consulted = reply.suggestion.consultations.filter(round=reply.round, date__lte=reply.submitted_on)
        waived = reply.suggestion.events.filter(action=Action.WAIVE_CONSULTATION).exists()
        assert consulted.exists() or waived, reply.suggestion
    assert Event.objects.filter(action=Action.WAIVE_CONSULTATION).exists()


def test_the_rest_of_the_course(db):
    # Screening: sent back with a reason, some revised and resubmitted.
    returned = Suggestion.objects.filter(state=State.RETURNED)
    assert returned.count() >= 3 and not returned.filter(return_reason="").exists()
    assert Suggestion.objects.filter(events__action=Action.RETURN, state=State.SUBMITTED).exists()
    # A unit sent a wrong assignment back and another got it.
    assert Assignment.objects.filter(status="returned", role=UnitRole.LEAD).count() >= 2
    # Co-units gave their opinion; joint suggestions were co-signed.
    co = Assignment.objects.filter(role=UnitRole.CO)
    assert co.exclude(opinion="").count() >= 20
    assert CoSigner.objects.filter(confirmed_at__isnull=False).count() >= 15
    assert CoSigner.objects.filter(confirmed_at__isnull=True).exists()
    # Extensions of every outcome, and a reply staff sent back.
    assert {e.status for e in Extension.objects.all()} == {
        ExtensionStatus.APPROVED,
        ExtensionStatus.REJECTED,
        ExtensionStatus.PENDING,
    }
    assert Reply.objects.filter(review_status=ReviewStatus.SENT_BACK).count() >= 2
    # Results A/B/C; B and C carry a follow-up date.
    closed = Suggestion.objects.filter(state=State.CLOSED)
    codes = Counter(closed.values_list("result_class__code", flat=True))
    assert codes["A"] > codes["B"] > codes["C"] > 0
    assert not closed.filter(result_class__needs_follow_up=True, follow_up_on__isnull=True).exists()
    assert not closed.filter(result_class__needs_follow_up=False, follow_up_on__isnull=False).exists()
    # Mostly satisfied, some basically, a few not; a deputy who never answered is on record.
    final = Counter(
        Evaluation.objects.filter(suggestion__state=State.CLOSED, no_response=False).values_list("result", flat=True)
    )
    assert final[Satisfaction.SATISFIED] > final[Satisfaction.BASIC] > final[Satisfaction.DISSATISFIED] > 0
    assert Evaluation.objects.filter(no_response=True).exists()


def test_spread_over_categories_units_and_townships(db):
    registered = _received().filter(number__isnull=False)
    assert registered.values("category").distinct().count() == 10
    leads = Assignment.objects.filter(role=UnitRole.LEAD, status="active")
    assert leads.values("unit").distinct().count() >= 25
    assert leads.filter(unit__kind=UnitKind.COURT).count() >= 2
    assert leads.filter(unit__kind=UnitKind.PROCURATORATE).count() >= 2
    # Authors hold a city mandate (suggestions go to the city congress), from every township that has one.
    authors = _received().values_list("author", flat=True)
    assert not (
        _received()
        .annotate(city=Count("author__mandates", filter=Q(author__mandates__congress__level=CongressLevel.CITY)))
        .filter(city=0)
        .exists()
    )
    with_city_deputies = set(
        Region.objects.filter(
            deputies__mandates__congress__level=CongressLevel.CITY, kind__in=["street", "town", "township", "scenic"]
        ).values_list("name", flat=True)
    )
    assert set(_received().values_list("region__name", flat=True)) == with_city_deputies
    assert len(set(authors)) >= 60
    titles = list(Suggestion.objects.values_list("title", flat=True))
    assert len(set(titles)) == len(titles)


def test_unit_persona_inbox_has_work(db, client):
    unit = User.objects.get(username="unit")
    client.force_login(unit)
    response = client.get("/suggestions/inbox/")
    assert response.status_code == 200
    sections = {s["title"]: s["rows"] for s in response.context["sections"]}
    assert len(sections["新交办（待签收）"]) >= 2
    assert sections["即将到期（30天内）"]
    assert sections["已逾期"]
    assert sections["办理中"]
    # Overdue: its assignments, and a matter a township forwarded here past the forward's own due date.
    # (The desk's rows are ready to print: dates as YYYY-MM-DD, which compare as the dates do.)
    assert all((r["forward_due"] or r["due"]) < TODAY.isoformat() and r["late"] for r in sections["已逾期"])
    soon = (TODAY + datetime.timedelta(days=30)).isoformat()
    assert all(TODAY.isoformat() <= r["due"] <= soon and not r["late"] for r in sections["即将到期（30天内）"])
    content = response.content.decode()
    assert "规范瓶装液化气" in content
    # It has also closed some.
    assert Suggestion.objects.filter(
        state=State.CLOSED, assignments__unit=unit.unit, assignments__role=UnitRole.LEAD
    ).exists()


def test_deputy_persona_has_one_to_evaluate(db, client):
    user = User.objects.get(username="deputy")
    own = Suggestion.objects.filter(author=user.deputy)
    states = Counter(own.values_list("state", flat=True))
    assert states[State.AWAITING_EVALUATION] == 1 and states[State.DRAFT] == 1
    assert 3 <= own.exclude(state=State.DRAFT).count() <= 4
    assert len(states) == own.count()  # all in different stages
    waiting = own.get(state=State.AWAITING_EVALUATION)
    assert waiting.evaluation_due_on > TODAY
    assert Action.EVALUATE in services.allowed_actions(user, waiting)
    client.force_login(user)
    assert client.get(f"/suggestions/{waiting.pk}/").status_code == 200


def test_other_logins_cannot_log_in(db):
    extra = User.objects.filter(Q(username__startswith="deputy_") | Q(username__startswith="unit_"))
    assert extra.count() > 50
    assert not any(u.has_usable_password() for u in extra)
    assert not User.objects.filter(username__in=["city", "unit", "deputy"], password__startswith="!").exists()


@pytest.mark.skipif(
    importlib.util.find_spec("deputyhome.supervision.stats") is None,
    reason="deputyhome/supervision/stats.py (the statistics API) is not there yet",
)
def test_statistics_api_counts_the_article(db, client):
    client.force_login(User.objects.get(username="city"))
    response = client.get(f"/api/v1/stats/suggestions?year={YEAR}")
    assert response.status_code == 200
    body = response.json()
    figures = body.get("counts", body)
    assert figures["received"] == 120
    assert figures["received_in_session"] == 118
    assert figures["received_in_recess"] == 2


def test_early_in_the_year_fewer_late_stages(early):
    # The session's and the recess's suggestions are in; none is overdue yet in March.
    assert early["received"] == 120 and early["in_session"] == 118
    assert early["overdue"] == 0
    assert early["last_event_on"] < EARLY and early["last_event_at"] < early["now"]
    states = early["states"]
    assert states[State.HANDLING] > states[State.CLOSED]
    assert not states[State.WITHDRAWN]
