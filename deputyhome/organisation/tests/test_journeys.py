"""Journeys a new user hit (issue 14): a station's page leads to its public page and its QR code."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_station_page_links_to_its_public_page_and_qr_code(personas, city, client):
    client.force_login(personas["township"])
    html = client.get(reverse("organisation:station_detail", args=[city.station_a.pk])).content.decode()
    assert f'href="{reverse("opinions:public_station", args=[city.station_a.pk])}"' in html
    assert f'href="{reverse("opinions:qr_print", args=["station", city.station_a.pk])}"' in html
    assert client.get(reverse("organisation:station_detail", args=[city.station_b.pk])).status_code == 404


def test_the_links_open(personas, city, client):
    client.force_login(personas["township"])
    assert client.get(reverse("opinions:qr_print", args=["station", city.station_a.pk])).status_code == 200
    assert client.get(reverse("opinions:public_station", args=[city.station_a.pk])).status_code == 200


def test_yes_no_filters_start_at_all_and_filter(personas, city, client):
    from deputyhome.organisation.models import HandlingUnit

    HandlingUnit.objects.filter(pk=city.unit_a.pk).update(is_active=False)
    client.force_login(personas["city"])
    html = client.get(reverse("organisation:unit_list")).content.decode()
    select = html[html.index('name="is_active"') : html.index("</select>", html.index('name="is_active"'))]
    assert "未知" not in select and ">全部</option>" in select and ">是</option>" in select
    inactive = client.get(reverse("organisation:unit_list"), {"is_active": "false"}).content.decode()
    active = client.get(reverse("organisation:unit_list"), {"is_active": "true"}).content.decode()
    assert city.unit_a.name in inactive and city.unit_a.name not in active


def test_groups_sort_in_the_natural_order_of_their_numbers(personas, city, client):
    from deputyhome.organisation import services

    for n in ("三", "二", "十一", "五", "十", "四"):
        services.group_create(
            data={"name": f"六角亭街道第{n}代表小组", "station": city.station_a}, actor=personas["city"]
        )
    client.force_login(personas["city"])
    expected = [f"六角亭街道第{n}代表小组" for n in ("一", "二", "三", "四", "五", "十", "十一")]
    for params in ({}, {"sort": "sort_key"}, {"sort": "township_order"}):
        html = client.get(reverse("organisation:group_list"), params).content.decode()
        positions = [html.index(f">{name}<") for name in expected]
        assert positions == sorted(positions), params


def test_no_filter_in_the_site_offers_unknown():
    """Every yes/no filter of every list is the shared YesNoFilter (全部/是/否), never django-filter's 未知."""
    import importlib
    import pkgutil

    import django_filters

    import deputyhome
    from deputyhome.core.filters import YesNoFilter

    plain = []
    for info in pkgutil.walk_packages(deputyhome.__path__, "deputyhome."):
        if ".tests" in info.name or ".migrations" in info.name or not info.name.endswith("filters"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, django_filters.FilterSet):
                for name, f in value.base_filters.items():
                    if isinstance(f, django_filters.BooleanFilter) and not isinstance(f, YesNoFilter):
                        plain.append(f"{value.__module__}.{value.__name__}.{name}")
    assert plain == []
