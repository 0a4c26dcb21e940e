"""The city-wide overview (the home page's figures and /api/v1/stats/overview) and the suggestion figures by
level come from snapshots computed ahead (`reports.precomputed`), recomputed after an audited write; a township's
or a group's overview from its own scope's snapshot, recomputed at its next reading after any write; a unit's or a
deputy's are counted live."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.accounts.scopes import scope_key
from deputyhome.figures.models import FigureSnapshot
from deputyhome.organisation import services as org_services
from deputyhome.reports.precomputed import CONGRESS_LEVELS, OVERVIEW
from deputyhome.reports.selectors import overview

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/overview"


def opened(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def served_again(client, user) -> tuple[dict, dict]:
    """The overview opened twice by `user`, computed then served from its snapshot (fewer queries, with its stamp):
    the second answer and the overview counted live."""
    _first, computed = opened(client, URL)
    again, served = opened(client, URL)
    assert served < computed and again.json()["computed_at"]
    return again.json(), overview(user=user)


def test_the_city_overview_is_served_until_an_audited_write(login, personas, city):
    client = login(personas["city"])
    served, live = served_again(client, personas["city"])
    assert {k: served[k] for k in ("deputies", "deputy_groups", "liaison_stations")} == {
        k: live[k] for k in ("deputies", "deputy_groups", "liaison_stations")
    }
    townships = served["by_township_page"]["count"]
    org_services.region_create(
        data={"code": "422801399", "name": "新设镇", "kind": "town", "parent": city.city}, actor=personas["city"]
    )
    after, _n = opened(client, URL)
    assert after.json()["by_township_page"]["count"] == townships + 1


def test_every_city_wide_reader_shares_the_snapshots(login, personas, city):
    for role in ("city", "supervisor", "leader"):
        page, _n = opened(login(personas[role]), "/")
        assert "数据计算于" in page.content.decode()
    assert FigureSnapshot.objects.filter(name=OVERVIEW).count() == 1
    assert FigureSnapshot.objects.filter(name=CONGRESS_LEVELS).count() == 1


def _station(city, name: str, actor):
    """A liaison station in township A (六角亭街道), through the service (audited, like every write)."""
    data = {"kind": "liaison", "name": name, "region": city.village_a}
    return org_services.station_create(data=data, actor=actor)


def test_a_township_reads_the_snapshot_of_its_own_scope(login, personas, city):
    client = login(personas["township"])
    served, live = served_again(client, personas["township"])
    for key in ("deputies", "deputy_groups", "liaison_stations", "deputy_homes", "deputies_by_level"):
        assert served[key] == live[key]
    assert [t["name"] for t in served["by_township"]] == ["六角亭街道"]
    assert "数据计算于" in login(personas["township"]).get("/").content.decode()
    # One snapshot per scope: township B's is its own, and counts only its own deputies.
    other, _n = opened(login(personas["township_b"]), URL)
    assert [t["name"] for t in other.json()["by_township"]] == ["白杨坪镇"]
    assert (served["deputies"], other.json()["deputies"]) == (4, 4)
    assert set(FigureSnapshot.objects.filter(name=OVERVIEW).values_list("key", flat=True)) == {
        scope_key(personas["township"]),
        scope_key(personas["township_b"]),
    }


def test_a_township_sees_its_own_write_at_once_even_within_the_grace(login, personas, city, settings):
    settings.FIGURES_GRACE_SECONDS = 120  # the city's snapshots may lag; a scope's own may not
    client = login(personas["township"])
    before, _n = opened(client, URL)
    _station(city, "西门社区第二联络站", personas["township"])
    after, _n = opened(client, URL)
    assert after.json()["liaison_stations"] == before.json()["liaison_stations"] + 1
    # Township B's figures do not count it.
    other, _n = opened(login(personas["township_b"]), URL)
    assert other.json()["liaison_stations"] == 1


def test_refresh_leaves_a_scopes_stale_snapshot_to_its_next_reading(login, personas, city):
    client = login(personas["township"])
    opened(client, URL)
    stored = FigureSnapshot.objects.get(name=OVERVIEW, key=scope_key(personas["township"]))
    _station(city, "西门社区第三联络站", personas["township"])
    call_command("refresh_figures")  # warms the city's; the township's waits for its reader
    assert FigureSnapshot.objects.get(pk=stored.pk).computed_at == stored.computed_at
    assert FigureSnapshot.objects.filter(name=OVERVIEW, key="city").exists()
    response, _n = opened(client, URL)
    assert response.json()["liaison_stations"] == stored.value["liaison_stations"] + 1


def test_scopes_without_home_figures_are_counted_live(login, personas, city):
    for persona in ("unit", "deputy"):
        response, _n = opened(login(personas[persona]), URL)
        assert response.json()["computed_at"] is None
    assert not FigureSnapshot.objects.filter(name=OVERVIEW).exists()


def test_refresh_warms_the_city_overview_and_levels(city):
    call_command("refresh_figures")
    assert FigureSnapshot.objects.filter(name=OVERVIEW, key="city").exists()
    assert FigureSnapshot.objects.filter(name=CONGRESS_LEVELS).exists()
