"""The session's delegations and motions in the demo: a delegation per township-level unit that elected city
deputies (its city deputies, the first of them its head), and 6 motions filed
at the city congress's session of this year, 1 put on the agenda and 5 handled as suggestions.

The 5 converted motions are 5 of the session's 118 suggestions: their plans (`Plan.motion`) start as joint
motions of 10 city deputies of the author's township, confirmed, checked after the deadline and converted by
the presidium, which makes the suggestion (submitted at the decision) that then runs its course like the rest.
The motion put on the agenda is filed by a delegation in its own name. Nothing here draws on a random
generator: the choices follow the deputies' order, so the suggestions' own draws are what they were.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from deputyhome.motions import services
from deputyhome.motions.choices import Decision, MotionKind
from deputyhome.motions.models import Delegation, Motion
from deputyhome.organisation import services as org_services
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Region, Session

from ..clock import TZ

CONVERTED = 5
SIGNERS = 10  # the city congress's rule: 10 or more deputies jointly
COMMITTEE = "财政经济委员会"
AGENDA = {
    "title": "关于加快推进城乡供水一体化建设的议案",
    "grounds": (
        "我市城区和集镇供水管网覆盖率较高，但部分边远村组仍以山泉水、小水窖为主要水源，枯水期缺水、"
        "雨季水质浑浊的问题突出；现有农村供水工程规模小、管护主体不明，水费收缴难，难以长效运行。"
        "城乡供水一体化是保障农村饮水安全、推进乡村振兴的基础工程，需要人民代表大会作出决定统筹推进。"
    ),
    "plan": (
        "一、由市人民政府编制城乡供水一体化专项规划，明确三年建设目标和分年度任务；"
        "二、整合水利、乡村振兴、农业农村等项目资金，建立市级财政投入稳定增长机制；"
        "三、推行“城市管网延伸＋规模化水厂”建设模式，明确统一的建设标准和水质检测制度；"
        "四、组建市级供水管理主体，实行统一运营、统一管护、统一收费；"
        "五、市人大常委会每年听取和审议专项工作报告，并组织代表开展视察。"
    ),
    "report": "财政经济委员会经调研审议，建议市人民政府将城乡供水一体化纳入年度重点民生实事，分三年实施；审议结果报告提请下次会议。",
}


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


class SessionMotions:
    """The session's delegations, the deadline, and the steps of its motions for the demo's steps."""

    def __init__(self, ctx: Any, env: Any, session: Session) -> None:
        self.env, self.session = env, session
        self.start, self.end = session.start_date, session.end_date
        self.deadline = _at(self.start + datetime.timedelta(days=1), 12)  # noon on the second day
        logins = set(env.deputy_users)  # the personas are kept out of the signatures
        self.city_deputies: dict[int, list] = {}
        for person in ctx.deputies.persons:
            if CongressLevel.CITY in person.levels and person.township is not None:
                self.city_deputies.setdefault(person.township.pk, []).append(person.deputy)
        for deputies in self.city_deputies.values():
            deputies.sort(key=lambda d: d.pk)
        self.signers = {t: [d for d in ds if d.pk not in logins] for t, ds in self.city_deputies.items()}
        self.townships: list[Region] = sorted(ctx.org.townships, key=lambda t: t.code)
        self.delegations: dict[int, Delegation] = {}
        self.motions: dict[int, Motion] = {}  # plan number (0: the delegation's motion) → motion

    # Before the session: the deadline and the delegations ------------------------------------------------------

    def prepare(self) -> int:
        """Set the presidium's deadline and seat the delegations (run on a day before the session)."""
        city = self.env.city
        org_services.session_update(session=self.session, data={"motion_deadline": self.deadline}, actor=city)
        members = 0
        for township in self.townships:
            deputies = self.city_deputies.get(township.pk, [])
            if not deputies:  # a township that elected no city deputy (屯堡乡 in the demo) sends no delegation
                continue
            delegation = services.delegation_create(
                data={"session": self.session, "name": f"{township.name}代表团", "region": township}, actor=city
            )
            members += services.delegation_members_add(
                delegation=delegation,
                deputies=deputies,
                start_date=self.start,
                head=deputies[0],
                actor=city,
            )
            self.delegations[township.pk] = delegation
        return members

    # The joint motions that become suggestions -----------------------------------------------------------------

    def choose(self, plans: list) -> list:
        """The 5 session suggestions that come in as motions: the first closed ones (in the plans' order) whose
        township has 10 city deputies to sign; each gets 9 co-signers of its township, who all confirm."""
        chosen = []
        for p in plans:
            if len(chosen) == CONVERTED:
                break
            if p.session is None or p.target != "closed" or p.draft or p.topic is None:
                continue
            pool = [d for d in self.signers.get(p.township.pk, []) if d.pk != p.author.pk]
            if len(pool) < SIGNERS - 1 or p.author.pk not in {d.pk for d in self.city_deputies[p.township.pk]}:
                continue
            first = [d for d in p.cosigners if d in pool]
            p.cosigners = (first + [d for d in pool if d not in first])[: SIGNERS - 1]
            p.unconfirmed = set()
            p.motion = True
            p.title = p.title.removesuffix("的建议") + "的议案"
            chosen.append(p)
        return chosen

    def course(self, c: Any, p: Any) -> datetime.date:
        """A converted plan's steps up to the presidium's decision, which submits the suggestion; returns that day."""
        day1, day2 = self.start, self.start + datetime.timedelta(days=1)
        k = p.n % 60
        c.main(day1, lambda: self._create(p), (p.author,), when=_at(day1, 9, k % 50))
        c.main(day1, lambda: self._file(p), (p.author,), when=_at(day1, 14, k % 50))
        for i, deputy in enumerate(p.cosigners):  # six the same afternoon, the others the next morning
            when = _at(day1, 15) if i < 6 else _at(day2, 8) - datetime.timedelta(minutes=60)
            when += datetime.timedelta(minutes=10 * i + k % 10)
            c.main(when.date(), lambda d=deputy: self._confirm(p.n, d), (deputy,), when=when)
        c.main(day2, lambda: self._check(p.n), when=_at(day2, 15, k % 50))
        decided = self.start + datetime.timedelta(days=2)
        c.main(decided, lambda: self._convert(p), when=_at(decided, 10, k % 50))
        return decided

    def _create(self, p: Any) -> None:
        content = p.content
        grounds = "\n".join(x for x in (content.get("situation", ""), content.get("reasons", "")) if x)
        self.motions[p.n] = services.motion_create(
            session=self.session,
            lead=p.author,
            data={"title": p.title, "grounds": grounds, "plan": content.get("proposals", "")},
            cosigners=p.cosigners,
            actor=self.env.deputy_user(p.author),
        )

    def _file(self, p: Any) -> None:
        self.motions[p.n] = services.motion_file(motion=self.motions[p.n], actor=self.env.deputy_user(p.author))

    def _confirm(self, n: int, deputy: Any) -> None:
        services.motion_confirm(motion=self.motions[n], actor=self.env.deputy_user(deputy))

    def _check(self, n: int) -> None:
        services.motion_check(motion=self.motions[n], within_powers=True, actor=self.env.city)

    def _convert(self, p: Any) -> None:
        note = "所提事项属于政府日常工作范畴，由市人民政府有关部门研究办理更为适宜。"
        m = services.motion_decide(
            motion=self.motions[p.n], decision=Decision.CONVERTED, note=note, actor=self.env.city
        )
        p.s = m.suggestion

    # The delegation's motion put on the agenda --------------------------------------------------------------

    def agenda_steps(self) -> list[tuple[datetime.datetime, Callable[[], Any], tuple]]:
        """(when, action, who acts) of the motion a rural delegation files in its own name: on the agenda,
        reported on in June."""
        township = next(
            (t for t in self.townships if t.kind in ("town", "township") and self.city_deputies.get(t.pk)), None
        )
        if township is None:
            return []
        head = self.city_deputies[township.pk][0]
        day1, day2, day3 = (self.start + datetime.timedelta(days=n) for n in range(3))
        reported = datetime.date(self.start.year, 6, 26)
        return [
            (_at(day1, 10, 30), lambda: self._agenda_file(head), (head,)),
            (_at(day2, 15, 30), lambda: self._check(0), ()),
            (_at(day3, 10, 50), self._agenda_decide, ()),
            (_at(reported, 10), lambda: self._agenda_report(reported), ()),
        ]

    def _agenda_file(self, head: Any) -> None:
        user = self.env.deputy_user(head)
        m = services.motion_create(
            session=self.session,
            lead=head,
            data={k: AGENDA[k] for k in ("title", "grounds", "plan")},
            kind=MotionKind.DELEGATION,
            actor=user,
        )
        self.motions[0] = services.motion_file(motion=m, actor=user)

    def _agenda_decide(self) -> None:
        self.motions[0] = services.motion_decide(
            motion=self.motions[0], decision=Decision.ON_AGENDA, committee=COMMITTEE, actor=self.env.city
        )

    def _agenda_report(self, day: datetime.date) -> None:
        services.motion_report(motion=self.motions[0], reported_on=day, report=AGENDA["report"], actor=self.env.city)
