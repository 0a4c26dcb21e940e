"""The gates (second factor, password change): the pages they hold a user away from, the ones they let through."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from deputyhome.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PUBLIC = reverse("public_suggestions:list")  # 办理结果公开: for everybody, signed in or not


@override_settings(OTP_REQUIRED=True)
def test_before_the_second_factor_only_the_public_pages_and_the_gates_own_open(client, personas):
    client.post(reverse("accounts:login"), {"username": "township", "password": PASSWORD})
    response = client.get(reverse("deputies:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_setup"))
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    page = client.get(PUBLIC)
    assert page.status_code == 200
    assert 'class="mainnav"' not in page.content.decode().split("</header>")[0]  # at the gate: no menu


def test_an_old_password_holds_the_user_away_from_the_public_pages_too(client, personas):
    officer = personas["township"]
    officer.password_changed_at = timezone.now() - datetime.timedelta(days=91)
    officer.save(update_fields=["password_changed_at"])
    client.force_login(officer)
    for url in (reverse("deputies:list"), PUBLIC):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    html = client.get(reverse("accounts:password_change")).content.decode()
    assert "您的密码已超过90天未修改，请先修改密码。" in html
