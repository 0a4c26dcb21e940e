"""A session's page at many attendance rows and hand-outs: a page of attendance, the newest hand-outs only, and the
same queries at two sizes."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deputyhome.core.tests.reading import read
from deputyhome.testing import add_deputies

pytestmark = pytest.mark.django_db


def _get(client, session, **params) -> tuple[int, str]:
    page = read(client, reverse("training:session_detail", args=[session.pk]), params)
    return page.queries, page.html


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
    assert _rows(html) == 50 and "page=2" in html  # a page of 50: the attendance form keeps 100
    assert html.count("份 · ") == 20 and 'id="more-distributions"' in html
    _, rest = _get(client, session_a, page=3)
    assert _rows(rest) == len(city.deputies_a) + 118 - 100


def test_a_row_shows_the_deputys_township_group_status_and_sign_in(client, personas, city, session_a, invite):
    from deputyhome.deputies.models import GroupMembership
    from deputyhome.training.models import Attendance

    client.force_login(personas["township"])
    present, excused, pending = city.deputies_a[:3]
    invite(session_a, [present], status="present")
    invite(session_a, [excused], status="excused", reason="外出务工")
    invite(session_a, [pending])
    Attendance.objects.filter(deputy=present).update(signed_in_at=timezone.now(), signin_way="self")
    GroupMembership.objects.filter(deputy=pending).update(end_date=datetime.date(2022, 1, 1))  # no group now
    _, html = _get(client, session_a)
    rows = html.split('id="attendance"', 1)[1].split("</table>", 1)[0].split("<tr>")[2:]
    row = {name: next(r for r in rows if name in r) for name in (present.name, excused.name, pending.name)}
    assert city.township_a.name in row[present.name] and city.group_a.name in row[present.name]
    assert "到会" in row[present.name] and "本人签到码签到" in row[present.name]
    assert "请假" in row[excused.name] and "外出务工" in row[excused.name]
    assert "未签到" in row[pending.name] and city.group_a.name not in row[pending.name]


def test_another_townships_session_is_refused(client, personas, session_b):
    client.force_login(personas["township"])
    assert client.get(reverse("training:session_detail", args=[session_b.pk])).status_code == 404
