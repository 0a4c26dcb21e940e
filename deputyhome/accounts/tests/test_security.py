"""Login hardening: lockout by username, session limits, password rules and rotation."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deputyhome.audit.models import AuditEvent
from deputyhome.conftest import PASSWORD
from deputyhome.testing import change_password_when_asked

T0 = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)


def _try(client, username, password, addr="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=addr)


@pytest.mark.django_db
def test_five_failures_in_fifteen_minutes_lock_for_thirty(client, personas):
    with time_machine.travel(T0, tick=False) as t:
        for i in range(5):
            _try(client, "city", "wrong", addr=f"10.0.0.{i}")  # different addresses: the lock is by username
            t.shift(datetime.timedelta(minutes=2))
        response = _try(client, "city", PASSWORD)
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
        assert AuditEvent.objects.filter(action="auth.locked", actor_name="city").exists()
        assert AuditEvent.objects.filter(action="auth.login_refused").exists()
        # Locked at the fifth failure (T0 + 8 min) until T0 + 38 min; now it is T0 + 10 min.
        t.shift(datetime.timedelta(minutes=27))
        assert _try(client, "city", PASSWORD).status_code == 200
        t.shift(datetime.timedelta(minutes=2))
        assert _try(client, "city", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(client, personas):
    with time_machine.travel(T0, tick=False) as t:
        for _ in range(6):
            _try(client, "city", "wrong")
            t.shift(datetime.timedelta(minutes=4))
        assert _try(client, "city", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_unknown_and_known_accounts_answer_alike(client, personas):
    with time_machine.travel(T0, tick=False):
        for name in ("city", "nobody"):
            for _ in range(6):
                response = _try(client, name, "wrong")
            assert "用户名或密码不正确。连续5次错误后，账号将被锁定30分钟。" in response.content.decode()
        assert AuditEvent.objects.filter(action="auth.locked", actor_name="nobody").exists()


@pytest.mark.django_db
def test_idle_and_absolute_session_limits(client, personas):
    with time_machine.travel(T0, tick=False) as t:
        assert _try(client, "leader", PASSWORD).status_code == 302
        t.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("core:dashboard")).status_code == 200
        t.shift(datetime.timedelta(minutes=31))
        response = client.get(reverse("core:dashboard"))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
        assert AuditEvent.objects.filter(action="auth.session_expired").exists()
        # Active all along, but 12 hours is the limit.
        assert _try(client, "leader", PASSWORD).status_code == 302
        for _ in range(25):
            t.shift(datetime.timedelta(minutes=29))
            last = client.get(reverse("core:dashboard"))
        assert last.status_code == 302


@pytest.mark.django_db
def test_logout_ends_the_session(client, personas):
    _try(client, "leader", PASSWORD)
    session_key = client.session.session_key
    client.post(reverse("accounts:logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get(reverse("core:dashboard")).status_code == 302


@pytest.mark.django_db
def test_password_rules(personas):
    staff, deputy = personas["city"], personas["deputy"]
    for weak in ("1234567", "woaini1314", "password", "12345678"):
        with pytest.raises(ValidationError):
            validate_password(weak, deputy)
    with pytest.raises(ValidationError, match="三类"):
        validate_password("lowercaseonly9", staff)
    validate_password("lowercaseonly9", deputy)  # deputies: length and blocklist only
    validate_password("Enshi-Renda-2026", staff)


@pytest.mark.django_db
def test_staff_must_change_an_old_password(client, personas):
    user = personas["township"]
    type(user).objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=91))
    client.force_login(user)
    change_password_when_asked(client, "deputies:list", PASSWORD, "Liujiaoting-2026!")
    assert client.get(reverse("deputies:list")).status_code == 200
    assert AuditEvent.objects.filter(action="user.set_password", actor=user).exists()
    # Deputies are not forced to rotate.
    deputy = personas["deputy"]
    type(deputy).objects.filter(pk=deputy.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=400))
    client.force_login(deputy)
    assert client.get(reverse("core:dashboard")).status_code == 200
