"""Attendance at the city congress's session of this year in the demo: on the opening morning the committee
records every delegation's members, almost all present, a few on leave with the reason they gave (recording
请假 approves it), one absent. Nothing draws on a random generator: who is away follows the delegations' and
the deputies' order, and leaves out the heads and every deputy who leads or signs a motion."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from deputyhome.motions import services
from deputyhome.motions.choices import AttendanceStatus

from ..clock import TZ

# Delegation (by its place in the township order) → the reason its member on leave gave.
LEAVE = {1: "因病请假", 4: "因公出差", 7: "参加上级人大组织的培训", 10: "家中有急事", 13: "因病住院治疗"}
ABSENT = 2  # the delegation one of whose members did not come, without leave


def attendance_steps(motions: Any, plans: list) -> list[tuple[datetime.datetime, Callable[[], Any], tuple]]:
    """(when, action, who acts) of the committee recording each delegation at 08:00 on the opening day."""
    busy = {d.pk for p in plans if p.motion for d in (p.author, *p.cosigners)}
    start = motions.session.start_date
    steps = []
    for i, township in enumerate(t for t in motions.townships if motions.city_deputies.get(t.pk)):
        when = datetime.datetime(start.year, start.month, start.day, 8, i, tzinfo=TZ)
        steps.append((when, lambda i=i, t=township: _record(motions, t, i, busy), ()))
    return steps


def _record(motions: Any, township: Any, i: int, busy: set[int]) -> None:
    deputies = motions.city_deputies[township.pk]
    heads = {deputies[0].pk}
    free = [d for d in deputies if d.pk not in busy and d.pk not in heads]
    away = free[-1] if free and (i in LEAVE or i == ABSENT) else None
    entries, reasons = [], {}
    for d in deputies:
        if away is not None and d.pk == away.pk:
            status = AttendanceStatus.ABSENT if i == ABSENT else AttendanceStatus.EXCUSED
            if status == AttendanceStatus.EXCUSED:
                reasons[d.pk] = LEAVE[i]
        else:
            status = AttendanceStatus.PRESENT
        entries.append((d, status))
    services.session_attendance_record(
        session=motions.session,
        entries=entries,
        reasons=reasons,
        delegation=motions.delegations[township.pk],
        actor=motions.env.city,
    )
