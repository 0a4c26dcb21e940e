"""The 乡镇（街道） filter of the registers keeps the rows within the chosen township."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "param", "kept", "left_out"),
    [
        ("organisation:region_list", "township", "洞下槽村", "西门社区"),
        ("organisation:station_list", "township", "洞下槽村人大代表联络站", "西门社区人大代表联络站"),
        ("organisation:group_list", "township", "白杨坪镇第一代表小组", "六角亭街道第一代表小组"),
    ],
)
def test_the_township_filter_keeps_the_townships_rows(client, personas, city, name, param, kept, left_out):
    client.force_login(personas["city"])
    html = client.get(reverse(name)).content.decode()
    assert kept in html and left_out in html
    html = client.get(reverse(name), {param: city.township_b.pk}).content.decode()
    assert kept in html and left_out not in html


def test_the_deputy_register_filters_by_township(client, personas, city):
    client.force_login(personas["city"])
    html = client.get(reverse("deputies:list"), {"region": city.township_b.pk}).content.decode()
    assert city.deputies_b[0].name in html and city.deputies_a[0].name not in html
