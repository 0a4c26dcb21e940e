"""开通代表账号 in batches: an officer asks for the logins of the deputies of a filtered register; the system
administrator makes the accounts and downloads the 开通单 (the one-time passwords, nowhere else in clear); the
security administrator gives the roles the deputies' posts call for; the deputy signs in with the slip and must
change the password. Each step confirmed against the list shown, audited, refused to every other role."""

from __future__ import annotations

import datetime
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.audit.models import AuditEvent, AuditItem
from deputyhome.deputies import account_views
from deputyhome.deputies.models import AccountRequest, Mandate
from deputyhome.deputies.services import account_batches, account_requests
from deputyhome.deputies.services.account_batches import HANDOVER_DAYS
from deputyhome.notifications.models import Notification
from deputyhome.testing import change_password_when_asked, home_tiles, register_rows

pytestmark = pytest.mark.django_db

ASK = reverse("deputies:account_request_batch")
OPEN = reverse("deputies:accounts_open")
ROLES = reverse("deputies:accounts_roles")
OTHERS = ["group", "liaison", "deputy", "unit", "supervisor", "leader", "auditor"]


def _confirmed(client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="confirmed" value="([0-9a-f]+)"', html).group(1)


def _ask(client, query: str = "login=no") -> None:
    """As the logged-in officer: the batch page for the register filtered by `query`, confirmed."""
    confirmed = _confirmed(client, f"{ASK}?{query}")
    assert client.post(ASK, {"query": query, "confirmed": confirmed}).status_code == 302


def _open(client) -> list[list]:
    """As the system administrator: confirm the waiting list; the 开通单's lines (read back from the .xlsx)."""
    response = client.post(OPEN, {"confirmed": _confirmed(client, OPEN)})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == [
        "序号",
        "乡镇（街道）",
        "代表姓名",
        "代表编号",
        "用户名",
        "一次性密码",
        "有效期至",
        "首次登录短信验证",
    ]
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=3) if isinstance(row[0].value, int)]


def test_the_officer_asks_for_the_deputies_of_the_filtered_register(city, personas, client):
    client.force_login(personas["township"])  # township A: deputies_a[0] and [3] have logins
    register = client.get(reverse("deputies:list")).content.decode()
    assert f"{ASK}?login=no" in register and "批量申请开通账号" in register
    page = client.get(f"{ASK}?login=no").content.decode()
    listed = {row[0] for row in register_rows(page)}
    assert listed == {city.deputies_a[1].name, city.deputies_a[2].name}  # nobody of township B
    # One township: no township column, and a batch too large is split by group (the only filter shown).
    assert "<th>乡镇（街道）</th>" not in page and "请按代表小组筛选后分批申请" in page

    _ask(client)
    assert set(AccountRequest.objects.values_list("deputy", flat=True)) == {d.pk for d in city.deputies_a[1:3]}
    event = AuditEvent.objects.get(action="deputy.account_request")
    assert event.changes["items"] == 2 and event.actor == personas["township"]
    assert AuditItem.objects.filter(event=event).count() == 2
    [note] = Notification.objects.filter(user=personas["sysadmin"], channel="in_app")
    assert note.subject == "申请开通代表账号：2名代表" and note.link == OPEN
    # Asked: the week's rule holds for the batch too.
    assert "没有可以申请开通账号的代表" in client.get(f"{ASK}?login=no").content.decode()


def test_the_city_narrows_the_batch_with_the_registers_filters(city, personas, client):
    client.force_login(personas["city"])
    page = client.get(f"{ASK}?login=no&region={city.township_b.pk}").content.decode()
    assert {row[0] for row in register_rows(page)} == {d.name for d in city.deputies_b}
    assert "<th>乡镇（街道）</th>" in page and "请按乡镇（街道）或代表小组筛选后分批申请" in page
    assert all(row[3] == city.township_b.name for row in register_rows(page))
    _ask(client, f"login=no&region={city.township_b.pk}")
    assert AccountRequest.objects.count() == len(city.deputies_b)


def test_a_township_officer_cannot_reach_another_townships_deputies(city, personas, client):
    client.force_login(personas["township"])
    page = client.get(f"{ASK}?login=no&region={city.township_b.pk}").content.decode()
    # Another township's filter lists nobody, and says why (never the officer's whole township instead).
    assert "筛选条件有误" in page and not any(d.name in page for d in [*city.deputies_a, *city.deputies_b])
    response = client.post(ASK, {"query": f"login=no&region={city.township_b.pk}", "confirmed": "x"})
    assert response.status_code == 400 and not AccountRequest.objects.exists()


def test_a_list_changed_since_it_was_shown_is_refused(city, personas, client):
    client.force_login(personas["township"])
    confirmed = _confirmed(client, f"{ASK}?login=no")
    client.post(reverse("deputies:account_request", args=[city.deputies_a[1].pk]))  # one asked for meanwhile
    response = client.post(ASK, {"query": "login=no", "confirmed": confirmed})
    assert response.status_code == 400 and "名单在您打开本页后有变化" in response.content.decode()
    assert AccountRequest.objects.count() == 1


def test_too_many_at_once_is_refused_with_the_way_out(city, personas, client, monkeypatch):
    for module in (account_requests, account_views):
        monkeypatch.setattr(module, "BATCH_MAX", 1)
    client.force_login(personas["township"])
    page = client.get(f"{ASK}?login=no").content.decode()
    assert "请返回名册，按代表小组筛选后分批申请" in page and 'class="btn">确认申请' not in page
    response = client.post(ASK, {"query": "login=no", "confirmed": "x"})
    assert (
        response.status_code == 400 and "一次最多申请1名代表，请按代表小组筛选后分批申请" in response.content.decode()
    )
    client.force_login(personas["city"])
    response = client.post(ASK, {"query": "login=no", "confirmed": "x"})
    assert "一次最多申请1名代表，请按乡镇（街道）或代表小组筛选后分批申请" in response.content.decode()
    assert not AccountRequest.objects.exists()


@pytest.mark.parametrize("persona", [*OTHERS, "sysadmin", "secadmin"])
def test_only_the_officers_ask(city, personas, client, persona):
    client.force_login(personas[persona])
    assert client.get(f"{ASK}?login=no").status_code == 403
    assert client.post(ASK, {"query": "login=no", "confirmed": "x"}).status_code == 403
    assert not AccountRequest.objects.exists()


def test_the_accounts_are_made_with_a_handover_sheet_and_the_roles_given(city, personas, client):
    client.force_login(personas["township"])
    _ask(client)
    vice, liaison = city.deputies_a[1], city.deputies_a[2]  # group A's 副组长 and 联络员

    client.force_login(personas["sysadmin"])
    assert home_tiles(client, personas["sysadmin"])["待开通的代表账号"] == 2
    page = client.get(OPEN).content.decode()
    assert f"rd{vice.pk:07d}" in page and personas["township"].display_name in page
    lines = _open(client)
    assert [(line[2], line[3], line[4]) for line in lines] == [
        (vice.name, vice.pk, f"rd{vice.pk:07d}"),
        (liaison.name, liaison.pk, f"rd{liaison.pk:07d}"),
    ]
    codes = {line[4]: line[5] for line in lines}
    made = {u.username: u for u in User.objects.filter(deputy__in=[vice, liaison])}
    assert set(made) == set(codes)
    for username, user in made.items():
        assert user.role == Role.UNASSIGNED and user.display_name == user.deputy.name and user.is_active
        assert user.password.startswith("onetime_pbkdf2_sha256$") and codes[username] not in user.password
        assert user.check_password(codes[username])
        assert user.password_one_time_until > timezone.now() + datetime.timedelta(days=13)
    assert not AccountRequest.objects.filter(done_at__isnull=True).exists()
    event = AuditEvent.objects.get(action=account_batches.CREATED)
    assert event.actor == personas["sysadmin"] and event.changes["items"] == 2
    [to_sec] = Notification.objects.filter(user=personas["secadmin"], channel="in_app")
    assert to_sec.link == ROLES
    [to_asker] = Notification.objects.filter(user=personas["township"], channel="in_app")
    assert "2名代表的登录账号已开通" in to_asker.body
    assert "没有待开通的代表账号" in client.get(OPEN).content.decode()
    # The deputy's page tells the officer the account is there.
    client.force_login(personas["township"])
    assert f"已开通（rd{vice.pk:07d}，未分配角色）" in client.get(vice.get_absolute_url()).content.decode()

    client.force_login(personas["secadmin"])
    assert home_tiles(client, personas["secadmin"])["待分配角色的代表账号"] == 2
    rows = register_rows(client.get(ROLES).content.decode())
    assert [row[4] for row in rows] == [f"代表小组组长（{city.group_a.name}）", f"联络员（{city.group_a.name}）"]
    assert client.post(ROLES, {"confirmed": _confirmed(client, ROLES)}).status_code == 302
    vice_user, liaison_user = made[f"rd{vice.pk:07d}"], made[f"rd{liaison.pk:07d}"]
    vice_user.refresh_from_db()
    liaison_user.refresh_from_db()
    assert (vice_user.role, vice_user.group) == (Role.GROUP_LEADER, city.group_a)
    assert (liaison_user.role, liaison_user.group) == (Role.LIAISON_OFFICER, city.group_a)
    assert AuditEvent.objects.get(action=account_batches.GRANTED).changes["items"] == 2

    # The deputy signs in with the slip, must change the password first, then sees their own page.
    client.logout()
    login = {"username": liaison_user.username, "password": codes[liaison_user.username]}
    assert client.post(reverse("accounts:login"), login).status_code == 302
    change_password_when_asked(
        client, "deputies:me", codes[liaison_user.username], "Deputy-Own-2026!", phone=liaison.phone
    )
    assert client.get(liaison.get_absolute_url()).status_code == 200
    assert client.get(city.deputies_b[0].get_absolute_url()).status_code == 404  # another group's deputy
    # The password the deputy chose is hashed with the default hasher, never the one-time codes' fast one.
    assert not User.objects.get(pk=liaison_user.pk).password.startswith("onetime")

    # A slip not used within its days is void.
    client.logout()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=HANDOVER_DAYS, hours=1)):
        response = client.post(
            reverse("accounts:login"), {"username": vice_user.username, "password": codes[vice_user.username]}
        )
        assert response.status_code == 200 and "初始密码已过期" in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_usernames_taken_get_a_suffix_and_deputies_without_a_seat_wait_no_more(city, personas, client):
    client.force_login(personas["city"])
    _ask(client, f"login=no&region={city.township_b.pk}")
    first, gone = city.deputies_b[0], city.deputies_b[1]
    User.objects.create(username=f"rd{first.pk:07d}", display_name="手工建的")
    Mandate.objects.filter(deputy=gone).update(end_date=datetime.date(2026, 1, 1), status="ended")
    client.force_login(personas["sysadmin"])
    usernames = {line[2]: line[4] for line in _open(client)}
    assert usernames[first.name] == f"rd{first.pk:07d}-2" and gone.name not in usernames
    assert len(usernames) == len(city.deputies_b) - 1


def test_a_changed_list_makes_nothing(city, personas, client):
    client.force_login(personas["township"])
    _ask(client)
    client.force_login(personas["sysadmin"])
    confirmed = _confirmed(client, OPEN)
    client.force_login(personas["city"])
    _ask(client, f"login=no&region={city.township_b.pk}")
    client.force_login(personas["sysadmin"])
    response = client.post(OPEN, {"confirmed": confirmed})
    assert response.status_code == 400 and "名单在您打开本页后有变化" in response.content.decode()
    assert not User.objects.filter(username__startswith="rd").exists()
    assert not AuditEvent.objects.filter(action=account_batches.CREATED).exists()


@pytest.mark.parametrize("persona", [*OTHERS, "city", "township", "secadmin"])
def test_only_the_system_administrator_makes_the_accounts(city, personas, client, persona):
    client.force_login(personas["township"])
    _ask(client)
    client.force_login(personas[persona])
    assert client.get(OPEN).status_code == 403
    assert client.post(OPEN, {"confirmed": "x"}).status_code == 403
    assert not User.objects.filter(username__startswith="rd").exists()


@pytest.mark.parametrize("persona", [*OTHERS, "city", "township", "sysadmin"])
def test_only_the_security_administrator_gives_the_roles(city, personas, client, persona):
    User.objects.create(username="rd-x", deputy=city.deputies_a[2])
    client.force_login(personas[persona])
    assert client.get(ROLES).status_code == 403
    assert client.post(ROLES, {"confirmed": "x"}).status_code == 403
    assert User.objects.get(username="rd-x").role == Role.UNASSIGNED


def test_the_pages_read_as_many_queries_for_few_deputies_as_for_more(city, personas, client):
    def queries(persona: str, url: str) -> int:
        client.force_login(personas[persona])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    # The officer's list: township A's two, then township B's four.
    by_region = [queries("city", f"{ASK}?login=no&region={t.pk}") for t in (city.township_a, city.township_b)]
    assert by_region[0] == by_region[1]

    def sizes() -> tuple[int, int]:
        return queries("sysadmin", OPEN), queries("secadmin", ROLES)

    client.force_login(personas["township"])
    _ask(client)  # two waiting for an account
    User.objects.create(username="u1", deputy=city.deputies_b[3])  # one waiting for a role
    small = sizes()
    client.force_login(personas["city"])
    _ask(client, f"login=no&region={city.township_b.pk}")  # three more waiting
    for d in city.deputies_b[:2]:
        User.objects.create(username=f"u{d.pk}x", deputy=d)  # two of them now waiting for a role
    assert AccountRequest.objects.count() == 5 and User.objects.filter(role=Role.UNASSIGNED).count() == 3
    assert sizes() == small


def test_a_username_taken_with_every_suffix_is_refused_saying_which(city, personas, client):
    client.force_login(personas["township"])
    _ask(client)
    base = f"rd{city.deputies_a[1].pk:07d}"
    User.objects.bulk_create(User(username=n) for n in [base, *(f"{base}-{i}" for i in range(2, 10))])
    client.force_login(personas["sysadmin"])
    response = client.post(OPEN, {"confirmed": _confirmed(client, OPEN)})
    assert response.status_code == 400 and f"用户名{base}及{base}-2至{base}-9都已被占用" in response.content.decode()
    assert not User.objects.filter(deputy__isnull=False, role="unassigned").exists()
    assert AccountRequest.objects.filter(done_at__isnull=True).count() == 2


RENEW = reverse("deputies:accounts_renew")


def _made(client, personas) -> dict[str, str]:
    """Township A's two deputies asked for and their accounts made: username → one-time password."""
    client.force_login(personas["township"])
    _ask(client)
    client.force_login(personas["sysadmin"])
    return {line[4]: line[5] for line in _open(client)}


def test_slips_not_used_in_time_are_made_again(city, personas, client):
    codes = _made(client, personas)
    used, unused = sorted(codes)
    client.logout()
    assert client.post(reverse("accounts:login"), {"username": used, "password": codes[used]}).status_code == 302
    deputy = User.objects.get(username=used).deputy
    change_password_when_asked(client, "deputies:me", codes[used], "Deputy-Own-2026!", phone=deputy.phone)
    client.force_login(personas["sysadmin"])
    assert "没有开通单已过期的代表账号" in client.get(RENEW).content.decode()  # none expired yet

    with time_machine.travel(timezone.now() + datetime.timedelta(days=HANDOVER_DAYS, hours=1)):
        client.force_login(personas["sysadmin"])
        assert home_tiles(client, personas["sysadmin"])["开通单已过期的代表账号"] == 1
        assert [row[0] for row in register_rows(client.get(RENEW).content.decode())] == [unused]
        response = client.post(RENEW, {"confirmed": _confirmed(client, RENEW)})
        sheet = load_workbook(io.BytesIO(response.content)).active
        [line] = [[c.value for c in row] for row in sheet.iter_rows(min_row=3) if isinstance(row[0].value, int)]
        assert line[4] == unused and line[5] != codes[unused]
        account = User.objects.get(username=unused)
        assert account.check_password(line[5]) and not account.check_password(codes[unused])
        assert account.password_one_time_until > timezone.now() + datetime.timedelta(days=13)
        event = AuditEvent.objects.get(action=account_batches.RENEWED)
        assert event.changes["items"] == 1 and event.actor == personas["sysadmin"]
        assert "开通单已过期的代表账号" not in home_tiles(client, personas["sysadmin"])
        client.logout()
        login = {"username": unused, "password": line[5]}
        assert client.post(reverse("accounts:login"), login).status_code == 302


def test_a_renewal_checks_the_list_it_showed(city, personas, client):
    codes = _made(client, personas)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=HANDOVER_DAYS, hours=1)):
        client.force_login(personas["sysadmin"])
        confirmed = _confirmed(client, RENEW)
        User.objects.filter(username=sorted(codes)[0]).update(is_active=False)  # one disabled meanwhile
        response = client.post(RENEW, {"confirmed": confirmed})
        assert response.status_code == 400 and "名单在您打开本页后有变化" in response.content.decode()
        assert not AuditEvent.objects.filter(action=account_batches.RENEWED).exists()


@pytest.mark.parametrize("persona", [*OTHERS, "city", "township", "secadmin"])
def test_only_the_system_administrator_renews_slips(city, personas, client, persona):
    codes = _made(client, personas)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=HANDOVER_DAYS, hours=1)):
        client.force_login(personas[persona])
        assert client.get(RENEW).status_code == 403
        assert client.post(RENEW, {"confirmed": "x"}).status_code == 403
    assert all(User.objects.get(username=u).check_password(c) for u, c in codes.items())


def test_the_renewal_page_reads_as_many_queries_for_one_as_for_more(city, personas, client):
    _made(client, personas)
    client.force_login(personas["city"])
    _ask(client, f"login=no&region={city.township_b.pk}")
    client.force_login(personas["sysadmin"])
    _open(client)  # six accounts in all

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(RENEW).status_code == 200
        return len(ctx.captured_queries)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=HANDOVER_DAYS, hours=1)):
        client.force_login(personas["sysadmin"])
        more = queries()
        User.objects.filter(username__startswith="rd").exclude(
            pk=User.objects.filter(username__startswith="rd").order_by("pk")[0].pk
        ).update(password_one_time_until=None)
        assert len(register_rows(client.get(RENEW).content.decode())) == 1
        assert queries() == more


def test_a_deputy_without_a_post_in_a_group_gets_the_deputys_role(city, personas, client):
    """组员 (no post): 人大代表, no group. The 联络员 of group A is made a plain member before the roles are given."""
    from deputyhome.deputies.models import GroupMembership

    _made(client, personas)
    liaison = city.deputies_a[2]
    GroupMembership.objects.filter(deputy=liaison).update(role="member")
    client.force_login(personas["secadmin"])
    rows = {row[2]: row[4] for row in register_rows(client.get(ROLES).content.decode())}
    assert rows[str(liaison.pk)] == "人大代表"
    client.post(ROLES, {"confirmed": _confirmed(client, ROLES)})
    account = User.objects.get(deputy=liaison)
    assert (account.role, account.group_id) == (Role.DEPUTY, None)


def test_the_first_post_decides_between_groups(city):
    """A deputy with posts in two groups (a 联络员 here, a 组长 there): the 组长's role and group."""
    from deputyhome.deputies.models import GroupMembership
    from deputyhome.deputies.services.account_batches import group_posts, suggested_role

    liaison = city.deputies_a[2]
    GroupMembership.objects.create(
        deputy=liaison, group=city.group_b, role="leader", start_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    posts = group_posts([liaison.pk, city.deputies_a[3].pk])
    assert suggested_role(liaison.pk, posts) == (Role.GROUP_LEADER, city.group_b)
    assert suggested_role(city.deputies_a[3].pk, posts) == (Role.DEPUTY, None)


def test_the_officer_follows_each_login_from_the_request_to_the_first_login(city, personas, client):
    """The register's 登录账号 filter: 已申请、待开通 until the administrator makes the account, then 已开通、未首次登录
    until the deputy signs in with the slip; the deputy's page says which, and when the slip runs out."""
    asked = city.deputies_a[1:3]
    client.force_login(personas["township"])
    _ask(client)

    def listed(value: str) -> set[str]:
        client.force_login(personas["township"])
        html = client.get(reverse("deputies:list"), {"login": value}).content.decode()
        return {row[0] for row in register_rows(html)} if "<tbody" in html else set()  # else the empty state

    names = {d.name for d in asked}
    assert listed("asked") == names and listed("pending") == set()
    client.force_login(personas["sysadmin"])
    codes = {line[4]: line[5] for line in _open(client)}
    assert listed("asked") == set() and listed("pending") == names
    page = client.get(asked[0].get_absolute_url()).content.decode()
    assert "尚未首次登录（一次性密码有效期至" in page

    signed = User.objects.get(deputy=asked[1])
    client.logout()
    client.post(reverse("accounts:login"), {"username": signed.username, "password": codes[signed.username]})
    change_password_when_asked(client, "deputies:me", codes[signed.username], "Deputy-Own-2026!", phone=asked[1].phone)
    assert listed("pending") == {asked[0].name}
    assert "尚未首次登录" not in client.get(asked[1].get_absolute_url()).content.decode()
    client.force_login(personas["township_b"])  # another township's officer: none of them
    response = client.get(reverse("deputies:list"), {"login": "pending"})
    assert response.status_code == 200 and "<tbody" not in response.content.decode()

    with time_machine.travel(timezone.now() + datetime.timedelta(days=HANDOVER_DAYS, hours=1)):
        assert listed("pending") == {asked[0].name}
        page = client.get(asked[0].get_absolute_url()).content.decode()
        assert "未首次登录：请联系系统管理员重新生成开通单" in page


def test_the_batch_filtered_by_no_login_reads_the_logins_once(city, personas, client):
    """登录账号=未开通 is what the batch reads anyway: the list's query anti-joins the logins once (twice took a fifth
    of the page at a province)."""
    client.force_login(personas["city"])
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"{ASK}?login=no").content.decode()
    [listing] = [q["sql"] for q in queries.captured_queries if 'FROM "deputies_deputy"' in q["sql"]][:1]
    assert listing.count('"accounts_user"') == 1
    assert sorted(int(pk) for pk in re.findall(r"<td>(\d+)</td>", html)) == sorted(
        d.pk for d in (city.deputies_a[1], city.deputies_a[2], *city.deputies_b) if not hasattr(d, "user")
    )
