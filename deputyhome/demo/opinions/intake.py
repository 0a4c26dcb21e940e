"""Demo voter contact: the voters' opinions through the year, decided, merged and forwarded to units."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.activities.choices import ReferralStatus
from deputyhome.activities.models import Problem, Referral
from deputyhome.deputies.models import Deputy
from deputyhome.opinions import notices
from deputyhome.opinions.choices import Channel, OpinionStatus
from deputyhome.opinions.models import Opinion, Reception
from deputyhome.organisation.models import Station

from ..clock import DAY
from .base import OpinionsDemo, aware, new_code, person_name, phone
from .texts import DUPLICATE_PREFIXES, REPLIES, UNIT_REPLIES

ONLINE_OPINIONS = 240
RECEPTION_OPINIONS = 130
VISIT_OPINIONS = 20


def build_opinions(b: OpinionsDemo, receptions: Sequence[Reception]) -> dict[str, int]:
    """The year's opinions (online, at receptions, on visits) in every state; the counts by state."""
    rng = b.rng
    version = notices.CURRENT_VERSION
    span = (b.today - DAY - b.first).days
    opinions: list[Opinion] = []

    def base(station: Station, deputy: Deputy | None, day: datetime.date, channel: str, **extra) -> Opinion:
        anonymous = rng.random() < 0.35
        township = b.township_of_station[station.pk]
        return Opinion(
            tracking_code=new_code(b.codes),
            channel=channel,
            station=station,
            deputy=deputy,
            region=township,
            content=extra.pop("content", None) or b.opinion_text(station),
            name="" if anonymous else person_name(rng),
            phone="" if anonymous or rng.random() < 0.2 else phone(rng),
            received_on=day,
            **extra,
        )

    for _ in range(ONLINE_OPINIONS):
        station = rng.choice(b.stations)
        deputies = b.station_deputies(station)
        deputy = rng.choice(deputies) if deputies and rng.random() < 0.3 else None
        day = b.first + datetime.timedelta(days=rng.randrange(max(span, 1) + 1))
        opinions.append(
            base(station, deputy, day, Channel.ONLINE, privacy_version=version, consented_at=aware(day, rng))
        )
    with_voters = [r for r in receptions if r.voters_received] or list(receptions)
    for _ in range(RECEPTION_OPINIONS if with_voters else 0):
        r = rng.choice(with_voters)
        township = b.township_of_station[r.station_id]
        opinions.append(base(r.station, None, r.date, Channel.RECEPTION, reception=r, recorded_by=b.recorder(township)))
    for _ in range(VISIT_OPINIONS):
        station = rng.choice(b.stations)
        deputies = b.station_deputies(station)
        day = b.first + datetime.timedelta(days=rng.randrange(max(span, 1) + 1))
        township = b.township_of_station[station.pk]
        opinions.append(
            base(
                station,
                rng.choice(deputies) if deputies else None,
                day,
                Channel.VISIT,
                recorded_by=b.recorder(township),
            )
        )

    # Fresh work for the demo logins: new opinions in the township officer's street and for the deputy.
    fresh = max(b.today - datetime.timedelta(days=4), b.first)
    township_user, deputy_user = b.users.get("township"), b.users.get("deputy")
    if township_user is not None:
        local = [s for s in b.stations if b.township_of_station[s.pk].pk == township_user.region_id]
        for station in rng.sample(local, k=min(len(local), 4)):
            opinions.append(
                base(station, None, fresh, Channel.ONLINE, privacy_version=version, consented_at=aware(fresh, rng))
            )
    if deputy_user is not None and deputy_user.deputy_id:
        person = next((p for p in b.persons if p.deputy.pk == deputy_user.deputy_id), None)
        if person is not None:
            for _ in range(2):
                opinions.append(
                    base(
                        person.group.station,
                        person.deputy,
                        fresh,
                        Channel.ONLINE,
                        privacy_version=version,
                        consented_at=aware(fresh, rng),
                    )
                )

    # Opinions that became problems: the activities demo's problems, voiced first by a voter.
    problems = list(Problem.objects.filter(date__year=b.year).select_related("region").order_by("date", "pk"))
    problem_links = rng.sample(problems, k=min(len(problems), 45))
    stations_in: dict[int, list[Station]] = {}
    for s in b.stations:
        stations_in.setdefault(b.township_of_station[s.pk].pk, []).append(s)
    for problem in problem_links:
        candidates = stations_in.get(problem.region_id)
        if not candidates:
            continue
        station = rng.choice(candidates)
        day = max(problem.date - datetime.timedelta(days=rng.randint(0, 5)), b.first)
        opinion = base(
            station,
            problem.deputy,
            day,
            Channel.ONLINE,
            content=problem.text,
            privacy_version=version,
            consented_at=aware(day, rng),
        )
        opinion.problem = problem
        if problem.suggestion_id:
            opinion.status, opinion.suggestion_id = OpinionStatus.SUGGESTION, problem.suggestion_id
        else:
            opinion.status = OpinionStatus.PROBLEM
        opinions.append(opinion)

    # By day only: the sort is stable, so opinions of one day keep the order the seeded generator made them
    # in. Tracking codes come from `secrets` and would make the fates drawn below differ run to run.
    opinions.sort(key=lambda o: o.received_on)
    _decide(b, opinions)
    Opinion.objects.bulk_create(opinions)
    merged = _merge(b, opinions)
    referrals = _forward(b, opinions)
    counts: dict[str, int] = {}
    for o in [*opinions, *merged]:
        counts[o.status] = counts.get(o.status, 0) + 1
    return {"total": len(opinions) + len(merged), "referrals": referrals, **counts}


def _decide(b: OpinionsDemo, opinions: list[Opinion]) -> None:
    """Give each opinion not yet linked its fate: recent ones are mostly new, older ones handled."""
    rng = b.rng
    for o in opinions:
        if o.status != OpinionStatus.NEW or o.received_on >= b.today - datetime.timedelta(days=4):
            continue
        age = (b.today - o.received_on).days
        roll = rng.random()
        if (age <= 10 and roll < 0.75) or roll < 0.06:
            continue  # still new
        township = o.region.name if o.region else ""
        replier = b.recorder(o.region) if o.region else b.staff
        if roll < 0.68:
            o.status = OpinionStatus.REPLIED
            o.reply = rng.choice(REPLIES).format(township=township)
            o.replied_at = aware(min(o.received_on + datetime.timedelta(days=rng.randint(1, 9)), b.today - DAY), rng)
            o.replied_by = replier
        else:
            o.status = OpinionStatus.FORWARDED  # the referral is made after the rows exist


def _merge(b: OpinionsDemo, opinions: list[Opinion]) -> list[Opinion]:
    """A few voters said the same thing as another at the same station a few days later."""
    rng = b.rng
    roots = [o for o in opinions if o.status in (OpinionStatus.REPLIED, OpinionStatus.FORWARDED)]
    dupes: list[Opinion] = []
    for root in rng.sample(roots, k=min(len(roots), 24)):
        day = root.received_on + datetime.timedelta(days=rng.randint(0, 4))
        if day >= b.today:
            continue
        anonymous = rng.random() < 0.5
        dupes.append(
            Opinion(
                tracking_code=new_code(b.codes),
                channel=Channel.ONLINE,
                station=root.station,
                region=root.region,
                content=rng.choice(DUPLICATE_PREFIXES) + root.content,
                name="" if anonymous else person_name(rng),
                phone="" if anonymous else phone(rng),
                privacy_version=notices.CURRENT_VERSION,
                consented_at=aware(day, rng),
                received_on=day,
                status=OpinionStatus.MERGED,
                duplicate_of=root,
            )
        )
    Opinion.objects.bulk_create(dupes)
    return dupes


def _forward(b: OpinionsDemo, opinions: list[Opinion]) -> int:
    """The fast lane: a referral to a unit for each forwarded opinion; most units have answered."""
    forwarded = [o for o in opinions if o.status == OpinionStatus.FORWARDED]
    if not forwarded:
        return 0
    rng = b.rng
    units = [u for u in b.org.units if u.is_active] or list(b.org.units)
    clerks = {}
    for u in User.objects.filter(role=Role.UNIT_CLERK, unit__isnull=False).order_by("pk"):
        clerks.setdefault(u.unit_id, u)
    referrals = []
    for o in forwarded:
        unit = rng.choice(units)
        sent = o.received_on + datetime.timedelta(days=rng.randint(1, 5))
        sent = min(sent, b.today)
        answered = (b.today - sent).days > 12 and rng.random() < 0.85
        first = o.content.split("，")[0].rstrip("。")
        referrals.append(
            Referral(
                unit=unit,
                title=first if len(first) <= 40 else f"{first[:40]}…",
                content=o.content,
                region=o.region,
                created_by=b.recorder(o.region),
                due_on=sent + datetime.timedelta(days=21),
                status=ReferralStatus.REPLIED if answered else ReferralStatus.OPEN,
                reply=rng.choice(UNIT_REPLIES) if answered else "",
                replied_on=min(sent + datetime.timedelta(days=rng.randint(3, 20)), b.today - DAY) if answered else None,
                replied_by=clerks.get(unit.pk) if answered else None,
            )
        )
    Referral.objects.bulk_create(referrals)
    for o, r in zip(forwarded, referrals, strict=True):
        o.referral = r
    Opinion.objects.bulk_update(forwarded, ["referral"])
    return len(referrals)
