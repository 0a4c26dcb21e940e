"""One demo login per persona, all with the same published password."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.deputies.choices import GroupRole
from deputyhome.organisation.choices import CongressLevel

from . import data
from .deputies import Deputies
from .organisation import Organisation

DEMO_PASSWORD = "Demo-2026!"  # noqa: S105 - published on purpose: it is the demo's login
PERSONA_TOWNSHIP = "六角亭街道"
PERSONA_GROUP = "六角亭街道第一代表小组"
PERSONA_UNIT = "市住房和城乡建设局"
PERSONA_TOWNSHIP_UNIT = "白杨坪镇农业服务中心"

# (username, role, display name or None for the deputy's own name)
PERSONAS: list[tuple[str, str, str | None]] = [
    ("city", Role.CITY_OFFICER, "谭晓燕"),
    ("township", Role.TOWNSHIP_OFFICER, "向红梅"),
    ("townshipcongress", Role.TOWNSHIP_OFFICER, "田晓燕"),  # 白杨坪镇人大主席团办公室: a congress's desk
    ("group", Role.GROUP_LEADER, None),
    ("deputy", Role.DEPUTY, None),
    ("unit", Role.UNIT_CLERK, "李建华"),
    ("townshipunit", Role.UNIT_CLERK, "覃春兰"),
    ("supervisor", Role.SUPERVISOR, "田志刚"),
    ("leader", Role.LEADER, "杨光明"),
    ("sysadmin", Role.SYSTEM_ADMIN, "周涛"),
    ("secadmin", Role.SECURITY_ADMIN, "孙明"),
    ("auditor", Role.AUDIT_ADMIN, "黄丽"),
]
USERNAMES = [username for username, _role, _name in PERSONAS]


@dataclass
class Login:
    username: str
    role_label: str
    display_name: str
    anchor: str


def build_accounts(*, org: Organisation, deputies: Deputies, password: str = DEMO_PASSWORD) -> list[Login]:
    township = next(t for t in org.townships if t.name == PERSONA_TOWNSHIP)
    group = next(g for g in org.groups if g.name == PERSONA_GROUP)
    members = deputies.in_group(group)
    leader = next(p.deputy for p in members if p.role == GroupRole.LEADER)
    # The deputy persona holds a city mandate, so that it can make suggestions to the city congress.
    member = next(p.deputy for p in members if p.role == GroupRole.MEMBER and CongressLevel.CITY in p.levels)
    unit = next(u for u in org.units if u.name == PERSONA_UNIT)
    town = next(t for t in org.townships if t.name == data.TOWNSHIP_CONGRESS_TOWN)
    township_unit = next(u for u in org.township_units if u.name == PERSONA_TOWNSHIP_UNIT)
    anchors = {
        "city": {"region": org.city},
        "township": {"region": township},
        "group": {"group": group, "deputy": leader},
        "deputy": {"deputy": member},
        "unit": {"unit": unit},
        "townshipcongress": {"region": town},
        "townshipunit": {"unit": township_unit},
    }
    # One hash for all: hashing is deliberately slow and the password is the same anyway.
    hashed = make_password(password)
    users = []
    for username, role, display_name in PERSONAS:
        anchor = anchors.get(username, {})
        person = anchor.get("deputy")
        users.append(
            User(
                username=username,
                role=role,
                display_name=display_name or (person.name if person else username),
                password=hashed,
                **anchor,
            )
        )
    User.objects.bulk_create(users)
    return [
        Login(
            username=u.username,
            role_label=str(u.get_role_display()),
            display_name=u.display_name,
            anchor="、".join(str(v) for v in anchors.get(u.username, {}).values()),
        )
        for u in users
    ]
