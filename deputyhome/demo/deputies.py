"""The demo city's 1,338 deputies: persons, their mandates at four levels, and their groups.

The mix follows the article (省州市乡四级代表 1338 名, 78 个代表小组): about 12 province,
70 prefecture, 280 city and 1,056 township mandates, 80 persons holding two levels. Streets
and the scenic-area office elect no township congress, so their groups are made only of
province, prefecture and city deputies and are smaller (13) than the rural ones (18–19).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from deputyhome.deputies.choices import Gender, GroupRole
from deputyhome.deputies.models import Deputy, GroupMembership, Mandate
from deputyhome.deputies.validators import id_check_digit, id_number_problem
from deputyhome.organisation.choices import CONGRESS_KINDS, CongressLevel, RegionKind
from deputyhome.organisation.models import DeputyGroup, Region

from . import data
from .draw import weighted
from .organisation import Organisation

P, F, C, T = CongressLevel.PROVINCE, CongressLevel.PREFECTURE, CongressLevel.CITY, CongressLevel.TOWNSHIP
# The levels each person holds, and how many persons hold them.
LEVEL_MIX: list[tuple[tuple[str, ...], int]] = [
    ((P,), 10),
    ((P, F), 2),
    ((F,), 38),
    ((F, C), 30),
    ((C,), 202),
    ((C, T), 48),
    ((T,), 1008),
]
TOTAL_DEPUTIES = sum(n for _levels, n in LEVEL_MIX)  # 1338
URBAN_GROUP_SIZE = 13
LEVEL_RANK = {P: 0, F: 1, C: 2, T: 3}
MEMBERSHIP_START = datetime.date(2021, 12, 1)


@dataclass
class Person:
    levels: tuple[str, ...]
    group: DeputyGroup | None = None
    township: Region | None = None
    role: str = GroupRole.MEMBER
    deputy: Deputy | None = None


@dataclass
class Deputies:
    persons: list[Person] = field(default_factory=list)
    mandates: int = 0
    memberships: int = 0

    def in_group(self, group: DeputyGroup) -> list[Person]:
        return [p for p in self.persons if p.group is group]


def _sizes(total: int, parts: int, rng: random.Random) -> list[int]:
    base, extra = divmod(total, parts)
    sizes = [base + 1] * extra + [base] * (parts - extra)
    rng.shuffle(sizes)
    return sizes


def _place(org: Organisation, rng: random.Random) -> list[Person]:
    """Decide who holds which levels and which group each person joins."""
    persons = [Person(levels=levels) for levels, n in LEVEL_MIX for _ in range(n)]
    higher = [p for p in persons if T not in p.levels]
    township_deputies = [p for p in persons if T in p.levels]
    rng.shuffle(higher)

    urban_groups = [g for g in org.groups if org.township_of(g.station).kind not in CONGRESS_KINDS]
    rural_groups = [g for g in org.groups if org.township_of(g.station).kind in CONGRESS_KINDS]
    urban_count = URBAN_GROUP_SIZE * len(urban_groups)
    assert urban_count <= len(higher), "too few city-level deputies for the streets' groups"
    urban, rural = higher[:urban_count], higher[urban_count:] + township_deputies
    rng.shuffle(rural)

    placed: list[Person] = []
    for groups, pool in ((urban_groups, urban), (rural_groups, rural)):
        start = 0
        for group, size in zip(groups, _sizes(len(pool), len(groups), rng), strict=True):
            members = pool[start : start + size]
            start += size
            # The most senior deputy leads, the next is vice leader, a grassroots deputy liaises.
            members.sort(key=lambda p: min(LEVEL_RANK[level] for level in p.levels))
            for i, person in enumerate(members):
                person.group = group
                person.township = org.township_of(group.station)
                if i == 0:
                    person.role = GroupRole.LEADER
                elif i == 1:
                    person.role = GroupRole.VICE_LEADER
                elif i == len(members) - 1:
                    person.role = GroupRole.LIAISON
            placed.extend(members)
    return placed


class _Identities:
    """Unique ID numbers and mobile phones, drawn from one seeded generator."""

    FIRST_BORN = datetime.date(1958, 1, 1)
    LAST_BORN = datetime.date(1996, 12, 31)
    MOBILE_PREFIXES = ["130", "133", "135", "137", "138", "139", "150", "151", "152", "158", "180", "186", "187", "199"]

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def birth_date(self) -> datetime.date:
        span = (self.LAST_BORN - self.FIRST_BORN).days
        return self.FIRST_BORN + datetime.timedelta(days=self.rng.randrange(span + 1))

    def id_number(self, born: datetime.date, gender: str) -> str:
        while True:
            # The 17th digit is odd for men and even for women (GB 11643-1999).
            serial = self.rng.randrange(0, 500) * 2 + (1 if gender == Gender.MALE else 0)
            first17 = f"{data.CITY_CODE}{born:%Y%m%d}{serial:03d}"
            if first17 not in self.ids:
                self.ids.add(first17)
                value = first17 + id_check_digit(first17)
                assert id_number_problem(value) is None, value
                return value

    def phone(self) -> str:
        while True:
            value = self.rng.choice(self.MOBILE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"
            if value not in self.phones:
                self.phones.add(value)
                return value


def _name(rng: random.Random, gender: str) -> str:
    pool = data.GIVEN_FEMALE if gender == Gender.FEMALE else data.GIVEN_MALE
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.8 else "")
    return rng.choice(data.SURNAMES) + given


def _company(rng: random.Random) -> str:
    return f"恩施市{rng.choice(data.COMPANY_PREFIXES)}{rng.choice(data.COMPANY_TRADES)}有限公司"


def _employer(rng: random.Random, person: Person, born: datetime.date, villages: list[Region]) -> str:
    township = person.township
    assert township is not None and person.group is not None
    top = min(person.levels, key=LEVEL_RANK.__getitem__)
    rural = township.kind in CONGRESS_KINDS
    if person.role == GroupRole.LEADER and top in (C, T):
        # A grassroots group is usually led by the secretary of the village or community it meets in.
        place = person.group.station.region.name
        return f"{township.name}{place}" + ("党支部书记、村委会主任" if rural else "党委书记、居委会主任")
    if top in (P, F) or (top == C and rng.random() < 0.5):
        kind = rng.randrange(3)
        if kind == 0:
            body = rng.choice(data.CITY_BODIES)
            head = ["局长", "副局长"] if body.endswith("局") else ["主任", "副主任"]
            titles = (head if born.year < 1982 else []) + ["办公室主任", "科长", "干部"]
            return f"恩施{body}{rng.choice(titles)}"
        if kind == 1:
            return _company(rng) + rng.choice(data.COMPANY_TITLES[:3])
        return rng.choice(data.URBAN_JOBS)
    if not rural:
        return rng.choice([*data.URBAN_JOBS, _company(rng) + rng.choice(data.COMPANY_TITLES)])
    job = rng.choice(data.RURAL_JOBS)
    return job.format(township=township.name, village=rng.choice(villages).name)


def _address(rng: random.Random, person: Person, villages: list[Region]) -> str:
    township = person.township
    assert township is not None
    if township.kind == RegionKind.STREET:
        return f"湖北省恩施市{rng.choice(data.ROADS)}{rng.randint(1, 300)}号"
    return f"湖北省恩施市{township.name}{rng.choice(villages).name}{rng.randint(1, 12)}组"


def build_deputies(*, org: Organisation, rng: random.Random) -> Deputies:
    persons = _place(org, rng)
    identities = _Identities(rng)

    rows = []
    for person in persons:
        assert person.township is not None
        villages = org.villages_of[person.township.pk]
        gender = Gender.FEMALE if rng.random() < 0.3 else Gender.MALE
        born = identities.birth_date()
        grassroots = person.levels == (T,)
        ethnicities = data.ETHNICITIES_DONG if person.township.name == "芭蕉侗族乡" else data.ETHNICITIES
        rows.append(
            Deputy(
                name=_name(rng, gender),
                gender=gender,
                ethnicity=weighted(rng, ethnicities),
                birth_date=born,
                party=weighted(rng, data.PARTIES),
                education=weighted(rng, data.EDUCATION_GRASSROOTS if grassroots else data.EDUCATION_HIGH),
                employer_title=_employer(rng, person, born, villages),
                phone=identities.phone(),
                id_number=identities.id_number(born, gender),
                address=_address(rng, person, villages),
                region=person.township,
            )
        )
    for person, deputy in zip(persons, Deputy.objects.bulk_create(rows), strict=True):
        person.deputy = deputy

    mandates = []
    memberships = []
    city_constituencies: dict[int, int] = {}
    for person in persons:
        assert person.township is not None and person.group is not None
        starts = []
        for level in person.levels:
            if level == T:
                congress = org.township_congresses[person.township.pk]
                constituency = f"{person.group.station.region.name}选区"
            elif level == C:
                congress = org.congresses[C]
                n = city_constituencies[person.township.pk] = city_constituencies.get(person.township.pk, 0) + 1
                constituency = f"{person.township.name}第{data.cn_number((n - 1) % 12 + 1)}选区"
            elif level == F:
                congress = org.congresses[F]
                constituency = "由恩施市人民代表大会选举"
            else:
                congress = org.congresses[P]
                constituency = "由恩施州人民代表大会选举"
            assert congress.start_date is not None
            starts.append(congress.start_date)
            mandates.append(
                Mandate(
                    deputy=person.deputy, congress=congress, constituency=constituency, start_date=congress.start_date
                )
            )
        memberships.append(
            GroupMembership(
                deputy=person.deputy,
                group=person.group,
                role=person.role,
                start_date=max(MEMBERSHIP_START, min(starts)),
            )
        )
    Mandate.objects.bulk_create(mandates)
    GroupMembership.objects.bulk_create(memberships)
    return Deputies(persons=persons, mandates=len(mandates), memberships=len(memberships))
