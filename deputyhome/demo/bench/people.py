"""The bench province's deputies (a person, their mandates at one or two levels, their group) and one login
per persona, anchored like the demo's."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.deputies.choices import Gender, GroupRole
from deputyhome.deputies.models import AccountRequest, Deputy, GroupMembership, Mandate
from deputyhome.deputies.validators import id_check_digit
from deputyhome.organisation.choices import CONGRESS_KINDS, CongressLevel
from deputyhome.organisation.models import Region

from .. import data
from ..accounts import DEMO_PASSWORD
from ..draw import weighted
from .bulk import BATCH, insert, insert_count
from .regions import Org
from .shape import Shape

P, F, C, T = CongressLevel.PROVINCE, CongressLevel.PREFECTURE, CongressLevel.CITY, CongressLevel.TOWNSHIP
MOBILE_PREFIXES = ["130", "133", "135", "137", "138", "139", "150", "151", "152", "158", "180", "186", "187", "199"]


@dataclass(slots=True)
class Person:
    """What later steps need of a deputy, without holding 100,000 model instances."""

    pk: int
    township: Region
    group_index: int
    levels: tuple[str, ...]
    role: str


@dataclass
class People:
    persons: list[Person] = field(default_factory=list)
    mandates: int = 0
    memberships: int = 0
    by_township: dict[int, list[Person]] = field(default_factory=dict)
    by_group: dict[int, list[Person]] = field(default_factory=dict)


def _levels(rng: random.Random, township: Region) -> tuple[str, ...]:
    has_t = township.kind in CONGRESS_KINDS
    r = rng.random()
    if r < 0.007:
        return (P, F) if rng.random() < 0.15 else (P,)
    if r < 0.057:
        return (F, C) if rng.random() < 0.2 else (F,)
    if r < 0.277 or not has_t:
        return (C, T) if has_t and rng.random() < 0.1 else (C,)
    return (T,)


def _name(rng: random.Random, gender: str) -> str:
    pool = data.GIVEN_FEMALE if gender == Gender.FEMALE else data.GIVEN_MALE
    return rng.choice(data.SURNAMES) + rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.8 else "")


def build_people(org: Org, shape: Shape, rng: random.Random) -> People:
    people = People()
    sizes = [shape.deputies // len(org.groups)] * len(org.groups)
    for i in range(shape.deputies - sum(sizes)):
        sizes[i] += 1
    ids: set[str] = set()
    first_born = datetime.date(1960, 1, 1)
    plan: list[tuple[Deputy, Person]] = []
    n = 0
    for gi, (township, size) in enumerate(zip(org.group_township, sizes, strict=True)):
        for k in range(size):
            gender = Gender.FEMALE if rng.random() < 0.3 else Gender.MALE
            born = first_born + datetime.timedelta(days=rng.randrange(36 * 365))
            while True:
                serial = rng.randrange(500) * 2 + (1 if gender == Gender.MALE else 0)
                first17 = f"{township.code[:6]}{born:%Y%m%d}{serial:03d}"
                if first17 not in ids:
                    ids.add(first17)
                    break
            phone = rng.choice(MOBILE_PREFIXES) + f"{(n * 7_919_333 + 12_345) % 100_000_000:08d}"
            n += 1
            role = GroupRole.LEADER if k == 0 else GroupRole.VICE_LEADER if k == 1 else GroupRole.MEMBER
            if k == size - 1 and size > 3:
                role = GroupRole.LIAISON
            deputy = Deputy(
                name=_name(rng, gender),
                gender=gender,
                ethnicity=weighted(rng, data.ETHNICITIES),
                birth_date=born,
                party=weighted(rng, data.PARTIES),
                education=weighted(rng, data.EDUCATION_GRASSROOTS),
                employer_title=f"{township.name}{rng.choice(['农业服务中心', '中心学校', '卫生院', '村委会'])}",
                phone=phone,
                id_number=first17 + id_check_digit(first17),
                address=f"{township.name}{rng.randint(1, 12)}组",
                region=township,
            )
            plan.append((deputy, Person(0, township, gi, _levels(rng, township), role)))
            if len(plan) >= BATCH:
                _flush(plan, people)
    _flush(plan, people)
    people.mandates = insert_count(Mandate, _mandates(org, people))
    people.memberships = insert_count(GroupMembership, _memberships(org, people))
    return people


def _flush(plan: list[tuple[Deputy, Person]], people: People) -> None:
    created = insert(Deputy, [d for d, _p in plan]) if plan else []
    for deputy, (_d, person) in zip(created, plan, strict=True):
        person.pk = deputy.pk
        people.persons.append(person)
        people.by_township.setdefault(person.township.pk, []).append(person)
        people.by_group.setdefault(person.group_index, []).append(person)
    plan.clear()


def congress_for(org: Org, person: Person, level: str):
    township = person.township
    region = {
        P: org.province,
        F: org.prefecture_of(township),
        C: org.county_of(township),
        T: township,
    }[level]
    return org.congress_of[region.pk]


def _mandates(org: Org, people: People):
    for person in people.persons:
        for level in person.levels:
            congress = congress_for(org, person, level)
            yield Mandate(
                deputy_id=person.pk,
                congress=congress,
                constituency=f"{person.township.name}选区",
                start_date=congress.start_date,
            )


def _memberships(org: Org, people: People):
    start = next(iter(org.congress_of.values())).start_date + datetime.timedelta(days=61)
    for person in people.persons:
        group = org.groups[person.group_index]
        yield GroupMembership(deputy_id=person.pk, group=group, role=person.role, start_date=start)


# (username, role, display name); the deputies' logins take the deputy's name.
PERSONAS: list[tuple[str, str, str]] = [
    ("bench_city", Role.CITY_OFFICER, "省人大代工委工作人员"),
    ("bench_township", Role.TOWNSHIP_OFFICER, "乡镇人大工作人员"),
    ("bench_group", Role.GROUP_LEADER, ""),
    ("bench_deputy", Role.DEPUTY, ""),
    ("bench_unit", Role.UNIT_CLERK, "承办单位经办人"),
    ("bench_supervisor", Role.SUPERVISOR, "督办人员"),
    ("bench_leader", Role.LEADER, "领导"),
    ("bench_sysadmin", Role.SYSTEM_ADMIN, "系统管理员"),
    ("bench_secadmin", Role.SECURITY_ADMIN, "安全管理员"),
]


def build_users(org: Org, people: People) -> dict[str, User]:
    """One login per persona; the township, group, deputy and unit are the first of their kind with work."""
    township = next(t for t in org.townships if t.kind in CONGRESS_KINDS and people.by_township.get(t.pk))
    group_index = next(p.group_index for p in people.by_township[township.pk])
    members = people.by_group[group_index]
    leader = members[0]
    member = next((p for p in members[1:] if C in p.levels), members[-1])
    anchors = {
        "bench_city": {"region": org.province},
        "bench_township": {"region": township},
        "bench_group": {"group": org.groups[group_index], "deputy_id": leader.pk},
        "bench_deputy": {"deputy_id": member.pk},
        "bench_unit": {"unit": org.units_for(org.county_of(township))[0]},
    }
    names = dict(Deputy.objects.filter(pk__in=[leader.pk, member.pk]).values_list("pk", "name"))
    hashed = make_password(DEMO_PASSWORD)
    users = []
    for username, role, display in PERSONAS:
        anchor = anchors.get(username, {})
        users.append(
            User(
                username=username,
                role=role,
                display_name=display or names.get(anchor.get("deputy_id"), username),
                password=hashed,
                password_changed_at=timezone.now(),
                **anchor,
            )
        )
    return {u.username: u for u in insert(User, users)}


# A province just after a roster import, one deputy in a hundred each way: still without a login, asked for (开通代表
# 账号 lists them); with a login just made, its one-time password unused and no role yet (为代表账号分配角色).
WAITING, NEW = 0, 1  # the deputy's id modulo 100


def build_logins(people: People, personas: dict[str, User]) -> tuple[int, int]:
    """A login for every other deputy, as at a province whose deputies use their phones (the administrators'
    pages read them: the user register, the accounts to review), but for those waiting for one (`WAITING`), asked
    for by the city persona, and those just made (`NEW`); how many logins and requests."""
    taken = {u.deputy_id for u in personas.values() if u.deputy_id}
    hashed, stamp = make_password(DEMO_PASSWORD), timezone.now()
    until = stamp + datetime.timedelta(days=14)
    others = [p for p in people.persons if p.pk not in taken]
    logins = (
        User(
            username=f"dep{person.pk:07d}",
            role=Role.UNASSIGNED if person.pk % 100 == NEW else Role.DEPUTY,
            display_name=f"代表{person.pk}",
            deputy_id=person.pk,
            password=hashed,
            password_changed_at=stamp,
            password_one_time_until=until if person.pk % 100 == NEW else None,
        )
        for person in others
        if person.pk % 100 != WAITING
    )
    asker = personas["bench_city"]
    requests = (
        AccountRequest(deputy_id=person.pk, asked_by=asker, asked_at=stamp)
        for person in others
        if person.pk % 100 == WAITING
    )
    return insert_count(User, logins), insert_count(AccountRequest, requests)
