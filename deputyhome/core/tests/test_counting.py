"""count_by: rows per key in one grouped query, whatever order the rows were given."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.core.counting import count_by
from deputyhome.organisation.models import Region


@pytest.mark.django_db
def test_count_by_counts_the_rows_of_each_key_in_one_query(city):
    with CaptureQueriesContext(connection) as ctx:
        counts = count_by(Region.objects.all(), "parent_id")
    assert len(ctx.captured_queries) == 1
    assert counts == {None: 1, city.city.pk: 2, city.township_a.pk: 1, city.township_b.pk: 1}
    assert count_by(Region.objects.order_by("code"), "parent_id") == counts
    assert count_by(Region.objects.none(), "parent_id") == {}
