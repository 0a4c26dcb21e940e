"""Voter opinions (200,000 at scale 1) left at stations or with deputies over five years, with their timeline
events; the receptions of voters at the stations (60,000), with the deputies who received and the opinions taken
there; and the groups' activities with the deputies who took part."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from deputyhome.activities.choices import ActivityKind
from deputyhome.activities.choices import Attendance as Presence
from deputyhome.activities.choices import OrganiserLevel as ActivityLevel
from deputyhome.activities.models import Activity, Participation
from deputyhome.opinions.choices import Channel, OpinionStatus
from deputyhome.opinions.codes import ALPHABET, LENGTH
from deputyhome.opinions.models import Opinion, OpinionEvent, Reception

from ..clock import TZ
from .bulk import BATCH, insert, insert_count
from .people import People
from .regions import Org
from .shape import YEARS, Shape

MATTERS = [
    "村里的路灯坏了很久，晚上出行不便，希望尽快维修。",
    "组里的饮用水管老化经常停水，请帮忙反映。",
    "集镇农贸市场周边占道经营，交通拥堵。",
    "希望增加到县城的班车班次。",
    "小学门口没有减速带，孩子上学不安全。",
    "茶叶收购价格偏低，希望政府帮助拓宽销路。",
    "卫生院缺少儿科医生，看病要跑很远。",
    "河道有人倾倒垃圾，影响环境。",
    "老年人办理社保认证不方便，希望上门服务。",
    "山体有裂缝，雨季担心滑坡。",
]


def _code(rng: random.Random, seen: set[str]) -> str:
    while True:
        code = "".join(rng.choice(ALPHABET) for _ in range(LENGTH))
        if code not in seen:
            seen.add(code)
            return code


def build_receptions(
    org: Org, people: People, shape: Shape, rng: random.Random, today: datetime.date, staff
) -> tuple[dict[int, list[Reception]], dict[str, int]]:
    """The receptions, each at a group's station with one or two of its deputies; by station, for the opinions."""
    first = datetime.date(today.year - YEARS + 1, 1, 1)
    span = (today - first).days
    plans = []
    for _ in range(shape.receptions):
        gi = rng.randrange(len(org.groups))
        day = first + datetime.timedelta(days=rng.randrange(span))
        at = datetime.datetime(day.year, day.month, day.day, 9, tzinfo=TZ)
        reception = Reception(
            station=org.groups[gi].station,
            date=day,
            voters_received=rng.randint(1, 30),
            notes="接待选民，收集意见建议。",
            recorded_by=staff,
            created_at=at,
            updated_at=at,
        )
        plans.append((reception, gi))
    insert(Reception, [r for r, _gi in plans])

    def received_by() -> Iterator:
        through = Reception.deputies.through
        for reception, gi in plans:
            members = people.by_group.get(gi) or []
            for person in rng.sample(members, min(rng.randint(1, 2), len(members))):
                yield through(reception_id=reception.pk, deputy_id=person.pk)

    by_station: dict[int, list[Reception]] = {}
    for reception, _gi in plans:
        by_station.setdefault(reception.station_id, []).append(reception)
    counts = {"receptions": len(plans), "reception_deputies": insert_count(Reception.deputies.through, received_by())}
    return by_station, counts


def build_opinions(org: Org, people: People, shape: Shape, rng: random.Random, today: datetime.date, users) -> dict:
    first = datetime.date(today.year - YEARS + 1, 1, 1)
    span = (today - first).days
    staff = users["bench_city"]
    seen: set[str] = set()
    held, counts = build_receptions(org, people, shape, rng, today, staff)
    counts |= {"opinions": 0, "opinion_events": 0}
    remaining = shape.opinions
    while remaining > 0:
        n = min(BATCH, remaining)
        remaining -= n
        rows = []
        for _ in range(n):
            gi = rng.randrange(len(org.groups))
            township = org.group_township[gi]
            members = people.by_group.get(gi) or []
            deputy = rng.choice(members).pk if members and rng.random() < 0.3 else None
            received = first + datetime.timedelta(days=rng.randrange(span))
            online = rng.random() < 0.5
            station = org.groups[gi].station
            # An opinion taken down by staff was taken at one of the station's receptions, on its day.
            reception = rng.choice(held[station.pk]) if not online and held.get(station.pk) else None
            if reception is not None:
                received = reception.date
            age = (today - received).days
            r = rng.random()
            if age < 30 and r < 0.6:
                status = OpinionStatus.NEW
            elif r < 0.8:
                status = OpinionStatus.REPLIED
            else:
                status = OpinionStatus.FORWARDED if r < 0.95 else OpinionStatus.NEW
            at = datetime.datetime(received.year, received.month, received.day, 10, tzinfo=TZ)
            rows.append(
                Opinion(
                    tracking_code=_code(rng, seen),
                    channel=Channel.ONLINE if online else Channel.RECEPTION,
                    station=station,
                    reception=reception,
                    deputy_id=deputy,
                    content=rng.choice(MATTERS),
                    received_on=received,
                    status=status,
                    region=township,
                    reply="已转有关部门研究解决，感谢您的反映。" if status == OpinionStatus.REPLIED else "",
                    replied_at=at + datetime.timedelta(days=7) if status == OpinionStatus.REPLIED else None,
                    replied_by=staff if status == OpinionStatus.REPLIED else None,
                    recorded_by=None if online else staff,
                    created_at=at,
                    updated_at=at,
                )
            )
        insert(Opinion, rows)
        counts["opinions"] += len(rows)
        counts["opinion_events"] += insert_count(OpinionEvent, _events(rows))
    return counts


def _events(rows: list[Opinion]) -> Iterator[OpinionEvent]:
    for o in rows:
        online = o.channel == Channel.ONLINE
        yield OpinionEvent(
            opinion=o,
            at=o.created_at,
            action="submit" if online else "record",
            actor_label="群众" if online else "工作人员",
        )
        if o.status == OpinionStatus.REPLIED:
            yield OpinionEvent(opinion=o, at=o.replied_at, action="reply", actor_label="工作人员", note=o.reply)


def build_activities(
    org: Org, people: People, shape: Shape, rng: random.Random, today: datetime.date, users, campaigns=()
) -> dict:
    first = datetime.date(today.year - YEARS + 1, 1, 1)
    span = (today - first).days
    kinds = [
        ActivityKind.RESEARCH,
        ActivityKind.INSPECTION,
        ActivityKind.VISIT,
        ActivityKind.RECEPTION,
        ActivityKind.FORUM,
    ]
    plans = []
    for _ in range(shape.activities):
        gi = rng.randrange(len(org.groups))
        day = first + datetime.timedelta(days=rng.randrange(span))
        at = datetime.datetime(day.year, day.month, day.day, 15, tzinfo=TZ)
        group = org.groups[gi]
        activity = Activity(
            kind=rng.choice(kinds),
            level=ActivityLevel.GROUP,
            region=org.group_township[gi],
            group=group,
            station=group.station,
            date=day,
            place=group.station.name,
            topic=f"{group.name}{rng.choice(['察民情', '聚民智', '惠民生'])}主题活动",
            campaign=next((c for c in campaigns if c.start_on <= day <= c.end_on), None),
            created_by=users["bench_city"],
            created_at=at,
            updated_at=at,
        )
        plans.append((activity, gi))
    insert(Activity, [a for a, _gi in plans])

    def participations() -> Iterator[Participation]:
        for activity, gi in plans:
            members = people.by_group.get(gi) or []
            for person in rng.sample(members, min(3, len(members))):
                presence = Presence.PRESENT if rng.random() < 0.9 else Presence.EXCUSED
                yield Participation(activity=activity, deputy_id=person.pk, attendance=presence)

    return {"activities": len(plans), "participations": insert_count(Participation, participations())}
