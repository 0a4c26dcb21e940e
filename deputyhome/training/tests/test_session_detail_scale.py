"""A session's page at many attendance rows and hand-outs: a page of attendance, the newest hand-outs only, and the
same queries at two sizes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.testing import add_deputies

pytestmark = pytest.mark.django_db


def _get(client, session, **params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("training:session_detail", args=[session.pk]), params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _rows(html: str) -> int:
    return html.split('id="attendance"', 1)[1].split("</table>", 1)[0].count("<tr>") - 1


def _hand_out(session, deputies) -> None:
    from deputyhome.training.models import Material, MaterialDistribution

    book, _ = Material.objects.get_or_create(title="《新时代人大代表履职手册》")
    MaterialDistribution.objects.bulk_create(
        MaterialDistribution(material=book, session=session, deputy=d, date=timezone.localdate()) for d in deputies
    )


def test_the_session_page_pages_its_attendance_and_shows_the_newest_hand_outs(
    client, personas, city, session_a, invite
):
    client.force_login(personas["township"])
    invite(session_a, city.deputies_a[:2])
    _hand_out(session_a, city.deputies_a[:2])
    few, html = _get(client, session_a)
    assert _rows(html) == 2 and 'id="more-distributions"' not in html

    extra = add_deputies(118, congress=city.city_congress, group=city.group_a, region=city.township_a)
    invite(session_a, city.deputies_a[2:] + extra)
    _hand_out(session_a, extra[:25])
    many, html = _get(client, session_a)
    assert many == few
    assert _rows(html) == 100 and "page=2" in html
    assert html.count("份 · ") == 20 and 'id="more-distributions"' in html
    _, rest = _get(client, session_a, page=2)
    assert _rows(rest) == len(city.deputies_a) + 118 - 100


def test_another_townships_session_is_refused(client, personas, session_b):
    client.force_login(personas["township"])
    assert client.get(reverse("training:session_detail", args=[session_b.pk])).status_code == 404
