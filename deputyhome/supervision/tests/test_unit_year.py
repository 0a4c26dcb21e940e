"""A unit clerk's home page shows their unit's year as its score card counts it so far (supervision:unit_year): the
same total and suggestions as the card, for their own unit only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from deputyhome.supervision.tests.conftest import url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june")]

PANEL = reverse("supervision:unit_year")


def _tiles(html: str) -> dict[str, str]:
    found = re.findall(r'<div class="stat"><div class="n">(.*?)</div><div class="l">(.*?)</div>', html)
    return {label: n for n, label in found}


def test_the_units_home_loads_its_year_and_the_panel_is_the_card(login, people, city, two_units):
    client = login(people["unit"])
    home = client.get("/").content.decode()
    assert f'hx-get="{PANEL}?year=2026"' in home and "本单位2026年办理与考核" in home
    panel = client.get(PANEL, {"year": 2026}, HTTP_HX_REQUEST="true")
    assert panel.status_code == 200
    tiles = _tiles(panel.content.decode())
    card = _tiles(client.get(url("score_detail", city.unit_a.pk)).content.decode())
    assert tiles["考核得分（满分 100）"] == card["总分（满分 100）"] == "96.00"
    assert tiles["主办件数"] == card["主办件数"] == "2"
    assert tiles["按期答复（2件）"] == "100%" and tiles["代表满意度（2件）"] == "90%"
    assert f'href="{url("score_detail", city.unit_a.pk)}"' in panel.content.decode()
    # Unit B's clerk reads unit B's: one suggestion, full marks.
    other = _tiles(login(people["unit_b"]).get(PANEL, {"year": 2026}).content.decode())
    assert other["主办件数"] == "1" and other["考核得分（满分 100）"] == "100.00"


@pytest.mark.parametrize("persona", ["deputy", "township", "group", "auditor"])
def test_only_a_units_clerk_has_a_unit_year(login, people, two_units, persona):
    assert login(people[persona]).get(PANEL).status_code in (403, 404)


def test_a_bad_year_is_said(login, people, two_units):
    response = login(people["unit"]).get(PANEL, {"year": "abc"})
    assert response.status_code == 400 and "年度" in response.content.decode()


def test_the_city_officer_has_no_unit_of_their_own(login, people, two_units):
    assert login(people["city"]).get(PANEL).status_code == 404
