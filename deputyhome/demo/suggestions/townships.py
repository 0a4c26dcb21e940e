"""Every township congress at work: its session this year, its deputies' suggestions, its offices' handling.

Each township congress (乡、镇; a street has none) receives 5 to 15 suggestions from deputies holding a mandate in
it: most at its session this year (submitted with the clock inside the session's days, so they are linked to it),
one in recess after it (白杨坪镇's six in recess are township.py's). Its officer registers and assigns them to the township's offices, whose clerks
receive, consult and reply; the officer reviews the replies and the deputies evaluate. The states spread from
registered to closed. Across the townships six matters are forwarded up to city units (转请市级办理): three
answered, two waiting, one past its due date.

The actors who act here and cannot log in: `township_officer_NNN` (the presidium's office of township NNN, the
last three digits of its code; 白杨坪镇's is the `townshipcongress` login), `township_unit_NNN_K` (the clerk of
office K of township NNN) and `township_deputy_NN` (deputies). A city unit answers through its clerk in the
city's demo (`unit_NN`), made here when the city's suggestions needed none.

Every step is a service call at a planned moment (`time_machine.travel`), in time order across townships; a step
planned after yesterday is left out with the ones after it, so a demo built early in the year has fewer.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import time_machine
from django.db.models import DateTimeField, ExpressionWrapper, F

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.deputies.models import Deputy, Mandate
from deputyhome.notifications.models import Notification
from deputyhome.organisation.models import Congress, HandlingUnit, Region, Session
from deputyhome.suggestions import services
from deputyhome.suggestions.choices import ConsultationWay, Satisfaction
from deputyhome.suggestions.models import Category, Forward, ResultClass, Suggestion
from deputyhome.suggestions.workflow import FORWARDABLE_STATES

from .. import data
from ..clock import DAY, TZ, days, local_today
from . import township as baiyangping
from .township_texts import MATTERS, Matter

REGISTERED, ASSIGNED, HANDLING, REPLIED, CLOSED = "registered", "assigned", "handling", "replied", "closed"
# How far a session suggestion has come by yesterday (weights), and one in recess.
SESSION_TARGETS = [(CLOSED, 7), (REPLIED, 3), (HANDLING, 4), (ASSIGNED, 3), (REGISTERED, 1)]
RECESS_TARGETS = [REGISTERED, ASSIGNED, HANDLING]
EXTRA_AT_BAIYANGPING = 7  # its six suggestions in recess are township.py's; these are at its session
OFFICERS = [
    "向丽华",
    "谭红梅",
    "杨德军",
    "田秀英",
    "覃国平",
    "黄春燕",
    "冉志刚",
    "彭玉兰",
    "张建国",
    "李晓燕",
    "邓文华",
    "吴海林",
]
CLERKS = ["胡明", "刘芳", "陈静", "王勇", "周丽", "罗斌", "熊燕", "朱华", "何平", "谢琴", "蒋涛", "姚兰"]
# The forwards, by kind, given in turn to suggestions that have come far enough and whose matter reaches
# beyond the township.
FORWARDS = ["answered", "pending", "answered", "overdue", "answered", "pending"]


@dataclass
class Plan:
    n: int
    desk: Desk
    matter: Matter
    village: Region
    author: Deputy
    target: str
    session: Session | None
    unit: HandlingUnit
    result: str = "A"
    satisfaction: str = Satisfaction.SATISFIED
    forward: str = ""
    s: Suggestion | None = None
    f: Forward | None = None
    text: dict[str, str] = field(default_factory=dict)


class Accounts:
    """The accounts that act and cannot log in, made when first needed, in the order of the plans."""

    def __init__(self, authors: list[Deputy]) -> None:
        self.deputies = {u.deputy_id: u for u in User.objects.filter(deputy__in=authors)}
        self.next_deputy = User.objects.filter(username__startswith="township_deputy_").count() + 1
        self.clerks = {u.unit_id: u for u in User.objects.filter(role=Role.UNIT_CLERK, unit__isnull=False)}
        self.made = 0

    def _make(self, **fields: Any) -> User:
        user = User(**fields)
        user.set_unusable_password()
        user.save()
        self.made += 1
        return user

    def deputy(self, deputy: Deputy) -> User:
        if deputy.pk not in self.deputies:
            name = f"township_deputy_{self.next_deputy:02d}"
            self.next_deputy += 1
            self.deputies[deputy.pk] = self._make(
                username=name, role=Role.DEPUTY, deputy=deputy, display_name=deputy.name
            )
        return self.deputies[deputy.pk]

    def clerk(self, unit: HandlingUnit, username: str, display_name: str) -> User:
        if unit.pk not in self.clerks:
            self.clerks[unit.pk] = self._make(
                username=username, role=Role.UNIT_CLERK, unit=unit, display_name=display_name
            )
        return self.clerks[unit.pk]


@dataclass
class Desk:
    """One township congress: its session this year, its officer, its offices, its categories."""

    township: Region
    congress: Congress
    session: Session
    officer: User
    offices: list[HandlingUnit]
    categories: dict[str, Category]

    @property
    def code(self) -> str:
        return self.township.code[-3:]


def _desks(ctx: Any, year: int, officer_of_town: User) -> list[Desk]:
    sessions = {s.congress_id: s for s in ctx.org.sessions if s.start_date.year == year}
    desks = []
    for i, township in enumerate(t for t in ctx.org.townships if t.pk in ctx.org.township_congresses):
        congress = ctx.org.township_congresses[township.pk]
        if township.name == data.TOWNSHIP_CONGRESS_TOWN:
            officer = officer_of_town
        else:
            officer = User(
                username=f"township_officer_{township.code[-3:]}",
                role=Role.TOWNSHIP_OFFICER,
                region=township,
                display_name=OFFICERS[i % len(OFFICERS)],
            )
            officer.set_unusable_password()
            officer.save()
        categories = {c.name: c for c in services.categories_for(congress)}
        desks.append(Desk(township, congress, sessions[congress.pk], officer, ctx.org.offices[township.pk], categories))
    return desks


def _plans(ctx: Any, desks: list[Desk], rng: random.Random) -> list[Plan]:
    plans: list[Plan] = []
    targets, weights = zip(*SESSION_TARGETS, strict=True)
    for desk in desks:
        town = desk.township.name == data.TOWNSHIP_CONGRESS_TOWN
        seated = Mandate.objects.filter(congress=desk.congress).values("deputy_id")
        deputies = list(Deputy.objects.filter(pk__in=seated).order_by("id_number"))
        in_session = EXTRA_AT_BAIYANGPING if town else rng.randint(4, 6)
        in_recess = 0 if town else 1
        villages = ctx.org.villages_of[desk.township.pk]
        taken = {story.title for story in baiyangping.STORIES}  # 白杨坪镇's in recess
        fresh: dict[str, tuple[Matter, Region]] = {}  # title → (matter, village): each title once
        for m in MATTERS:
            for v in villages:
                title = m.title.format(village=v.name, township=desk.township.name)
                if title not in taken:
                    fresh.setdefault(title, (m, v))
        pairs = rng.sample(list(fresh.values()), in_session + in_recess)
        authors = [rng.choice(deputies) for _ in pairs]
        for k, ((matter, village), author) in enumerate(zip(pairs, authors, strict=True)):
            session = desk.session if k < in_session else None
            target = rng.choices(targets, weights)[0] if session else rng.choice(RECESS_TARGETS)
            office = next(u for u in desk.offices if u.name == desk.township.name + matter.office)
            p = Plan(len(plans), desk, matter, village, author, target, session, office)
            p.result = "B" if rng.random() < 0.3 else "A"
            p.satisfaction = Satisfaction.BASIC if rng.random() < 0.25 else Satisfaction.SATISFIED
            values = {"village": village.name, "township": desk.township.name}
            p.text = {
                "title": matter.title.format(**values),
                "situation": matter.situation.format(**values),
                "reasons": "",
                "proposals": matter.proposals.format(**values),
            }
            plans.append(p)
    # The forwards, one township after another (a second round if the first did not place them all).
    kinds = list(FORWARDS)
    far = {"answered": (CLOSED, REPLIED), "pending": (HANDLING, REPLIED), "overdue": (HANDLING,)}
    for once in (True, False):
        for p in sorted(plans, key=lambda p: (p.desk.code, p.n)):
            taken = once and any(q.forward for q in plans if q.desk is p.desk)
            if kinds and p.matter.city_unit and p.session and not p.forward and not taken and p.target in far[kinds[0]]:
                p.forward = kinds.pop(0)
    return plans


class Run:
    """The actions: each one call of a service, by the actor whose step it is."""

    def __init__(self, ctx: Any, accounts: Accounts) -> None:
        self.accounts = accounts
        self.classes = {r.code: r for r in ResultClass.objects.all()}
        self.city_units = {u.name: u for u in ctx.org.units}
        self.unit_number = {u.pk: i for i, u in enumerate(ctx.org.units, start=1)}  # as the city's `unit_NN`

    def clerk(self, p: Plan) -> User:
        k = p.desk.offices.index(p.unit)
        if p.desk.township.name == data.TOWNSHIP_CONGRESS_TOWN:  # named as township.py names them
            return self.accounts.clerk(p.unit, f"township_unit_{k + 1:02d}", baiyangping.CLERKS[k])
        return self.accounts.clerk(
            p.unit, f"township_unit_{p.desk.code}_{k + 1}", CLERKS[(int(p.desk.code) + k) % len(CLERKS)]
        )

    def city_clerk(self, unit: HandlingUnit) -> User:
        number = self.unit_number[unit.pk]
        return self.accounts.clerk(unit, f"unit_{number:02d}", CLERKS[number % len(CLERKS)])

    def steps(self, p: Plan) -> list[tuple[str, Callable[[], Any]]]:
        """The plan's named steps, in order."""
        user = self.accounts.deputy(p.author)
        officer = p.desk.officer
        cls = self.classes[p.result]

        def create() -> None:
            p.s = services.suggestion_create(author=p.author, data={**p.text, "congress": p.desk.congress}, actor=user)

        def reply() -> None:
            body = (
                "该事项已纳入今年工作计划，正在组织实施，预计年底前完成。" if p.result == "B" else "该事项已办理完毕。"
            )
            text = (
                f"{p.author.name}代表：\n    您提出的《{p.text['title']}》收悉。我们高度重视，经与您沟通并实地查看，"
                f"现答复如下：{body}\n{p.unit.name}"
            )
            follow = local_today() + days(120) if cls.needs_follow_up else None
            services.suggestion_reply(
                suggestion=p.s, text=text, result_class=cls, publishable=True, follow_up_on=follow, actor=self.clerk(p)
            )

        return [
            ("create", create),
            ("submit", lambda: services.suggestion_submit(suggestion=p.s, actor=user)),
            (
                "register",
                lambda: services.suggestion_register(
                    suggestion=p.s, category=p.desk.categories[p.matter.category], actor=officer
                ),
            ),
            (
                "assign",
                lambda: services.suggestion_assign(
                    suggestion=p.s,
                    lead_unit=p.unit,
                    requirements="请于交办之日起3个月内办结并书面答复代表，答复前须与代表沟通联系。",
                    actor=officer,
                ),
            ),
            ("receive", lambda: services.suggestion_receive(suggestion=p.s, actor=self.clerk(p))),
            (
                "consult",
                lambda: services.suggestion_consult(
                    suggestion=p.s,
                    date=local_today(),
                    way=ConsultationWay.SITE,
                    notes=f"{p.unit.name}负责同志陪同{p.author.name}代表到{p.village.name}现场查看，共同研究解决办法。",
                    actor=self.clerk(p),
                ),
            ),
            ("reply", reply),
            ("accept", lambda: services.suggestion_review_reply(suggestion=p.s, accept=True, note="", actor=officer)),
            (
                "evaluate",
                lambda: services.suggestion_evaluate(
                    suggestion=p.s,
                    attitude=Satisfaction.SATISFIED,
                    result=p.satisfaction,
                    comment="办理及时，希望继续跟踪落实。",
                    actor=user,
                ),
            ),
        ]

    def forward(self, p: Plan, due_in: int | None) -> None:
        assert p.s is not None
        p.s = Suggestion.objects.get(pk=p.s.pk)
        if p.s.state not in FORWARDABLE_STATES:
            return  # replied already (a demo built early in the year squeezes the steps)
        due_on = local_today() + days(due_in) if due_in else None
        p.f = services.suggestion_forward_up(
            suggestion=p.s,
            unit=self.city_units[p.matter.city_unit],
            note=p.matter.forward_note,
            actor=p.desk.officer,
            due_on=due_on,
        )

    def answer(self, p: Plan) -> None:
        if p.f is None:
            return
        text = f"经研究，已将{p.village.name}的有关事项纳入{local_today().year + 1}年度项目储备，将会同{p.desk.township.name}推进落实。"
        services.forward_answer(forward=p.f, answer=text, actor=self.city_clerk(p.f.unit))


# The steps a plan takes by its target (create and submit always).
UPTO = {REGISTERED: 3, ASSIGNED: 4, HANDLING: 6, REPLIED: 7, CLOSED: 9}


def _days(p: Plan, rng: random.Random, last: datetime.date) -> list[datetime.date]:
    """The days of the plan's steps, in order; forwards from the session for a closed one, else backwards from
    yesterday (a step never before the one it follows)."""
    end = p.desk.session.end_date
    if p.session is not None:
        day = p.desk.session.start_date + days(rng.randint(0, 1))
        start = [day, day]
    else:
        day = max(end + days(rng.randint(20, 40)), last - days(rng.randint(25, 60)))
        start = [day - days(rng.randint(0, 2)), day]
    if p.target == CLOSED:
        gaps = [rng.randint(2, 6), rng.randint(3, 8), rng.randint(1, 3), rng.randint(5, 20), rng.randint(10, 40)]
        gaps += [rng.randint(1, 4), rng.randint(2, 12)]
        wanted = [start[1] + days(sum(gaps[: i + 1])) for i in range(len(gaps))]
    else:
        back = {
            REGISTERED: [rng.randint(2, 8)],
            ASSIGNED: [rng.randint(12, 20), rng.randint(1, 6)],
            HANDLING: [rng.randint(45, 60), rng.randint(38, 44), rng.randint(33, 37), rng.randint(15, 30)],
            REPLIED: [rng.randint(70, 80), rng.randint(62, 68), rng.randint(57, 61), rng.randint(30, 50)],
        }[p.target]
        if p.target == REPLIED:
            back.append(rng.randint(0, 5))
        wanted = [last - days(b) for b in back]
    out = start
    for day in wanted:
        out.append(max(day, out[-1]))
    return out[: UPTO[p.target]]


def build(ctx: Any) -> dict[str, int]:
    """Every township congress's session suggestions (and recess ones): after the other features, so that what
    they draw from the database (this year's suggestions, the deputies with accounts) stays as it was."""
    last = ctx.today - DAY
    if last < datetime.date(last.year, 1, 20):
        return {}  # no township session yet
    rng = ctx.rng
    officer = User.objects.get(username="townshipcongress")
    desks = _desks(ctx, last.year, officer)
    plans = _plans(ctx, desks, rng)
    accounts = Accounts([p.author for p in plans])
    run = Run(ctx, accounts)
    moments: list[tuple[datetime.datetime, int, int, Callable[[], Any]]] = []
    for p in plans:
        named = run.steps(p)
        dates = _days(p, rng, last)
        for i, ((name, fn), day) in enumerate(zip(named, dates, strict=False)):
            moments.append((datetime.datetime(day.year, day.month, day.day, 9 + i, p.n % 60, tzinfo=TZ), p.n, i, fn))
            if name == "receive" and p.forward:
                # Forwarded the day after the office signs for it; answered within the month, or not yet.
                when = datetime.datetime(day.year, day.month, day.day, 16, p.n % 60, tzinfo=TZ) + DAY
                due_in = 30 if p.forward == "overdue" else None
                moments.append((when, p.n, 50, lambda p=p, d=due_in: run.forward(p, d)))
                if p.forward == "answered":
                    answered = when + days(rng.randint(10, 25))
                    moments.append((answered, p.n, 51, lambda p=p: run.answer(p)))
    moments = [m for m in moments if m[0].date() <= last]
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with services.notifications_at_once():  # stamped at each step's (travelled) time
        for when, _n, _i, fn in sorted(moments, key=lambda m: m[:3]):
            with time_machine.travel(when, tick=False):
                fn()
    cutoff = datetime.datetime(last.year, last.month, last.day, tzinfo=TZ) - baiyangping.READ_AFTER
    Notification.objects.filter(pk__gt=before, created_at__lt=cutoff, read_at__isnull=True).update(
        read_at=ExpressionWrapper(F("created_at") + datetime.timedelta(hours=2), output_field=DateTimeField())
    )
    made = Suggestion.objects.filter(congress__in=[d.congress for d in desks])
    return {
        "乡镇人民代表大会代表建议": made.count(),
        "乡镇人民代表大会代表建议（会议期间）": made.filter(session__isnull=False).count(),
        "转请市级办理": Forward.objects.count(),
        "乡镇承办单位": sum(len(d.offices) for d in desks),
        "乡镇人大工作人员、承办单位和代表账号（演示用，不能登录）": accounts.made + len(desks) - 1,
    }
