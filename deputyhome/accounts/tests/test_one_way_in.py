"""One way in: the Django admin goes through the application's login, and no superuser stands outside the
three-administrator scheme."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.accounts.otp_devices import EncryptedTOTPDevice as TOTPDevice
from deputyhome.accounts.otp_services import totp_device_create
from deputyhome.audit.models import AuditEvent
from deputyhome.conftest import PASSWORD


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
def test_admin_login_is_the_application_login(client):
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=%2Fdjango-admin%2F" in response["Location"]
    # Posting a password to the admin's own login form logs nobody in.
    User.objects.create_superuser("root", "", PASSWORD)
    response = client.post("/django-admin/login/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_superuser_is_locked_out_like_anyone(client):
    User.objects.create_superuser("root", "", PASSWORD)
    # The admin's own form no longer checks passwords: 7 wrong and then the right one log nobody in.
    for _ in range(7):
        client.post("/django-admin/login/", {"username": "root", "password": "wrong"})
    client.post("/django-admin/login/", {"username": "root", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get("/django-admin/").status_code == 302
    # The only login locks the superuser like anyone else.
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "root", "password": "wrong"})
    client.post(reverse("accounts:login"), {"username": "root", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.locked", object_repr="root").exists()


@pytest.mark.django_db
def test_a_superuser_gets_no_bypass(client):
    root = User.objects.create_superuser("root", "", PASSWORD)
    client.force_login(root)
    assert client.get("/django-admin/").status_code == 302
    assert client.get("/django-admin/core/calendaroverride/").status_code == 302
    assert client.get("/django-admin/otp_totp/totpdevice/").status_code in (302, 404)
    # Nor in the application: the flag gives no role's rights (an account made before create_sysadmin keeps none).
    assert root.scope_kind == "none"
    for name in ("audit:list", "accounts:user_list", "deputies:list", "suggestions:list", "roster:export_deputies"):
        assert client.get(reverse(name)).status_code in (403, 404), name


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=True)
def test_admin_needs_the_system_administrator_with_the_second_factor(client, personas):
    sysadmin = personas["sysadmin"]
    client.post(reverse("accounts:login"), {"username": "sysadmin", "password": PASSWORD})
    # Logged in with the password only: the admin is not open.
    response = client.get("/django-admin/")
    assert response.status_code == 302 and "/django-admin/" not in response["Location"].split("?")[0]
    device = totp_device_create(user=sysadmin, name="t", confirmed=True)
    client.post(reverse("accounts:otp_verify"), {"code": _code(device)})
    assert client.get("/django-admin/").status_code == 200
    # Any other role, verified or not: no admin.
    client.logout()
    client.force_login(personas["city"])
    assert client.get("/django-admin/").status_code == 302


@pytest.mark.django_db
def test_createsuperuser_refuses_and_points_to_create_sysadmin():
    with pytest.raises(CommandError, match="create_sysadmin"):
        call_command("createsuperuser", "--noinput", "--username", "root", "--email", "r@example.org")
    assert not User.objects.filter(username="root").exists()


@pytest.mark.django_db
def test_create_sysadmin_makes_an_audited_one_time_system_administrator():
    out = io.StringIO()
    call_command("create_sysadmin", "--username", "admin1", "--display-name", "系统管理员", stdout=out)
    user = User.objects.get(username="admin1")
    assert user.role == Role.SYSTEM_ADMIN and not user.is_superuser and not user.is_staff
    assert user.password_one_time_until is not None
    password = next(line.split("：", 1)[1].strip() for line in out.getvalue().splitlines() if "一次性密码" in line)
    assert user.check_password(password)
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()
    # The first one only: a second system administrator is made inside the application.
    with pytest.raises(CommandError, match="已有"):
        call_command("create_sysadmin", "--username", "admin2", stdout=io.StringIO())
    # The other two administrators can be bootstrapped the same way, once each.
    call_command("create_sysadmin", "--username", "sec1", "--role", "security_admin", stdout=io.StringIO())
    assert User.objects.get(username="sec1").role == Role.SECURITY_ADMIN


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=True)
@pytest.mark.parametrize("target", ["/\\evil.example", "//evil.example", "https://evil.example/", "/\\/evil.example"])
def test_the_backup_codes_page_never_links_to_another_site(client, personas, target):
    client.force_login(personas["township"])
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=personas["township"])
    response = client.post(f"{reverse('accounts:otp_setup')}?next={target}", {"code": _code(device)})
    html = response.content.decode()
    assert "备用码" in html and "evil.example" not in html
