"""Demo suggestions: this year's 118 session and 2 recess suggestions, driven through the real services.

The article counts 118 suggestions at the city congress's session and 2 in recess. This builder
makes exactly those 120 (all submitted, none withdrawn) plus three drafts that no statistic counts,
and spreads them over every stage of the course so that each desk, inbox and board has work on it.

Each suggestion is a plan: a list of steps, each a call of a service in
`deputyhome.suggestions.services` at a date of the year. All steps of all plans are run in
date order with `time_machine.travel`, so numbers follow the order of registration, and the
timeline events, audit rows, due dates, extensions and evaluation windows are the services' own.
Nothing happens after yesterday: a step planned later is left out, and so are the steps after
it, so a demo built early in the year simply has fewer late stages.

Where a suggestion is still open today (awaiting review or evaluation, re-handling, new in an
inbox, due soon), its dates are planned backwards from today; everything else runs forwards from
the session: registration a week later, assignment at the 交办会 four weeks after the opening,
replies within the three months. Notifications are delivered at the time of the step rather than
when the demo's transaction commits, and those older than two weeks are marked read.

The actors are the demo logins (`city` for the deputy-work committee, `unit` for the housing
bureau, `supervisor` and `leader` for supervision, `deputy` and `township`), plus accounts that
cannot log in (unusable password) for the deputies and unit clerks who must act themselves:
`deputy_NNN` for deputies who submit, confirm a co-signature or evaluate, `unit_NN` for the clerks
of the other handling units (NN is the unit's place in the demo's list of units).

The parts: `topics_*` and `texts` (what is written), `plans` (who writes what, and how far it has
come by yesterday), `course` (when each step of a plan falls), `actions` (each step's service call).
"""

from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.db.models import DateTimeField, ExpressionWrapper, F

from deputyhome.motions.models import Motion, SessionAttendance
from deputyhome.organisation.choices import CongressLevel
from deputyhome.suggestions import services
from deputyhome.suggestions.choices import State
from deputyhome.suggestions.models import Suggestion

from ..clock import DAY, TZ
from .actions import Env
from .attendance import attendance_steps
from .course import Step, course_steps
from .motions import SessionMotions
from .plans import make_plans

READ_AFTER = datetime.timedelta(days=14)


def build(ctx: Any) -> dict[str, int]:
    year = ctx.today.year
    city_congress = ctx.org.congresses[CongressLevel.CITY]
    session = next(
        (s for s in ctx.org.sessions if s.congress_id == city_congress.pk and s.start_date.year == year), None
    )
    if session is None:
        return {}
    last = ctx.today - DAY  # nothing happens after yesterday
    env = Env(ctx, session, last)
    env.session_motions = motions = SessionMotions(ctx, env, session)
    plans = make_plans(ctx, env, session)
    motions.choose(plans)
    agenda = [Step(when, 0, i, fn, needs) for i, (when, fn, needs) in enumerate(motions.agenda_steps())]
    agenda += [Step(when, -1, i, fn, needs) for i, (when, fn, needs) in enumerate(attendance_steps(motions, plans))]
    steps = sorted(
        step for step in [*agenda, *(s for p in plans for s in course_steps(p, env))] if step.when.date() <= last
    )
    if not steps:
        return {"代表建议": 0}

    from deputyhome.notifications.models import Notification

    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # Accounts first, as they were opened before the session.
    with time_machine.travel(datetime.datetime(year, 1, 2, 9, 0, tzinfo=TZ), tick=False):
        for step in steps:
            env.ensure(step.needs)
        seated = motions.prepare()  # the deadline for motions and the delegations, before the session
    with services.notifications_at_once():  # stamped at each step's (travelled) time
        for step in steps:
            with time_machine.travel(step.when, tick=False):
                step.fn()
    # Messages older than two weeks have been read by now.
    cutoff = datetime.datetime(last.year, last.month, last.day, tzinfo=TZ) - READ_AFTER
    Notification.objects.filter(pk__gt=before, created_at__lt=cutoff, read_at__isnull=True).update(
        read_at=ExpressionWrapper(F("created_at") + datetime.timedelta(hours=2), output_field=DateTimeField())
    )

    suggestions = Suggestion.objects.filter(year=year)
    received = suggestions.filter(submitted_at__isnull=False).exclude(state=State.DRAFT)
    return {
        "代表建议": received.count(),
        "代表建议（会议期间）": received.filter(session__isnull=False).count(),
        "代表建议（闭会期间）": received.filter(session__isnull=True).count(),
        "代表建议草稿（不计入统计）": Suggestion.objects.filter(state=State.DRAFT).count(),
        "代表团": len(motions.delegations),
        "代表团成员": seated,
        "会议出席登记": SessionAttendance.objects.filter(session=session).exclude(status="").count(),
        "议案": Motion.objects.filter(session=session, filed_at__isnull=False).count(),
        "议案（作为建议处理）": Motion.objects.filter(session=session, suggestion__isnull=False).count(),
        "已办结建议": received.filter(state=State.CLOSED).count(),
        "督办记录": env.supervision_records,
        "代表账号（演示用，不能登录）": env.new_deputy_users,
        "承办单位经办人账号（演示用，不能登录）": env.new_clerks,
    }
