"""The deputy search-as-you-type source (kind "deputy", core.widgets.SearchSelect): the matches come from the
user's own scope only, labelled so that namesakes can be told apart."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _search(client, user, q: str) -> str:
    client.force_login(user)
    response = client.get(reverse("core:choice_search", args=["deputy"]), {"field": "deputy", "deputy_q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_a_township_officer_finds_own_deputies_only(client, city, personas):
    mine = city.deputies_a[0]  # in township A, the officer's township
    other = city.deputies_b[0]  # in township B
    assert mine.region_id != other.region_id
    found = _search(client, personas["township"], mine.name)
    assert f'value="{mine.pk}"' in found and mine.region.name in found
    assert f'value="{other.pk}"' not in _search(client, personas["township"], other.name)
    # The city officer's scope is the whole city.
    assert f'value="{other.pk}"' in _search(client, personas["city"], other.name)
