"""The mandate form at province scale: its congress is searched as you type past 100 (a province has a thousand
congresses: the page was 80 KB of options); a searched congress saves, the edit form shows the mandate's congress
chosen, and an unknown id is refused in Chinese with nothing written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.deputies.models import Mandate
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Congress, Region
from deputyhome.testing import add_places, largest_select

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(city):
    add_places(city, 150)
    Congress.objects.bulk_create(
        [
            Congress(level=CongressLevel.TOWNSHIP, term=1, name=f"{t.name}第一届人民代表大会", region=t)
            for t in Region.objects.filter(name__startswith="新设", kind="town")
        ]
    )
    return city


def test_the_congress_of_a_mandate_is_searched(client, personas, province):
    deputy = province.deputies_a[0]
    url = reverse("deputies:mandate_create", args=[deputy.pk])
    client.force_login(personas["city"])
    html = client.get(url).content.decode()
    assert largest_select(html) <= 100 and '<select name="congress"' not in html and len(html) < 50_000
    assert 'hx-get="/choices/congress/?field=congress"' in html

    chosen = Congress.objects.get(name="新设7镇第一届人民代表大会")
    data = {"congress": chosen.pk, "start_date": "2024-01-15", "status": "active"}
    assert client.post(url, data).status_code == 302
    mandate = Mandate.objects.get(deputy=deputy, congress=chosen)
    refused = client.post(url, {**data, "congress": 999_999})
    assert refused.status_code == 400 and "所选的“人民代表大会”不存在或不在您的管辖范围内" in refused.content.decode()
    assert Mandate.objects.filter(deputy=deputy).count() == 2  # the city's and the new one

    edit = client.get(reverse("deputies:mandate_update", args=[mandate.pk])).content.decode()
    assert f'name="congress" value="{chosen.pk}" checked' in edit and chosen.name in edit


def test_under_100_congresses_the_drop_down_stays(client, personas, city):
    client.force_login(personas["city"])
    html = client.get(reverse("deputies:mandate_create", args=[city.deputies_a[0].pk])).content.decode()
    assert '<select name="congress"' in html and city.township_congress_b.name in html
