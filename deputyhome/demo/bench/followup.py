"""What follows a suggestion beyond its own course, and the stations' rules on the wall: a township's matters
forwarded to the units of the city above it (转请上级办理: one in eight of the township congresses' assigned
suggestions, most answered, some pending and overdue, a few withdrawn), the supervision of the key suggestions
(督办记录: two or three each) and the rules every station keeps (制度上墙: the demo's rules, their 2022 text on
every station's wall and this year's revision at three stations in five)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from deputyhome.activities.models import Rule, RulePosting, RuleVersion
from deputyhome.organisation.choices import CongressLevel
from deputyhome.suggestions.choices import ForwardStatus, State, SupervisionMethod
from deputyhome.suggestions.models import Forward, Suggestion, SupervisionRecord

from ..activities.stations import REVISED_RULE, REVISED_TEXT, RULES
from ..clock import day_between
from .bulk import insert, insert_count
from .regions import Org

FORWARDED = 1 / 8
ASSIGNED = [State.ASSIGNED, State.HANDLING, State.REPLIED, State.REHANDLING, State.AWAITING_EVALUATION, State.CLOSED]
METHODS = list(SupervisionMethod.values)
DAY = datetime.timedelta(days=1)


def build_forwards(org: Org, rng: random.Random, today: datetime.date, users) -> dict[str, int]:
    """Matters of assigned township suggestions forwarded to a unit of the county above, due in 30 days."""
    rows = (
        Suggestion.objects.filter(congress__level=CongressLevel.TOWNSHIP, state__in=ASSIGNED, assigned_on__isnull=False)
        .order_by("pk")
        .values_list("pk", "assigned_on", "congress__region__code")
    )
    township, unit_user = users["bench_township"], users["bench_unit"]

    def forwards() -> Iterator[Forward]:
        for pk, assigned_on, code in rows.iterator(chunk_size=5_000):
            if rng.random() >= FORWARDED:
                continue
            on = day_between(rng, assigned_on, min(today, assigned_on + 20 * DAY))
            due = on + 30 * DAY
            r = rng.random()
            status = (
                ForwardStatus.PENDING if r < 0.15 else ForwardStatus.WITHDRAWN if r < 0.2 else ForwardStatus.ANSWERED
            )
            if status != ForwardStatus.PENDING and on >= today:
                status = ForwardStatus.PENDING  # forwarded today: nothing has come back yet
            answered = day_between(rng, on, min(today, due + 10 * DAY)) if status == ForwardStatus.ANSWERED else None
            yield Forward(
                suggestion_id=pk,
                unit=rng.choice(org.units_for(org.by_code[code[:6]])),
                forwarded_by=township,
                forwarded_on=on,
                due_on=due,
                note="请市级单位统筹安排资金，研究办理。",
                status=status,
                answer="已纳入年度计划统筹安排。" if answered else "",
                answered_on=answered,
                answered_by=unit_user if answered else None,
                withdrawn_on=day_between(rng, on, today) if status == ForwardStatus.WITHDRAWN else None,
            )

    return {"forwards": insert_count(Forward, forwards())}


def build_supervision(rng: random.Random, today: datetime.date, users) -> dict[str, int]:
    """Two or three supervision records for every key suggestion once assigned, on days since it was."""
    keys = Suggestion.objects.filter(is_key=True, assigned_on__isnull=False).values_list("pk", "assigned_on")

    def records() -> Iterator[SupervisionRecord]:
        for pk, assigned_on in keys.iterator(chunk_size=5_000):
            for _ in range(rng.randint(2, 3)):
                yield SupervisionRecord(
                    suggestion_id=pk,
                    method=rng.choice(METHODS),
                    date=day_between(rng, assigned_on, today),
                    findings="承办单位已制定办理方案，正在推进。",
                    follow_up="按期答复代表。" if rng.random() < 0.5 else "",
                    recorded_by=users["bench_supervisor"],
                )

    return {"supervision_records": insert_count(SupervisionRecord, records())}


def build_rules(org: Org, rng: random.Random, today: datetime.date) -> dict[str, int]:
    """The demo's rules in their 2022 text on every station's wall; this year's revision at three in five."""
    rules = insert(Rule, (Rule(title=t, category=c) for t, c, _text in RULES))
    first = datetime.date(2022, 3, 1)
    versions = insert(
        RuleVersion,
        (
            RuleVersion(rule=r, version="2022年版", text=text, effective_on=first)
            for r, (_t, _c, text) in zip(rules, RULES, strict=True)
        ),
    )
    revised_on = datetime.date(today.year, 1, 1)
    (revised,) = insert(
        RuleVersion,
        [
            RuleVersion(
                rule=next(r for r in rules if r.title == REVISED_RULE),
                version=f"{today.year}年修订版",
                text=REVISED_TEXT,
                effective_on=revised_on,
            )
        ],
    )

    def postings() -> Iterator[RulePosting]:
        for station in org.stations:
            for version in versions:
                yield RulePosting(
                    station=station, version=version, posted_on=day_between(rng, first, first + 120 * DAY)
                )
            if rng.random() < 0.6:
                yield RulePosting(station=station, version=revised, posted_on=day_between(rng, revised_on, today))

    return {"rules": len(rules), "rule_postings": insert_count(RulePosting, postings())}
