"""The demo suggestions' actors and actions: each action is one call of a suggestion service."""

from __future__ import annotations

import datetime
from typing import Any

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.core import workdays
from deputyhome.deputies.models import Deputy
from deputyhome.organisation.models import HandlingUnit, Session
from deputyhome.suggestions import services
from deputyhome.suggestions.models import Category, ResultClass

from ..clock import days, local_today
from .plans import Plan
from .texts import (
    CLERK_GIVEN,
    CLERK_NAMES,
    CO_OPINIONS,
    COMMENTS,
    CONSULT_NOTES,
    FIELD,
    KEY_LEADERS,
    SUPERVISION_TEXT,
)


def _unusable_account(**fields: Any) -> User:
    """An account that acts in the demo's records but cannot log in."""
    user = User(**fields)
    user.set_unusable_password()
    user.save()
    return user


class Env:
    """The actors, the lists and the actions: each action is one call of a suggestion service."""

    def __init__(self, ctx: Any, session: Session, last: datetime.date) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.session = session
        self.last = last
        # The 交办会: all registered session suggestions are assigned in one meeting, four weeks on.
        self.assign_day = workdays.next_workday(session.start_date + days(28))
        logins = {u.username: u for u in User.objects.filter(username__in=[x.username for x in ctx.logins])}
        self.city, self.township = logins["city"], logins["township"]
        self.supervisor, self.leader = logins["supervisor"], logins["leader"]
        self.persona = logins["deputy"]
        services.default_lists_ensure(actor=self.city)  # a flushed database has lost the migration's rows
        self.categories = {c.name: c for c in Category.objects.all()}
        self.classes = {r.code: r for r in ResultClass.objects.all()}
        self.unit_number = {u.pk: i for i, u in enumerate(ctx.org.units, start=1)}
        self.clerks: dict[int, User] = {logins["unit"].unit_id: logins["unit"]}
        self.deputy_users: dict[int, User] = {
            u.deputy_id: u for u in User.objects.filter(deputy__isnull=False).select_related("deputy")
        }
        self.new_deputy_users = 0
        self.new_clerks = 0
        self.supervision_records = 0

    # Accounts ------------------------------------------------------------------------------------------

    def deputy_user(self, deputy: Deputy) -> User:
        user = self.deputy_users.get(deputy.pk)
        if user is None:
            self.new_deputy_users += 1
            user = _unusable_account(
                username=f"deputy_{self.new_deputy_users:03d}",
                role=Role.DEPUTY,
                deputy=deputy,
                display_name=deputy.name,
            )
            self.deputy_users[deputy.pk] = user
        return user

    def clerk(self, unit: HandlingUnit) -> User:
        user = self.clerks.get(unit.pk)
        if user is None:
            self.new_clerks += 1
            name = self.rng.choice(CLERK_NAMES) + self.rng.choice(CLERK_GIVEN)
            user = _unusable_account(
                username=f"unit_{self.unit_number[unit.pk]:02d}", role=Role.UNIT_CLERK, unit=unit, display_name=name
            )
            self.clerks[unit.pk] = user
        return user

    def ensure(self, needs: tuple) -> None:
        for obj in needs:
            if isinstance(obj, Deputy):
                self.deputy_user(obj)
            else:
                self.clerk(obj)

    def entrant(self, p: Plan) -> User:
        if p.entry == "city":
            return self.city
        if p.entry == "township":
            return self.township
        return self.deputy_user(p.author)

    # Actions -------------------------------------------------------------------------------------------

    def create(self, p: Plan, content: dict[str, str]) -> None:
        p.s = services.suggestion_create(
            author=p.author,
            data={"title": p.title, **content, "session": p.session},
            actor=self.entrant(p),
            cosigners=p.cosigners,
        )

    def edit(self, p: Plan) -> None:
        services.suggestion_update(suggestion=p.s, data=p.content, actor=self.entrant(p))

    def submit(self, p: Plan) -> None:
        services.suggestion_submit(suggestion=p.s, actor=self.entrant(p))

    def confirm(self, p: Plan, deputy: Deputy) -> None:
        services.suggestion_confirm_cosign(suggestion=p.s, actor=self.deputy_user(deputy))

    def send_back(self, p: Plan, reason: str, note: str) -> None:
        services.suggestion_return(suggestion=p.s, reason=reason, note=note, actor=self.city)

    def register(self, p: Plan) -> None:
        assert p.topic is not None
        s = services.suggestion_register(suggestion=p.s, category=self.categories[p.topic.category], actor=self.city)
        p.number = s.number

    def assign(self, p: Plan, unit: HandlingUnit, co: list[HandlingUnit], is_complex: bool) -> None:
        months = 6 if is_complex else 3
        requirements = f"请于交办之日起{months}个月内办结并书面答复代表，答复前须与领衔代表沟通联系"
        if co:
            requirements += "；协办单位请于1个月内向主办单位提出书面协办意见"
        services.suggestion_assign(
            suggestion=p.s,
            lead_unit=unit,
            co_units=co,
            requirements=requirements + "。",
            is_complex=is_complex,
            actor=self.city,
        )

    def unit_return(self, p: Plan) -> None:
        assert p.wrong is not None and p.lead is not None
        reason = f"经研究，该建议所提事项属{p.lead.name}职责范围，不属于本单位职能，申请退回重新交办。"
        services.suggestion_unit_return(suggestion=p.s, reason=reason, actor=self.clerk(p.wrong))

    def receive(self, p: Plan) -> None:
        services.suggestion_receive(suggestion=p.s, actor=self.clerk(p.lead))

    def co_opinion(self, p: Plan, unit: HandlingUnit) -> None:
        services.suggestion_co_opinion(suggestion=p.s, opinion=p.rng.choice(CO_OPINIONS), actor=self.clerk(unit))

    def consult(self, p: Plan, way: str, again: bool = False) -> None:
        assert p.lead is not None
        if again:
            notes = f"针对代表不满意的意见，{p.lead.name}主要负责同志带队与{p.author.name}代表面商，重新研究办理措施。"
        else:
            place = f"{p.township.name}{p.village.name}"
            notes = CONSULT_NOTES[way].format(unit=p.lead.name, name=p.author.name, place=place)
        services.suggestion_consult(suggestion=p.s, date=local_today(), way=way, notes=notes, actor=self.clerk(p.lead))

    def waive(self, p: Plan) -> None:
        note = "领衔代表长期在外地务工，无法当面沟通，经代工委同意免予面商，答复以书面方式送达代表。"
        services.suggestion_waive_consultation(suggestion=p.s, note=note, actor=self.city)

    def request_extension(self, p: Plan, months: int) -> None:
        reason = (
            f"该建议涉及项目立项、用地和资金等前期工作，需报请上级审批，难以在规定期限内办结，申请延期{months}个月。"
        )
        p.ext = services.suggestion_request_extension(
            suggestion=p.s, months=months, reason=reason, actor=self.clerk(p.lead)
        )

    def decide_extension(self, p: Plan, approve: bool) -> None:
        note = "同意延期，请加快推进并及时与代表沟通。" if approve else "延期理由不充分，请按原期限办理答复。"
        services.suggestion_decide_extension(extension=p.ext, approve=approve, note=note, actor=self.city)

    def reply(self, p: Plan, round_: int, weak: bool = False) -> None:
        assert p.lead is not None
        today = local_today()
        cls = self.classes[p.result if round_ == 1 else p.result2]
        follow = None  # B: within the year or so; C: looked at again next year
        if cls.needs_follow_up:
            later = today + days(p.rng.randint(90, 240))
            follow = later if cls.code == "B" else datetime.date(today.year + 1, 6, 30)
        services.suggestion_reply(
            suggestion=p.s,
            text=self.reply_text(p, cls, round_, today, follow, weak),
            result_class=cls,
            publishable=p.rng.random() < 0.85,
            follow_up_on=follow,
            actor=self.clerk(p.lead),
        )

    def reply_text(
        self,
        p: Plan,
        cls: ResultClass,
        round_: int,
        today: datetime.date,
        follow: datetime.date | None,
        weak: bool,
    ) -> str:
        assert p.lead is not None and p.topic is not None
        unit = p.lead
        lines = [f"{p.author.name}代表："]
        if weak:
            lines.append(f"    您提出的《{p.title}》收悉。我单位高度重视，将认真研究，积极推进。")
        else:
            lines.append(
                f"    您提出的《{p.title}》（第{p.number}号）收悉。感谢您对{FIELD[p.topic.category]}的关心和支持。"
                "我单位高度重视，明确分管负责同志牵头、责任股室具体承办，并与您进行了沟通。现答复如下："
            )
            if round_ == 2:
                lines.append(
                    "    根据您对第一次答复的意见，我单位重新研究了办理措施，并再次与您当面沟通，现补充答复如下："
                )
            if cls.code == "A":
                lines.append(f"    一、{p.measure}。")
                lines.append("    二、您建议中反映的问题已基本解决。下一步，我们将建立长效机制，巩固办理成效。")
            elif cls.code == "B":
                assert follow is not None
                lines.append(f"    一、您的建议已列入我单位{today.year}年度工作计划。{p.measure}。")
                lines.append(
                    f"    二、目前相关工作正在推进，计划于{follow.year}年{follow.month}月底前全部完成，届时将及时向您反馈落实情况。"
                )
            else:
                lines.append("    一、我单位对您反映的问题进行了专题调研，认为建议具有较强的针对性。")
                lines.append(
                    "    二、受资金和政策等条件限制，目前暂不具备全面实施的条件。我们将把您的建议作为今后工作的重要参考，"
                    "积极向上争取政策和项目支持，条件成熟时逐步推进。"
                )
            lines.append("    再次感谢您对我单位工作的支持，欢迎继续提出宝贵意见。")
        lines.append(f"    联系人：{unit.contact_person}　联系电话：{unit.phone}")
        lines.append(f"{unit.name}")
        lines.append(f"{today.year}年{today.month}月{today.day}日")
        return "\n".join(lines)

    def review(self, p: Plan, accept: bool) -> None:
        note = "" if accept else "答复内容过于简单，未说明具体措施、完成时限和与代表沟通情况，请补充完善后重新答复。"
        services.suggestion_review_reply(suggestion=p.s, accept=accept, note=note, actor=self.city)

    def evaluate(self, p: Plan, deputy: Deputy, attitude: str, result: str) -> None:
        services.suggestion_evaluate(
            suggestion=p.s,
            attitude=attitude,
            result=result,
            comment=p.rng.choice(COMMENTS[result]),
            actor=self.deputy_user(deputy),
        )

    def no_evaluation(self, p: Plan) -> None:
        services.suggestion_record_no_evaluation(suggestion=p.s)

    def mark_key(self, p: Plan) -> None:
        actor = self.leader if p.rng.random() < 0.3 else self.supervisor
        services.suggestion_mark_key(
            suggestion=p.s,
            leader=p.rng.choice(KEY_LEADERS),
            actor=actor,
            note="列入年度重点督办建议，由常委会领导领衔督办。",
        )

    def supervise(self, p: Plan, method: str) -> None:
        assert p.lead is not None
        findings, follow_up = SUPERVISION_TEXT[method]
        values = {
            "unit": p.lead.name,
            "number": p.number,
            "place": f"{p.township.name}{p.village.name}",
            "name": p.author.name,
        }
        services.supervision_record_add(
            suggestion=p.s,
            method=method,
            date=local_today(),
            findings=findings.format(**values),
            follow_up=follow_up,
            actor=self.supervisor,
        )
        self.supervision_records += 1
