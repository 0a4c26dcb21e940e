"""The system administrator manages accounts; logins and failures are audited."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse

from deputyhome.accounts import services
from deputyhome.accounts.models import User
from deputyhome.audit.models import AuditEvent
from deputyhome.conftest import PASSWORD


@pytest.mark.django_db
def test_sysadmin_creates_the_account_and_secadmin_gives_it_a_role(personas, city, client):
    client.force_login(personas["sysadmin"])
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "baiyang", "display_name": "白杨坪镇人大", "is_active": "on", "password": "Baiyang-2026!x"},
    )
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(username="baiyang")
    assert user.role == "unassigned"
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()
    # The system administrator cannot assign roles (三员分立) ...
    assert client.get(reverse("accounts:user_role", args=[user.pk])).status_code == 403
    # ... and an account without a role sees nothing (once it changed its one-time password).
    services.user_set_password(user=user, password="Own-Choice-2026!", actor=user)
    user.refresh_from_db()
    client.force_login(user)
    assert client.get(reverse("deputies:list")).status_code == 403
    client.force_login(personas["secadmin"])
    response = client.post(
        reverse("accounts:user_role", args=[user.pk]),
        {"role": "township_officer", "region": city.township_b.pk, "unit": city.unit_a.pk},
    )
    assert response.status_code == 302, response.content.decode()
    user.refresh_from_db()
    assert user.role == "township_officer" and user.region == city.township_b and user.unit is None
    assert AuditEvent.objects.filter(action="user.update", actor=personas["secadmin"], object_id=str(user.pk)).exists()
    assert client.get(reverse("accounts:user_create")).status_code == 403  # and cannot create accounts
    client.force_login(user)
    html = client.get(reverse("deputies:list")).content.decode()
    assert city.deputies_b[1].name in html and city.deputies_a[1].name not in html


@pytest.mark.django_db
def test_role_needs_its_anchor(personas, client):
    client.force_login(personas["secadmin"])
    target = personas["leader"]
    response = client.post(reverse("accounts:user_role", args=[target.pk]), {"role": "unit_clerk"})
    assert response.status_code == 400
    assert "承办单位经办人须选择承办单位" in response.content.decode()
    target.refresh_from_db()
    assert target.role == "leader"


@pytest.mark.django_db
def test_nobody_changes_their_own_role(personas, client):
    client.force_login(personas["secadmin"])
    response = client.post(reverse("accounts:user_role", args=[personas["secadmin"].pk]), {"role": "city_officer"})
    assert response.status_code == 400 and "不能修改自己的角色" in response.content.decode()


@pytest.mark.django_db
def test_the_three_administrators_are_separate(personas, client):
    for persona, allowed in [
        ("sysadmin", "accounts:user_list"),
        ("secadmin", "accounts:user_list"),
        ("auditor", "audit:list"),
    ]:
        client.force_login(personas[persona])
        assert client.get(reverse(allowed)).status_code == 200
    client.force_login(personas["secadmin"])
    assert client.get(reverse("audit:list")).status_code == 403
    client.force_login(personas["auditor"])
    assert client.get(reverse("accounts:user_list")).status_code == 403
    client.force_login(personas["sysadmin"])
    assert client.get(reverse("audit:list")).status_code == 403


@pytest.mark.django_db
def test_an_account_page_offers_only_the_buttons_that_work(personas, client):
    """三员分立: another administrator's account page offers no 编辑账号 or 分配角色 (they would answer 403) and says
    why; the security administrator's 重置密码 is offered on another administrator's account only."""

    def page(persona: str, account: str) -> str:
        client.force_login(personas[persona])
        response = client.get(reverse("accounts:user_detail", args=[personas[account].pk]))
        assert response.status_code == 200
        return response.content.decode()

    def link(name: str, account: str) -> str:
        return f'href="{reverse(name, args=[personas[account].pk])}"'

    html = page("sysadmin", "city")
    assert link("accounts:user_update", "city") in html and "三员分立" not in html
    html = page("sysadmin", "auditor")
    assert link("accounts:user_update", "auditor") not in html
    assert "不能修改其他管理员的账号（三员分立）" in html
    assert client.get(reverse("accounts:user_update", args=[personas["auditor"].pk])).status_code == 403
    html = page("sysadmin", "sysadmin")
    assert link("accounts:user_update", "sysadmin") in html  # their own account

    html = page("secadmin", "city")
    assert link("accounts:user_role", "city") in html and "重置密码" not in html
    html = page("secadmin", "sysadmin")
    assert link("accounts:user_role", "sysadmin") not in html and "不能修改其他管理员账号的角色（三员分立）" in html
    assert link("accounts:user_reset", "sysadmin") in html  # OTP is off in this test: no device is needed
    html = page("secadmin", "secadmin")
    assert "重置密码" not in html and "不能重置自己的密码" in html


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


REFUSE_PASSWORD_CHANGE = {
    "sqlite": [
        "CREATE TRIGGER refuse_password BEFORE UPDATE ON accounts_user WHEN OLD.password IS NOT NEW.password "
        "BEGIN SELECT RAISE(ABORT, 'password refused'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_password() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'password refused'; END $$ "
        "LANGUAGE plpgsql",
        "CREATE TRIGGER refuse_password BEFORE UPDATE ON accounts_user FOR EACH ROW "
        "WHEN (OLD.password IS DISTINCT FROM NEW.password) EXECUTE FUNCTION refuse_password()",
    ],
}


@pytest.mark.django_db
def test_an_edit_with_a_new_password_is_one_transaction(personas):
    """The account form's fields and its new password are saved together or not at all: the database refuses the
    password (a trigger, rolled back with the test) and the new display name is not kept either."""
    target = personas["leader"]
    with connection.cursor() as cursor:
        for statement in REFUSE_PASSWORD_CHANGE[connection.vendor]:
            cursor.execute(statement)
    before = AuditEvent.objects.count()
    with pytest.raises(DatabaseError, match="password refused"):
        services.user_edit(
            user=target, data={"display_name": "杨光明"}, password="Another-2026!x", actor=personas["sysadmin"]
        )
    target.refresh_from_db()
    assert target.display_name != "杨光明"
    assert AuditEvent.objects.count() == before
    # Without a password the same edit goes through: the trigger refuses only a password change.
    services.user_edit(user=target, data={"display_name": "杨光明"}, password="", actor=personas["sysadmin"])
    target.refresh_from_db()
    assert target.display_name == "杨光明"
