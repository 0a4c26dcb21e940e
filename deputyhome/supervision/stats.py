"""Statistics of deputies' suggestions for one year, limited to the user's scope.

The suggestions come from `suggestions.selectors.suggestion_list(user=...)`, so a township
officer counts their township's, a unit clerk those assigned to their unit, a deputy their own.
The top-level figures (and the groupings by state, category, unit, township and result) are those of
the user's own congress (`own_congress_q`): for the city's users the city congress's, for a township
officer whose township elects a congress that congress's; anyone else's whole scope. `by_congress`
gives received / assigned / replied / closed per congress in scope (a township officer: their own only).

Each figure group is one grouped query (eight queries whatever the number of suggestions; a scoped user's
year is first read as a list of ids, and a township officer's region adds two). Accepted and late replies are
probed through their index per counted suggestion (or hashed once, as the database chooses), and the final
evaluations are counted in one pass over the year's: no figure reads every reply, event or evaluation of a
province (decision 84).

Definitions (all among the suggestions of `Suggestion.year == year`):

* received: submitted at some time (``submitted_at`` set) and not a draft. Suggestions returned
  at screening or withdrawn after submission were received and stay counted; a draft withdrawn
  before submission never was.
* received_in_session / received_in_recess: received with / without a session (会议期间／闭会期间).
* registered: given a number (立案). assigned: given an assignment date (交办), even if the unit
  then sent it back and it waits to be assigned again.
* replied: has a reply that staff accepted (答复已审核通过), whatever happened after (evaluation,
  closing or re-handling).
* replied_on_time: replied, and none of its replies was submitted after the due date then in force
  (the ``on_time`` flag the reply service writes on each "reply" event); on_time_rate is
  replied_on_time / replied (None when nothing is replied).
* overdue: waiting for a reply past its due date today (`suggestions.selectors.overdue_q`).
* satisfied / basically_satisfied / dissatisfied / no_evaluation: by the lead deputy's latest
  evaluation of the result (the final round's once re-handling is evaluated); no_evaluation is a
  window that passed without an answer. evaluated is their sum; satisfaction_rate is
  (satisfied + basically satisfied) / evaluated.
* by_unit: by the active lead unit (主办单位). by_township: by `Suggestion.region`, the lead
  deputy's township when submitted.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role, ScopeKind
from deputyhome.core.filters import query_year
from deputyhome.organisation.choices import CongressLevel
from deputyhome.suggestions.choices import Action, AssignmentStatus, ReviewStatus, Satisfaction, State, UnitRole
from deputyhome.suggestions.models import Evaluation, Event, Reply, Suggestion
from deputyhome.suggestions.queues import has_township_desk
from deputyhome.suggestions.selectors import overdue_q, suggestion_list


def accepted_q() -> Q:
    """Suggestions with a reply staff accepted: a semi-join on one uncorrelated subquery (hashed once)."""
    return Q(pk__in=Reply.objects.filter(review_status=ReviewStatus.ACCEPTED).values("suggestion_id"))


def late_q() -> Q:
    """Suggestions one of whose replies came after the due date then in force."""
    return Q(pk__in=Event.objects.filter(action=Action.REPLY, data__on_time=False).values("suggestion_id"))


def replied_here() -> Q:
    """`accepted_q` for the suggestion of the row being counted: one probe of the replies' index per counted
    suggestion, where the semi-join hashed every accepted reply of the province (decision 84)."""
    return Q(Exists(Reply.objects.filter(suggestion=OuterRef("pk"), review_status=ReviewStatus.ACCEPTED)))


def late_here() -> Q:
    """`late_q` for the suggestion of the row being counted (as `replied_here`)."""
    return Q(Exists(Event.objects.filter(suggestion=OuterRef("pk"), action=Action.REPLY, data__on_time=False)))


def final_evaluations() -> QuerySet[Evaluation]:
    """The lead deputy's latest evaluation of each suggestion (the last round's, the last given): one row
    per suggestion, found by an anti-join (no later one by the same deputy), not a subquery per suggestion."""
    later = Evaluation.objects.filter(suggestion=OuterRef("suggestion"), deputy=OuterRef("deputy")).filter(
        Q(round__gt=OuterRef("round")) | Q(round=OuterRef("round"), pk__gt=OuterRef("pk"))
    )
    return Evaluation.objects.filter(deputy_id=F("suggestion__author_id")).filter(~Exists(later))


def final_counts(within: QuerySet) -> dict[str, int]:
    """How the final evaluations of the suggestions `within` (a query of ids) rated the result, in one grouped
    pass over them (one final evaluation per suggestion): satisfied, basically satisfied, dissatisfied, and
    the windows that passed without an answer; the same figures as `final_q`'s semi-joins."""
    return (
        final_evaluations()
        .filter(suggestion_id__in=within)
        .aggregate(
            satisfied=Count("pk", filter=Q(result=Satisfaction.SATISFIED)),
            basically_satisfied=Count("pk", filter=Q(result=Satisfaction.BASIC)),
            dissatisfied=Count("pk", filter=Q(result=Satisfaction.DISSATISFIED)),
            no_evaluation=Count("pk", filter=Q(no_response=True)),
        )
    )


def final_q(*results: str, silent: bool = False) -> Q:
    """Suggestions whose final evaluation (`final_evaluations`) rated the result one of `results`, or
    (`silent`) was the window passing without an answer."""
    finals = final_evaluations().filter(no_response=True) if silent else final_evaluations().filter(result__in=results)
    return Q(pk__in=finals.values("suggestion_id"))


def received(*, user, year: int) -> QuerySet[Suggestion]:
    """The year's received suggestions in the user's scope (every congress in it), one row each; a unit counts
    what was assigned to it (not what a township forwarded to it)."""
    return (
        suggestion_list(user=user, forwarded=False)
        .select_related(None)
        .prefetch_related(None)
        .filter(year=year, submitted_at__isnull=False)
        .exclude(state=State.DRAFT)
        .order_by()
    )


def own_congress_q(user) -> Q | None:
    """The congress whose figures head the user's statistics (`accounts.scopes.figures_congress_q`)."""
    has_congress = user.role == Role.TOWNSHIP_OFFICER and has_township_desk(user)
    return scopes.figures_congress_q(user, has_congress=has_congress)


# A scoped user's year is read once as a list of ids when it holds at most this many suggestions.
LISTED_IDS = 5000


def _listed(user, qs: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    """`qs` as a list of ids read once, for a scoped user whose year is small: every figure then reads its rows
    by primary key. Joined to the scope's union in each of the eight queries, the database hashed the whole
    year's suggestions of the province every time (decision 84). The city's users keep the query."""
    if user.scope_kind == ScopeKind.CITY:
        return qs
    ids = list(qs.values_list("pk", flat=True)[: LISTED_IDS + 1])
    return qs if len(ids) > LISTED_IDS else Suggestion.objects.filter(pk__in=ids).order_by()


def _split(user, year: int, listed: bool = False) -> tuple[QuerySet[Suggestion], QuerySet[Suggestion]]:
    """(the user's own congress's received suggestions, those the rows per congress cover): a township
    officer's rows stop at their own congress; everyone else's cover their whole scope. `listed`: see
    `_listed`."""
    scoped = received(user=user, year=year)
    if listed:
        scoped = _listed(user, scoped)
    own = own_congress_q(user)
    if own is None:
        return scoped, scoped
    mine = scoped.filter(own)
    return mine, (scoped if user.scope_kind == ScopeKind.CITY else mine)


def congress_scope(*, user, year: int) -> QuerySet[Suggestion]:
    """The year's received suggestions whose figures the user reads per congress (see `_split`)."""
    return _split(user, year)[1]


def _figures(today: datetime.date) -> dict[str, Count]:
    replied = replied_here()
    return {
        "received": Count("pk"),
        "received_in_session": Count("pk", filter=Q(session__isnull=False)),
        "received_in_recess": Count("pk", filter=Q(session__isnull=True)),
        "registered": Count("pk", filter=Q(number__isnull=False)),
        "assigned": Count("pk", filter=Q(assigned_on__isnull=False)),
        "replied": Count("pk", filter=replied),
        "replied_on_time": Count("pk", filter=replied & ~late_here()),
        "overdue": Count("pk", filter=overdue_q(today)),
        "closed": Count("pk", filter=Q(state=State.CLOSED)),
        "key": Count("pk", filter=Q(is_key=True)),
    }


def by_congress(qs: QuerySet[Suggestion]) -> list[dict[str, Any]]:
    """The figures per congress of `qs` (one grouped query): the city's (and any above it) first, then the
    townships' by region code. A suggestion without a congress is the city's (`congress` None)."""
    rows = (
        qs.values("congress_id", "congress__name", "congress__level", "congress__region__code")
        .annotate(
            received=Count("pk"),
            assigned=Count("pk", filter=Q(assigned_on__isnull=False)),
            replied=Count("pk", filter=replied_here()),
            closed=Count("pk", filter=Q(state=State.CLOSED)),
        )
        .order_by()
    )
    out = [
        {
            "congress_id": r["congress_id"],
            "congress": r["congress__name"] or "本级人民代表大会",
            "level": r["congress__level"] or CongressLevel.CITY.value,
            "region": r["congress__region__code"] or "",
            "received": r["received"],
            "assigned": r["assigned"],
            "replied": r["replied"],
            "closed": r["closed"],
        }
        for r in rows
    ]
    out.sort(key=lambda r: (r["level"] == CongressLevel.TOWNSHIP, r["region"], r["congress"]))
    return out


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def suggestion_stats(*, user, year: int, today: datetime.date | None = None) -> dict[str, Any]:
    """The year's figures in the user's scope (see the module docstring for each definition)."""
    today = today or timezone.localdate()
    qs, per_congress = _split(user, year, listed=True)
    congress_rows = by_congress(per_congress)
    within = qs.values("pk")
    counts = qs.aggregate(**_figures(today)) | final_counts(within)
    counts["evaluated"] = (
        counts["satisfied"] + counts["basically_satisfied"] + counts["dissatisfied"] + counts["no_evaluation"]
    )

    states = dict(qs.values_list("state").annotate(n=Count("pk")))
    by_state = [
        {"state": s.value, "label": str(s.label), "count": states.get(s.value, 0)} for s in State if s != State.DRAFT
    ]

    by_category = [
        {"id": row["category_id"], "name": row["category__name"] or "未分类", "count": row["n"]}
        for row in qs.values("category_id", "category__name", "category__order")
        .annotate(n=Count("pk"))
        .order_by(F("category__order").asc(nulls_last=True), "category__name")
    ]

    lead = Q(assignments__role=UnitRole.LEAD, assignments__status=AssignmentStatus.ACTIVE)
    by_unit = [
        {
            "id": row["assignments__unit_id"],
            "name": row["assignments__unit__name"],
            "count": row["n"],
            "replied": row["replied"],
            "overdue": row["overdue"],
            "closed": row["closed"],
        }
        for row in qs.filter(lead)
        .values("assignments__unit_id", "assignments__unit__name")
        .annotate(
            n=Count("pk"),
            replied=Count("pk", filter=replied_here()),
            overdue=Count("pk", filter=overdue_q(today)),
            closed=Count("pk", filter=Q(state=State.CLOSED)),
        )
        .order_by("-n", "assignments__unit__name")
    ]

    by_township = [
        {
            "id": row["region_id"],
            "code": row["region__code"],
            "name": row["region__name"] or "未填写",
            "count": row["n"],
        }
        for row in qs.values("region_id", "region__code", "region__name")
        .annotate(n=Count("pk"))
        .order_by(F("region__code").asc(nulls_last=True))
    ]

    by_result_class = [
        {"code": row["result_class__code"], "label": row["result_class__label"], "count": row["n"]}
        for row in qs.filter(result_class__isnull=False)
        .values("result_class__code", "result_class__label", "result_class__order")
        .annotate(n=Count("pk"))
        .order_by("result_class__order", "result_class__code")
    ]

    return {
        "year": year,
        "as_of": today.isoformat(),
        "scope": user.scope_kind,
        **counts,
        "on_time_rate": _rate(counts["replied_on_time"], counts["replied"]),
        "satisfaction_rate": _rate(counts["satisfied"] + counts["basically_satisfied"], counts["evaluated"]),
        "by_state": by_state,
        "by_category": by_category,
        "by_unit": by_unit,
        "by_township": by_township,
        "by_result_class": by_result_class,
        "by_congress": congress_rows,
    }


def parse_year(value: str | None, default: int | None = None) -> int | None:
    """A year from a query string: four digits between 2000 and 2100; None if invalid. Empty → default."""
    return query_year(value, default if default is not None else timezone.localdate().year)
