"""The inbox: own notifications only, unread first, pagination, read with a jump to the target, read all."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.core.tests.reading import read as read_page
from deputyhome.notifications.choices import Channel
from deputyhome.notifications.models import Notification
from deputyhome.notifications.selectors import unread_count

pytestmark = [pytest.mark.django_db, pytest.mark.urls("deputyhome.notifications.tests.urls")]


def note(user, subject="催办", link="/suggestions/1/", **kw):
    return Notification.objects.create(user=user, subject=subject, link=link, **kw)


def test_login_is_required(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_empty_state(personas, login):
    html = login(personas["deputy"]).get(reverse("notifications:list")).content.decode()
    assert "暂无通知" in html and "全部标为已读" not in html


def test_lists_own_in_site_notifications_unread_first(personas, login):
    me, other = personas["unit"], personas["city"]
    old_unread = note(me, "较早的未读")
    read = note(me, "已读的")
    read.read_at = read.created_at
    read.save()
    new_unread = note(me, "最新的未读")
    note(me, "邮件副本", channel=Channel.EMAIL)
    note(other, "别人的通知")
    response = login(me).get(reverse("notifications:list"))
    html = response.content.decode()
    assert [n.pk for n in response.context["page"].object_list] == [new_unread.pk, old_unread.pk, read.pk]
    assert "别人的通知" not in html and "邮件副本" not in html
    assert "未读 2 条" in html and "全部标为已读" in html
    assert reverse("notifications:read", args=[new_unread.pk]) in html


def test_read_marks_and_goes_to_the_target(personas, login):
    me = personas["unit"]
    n = note(me, link="/suggestions/12/")
    response = login(me).post(reverse("notifications:read", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/suggestions/12/"
    n.refresh_from_db()
    assert n.read_at is not None
    assert unread_count(me) == 0


@pytest.mark.parametrize(
    "link",
    ["", "https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "suggestions/1/"],
)
def test_only_same_site_relative_links_are_followed(personas, login, link):
    me = personas["unit"]
    n = note(me, link=link)
    response = login(me).post(reverse("notifications:read", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notifications:list")


def test_nobody_can_see_or_mark_another_users_notification(personas, login):
    theirs = note(personas["city"], "别人的通知")
    client = login(personas["unit"])
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[999999])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(reverse("notifications:read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_needs_post(personas, login):
    n = note(personas["unit"])
    client = login(personas["unit"])
    assert client.get(reverse("notifications:read", args=[n.pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read(personas, login):
    me = personas["unit"]
    for i in range(3):
        note(me, f"通知{i}")
    response = login(me).post(reverse("notifications:read_all"))
    assert response.status_code == 302 and response["Location"] == reverse("notifications:list")
    assert unread_count(me) == 0
    assert "未读 0 条" in login(me).get(reverse("notifications:list")).content.decode()


def test_pagination(personas, login):
    me = personas["unit"]
    for i in range(45):
        note(me, f"通知{i:02d}")
    client = login(me)
    first = client.get(reverse("notifications:list"))
    assert len(first.context["page"].object_list) == 20 and "第 1 / 3 页" in first.content.decode()
    last = client.get(reverse("notifications:list"), {"page": 3})
    assert len(last.context["page"].object_list) == 5
    assert "通知00" in last.content.decode()


def test_pages_run_on_from_the_unread_into_the_read(personas, login):
    """Unread first, newest first; the page that holds the last unread goes on with the newest read."""
    me = personas["unit"]
    read = [note(me, f"已读{i:02d}", read_at=timezone.now()) for i in range(10)]
    unread = [note(me, f"未读{i:02d}") for i in range(25)]
    client = login(me)
    first = read_page(client, reverse("notifications:list"))
    assert [n.pk for n in first.response.context["page"].object_list] == [n.pk for n in reversed(unread)][:20]
    second = read_page(client, reverse("notifications:list"), {"page": 2})
    shown = [n.pk for n in second.response.context["page"].object_list]
    assert shown == [n.pk for n in reversed(unread)][20:] + [n.pk for n in reversed(read)]
    assert "共 35 条，未读 25 条，第 2/2 页" in second.html
    # Each part read in its index's order: no sort of the whole inbox by an "unread" expression.
    assert not any("CASE" in sql for sql in first.sql + second.sql)
    assert second.queries == first.queries + 1  # the page that crosses reads both parts


def test_query_count_does_not_grow_with_the_inbox(personas, login):
    me = personas["unit"]
    client = login(me)
    note(me)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:list"))
    for i in range(30):
        note(me, f"通知{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("notifications:list"))
    assert len(many) == len(few)


def test_unread_count(personas, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    me = personas["unit"]
    note(me)
    note(me, channel=Channel.SMS)
    read = note(me)
    read.read_at = read.created_at
    read.save()
    assert unread_count(me) == 1
    assert unread_count(AnonymousUser()) == 0
