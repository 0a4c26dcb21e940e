# ruff: noqa: F811  (the fixtures imported from the other statistics tests are arguments here)
"""The suggestion statistics at a province's size (decision 84): a scoped user's year is read once as a list of
ids, accepted and late replies are probed per counted suggestion, the final evaluations are counted in one pass;
the figures are those of the definitions either way. The page shows the 20 largest units and townships and
one 其他 row; the API gives the congresses and townships 50 a page, by region."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from deputyhome.accounts.models import User
from deputyhome.suggestions.choices import Satisfaction
from deputyhome.supervision import stats, views
from deputyhome.supervision.stats import accepted_q, final_q, late_q, received, suggestion_stats
from deputyhome.supervision.tests.conftest import stats_queries
from deputyhome.supervision.tests.test_stats import JUNE, _course, _people, year  # noqa: F401
from deputyhome.supervision.tests.test_stats_levels import levels, town_c  # noqa: F401

URL = "/api/v1/stats/suggestions"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june")]

FIGURES = ("received", "replied", "replied_on_time", "satisfied", "basically_satisfied", "dissatisfied")


@pytest.mark.parametrize("persona", ["city", "township", "unit", "unit_b", "deputy", "group"])
def test_the_figures_are_the_definitions_semi_joins(people, year, persona):
    user = people[persona]
    data = suggestion_stats(user=user, year=2026, today=JUNE)
    own = stats.own_congress_q(user)
    qs = received(user=user, year=2026)
    qs = qs.filter(own) if own is not None else qs
    expected = qs.aggregate(
        received=Count("pk"),
        replied=Count("pk", filter=accepted_q()),
        replied_on_time=Count("pk", filter=accepted_q() & ~late_q()),
        satisfied=Count("pk", filter=final_q(Satisfaction.SATISFIED)),
        basically_satisfied=Count("pk", filter=final_q(Satisfaction.BASIC)),
        dissatisfied=Count("pk", filter=final_q(Satisfaction.DISSATISFIED)),
    )
    assert {k: data[k] for k in FIGURES} == expected
    assert data["received"] or persona == "group"  # the year holds something to count for most


@pytest.mark.parametrize("persona", ["township", "unit", "unit_b", "deputy"])
def test_a_scoped_year_reads_its_ids_once_and_counts_as_the_query_does(people, year, monkeypatch, persona):
    user = User.objects.get(pk=people[persona].pk)
    with CaptureQueriesContext(connection) as listed:
        by_ids = suggestion_stats(user=user, year=2026, today=JUNE)
    monkeypatch.setattr(stats, "LISTED_IDS", 0)  # too many to list: every figure keeps the scope's query
    user = User.objects.get(pk=people[persona].pk)
    with CaptureQueriesContext(connection) as queried:
        by_query = suggestion_stats(user=user, year=2026, today=JUNE)
    assert by_ids == by_query
    # Both read the ids first (the second stops at the first one past its limit of none).
    assert len(listed.captured_queries) == len(queried.captured_queries)
    assert not any(LITERAL_IDS.search(q["sql"]) for q in queried.captured_queries)
    # Every grouped figure reads the listed rows by primary key.
    literal = [q["sql"] for q in listed.captured_queries if LITERAL_IDS.search(q["sql"])]
    assert len(literal) >= 7


LITERAL_IDS = re.compile(r'"suggestions_suggestion"\."id" IN \(\d')


def test_the_city_keeps_its_query(people, year, monkeypatch):
    with CaptureQueriesContext(connection) as ctx:
        suggestion_stats(user=people["city"], year=2026, today=JUNE)
    assert not any(q["sql"].startswith('SELECT "suggestions_suggestion"."id" FROM') for q in ctx.captured_queries)


def test_the_page_shows_the_largest_and_one_row_for_the_rest(login, people, city, year, monkeypatch):
    monkeypatch.setattr(views, "TOP_ROWS", 1)
    html = login(people["city"]).get("/supervision/stats/", {"year": 2026}).content.decode()
    # Unit A has 4 as lead unit, unit B 1; townships: 六角亭街道 6, 白杨坪镇 1.
    assert city.unit_a.name in html and city.unit_b.name not in html
    assert "六角亭街道" in html and "白杨坪镇</td>" not in html
    assert html.count("其他（1个）") == 2


def test_top_rows_sums_the_rest():
    rows = [{"name": n, "count": c, "closed": c // 2} for n, c in [("甲", 1), ("乙", 5), ("丙", 3), ("丁", 2)]]
    top = views.top_rows(rows, ("count", "closed"), n=2)
    assert [(r["name"], r["count"], r["closed"]) for r in top] == [("乙", 5, 2), ("丙", 3, 1), ("其他（2个）", 3, 1)]
    assert views.top_rows(rows, ("count",), n=4) == rows


def test_the_api_gives_the_congresses_a_page_at_a_time(login, people, levels, monkeypatch):
    from deputyhome.reports import views as api

    monkeypatch.setattr(api, "TOWNSHIPS_PER_PAGE", 1)
    client = login(people["city"])
    pages = [client.get(URL, {"year": 2026, "page": n}).json() for n in (1, 2, 3)]
    assert [p["by_congress"][0]["congress"] for p in pages] == [
        "恩施市第十一届人民代表大会",
        "白杨坪镇第十九届人民代表大会",
        "新塘乡第十九届人民代表大会",
    ]
    assert pages[0]["by_congress_page"] == {"area": "", "page": 1, "pages": 3, "per_page": 1, "count": 3}
    # The figures above the list are the whole scope's on every page.
    assert {p["received"] for p in pages} == {2}
    # One township holds the city congress's two suggestions: the later pages have no township rows.
    assert pages[0]["by_township_page"]["pages"] == 1 and pages[1]["by_township"] == pages[2]["by_township"] == []
    region, _congress, _officer, _unit = levels
    area = client.get(URL, {"year": 2026, "area": region.code}).json()
    assert [r["congress"] for r in area["by_congress"]] == ["新塘乡第十九届人民代表大会"]
    assert area["by_congress_page"]["count"] == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "4"}, "页码无效：请填写1至3之间的整数。"),
        ({"page": "0"}, "页码无效：请填写1至3之间的整数。"),
        ({"page": "二"}, "页码无效：请填写1至3之间的整数。"),
        ({"area": "恩施"}, "地区参数无效：请填写地区代码，例如 area=422801。"),
    ],
)
def test_a_bad_page_or_area_is_refused_in_chinese(login, people, levels, monkeypatch, params, message):
    from deputyhome.reports import views as api

    monkeypatch.setattr(api, "TOWNSHIPS_PER_PAGE", 1)
    response = login(people["city"]).get(URL, {"year": 2026, **params})
    assert response.status_code == 400 and response.json() == {"error": message}


@pytest.mark.parametrize("persona", ["deputy", "group", "township"])
def test_a_scoped_users_queries_do_not_grow_with_data(people, city, course, year, persona):
    def grow():
        for _ in range(3):
            course.closed(city.unit_a, on=JUNE.replace(month=2, day=2), result="basic")

    small, big, data = stats_queries(people, persona, grow)
    assert big == small <= 11
    assert data["received"] > 0 or persona == "group"
