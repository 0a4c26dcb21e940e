"""The points list ranked in the database: every deputy's total by the year's scheme in one SQL query, one page
of rows read back (at province scale the list has 100,000 deputies; scoring them in Python took seconds).

The total is computed in cents from the same counts `figures.duty_figures` gathers (one grouped subquery per
source, left-joined to the deputies in scope) and the same rule as `points.score`: count × points rounded to
the cent (half up), limited to the cap, subtracted for a deduction. The page's rows are then scored in Python
from their full figures (`duty_figures` for those ids only), so what a row shows is exactly what the deputy's
record shows; the SQL total orders and ranks them (competition ranking: 1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from deputyhome.deputies.models import Mandate
from deputyhome.motions.choices import AttendanceStatus
from deputyhome.motions.models import SessionAttendance
from deputyhome.opinions.models import Reception
from deputyhome.training.models import Attendance

from . import prepared, sources
from .choices import PointsRule, VoterReportStatus
from .figures import DutyFigures, cosigned_counts, sessions_expected_counts, submitted_suggestions
from .models import VoterReport
from .periods import Period
from .points import ItemSpec
from .sources import ABSENT, PRESENT


def _sources(ids: Any, period: Period) -> dict[str, QuerySet]:
    """{alias: grouped queryset with `did` and its counts}, as `figures.duty_figures` counts them (the same queries
    where the list needs the same counts)."""
    days = (period.start, period.end)
    return {
        "se": sessions_expected_counts(ids, period),
        "sx": SessionAttendance.objects.filter(
            deputy_id__in=ids,
            session__start_date__range=days,
            status__in=[AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT],
        )
        .values(did=F("deputy_id"))
        .annotate(
            excused=Count("pk", filter=Q(status=AttendanceStatus.EXCUSED)),
            absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
        )
        .order_by(),
        "tr": Attendance.objects.filter(deputy_id__in=ids, session__date__range=days)
        .values(did=F("deputy_id"))
        .annotate(hours=Sum("session__hours", filter=Q(status=PRESENT)), absent=Count("pk", filter=Q(status=ABSENT)))
        .order_by(),
        "ac": sources.activity_counts(ids, period),
        "re": Reception.deputies.through.objects.filter(deputy_id__in=ids, reception__date__range=days)
        .values(did=F("deputy_id"))
        .annotate(n=Count("reception_id", distinct=True))
        .order_by(),
        "op": sources.opinion_counts(ids, period),
        "sl": submitted_suggestions(ids, period)
        .filter(number__isnull=False)
        .values(did=F("author_id"))
        .annotate(n=Count("pk"))
        .order_by(),
        "sc": cosigned_counts(ids, period),
        "vr": VoterReport.objects.filter(deputy_id__in=ids, date__range=days, status=VoterReportStatus.HELD)
        .values(did=F("deputy_id"))
        .annotate(n=Count("pk"))
        .order_by(),
        "pc": sources.pairing_contact_counts(ids, period),
    }


def _z(column: str) -> str:
    return f"COALESCE({column}, 0)"


_ATTENDED = f"({_z('se.n')} - {_z('sx.excused')} - {_z('sx.absent')})"
# Each rule's count, as `DutyFigures.count_for` reads it.
_COUNTS = {
    PointsRule.SESSION_ATTENDED: f"(CASE WHEN {_ATTENDED} > 0 THEN {_ATTENDED} ELSE 0 END)",
    PointsRule.TRAINING_HOUR: _z("tr.hours"),
    PointsRule.ACTIVITY_ATTENDED: _z("ac.present"),
    PointsRule.RECEPTION: _z("re.n"),
    PointsRule.OPINION_HANDLED: _z("op.n"),
    PointsRule.SUGGESTION_LED: _z("sl.n"),
    PointsRule.SUGGESTION_COSIGNED: _z("sc.n"),
    PointsRule.REPORT_TO_VOTERS: _z("vr.n"),
    PointsRule.HOUSEHOLD_CONTACT: _z("pc.contacts"),
    PointsRule.UNEXCUSED_ABSENCE: f"({_z('sx.absent')} + {_z('tr.absent')} + {_z('ac.absent')})",
}


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def _total_cents(specs: Sequence[ItemSpec]) -> tuple[str, list[Any]]:
    """The SQL for a deputy's total in cents under `specs`, with its parameters."""
    terms, params = [], []
    for spec in specs:
        raw = f"ROUND({_COUNTS[PointsRule(spec.rule)]} * %s)"
        params.append(_cents(spec.points))
        if spec.cap is not None:
            raw = f"(CASE WHEN {raw} > %s THEN %s ELSE {raw} END)"
            params = [*params[:-1], params[-1], _cents(spec.cap), _cents(spec.cap), params[-1]]
        terms.append(f"- {raw}" if spec.is_deduction else f"+ {raw}")
    return ("0 " + " ".join(terms)) if terms else "0", params


def held_mandate_in(period: Period) -> Q:
    """Deputies who held a mandate at some time in the period: those the points list ranks."""
    return Q(
        pk__in=Mandate.objects.filter(start_date__lte=period.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        .values("deputy_id")
    )


def ranked_page(
    *,
    deputies: QuerySet,
    period: Period,
    specs: Sequence[ItemSpec],
    offset: int = 0,
    limit: int | None,
    ids: list[int] | None = None,
) -> list[tuple[int, Decimal, int]]:
    """(deputy id, total, rank) of the deputies in `deputies` ranked by their points in `period`: one query.

    Ordered as the list is (total descending, then township code, name, id), `limit` rows from `offset` (None:
    all of them). `ids`, when the caller has read them (a township's or a group's deputies), are the deputies'
    ids as a list: each source then reads those deputies' rows by index, where the planner, given the scope's
    subquery nine times over, misjudged its size and scanned a year of suggestions."""
    if ids is not None:
        if not ids:
            return []
        deputies = deputies.filter(pk__in=ids)
    listed = deputies.annotate(did=F("pk"), rcode=Coalesce(F("region__code"), Value(""))).values("did", "rcode", "name")
    scope = ids if ids is not None else deputies.values("pk")
    sql, params = listed.order_by().query.sql_with_params()
    joins = []
    for alias, qs in _sources(scope, period).items():
        source_sql, source_params = qs.query.sql_with_params()
        joins.append(f"LEFT JOIN ({source_sql}) {alias} ON {alias}.did = d.did")
        params = (*params, *source_params)
    total, total_params = _total_cents(specs)
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    query = (
        f"SELECT did, total, RANK() OVER (ORDER BY total DESC) AS rnk, rcode, name FROM ("  # noqa: S608 - our own SQL
        f"SELECT d.did, d.rcode, d.name, ({total}) AS total FROM ({sql}) d {' '.join(joins)}) x"
    )
    query = f"SELECT did, total, rnk FROM ({query}) r ORDER BY total DESC, rcode{collate}, name{collate}, did"  # noqa: S608
    window: list[int] = []
    if limit is not None:
        query, window = f"{query} LIMIT %s OFFSET %s", [limit, offset]
    elif offset:
        raise ValueError("an offset needs a limit")
    with connection.cursor() as cursor:
        cursor.execute(query, [*total_params, *params, *window])
        return [(did, Decimal(int(total)) / 100, rank) for did, total, rank in cursor.fetchall()]


# Each source's columns, in the order `points_figures` reads them.
_COLUMNS = {
    "se": ("n", "0"),
    "sx": ("excused", "absent"),
    "tr": ("hours", "absent"),
    "ac": ("present", "absent"),
    "re": ("n", "0"),
    "op": ("n", "0"),
    "sl": ("n", "0"),
    "sc": ("n", "0"),
    "vr": ("n", "0"),
    "pc": ("contacts", "0"),
}


def points_figures(ids: list[int], period: Period) -> dict[int, DutyFigures]:
    """What the points list shows and scores for each deputy in `ids` (sessions attended, training hours, activities,
    receptions, opinions, suggestions led and co-signed, reports held, absences), in one query: the ranking's grouped
    sources one after another (UNION ALL), where `figures.duty_figures` runs nine and gathers more than the list shows.
    Deputies with nothing to count are absent, as there."""
    if not ids:
        return {}
    sql, params = prepared.statement("points_figures", _points_statement)
    out: dict[int, DutyFigures] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, prepared.bind(params, ids=ids, period=period))
        rows = cursor.fetchall()
    for alias, pk, first, second in rows:
        f = out.setdefault(pk, DutyFigures(deputy_id=pk))
        if alias == "se":
            f.sessions_expected = int(first or 0)
        elif alias == "sx":
            f.sessions_excused, f.sessions_absent = int(first or 0), int(second or 0)
        elif alias == "tr":
            f.training_hours = Decimal(str(first or 0)).quantize(Decimal("0.01"))
            f.training_absent = int(second or 0)
        elif alias == "ac":
            f.activities, f.activities_absent = int(first or 0), int(second or 0)
        else:
            setattr(f, _COUNTED[alias], int(first or 0))
    for f in out.values():
        f.count_attended()
    return out


def _points_statement() -> tuple[str, list[Any]]:
    """The sources one after another, built once (`prepared`): the ids as one parameter (an array, a JSON list)
    rather than one per id in each of nine sources, and the period's bounds as parameters."""
    parts, params = [], []
    for alias, qs in _sources(prepared.id_rows(prepared.IDS), prepared.OPEN).items():
        sql, source_params = qs.query.sql_with_params()
        first, second = (f"{alias}.{column}" if column != "0" else "0" for column in _COLUMNS[alias])
        parts.append(f"SELECT '{alias}', {alias}.did, {first}, {second} FROM ({sql}) {alias}")  # noqa: S608
        params.extend(source_params)
    return " UNION ALL ".join(parts), params


_COUNTED = {
    "re": "receptions",
    "op": "opinions_handled",
    "sl": "suggestions_led",
    "sc": "suggestions_cosigned",
    "vr": "reports_held",
    "pc": "household_contacts",
}
