"""The year's activity figures of a scope in three grouped reads, rolled up in Python to every table of the page.

The statistics page shows one year of a scope five ways: the totals, by region (a level at a time), by station, by
campaign, and (for the annual report) by organising region. Each used to be its own three grouped queries (the
activities, the deputies present, the problems found), each with the scope's filter: twenty queries whose building
cost a township's page more than running them. Now the activities and the problems are read once, grouped by the
finest key any table needs (`Key`: the organising region, its code cut at the township, the station, the
campaign), and summed up to each table here. A deputy present twice counts once in each row, so the deputies are
read as distinct (key, deputy) pairs rather than counts: a few hundred in a scope's year, about 16,000 in a
province's, which only the computation ahead (`activities.precomputed`) reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Left

from deputyhome.accounts import scopes

from ..choices import Attendance, ProblemStatus, ReferralStatus
from ..models import Activity, Participation, Problem

if TYPE_CHECKING:
    from deputyhome.accounts.models import User

# Region codes by level: province 2 digits, prefecture 4, county 6, township 9; the drill-down stops at townships.
CODE_LENGTHS = (2, 4, 6, 9)
FINE = CODE_LENGTHS[-1]  # the codes are read cut at the township: a village's activities count in its township

# The figures of a table's row, in this order (a snapshot stores them as a list).
FIGURES = ("activities", "deputies", "problems_found", "to_suggestions", "forwarded", "closed_on_spot")
# What a problem counts, per row and in the totals.
PROBLEM_FIGURES = (
    "problems_found",
    "to_suggestions",
    "forwarded",
    "closed_on_spot",
    "problems_open",
    "referrals_replied",
    "suggestions_closed_satisfied",
)

# (organising region id, its code cut at the fine length, station id, campaign id)
Key = tuple[int, str, int | None, int | None]


def _satisfied_q() -> Q:
    from deputyhome.suggestions.choices import Satisfaction, State
    from deputyhome.suggestions.models import Evaluation

    good = Evaluation.objects.filter(
        suggestion_id=OuterRef("suggestion_id"), result__in=[Satisfaction.SATISFIED, Satisfaction.BASIC]
    )
    return Q(status=ProblemStatus.SUGGESTION, suggestion__state=State.CLOSED) & Q(Exists(good))


def _problem_counts() -> dict[str, Any]:
    """How many problems were found, how many ended each of the three ways, and what became of them."""
    return {
        "problems_found": Count("pk"),
        "to_suggestions": Count("pk", filter=Q(status=ProblemStatus.SUGGESTION)),
        "forwarded": Count("pk", filter=Q(status=ProblemStatus.FORWARDED)),
        "closed_on_spot": Count("pk", filter=Q(status=ProblemStatus.CLOSED)),
        "problems_open": Count("pk", filter=Q(status=ProblemStatus.OPEN)),
        "referrals_replied": Count(
            "pk", filter=Q(status=ProblemStatus.FORWARDED, referral__status=ReferralStatus.REPLIED)
        ),
        "suggestions_closed_satisfied": Count("pk", filter=_satisfied_q()),
    }


@dataclass
class Tallies:
    """The year's activities, deputies present and problems of a scope, by `Key`."""

    activities: dict[Key, int]
    people: list[tuple[Key, int]]  # distinct (key, deputy id)
    problems: dict[Key, dict[str, int]]  # PROBLEM_FIGURES by key

    def rolled_up(
        self, key: Callable[[Key], Hashable], keep: Callable[[Key], bool] | None = None
    ) -> dict[Any, dict[str, int]]:
        """The figures (FIGURES and PROBLEM_FIGURES) summed by `key(k)` over the keys `keep` admits."""
        out: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES + PROBLEM_FIGURES, 0))
        for k, n in self.activities.items():
            if keep is None or keep(k):
                out[key(k)]["activities"] += n
        present: dict[Any, set[int]] = defaultdict(set)
        for k, deputy in self.people:
            if keep is None or keep(k):
                present[key(k)].add(deputy)
        for group, deputies in present.items():
            out[group]["deputies"] = len(deputies)
        for k, counts in self.problems.items():
            if keep is None or keep(k):
                row = out[key(k)]
                for name in PROBLEM_FIGURES:
                    row[name] += counts[name]
        return dict(out)

    def whole(self) -> dict[str, int]:
        return self.rolled_up(lambda k: None).get(None) or dict.fromkeys(FIGURES + PROBLEM_FIGURES, 0)

    def by_region(self, length: int, code: str = "") -> dict[str, dict[str, int]]:
        """By region code cut at `length`, of the keys within region `code`."""
        return self.rolled_up(lambda k: k[1][:length], (lambda k: k[1].startswith(code)) if code else None)


def year_tallies(*, user: User, year: int, fine: int = FINE, within: str = "") -> Tallies:
    """The user's year in three grouped queries, the region codes cut at `fine` (longer to drill below the
    townships); only the activities and problems of region `within` (a code) if given. Attendance is read through
    its own join to the activity (the year and the region): the city's users have no scope to add, and a semi-join
    on the year's activities besides would join them twice."""
    scope = scopes.activities_q(user)
    code = Left("region__code", fine)
    inside = Q(region__code__startswith=within) if within else Q()
    keys = ("region_id", "code", "station_id", "campaign_id")
    activities = (
        Activity.objects.filter(scope, inside, date__year=year)
        .order_by()
        .annotate(code=code)
        .values_list(*keys)
        .annotate(n=Count("pk"))
    )
    people = Participation.objects.filter(attendance=Attendance.PRESENT, activity__date__year=year)
    if within:
        people = people.filter(activity__region__code__startswith=within)
    if scope:
        people = people.filter(activity__in=Activity.objects.filter(scope))
    people = (
        people.order_by()
        .annotate(code=Left("activity__region__code", fine))
        .values_list("activity__region_id", "code", "activity__station_id", "activity__campaign_id", "deputy_id")
        .distinct()
    )
    counts = _problem_counts()
    problems = (
        Problem.objects.filter(scopes.problems_q(user), inside, date__year=year)
        .order_by()
        .annotate(code=code)
        .values("region_id", "code", "activity__station_id", "activity__campaign_id")
        .annotate(**counts)
    )
    return Tallies(
        activities={(r, c, s, k): n for r, c, s, k, n in activities},
        people=[((r, c, s, k), d) for r, c, s, k, d in people],
        problems={
            (row["region_id"], row["code"], row["activity__station_id"], row["activity__campaign_id"]): {
                name: row[name] for name in counts
            }
            for row in problems
        },
    )
