"""Every refusal is audited (MLPS 2.0 level 3, issue 6 item 3): 403 answers, CSRF failures, and
objects that exist outside the user's scope (answered 404 so nobody learns what exists elsewhere)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from deputyhome.audit.middleware import REFUSAL_ACTION
from deputyhome.audit.models import AuditEvent


def refusals():
    return AuditEvent.objects.filter(action=REFUSAL_ACTION)


def after_login():
    """The rows written by the request under test (force_login writes its own auth.login row)."""
    return AuditEvent.objects.exclude(action="auth.login")


@pytest.mark.django_db
def test_a_403_page_is_audited_with_who_where_and_how(personas, client):
    client.force_login(personas["city"])
    before = AuditEvent.objects.count()
    response = client.get(reverse("audit:list"), REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权访问" in html and "已记入审计日志" in html
    assert AuditEvent.objects.count() == before + 1
    event = refusals().get()
    assert event.actor == personas["city"] and not event.success
    assert event.client_address == "10.9.8.7"
    assert event.object_repr == reverse("audit:list")
    assert event.changes == {"method": "GET", "path": reverse("audit:list"), "reason": "forbidden"}


@pytest.mark.django_db
def test_a_refused_post_is_audited_and_writes_nothing_else(personas, city, client):
    client.force_login(personas["leader"])  # the leader reads; he may not edit a station
    station = city.station_a
    url = reverse("organisation:station_update", args=[station.pk])
    response = client.post(url, {"name": "改名", "kind": "liaison", "region": city.village_a.pk})
    assert response.status_code == 403
    station.refresh_from_db()
    assert station.name != "改名"
    assert list(after_login().values_list("action", flat=True)) == [REFUSAL_ACTION]
    assert refusals().get().changes["method"] == "POST"


@pytest.mark.django_db
def test_a_form_without_csrf_token_gets_a_chinese_page_and_an_audit_row(personas):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "city", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期" in html and "没有写入任何数据" in html
    event = refusals().get()
    assert event.actor is None and event.actor_name == "匿名用户"
    assert event.changes["reason"] == "csrf" and event.changes["method"] == "POST"
    assert event.detail  # Django's reason, e.g. "CSRF cookie not set."
    # The login itself never ran: no failed-login row, no lock counter.
    assert not AuditEvent.objects.exclude(action=REFUSAL_ACTION).exists()


@pytest.mark.django_db
def test_an_object_outside_the_scope_is_404_and_audited(personas, city, client):
    client.force_login(personas["township"])  # 六角亭街道
    elsewhere = city.deputies_b[0]  # a deputy of 白杨坪镇
    response = client.get(reverse("deputies:detail", args=[elsewhere.pk]))
    assert response.status_code == 404
    assert "不在您的管辖范围内" in response.content.decode()
    event = refusals().get()
    assert event.actor == personas["township"] and not event.success
    assert event.object_type == "deputies.deputy" and event.object_id == str(elsewhere.pk)
    assert event.changes == {"reason": "out_of_scope"}
    # The row names the object by kind and number only: no name, no personal data.
    assert elsewhere.name not in event.object_repr


@pytest.mark.django_db
def test_a_missing_object_is_404_without_audit_row(personas, city, client):
    client.force_login(personas["township"])
    response = client.get(reverse("deputies:detail", args=[999_999]))
    assert response.status_code == 404
    assert not after_login().exists()


@pytest.mark.django_db
def test_an_object_in_scope_writes_no_refusal(personas, city, client):
    client.force_login(personas["township"])
    assert client.get(reverse("deputies:detail", args=[city.deputies_a[0].pk])).status_code == 200
    assert not refusals().exists()


@pytest.mark.django_db
def test_a_refused_reveal_is_audited_once_as_a_reveal(personas, city, client):
    client.force_login(personas["leader"])
    deputy = city.deputies_a[1]
    response = client.post(reverse("deputies:detail", args=[deputy.pk]), {"reveal": "1"})
    assert response.status_code == 403
    assert "您无权查看完整的身份证号和联系电话" in response.content.decode()
    assert list(after_login().values_list("action", "success")) == [("personal_data.reveal", False)]
