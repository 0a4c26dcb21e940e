"""待办 on the home page for activities: problems found wait for the officers of their township,
referrals wait for their unit; other townships' and units' items are not counted."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from deputyhome.activities import services
from deputyhome.testing import home_tiles

pytestmark = pytest.mark.django_db


def test_open_problems_count_for_the_township_and_the_city_only(client, personas, problem, problem_b):
    assert home_tiles(client, personas["township"])["发现问题待处理"] == 1  # not 白杨坪镇's
    assert home_tiles(client, personas["township_b"])["发现问题待处理"] == 1
    assert home_tiles(client, personas["city"])["发现问题待处理"] == 2
    assert "发现问题待处理" not in home_tiles(client, personas["deputy"])
    client.force_login(personas["township"])
    html = client.get(reverse("core:dashboard")).content.decode()
    assert f'href="{reverse("activities:problem_list")}?status=open"' in html


def test_a_forwarded_problem_waits_for_its_unit_and_turns_overdue(client, personas, city, problem, problem_b, today):
    services.problem_forward(
        problem=problem, unit=city.unit_a, actor=personas["township"], due_on=today + datetime.timedelta(days=10)
    )
    assert home_tiles(client, personas["township"])["发现问题待处理"] == 0
    assert home_tiles(client, personas["township"])["转交事项逾期未答复"] == 0
    unit_tiles = home_tiles(client, personas["unit"])
    assert unit_tiles["转交事项待答复"] == 1
    services.problem_forward(
        problem=problem_b, unit=city.unit_b, actor=personas["township_b"], due_on=today + datetime.timedelta(days=1)
    )
    assert home_tiles(client, personas["unit"])["转交事项待答复"] == 1  # unit B's referral is not unit A's business
    with time_machine.travel(today + datetime.timedelta(days=3)):  # B's due date has passed, A's has not
        assert home_tiles(client, personas["township_b"])["转交事项逾期未答复"] == 1
        assert home_tiles(client, personas["township"])["转交事项逾期未答复"] == 0
        assert home_tiles(client, personas["city"])["转交事项逾期未答复"] == 1
        # the tile's list shows exactly the overdue one
        listed = client.get(f"{reverse('activities:referral_list')}?overdue=true").content.decode()
        assert "洞下槽村茶园便道损毁" in listed and "西门社区老街路灯损坏" not in listed
