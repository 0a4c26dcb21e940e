"""The report-to-voters form at province scale: its deputy is searched as you type past 100 deputies (the page
listed a province's 100,000 as options: 18 seconds, 4.3 MB). A searched deputy saves, the chosen one shows again
on a form sent back or opened from the deputy's record (?deputy=), and another township's is refused in Chinese
with nothing written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.records.models import VoterReport
from deputyhome.testing import add_deputies, largest_select

pytestmark = pytest.mark.django_db

URL = "/records/reports/new/"


@pytest.fixture
def crowded(city):
    add_deputies(150, congress=city.city_congress, group=city.group_a, region=city.township_a)
    return city


def _data(city, deputy, **overrides) -> dict:
    return {
        "deputy": deputy.pk,
        "station": city.station_a.pk,
        "date": "2026-06-18",
        "status": "held",
        "voters_present": "42",
        "satisfied": "38",
        "summary": "报告了一年来的履职情况。",
        **overrides,
    }


def test_the_deputy_is_searched_past_100(client, personas, crowded):
    client.force_login(personas["township"])
    html = client.get(URL).content.decode()
    assert largest_select(html) <= 100 and '<select name="deputy"' not in html and len(html) < 50_000
    assert 'hx-get="/choices/deputy/?field=deputy"' in html
    mine = crowded.deputies_a[-1]
    opened = client.get(URL, {"deputy": mine.pk}).content.decode()
    assert f'name="deputy" value="{mine.pk}" checked' in opened and mine.name in opened


def test_a_searched_deputy_saves_and_another_townships_is_refused(client, personas, crowded):
    client.force_login(personas["township"])
    mine = crowded.deputies_a[-1]
    found = client.get(reverse("core:choice_search", args=["deputy"]), {"field": "deputy", "deputy_q": mine.name})
    assert f'value="{mine.pk}"' in found.content.decode()
    assert client.post(URL, _data(crowded, mine)).status_code == 302
    assert VoterReport.objects.get().deputy == mine

    refused = client.post(URL, _data(crowded, crowded.deputies_b[0]))
    assert refused.status_code == 400 and "所选代表不存在或不在您的管辖范围内。" in refused.content.decode()
    assert VoterReport.objects.count() == 1
    # A form sent back keeps the deputy chosen.
    again = client.post(URL, _data(crowded, mine, satisfied="50")).content.decode()
    assert f'name="deputy" value="{mine.pk}" checked' in again and VoterReport.objects.count() == 1


def test_under_100_deputies_the_drop_down_stays(client, personas, city):
    client.force_login(personas["township"])
    html = client.get(URL).content.decode()
    assert '<select name="deputy"' in html and city.deputies_a[0].name in html and city.deputies_b[0].name not in html
