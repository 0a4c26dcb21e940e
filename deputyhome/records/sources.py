"""Per-deputy counts read from the other apps (training, activities, opinions) for duty records.

Each function returns {deputy_id: {name: value}} from one grouped query, for any number of
deputies. The apps are looked up lazily, so a duty record still works (counting nothing from
that source) in a deployment or a test run without one of them.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.urls import NoReverseMatch

if TYPE_CHECKING:
    from .figures import Period

PRESENT, EXCUSED, ABSENT = "present", "excused", "absent"


def model(app_label: str, name: str):
    """The model, or None when its app is not installed or does not define it."""
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def selector(module: str, name: str):
    """A function from another app's selectors, or None while that app does not provide it."""
    full = f"deputyhome.{module}"
    if importlib.util.find_spec(full) is None:
        return None
    return getattr(importlib.import_module(full), name, None)


def training_by_deputy(ids: Any, period: Period) -> dict[int, dict[str, Any]]:
    """Training sessions attended, hours and unexcused absences per deputy."""
    attendance = model("training", "Attendance")
    if attendance is None:
        return {}
    rows = (
        attendance.objects.filter(deputy_id__in=ids, session__date__range=(period.start, period.end))
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
    participation = model("activities", "Participation")
    if participation is None:
        return {}
    rows = (
        participation.objects.filter(deputy_id__in=ids, activity__date__range=(period.start, period.end))
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
    reception = model("opinions", "Reception")
    opinion = model("opinions", "Opinion")
    out: dict[int, dict[str, Any]] = {}
    if reception is not None:
        through = reception.deputies.through
        for row in (
            through.objects.filter(deputy_id__in=ids, reception__date__range=(period.start, period.end))
            .values("deputy_id")
            .annotate(receptions=Count("reception_id", distinct=True), voters=Sum("reception__voters_received"))
            .order_by()
        ):
            out[row["deputy_id"]] = {"receptions": row["receptions"], "voters": row["voters"] or 0}
    if opinion is not None:
        for row in (
            opinion.objects.filter(deputy_id__in=ids, received_on__range=(period.start, period.end))
            .exclude(status__in=["new", "merged"])
            .values("deputy_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            out.setdefault(row["deputy_id"], {})["opinions"] = row["n"]
    return out


# Lists for one deputy's record page ----------------------------------------------------------------------


def _url(obj) -> str:
    # The other app's pages may not be wired yet; the record then shows the entry without a link.
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


def activity_list(deputy_id: int, period: Period) -> list[dict[str, Any]]:
    participation = model("activities", "Participation")
    if participation is None:
        return []
    rows = (
        participation.objects.filter(deputy_id=deputy_id, activity__date__range=(period.start, period.end))
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
            "url": _url(p.activity),
        }
        for p in rows
    ]


def reception_list(deputy_id: int, period: Period) -> list[dict[str, Any]]:
    reception = model("opinions", "Reception")
    if reception is None:
        return []
    rows = (
        reception.objects.filter(deputies=deputy_id, date__range=(period.start, period.end))
        .select_related("station")
        .order_by("date", "pk")
    )
    return [{"date": r.date, "station": r.station.name, "voters": r.voters_received, "url": _url(r)} for r in rows]


def training_list(deputy_id: int, period: Period) -> list[dict[str, Any]]:
    attendance = model("training", "Attendance")
    if attendance is None:
        return []
    rows = (
        attendance.objects.filter(deputy_id=deputy_id, session__date__range=(period.start, period.end))
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
