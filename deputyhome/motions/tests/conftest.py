"""Fixtures for motions: a small city with twelve city deputies (logins for all), its personas, a sitting session."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from deputyhome.conftest import PASSWORD

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
OPENS = datetime.date(2026, 1, 8)
CLOSES = datetime.date(2026, 1, 11)
DEADLINE = datetime.datetime(2026, 1, 10, 12, 0, tzinfo=TZ)  # the presidium's deadline: noon on the third day


def at(day: int, hour: int = 10, minute: int = 0, month: int = 1, year: int = 2026):
    """Travel to a moment of January 2026 (the session sits 8-11 January)."""
    return time_machine.travel(datetime.datetime(year, month, day, hour, minute, tzinfo=TZ), tick=False)


@dataclass
class Congresses:
    city: Any  # SmallCity
    personas: dict
    session: Any  # the city congress's session
    township_session: Any  # 白杨坪镇's congress session, the same days
    deputies: list  # the twelve city deputies (6 in A, 6 in B)
    users: dict  # deputy pk → login


@pytest.fixture
def cg(db) -> Congresses:
    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User
    from deputyhome.deputies.models import Mandate
    from deputyhome.organisation.models import Session
    from deputyhome.testing import build_small_city, make_personas

    sc = build_small_city(per_group=6)
    personas = make_personas(sc, password=PASSWORD)
    session = Session.objects.create(
        congress=sc.city_congress,
        number=6,
        name="恩施市第十一届人民代表大会第六次会议",
        start_date=OPENS,
        end_date=CLOSES,
        motion_deadline=DEADLINE,
    )
    township_session = Session.objects.create(
        congress=sc.township_congress_b,
        number=3,
        name="白杨坪镇第十九届人民代表大会第三次会议",
        start_date=OPENS,
        end_date=CLOSES,
    )
    for d in sc.deputies_b[1:]:  # every deputy of B sits in the township congress too
        Mandate.objects.create(deputy=d, congress=sc.township_congress_b, start_date=datetime.date(2021, 10, 1))
    deputies = sc.deputies_a + sc.deputies_b
    users = {u.deputy_id: u for u in User.objects.filter(deputy__isnull=False)}
    for d in deputies:
        if d.pk not in users:
            user = User(username=f"d{d.pk}", role=Role.DEPUTY, deputy=d, display_name=d.name)
            user.set_password(PASSWORD)
            user.save()
            users[d.pk] = user
    return Congresses(sc, personas, session, township_session, deputies, users)


def joint_motion(
    cg: Congresses, n_signers: int, *, session=None, lead=None, title: str = "关于推进城乡供水一体化的议案", avoid=()
):
    """A filed joint motion with `n_signers` listed (the lead and n-1 co-signers), none confirmed yet."""
    from deputyhome.motions import services

    session = session or cg.session
    pool = [d for d in cg.deputies if d.mandates.filter(congress=session.congress).exists()]
    lead = lead or pool[0]
    cosigners = [d for d in pool if d.pk != lead.pk and d.pk not in avoid][: n_signers - 1]
    assert len(cosigners) == n_signers - 1
    m = services.motion_create(
        session=session,
        lead=lead,
        data={
            "title": title,
            "grounds": "城乡供水标准不一，农村饮水安全保障不足。",
            "plan": "制定城乡供水一体化规划，分三年实施。",
        },
        cosigners=cosigners,
        actor=cg.users[lead.pk],
    )
    return services.motion_file(motion=m, actor=cg.users[lead.pk]), cosigners
