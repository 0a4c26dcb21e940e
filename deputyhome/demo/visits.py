"""Demo: the deputies who seldom came to a home or a station this year.

The activities demo lists every member of a group at each of its two to four activities, each present with a chance
of 85%, so nearly everyone came (代表进站情况 read 100% and the page had nothing to show). Real places have deputies
who did not come all year: away at work, ill, or simply not active. Here about one in twenty of the deputies in a
group, more in three townships than elsewhere (so the table of the lowest townships says something), were excused
or absent at every group and station activity of the year.

They are taken off this year's receptions they were listed at (each reception keeps its other deputies; where all
of them were drawn, the first came after all). Left out: the deputies who found a problem (the problem names them as
present), those with a login by then (the demo logins), and the article's model deputies. Runs after the activities
and opinions builders, from a generator of its own; only this year's rows change, and no count of receptions,
voters or activities.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from deputyhome.accounts.models import User
from deputyhome.activities.choices import Attendance
from deputyhome.activities.models import Participation, Problem
from deputyhome.opinions.models import ModelStory, Reception

HEAVY_TOWNSHIPS = 3  # townships where more deputies stayed away
HEAVY, LIGHT = 0.16, 0.035  # a deputy's chance of staying away there, and elsewhere


def build(ctx: Any) -> dict[str, int]:
    rng, year = ctx.rng, ctx.today.year
    kept = set(Problem.objects.exclude(deputy=None).values_list("deputy_id", flat=True))
    received = Reception.deputies.through.objects.filter(reception__date__year=year)
    kept |= set(User.objects.exclude(deputy=None).values_list("deputy_id", flat=True))
    kept |= set(ModelStory.objects.values_list("deputy_id", flat=True))
    townships = sorted({p.township.pk for p in ctx.deputies.persons if p.township is not None})
    heavy = set(rng.sample(townships, k=min(HEAVY_TOWNSHIPS, len(townships))))
    away: list[int] = []
    for person in ctx.deputies.persons:
        if person.group is None or person.deputy.pk in kept:
            continue
        if rng.random() < (HEAVY if person.township.pk in heavy else LIGHT):
            away.append(person.deputy.pk)
    # Each reception keeps a deputy.
    listed: dict[int, list[int]] = {}
    for reception, deputy in received.order_by("reception_id", "deputy_id").values_list("reception_id", "deputy_id"):
        listed.setdefault(reception, []).append(deputy)
    drawn = set(away)
    came = {deputies[0] for deputies in listed.values() if drawn.issuperset(deputies)}
    away = [pk for pk in away if pk not in came]
    at_homes = Q(activity__group__isnull=False) | Q(activity__station__isnull=False)
    rows = Participation.objects.filter(at_homes, deputy_id__in=away, activity__date__year=year)
    excused = set(away[::2])  # half asked for leave, the others did not come
    rows.filter(deputy_id__in=excused).update(attendance=Attendance.EXCUSED)
    rows.exclude(deputy_id__in=excused).update(attendance=Attendance.ABSENT)
    received.filter(deputy_id__in=away).delete()
    return {"全年未进站代表": len(away)}
