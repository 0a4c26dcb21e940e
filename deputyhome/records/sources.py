"""Per-deputy counts read from the other apps (training, activities, opinions) for duty records.

Each function returns {deputy_id: {name: value}} from one grouped query, for any number of
deputies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, Sum

from deputyhome.activities.models import Participation
from deputyhome.opinions.models import Opinion, Reception
from deputyhome.training.models import Attendance

if TYPE_CHECKING:
    from .periods import Period

PRESENT, EXCUSED, ABSENT = "present", "excused", "absent"


def training_by_deputy(ids: Any, period: Period) -> dict[int, dict[str, Any]]:
    """Training sessions attended, hours and unexcused absences per deputy."""
    rows = (
        Attendance.objects.filter(deputy_id__in=ids, session__date__range=(period.start, period.end))
        .values("deputy_id")
        .annotate(
            sessions=Count("pk", filter=Q(status=PRESENT)),
            hours=Sum("session__hours", filter=Q(status=PRESENT)),
            absent=Count("pk", filter=Q(status=ABSENT)),
        )
        .order_by()
    )
    return {row["deputy_id"]: row for row in rows}


def activities_by_deputy(ids: Any, period: Period) -> dict[int, dict[str, Any]]:
    """Activities attended (present) and missed without leave per deputy."""
    rows = (
        Participation.objects.filter(deputy_id__in=ids, activity__date__range=(period.start, period.end))
        .values("deputy_id")
        .annotate(
            present=Count("pk", filter=Q(attendance=PRESENT)),
            absent=Count("pk", filter=Q(attendance=ABSENT)),
        )
        .order_by()
    )
    return {row["deputy_id"]: row for row in rows}


def receptions_by_deputy(ids: Any, period: Period) -> dict[int, dict[str, Any]]:
    """Receptions a deputy took part in, the voters received there, and voter opinions handled."""
    out: dict[int, dict[str, Any]] = {}
    for row in (
        Reception.deputies.through.objects.filter(deputy_id__in=ids, reception__date__range=(period.start, period.end))
        .values("deputy_id")
        .annotate(receptions=Count("reception_id", distinct=True), voters=Sum("reception__voters_received"))
        .order_by()
    ):
        out[row["deputy_id"]] = {"receptions": row["receptions"], "voters": row["voters"] or 0}
    for row in (
        Opinion.objects.filter(deputy_id__in=ids, received_on__range=(period.start, period.end))
        .exclude(status__in=["new", "merged"])
        .values("deputy_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        out.setdefault(row["deputy_id"], {})["opinions"] = row["n"]
    return out


# Lists for one deputy's record page ----------------------------------------------------------------------


def activity_list(deputy_id: int, period: Period) -> list[dict[str, Any]]:
    rows = (
        Participation.objects.filter(deputy_id=deputy_id, activity__date__range=(period.start, period.end))
        .select_related("activity")
        .order_by("activity__date", "activity_id")
    )
    return [
        {
            "date": p.activity.date,
            "title": p.activity.topic,
            "kind": p.activity.get_kind_display(),
            "status": p.get_attendance_display(),
            "present": p.attendance == PRESENT,
            "url": p.activity.get_absolute_url(),
        }
        for p in rows
    ]


def reception_list(deputy_id: int, period: Period) -> list[dict[str, Any]]:
    rows = (
        Reception.objects.filter(deputies=deputy_id, date__range=(period.start, period.end))
        .select_related("station")
        .order_by("date", "pk")
    )
    return [
        {"date": r.date, "station": r.station.name, "voters": r.voters_received, "url": r.get_absolute_url()}
        for r in rows
    ]


def training_list(deputy_id: int, period: Period) -> list[dict[str, Any]]:
    rows = (
        Attendance.objects.filter(deputy_id=deputy_id, session__date__range=(period.start, period.end))
        .select_related("session")
        .order_by("session__date", "session_id")
    )
    return [
        {
            "date": a.session.date,
            "title": str(a.session),
            "hours": a.session.hours,
            "status": a.get_status_display(),
            "present": a.status == PRESENT,
        }
        for a in rows
    ]
