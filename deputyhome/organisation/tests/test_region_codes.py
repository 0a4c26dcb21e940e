"""Regions above the city: each kind has its code length (2, 4, 6, 9, 12 digits) and a child's code starts with
its parent's; the committee's own region is the county-level unit, not the top of the tree."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deputyhome.organisation import selectors, services
from deputyhome.organisation.choices import RegionKind
from deputyhome.organisation.models import Region
from deputyhome.organisation.regions import code_problems

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "kind", "parent", "problem"),
    [
        ("42", RegionKind.PROVINCE, None, None),
        ("4228", RegionKind.PREFECTURE, "42", None),
        ("422801", RegionKind.CITY, "4228", None),
        ("422822", RegionKind.COUNTY, "4228", None),  # 建始县
        ("422801101", RegionKind.TOWN, "422801", None),
        ("422801101201", RegionKind.VILLAGE, "422801101", None),
        ("4228", RegionKind.PROVINCE, None, "“省”的区划代码应为2位数字，现为4位。"),
        ("42280", RegionKind.PREFECTURE, "42", "“州（地级）”的区划代码应为4位数字，现为5位。"),
        ("422901", RegionKind.CITY, "4228", "区划代码应以上级区域的代码 4228 开头并更长。"),
        ("42a8", RegionKind.PREFECTURE, "42", "区划代码只能由数字组成。"),
    ],
)
def test_code_length_by_kind_and_the_parents_prefix(code, kind, parent, problem):
    problems = code_problems(code=code, kind=kind, parent_code=parent)
    assert problems.get("code") == problem


def test_a_village_needs_its_township():
    assert "parent" in code_problems(code="422801101201", kind=RegionKind.VILLAGE, parent_code=None)


def test_the_service_refuses_a_wrong_code_and_writes_nothing(personas, city):
    province = services.region_create(data={"code": "42", "name": "湖北省", "kind": "province"}, actor=personas["city"])
    prefecture = services.region_create(
        data={"code": "4228", "name": "恩施州", "kind": "prefecture", "parent": province}, actor=personas["city"]
    )
    before = Region.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.region_create(
            data={"code": "422", "name": "错误", "kind": "prefecture", "parent": province}, actor=personas["city"]
        )
    assert "应为4位数字" in str(exc.value)
    assert Region.objects.count() == before
    # The city hangs below the prefecture; the committee's own region is still the city.
    services.region_update(region=city.city, data={"parent": prefecture}, actor=personas["city"])
    assert selectors.home_region() == city.city
    assert [t.name for t in selectors.townships(user=personas["city"])] == ["六角亭街道", "白杨坪镇"]


def test_the_region_form_says_what_is_wrong_in_chinese(personas, client):
    client.force_login(personas["city"])
    response = client.post(reverse("organisation:region_create"), {"code": "4", "name": "某省", "kind": "province"})
    assert response.status_code == 400
    assert "“省”的区划代码应为2位数字，现为1位。" in response.content.decode()
    assert not Region.objects.filter(name="某省").exists()
