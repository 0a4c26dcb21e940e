"""The bench province at a tiny scale: its shape, and bench_run's results file. No timings are asserted."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.activities import scoring
from deputyhome.activities.choices import ProblemStatus
from deputyhome.activities.models import (
    Activity,
    AssessmentResult,
    Campaign,
    GroupTopic,
    Problem,
    Referral,
    Rule,
    RulePosting,
    RuleVersion,
    StandardItem,
    StationAssessment,
    TownshipTheme,
)
from deputyhome.audit.models import AuditEvent
from deputyhome.audit.services import verify_chain
from deputyhome.demo.bench import BenchExists, build_bench
from deputyhome.demo.bench.jobs import run_job
from deputyhome.demo.bench.people import PERSONAS
from deputyhome.demo.bench.shape import YEARS, Shape
from deputyhome.deputies.models import AccountRequest, Deputy, GroupMembership, Mandate
from deputyhome.motions.models import Delegation, DelegationMember, Motion, MotionEvent, SessionAttendance
from deputyhome.notifications.choices import Channel as NoticeChannel
from deputyhome.notifications.models import Notification
from deputyhome.opinions.choices import Channel
from deputyhome.opinions.models import ModelStory, Opinion, Pairing, PairingContact, Reception
from deputyhome.organisation.choices import CODE_LENGTHS, CongressLevel, RegionKind
from deputyhome.organisation.models import Congress, DeputyGroup, HandlingUnit, Region, Session, Station
from deputyhome.organisation.regions import code_problems
from deputyhome.suggestions.choices import ForwardStatus, State
from deputyhome.suggestions.models import Event, Forward, Suggestion, SupervisionRecord
from deputyhome.testing_snapshots import cached_snapshot, snapshot_loaded
from deputyhome.training.models import Attendance

pytestmark = pytest.mark.django_db
SCALE = 0.002


@pytest.fixture(scope="module")
def bench(django_db_setup, django_db_blocker):
    """The tiny province, built once for the module (every test here reads it; what one writes is rolled back with
    the test): its counts."""
    with django_db_blocker.unblock():
        counts, snapshot = cached_snapshot(f"bench-{SCALE}", lambda: build_bench(scale=SCALE))
    with snapshot_loaded(django_db_blocker, snapshot):
        yield counts


def test_shape_follows_the_scale(bench):
    shape = Shape.at(SCALE)
    assert Deputy.objects.count() == shape.deputies == 200
    assert Suggestion.objects.count() == shape.suggestions == 100
    assert Station.objects.count() == DeputyGroup.objects.count() == shape.stations
    assert HandlingUnit.objects.count() == shape.units
    assert Attendance.objects.count() == pytest.approx(shape.attendance, rel=0.2)
    assert bench["opinions"] == shape.opinions
    # The receptions, each with one or two of its group's deputies; the opinions taken down by staff were taken there.
    assert Reception.objects.count() == bench["receptions"] == shape.receptions
    assert not Reception.objects.filter(deputies=None).exists()
    assert not Opinion.objects.filter(channel=Channel.RECEPTION, reception=None).exists()
    assert not Opinion.objects.filter(channel=Channel.ONLINE).exclude(reception=None).exists()
    assert not Opinion.objects.exclude(reception=None).exclude(station=F("reception__station")).exists()
    # Every active deputy is in one group, and every suggestion state is there, each with its timeline.
    assert GroupMembership.objects.values("deputy").distinct().count() == shape.deputies
    assert set(Suggestion.objects.values_list("state", flat=True)) == set(State.values)
    assert not Suggestion.objects.exclude(pk__in=Event.objects.values("suggestion")).exists()
    # A congress for the province, each prefecture and county, and each town or township.
    assert (
        Congress.objects.count()
        == 1
        + shape.prefectures
        + shape.counties
        + Region.objects.filter(kind__in=[RegionKind.TOWN, RegionKind.TOWNSHIP]).count()
    )
    assert User.objects.filter(username__in=[p[0] for p in PERSONAS]).count() == len(PERSONAS)
    # Every deputy has a login (the group leader's and the deputy's personas, one of their own for the others), but
    # one in a hundred asked for and still waiting; one in a hundred is just made, without a role yet.
    assert User.objects.filter(deputy__isnull=False).count() == bench["logins"] + 2
    assert Deputy.objects.count() == bench["logins"] + 2 + bench["account_requests"]
    assert AccountRequest.objects.filter(done_at=None).count() == bench["account_requests"] > 0
    assert not AccountRequest.objects.filter(deputy__user__isnull=False).exists()
    assert User.objects.filter(
        role=Role.UNASSIGNED, deputy__isnull=False, password_one_time_until__isnull=False
    ).exists()


def test_campaigns_and_the_problems_found_in_activities(bench):
    shape = Shape.at(SCALE)
    assert Campaign.objects.count() == bench["campaigns"] == YEARS
    assert TownshipTheme.objects.count() == YEARS * shape.townships
    assert GroupTopic.objects.count() == YEARS * shape.stations
    # An activity in a campaign's months belongs to it; one outside belongs to none.
    assert Activity.objects.exclude(campaign=None).exists()
    for activity in Activity.objects.select_related("campaign"):
        c = activity.campaign
        assert c is None or c.start_on <= activity.date <= c.end_on
    # The problems, in every state but 形成建议; a forwarded one, and only it, has a referral in its township.
    assert Problem.objects.count() == bench["problems"] == shape.problems
    assert set(Problem.objects.values_list("status", flat=True)) == set(ProblemStatus.values) - {
        ProblemStatus.SUGGESTION
    }
    forwarded = Problem.objects.filter(status=ProblemStatus.FORWARDED)
    assert Referral.objects.count() == bench["referrals"] == forwarded.count()
    assert not forwarded.filter(referral=None).exists()
    assert not Problem.objects.exclude(status=ProblemStatus.FORWARDED).exclude(referral=None).exists()
    assert not forwarded.exclude(referral__region=F("region")).exists()
    assert not Problem.objects.exclude(region=F("activity__region")).exists()


def test_sessions_attendance_delegations_and_motions(bench):
    # A row for every deputy of a congress at each of its sessions.
    expected = sum(Mandate.objects.filter(congress=s.congress_id).count() for s in Session.objects.only("congress_id"))
    assert SessionAttendance.objects.count() == bench["session_attendance"] == expected
    assert not SessionAttendance.objects.exclude(deputy__mandates__congress=F("session__congress")).exists()
    # A delegation of every region below a congress above the townships; its members are that congress's deputies.
    assert Delegation.objects.count() == bench["delegations"] > 0
    assert not Delegation.objects.filter(session__congress__level=CongressLevel.TOWNSHIP).exists()
    assert not DelegationMember.objects.exclude(deputy__mandates__congress=F("delegation__session__congress")).exists()
    # Motions with their numbers in each session, enough confirmed signers of the congress, and a timeline.
    assert Motion.objects.count() == bench["motions"] > 0
    assert not Motion.objects.exclude(lead__mandates__congress=F("session__congress")).exists()
    numbered = Motion.objects.exclude(number=None)
    assert numbered.values("session", "number").distinct().count() == numbered.count()
    for motion in Motion.objects.annotate(n=Count("signers", filter=Q(signers__confirmed_at__isnull=False))):
        assert motion.n >= (5 if motion.session.congress.level == CongressLevel.TOWNSHIP else 10)
    assert MotionEvent.objects.count() == Motion.objects.count()
    assert len(set(Motion.objects.values_list("state", flat=True))) == 5


def test_assessments_pairings_and_stories(bench):
    shape = Shape.at(SCALE)
    # Every station each year before this one, a result per active item, the score as the service computes it.
    items = StandardItem.objects.filter(is_active=True).count()
    assert StationAssessment.objects.count() == bench["assessments"] == shape.stations * (YEARS - 1)
    assert AssessmentResult.objects.count() == bench["assessment_results"] == bench["assessments"] * items
    for a in StationAssessment.objects.prefetch_related("results")[:20]:
        assert a.score == scoring.score((r.points, r.status) for r in a.results.all())
        assert a.passed == (a.score >= a.pass_score)
    # Three households for each pairing deputy, in a village of the deputy's township; contacts within the pairing.
    assert Pairing.objects.count() == bench["pairings"] == shape.pairings // 3 * 3
    assert PairingContact.objects.count() == bench["pairing_contacts"] >= bench["pairings"]
    for p in Pairing.objects.select_related("village", "deputy__region").exclude(village=None)[:50]:
        assert p.village.code.startswith(p.deputy.region.code)
    assert not PairingContact.objects.filter(date__lt=F("pairing__since")).exists()
    assert not PairingContact.objects.filter(date__gt=F("pairing__ended_on")).exists()
    assert ModelStory.objects.count() == bench["stories"] == shape.stories
    # The counts the rows keep for their registers' sorts agree with the rows written in bulk.
    assert not Pairing.objects.annotate(n=Count("contacts")).exclude(contact_count=F("n")).exists()
    assert not Reception.objects.annotate(n=Count("opinions")).exclude(opinion_count=F("n")).exists()
    assert Reception.objects.filter(opinion_count__gt=0).exists()
    assert not ModelStory.objects.filter(is_published=True, published_at=None).exists()
    assert not ModelStory.objects.filter(is_published=False).exclude(published_at=None).exists()


def test_region_codes_are_valid(bench):
    regions = list(Region.objects.select_related("parent"))
    assert {len(r.code) for r in regions} == {2, 4, 6, 9, 12}
    for region in regions:
        parent = region.parent.code if region.parent_id else None
        assert code_problems(code=region.code, kind=region.kind, parent_code=parent) == {}, region.code
        assert len(region.code) == CODE_LENGTHS[region.kind]


def test_one_audit_row_per_step_and_the_chain_holds(bench):
    steps = AuditEvent.objects.filter(action__startswith="bench.").values_list("action", flat=True)
    assert sorted(steps) == sorted(
        f"bench.{s}"
        for s in (
            "organisation",
            "deputies",
            "suggestions",
            "opinions",
            "activities",
            "training",
            "motions",
            "contact",
            "followup",
            "notifications",
        )
    )
    assert verify_chain() == []
    with pytest.raises(BenchExists):
        build_bench(scale=SCALE)


def test_bench_run_writes_the_results(bench, tmp_path, monkeypatch):
    import gc

    from deputyhome.demo.bench import measure

    collector_on: list[bool] = []
    real_time = measure._time

    def timed(client, url):
        collector_on.append(gc.isenabled())
        return real_time(client, url)

    monkeypatch.setattr(measure, "_time", timed)
    out = StringIO()
    options = ["--rounds", "1", "--jobs", "", "--personas", "city,deputy", "--out", str(tmp_path)]
    call_command("bench_run", *options, stdout=out, stderr=StringIO())
    data = json.loads((tmp_path / "latest.json").read_text())
    # Every timed request ran with the garbage collector paused; it ran between the personas (one round: two).
    assert collector_on and not any(collector_on) and gc.isenabled()
    assert data["collections"] == 2 and data["collection_median_ms"] >= 0
    for key in ("scale", "import_rows_per_s", "export_rows_per_s", "export_peak_mb", "annual_report_s"):
        assert key in data
    assert data["scale"] == SCALE and "annual_report_peak_mb" in data
    page = next(p for p in data["pages"] if p["persona"] == "city" and p["url"] == "/")
    assert page["status"] == 200 and page["queries"] > 0 and page["bytes"] > 0
    assert set(page) >= {"median_ms", "queries", "floor_ms", "bytes", "ratio"}
    assert {p["persona"] for p in data["pages"]} == {"city", "deputy"}
    # The form pages are timed too (one of each kind): a form renders its choices.
    city_forms = {p["url"] for p in data["pages"] if p["persona"] == "city" and p["url"].endswith(("/new/", "/edit/"))}
    assert {"/activities/new/", "/opinions/receptions/new/"} <= city_forms, sorted(city_forms)
    # The steps of 开通代表账号 that no menu links to, with the province's deputies waiting for a login.
    asks = next(
        p for p in data["pages"] if p["persona"] == "city" and p["url"].startswith("/deputies/account-requests/")
    )
    assert asks["status"] == 200 and asks["median_ms"] > 0
    assert "| persona | page |" in (tmp_path / "latest.md").read_text() and "| city |" in out.getvalue()
    # The figures computed ahead were refreshed first, as the scheduler would, and timed.
    assert data["jobs"]["figures_refresh"]["seconds"] >= 0
    assert "City-wide pages over 40× the floor:" in out.getvalue() and "Scoped pages over 20×" in out.getvalue()


def test_the_roster_import_job(bench):
    user = User.objects.get(username="bench_city")
    result = run_job("import", user=user, scale=SCALE, year=2026)
    assert result["applied"], result
    assert result["rows"] == 50 and result["rows_per_s"] > 0
    assert Deputy.objects.count() == 200  # rolled back


def test_the_personas_notifications(bench):
    shape = Shape.at(SCALE)
    users = {u.username: u for u in User.objects.filter(username__startswith="bench_")}
    in_site = Notification.objects.filter(channel=NoticeChannel.IN_APP)
    assert Notification.objects.count() == bench["notifications"]
    assert in_site.filter(user=users["bench_city"]).count() == shape.notices
    # The newest of each persona's unread, the older read after they came; SMS copies for deputies and clerks only.
    for username, user in users.items():
        mine = in_site.filter(user=user)
        unread = mine.filter(read_at=None)
        assert unread.exists() and mine.exclude(read_at=None).exists(), username
        newest_read = mine.exclude(read_at=None).order_by("-created_at").first()
        assert newest_read.created_at <= unread.order_by("created_at").first().created_at
        sms = Notification.objects.filter(user=user, channel=NoticeChannel.SMS).count()
        assert sms == (mine.count() if username in ("bench_unit", "bench_group", "bench_deputy") else 0), username
    assert not Notification.objects.filter(read_at__lt=F("created_at")).exists()


def test_forwards_supervision_and_rules(bench):
    # Forwards: township suggestions once assigned, to a unit of the county above, within the dates of the course.
    forwards = Forward.objects.select_related("suggestion__congress__region", "unit__region")
    assert forwards.count() == bench["forwards"] > 0
    for f in forwards[:50]:
        assert f.suggestion.congress.level == CongressLevel.TOWNSHIP and f.forwarded_on >= f.suggestion.assigned_on
        assert f.due_on > f.forwarded_on
        assert (f.answered_on is not None) == (f.status == ForwardStatus.ANSWERED)
        assert (f.withdrawn_on is not None) == (f.status == ForwardStatus.WITHDRAWN)
    assert Forward.objects.filter(status=ForwardStatus.PENDING).exists()
    # Two or three records for each key suggestion once assigned, none before it was.
    keys = Suggestion.objects.filter(is_key=True, assigned_on__isnull=False)
    assert SupervisionRecord.objects.count() == bench["supervision_records"] >= 2 * keys.count()
    assert not SupervisionRecord.objects.filter(date__lt=F("suggestion__assigned_on")).exists()
    # Every station has every rule's first text on its wall; some have this year's revision too.
    assert Rule.objects.count() == bench["rules"]
    first = RuleVersion.objects.filter(version="2022年版").count()
    stations = Station.objects.count()
    assert RulePosting.objects.count() == bench["rule_postings"] > first * stations
