"""The public side: leaving an opinion without an account, the tracking code, throttling, uploads."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.opinions import codes, notices
from deputyhome.opinions.choices import OpinionStatus
from deputyhome.opinions.models import Opinion
from deputyhome.testing import make_id_number

from .conftest import files_in, image_bytes

pytestmark = pytest.mark.django_db


def _post(client, station, **fields):
    data = {
        "content": "小区门口的下水道堵了，一下雨就积水。",
        "consent": "on",
        "privacy_version": notices.CURRENT_VERSION,
        **fields,
    }
    # A successful submission redirects to its result page (followed here); a refused one answers at once.
    return client.post(reverse("opinions:public_station", args=[station.pk]), data, REMOTE_ADDR="10.1.1.1", follow=True)


def test_station_page_is_public_and_not_cached(client, city):
    response = client.get(reverse("opinions:public_station", args=[city.station_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert city.station_a.name in html
    assert "个人信息保护告知" in html and notices.CURRENT_VERSION in html
    assert "身份证" not in html.split("个人信息保护告知")[0]  # the form asks for no ID number
    assert "no-store" in response["Cache-Control"]


def test_leave_an_opinion_and_get_a_tracking_code(client, city, jpeg, media_root):
    response = _post(client, city.station_a, name="王大姐", phone="13912345678", photo=jpeg())
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "no-store" in response["Cache-Control"]
    opinion = Opinion.objects.get()
    assert opinion.status == OpinionStatus.NEW
    assert opinion.station == city.station_a and opinion.region == city.township_a
    assert opinion.privacy_version == notices.CURRENT_VERSION and opinion.consented_at is not None
    assert opinion.name == "王大姐" and opinion.phone == "13912345678"
    assert codes.display(opinion.tracking_code) in response.content.decode()
    # the photo is stored under a random name, re-encoded (no metadata)
    stored = files_in(media_root)
    assert len(stored) == 1 and stored[0].suffix == ".jpg" and "photo" not in stored[0].name
    event = AuditEvent.objects.get(action="opinion.submit")
    assert "13912345678" not in str(event.changes) and "王大姐" not in str(event.changes)


def test_deputy_page_takes_opinions_for_the_deputy(client, city):
    deputy = city.deputies_b[1]
    url = reverse("opinions:public_deputy", args=[deputy.pk])
    page = client.get(url)
    assert page.status_code == 200 and f"{deputy.name}代表" in page.content.decode()
    assert deputy.phone not in page.content.decode() and deputy.id_number not in page.content.decode()
    response = client.post(
        url, {"content": "希望村里修一座桥。", "consent": "on", "privacy_version": notices.CURRENT_VERSION}
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.deputy == deputy and opinion.station == city.station_b and opinion.region == city.township_b


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"content": ""}, "请填写您要反映的内容"),
        ({"consent": ""}, "请阅读并同意"),
        ({"phone": "12345"}, "联系电话格式不正确"),
        ({"content": f"我的身份证号是 {make_id_number(77)}，请帮忙查一下。"}, "身份证号码"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(client, city, fields, message, media_root):
    response = _post(client, city.station_a, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Opinion.objects.count() == 0


def test_csrf_stays_on(city):
    client = Client(enforce_csrf_checks=True)
    response = _post(client, city.station_a)
    assert response.status_code == 403
    assert Opinion.objects.count() == 0
    page = client.get(reverse("opinions:public_station", args=[city.station_a.pk]))
    token = page.cookies["csrftoken"].value
    response = _post(client, city.station_a, csrfmiddlewaretoken=token)
    assert response.status_code == 200 and Opinion.objects.count() == 1


# Uploads ---------------------------------------------------------------------------------------------


def _refused(client, city, media_root, upload, message):
    response = _post(client, city.station_a, photo=upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Opinion.objects.count() == 0
    assert files_in(media_root) == []


def test_text_disguised_as_jpeg_is_refused(client, city, media_root):
    fake = SimpleUploadedFile("photo.jpg", b"this is not a picture at all\n" * 20, content_type="image/jpeg")
    _refused(client, city, media_root, fake, "只能上传 JPG 或 PNG 格式的图片")


def test_pdf_is_refused(client, city, media_root):
    pdf = SimpleUploadedFile(
        "scan.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/pdf"
    )
    _refused(client, city, media_root, pdf, "只能上传 JPG 或 PNG 格式的图片")


def test_gif_is_refused_even_though_it_is_an_image(client, city, media_root):
    gif = SimpleUploadedFile("a.gif", image_bytes("GIF"), content_type="image/gif")
    _refused(client, city, media_root, gif, "只能上传 JPG 或 PNG 格式的图片")


def test_truncated_jpeg_is_refused(client, city, media_root):
    data = image_bytes("JPEG", size=(400, 300))
    broken = SimpleUploadedFile("cut.jpg", data[: len(data) // 3], content_type="image/jpeg")
    _refused(client, city, media_root, broken, "只能上传 JPG 或 PNG 格式的图片")


def test_oversized_upload_is_refused(client, city, media_root, settings):
    settings.OPINIONS_PHOTO_MAX_BYTES = 50_000
    big = io.BytesIO()
    from PIL import Image

    Image.effect_noise((600, 600), 100).convert("RGB").save(big, format="PNG")
    assert big.tell() > 50_000
    upload = SimpleUploadedFile("big.png", big.getvalue(), content_type="image/png")
    _refused(client, city, media_root, upload, "照片太大：不能超过")


def test_png_is_accepted(client, city, media_root):
    png = SimpleUploadedFile("p.png", image_bytes("PNG"), content_type="image/png")
    assert _post(client, city.station_a, photo=png).status_code == 200
    assert [p.suffix for p in files_in(media_root)] == [".png"]


# Throttling --------------------------------------------------------------------------------------------


def test_throttled_per_address_with_429(client, city, settings):
    settings.OPINIONS_PER_ADDRESS_PER_HOUR = 3
    for _ in range(3):
        assert _post(client, city.station_a).status_code == 200
    response = _post(client, city.station_a)
    assert response.status_code == 429
    assert "提交得太频繁" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert Opinion.objects.count() == 3
    # another address may still write
    other = client.post(
        reverse("opinions:public_station", args=[city.station_a.pk]),
        {"content": "另一位群众", "consent": "on", "privacy_version": notices.CURRENT_VERSION},
        REMOTE_ADDR="10.9.9.9",
    )
    assert other.status_code == 302


def test_throttled_per_station_per_day(client, city, settings):
    settings.OPINIONS_PER_STATION_PER_DAY = 2
    for n in range(2):
        response = client.post(
            reverse("opinions:public_station", args=[city.station_a.pk]),
            {"content": f"意见{n}", "consent": "on", "privacy_version": notices.CURRENT_VERSION},
            REMOTE_ADDR=f"10.2.0.{n}",
        )
        assert response.status_code == 302
    response = client.post(
        reverse("opinions:public_station", args=[city.station_a.pk]),
        {"content": "第三条", "consent": "on", "privacy_version": notices.CURRENT_VERSION},
        REMOTE_ADDR="10.2.0.99",
    )
    assert response.status_code == 429 and "本站今天收到的留言已达上限" in response.content.decode()
    # another station is not affected
    assert _post(client, city.station_b).status_code == 200


def test_refused_input_does_not_count_against_the_limit(client, city, settings):
    settings.OPINIONS_PER_ADDRESS_PER_HOUR = 1
    assert _post(client, city.station_a, content="").status_code == 400
    assert _post(client, city.station_a).status_code == 200
    assert _post(client, city.station_a).status_code == 429


def test_client_address_header_from_a_trusted_proxy(client, city, settings):
    settings.OPINIONS_PER_ADDRESS_PER_HOUR = 1
    settings.OPINIONS_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    url = reverse("opinions:public_station", args=[city.station_a.pk])
    data = {"content": "经代理", "consent": "on", "privacy_version": notices.CURRENT_VERSION}
    assert client.post(url, data, REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="1.1.1.1").status_code == 302
    assert client.post(url, data, REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="2.2.2.2").status_code == 302
    assert client.post(url, data, REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="1.1.1.1").status_code == 429


# The status page ----------------------------------------------------------------------------------------


def _track(client, code):
    return client.post(reverse("opinions:track"), {"code": code}, REMOTE_ADDR="10.3.3.3")


def test_status_page_shows_status_and_reply_only(client, make_opinion, personas):
    from deputyhome.opinions import services

    opinion = make_opinion(name="张三", phone="13800001111")
    response = _track(client, opinion.code_display.lower())
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "已收到，正在处理" in html
    for private in ("张三", "13800001111", "路灯"):
        assert private not in html
    services.opinion_reply(opinion=opinion, text="已联系供电所，本周内修复。", actor=personas["township"])
    html = _track(client, opinion.tracking_code).content.decode()
    assert "已答复" in html and "本周内修复" in html


def test_wrong_code_gives_a_neutral_message(client, make_opinion):
    opinion = make_opinion()
    wrong = ("2" if opinion.tracking_code[0] != "2" else "3") + opinion.tracking_code[1:]
    for code in (wrong, "nonsense", "' OR 1=1 --"):
        response = _track(client, code)
        html = response.content.decode()
        assert response.status_code == 200
        assert "没有找到与该查询码对应的记录" in html
        assert "路灯" not in html and "track-result" not in html


def test_status_page_get_shows_only_the_form(client, make_opinion):
    make_opinion()
    response = client.get(reverse("opinions:track"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "track-result" not in response.content.decode()


def test_lookups_are_throttled(client, settings, make_opinion):
    settings.OPINIONS_LOOKUPS_PER_ADDRESS_PER_HOUR = 2
    opinion = make_opinion()
    assert _track(client, "WRONGCODE222").status_code == 200
    assert _track(client, "WRONGCODE223").status_code == 200
    response = _track(client, opinion.tracking_code)
    assert response.status_code == 429 and "查询次数过多" in response.content.decode()


def test_unknown_station_or_retired_deputy_is_404(client, city):
    assert client.get(reverse("opinions:public_station", args=[99999])).status_code == 404
    assert client.get(reverse("opinions:public_deputy", args=[99999])).status_code == 404


def test_upload_handler_stops_reading_past_the_limit(settings):
    from django.core.files.uploadhandler import SkipFile
    from django.test import RequestFactory

    from deputyhome.opinions.uploads import PhotoSizeLimitHandler

    settings.OPINIONS_PHOTO_MAX_BYTES = 100
    request = RequestFactory().post("/")
    handler = PhotoSizeLimitHandler(request)
    handler.new_file("photo", "a.jpg", "image/jpeg", 1000)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 60, 60)
    assert request.upload_too_large is True
