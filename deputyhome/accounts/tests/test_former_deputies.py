"""停用离任代表账号: after 换届 (or a seat ended), the system administrator disables the deputy and group-leader
logins of deputies who no longer sit in one confirmed step, audited as one batch; nothing else is touched."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.audit.models import AuditEvent, AuditItem
from deputyhome.deputies.services.term_change import term_change
from deputyhome.testing import register_rows

pytestmark = pytest.mark.django_db

URL = reverse("accounts:former_deputies")
SEATED = reverse("accounts:seated_deputies")


def _change_term(city, personas) -> None:
    """The city congress's term ends: the group leader's and the deputy's deputies leave (they hold no other seat)."""
    term_change(
        congress=city.city_congress,
        data={"term": 12, "name": "", "start_date": datetime.date(2026, 11, 20)},
        actor=personas["city"],
    )


def _active() -> dict[str, bool]:
    return dict(User.objects.values_list("username", "is_active"))


def _digest(html: str) -> str:
    marker = 'name="confirmed" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_the_administrator_disables_the_logins_of_deputies_who_left(city, personas, client):
    _change_term(city, personas)
    before = _active()
    client.force_login(personas["sysadmin"])
    page = client.get(URL).content.decode()
    assert "以下 <strong>2</strong> 个" in page
    assert {row[0] for row in register_rows(page)} == {"group", "deputy"}
    assert "2026-11-19" in page  # the day their seats ended
    detail = client.get(reverse("accounts:user_detail", args=[personas["deputy"].pk])).content.decode()
    assert "代表本人今天已没有代表资格" in detail
    assert "代表资格" not in client.get(reverse("accounts:user_detail", args=[personas["city"].pk])).content.decode()

    response = client.post(URL, {"confirmed": _digest(page)})
    assert response.status_code == 302
    after = _active()
    assert not after["group"] and not after["deputy"]
    assert {k: v for k, v in after.items() if k not in ("group", "deputy")} == {
        k: v for k, v in before.items() if k not in ("group", "deputy")
    }
    event = AuditEvent.objects.get(action="user.disable_former_deputies")
    assert event.actor == personas["sysadmin"] and event.changes["items"] == 2
    items = AuditItem.objects.filter(event=event)
    assert {i.object_id for i in items} == {str(personas["group"].pk), str(personas["deputy"].pk)}
    assert all(i.changes == {"is_active": [True, False]} for i in items)
    assert "已停用2个代表账号" in client.get(response["Location"]).content.decode()

    # The disabled deputy's session ends at its next request; the page now says there is nothing left.
    client.force_login(personas["deputy"])
    User.objects.filter(pk=personas["deputy"].pk).update(is_active=False)  # force_login ignores is_active
    response = client.get(reverse("deputies:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(personas["sysadmin"])
    assert "没有需要停用的离任代表账号" in client.get(URL).content.decode()


def test_liaison_officers_administrators_and_seated_deputies_are_left(city, personas, client):
    """A liaison officer may not be a deputy; an administrator's account is not another's to disable (三员分立); a
    disabled account is not counted again; a deputy still seated is not listed."""
    User.objects.filter(username="liaison").update(deputy=city.deputies_a[1])
    User.objects.filter(username="secadmin").update(deputy=city.deputies_a[2])
    _change_term(city, personas)
    User.objects.filter(username="deputy").update(is_active=False)
    client.force_login(personas["sysadmin"])
    page = client.get(URL).content.decode()
    assert {row[0] for row in register_rows(page)} == {"group"}
    client.post(URL, {"confirmed": _digest(page)})
    active = _active()
    assert active["liaison"] and active["secadmin"] and active["sysadmin"] and not active["group"]


def test_a_list_changed_since_the_page_was_read_is_refused_and_nothing_written(city, personas, client):
    _change_term(city, personas)
    client.force_login(personas["sysadmin"])
    digest = _digest(client.get(URL).content.decode())
    User.objects.filter(username="group").update(is_active=False)  # another administrator disabled one meanwhile
    before, events = _active(), AuditEvent.objects.count()
    response = client.post(URL, {"confirmed": digest})
    assert response.status_code == 400
    page = response.content.decode()
    assert "名单在您打开本页后有变化" in page and "以下 <strong>1</strong> 个" in page
    assert _active() == before and AuditEvent.objects.count() == events
    assert client.post(URL, {"confirmed": ""}).status_code == 400 and _active() == before


def test_nothing_to_disable_is_said_and_a_post_writes_nothing(city, personas, client):
    client.force_login(personas["sysadmin"])
    assert "没有需要停用的离任代表账号" in client.get(URL).content.decode()
    events = AuditEvent.objects.count()
    response = client.post(URL, {"confirmed": "x"})
    assert response.status_code == 400 and "没有需要停用的离任代表账号" in response.content.decode()
    assert AuditEvent.objects.filter(action="user.disable_former_deputies").count() == 0
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("persona", ["secadmin", "auditor", "city", "township", "group", "deputy", "unit", "leader"])
def test_only_the_system_administrator_may(city, personas, client, persona):
    _change_term(city, personas)
    client.force_login(personas["sysadmin"])
    digest = _digest(client.get(URL).content.decode())
    before = _active()
    client.force_login(personas[persona])
    for url in (URL, SEATED):
        assert client.get(url).status_code == 403
        assert client.post(url, {"confirmed": digest}).status_code == 403
    assert _active() == before
    assert not AuditEvent.objects.filter(action__startswith="user.", action__contains="deputies").exists()
    if persona == "secadmin":  # sees the user register, without the link
        assert URL not in client.get(reverse("accounts:user_list")).content.decode()


def test_the_register_links_the_page_for_the_system_administrator(city, personas, client):
    client.force_login(personas["sysadmin"])
    assert URL in client.get(reverse("accounts:user_list")).content.decode()


def test_the_page_reads_the_same_queries_for_more_accounts(city, personas, client):
    _change_term(city, personas)
    client.force_login(personas["sysadmin"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for n, deputy in enumerate(city.deputies_a[1:3]):
        User.objects.create(username=f"left{n}", role=Role.DEPUTY, deputy=deputy, display_name=deputy.name)
    assert "以下 <strong>4</strong> 个" in client.get(URL).content.decode()
    assert queries() == few


def test_the_logins_of_deputies_seated_again_are_enabled_again(city, personas, client):
    """A term change undone seats the deputies again: the accounts disabled as former deputies are listed and enabled
    in one step; an account disabled one by one (not as a former deputy) is not."""
    from deputyhome.accounts import services
    from deputyhome.deputies.services.term_undo import term_change_undo

    _change_term(city, personas)
    client.force_login(personas["sysadmin"])
    assert "没有需要重新启用的代表账号" in client.get(SEATED).content.decode()
    client.post(URL, {"confirmed": _digest(client.get(URL).content.decode())})
    new = city.city_congress.__class__.objects.get(is_current=True, level=city.city_congress.level)
    term_change_undo(congress=new, actor=personas["city"])
    services.user_update(user=personas["township"], data={"is_active": False}, actor=personas["sysadmin"])
    # A seated deputy's login disabled one by one (a lost phone, say): not the batch's to enable.
    User.objects.create(username="kept", role=Role.DEPUTY, deputy=city.deputies_b[0], is_active=False)

    page = client.get(SEATED).content.decode()
    assert {row[0] for row in register_rows(page)} == {"group", "deputy"}
    response = client.post(SEATED, {"confirmed": _digest(page)})
    assert response.status_code == 302
    active = _active()
    assert active["group"] and active["deputy"] and not active["township"] and not active["kept"]
    event = AuditEvent.objects.get(action="user.enable_seated_deputies")
    items = AuditItem.objects.filter(event=event)
    assert items.count() == 2 and all(i.changes == {"is_active": [False, True]} for i in items)
    assert "已重新启用2个代表账号" in client.get(response["Location"]).content.decode()
    assert "没有需要重新启用的代表账号" in client.get(SEATED).content.decode()


def test_an_account_disabled_again_by_hand_is_not_the_batchs_to_enable(city, personas, client):
    """Disabled as a former deputy, enabled by hand, disabled by hand again (a lost phone): when the deputy sits
    again, the administrator's decision stands; the account left alone since the batch is listed."""
    from deputyhome.accounts import services
    from deputyhome.deputies.services.term_undo import term_change_undo

    _change_term(city, personas)
    client.force_login(personas["sysadmin"])
    client.post(URL, {"confirmed": _digest(client.get(URL).content.decode())})
    assert set(User.objects.filter(disabled_as_former=True).values_list("username", flat=True)) == {"group", "deputy"}
    deputy = User.objects.get(username="deputy")
    services.user_update(user=deputy, data={"is_active": True}, actor=personas["sysadmin"])
    deputy.refresh_from_db()
    services.user_update(user=deputy, data={"is_active": False}, actor=personas["sysadmin"])
    new = city.city_congress.__class__.objects.get(is_current=True, level=city.city_congress.level)
    term_change_undo(congress=new, actor=personas["city"])

    page = client.get(SEATED).content.decode()
    assert {row[0] for row in register_rows(page)} == {"group"}
    client.post(SEATED, {"confirmed": _digest(page)})
    active = _active()
    assert active["group"] and not active["deputy"]
    assert not User.objects.filter(disabled_as_former=True).exists()
