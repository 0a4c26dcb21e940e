"""The attendance sheet (签到表) a clerk prints on A4: every invited deputy, the committee's name, scope."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_sheet_lists_every_deputy_under_the_committee_name(client, personas, city, session_a, invite):
    invite(session_a, city.deputies_a)
    client.force_login(personas["township"])
    url = reverse("training:session_sheet", args=[session_a.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "签到表" in html and session_a.title in html and 'class="print-header"' in html
    assert "人大" in html.split('class="print-header"')[1].split("</")[0]
    for deputy in city.deputies_a:
        assert deputy.name in html
    before = len(queries)
    invite(session_a, city.deputies_b)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == before


def test_sheet_of_another_township_is_refused(client, personas, session_b, city_session):
    client.force_login(personas["township"])
    assert client.get(reverse("training:session_sheet", args=[session_b.pk])).status_code == 404
    client.force_login(personas["deputy"])
    assert client.get(reverse("training:session_sheet", args=[city_session.pk])).status_code in (403, 404)
