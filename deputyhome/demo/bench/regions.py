"""The bench province's tree and its bodies: regions (2/4/6/9/12-digit codes), homes and liaison stations with
one deputy group each, handling units, a congress for every province, prefecture, county and township, and a
session of each in every year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from deputyhome.organisation.choices import CONGRESS_KINDS, CongressLevel, RegionKind, StationKind, UnitKind
from deputyhome.organisation.models import Congress, DeputyGroup, HandlingUnit, Region, Session, Station
from deputyhome.organisation.naming import natural_key

from ..data import cn_number
from . import names
from .bulk import insert
from .shape import YEARS, Shape


@dataclass
class Org:
    province: Region
    prefectures: list[Region] = field(default_factory=list)
    counties: list[Region] = field(default_factory=list)
    townships: list[Region] = field(default_factory=list)
    villages: list[Region] = field(default_factory=list)
    stations: list[Station] = field(default_factory=list)
    groups: list[DeputyGroup] = field(default_factory=list)
    group_township: list[Region] = field(default_factory=list)  # the township of each group, same order
    units: list[HandlingUnit] = field(default_factory=list)
    units_of: dict[str, list[HandlingUnit]] = field(default_factory=dict)  # region code → its units
    congress_of: dict[int, Congress] = field(default_factory=dict)  # region pk → its congress
    sessions: dict[tuple[int, int], Session] = field(default_factory=dict)  # (congress pk, year) → session
    by_code: dict[str, Region] = field(default_factory=dict)

    def county_of(self, township: Region) -> Region:
        return self.by_code[township.code[:6]]

    def prefecture_of(self, township: Region) -> Region:
        return self.by_code[township.code[:4]]

    def units_for(self, region: Region) -> list[HandlingUnit]:
        """The handling units of the congress of `region`, or of the nearest region above it that has some."""
        for length in (len(region.code), 6, 4, 2):
            if length <= len(region.code) and (found := self.units_of.get(region.code[:length])):
                return found
        return self.units


def _spread(n: int, over: int) -> list[int]:
    """n items over `over` parents as evenly as possible: how many each parent gets."""
    base, extra = divmod(n, over)
    return [base + (1 if i < extra else 0) for i in range(over)]


def _township_kind(k: int, n: int) -> str:
    if n >= 3 and k < max(1, n // 6):
        return RegionKind.STREET
    return RegionKind.TOWN if k % 2 else RegionKind.TOWNSHIP


def build_regions(shape: Shape) -> Org:
    province = Region.objects.create(code=names.PROVINCE_CODE, name=names.PROVINCE_NAME, kind=RegionKind.PROVINCE)
    org = Org(province=province)
    org.prefectures = insert(
        Region,
        (
            Region(code=f"42{i + 1:02d}", name=names.place(i) + "市", kind=RegionKind.PREFECTURE, parent=province)
            for i in range(shape.prefectures)
        ),
    )
    rows, n = [], 0
    for pref, count in zip(org.prefectures, _spread(shape.counties, shape.prefectures), strict=True):
        for j in range(count):
            city = j == 0
            kind, suffix = (RegionKind.CITY, "市") if city else (RegionKind.COUNTY, "县")
            rows.append(
                Region(code=f"{pref.code}{j + 1:02d}", name=names.place(200 + n) + suffix, kind=kind, parent=pref)
            )
            n += 1
    org.counties = insert(Region, rows)
    rows, n = [], 0
    suffix = {RegionKind.STREET: "街道", RegionKind.TOWN: "镇", RegionKind.TOWNSHIP: "乡"}
    first = {RegionKind.STREET: 1, RegionKind.TOWN: 101, RegionKind.TOWNSHIP: 201}
    for county, count in zip(org.counties, _spread(shape.townships, shape.counties), strict=True):
        seen: dict[str, int] = {}
        for k in range(count):
            kind = _township_kind(k, count)
            number = first[kind] + seen.get(kind, 0)
            seen[kind] = seen.get(kind, 0) + 1
            name = names.place(n, length=3) + suffix[kind]
            rows.append(Region(code=f"{county.code}{number:03d}", name=name, kind=kind, parent=county))
            n += 1
    org.townships = insert(Region, rows)
    # A home in every township-level unit; the other stations are liaison stations, each in a village of its own.
    liaison = shape.stations - shape.townships
    rows, n = [], 0
    for township, count in zip(org.townships, _spread(liaison, shape.townships), strict=True):
        community = township.kind == RegionKind.STREET
        for k in range(count):
            code = f"{township.code}{(k + 1 if community else 201 + k):03d}"
            kind, suffix_ = (RegionKind.COMMUNITY, "社区") if community else (RegionKind.VILLAGE, "村")
            rows.append(Region(code=code, name=names.place(n, length=3) + suffix_, kind=kind, parent=township))
            n += 1
    org.villages = insert(Region, rows)
    org.by_code = {r.code: r for r in [province, *org.prefectures, *org.counties, *org.townships]}
    _stations_and_groups(org)
    _units(org, shape)
    return org


def _stations_and_groups(org: Org) -> None:
    by_pk = {t.pk: t for t in org.townships}
    stations = [
        Station(kind=StationKind.HOME, name=f"{t.name}人大代表之家", region=t, address=f"{t.name}人民政府一楼")
        for t in org.townships
    ]
    stations += [
        Station(
            kind=StationKind.LIAISON,
            name=f"{by_pk[v.parent_id].name}{v.name}人大代表联络站",
            region=v,
            address=f"{by_pk[v.parent_id].name}{v.name}" + ("居委会" if v.kind == RegionKind.COMMUNITY else "村委会"),
            reception_hours="每月10日上午",
        )
        for v in org.villages
    ]
    org.stations = insert(Station, stations)
    numbers: dict[int, int] = {}
    groups = []
    for station in org.stations:
        township = station.region if station.kind == StationKind.HOME else by_pk[station.region.parent_id]
        numbers[township.pk] = numbers.get(township.pk, 0) + 1
        name = f"{township.name}第{cn_number(numbers[township.pk])}代表小组"
        groups.append(DeputyGroup(name=name, station=station, sort_key=natural_key(name)))
        org.group_township.append(township)
    org.groups = insert(DeputyGroup, groups)


def unit_row(*, name: str, region: Region, kind: str = UnitKind.GOVERNMENT) -> dict[str, Any]:
    """One handling unit's fields. `region` is the region whose congress the unit answers to (the province's
    departments, a prefecture's, a county's)."""
    return {"name": name, "kind": kind, "region": region, "contact_person": "王主任", "phone": "027-87000000"}


def _units(org: Org, shape: Shape) -> None:
    # An eighth to the province's departments, the rest in turn to each prefecture and county.
    top = max(1, min(len(names.DEPARTMENTS), shape.units // 8))
    owners: list[tuple[Region, str]] = [(org.province, dept) for dept in names.DEPARTMENTS[:top]]
    for dept in names.DEPARTMENTS:
        owners += [(region, dept) for region in [*org.prefectures, *org.counties]]
    owners = owners[: shape.units]
    rows = []
    for region, dept in owners:
        kind = UnitKind.GOVERNMENT
        rows.append(HandlingUnit(**unit_row(name=f"{region.name}{dept}", region=region, kind=kind)))
    org.units = insert(HandlingUnit, rows)
    for (region, _dept), unit in zip(owners, org.units, strict=True):
        org.units_of.setdefault(region.code, []).append(unit)


TERMS = {CongressLevel.PROVINCE: 14, CongressLevel.PREFECTURE: 9, CongressLevel.CITY: 11, CongressLevel.TOWNSHIP: 19}


def build_congresses(org: Org, *, today: datetime.date) -> int:
    """A congress of the current term for every region that elects one, and one session a year of each."""
    first_year = today.year - YEARS + 1
    start = datetime.date(first_year - 1, 10, 1)  # the term began in the autumn before the first year
    bodies: list[tuple[Region, str]] = [(org.province, CongressLevel.PROVINCE)]
    bodies += [(r, CongressLevel.PREFECTURE) for r in org.prefectures]
    bodies += [(r, CongressLevel.CITY) for r in org.counties]
    bodies += [(r, CongressLevel.TOWNSHIP) for r in org.townships if r.kind in CONGRESS_KINDS]
    congresses = insert(
        Congress,
        (
            Congress(
                level=level,
                term=TERMS[level],
                name=f"{region.name}第{cn_number(TERMS[level])}届人民代表大会",
                region=region,
                start_date=start,
            )
            for region, level in bodies
        ),
    )
    org.congress_of = {c.region_id: c for c in congresses}
    rows = []
    for congress in congresses:
        # Higher congresses meet in January, township congresses in February.
        month, day = (2, 10) if congress.level == CongressLevel.TOWNSHIP else (1, 8)
        for number, year in enumerate(range(first_year, today.year + 1), start=1):
            begins = datetime.date(year, month, day)
            rows.append(
                Session(
                    congress=congress,
                    number=number,
                    name=f"{congress.name}第{cn_number(number)}次会议",
                    start_date=begins,
                    end_date=begins + datetime.timedelta(days=3),
                )
            )
    sessions = insert(Session, rows)
    org.sessions = {(s.congress_id, s.start_date.year): s for s in sessions}
    return len(congresses)
