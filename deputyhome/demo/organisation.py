"""The demo city's organisation: regions (湖北省 and 恩施州 above the city), 19 homes, 78 liaison stations, 78 groups, units, congresses."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from deputyhome.core import workdays
from deputyhome.organisation.choices import CONGRESS_KINDS, CongressLevel, RegionKind, StationKind, UnitKind
from deputyhome.organisation.models import Congress, DeputyGroup, HandlingUnit, Region, Session, Station
from deputyhome.organisation.naming import natural_key

from . import data

CITY_TERM_START = datetime.date(2021, 10, 1)
TOWNSHIP_TERM_START = datetime.date(2021, 10, 1)
PREFECTURE_TERM_START = datetime.date(2022, 1, 1)
PROVINCE_TERM_START = datetime.date(2023, 1, 1)


@dataclass
class Organisation:
    city: Region
    province: Region | None = None
    prefecture: Region | None = None
    townships: list[Region] = field(default_factory=list)
    villages: list[Region] = field(default_factory=list)
    homes: list[Station] = field(default_factory=list)
    stations: list[Station] = field(default_factory=list)
    groups: list[DeputyGroup] = field(default_factory=list)
    units: list[HandlingUnit] = field(default_factory=list)  # the city's (市直)
    township_units: list[HandlingUnit] = field(default_factory=list)  # 白杨坪镇's offices and village committee
    offices: dict[int, list[HandlingUnit]] = field(default_factory=dict)  # township pk → its congress's units
    congresses: dict[str, Congress] = field(default_factory=dict)  # level → congress (not township)
    township_congresses: dict[int, Congress] = field(default_factory=dict)  # township pk → congress
    sessions: list[Session] = field(default_factory=list)
    township_by_pk: dict[int, Region] = field(default_factory=dict)
    villages_of: dict[int, list[Region]] = field(default_factory=dict)  # township pk → its villages, in order

    def township_of(self, station: Station) -> Region:
        """The township-level unit of a liaison station (stations sit in a village or community)."""
        return self.township_by_pk[station.region.parent_id]


def _phone(rng: random.Random) -> str:
    return f"0718-8{rng.randrange(0, 1_000_000):06d}"


def build_organisation(*, rng: random.Random, today: datetime.date) -> Organisation:
    # The province and the prefecture above the city; an installation that already holds them keeps them.
    province, _ = Region.objects.get_or_create(
        code=data.PROVINCE_CODE, defaults={"name": data.PROVINCE_NAME, "kind": RegionKind.PROVINCE}
    )
    prefecture, _ = Region.objects.get_or_create(
        code=data.PREFECTURE_CODE,
        defaults={"name": data.PREFECTURE_NAME, "kind": RegionKind.PREFECTURE, "parent": province},
    )
    city = Region.objects.create(code=data.CITY_CODE, name=data.CITY_NAME, kind=RegionKind.CITY, parent=prefecture)
    org = Organisation(city=city, province=province, prefecture=prefecture)

    org.townships = Region.objects.bulk_create(
        Region(code=data.CITY_CODE + suffix, name=name, kind=kind, parent=city)
        for suffix, name, kind, _villages in data.TOWNSHIPS
    )
    org.township_by_pk = {t.pk: t for t in org.townships}
    village_rows = []
    for township, (_suffix, _name, kind, villages) in zip(org.townships, data.TOWNSHIPS, strict=True):
        for i, village in enumerate(villages, start=1):
            is_community = kind == RegionKind.STREET  # streets have communities, the rest villages
            number = i if is_community else 200 + i
            village_rows.append(
                Region(
                    code=f"{township.code}{number:03d}",
                    name=village,
                    kind=RegionKind.COMMUNITY if is_community else RegionKind.VILLAGE,
                    parent=township,
                )
            )
    org.villages = Region.objects.bulk_create(village_rows)
    for village in org.villages:
        org.villages_of.setdefault(village.parent_id, []).append(village)

    homes = []
    for township in org.townships:
        if township.kind == RegionKind.STREET:
            address = f"恩施市{rng.choice(data.ROADS)}{rng.randint(2, 180)}号{township.name}办事处二楼"
        elif township.kind == RegionKind.SCENIC:
            address = f"恩施市沐抚{township.name}一楼"
        else:
            address = f"恩施市{township.name}人民政府一楼"
        homes.append(
            Station(
                kind=StationKind.HOME,
                name=f"{township.name}人大代表之家",
                region=township,
                address=address,
                phone=_phone(rng),
                reception_hours=rng.choice(data.RECEPTION_HOURS),
            )
        )
    org.homes = Station.objects.bulk_create(homes)

    stations = []
    for village in org.villages:
        township = org.township_by_pk[village.parent_id]
        office = "居委会" if village.kind == RegionKind.COMMUNITY else "村委会"
        stations.append(
            Station(
                kind=StationKind.LIAISON,
                name=f"{village.name}人大代表联络站",
                region=village,
                address=f"恩施市{township.name}{village.name}{office}",
                phone=_phone(rng),
                reception_hours=rng.choice(data.STATION_RECEPTION_HOURS),
            )
        )
    org.stations = Station.objects.bulk_create(stations)

    groups = []
    numbers: dict[int, int] = {}
    for station in org.stations:
        township = org.township_of(station)
        numbers[township.pk] = numbers.get(township.pk, 0) + 1
        name = f"{township.name}第{data.cn_number(numbers[township.pk])}代表小组"
        groups.append(DeputyGroup(name=name, station=station, sort_key=natural_key(name)))
    org.groups = DeputyGroup.objects.bulk_create(groups)

    org.units = HandlingUnit.objects.bulk_create(
        HandlingUnit(
            name=name,
            kind=kind,
            contact_person=rng.choice(data.UNIT_CONTACTS),
            phone=_phone(rng),
        )
        for name, kind in data.HANDLING_UNITS
    )

    _build_congresses(org, today=today)
    _build_offices(org)
    return org


def _build_offices(org: Organisation) -> None:
    """The units of each township congress (no draws: the city stays as it was): 白杨坪镇's offices and village
    committee (the `townshipunit` login's among them), and three offices of every other township."""
    rows = []
    for township in org.townships:
        if township.pk not in org.township_congresses:
            continue  # a street: its suggestions go to the city
        if township.name == data.TOWNSHIP_CONGRESS_TOWN:
            rows += [
                HandlingUnit(name=name, kind=kind, contact_person=contact, phone=phone, region=township)
                for name, kind, contact, phone in data.TOWNSHIP_UNITS
            ]
            continue
        rows += [
            HandlingUnit(
                name=f"{township.name}{name}",
                kind=UnitKind.GOVERNMENT,
                contact_person=contact,
                phone=f"0718-86{township.code[-3:]}{n:02d}",
                region=township,
            )
            for n, (name, contact) in enumerate(data.TOWNSHIP_OFFICES, start=1)
        ]
    for unit in HandlingUnit.objects.bulk_create(rows):
        org.offices.setdefault(unit.region_id, []).append(unit)
    town = next(t for t in org.townships if t.name == data.TOWNSHIP_CONGRESS_TOWN)
    org.township_units = org.offices[town.pk]


def _build_congresses(org: Organisation, *, today: datetime.date) -> None:
    # The congresses above the townships, the city's last: (level, term, name, region, first day of the term).
    upper = [
        (CongressLevel.PROVINCE, 14, "湖北省第十四届人民代表大会", org.province, PROVINCE_TERM_START),
        (CongressLevel.PREFECTURE, 9, "恩施土家族苗族自治州第九届人民代表大会", org.prefecture, PREFECTURE_TERM_START),
        (CongressLevel.CITY, 11, "恩施市第十一届人民代表大会", org.city, CITY_TERM_START),
    ]
    upper_rows = [
        Congress(level=level, term=term, name=name, region=region, start_date=start)
        for level, term, name, region, start in upper
    ]
    city = upper_rows[-1]
    townships = [
        Congress(
            level=CongressLevel.TOWNSHIP,
            term=19,
            name=f"{township.name}第十九届人民代表大会",
            region=township,
            start_date=TOWNSHIP_TERM_START,
        )
        for township in org.townships
        if township.kind in CONGRESS_KINDS
    ]
    created = Congress.objects.bulk_create([*upper_rows, *townships])
    org.congresses = {c.level: c for c in created[: len(upper_rows)]}
    org.township_congresses = {c.region_id: c for c in created[len(upper_rows) :]}

    # The city congress meets once a year: the first session in the autumn of its election,
    # then every January, up to this year's, which later features attach suggestions to.
    def session(congress: Congress, number: int, start: datetime.date, end: datetime.date) -> Session:
        name = f"{congress.name}第{data.cn_number(number)}次会议"
        return Session(congress=congress, number=number, name=name, start_date=start, end_date=end)

    sessions = [session(city, 1, datetime.date(2021, 10, 26), datetime.date(2021, 10, 29))]
    sessions += [
        session(city, year - 2020, datetime.date(year, 1, 8), datetime.date(year, 1, 11))
        for year in range(2022, today.year + 1)
    ]
    # A township congress: its first session in the autumn of its election, then one of two days each year, early
    # in the year (each township on its own days, from mid-January); this year's receives its deputies' suggestions.
    sessions += [session(c, 1, datetime.date(2021, 10, 14), datetime.date(2021, 10, 15)) for c in townships]
    for year in range(2022, today.year + 1):
        for i, c in enumerate(townships):
            start = workdays.next_workday(datetime.date(year, 1, 14) + datetime.timedelta(days=2 * i))
            sessions.append(session(c, year - 2020, start, start + datetime.timedelta(days=1)))
    org.sessions = Session.objects.bulk_create(sessions)
