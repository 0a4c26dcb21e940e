"""A citizen's opinion from a public page tells those who handle it where it was left, and nobody else."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.audit.models import AuditEvent
from deputyhome.notifications.choices import Channel
from deputyhome.notifications.models import Notification
from deputyhome.opinions import notices
from deputyhome.opinions.models import Opinion, OpinionEvent, ThrottleCounter
from deputyhome.testing import make_id_number

pytestmark = pytest.mark.django_db

NAME, PHONE = "王秀英", "13912345678"


def _post(client, url, **fields):
    data = {
        "content": "小区门口的下水道堵了，一下雨就积水。",
        "consent": "on",
        "privacy_version": notices.CURRENT_VERSION,
        **fields,
    }
    return client.post(url, data, REMOTE_ADDR="10.1.1.1")


def _station_url(station) -> str:
    return reverse("opinions:public_station", args=[station.pk])


def _told() -> set[str]:
    return set(Notification.objects.filter(channel=Channel.IN_APP).values_list("user__username", flat=True))


@pytest.fixture
def group_b_leader(city):
    """A group leader in township B, to show that the other township's group staff are not told."""
    user = User(username="group_b", role=Role.GROUP_LEADER, group=city.group_b, deputy=city.deputies_b[0])
    user.set_unusable_password()
    user.save()
    return user


def test_a_station_opinion_tells_the_township_and_the_stations_group_staff(
    client, city, personas, group_b_leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _post(client, _station_url(city.station_a), name=NAME, phone=PHONE)
    assert response.status_code == 302
    assert len(callbacks) == 1
    # Township A's officer and group A's leader and liaison officer; not township B's officer
    # or group leader, not the members of group A it was not addressed to, not the city-wide roles.
    assert _told() == {"township", "group", "liaison"}
    opinion = Opinion.objects.get()
    for note in Notification.objects.all():
        assert note.link == opinion.get_absolute_url()
        assert note.subject == f"新的群众意见待处理：{city.station_a.name}"
        assert note.key == f"opinion.submit:{opinion.pk}"


def test_every_one_told_may_open_the_opinion_and_the_others_may_not(
    client, city, personas, group_b_leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _station_url(city.station_a))
    opinion = Opinion.objects.get()
    told = _told()
    for user in [*personas.values(), group_b_leader]:
        client.force_login(user)
        status = client.get(opinion.get_absolute_url()).status_code
        if user.username in told:
            assert status == 200, user.username
        if user.username in ("township_b", "group_b", "unit", "sysadmin", "auditor"):
            assert status in (403, 404), user.username


def test_an_opinion_for_a_deputy_also_tells_that_deputy(client, city, personas, django_capture_on_commit_callbacks):
    deputy = personas["deputy"].deputy  # a member of group A
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, reverse("opinions:public_deputy", args=[deputy.pk]))
    assert response.status_code == 302
    assert _told() == {"township", "group", "liaison", "deputy"}
    assert Notification.objects.filter(subject__contains=f"{deputy.name}代表").count() == 4


def test_the_other_township_is_told_of_its_own(
    client, city, personas, group_b_leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _station_url(city.station_b))
    assert _told() == {"township_b", "group_b"}
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _station_url(city.home_b))  # the township's home: no group is based there
    assert _told() == {"township_b"}


def test_the_city_officers_are_told_when_nobody_in_the_township_is(
    client, city, personas, django_capture_on_commit_callbacks
):
    personas["township_b"].is_active = False
    personas["township_b"].save()
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _station_url(city.home_b))
    assert _told() == {"city"}  # not the supervisor or the leader: they only read


def test_no_name_phone_or_content_of_the_citizen_goes_out(client, city, personas, django_capture_on_commit_callbacks):
    township = personas["township"]
    township.email = "township@example.cn"
    township.save()
    content = "我叫王秀英，电话13912345678，反映小区下水道堵塞。"
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, _station_url(city.station_a), name=NAME, phone=PHONE, content=content)
    assert response.status_code == 302
    assert Notification.objects.filter(user=township, channel=Channel.EMAIL).count() == 1
    texts = [f"{n.subject} {n.body} {n.link}" for n in Notification.objects.all()]
    texts += [f"{m.subject} {m.body}" for m in mail.outbox]
    assert texts and len(mail.outbox) == 1
    code = Opinion.objects.get().tracking_code
    for text in texts:
        assert NAME not in text and PHONE not in text and "下水道" not in text and code not in text


@pytest.mark.parametrize(
    "fields",
    [
        {"content": ""},  # refused by the form
        {"consent": ""},
        {"phone": "12345"},
        {"content": f"我的身份证号是 {make_id_number(77)}，请帮忙查一下。"},  # refused by the service
    ],
)
def test_a_refused_submission_tells_nobody_and_writes_nothing(
    client, city, personas, fields, django_capture_on_commit_callbacks
):
    audit_rows = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _post(client, _station_url(city.station_a), **fields)
    assert response.status_code == 400
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert Opinion.objects.count() == 0 and OpinionEvent.objects.count() == 0
    assert ThrottleCounter.objects.count() == 0
    assert AuditEvent.objects.count() == audit_rows


def test_a_rolled_back_submission_tells_nobody(city, personas, django_capture_on_commit_callbacks):
    """The messages are registered in the submission's transaction and dropped with it."""
    from django.db import transaction

    from deputyhome.opinions import services

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.opinion_submit(
            data={"content": "路灯坏了。", "consent": True}, station=city.station_a, client_address="10.0.0.9"
        )
        assert Opinion.objects.count() == 1
        raise RuntimeError("a later step of the same transaction failed")
    assert callbacks == []
    assert Notification.objects.count() == 0 and Opinion.objects.count() == 0


def test_a_sending_failure_does_not_fail_the_citizens_submission(
    client, city, personas, monkeypatch, django_capture_on_commit_callbacks
):
    from deputyhome.notifications import services as notification_services

    def broken(**kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(notification_services, "notify", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, _station_url(city.station_a))
    assert response.status_code == 302
    assert Opinion.objects.count() == 1 and Notification.objects.count() == 0
