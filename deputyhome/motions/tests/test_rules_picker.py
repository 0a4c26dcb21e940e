"""The motion rules form at province scale: its congress is searched as you type among the current congresses
past 100 (a province has a thousand: the page listed them all); a searched congress saves, a past congress is
refused in Chinese with nothing written, and a rule's edit form shows its congress, fixed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.motions.models import MotionRules
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Congress
from deputyhome.testing import add_places, add_township_congresses, largest_select

pytestmark = pytest.mark.django_db

URL = "/motions/rules/new/"


@pytest.fixture
def province(city):
    add_places(city, 150)
    add_township_congresses()
    return city


def test_the_congress_is_searched_among_the_current_ones(client, personas, province):
    past = Congress.objects.create(
        level=CongressLevel.CITY, term=10, name="恩施市第十届人民代表大会", region=province.city, is_current=False
    )
    client.force_login(personas["city"])
    html = client.get(URL).content.decode()
    assert largest_select(html) <= 100 and '<select name="congress"' not in html and len(html) < 50_000
    assert 'hx-get="/choices/current_congress/?field=congress"' in html
    found = client.get(
        reverse("core:choice_search", args=["current_congress"]), {"field": "congress", "congress_q": "恩施市"}
    ).content.decode()
    assert f'value="{province.city_congress.pk}"' in found and f'value="{past.pk}"' not in found

    chosen = Congress.objects.get(name="新设7镇第一届人民代表大会")
    assert client.post(URL, {"congress": chosen.pk, "min_signers": 5, "review_months": 3}).status_code == 302
    rule = MotionRules.objects.get()
    assert rule.congress == chosen
    refused = client.post(URL, {"congress": past.pk, "min_signers": 10, "review_months": 3})
    assert refused.status_code == 400 and "所选的“人民代表大会”不存在或不在您的管辖范围内" in refused.content.decode()
    assert MotionRules.objects.count() == 1

    edit = client.get(reverse("motions:motion_rules_update", args=[rule.pk])).content.decode()
    assert chosen.name in edit and "disabled" in edit.split('name="congress"')[1].split(">")[0]
    assert (
        client.post(
            reverse("motions:motion_rules_update", args=[rule.pk]),
            {"congress": province.city_congress.pk, "min_signers": 6, "review_months": 3},
        ).status_code
        == 302
    )
    rule.refresh_from_db()
    assert (rule.congress, rule.min_signers) == (chosen, 6)  # the congress stays
