"""The system administrator manages accounts; logins and failures are audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.accounts.models import User
from deputyhome.audit.models import AuditEvent
from deputyhome.conftest import PASSWORD


@pytest.mark.django_db
def test_sysadmin_creates_a_township_officer_who_then_sees_the_township(personas, city, client):
    client.force_login(personas["sysadmin"])
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "baiyang",
            "display_name": "白杨坪镇人大",
            "role": "township_officer",
            "region": city.township_b.pk,
            "is_active": "on",
            "password": "Baiyang-2026!x",
        },
    )
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(username="baiyang")
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()
    client.force_login(user)
    html = client.get(reverse("deputies:list")).content.decode()
    assert city.deputies_b[1].name in html and city.deputies_a[1].name not in html


@pytest.mark.django_db
def test_role_needs_its_anchor(personas, client):
    client.force_login(personas["sysadmin"])
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "x1", "role": "unit_clerk", "is_active": "on", "password": "Unit-Clerk-2026!"},
    )
    assert response.status_code == 400
    assert "承办单位经办人须选择承办单位" in response.content.decode()
    assert not User.objects.filter(username="x1").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["city", "township", "leader", "auditor", "deputy"])
def test_only_sysadmin_manages_users(personas, client, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_detail", args=[personas["city"].pk])).status_code == 403


@pytest.mark.django_db
def test_login_and_failure_are_audited_without_revealing_accounts(personas, client):
    response = client.post(reverse("accounts:login"), {"username": "city", "password": "wrong"})
    unknown = client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()
    assert response.content.decode().count("不正确") == unknown.content.decode().count("不正确")
    failed = AuditEvent.objects.filter(action="auth.login_failed", success=False)
    assert set(failed.values_list("actor_name", flat=True)) == {"city", "nobody"}
    response = client.post(reverse("accounts:login"), {"username": "city", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.login", actor=personas["city"]).exists()
