"""The demo's township congress at work: 白杨坪镇's presidium office (`townshipcongress`) runs its deputies'
suggestions with the town's offices (`townshipunit` for the agricultural service centre); the city's figures
stay the article's."""

from __future__ import annotations

import pytest

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.demo.builder import DEMO_PASSWORD
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Congress, HandlingUnit
from deputyhome.suggestions.choices import State
from deputyhome.suggestions.models import Category, Suggestion

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
    # The city's 40 units are the city's.
    assert not HandlingUnit.objects.exclude(name__in=UNITS).exclude(region=None).exists()


def test_six_suggestions_at_every_stage(db):
    congress = _congress()
    mine = Suggestion.objects.filter(congress=congress)
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
        assert s.session_id is None  # in recess
        assert all(a.unit.region_id == congress.region_id for a in s.assignments.select_related("unit"))
    own = Category.objects.get(name="茶叶产业")
    assert own.region_id == congress.region_id and mine.filter(category=own).exists()
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


def test_the_city_s_figures_and_desk_are_the_city_congress_s(db, client):
    client.force_login(User.objects.get(username="city"))
    year = Suggestion.objects.filter(congress=_congress()).first().year
    figures = client.get(f"/api/v1/stats/suggestions?year={year}").json()
    assert figures["received"] == 120 and figures["received_in_recess"] == 2
    desk = client.get("/suggestions/desk/").content.decode()
    assert "关于及时足额发放耕地地力保护补贴的建议" not in desk
    city = Suggestion.objects.filter(year=year, congress__level=CongressLevel.CITY).exclude(state=State.DRAFT)
    assert city.count() == 120
