"""The campaigns (one a year, with every township's theme and every group's topic) that the activities belong
to, and the problems deputies found in those activities (45,000 at scale 1): closed on the spot, still open, or
forwarded to a handling unit as a small matter (转交办理), most of those replied to."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from deputyhome.activities.choices import ProblemStatus, ReferralStatus
from deputyhome.activities.models import Activity, Campaign, GroupTopic, Problem, Referral, TownshipTheme

from ..clock import TZ
from .bulk import insert, insert_count
from .people import People
from .regions import Org
from .shape import YEARS, Shape
from .voters import MATTERS

SLOGANS = ["履职为民", "代表在身边", "聚力促发展", "民生实事大家谈", "乡村振兴代表行"]


def build_campaigns(org: Org, today: datetime.date) -> tuple[list[Campaign], dict[str, int]]:
    """A campaign a year, April to November, with a theme for every township and a topic for every group."""
    campaigns = insert(
        Campaign,
        (
            Campaign(
                slogan=SLOGANS[i % len(SLOGANS)],
                start_on=datetime.date(year, 4, 1),
                end_on=datetime.date(year, 11, 30),
                main_theme="助推高质量发展",
                description="各代表小组围绕主题开展活动。",
            )
            for i, year in enumerate(range(today.year - YEARS + 1, today.year + 1))
        ),
    )
    themes = insert_count(
        TownshipTheme,
        (TownshipTheme(campaign=c, region=t, theme=f"{t.name}{c.slogan}") for c in campaigns for t in org.townships),
    )
    topics = insert_count(
        GroupTopic,
        (GroupTopic(campaign=c, group=g, topic=f"{g.name}小切口") for c in campaigns for g in org.groups),
    )
    return campaigns, {"campaigns": len(campaigns), "township_themes": themes, "group_topics": topics}


def build_problems(org: Org, people: People, shape: Shape, rng: random.Random, today: datetime.date, users) -> dict:
    """Problems found in the activities, spread over them; a forwarded one carries its referral to a unit of its
    township's congress (or the nearest above)."""
    group_index = {g.pk: i for i, g in enumerate(org.groups)}
    township_of = {t.pk: t for t in org.townships}
    activities = list(Activity.objects.values_list("pk", "group_id", "region_id", "date").order_by("pk"))
    plans = []
    for _ in range(shape.problems):
        activity_id, group_id, region_id, day = rng.choice(activities)
        members = people.by_group.get(group_index.get(group_id, -1)) or []
        r = rng.random()
        status = ProblemStatus.CLOSED if r < 0.35 else ProblemStatus.FORWARDED if r < 0.7 else ProblemStatus.OPEN
        plans.append((activity_id, region_id, day, rng.choice(members).pk if members else None, status))

    def referrals() -> Iterator[Referral]:
        for _activity, region_id, day, _deputy, status in plans:
            if status != ProblemStatus.FORWARDED:
                continue
            replied = day + datetime.timedelta(days=rng.randrange(5, 40))
            done = replied < today and rng.random() < 0.8
            at = datetime.datetime(day.year, day.month, day.day, 17, tzinfo=TZ)
            yield Referral(
                unit=rng.choice(org.units_for(township_of[region_id])),
                region_id=region_id,
                title=rng.choice(MATTERS)[:20],
                content=rng.choice(MATTERS),
                created_by=users["bench_city"],
                due_on=day + datetime.timedelta(days=30),
                status=ReferralStatus.REPLIED if done else ReferralStatus.OPEN,
                reply="已协调解决。" if done else "",
                replied_on=replied if done else None,
                created_at=at,
                updated_at=at,
            )

    forwarded = iter(insert(Referral, referrals()))

    def problems() -> Iterator[Problem]:
        for activity_id, region_id, day, deputy_id, status in plans:
            at = datetime.datetime(day.year, day.month, day.day, 16, tzinfo=TZ)
            yield Problem(
                text=rng.choice(MATTERS),
                activity_id=activity_id,
                region_id=region_id,
                deputy_id=deputy_id,
                date=day,
                status=status,
                closing_note="现场协调解决。" if status == ProblemStatus.CLOSED else "",
                handled_on=day if status != ProblemStatus.OPEN else None,
                referral=next(forwarded) if status == ProblemStatus.FORWARDED else None,
                created_by=users["bench_city"],
                created_at=at,
                updated_at=at,
            )

    count = insert_count(Problem, problems())
    return {"problems": count, "referrals": sum(1 for p in plans if p[4] == ProblemStatus.FORWARDED)}
