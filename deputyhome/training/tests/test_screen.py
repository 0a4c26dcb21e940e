"""投屏签到: the projector page with the code, the QR code and the live count; the QR code fills the code in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.training.choices import AttendanceStatus

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"training:{name}", args=args)


def test_organiser_projects_code_qr_and_count(client, personas, city, make_session, invite):
    session = make_session(region=city.township_a, code="314159", signin_open=True, title="六角亭街道学习会")
    invite(session, city.deputies_a[:3])
    invite(session, city.deputies_a[3:4], status=AttendanceStatus.PRESENT)
    client.force_login(personas["township"])
    detail = client.get(_url("session_detail", session.pk)).content.decode()
    assert _url("session_screen", session.pk) in detail and "投屏显示" in detail

    response = client.get(_url("session_screen", session.pk))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "六角亭街道学习会" in html and "314159" in html
    assert _url("session_screen_qr", session.pk) in html
    assert "已签到 <strong>1</strong> 人，应到 4 人" in html
    assert 'class="mainnav"' not in html  # a clean page for the projector

    count = client.get(_url("session_screen", session.pk), {"part": "count"}).content.decode()
    assert count.lstrip().startswith('<div class="screen-count"') and "<html" not in count

    qr = client.get(_url("session_screen_qr", session.pk))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert qr.content.lstrip().startswith(b"<?xml") and b"<svg" in qr.content


def test_closed_sign_in_shows_no_code_and_no_qr(client, personas, city, make_session):
    session = make_session(region=city.township_a, code="271828")
    client.force_login(personas["township"])
    html = client.get(_url("session_screen", session.pk)).content.decode()
    assert "签到未开放" in html and "271828" not in html
    assert _url("session_screen_qr", session.pk) not in html


def test_screen_is_for_the_organiser_only(client, personas, city, make_session, session_b):
    city_level = make_session(title="市级专题培训", signin_open=True, code="161803")
    client.force_login(personas["township"])  # reads the city's session, does not run it
    assert client.get(_url("session_screen", city_level.pk)).status_code == 403
    assert client.get(_url("session_screen_qr", city_level.pk)).status_code == 403
    # another township's session: 404, as if it did not exist
    assert client.get(_url("session_screen", session_b.pk)).status_code == 404
    assert client.get(_url("session_screen_qr", session_b.pk)).status_code == 404
    client.force_login(personas["deputy"])
    assert client.get(_url("session_screen", city_level.pk)).status_code in (403, 404)


def test_scanned_code_is_filled_in_on_the_sign_in_page(client, personas):
    client.force_login(personas["deputy"])
    html = client.get(_url("signin"), {"code": "314159"}).content.decode()
    assert 'value="314159"' in html
    # anything but a short number is ignored
    html = client.get(_url("signin"), {"code": '"><script>'}).content.decode()
    assert "<script>" not in html.split("<main", 1)[1].split("</main>", 1)[0]
