"""The deputy page links to the deputy's duty record (履职档案) only for users the record page lets in."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PERSONAS = ["city", "township", "township_b", "group", "liaison", "deputy", "unit", "supervisor", "leader", "sysadmin"]


def _pages(client, deputy) -> tuple[int, str, int]:
    """(status of the deputy page, its html, status of the record page)."""
    record_url = reverse("records:deputy_record", args=[deputy.pk])
    detail = client.get(reverse("deputies:detail", args=[deputy.pk]))
    html = detail.content.decode() if detail.status_code == 200 else ""
    return detail.status_code, html.replace(record_url, "RECORD_LINK"), client.get(record_url).status_code


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_link_shows_exactly_when_the_record_opens(personas, city, client, persona):
    client.force_login(personas[persona])
    # A fellow member of group A, the deputy persona themself, and a deputy of township B.
    for deputy in (city.deputies_a[1], city.deputies_a[3], city.deputies_b[1]):
        detail_status, html, record_status = _pages(client, deputy)
        assert ("RECORD_LINK" in html) == (record_status == 200), (deputy.name, detail_status, record_status)
        assert record_status in (200, 403, 404)


@pytest.mark.parametrize(
    ("persona", "deputy_attr", "index"),
    [
        ("city", "deputies_b", 1),
        ("township", "deputies_a", 1),
        ("township_b", "deputies_b", 1),
        ("group", "deputies_a", 1),
        ("liaison", "deputies_a", 2),
        ("deputy", "deputies_a", 3),  # their own record
        ("supervisor", "deputies_b", 2),
        ("leader", "deputies_a", 0),
    ],
)
def test_those_who_may_open_the_record_get_the_link(personas, city, client, persona, deputy_attr, index):
    client.force_login(personas[persona])
    detail_status, html, record_status = _pages(client, getattr(city, deputy_attr)[index])
    assert (detail_status, record_status) == (200, 200)
    assert 'href="RECORD_LINK">履职档案</a>' in html


@pytest.mark.parametrize(
    ("persona", "deputy_attr", "index"),
    [
        ("township", "deputies_b", 1),
        ("township_b", "deputies_a", 1),
        ("group", "deputies_b", 0),
        ("deputy", "deputies_a", 1),
    ],
)
def test_another_scopes_record_is_refused_and_never_linked(personas, city, client, persona, deputy_attr, index):
    client.force_login(personas[persona])
    deputy = getattr(city, deputy_attr)[index]
    detail_status, html, record_status = _pages(client, deputy)
    assert detail_status in (403, 404) and record_status in (403, 404)
    assert "RECORD_LINK" not in html


def test_the_link_follows_the_records_rule_not_the_deputy_pages_rule(personas, city, client, monkeypatch):
    """Should the records app ever refuse someone who may still see the deputy, the link goes with it."""
    from deputyhome.records import selectors as record_selectors

    monkeypatch.setattr(record_selectors, "can_view_records", lambda user: user.role != "township_officer")
    client.force_login(personas["township"])
    detail_status, html, record_status = _pages(client, city.deputies_a[1])
    assert (detail_status, record_status) == (200, 403)
    assert "RECORD_LINK" not in html
