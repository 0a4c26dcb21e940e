"""Choices over 100 become a search-as-you-type field (core.widgets.SearchSelect, core:choice_search):
no drop-down of a list page holds more than 100 options, the filter still works by id, the chosen
option is named, and the search answers only from the user's own scope."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from deputyhome.organisation.models import DeputyGroup, Region, Station
from deputyhome.testing import add_places, largest_select

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "deputies:list",
    "organisation:group_list",
    "organisation:station_list",
    "organisation:region_list",
    "suggestions:list",
    "opinions:list",
    "opinions:reception_list",
    "opinions:slot_list",
    "activities:activity_list",
    "activities:problem_list",
    "activities:referral_list",
    "activities:assessment_list",
    "activities:assessment_overview",
    "training:session_list",
    "training:hours",
    "records:report_list",
    "motions:list",
]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_no_drop_down_on_a_list_page_holds_more_than_100_options(client, personas, city, name):
    add_places(city, 150)
    client.force_login(personas["city"])
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert largest_select(response.content.decode()) <= 100


def test_a_few_choices_stay_a_drop_down(client, personas, city):
    client.force_login(personas["city"])
    html = client.get(reverse("deputies:list")).content.decode()
    group = re.search(r'<select name="group".*?</select>', html, re.S)
    assert group and city.group_a.name in group.group(0)
    assert 'hx-get="/choices/group/' not in html


def test_over_100_groups_the_filter_is_a_search_that_still_filters_by_id_and_names_the_choice(client, personas, city):
    add_places(city, 150)
    client.force_login(personas["city"])
    html = client.get(reverse("deputies:list")).content.decode()
    assert '<select name="group"' not in html and '<select name="region"' not in html
    assert f'hx-get="{reverse("core:choice_search", args=["group"])}?field=group"' in html

    html = client.get(reverse("deputies:list"), {"group": city.group_b.pk}).content.decode()
    chosen = re.search(r'data-name="group".*?</ul>', html, re.S).group(0)
    assert f'name="group" value="{city.group_b.pk}" checked' in chosen and city.group_b.name in chosen
    assert city.deputies_b[0].name in html and city.deputies_a[0].name not in html


def _search(client, kind, q, field="f"):
    return client.get(reverse("core:choice_search", args=[kind]), {"field": field, f"{field}_q": q})


def test_search_offers_matches_as_boxes_named_after_the_field(client, personas, city):
    add_places(city, 150)
    client.force_login(personas["city"])
    html = _search(client, "group", "白杨坪", field="group").content.decode()
    assert f'name="group" value="{city.group_b.pk}"' in html and city.group_a.name not in html
    html = _search(client, "township", "新设12", field="region").content.decode()
    assert "新设12镇（恩施市）" in html and html.count("<li>") == 11  # 新设12 and 新设120 … 新设129


def test_search_is_scoped_a_township_officer_gets_only_their_township(client, personas, city):
    add_places(city, 150)
    client.force_login(personas["township"])  # 六角亭街道
    for kind, q in (("group", "代表小组"), ("station", "人大代表"), ("township", "")):
        html = _search(client, kind, q).content.decode()
        assert city.group_b.name not in html and city.station_b.name not in html and "白杨坪镇" not in html
        assert "新设" not in html
    assert city.group_a.name in _search(client, "group", "代表小组").content.decode()
    assert city.township_a.name in _search(client, "township", "").content.decode()


def test_a_choice_outside_the_scope_does_not_filter(client, personas, city):
    add_places(city, 150)
    client.force_login(personas["township"])
    html = client.get(reverse("deputies:list"), {"group": city.group_b.pk}).content.decode()
    assert city.deputies_b[0].name not in html


def test_search_refuses_unknown_kinds_bad_fields_and_anonymous_users(client, personas):
    assert _search(client, "group", "").status_code == 302
    client.force_login(personas["city"])
    assert _search(client, "nothing", "").status_code == 404
    assert _search(client, "group", "", field="x<y").status_code == 404


def test_search_shows_at_most_20_matches_and_says_so(client, personas, city):
    add_places(city, 150)
    client.force_login(personas["city"])
    html = _search(client, "station", "新设").content.decode()
    assert html.count('type="checkbox"') == 20 and "只显示前20项" in html
    assert Station.objects.count() > 20 and DeputyGroup.objects.count() > 100 and Region.objects.count() > 100


def test_the_choices_are_counted_unordered_then_read_in_order(client, personas, city):
    """The count of a field's choices (at most 101 ids) needs no order, whose joins cost more than the count; the
    drop-down's rows keep theirs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas["city"])
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("deputies:list")).content.decode()
    probes = [q["sql"] for q in queries.captured_queries if "LIMIT 101" in q["sql"]]
    assert probes and all("ORDER BY" not in sql for sql in probes)
    group = re.search(r'<select name="group".*?</select>', html, re.S).group(0)
    assert group.index(city.group_a.name) < group.index(city.group_b.name)  # by township code, then name
