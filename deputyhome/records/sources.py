"""Per-deputy counts read from the other apps (training, activities, opinions) for duty records.

Each counting function gives one grouped query (the deputy as `did`, then its counts) for any number of deputies;
`figures.duty_figures` reads them all in one statement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet, Sum

from deputyhome.activities.models import Participation
from deputyhome.opinions.models import Opinion, Pairing, PairingContact, Reception
from deputyhome.opinions.selectors import pairing_in_force_q
from deputyhome.training.models import Attendance

if TYPE_CHECKING:
    from .periods import Period

PRESENT, EXCUSED, ABSENT = "present", "excused", "absent"


def training_counts(ids: Any, period: Period) -> QuerySet:
    """Training sessions attended, hours, unexcused absences and invitations of any status (the record's list) per
    deputy (`did`)."""
    return (
        Attendance.objects.filter(deputy_id__in=ids, session__date__range=(period.start, period.end))
        .values(did=F("deputy_id"))
        .annotate(
            sessions=Count("pk", filter=Q(status=PRESENT)),
            hours=Sum("session__hours", filter=Q(status=PRESENT)),
            absent=Count("pk", filter=Q(status=ABSENT)),
            listed=Count("pk"),
        )
        .order_by()
    )


def activity_counts(ids: Any, period: Period) -> QuerySet:
    """Activities attended (present), missed without leave, and taken part in at all (the record's list) per deputy
    (`did`)."""
    return (
        Participation.objects.filter(deputy_id__in=ids, activity__date__range=(period.start, period.end))
        .values(did=F("deputy_id"))
        .annotate(
            present=Count("pk", filter=Q(attendance=PRESENT)),
            absent=Count("pk", filter=Q(attendance=ABSENT)),
            listed=Count("pk"),
        )
        .order_by()
    )


def reception_counts(ids: Any, period: Period) -> QuerySet:
    """Receptions a deputy (`did`) took part in and the voters received there."""
    return (
        Reception.deputies.through.objects.filter(deputy_id__in=ids, reception__date__range=(period.start, period.end))
        .values(did=F("deputy_id"))
        .annotate(receptions=Count("reception_id", distinct=True), voters=Sum("reception__voters_received"))
        .order_by()
    )


def opinion_counts(ids: Any, period: Period) -> QuerySet:
    """Voter opinions a deputy (`did`) handled."""
    return (
        Opinion.objects.filter(deputy_id__in=ids, received_on__range=(period.start, period.end))
        .exclude(status__in=["new", "merged"])
        .values(did=F("deputy_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )


def paired_counts(ids: Any, period: Period) -> QuerySet:
    """The households paired with each deputy (`did`) at the period's end (结对联系户, the pairings in force)."""
    return (
        Pairing.objects.filter(pairing_in_force_q(period.end), deputy_id__in=ids)
        .values(did=F("deputy_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )


def pairing_contact_counts(ids: Any, period: Period) -> QuerySet:
    """The contacts with paired households a deputy (`did`) logged in the period, and the households contacted."""
    return (
        PairingContact.objects.filter(pairing__deputy_id__in=ids, date__range=(period.start, period.end))
        .values(did=F("pairing__deputy_id"))
        .annotate(contacts=Count("pk"), households=Count("pairing_id", distinct=True))
        .order_by()
    )


# Lists for one deputy's record page ----------------------------------------------------------------------


def _dated(model: Any, deputy: str, day: str, related: str, tie: str, deputy_id: int, period: Period) -> QuerySet:
    """The deputy's rows of `model` (`deputy`: the field naming them) dated in the period (`day`), by date then
    `tie`, with `related` read along."""
    rows = model.objects.filter(**{deputy: deputy_id, f"{day}__range": (period.start, period.end)})
    return rows.select_related(related).order_by(day, tie)


def activity_list(deputy_id: int, period: Period) -> list[dict[str, Any]]:
    rows = _dated(Participation, "deputy_id", "activity__date", "activity", "activity_id", deputy_id, period)
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
    rows = _dated(Reception, "deputies", "date", "station", "pk", deputy_id, period)
    return [
        {"date": r.date, "station": r.station.name, "voters": r.voters_received, "url": r.get_absolute_url()}
        for r in rows
    ]


def training_list(deputy_id: int, period: Period) -> list[dict[str, Any]]:
    rows = _dated(Attendance, "deputy_id", "session__date", "session", "session_id", deputy_id, period)
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


def pairing_contact_list(deputy_id: int, period: Period) -> list[dict[str, Any]]:
    rows = _dated(PairingContact, "pairing__deputy_id", "date", "pairing__village", "pk", deputy_id, period)
    return [
        {
            "date": c.date,
            "household": f"{c.pairing.household}户",
            "village": c.pairing.village.name if c.pairing.village else "",
            "way": c.get_way_display(),
            "notes": c.notes,
            "url": c.pairing.get_absolute_url(),
        }
        for c in rows
    ]
