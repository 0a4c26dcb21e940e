"""Fifty thousand suggestions over five years (at scale 1), in every state, with the rows each state needs:
the timeline's events, assignments, consultations, replies, evaluations, co-signers and the register counters.

Written straight to the tables in bulk rather than through the services (which take a lock and write an
audit row per step); each row is what the services would have left, per `suggestions.workflow`.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from typing import Any

from deputyhome.organisation.models import Congress, HandlingUnit, Region, Session
from deputyhome.suggestions.choices import (
    Action,
    AssignmentStatus,
    ConsultationWay,
    ReturnReason,
    ReviewStatus,
    Satisfaction,
    State,
    UnitRole,
)
from deputyhome.suggestions.models import (
    Assignment,
    Category,
    Consultation,
    CoSigner,
    Evaluation,
    Event,
    RegisterCounter,
    Reply,
    ResultClass,
    Suggestion,
)

from ..clock import TZ
from .bulk import insert, insert_count
from .people import People, Person, congress_for
from .regions import Org
from .shape import YEARS, Shape

S, A = State, Action
# The course to each state: the actions taken, in order (suggestions.workflow's table).
COURSE = [A.CREATE, A.SUBMIT, A.REGISTER, A.ASSIGN, A.RECEIVE, A.CONSULT, A.REPLY, A.ACCEPT_REPLY, A.EVALUATE]
PATHS: dict[str, list[str]] = {
    S.DRAFT: [A.CREATE],
    S.SUBMITTED: [A.CREATE, A.SUBMIT],
    S.RETURNED: [A.CREATE, A.SUBMIT, A.RETURN],
    S.WITHDRAWN: [A.CREATE, A.SUBMIT, A.WITHDRAW],
    S.REGISTERED: COURSE[:3],
    S.ASSIGNED: COURSE[:4],
    S.HANDLING: COURSE[:6],
    S.REPLIED: COURSE[:7],
    S.AWAITING_EVALUATION: COURSE[:8],
    S.REHANDLING: [*COURSE, A.REHANDLE],
    S.CLOSED: [*COURSE, A.CLOSE],
}
NEXT = {
    A.CREATE: S.DRAFT,
    A.SUBMIT: S.SUBMITTED,
    A.RETURN: S.RETURNED,
    A.WITHDRAW: S.WITHDRAWN,
    A.REGISTER: S.REGISTERED,
    A.ASSIGN: S.ASSIGNED,
    A.RECEIVE: S.HANDLING,
    A.CONSULT: S.HANDLING,
    A.REPLY: S.REPLIED,
    A.ACCEPT_REPLY: S.AWAITING_EVALUATION,
    A.EVALUATE: S.AWAITING_EVALUATION,
    A.REHANDLE: S.REHANDLING,
    A.CLOSE: S.CLOSED,
}
GAP = {A.SUBMIT: 1, A.REGISTER: 7, A.ASSIGN: 20, A.RECEIVE: 3, A.CONSULT: 15, A.REPLY: 40, A.ACCEPT_REPLY: 4}
# This year's mix of states; past years are mostly closed.
CURRENT = [
    (S.DRAFT, 3),
    (S.SUBMITTED, 6),
    (S.RETURNED, 3),
    (S.WITHDRAWN, 1),
    (S.REGISTERED, 6),
    (S.ASSIGNED, 10),
    (S.HANDLING, 25),
    (S.REPLIED, 8),
    (S.AWAITING_EVALUATION, 8),
    (S.REHANDLING, 3),
    (S.CLOSED, 27),
]
PAST = [
    (S.CLOSED, 92),
    (S.RETURNED, 3),
    (S.WITHDRAWN, 2),
    (S.AWAITING_EVALUATION, 1),
    (S.REHANDLING, 1),
    (S.HANDLING, 1),
]
TOPICS = [
    "加快{p}农村公路提档升级",
    "解决{p}集镇停车难问题",
    "改善{p}中心学校办学条件",
    "提升{p}卫生院医疗服务能力",
    "推进{p}农村饮水安全巩固提升",
    "加强{p}茶产业品牌建设",
    "整治{p}河道生态环境",
    "完善{p}养老服务设施",
    "加大{p}乡村振兴产业扶持力度",
    "规范{p}农贸市场管理",
    "增设{p}公交线路和站点",
    "加快{p}老旧小区改造",
    "解决{p}移动通信信号盲区",
    "加强{p}地质灾害隐患点治理",
    "支持{p}特色农产品电商销售",
]
CHUNK = 2_000


def suggestion_row(
    *,
    title: str,
    author: Person,
    congress: Congress,
    session: Session | None,
    year: int,
    state: str,
    token: str,
) -> dict[str, Any]:
    """The fields of one suggestion as submitted; the course's dates and numbers are added by `_course`."""
    return {
        "title": title,
        "situation": f"{author.township.name}群众反映强烈，{title[2:]}十分必要。",
        "reasons": "资金投入不足，项目推进较慢。",
        "proposals": "建议有关部门统筹安排资金，明确时间表，尽快落实。",
        "author_id": author.pk,
        "region": author.township,
        "congress": congress,
        "session": session,
        "year": year,
        "state": state,
        "public_token": token,
    }


class SuggestionBuilder:
    def __init__(self, org: Org, people: People, shape: Shape, rng: random.Random, today: datetime.date, users):
        self.org, self.people, self.shape, self.rng, self.today = org, people, shape, rng, today
        self.categories = list(Category.objects.order_by("order", "name"))
        self.classes = {rc.code: rc for rc in ResultClass.objects.all()}
        self.staff = users["bench_city"]
        self.clerk = users["bench_unit"]
        self.counters: dict[str, int] = {}
        self.counts = {"events": 0, "assignments": 0, "replies": 0, "evaluations": 0, "consultations": 0}
        self.counts |= {"cosigners": 0, "suggestions": 0}

    # The plan of each suggestion ---------------------------------------------------------------------------

    def states(self) -> Iterator[tuple[int, str]]:
        """(year, target state) for every suggestion: every state this year first, then drawn by the mixes."""
        first = self.today.year - YEARS + 1
        per_year = [self.shape.suggestions // YEARS] * YEARS
        per_year[-1] += self.shape.suggestions - sum(per_year)
        for y, n in zip(range(first, self.today.year + 1), per_year, strict=True):
            mix = CURRENT if y == self.today.year else PAST
            forced = [s for s, _w in CURRENT] if y == self.today.year else []
            for i in range(n):
                states, weights = zip(*mix, strict=True)
                yield y, forced[i] if i < len(forced) else self.rng.choices(states, weights)[0]

    def _dates(self, year: int, path: list[str], session: Session | None) -> list[datetime.date]:
        rng = self.rng
        total = sum(GAP.get(a, 10) for a in path[1:])
        if session is not None:
            start = session.start_date + datetime.timedelta(days=rng.randint(0, 3))
        else:
            start = datetime.date(year, 3, 1) + datetime.timedelta(days=rng.randint(0, 240))
        latest = self.today - datetime.timedelta(days=total + 1)
        start = min(start, latest) if year == self.today.year else start
        dates, day = [], start
        for action in path:
            day = day + datetime.timedelta(days=rng.randint(1, 2 * GAP.get(action, 10)) if dates else 0)
            dates.append(min(day, self.today - datetime.timedelta(days=1)) if year == self.today.year else day)
        return dates

    def _number(self, congress: Congress, session: Session | None, year: int) -> int:
        scope = f"session:{session.pk}" if session is not None else f"recess:{congress.pk}:{year}"
        self.counters[scope] = self.counters.get(scope, 0) + 1
        return self.counters[scope]

    def _one(self, year: int, state: str) -> tuple[Suggestion, dict]:
        rng, org = self.rng, self.org
        author = rng.choice(self.people.persons)
        level = rng.choice(author.levels)
        congress = congress_for(org, author, level)
        session = org.sessions.get((congress.pk, year))
        if session is not None and (rng.random() < 0.25 or session.start_date >= self.today):
            session = None
        path = PATHS[state]
        dates = self._dates(year, path, session)
        on = dict(zip(path, dates, strict=True))
        title = "关于" + rng.choice(TOPICS).format(p=author.township.name) + "的建议"
        row = suggestion_row(
            title=title,
            author=author,
            congress=congress,
            session=session,
            year=year,
            state=state,
            token=f"{rng.getrandbits(96):024x}",
        )
        s = Suggestion(**row, created_by=self.staff)
        s.created_at = s.updated_at = _at(dates[0], 9)
        if A.SUBMIT in on:
            s.submitted_at = _at(on[A.SUBMIT], 10)
        if A.RETURN in on:
            s.return_reason = ReturnReason.EMPTY
            s.return_note = "内容较为笼统，请补充完善后重新提交。"
        if A.REGISTER in on:
            s.number = self._number(congress, session, year)
            s.category = rng.choice(self.categories)
            s.registered_on = on[A.REGISTER]
        units: list[HandlingUnit] = []
        if A.ASSIGN in on:
            region: Region = congress.region or author.township
            candidates = org.units_for(region)
            units = [rng.choice(candidates)]
            if rng.random() < 0.2 and len(candidates) > 1:
                units.append(rng.choice([u for u in candidates if u is not units[0]]))
            s.assigned_on = on[A.ASSIGN]
            s.due_on = on[A.ASSIGN] + datetime.timedelta(days=91)
            s.is_key = rng.random() < 0.03
            s.key_leader = "省人大常委会副主任" if s.is_key else ""
        result = None
        if A.ACCEPT_REPLY in on:
            result = self.classes[rng.choices("ABC", (60, 30, 10))[0]]
            s.replied_on = on[A.REPLY]
            s.result_class = result
            s.publish_reply = rng.random() < 0.5
            s.evaluation_due_on = on[A.ACCEPT_REPLY] + datetime.timedelta(days=28)
            if result.needs_follow_up:
                s.follow_up_on = on[A.ACCEPT_REPLY] + datetime.timedelta(days=180)
        elif A.REPLY in on:
            s.replied_on = on[A.REPLY]
        if state == S.REHANDLING:
            s.round = 2
            s.due_on = on[A.REHANDLE] + datetime.timedelta(days=30)
            s.evaluation_due_on = None
        if state == S.CLOSED:
            s.closed_on = on[A.CLOSE]
        return s, {"path": path, "on": on, "units": units, "result": result, "author": author}

    # Writing ------------------------------------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        batch: list[tuple[Suggestion, dict]] = []
        for year, state in self.states():
            batch.append(self._one(year, state))
            if len(batch) >= CHUNK:
                self._write(batch)
        self._write(batch)
        RegisterCounter.objects.bulk_create(RegisterCounter(scope=k, last=v) for k, v in self.counters.items())
        return self.counts

    def _write(self, batch: list[tuple[Suggestion, dict]]) -> None:
        if not batch:
            return
        insert(Suggestion, [s for s, _plan in batch])
        self.counts["suggestions"] += len(batch)
        children: dict[type, list] = {m: [] for m in (Event, Assignment, Consultation, Reply, Evaluation, CoSigner)}
        for s, plan in batch:
            self._children(s, plan, children)
        for model, rows in children.items():
            key = {Event: "events", Assignment: "assignments", Consultation: "consultations", Reply: "replies"}
            key |= {Evaluation: "evaluations", CoSigner: "cosigners"}
            self.counts[key[model]] += insert_count(model, rows)
        batch.clear()

    def _children(self, s: Suggestion, plan: dict, out: dict[type, list]) -> None:
        rng = self.rng
        on, units, author = plan["on"], plan["units"], plan["author"]
        state = ""
        for i, action in enumerate(plan["path"]):
            after = NEXT[action]
            note = "第1轮评价：不满意" if action == A.EVALUATE and s.state == S.REHANDLING else ""
            out[Event].append(
                Event(
                    suggestion=s,
                    at=_at(on[action], 9, i),
                    on=on[action],
                    actor_label=_ACTOR.get(action, "代工委"),
                    action=action,
                    from_state=state,
                    to_state=after,
                    note=note,
                )
            )
            state = after
        if A.SUBMIT in on and rng.random() < 0.15:
            mates = self.people.by_township.get(author.township.pk, [])
            for mate in {m.pk: m for m in rng.sample(mates, min(len(mates), 3))}.values():
                if mate.pk != author.pk:
                    out[CoSigner].append(CoSigner(suggestion=s, deputy_id=mate.pk, confirmed_at=_at(on[A.SUBMIT], 11)))
        for k, unit in enumerate(units):
            received = on.get(A.RECEIVE)
            out[Assignment].append(
                Assignment(
                    suggestion=s,
                    unit=unit,
                    role=UnitRole.LEAD if k == 0 else UnitRole.CO,
                    status=AssignmentStatus.ACTIVE,
                    assigned_on=on[A.ASSIGN],
                    received_on=received,
                    return_by=on[A.ASSIGN] + datetime.timedelta(days=9),
                    opinion_due_on=on[A.ASSIGN] + datetime.timedelta(days=30) if k else None,
                    opinion="同意主办单位意见，积极配合办理。" if k and received else "",
                    opinion_on=received + datetime.timedelta(days=10) if k and received else None,
                    created_at=_at(on[A.ASSIGN], 10),
                    updated_at=_at(on[A.ASSIGN], 10),
                )
            )
        if A.CONSULT in on:
            way = rng.choice([ConsultationWay.IN_PERSON, ConsultationWay.PHONE, ConsultationWay.SITE])
            out[Consultation].append(
                Consultation(
                    suggestion=s,
                    unit=units[0],
                    date=on[A.CONSULT],
                    way=way,
                    notes="与代表当面沟通办理方案。",
                    recorded_by=self.clerk,
                )
            )
        if A.REPLY in on:
            accepted = A.ACCEPT_REPLY in on
            result = plan["result"] or self.classes[rng.choices("ABC", (60, 30, 10))[0]]
            out[Reply].append(
                Reply(
                    suggestion=s,
                    unit=units[0],
                    text=f"关于您提出的{s.title}，我单位高度重视，已制定方案并组织实施。",
                    result_class=result,
                    publishable=s.publish_reply,
                    follow_up_on=s.follow_up_on,
                    submitted_on=on[A.REPLY],
                    review_status=ReviewStatus.ACCEPTED if accepted else ReviewStatus.PENDING,
                )
            )
        if A.EVALUATE in on:
            dissatisfied = s.state == S.REHANDLING
            result = (
                Satisfaction.DISSATISFIED
                if dissatisfied
                else rng.choice([Satisfaction.SATISFIED] * 3 + [Satisfaction.BASIC])
            )
            out[Evaluation].append(
                Evaluation(
                    suggestion=s,
                    deputy_id=author.pk,
                    attitude=Satisfaction.SATISFIED,
                    result=result,
                    evaluated_on=on[A.EVALUATE],
                )
            )


_ACTOR = {A.CREATE: "领衔代表", A.SUBMIT: "领衔代表", A.WITHDRAW: "领衔代表", A.EVALUATE: "领衔代表"}
_ACTOR |= {A.RECEIVE: "主办单位", A.CONSULT: "主办单位", A.REPLY: "主办单位", A.REHANDLE: "系统", A.CLOSE: "系统"}


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute * 7 % 60, tzinfo=TZ)


def build_suggestions(org: Org, people: People, shape: Shape, rng: random.Random, today, users) -> dict[str, int]:
    return SuggestionBuilder(org, people, shape, rng, today, users).build()
