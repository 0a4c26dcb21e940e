"""The reading helper of the query-count tests counts the page's own queries and insists on a 200."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.core.tests.reading import queries, read


@pytest.mark.django_db
def test_a_reading_holds_the_pages_sql_and_html(client, personas, city):
    client.force_login(personas["city"])
    page = read(client, reverse("organisation:station_list"), {"township": city.township_b.pk})
    assert page.queries == len(page.sql) > 0
    assert any("organisation_station" in sql for sql in page.sql)
    assert "洞下槽村人大代表联络站" in page.html and "西门社区人大代表联络站" not in page.html
    assert 0 < queries(client, reverse("organisation:station_list")) <= page.queries  # no chosen township to read


@pytest.mark.django_db
def test_a_page_that_is_not_a_200_fails_the_reading(client, personas, city):
    client.force_login(personas["township"])
    with pytest.raises(AssertionError):
        read(client, reverse("organisation:region_detail", args=[city.township_b.pk]))
