"""A year in an address is four digits from 2000 to 2100 (core.filters.query_year, YearFilter), everywhere: outside
them a list says so and is not filtered by it, an API answers 400, and nothing answers 500 (a year past 9999 is no
date; "²" is a digit to str.isdigit but not to int)."""

from __future__ import annotations

import importlib
import inspect

import django_filters
import pytest
from django.apps import apps
from django.urls import reverse

from deputyhome.core.filters import YearFilter, query_year


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 2026),
        ("", 2026),
        (" 2031 ", 2031),
        ("2000", 2000),
        ("2100", 2100),
        ("1999", None),
        ("2101", None),
        ("99999", None),
        ("²⁰²⁶", None),
        ("２０２６", None),
        ("20x6", None),
        ("-2026", None),
    ],
)
def test_query_year(value, expected):
    assert query_year(value, 2026) == expected


def test_every_year_filter_of_every_list_is_a_year_filter():
    """A list's 年度 is a YearFilter: a plain NumberFilter took 99999 to the database (a 500 on 群众意见 and 接待选民)."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("deputyhome."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.filters")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, django_filters.FilterSet) and cls.__module__ == module.__name__:
                for field, f in cls.base_filters.items():
                    if "year" in field:
                        found.append(cls.__name__)
                        assert isinstance(f, YearFilter), f"{module.__name__}.{cls.__name__}.{field}"
    assert len(found) >= 8


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["opinions:list", "opinions:reception_list", "suggestions:list"])
def test_a_list_refuses_a_year_it_cannot_hold_with_a_message(client, personas, url_name):
    client.force_login(personas["city"])
    for year in ("99999", "²"):
        response = client.get(reverse(url_name), {"year": year})
        assert response.status_code == 200, year
        html = response.content.decode()
        assert 'name="year"' in html and 'aria-invalid="true"' in html and '<div class="bad">' in html, year


@pytest.mark.django_db
def test_the_apis_and_the_history_refuse_a_year_they_cannot_hold(client, personas):
    client.force_login(personas["city"])
    for year in ("²", "99999", "1999"):
        response = client.get("/api/v1/stats/opinions", {"year": year})
        assert response.status_code == 400 and "2000至2100" in response.json()["error"], year
        assert client.get(reverse("suggestions:history"), {"year": year}).status_code == 200, year
    assert client.get("/api/v1/stats/opinions", {"year": "2026"}).status_code == 200
