"""The administrators' 待办: the system administrator's accounts to review (deputies who left, dormant accounts,
accounts of deputies seated again), the security administrator's accounts waiting for a role; nobody else's."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.testing import home_tiles, register_rows

from .test_former_deputies import _change_term

pytestmark = pytest.mark.django_db

FORMER, IDLE, SEATED = "离任代表的启用账号", "90天以上未登录的启用账号", "代表资格已恢复、待重新启用的账号"
UNASSIGNED, OUTDATED, RETIRED = "待分配角色的账号", "已不任组长、联络员的账号", "所属单位已停用的经办人账号"
# The deputies app's tiles of 开通代表账号 (deputies/tests/test_account_batches.py).
TO_OPEN, TO_ROLE = "待开通的代表账号", "待分配角色的代表账号"


def _age(username: str, *, last_login_days: int | None, joined_days: int) -> None:
    now = timezone.now()
    last = now - datetime.timedelta(days=last_login_days) if last_login_days is not None else None
    User.objects.filter(username=username).update(
        last_login=last, date_joined=now - datetime.timedelta(days=joined_days)
    )


def test_the_system_administrators_accounts_to_review(city, personas, client):
    User.objects.update(date_joined=timezone.now(), last_login=None)
    _age("leader", last_login_days=120, joined_days=400)  # dormant
    _age("unit", last_login_days=None, joined_days=100)  # never signed in, made long ago
    _age("supervisor", last_login_days=10, joined_days=400)  # in use
    _age("township", last_login_days=None, joined_days=30)  # new
    User.objects.create(username="gone", role=Role.UNIT_CLERK, is_active=False, date_joined=timezone.now())
    User.objects.filter(username="gone").update(date_joined=timezone.now() - datetime.timedelta(days=400))
    assert home_tiles(client, personas["sysadmin"]) == {FORMER: 0, IDLE: 2, TO_OPEN: 0}

    _change_term(city, personas)
    assert home_tiles(client, personas["sysadmin"]) == {FORMER: 2, IDLE: 2, TO_OPEN: 0}
    html = client.get(reverse("core:dashboard")).content.decode()
    assert f'href="{reverse("accounts:former_deputies")}"' in html
    listed = client.get(reverse("accounts:user_list"), {"idle": "true", "is_active": "true"}).content.decode()
    assert {row[0] for row in register_rows(listed)} == {"leader", "unit"}
    in_use = client.get(reverse("accounts:user_list"), {"idle": "false"}).content.decode()
    assert "leader" not in {row[0] for row in register_rows(in_use)} and "supervisor" in in_use

    page = client.get(reverse("accounts:former_deputies")).content.decode()
    confirmed = page.split('name="confirmed" value="')[1].split('"')[0]
    client.post(reverse("accounts:former_deputies"), {"confirmed": confirmed})
    from deputyhome.deputies.services.term_undo import term_change_undo
    from deputyhome.organisation.models import Congress

    term_change_undo(
        congress=Congress.objects.get(level=city.city_congress.level, is_current=True), actor=personas["city"]
    )
    assert home_tiles(client, personas["sysadmin"]) == {FORMER: 0, IDLE: 2, TO_OPEN: 0, SEATED: 2}


def test_the_security_administrator_sees_the_accounts_waiting_for_a_role(city, personas, client):
    User.objects.create(username="new1", role=Role.UNASSIGNED)
    User.objects.create(username="new2", role=Role.UNASSIGNED, is_active=False)
    assert home_tiles(client, personas["secadmin"]) == {UNASSIGNED: 1, OUTDATED: 0, RETIRED: 0, TO_ROLE: 0}
    html = client.get(reverse("core:dashboard")).content.decode()
    link = f"{reverse('accounts:user_list')}?role=unassigned&amp;is_active=true"
    assert link in html
    assert {row[0] for row in register_rows(client.get(link.replace("&amp;", "&")).content.decode())} == {"new1"}


@pytest.mark.parametrize("persona", ["auditor", "city", "township", "group", "deputy", "unit", "leader"])
def test_nobody_else_sees_the_accounts(city, personas, client, persona):
    _change_term(city, personas)
    tiles = home_tiles(client, personas[persona])
    assert not {FORMER, IDLE, SEATED, UNASSIGNED, OUTDATED, RETIRED} & set(tiles)


def test_the_system_administrators_home_reads_the_same_queries_for_more_accounts(city, personas, client):
    """Computed (after a change) and served (the snapshot of the day), the same queries whatever the accounts."""
    from deputyhome.accounts import services

    _change_term(city, personas)
    client.force_login(personas["sysadmin"])

    def queries() -> tuple[int, int]:
        counts = []
        for _ in range(2):  # the first computes the counts (an account changed since), the second reads them
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("core:dashboard")).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts[0], counts[1]

    client.get(reverse("core:dashboard"))  # a snapshot stored, made stale by the next change
    services.user_update(user=personas["leader"], data={"display_name": "杨光明"}, actor=personas["sysadmin"])
    few = queries()
    for n, deputy in enumerate(city.deputies_a[1:3]):
        data = {"username": f"left{n}", "role": Role.DEPUTY, "deputy": deputy, "is_active": True}
        services.user_create(data=data, password="Left-2026-pass!", actor=personas["sysadmin"])
    more = queries()
    assert home_tiles(client, personas["sysadmin"])[FORMER] == 4
    assert more == few and few[1] < few[0]


def test_a_group_leaders_account_whose_deputy_no_longer_leads_the_group(city, personas, client):
    """The group leader's account keeps seeing the group after a new leader is elected: the security administrator
    is shown it (and changes its role); a vice leader's account, one without a deputy, and one still leading are
    not shown."""
    from deputyhome.accounts import services
    from deputyhome.deputies import services as deputy_services
    from deputyhome.deputies.choices import GroupRole
    from deputyhome.deputies.models import GroupMembership

    vice = city.deputies_a[1]  # 副组长 of group A
    User.objects.create(username="vice", role=Role.GROUP_LEADER, group=city.group_a, deputy=vice)
    User.objects.create(username="nodeputy", role=Role.GROUP_LEADER, group=city.group_a)
    outdated = reverse("accounts:user_list") + "?outdated=true&is_active=true"
    assert home_tiles(client, personas["secadmin"])[OUTDATED] == 0

    # A new leader: the old one (the "group" persona's deputy) becomes a member.
    leading = GroupMembership.objects.get(deputy=city.deputies_a[0], group=city.group_a)
    deputy_services.membership_update(membership=leading, data={"role": GroupRole.MEMBER}, actor=personas["city"])
    assert home_tiles(client, personas["secadmin"])[OUTDATED] == 1
    html = client.get(reverse("core:dashboard")).content.decode()
    assert f'href="{outdated.replace("&", "&amp;")}"' in html
    assert {row[0] for row in register_rows(client.get(outdated).content.decode())} == {"group"}
    others = register_rows(client.get(reverse("accounts:user_list"), {"outdated": "false"}).content.decode())
    assert {"vice", "nodeputy", "city"} <= {row[0] for row in others} and "group" not in {row[0] for row in others}

    page = client.get(reverse("accounts:user_detail", args=[personas["group"].pk])).content.decode()
    assert "今天已不是" in page and "组长或副组长" in page
    assert (
        "组长或副组长"
        not in client.get(reverse("accounts:user_detail", args=[User.objects.get(username="vice").pk])).content.decode()
    )

    # The security administrator makes it a deputy's account: no longer listed.
    services.user_update(user=personas["group"], data={"role": Role.DEPUTY, "group": None}, actor=personas["secadmin"])
    assert home_tiles(client, personas["secadmin"])[OUTDATED] == 0


def test_a_liaison_officers_account_whose_deputy_is_no_longer_the_groups_liaison(city, personas, client):
    """A deputy's 联络员 account (its role given from the group post, 开通代表账号) is shown once the deputy is no longer
    the group's 联络员; a liaison officer who is not a deputy (the "liaison" persona) is never checked."""
    from deputyhome.deputies import services as deputy_services
    from deputyhome.deputies.choices import GroupRole
    from deputyhome.deputies.models import GroupMembership

    liaison = city.deputies_a[2]  # 联络员 of group A
    account = User.objects.create(username="liaison2", role=Role.LIAISON_OFFICER, group=city.group_a, deputy=liaison)
    assert home_tiles(client, personas["secadmin"])[OUTDATED] == 0
    post = GroupMembership.objects.get(deputy=liaison, group=city.group_a)
    deputy_services.membership_update(membership=post, data={"role": GroupRole.MEMBER}, actor=personas["city"])
    assert home_tiles(client, personas["secadmin"])[OUTDATED] == 1
    listed = client.get(reverse("accounts:user_list"), {"outdated": "true", "is_active": "true"}).content.decode()
    assert {row[0] for row in register_rows(listed)} == {"liaison2"}
    page = client.get(reverse("accounts:user_detail", args=[account.pk])).content.decode()
    assert f"今天已不是{city.group_a}的联络员" in page


def test_a_clerks_account_whose_unit_is_no_longer_in_use(city, personas, client):
    """A unit merged or abolished (在用: 否): its clerk's account still sees its suggestions; the security
    administrator is shown it, and its page says what to do."""
    from deputyhome.organisation import services as org_services

    assert home_tiles(client, personas["secadmin"])[RETIRED] == 0
    org_services.unit_update(unit=city.unit_a, data={"is_active": False}, actor=personas["city"])
    assert home_tiles(client, personas["secadmin"])[RETIRED] == 1
    listed = client.get(reverse("accounts:user_list"), {"retired_unit": "true", "is_active": "true"}).content.decode()
    assert {row[0] for row in register_rows(listed)} == {"unit"}
    others = client.get(reverse("accounts:user_list"), {"retired_unit": "false"}).content.decode()
    assert "unit" not in {row[0] for row in register_rows(others)} and "city" in others
    page = client.get(reverse("accounts:user_detail", args=[personas["unit"].pk])).content.decode()
    assert f"所属承办单位{city.unit_a}已停用" in page
