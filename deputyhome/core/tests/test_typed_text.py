"""Text typed outside a form (a search in an address, a note beside a button) goes through core.filters.typed_text:
a NUL character, which PostgreSQL can neither store nor compare, answered 500 there on the public station search,
the public replies and the past suggestions (found by sending odd queries to every page, on both databases)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.core.filters import typed_text


def test_typed_text():
    assert typed_text(None) == ""
    assert typed_text("  白杨\x00坪 ") == "白杨坪"
    assert typed_text("路" * 300, 50) == "路" * 50


@pytest.mark.django_db
def test_a_nul_in_a_search_is_no_server_error(client, personas, city):
    searches = [
        (reverse("opinions:public_index"), {"q": "白杨\x00"}),
        (reverse("public_suggestions:list"), {"q": "\x00"}),
        (reverse("core:choice_search", args=["deputy"]), {"field": "deputy", "deputy_q": "张\x00"}),
    ]
    for url, query in searches[:2]:
        assert client.get(url, query).status_code == 200, url  # the public, not logged in
    client.force_login(personas["city"])
    searches.append((reverse("suggestions:history"), {"q": "\x00"}))
    for url, query in searches:
        assert client.get(url, query).status_code == 200, url
    html = client.get(reverse("opinions:public_index"), {"q": "白杨坪\x00"}).content.decode()
    assert "白杨坪镇" in html  # the search still finds what was meant
