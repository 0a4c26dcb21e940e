"""The overview statistics and their API on the small test city."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.accounts.models import User
from deputyhome.audit.services import record
from deputyhome.deputies.models import Deputy, GroupMembership, Mandate
from deputyhome.organisation.choices import RegionKind, StationKind
from deputyhome.organisation.models import DeputyGroup, Region, Station
from deputyhome.reports.selectors import overview
from deputyhome.testing import make_id_number

from .conftest import OVERVIEW_QUERIES

URL = "/api/v1/stats/overview"


def test_url_name():
    assert reverse("reports:stats_overview") == URL


def test_anonymous_gets_401_json(client, db):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": "请先登录。"}


def test_only_get(login, personas):
    assert login(personas["city"]).post(URL).status_code == 405


def test_city_officer_sees_the_whole_city(login, personas, city):
    data = login(personas["city"]).get(URL).json()
    assert data["scope"] == "city"
    assert (data["deputy_homes"], data["liaison_stations"], data["deputy_groups"], data["deputies"]) == (2, 2, 2, 8)
    # One deputy of township B also sits in its township congress: counted at both levels.
    assert data["deputies_by_level"] == {"province": 0, "prefecture": 0, "city": 8, "township": 1}
    assert data["deputies_without_group"] == 0
    assert data["by_township"] == [
        {
            "id": city.township_a.pk,
            "code": "422801002",
            "name": "六角亭街道",
            "homes": 1,
            "stations": 1,
            "groups": 1,
            "deputies": 4,
        },
        {
            "id": city.township_b.pk,
            "code": "422801101",
            "name": "白杨坪镇",
            "homes": 1,
            "stations": 1,
            "groups": 1,
            "deputies": 4,
        },
    ]


@pytest.mark.parametrize("persona", ["supervisor", "leader"])
def test_other_city_wide_roles(login, personas, persona):
    data = login(personas[persona]).get(URL).json()
    assert data["deputies"] == 8
    assert len(data["by_township"]) == 2


def test_township_officer_sees_only_their_township(login, personas, city):
    data = login(personas["township"]).get(URL).json()
    assert (data["deputy_homes"], data["liaison_stations"], data["deputy_groups"], data["deputies"]) == (1, 1, 1, 4)
    assert data["deputies_by_level"] == {"province": 0, "prefecture": 0, "city": 4, "township": 0}
    assert [row["name"] for row in data["by_township"]] == ["六角亭街道"]


def test_group_leader_sees_their_group_in_its_township(login, personas):
    data = login(personas["group"]).get(URL).json()
    assert (data["deputy_homes"], data["liaison_stations"], data["deputy_groups"], data["deputies"]) == (0, 1, 1, 4)
    assert data["by_township"][0]["name"] == "六角亭街道"
    assert data["by_township"][0]["deputies"] == 4


def test_deputy_sees_themself(login, personas):
    data = login(personas["deputy"]).get(URL).json()
    assert data["deputies"] == 1
    assert data["deputy_groups"] == 1


@pytest.mark.parametrize("persona", ["unit", "sysadmin", "auditor"])
def test_roles_without_organisation_data_get_zeros(login, personas, persona):
    data = login(personas[persona]).get(URL).json()
    assert data["deputy_homes"] == data["liaison_stations"] == data["deputy_groups"] == data["deputies"] == 0
    assert data["deputies_by_level"] == {"province": 0, "prefecture": 0, "city": 0, "township": 0}
    assert data["deputies_without_group"] == 0
    assert data["by_township"] == []


def test_without_group_and_ended_mandates(personas, city, today):
    # A serving deputy whose membership ended is "without group"; a former deputy is not counted at all.
    left = city.deputies_a[1]
    GroupMembership.objects.filter(deputy=left).update(end_date=today - datetime.timedelta(days=1))
    former = city.deputies_b[1]
    Mandate.objects.filter(deputy=former).update(status="ended", end_date=today - datetime.timedelta(days=1))
    data = overview(user=personas["city"])
    assert data["deputies"] == 7
    assert data["deputies_without_group"] == 1
    assert data["deputies_by_level"]["city"] == 7
    assert {row["name"]: row["deputies"] for row in data["by_township"]} == {"六角亭街道": 4, "白杨坪镇": 3}


def _grow(city, townships: int = 3, per_group: int = 6) -> None:
    """Add townships, each with a home, two stations with a group each, and deputies."""
    serial = 500
    for t in range(townships):
        township = Region.objects.create(
            code=f"422801{201 + t}", name=f"新乡{t}", kind=RegionKind.TOWNSHIP, parent=city.city
        )
        Station.objects.create(kind=StationKind.HOME, name=f"新乡{t}人大代表之家", region=township)
        for v in range(2):
            village = Region.objects.create(
                code=f"{township.code}{201 + v}", name=f"新村{t}{v}", kind=RegionKind.VILLAGE, parent=township
            )
            station = Station.objects.create(kind=StationKind.LIAISON, name=f"新村{t}{v}联络站", region=village)
            group = DeputyGroup.objects.create(name=f"新乡{t}第{v}代表小组", station=station)
            for _ in range(per_group):
                serial += 1
                deputy = Deputy.objects.create(
                    name=f"代表{serial}",
                    gender="M",
                    ethnicity="土家族",
                    birth_date=datetime.date(1975, 3, 15),
                    party="群众",
                    id_number=make_id_number(serial),
                    region=township,
                )
                Mandate.objects.create(
                    deputy=deputy, congress=city.city_congress, start_date=datetime.date(2021, 10, 1)
                )
                GroupMembership.objects.create(deputy=deputy, group=group, start_date=datetime.date(2021, 12, 1))


def test_query_count_does_not_grow_with_the_city(personas, city, django_assert_num_queries):
    user = User.objects.get(pk=personas["city"].pk)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        small = overview(user=user)
    _grow(city)
    user = User.objects.get(pk=personas["city"].pk)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        big = overview(user=user)
    assert len(big["by_township"]) == len(small["by_township"]) + 3
    assert big["deputies"] == small["deputies"] + 36


def test_township_query_count_does_not_grow(personas, city, django_assert_num_queries):
    # A township officer's scope needs their region's code: one query more, still constant.
    user = User.objects.get(pk=personas["township"].pk)
    with django_assert_num_queries(OVERVIEW_QUERIES + 1):
        overview(user=user)
    _grow(city)
    user = User.objects.get(pk=personas["township"].pk)
    with django_assert_num_queries(OVERVIEW_QUERIES + 1):
        overview(user=user)


def _townships(city, n: int, first: int = 0) -> None:
    Region.objects.bulk_create(
        [
            Region(code=f"422801{300 + i:03d}", name=f"新{i}镇", kind=RegionKind.TOWN, parent=city.city)
            for i in range(first, first + n)
        ]
    )
    # Audited as a bulk import would be: the figures computed ahead (figures.cache) see what changed.
    record(actor=None, action="test.bulk", object_type="organisation.region", object_repr="乡镇")


def test_api_pages_the_townships_and_drills_by_area(login, personas, city):
    client = login(personas["city"])
    _townships(city, 10)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(URL).json()["by_township"]) == 12
    _townships(city, 70, first=10)  # 82 townships in all
    client.get(URL)  # the city-wide snapshot computed again; both sizes then read it
    with CaptureQueriesContext(connection) as big:
        response = client.get(URL)
    assert len(big.captured_queries) == len(small.captured_queries)
    data = response.json()
    assert len(data["by_township"]) == 50
    assert data["by_township_page"] == {"area": "", "page": 1, "pages": 2, "per_page": 50, "count": 82}
    assert data["deputies"] == 8  # the totals are the whole scope's
    second = client.get(URL, {"page": 2}).json()
    assert [r["code"] for r in second["by_township"]][-1] == "422801379"
    assert len(second["by_township"]) == 32
    area = client.get(URL, {"area": "42280110"}).json()
    assert [r["name"] for r in area["by_township"]] == ["白杨坪镇"]
    assert client.get(URL, {"page": 9}).status_code == 400
    assert client.get(URL, {"area": "abc"}).json()["error"].startswith("地区参数无效")
    # A township officer's answer holds their own township only, whatever area they ask for.
    own = login(personas["township"]).get(URL, {"area": "422801"}).json()
    assert [r["name"] for r in own["by_township"]] == ["六角亭街道"]
