"""The stations' yearly assessments against the checklist (五有、五统一: every station each year, 30,000 at scale 1,
with a result per item), the deputies' paired households (结对联系户: a fifth of the deputies pair with three
households each, 60,000, with their contacts) and the model deputies' stories (先进典型)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from deputyhome.activities import scoring
from deputyhome.activities.choices import ItemStatus
from deputyhome.activities.models import AssessmentResult, StandardItem, StationAssessment
from deputyhome.opinions.choices import ContactWay
from deputyhome.opinions.models import ModelStory, Pairing, PairingContact

from ..clock import TZ
from .bulk import insert, insert_count
from .people import People
from .regions import Org
from .shape import YEARS, Shape

STATUSES, WEIGHTS = [ItemStatus.MET, ItemStatus.PARTLY, ItemStatus.NOT_MET], [0.8, 0.15, 0.05]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def build_assessments(org: Org, rng: random.Random, today: datetime.date, users) -> dict[str, int]:
    """Every station assessed each year before this one, in December, by the province's officer."""
    items = list(StandardItem.objects.filter(is_active=True))
    plans = []
    for year in range(today.year - YEARS + 1, today.year):
        for station in org.stations:
            results = [(item, rng.choices(STATUSES, weights=WEIGHTS)[0]) for item in items]
            score = scoring.score((item.points, status) for item, status in results)
            at = datetime.datetime(year, 12, 10, 10, tzinfo=TZ)
            assessment = StationAssessment(
                station=station,
                year=year,
                assessor=users["bench_city"],
                assessed_on=at.date(),
                score=score,
                pass_score=scoring.DEFAULT_PASS_SCORE,
                passed=score >= scoring.DEFAULT_PASS_SCORE,
                created_at=at,
                updated_at=at,
            )
            plans.append((assessment, results))
    created = insert(StationAssessment, [a for a, _r in plans])

    def result_rows() -> Iterator[AssessmentResult]:
        for assessment, (_a, results) in zip(created, plans, strict=True):
            for item, status in results:
                yield AssessmentResult(assessment=assessment, item=item, status=status, points=item.points)

    return {"assessments": len(created), "assessment_results": insert_count(AssessmentResult, result_rows())}


def build_pairings(org: Org, people: People, shape: Shape, rng: random.Random, today: datetime.date, users) -> dict:
    """Households paired with deputies in villages of the deputy's township, each with a few contacts; one in ten
    pairings has ended."""
    villages: dict[str, list] = {}
    for village in org.villages:
        villages.setdefault(village.code[:9], []).append(village)
    first = datetime.date(today.year - YEARS + 1, 1, 1)
    span = (today - first).days
    plans = []
    for person in rng.sample(people.persons, min(len(people.persons), shape.pairings // 3)):
        for _ in range(3):
            since = first + datetime.timedelta(days=rng.randrange(span))
            ended = since + datetime.timedelta(days=rng.randrange(90, 720)) if rng.random() < 0.1 else None
            at = datetime.datetime(since.year, since.month, since.day, 9, tzinfo=TZ)
            plans.append(
                Pairing(
                    deputy_id=person.pk,
                    household=f"{rng.choice(SURNAMES)}{rng.choice('德文明国建春秋玉')}{rng.choice('华安平军英兰')}",
                    village=rng.choice(villages.get(person.township.code) or [None]),
                    members=rng.randint(1, 6),
                    since=since,
                    ended_on=ended if ended and ended < today else None,
                    created_at=at,
                    updated_at=at,
                )
            )
    created = insert(Pairing, plans)

    def contacts() -> Iterator[PairingContact]:
        ways = list(ContactWay.values)
        for pairing in created:
            until = pairing.ended_on or today
            days = (until - pairing.since).days
            for _ in range(rng.randint(1, 6)):
                yield PairingContact(
                    pairing=pairing,
                    date=pairing.since + datetime.timedelta(days=rng.randrange(days + 1)),
                    way=rng.choice(ways),
                    notes="了解家庭生产生活情况，宣传惠民政策。",
                    recorded_by=users["bench_city"],
                )

    stories = insert(
        ModelStory,
        (
            ModelStory(
                deputy_id=person.pk,
                title=f"扎根基层的{person.township.name}代表",
                text="多年来结对联系困难群众，帮助协调解决实际问题。",
                figures=[["结对户数", f"{rng.randint(20, 500)}户"]],
                is_published=k % 10 < 7,
                published_at=datetime.datetime(today.year, 1, 1, tzinfo=TZ) + datetime.timedelta(days=k % 300)
                if k % 10 < 7
                else None,
                created_by=users["bench_city"],
            )
            for k, person in enumerate(rng.sample(people.persons, min(len(people.persons), shape.stories)))
        ),
    )
    return {
        "pairings": len(created),
        "pairing_contacts": insert_count(PairingContact, contacts()),
        "stories": len(stories),
    }
