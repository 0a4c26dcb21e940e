"""The demo's township congresses at work: 白杨坪镇's presidium office (`townshipcongress`) runs its deputies'
suggestions with the town's offices (`townshipunit` for the agricultural service centre), and every township
congress holds its session, with its deputies' suggestions handled by its offices and a few forwarded up to city
units; the city's figures stay the article's."""

from __future__ import annotations

import datetime

import pytest

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.demo.builder import DEMO_PASSWORD
from deputyhome.demo.clock import TZ
from deputyhome.demo.data import cn_number
from deputyhome.organisation.choices import CongressLevel, RegionKind
from deputyhome.organisation.models import Congress, HandlingUnit, Session
from deputyhome.suggestions.choices import ForwardStatus, State
from deputyhome.suggestions.models import Category, Forward, Suggestion

pytestmark = pytest.mark.usefixtures("demo")

UNITS = {"白杨坪镇农业服务中心", "白杨坪镇财政所", "白杨坪镇卫生院", "白杨坪镇洞下槽村村民委员会"}


def _congress() -> Congress:
    return Congress.objects.get(name="白杨坪镇第十九届人民代表大会")


def test_the_township_logins(db):
    officer = User.objects.get(username="townshipcongress")
    assert officer.role == Role.TOWNSHIP_OFFICER and officer.region.code == "422801101"
    assert officer.display_name == "田晓燕" and officer.check_password(DEMO_PASSWORD)
    clerk = User.objects.get(username="townshipunit")
    assert clerk.role == Role.UNIT_CLERK and clerk.unit.name == "白杨坪镇农业服务中心"
    assert clerk.check_password(DEMO_PASSWORD)


def test_the_town_s_units_are_its_own(db):
    units = HandlingUnit.objects.filter(name__in=UNITS)
    assert {u.name for u in units} == UNITS
    assert {u.region.name for u in units} == {"白杨坪镇"}
    assert set(HandlingUnit.objects.filter(region__name="白杨坪镇").values_list("name", flat=True)) == UNITS
    # Every other township congress has three offices of its own; the city's 40 units are the city's.
    for congress in Congress.objects.filter(level=CongressLevel.TOWNSHIP).exclude(name=_congress().name):
        town = congress.region.name
        names = set(HandlingUnit.objects.filter(region=congress.region).values_list("name", flat=True))
        assert names == {f"{town}农业服务中心", f"{town}财政所", f"{town}卫生院"}
    assert HandlingUnit.objects.filter(region=None).count() == 40
    assert not HandlingUnit.objects.filter(region__kind=RegionKind.STREET).exists()


def test_six_suggestions_in_recess_at_every_stage(db):
    congress = _congress()
    mine = Suggestion.objects.filter(congress=congress, session=None)
    assert mine.count() == 6
    assert set(mine.values_list("state", flat=True)) == {
        State.SUBMITTED,
        State.REGISTERED,
        State.ASSIGNED,
        State.REPLIED,
        State.CLOSED,
    }
    # By deputies of the town's congress, handled by the town's units, under its own category too.
    for s in mine.select_related("author"):
        assert s.author.mandates.filter(congress=congress).exists()
        assert all(a.unit.region_id == congress.region_id for a in s.assignments.select_related("unit"))
    own = Category.objects.get(name="茶叶产业")
    assert own.region_id == congress.region_id and mine.filter(category=own).exists()
    # In recess, numbered apart from the session's.
    assert sorted(mine.exclude(number=None).values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    closed = mine.filter(state=State.CLOSED)
    assert all(s.evaluations.exists() for s in closed)


def test_the_township_desk_and_inbox_have_work(db, client):
    client.force_login(User.objects.get(username="townshipcongress"))
    page = client.get("/suggestions/desk/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "关于及时足额发放耕地地力保护补贴的建议" in html  # to screen
    assert "关于麂子渡村卫生室增配常用药品和设备的建议" in html  # a reply to review
    assert "关于规范" not in html  # none of the city's
    client.force_login(User.objects.get(username="townshipunit"))
    inbox = client.get("/suggestions/inbox/").content.decode()
    assert "关于熊家岩村安全饮水工程维护的建议" in inbox  # assigned, to sign for


def test_every_township_congress_holds_its_session_with_suggestions(db, today):
    congresses = list(Congress.objects.filter(level=CongressLevel.TOWNSHIP).select_related("region"))
    assert len(congresses) == 13
    states = set()
    for congress in congresses:
        session = Session.objects.get(congress=congress, start_date__year=today.year)
        assert session.start_date < today and session.end_date <= session.start_date + datetime.timedelta(days=2)
        assert session.name == f"{congress.name}第{cn_number(today.year - 2020)}次会议"
        mine = Suggestion.objects.filter(congress=congress).exclude(state=State.DRAFT)
        assert 5 <= mine.count() <= 15, congress
        in_session = mine.filter(session=session)
        assert in_session.count() == mine.exclude(session=None).count() > mine.filter(session=None).count() >= 1
        for s in in_session:
            assert session.start_date <= s.submitted_at.astimezone(TZ).date() <= session.end_date
        for s in mine.select_related("author"):
            assert s.author.mandates.filter(congress=congress).exists()
            assert all(a.unit.region_id == congress.region_id for a in s.assignments.select_related("unit"))
        assert all(s.evaluations.exists() for s in mine.filter(state=State.CLOSED))
        states |= set(mine.values_list("state", flat=True))
    assert {State.REGISTERED, State.ASSIGNED, State.HANDLING, State.REPLIED, State.CLOSED} <= states
    # Each township congress has its officer (only 白杨坪镇's can log in: `townshipcongress`).
    officers = User.objects.filter(role=Role.TOWNSHIP_OFFICER, region__in=[c.region for c in congresses])
    assert officers.count() == 13
    assert [u.username for u in officers if u.has_usable_password()] == ["townshipcongress"]


def test_matters_forwarded_up_to_city_units(db, today):
    forwards = list(Forward.objects.select_related("suggestion__congress", "unit"))
    assert 5 <= len(forwards) <= 8
    assert len({f.suggestion.congress_id for f in forwards}) >= 5  # across townships
    for f in forwards:
        assert f.suggestion.congress.level == CongressLevel.TOWNSHIP and f.unit.region_id is None
    answered = [f for f in forwards if f.status == ForwardStatus.ANSWERED]
    assert len(answered) >= 2 and all(f.answer and f.answered_by.unit_id == f.unit_id for f in answered)
    pending = [f for f in forwards if f.status == ForwardStatus.PENDING]
    assert len([f for f in pending if f.due_on < today]) == 1  # one overdue
    assert len(pending) >= 2


def test_the_city_s_figures_and_desk_are_the_city_congress_s(db, client):
    client.force_login(User.objects.get(username="city"))
    year = Suggestion.objects.filter(congress=_congress()).first().year
    figures = client.get(f"/api/v1/stats/suggestions?year={year}").json()
    assert figures["received"] == 120 and figures["received_in_recess"] == 2
    assert figures["received_in_session"] == 118
    # The city's scope: its own congress, then every township congress.
    rows = figures["by_congress"]
    assert [r["level"] for r in rows] == ["city"] + ["township"] * 13
    assert rows[0]["congress"] == "恩施市第十一届人民代表大会" and rows[0]["received"] == 120
    townships = Congress.objects.filter(level=CongressLevel.TOWNSHIP)
    assert {r["congress"] for r in rows[1:]} == set(townships.values_list("name", flat=True))
    desk = client.get("/suggestions/desk/").content.decode()
    assert "关于及时足额发放耕地地力保护补贴的建议" not in desk
    city = Suggestion.objects.filter(year=year, congress__level=CongressLevel.CITY).exclude(state=State.DRAFT)
    assert city.count() == 120
