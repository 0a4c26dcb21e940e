"""Training (500,000 attendance rows at scale 1): a session a year in every township, inviting its deputies."""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Iterator
from decimal import Decimal

from deputyhome.training.choices import AttendanceStatus, OrganiserLevel, SessionKind, SignInWay
from deputyhome.training.models import Attendance, TrainingSession

from ..clock import TZ
from .bulk import insert, insert_count
from .people import People
from .regions import Org
from .shape import YEARS, Shape

KINDS = [SessionKind.SPECIAL, SessionKind.MEETING, SessionKind.LECTURE, SessionKind.ONSITE]


def build_training(org: Org, people: People, shape: Shape, rng: random.Random, today: datetime.date) -> dict:
    townships = [t for t in org.townships if people.by_township.get(t.pk)]
    years = range(today.year - YEARS + 1, today.year + 1)
    # As many sessions a year in a township as it takes, each inviting up to all of its deputies.
    per_year = shape.attendance / YEARS / max(1, len(townships))
    deputies_per_township = shape.deputies / max(1, len(townships))
    sessions_each = max(1, math.ceil(per_year / max(1.0, deputies_per_township)))
    invite = max(1, round(per_year / sessions_each))
    plans = []
    for year in years:
        for township in townships:
            for k in range(sessions_each):
                day = datetime.date(year, 3 + (k * 3) % 9, 1) + datetime.timedelta(days=rng.randrange(28))
                if day >= today:
                    day = today - datetime.timedelta(days=rng.randint(1, 20))
                kind = rng.choice(KINDS)
                session = TrainingSession(
                    title=f"{year}年{township.name}人大代表{SessionKind(kind).label}（第{k + 1}期）",
                    kind=kind,
                    level=OrganiserLevel.TOWNSHIP,
                    region=township,
                    date=day,
                    hours=Decimal("3.0"),
                    lecturer="县人大常委会代工委",
                    place=f"{township.name}人大代表之家",
                )
                plans.append((session, township))
    insert(TrainingSession, [s for s, _t in plans])

    def rows() -> Iterator[Attendance]:
        for session, township in plans:
            members = people.by_township[township.pk]
            at = datetime.datetime(session.date.year, session.date.month, session.date.day, 9, tzinfo=TZ)
            for person in rng.sample(members, min(invite, len(members))):
                r = rng.random()
                if r < 0.86:
                    status, way, signed, reason = AttendanceStatus.PRESENT, SignInWay.SELF, at, ""
                elif r < 0.95:
                    status, way, signed, reason = AttendanceStatus.EXCUSED, "", None, "因公外出"
                else:
                    status, way, signed, reason = AttendanceStatus.ABSENT, "", None, ""
                yield Attendance(
                    session=session,
                    deputy_id=person.pk,
                    status=status,
                    excuse_reason=reason,
                    signed_in_at=signed,
                    signin_way=way,
                    created_at=at,
                    updated_at=at,
                )

    return {"training_sessions": len(plans), "attendance": insert_count(Attendance, rows())}
