"""The suggestion figures by congress level (`by_congress`): each congress in the caller's scope, the city's
top-level figures untouched by the townships' suggestions, a township officer's stopping at their congress."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.conftest import PASSWORD
from deputyhome.organisation.choices import CongressLevel, RegionKind
from deputyhome.organisation.models import Congress, HandlingUnit, Region
from deputyhome.suggestions.choices import ReviewStatus, State
from deputyhome.suggestions.models import Reply, ResultClass, Suggestion
from deputyhome.supervision.stats import suggestion_stats
from deputyhome.supervision.tests.conftest import TZ

D = datetime.date
JUNE = D(2026, 6, 1)
URL = "/api/v1/stats/suggestions"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june")]


@pytest.fixture
def town_c(city):
    """A second township with its own congress, office and officer: 新塘乡."""
    region = Region.objects.create(code="422801203", name="新塘乡", kind=RegionKind.TOWNSHIP, parent=city.city)
    congress = Congress.objects.create(
        level=CongressLevel.TOWNSHIP, term=19, name="新塘乡第十九届人民代表大会", region=region
    )
    officer = User(username="township_c", role=Role.TOWNSHIP_OFFICER, region=region)
    officer.set_password(PASSWORD)
    officer.save()
    unit = HandlingUnit.objects.create(name="新塘乡农业服务中心", region=region)
    return region, congress, officer, unit


def township_suggestions(n: int, *, congress, region, author, by, unit, start: int = 0) -> None:
    """`n` suggestions of a township congress in 2026 (rows written directly: the figures read rows, and the
    course through the services is the suggestion tests' business): every third closed with an accepted
    reply, every other one assigned, the rest submitted."""
    a_class = ResultClass.objects.get(code="A")
    when = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=TZ)
    for i in range(start, start + n):
        closed, assigned = i % 3 == 0, i % 2 == 0 or i % 3 == 0
        s = Suggestion.objects.create(
            title=f"{region.name}建议{i}",
            author=author,
            created_by=by,
            region=region,
            congress=congress,
            year=2026,
            submitted_at=when,
            state=State.CLOSED if closed else (State.HANDLING if assigned else State.SUBMITTED),
            assigned_on=D(2026, 3, 3) if assigned else None,
            due_on=D(2026, 9, 3) if assigned else None,
        )
        if closed:
            Reply.objects.create(
                suggestion=s,
                unit=unit,
                text="已办",
                result_class=a_class,
                submitted_on=D(2026, 3, 20),
                review_status=ReviewStatus.ACCEPTED,
            )


@pytest.fixture
def levels(course, city, people, town_c):
    """Two city suggestions (one closed), six of 白杨坪镇's congress and three of 新塘乡's."""
    course.closed(city.unit_a, on=D(2026, 1, 20), result="satisfied")
    course.submitted(on=D(2026, 3, 2), in_session=False)
    unit_b = HandlingUnit.objects.create(name="白杨坪镇财政所", region=city.township_b)
    township_suggestions(
        6,
        congress=city.township_congress_b,
        region=city.township_b,
        author=city.deputies_b[0],
        by=people["township_b"],
        unit=unit_b,
    )
    region, congress, officer, unit = town_c
    township_suggestions(3, congress=congress, region=region, author=city.deputies_b[1], by=officer, unit=unit)
    return town_c


def rows(data):
    return [(r["congress"], r["level"], r["received"], r["assigned"], r["replied"], r["closed"]) for r in data]


def test_city_sees_every_congress_and_keeps_its_own_figures(people, city, levels):
    data = suggestion_stats(user=people["city"], year=2026, today=JUNE)
    # The top-level figures are the city congress's: the townships' nine suggestions are not in them.
    assert (data["received"], data["received_in_session"], data["received_in_recess"]) == (2, 1, 1)
    assert (data["replied"], data["closed"], data["satisfied"]) == (1, 1, 1)
    assert sum(r["count"] for r in data["by_township"]) == 2
    assert rows(data["by_congress"]) == [
        ("恩施市第十一届人民代表大会", "city", 2, 1, 1, 1),
        ("白杨坪镇第十九届人民代表大会", "township", 6, 4, 2, 2),
        ("新塘乡第十九届人民代表大会", "township", 3, 2, 1, 1),
    ]


def test_township_officer_sees_their_congress_only(people, city, levels):
    data = suggestion_stats(user=people["township_b"], year=2026, today=JUNE)
    assert rows(data["by_congress"]) == [("白杨坪镇第十九届人民代表大会", "township", 6, 4, 2, 2)]
    assert (data["received"], data["assigned"], data["replied"], data["closed"]) == (6, 4, 2, 2)
    _region, _congress, officer, _unit = levels
    other = suggestion_stats(user=officer, year=2026, today=JUNE)
    assert rows(other["by_congress"]) == [("新塘乡第十九届人民代表大会", "township", 3, 2, 1, 1)]
    assert other["received"] == 3


def test_street_officer_and_unit_clerk_see_what_their_scope_holds(people, city, levels):
    # 六角亭街道 elects no congress: its officer's figures are their scope's, all of the city congress.
    street = suggestion_stats(user=people["township"], year=2026, today=JUNE)
    assert street["received"] == 2
    assert rows(street["by_congress"]) == [("恩施市第十一届人民代表大会", "city", 2, 1, 1, 1)]
    unit = suggestion_stats(user=people["unit"], year=2026, today=JUNE)
    assert rows(unit["by_congress"]) == [("恩施市第十一届人民代表大会", "city", 1, 1, 1, 1)]


def test_api_gives_by_congress_and_refuses_another_township(login, people, city, levels):
    data = login(people["township_b"]).get(URL, {"year": 2026}).json()
    assert [r["congress"] for r in data["by_congress"]] == ["白杨坪镇第十九届人民代表大会"]
    assert "新塘乡第十九届人民代表大会" not in str(data)
    city_data = login(people["city"]).get(URL, {"year": 2026}).json()
    assert city_data["received"] == 2 and len(city_data["by_congress"]) == 3


@pytest.mark.parametrize(("persona", "expected"), [("city", 8), ("township_b", 11), ("unit", 9)])
def test_queries_constant_at_two_sizes(people, city, levels, persona, expected):
    def measure():
        user = User.objects.get(pk=people[persona].pk)
        with CaptureQueriesContext(connection) as ctx:
            data = suggestion_stats(user=user, year=2026, today=JUNE)
        return len(ctx.captured_queries), data

    small, before = measure()
    unit = HandlingUnit.objects.create(name="白杨坪镇卫生院", region=city.township_b)
    township_suggestions(
        30,
        congress=city.township_congress_b,
        region=city.township_b,
        author=city.deputies_b[0],
        by=people["township_b"],
        unit=unit,
        start=100,
    )
    big, after = measure()
    assert small == big == expected
    if persona != "unit":
        assert (
            sum(r["received"] for r in after["by_congress"]) == sum(r["received"] for r in before["by_congress"]) + 30
        )
