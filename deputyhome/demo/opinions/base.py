"""What the demo voter contact's parts share: the city as built, who records where, draws of names and codes."""

from __future__ import annotations

import datetime
import random
from typing import Any

from deputyhome.accounts.models import User
from deputyhome.deputies.models import Deputy
from deputyhome.opinions import codes
from deputyhome.organisation.choices import StationKind
from deputyhome.organisation.models import Region, Station

from .. import data
from ..clock import TZ
from .texts import OPINIONS


def aware(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(rng.randint(8, 20), rng.randint(0, 59)), tzinfo=TZ)


def new_code(taken: set[str]) -> str:
    while True:
        code = codes.new_code()
        if code not in taken:
            taken.add(code)
            return code


def person_name(rng: random.Random) -> str:
    female = rng.random() < 0.45
    pool = data.GIVEN_FEMALE if female else data.GIVEN_MALE
    return rng.choice(data.SURNAMES) + rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.6 else "")


def phone(rng: random.Random) -> str:
    return rng.choice(["135", "138", "139", "150", "152", "158", "180", "187", "199"]) + f"{rng.randrange(10**8):08d}"


class OpinionsDemo:
    """The city as the voter-contact parts see it: stations, their deputies and townships, the staff."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.rng: random.Random = ctx.rng
        self.today: datetime.date = ctx.today
        self.year = ctx.today.year
        self.first = datetime.date(self.year, 1, 2)
        self.org = ctx.org
        self.persons = ctx.deputies.persons
        self.users = {u.username: u for u in User.objects.filter(username__in=[x.username for x in ctx.logins])}
        self.staff = self.users["city"]
        self.stations: list[Station] = [*self.org.homes, *self.org.stations]
        self.villages_of: dict[int, list[Region]] = self.org.villages_of
        self.township_of_station: dict[int, Region] = {}
        for s in self.stations:
            self.township_of_station[s.pk] = s.region if s.kind == StationKind.HOME else self.org.township_of(s)
        self.deputies_at: dict[int, list[Deputy]] = {}
        for p in self.persons:
            self.deputies_at.setdefault(p.group.station.pk, []).append(p.deputy)
        self.township_deputies: dict[int, list[Deputy]] = {}
        for p in self.persons:
            self.township_deputies.setdefault(p.township.pk, []).append(p.deputy)
        self.township_user = self.users.get("township")
        self.codes: set[str] = set()

    # helpers ----------------------------------------------------------------------------------------

    def recorder(self, township: Region) -> User:
        """The officer who records at a station: the demo township officer in their township."""
        if self.township_user is not None and self.township_user.region_id == township.pk:
            return self.township_user
        return self.staff

    def station_deputies(self, station: Station) -> list[Deputy]:
        return self.deputies_at.get(station.pk) or self.township_deputies.get(
            self.township_of_station[station.pk].pk, []
        )

    def place_text(self, station: Station) -> tuple[str, str]:
        township = self.township_of_station[station.pk]
        if station.kind == StationKind.HOME:
            villages = self.villages_of.get(township.pk) or [township]
            return self.rng.choice(villages).name, township.name
        return station.region.name, township.name

    def opinion_text(self, station: Station) -> str:
        place, township = self.place_text(station)
        return self.rng.choice(OPINIONS).format(place=place, township=township)
