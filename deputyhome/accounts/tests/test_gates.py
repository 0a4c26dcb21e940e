"""The gates (second factor, first login, password change): the pages they hold a user away from, and the public
pages they let through."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from deputyhome.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PUBLIC = reverse("public_suggestions:list")  # 办理结果公开: for everybody, signed in or not


def _paths(patterns, prefix: str = ""):
    """(path, view) of every URL of the site."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _paths(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_page_under_the_public_addresses_is_marked_public():
    """The voters' pages (opinions/p/…) and the published replies (public/…): the gates let them through by Django's
    mark `login_not_required`, so a page added there without it would send a deputy at a gate away from a station's form."""
    public = [
        (path, view)
        for path, view in _paths(get_resolver().url_patterns)
        if path.startswith(("opinions/p/", "public/"))
    ]
    assert len(public) >= 9
    assert [path for path, view in public if getattr(view, "login_required", True)] == []
    marked = [path for path, view in _paths(get_resolver().url_patterns) if not getattr(view, "login_required", True)]
    # And the login page, which Django's LoginView marks itself.
    assert sorted(marked) == sorted([*(path for path, _view in public), "accounts/login/"])


@override_settings(OTP_REQUIRED=True)
def test_before_the_second_factor_only_the_public_pages_and_the_gates_own_open(client, personas, city):
    client.post(reverse("accounts:login"), {"username": "township", "password": PASSWORD})
    response = client.get(reverse("deputies:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_setup"))
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    page = client.get(PUBLIC)
    assert page.status_code == 200
    assert 'class="mainnav"' not in page.content.decode().split("</header>")[0]  # at the gate: no menu
    for url in (reverse("opinions:public_station", args=[city.station_a.pk]), reverse("opinions:track")):
        assert client.get(url).status_code == 200, url


def test_a_deputy_before_the_first_login_check_opens_a_stations_form(client, city):
    """A deputy whose account still has its one-time password, at a station, scans its code: the voters' form
    opens; the deputy's own pages lead to the code check."""
    from deputyhome.deputies.tests.test_first_login import _account, _signed_in

    user, password = _account(city.deputies_a[0])
    _signed_in(client, user, password)
    assert client.get(reverse("deputies:me"))["Location"] == reverse("deputies:first_login")
    page = client.get(reverse("opinions:public_station", args=[city.station_a.pk]))
    assert page.status_code == 200 and city.station_a.name in page.content.decode()


def test_an_old_password_leads_to_the_password_change_but_the_public_pages_stay_open(client, personas, city):
    officer = personas["township"]
    officer.password_changed_at = timezone.now() - datetime.timedelta(days=91)
    officer.save(update_fields=["password_changed_at"])
    client.force_login(officer)
    response = client.get(reverse("deputies:list"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    html = client.get(reverse("accounts:password_change")).content.decode()
    assert "您的密码已超过90天未修改，请先修改密码。" in html
    assert client.get(PUBLIC).status_code == 200
    assert client.get(reverse("opinions:public_station", args=[city.station_a.pk])).status_code == 200
