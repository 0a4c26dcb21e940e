"""The printable QR codes encode the public address of the station or deputy page."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


def _decode_png(data: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))]


def test_station_qr_decodes_to_its_public_address(login, personas, city):
    c = login(personas["township"])
    response = c.get(reverse("opinions:qr_image", args=["station", city.station_a.pk, "png"]), HTTP_HOST="localhost")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    expected = "http://localhost" + reverse("opinions:public_station", args=[city.station_a.pk])
    assert _decode_png(response.content) == [expected]
    # and the address really is the station's public page
    c.logout()
    page = c.get(expected.removeprefix("http://localhost"))
    assert page.status_code == 200 and city.station_a.name in page.content.decode()


def test_public_base_url_setting_wins(login, personas, city, settings):
    settings.PUBLIC_BASE_URL = "https://dbzj.example.gov.cn/"
    c = login(personas["city"])
    response = c.get(reverse("opinions:qr_image", args=["deputy", city.deputies_b[0].pk, "png"]))
    assert _decode_png(response.content) == [
        "https://dbzj.example.gov.cn" + reverse("opinions:public_deputy", args=[city.deputies_b[0].pk])
    ]


def test_print_page_shows_the_name_and_an_svg(login, personas, city):
    c = login(personas["township"])
    page = c.get(reverse("opinions:qr_print", args=["station", city.station_a.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and city.station_a.name in html
    assert reverse("opinions:qr_image", args=["station", city.station_a.pk, "svg"]) in html
    svg = c.get(reverse("opinions:qr_image", args=["station", city.station_a.pk, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<?xml") or b"<svg" in svg.content[:200]


def test_qr_of_another_township_is_404(login, personas, city):
    c = login(personas["township"])
    assert c.get(reverse("opinions:qr_print", args=["station", city.station_b.pk])).status_code == 404
    assert c.get(reverse("opinions:qr_image", args=["station", city.station_b.pk, "png"])).status_code == 404
    assert c.get(reverse("opinions:qr_image", args=["deputy", city.deputies_b[0].pk, "png"])).status_code == 404
    assert c.get(reverse("opinions:qr_image", args=["region", city.station_a.pk, "png"])).status_code == 404
    assert c.get(reverse("opinions:qr_image", args=["station", city.station_a.pk, "gif"])).status_code == 404


def test_one_townships_officer_lists_the_codes_without_a_township_column(client, personas, city):
    client.force_login(personas["township"])
    html = client.get(reverse("opinions:qr_index")).content.decode()
    assert city.station_a.name in html and "<th>乡镇（街道）</th>" not in html
    client.force_login(personas["city"])
    html = client.get(reverse("opinions:qr_index")).content.decode()
    assert city.station_a.name in html and f'<td data-label="乡镇（街道）">{city.township_a.name}</td>' in html
