"""Demo voter contact: each station's reception schedule, and the receptions held on it this year."""

from __future__ import annotations

import datetime

from deputyhome.deputies.models import Deputy
from deputyhome.opinions.choices import Weekday
from deputyhome.opinions.models import Reception, ReceptionSlot
from deputyhome.opinions.services import schedule_summary
from deputyhome.organisation.choices import StationKind
from deputyhome.organisation.models import Station

from ..clock import DAY
from .base import OpinionsDemo
from .texts import NOTICES


def build_schedules(b: OpinionsDemo) -> tuple[list[ReceptionSlot], dict[int, ReceptionSlot]]:
    slots: list[ReceptionSlot] = []
    deputies_of: list[list[Deputy]] = []
    weekly: dict[int, ReceptionSlot] = {}
    for station in b.stations:
        weekday = b.rng.choice([Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY])
        morning = b.rng.random() < 0.7
        slot = ReceptionSlot(
            station=station,
            weekday=weekday,
            start_time=datetime.time(9, 0) if morning else datetime.time(14, 30),
            end_time=datetime.time(11, 30) if morning else datetime.time(17, 0),
            notice=b.rng.choice(NOTICES),
            announced_on=b.first,
        )
        slots.append(slot)
        pool = b.station_deputies(station)
        deputies_of.append(b.rng.sample(pool, k=min(len(pool), b.rng.choice([2, 3, 3]))))
        weekly[station.pk] = slot
        if station.kind == StationKind.HOME:
            day = b.today + datetime.timedelta(days=b.rng.randint(3, 25))
            slots.append(
                ReceptionSlot(
                    station=station,
                    date=day,
                    start_time=datetime.time(9, 0),
                    end_time=datetime.time(12, 0),
                    notice=f"{day:%-m月%-d日}上午，市、乡两级人大代表集中接待选民，欢迎群众前来反映问题。",
                    announced_on=b.today,
                )
            )
            deputies_of.append(b.rng.sample(pool, k=min(len(pool), 4)))
    ReceptionSlot.objects.bulk_create(slots)
    through = ReceptionSlot.deputies.through
    through.objects.bulk_create(
        through(receptionslot_id=slot.pk, deputy_id=d.pk)
        for slot, ds in zip(slots, deputies_of, strict=True)
        for d in ds
    )
    # A station's 接待时间 is written from its slots (the one source of the schedule), as the slot services do.
    for station in b.stations:
        station.reception_hours = schedule_summary(s for s in slots if s.station_id == station.pk)
    Station.objects.bulk_update(b.stations, ["reception_hours"])
    return slots, weekly


def build_receptions(b: OpinionsDemo, weekly: dict[int, ReceptionSlot]) -> list[Reception]:
    rows: list[Reception] = []
    deputies_of: list[list[Deputy]] = []
    last = b.today - DAY
    for station in b.stations:
        slot = weekly[station.pk]
        # Homes receive weekly; liaison stations every two to four weeks.
        step = 1 if station.kind == StationKind.HOME else b.rng.choice([2, 3, 4])
        day = b.first + datetime.timedelta(days=(slot.weekday - b.first.isoweekday()) % 7)
        day += datetime.timedelta(weeks=b.rng.randrange(step))
        pool = b.station_deputies(station)
        while day <= last:
            if b.rng.random() < 0.85:  # some weeks the reception falls through (holidays, weather)
                voters = b.rng.choice([0, 1, 2, 3, 3, 4, 5, 6, 8, 12]) + (3 if station.kind == StationKind.HOME else 0)
                rows.append(
                    Reception(
                        station=station,
                        date=day,
                        slot=slot,
                        voters_received=voters,
                        notes="" if voters else "当日无群众来访。",
                        recorded_by=b.recorder(b.township_of_station[station.pk]),
                    )
                )
                deputies_of.append(b.rng.sample(pool, k=min(len(pool), b.rng.choice([1, 2, 2, 3]))))
            day += datetime.timedelta(weeks=step)
    Reception.objects.bulk_create(rows)
    through = Reception.deputies.through
    through.objects.bulk_create(
        through(reception_id=r.pk, deputy_id=d.pk) for r, ds in zip(rows, deputies_of, strict=True) for d in ds
    )
    return rows
