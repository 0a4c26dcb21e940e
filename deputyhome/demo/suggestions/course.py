"""One demo suggestion's course: its steps, each a service call at a planned time of the year."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from deputyhome.core import workdays
from deputyhome.suggestions.choices import ConsultationWay, ReturnReason, Satisfaction

from ..clock import DAY, TZ, after, at, days, workday
from .actions import Env
from .plans import (
    ASSIGNED,
    ASSIGNED_AGAIN,
    AWAITING,
    CLOSED,
    HANDLING_SOON,
    LATE_TARGETS,
    REGISTERED,
    REHANDLING,
    REPLIED,
    REPLIED_AGAIN,
    RETURNED,
    SUBMITTED,
    Plan,
)
from .texts import METHODS


@dataclass(order=True)
class Step:
    when: datetime.datetime
    plan: int
    seq: int
    fn: Callable[[], Any] = field(compare=False)
    needs: tuple = field(default=(), compare=False)


class Course:
    """The steps of one plan. Main steps follow each other in time; side steps (co-unit opinions,
    supervision) only need the suggestion to be assigned and fall on days where their step is legal."""

    def __init__(self, p: Plan) -> None:
        self.p = p
        self.rng = p.rng
        self.steps: list[Step] = []
        self.last: datetime.datetime | None = None

    def main(
        self,
        day: datetime.date,
        fn: Callable[[], Any],
        needs: tuple = (),
        night: bool = False,
        when: datetime.datetime | None = None,
    ) -> datetime.date:
        if when is None:  # else a fixed moment (the session's motions), drawing nothing
            if night:
                when = datetime.datetime(day.year, day.month, day.day, 1, self.rng.randint(0, 59), tzinfo=TZ)
            else:
                when = at(day, self.rng)
        if self.last is not None and when <= self.last:
            when = self.last + datetime.timedelta(minutes=self.rng.randint(6, 40))
        self.last = when
        self.steps.append(Step(when, self.p.n, len(self.steps), fn, needs))
        return when.date()

    def side(self, day: datetime.date, fn: Callable[[], Any], needs: tuple = ()) -> None:
        self.steps.append(Step(at(day, self.rng), self.p.n, len(self.steps), fn, needs))


def course_steps(p: Plan, env: Env) -> list[Step]:  # noqa: C901 - one suggestion's whole course, in order
    c = Course(p)
    rng, last = p.rng, env.last
    start, end = env.session.start_date, env.session.end_date
    entry: tuple = (p.author,) if p.entry == "self" else ()
    late = p.session is not None and p.target in LATE_TARGETS

    if p.draft:
        c.main(last - days(rng.randint(1, 6)), lambda: env.create(p, p.content), entry)
        return c.steps

    # Drafting and submission: at the session, or in recess after it; or, for a motion the presidium handles
    # as a suggestion, the motion's course up to the decision that submits the suggestion.
    if p.motion:
        submitted = env.session_motions.course(c, p)
        screened = after(end, rng.randint(2, 8))
    elif p.session is None:
        if p.target == CLOSED:
            submitted = workday(end + days((last - end).days * 2 // 5))
        else:
            submitted = workday(last - days(rng.randint(9, 13)))
        if submitted <= end + days(2):
            return []  # too early in the year for a suggestion in recess
        created = submitted - days(rng.randint(0, 3))
        screened = after(submitted, rng.randint(2, 4))
    else:
        submitted = start + days(rng.randint(0, (end - start).days))
        created = submitted
        if p.entry == "self":
            created = max(datetime.date(start.year, 1, 2), submitted - days(rng.randint(0, 6)))
        screened = after(end, rng.randint(2, 8))
    if not p.motion:
        first = {"situation": "", "reasons": "", "proposals": "建议有关部门重视并加以解决。"} if late else p.content
        c.main(created, lambda: env.create(p, first), entry)
        submitted = c.main(submitted, lambda: env.submit(p), entry)
        confirmations = sorted(
            (max(submitted, min(submitted + days(rng.randint(0, 2)), screened - DAY)), i)
            for i, d in enumerate(p.cosigners)
            if d.pk not in p.unconfirmed
        )
        for day, i in confirmations:
            deputy = p.cosigners[i]
            c.main(day, lambda d=deputy: env.confirm(p, d), (deputy,))

    # Screening and registration.
    if p.target == RETURNED:
        c.main(screened, lambda: env.send_back(p, p.return_reason, p.return_note))
        return c.steps
    a_plan = None
    if late:
        note = "建议内容较为笼统，缺少基本情况和具体意见，请补充完善后重新提交。"
        returned = c.main(screened, lambda: env.send_back(p, ReturnReason.EMPTY, note))
        if p.target == SUBMITTED:
            again = last - days(rng.randint(0, 4))
        elif p.target == REGISTERED:
            again = last - days(rng.randint(13, 18))
        elif p.target == ASSIGNED:
            again = last - days(rng.randint(22, 30))
        elif p.target == ASSIGNED_AGAIN:
            again = last - days(rng.randint(32, 38))
        else:
            if p.target == HANDLING_SOON:  # due in one to three weeks
                a_plan = workday(workdays.add_months(last + days(rng.randint(8, 20)), -3))
            else:
                a_plan = workday(last - days(rng.randint(35, 55)))
            again = a_plan - days(rng.randint(14, 20))
        again = max(again, returned + days(5))
        edited = c.main(max(returned + days(3), again - days(rng.randint(1, 3))), lambda: env.edit(p), entry)
        c.main(max(again, edited), lambda: env.submit(p), entry)
        if p.target == SUBMITTED:
            return c.steps
        registered = c.main(after(again, rng.randint(3, 5)), lambda: env.register(p))
        if p.target == REGISTERED:
            return c.steps
        if p.target == ASSIGNED:
            assign_at = workday(last - days(rng.randint(0, 4)), floor=after(registered, 1))
        elif p.target == ASSIGNED_AGAIN:
            assign_at = workday(last - days(rng.randint(12, 15)), floor=after(registered, 1))
        else:
            assert a_plan is not None
            assign_at = max(a_plan, after(registered, 2))
    else:
        registered = c.main(screened, lambda: env.register(p))
        if p.session is None:
            if p.target == REGISTERED:
                return c.steps
            assign_at = after(registered, rng.randint(3, 7))
        else:
            assign_at = env.assign_day if rng.random() < 0.85 else after(env.assign_day, rng.randint(3, 10))
            assign_at = max(assign_at, after(registered, 2))

    # Assignment, and a wrong unit sending it back within its window.
    assert p.lead is not None
    if p.wrong is not None:
        wrong = p.wrong
        c.main(assign_at, lambda: env.assign(p, wrong, [], False), (wrong,))
        back = c.main(after(assign_at, rng.randint(2, 5)), lambda: env.unit_return(p), (wrong,))
        if p.target == ASSIGNED_AGAIN:
            assign_at = workday(last - days(rng.randint(0, 3)), floor=after(back, 1))
        else:
            assign_at = after(back, rng.randint(1, 3))
    received = after(assign_at, rng.randint(1, 4))

    # When the first reply comes: forwards from the assignment, or backwards from today.
    target = p.target
    accept_at = evaluated_at = None
    reply_at: datetime.date | None = None
    if target == CLOSED:
        reply_at = assign_at + days(rng.randint(95, 160) if p.slow else rng.randint(22, 70))
    elif target == REPLIED:
        reply_at = last - days(rng.randint(0, 3))
    elif target == AWAITING:
        accept_at = workday(last - days(rng.randint(1, 9)))
        reply_at = accept_at - days(rng.randint(2, 6))
    elif target in (REHANDLING, REPLIED_AGAIN):
        ago = rng.randint(4, 16) if target == REHANDLING else rng.randint(20, 26)
        evaluated_at = last - days(ago)
        accept_at = workday(evaluated_at - days(rng.randint(3, 8)))
        reply_at = accept_at - days(rng.randint(2, 5))
    if reply_at is not None:
        reply_at = workday(reply_at, floor=received + days(8))

    # A reply planned after three months: a complex matter (six months), an extension, or both.
    due = workdays.due_after_months(assign_at, 3)
    is_complex, extend, extension = False, 0, p.extension
    if reply_at is not None and reply_at > due:
        six = workdays.due_after_months(assign_at, 6)
        if reply_at <= six and (rng.random() < 0.5 or reply_at > workdays.due_after_months(due, 3)):
            is_complex, due = True, six
        if reply_at > due:
            extend = next((m for m in (1, 2, 3) if workdays.due_after_months(due, m) >= reply_at), 3)
            extension = "approved"
    elif extension in ("approved", "rejected"):
        extend = 2

    lead, co = p.lead, p.co
    c.main(assign_at, lambda: env.assign(p, lead, co, is_complex), (lead, *co))
    if target in (ASSIGNED, ASSIGNED_AGAIN):
        return c.steps
    received = c.main(received, lambda: env.receive(p), (lead,))

    # The first reply: the planned one, or an earlier one that staff send back.
    first_reply = reply_at
    if p.send_back:
        if reply_at is not None:
            first_reply = workday(reply_at - days(rng.randint(8, 12)), floor=received + days(4))
        else:
            first_reply = workday(due - days(rng.randint(5, 15)), floor=received + days(4))
    ends = first_reply - DAY if first_reply else None

    # Alongside: key supervision, supervision records, the co-units' opinions (before any reply).
    before_reply = ends
    if p.key:
        day = received + days(rng.randint(1, 8))
        c.side(max(received, min(day, before_reply or day)), lambda: env.mark_key(p))
    if p.supervisions:
        until = (reply_at + days(20)) if reply_at else last
        span = max(1, (until - assign_at).days - 10)
        dates = sorted(assign_at + days(10 + rng.randrange(span)) for _ in range(p.supervisions))
        for day, method in zip(dates, rng.sample(METHODS, p.supervisions), strict=True):
            c.side(day, lambda m=method: env.supervise(p, m))
    for unit in co:
        day = assign_at + days(rng.randint(7, 25))
        if before_reply is not None:
            day = min(day, before_reply)
        if day > assign_at:
            c.side(day, lambda u=unit: env.co_opinion(p, u), (unit,))

    # Handling: consultations (or a waiver), an extension, a reply sent back for more.
    steps: list[tuple[datetime.date, int, Callable[[], Any]]] = []
    if p.waive:
        steps.append((received + days(rng.randint(1, 3)), 0, lambda: env.waive(p)))
    elif reply_at is not None or rng.random() < 0.75 or p.send_back:
        span = ((ends - received).days if ends else 30) * 2 // 3
        consulted = received + days(rng.randint(1, max(1, span)))
        way = rng.choice(
            [ConsultationWay.IN_PERSON, ConsultationWay.IN_PERSON, ConsultationWay.PHONE, ConsultationWay.SITE]
        )
        steps.append((consulted, 0, lambda w=way: env.consult(p, w)))
        if ends and (ends - consulted).days > 4 and rng.random() < 0.35:
            again = consulted + days(rng.randint(2, (ends - consulted).days))
            steps.append((again, 0, lambda: env.consult(p, ConsultationWay.PHONE)))
    if extension == "pending":
        steps.append(
            (workday(last - days(rng.randint(1, 3)), floor=received + DAY), 1, lambda: env.request_extension(p, 1))
        )
    elif extend:
        asked = max(received + DAY, due - days(rng.randint(8, 20)))
        decided = after(asked, rng.randint(2, 4))
        if ends is not None and decided > ends:
            asked = max(received + DAY, ends - days(6))
            decided = after(asked, 2)
        if ends is None or decided <= ends:
            months, approve = extend, extension != "rejected"
            steps.append((asked, 1, lambda: env.request_extension(p, months)))
            steps.append((decided, 2, lambda: env.decide_extension(p, approve)))
    if p.send_back and first_reply is not None:
        steps.append((first_reply, 3, lambda: env.reply(p, 1, weak=True)))
        sent_back = after(first_reply, rng.randint(1, 3))
        steps.append((sent_back, 4, lambda: env.review(p, accept=False)))
        if reply_at is not None:
            reply_at = max(reply_at, after(sent_back, 2))
    for day, _order, fn in sorted(steps, key=lambda x: (x[0], x[1])):
        c.main(day, fn, (lead,))
    if reply_at is None:
        return c.steps

    # Reply, review, evaluation.
    replied = c.main(reply_at, lambda: env.reply(p, 1), (lead,))
    if target == REPLIED:
        return c.steps
    accepted = c.main(
        max(accept_at or after(replied, rng.randint(1, 4)), after(replied, 1)), lambda: env.review(p, True)
    )
    rehandle = p.rehandle or target in (REHANDLING, REPLIED_AGAIN)
    evaluated = _evaluate(c, p, env, accepted, round_=1, rehandle=rehandle, author_at=evaluated_at)
    if not rehandle or evaluated is None:
        return c.steps

    # Re-handling: a new, shorter deadline; consult again, reply again, evaluate again.
    consulted = c.main(
        evaluated + days(rng.randint(2, 6)), lambda: env.consult(p, ConsultationWay.IN_PERSON, again=True), (lead,)
    )
    if target == REHANDLING:
        return c.steps
    due2 = workdays.due_after_months(evaluated, 1)
    if target == REPLIED_AGAIN:
        second = workday(last - days(rng.randint(0, 2)), floor=consulted + DAY)
    else:
        second = workday(evaluated + days(rng.randint(10, max(11, (due2 - evaluated).days - 2))), floor=consulted + DAY)
    second = c.main(second, lambda: env.reply(p, 2), (lead,))
    if target == REPLIED_AGAIN:
        return c.steps
    accepted = c.main(after(second, rng.randint(1, 3)), lambda: env.review(p, True))
    _evaluate(c, p, env, accepted, round_=2, rehandle=False, author_at=None)
    return c.steps


def _evaluate(
    c: Course,
    p: Plan,
    env: Env,
    accepted: datetime.date,
    *,
    round_: int,
    rehandle: bool,
    author_at: datetime.date | None,
) -> datetime.date | None:
    """The evaluators' answers within the window (or the scheduler noting none); the day it concludes."""
    rng = p.rng
    window = after(accepted, 20)
    cosigners = [d for d in p.cosigners if d.pk not in p.unconfirmed]
    author_day = author_at or accepted + days(rng.randint(2, 14))
    author_day = min(max(author_day, accepted + DAY), window)
    answers = []
    for deputy in cosigners:
        day = min(accepted + days(rng.randint(1, 12)), author_day)
        result = Satisfaction.SATISFIED if rng.random() < 0.7 else Satisfaction.BASIC
        answers.append((day, deputy, Satisfaction.SATISFIED, result))
    silent = p.no_evaluation and round_ == 1
    if p.target == AWAITING and round_ == 1:
        # The author has not answered yet; co-signers may have.
        for day, deputy, attitude, result in sorted(answers, key=lambda a: a[0]):
            c.main(day, lambda d=deputy, a=attitude, r=result: env.evaluate(p, d, a, r), (deputy,))
        return None
    if not silent:
        if rehandle:
            result = Satisfaction.DISSATISFIED
            attitude = Satisfaction.BASIC if rng.random() < 0.6 else Satisfaction.SATISFIED
        elif round_ == 2:
            result = (
                Satisfaction.DISSATISFIED
                if p.final_dissatisfied
                else (Satisfaction.SATISFIED if rng.random() < 0.5 else Satisfaction.BASIC)
            )
            attitude = Satisfaction.SATISFIED if rng.random() < 0.7 else Satisfaction.BASIC
        else:
            result = p.sat
            attitude = Satisfaction.SATISFIED if rng.random() < 0.85 else Satisfaction.BASIC
        answers.append((author_day, p.author, attitude, result))
    last_day = None
    for day, deputy, attitude, result in sorted(answers, key=lambda a: (a[0], a[1] == p.author)):
        last_day = c.main(day, lambda d=deputy, a=attitude, r=result: env.evaluate(p, d, a, r), (deputy,))
    if silent:
        last_day = c.main(window + DAY, lambda: env.no_evaluation(p), night=True)
    return last_day
