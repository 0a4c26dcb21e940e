"""The 乡镇（街道） filter of the registers keeps the rows within the chosen township."""

from __future__ import annotations

import re

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


# A township's officer sees one township: the registers give them neither a 乡镇（街道） filter (one choice) nor a
# 乡镇（街道） column (one value). The city's officer, who sees every township, keeps both.
REGISTERS_WITH_A_TOWNSHIP = [
    ("organisation:station_list", "township"),
    ("organisation:group_list", "township"),
    ("deputies:list", "region"),
    ("activities:problem_list", "township"),
    ("activities:assessment_list", "township"),
    ("suggestions:list", "region"),
    ("records:report_list", "township"),
]


def _township_parts(html: str, param: str) -> tuple[bool, bool]:
    """Whether the page shows a 乡镇（街道） filter field named `param`, and a 乡镇（街道） column header."""
    return f'<label for="id_{param}">' in html, re.search(r"<th>(<a [^>]*>)?乡镇（街道）", html) is not None


@pytest.mark.parametrize(("name", "param"), REGISTERS_WITH_A_TOWNSHIP)
def test_one_townships_officer_gets_no_township_filter_or_column(client, personas, city, name, param):
    client.force_login(personas["city"])
    html = client.get(reverse(name)).content.decode()
    assert "乡镇（街道）" in html
    has_filter, _ = _township_parts(html, param)
    assert has_filter, "the city's officer filters by township"

    client.force_login(personas["township"])
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert _township_parts(response.content.decode(), param) == (False, False)


@pytest.mark.parametrize("name", ["organisation:station_list", "organisation:group_list", "deputies:list"])
def test_the_city_officer_sees_the_township_column(client, personas, name):
    client.force_login(personas["city"])
    assert _township_parts(client.get(reverse(name)).content.decode(), "x")[1]


def test_another_township_named_in_the_address_is_refused_in_sight(client, personas, city):
    """The filter is hidden, not gone: township B in the address is refused with a message beside the township
    field, shown for it (the register then lists the officer's rows, as for any refused filter), never B's."""
    client.force_login(personas["township"])
    html = client.get(reverse("organisation:group_list"), {"township": city.township_b.pk}).content.decode()
    assert '<label for="id_township">' in html and "选择一个有效的选项" in html
    assert "白杨坪镇第一代表小组" not in html


def test_a_link_naming_the_officers_township_shows_it(client, personas, city):
    client.force_login(personas["township"])
    html = client.get(reverse("organisation:group_list"), {"township": city.township_a.pk}).content.decode()
    assert '<label for="id_township">' in html and "六角亭街道第一代表小组" in html


def test_the_groups_of_one_township_keep_their_order(client, personas):
    """The hidden column's sort still orders the page (by township, then the groups' own order)."""
    client.force_login(personas["township"])
    response = client.get(reverse("organisation:group_list"))
    assert response.context["sort"] == "township_order"


def test_a_county_officer_keeps_the_township_filter(client, city):
    """An officer anchored above the townships (a county, in a province's installation) sees several."""
    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User

    officer = User.objects.create(username="county", role=Role.TOWNSHIP_OFFICER, region=city.city)
    assert not officer.sees_one_township
    client.force_login(officer)
    html = client.get(reverse("organisation:station_list")).content.decode()
    assert _township_parts(html, "township") == (True, True)


@pytest.mark.parametrize("persona", ["group", "liaison"])
@pytest.mark.parametrize("name", ["deputies:list", "organisation:station_list", "records:points"])
def test_a_groups_users_get_no_empty_township_filter(client, personas, persona, name):
    """A group's leader and liaison officer see no township as such (their rows are their group's): the township
    filter offered them nothing to choose, and is not shown."""
    client.force_login(personas[persona])
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="filters"' in html and not _township_parts(html, "township")[0]
    assert not _township_parts(html, "region")[0]
