"""Pages of sessions (人代会会议) as working objects: the list, a session's page with its delegations and what came
in, a delegation's members on a day, the forms of delegations and memberships, and the congresses' rules."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Window
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.core import registry
from deputyhome.core.crud import Column, FormPageView, RegisterView, get_in_scope, not_in_scope, parse_date
from deputyhome.core.pages import ModelPages
from deputyhome.organisation.models import Session

from . import forms, selectors, services
from .choices import LeaveState
from .filters import SessionFilter
from .models import Delegation


def _deadline(s: Session) -> str:
    return timezone.localtime(services.deadline_of(s)).strftime("%Y-%m-%d %H:%M")


class SessionList(RegisterView):
    title = "会议与代表团"
    allowed = staticmethod(selectors.may_see_sessions)
    selector = staticmethod(selectors.session_list)
    filterset_class = SessionFilter
    default_sort = "-start_date"
    columns = [
        Column("会议", lambda s: s.name, "name", link=lambda s: reverse("motions:session_detail", args=[s.pk])),
        Column("层级", lambda s: s.congress.get_level_display(), "congress__level"),
        Column("会期", lambda s: f"{s.start_date:%Y-%m-%d} 至 {s.end_date:%Y-%m-%d}", "start_date"),
        Column("议案截止时间", _deadline, "motion_deadline"),
        Column("代表团", lambda s: s.delegation_count, "delegation_count"),
        Column("收到议案", lambda s: s.motion_count, "motion_count"),
    ]


def _session(request: HttpRequest, pk: Any) -> Session:
    if not selectors.may_see_sessions(request.user):
        raise not_in_scope(request.user, Session, pk)
    return get_in_scope(selectors.session_list, request.user, pk)


MOTIONS_SHOWN = 20


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    session = _session(request, pk)
    now = timezone.now()
    delegations = list(selectors.delegation_figures(user=user, session=session))
    # The first 20 of the motions filed at the session that the user sees, each with how many there are: one query
    # (number, title, kind and state: no signers' counts, no joins).
    mine = selectors.motion_register(user=user).select_related(None).filter(session=session, filed_at__isnull=False)
    motions = list(mine.annotate(total=Window(Count("pk"))).order_by("number")[:MOTIONS_SHOWN])
    may_file = (
        selectors.may_draft(user)
        and services.open_for_drafting(session, now)
        and session.congress.mandates.filter(deputy_id=user.deputy_id).exists()
    )
    context = {
        "object": session,
        "title": session.name,
        "deadline": services.deadline_of(session),
        "window": services.window_problem(session, now),
        "rules": services.rules_for(session.congress),
        "delegations": delegations,
        # A township congress's session (no delegations): its deputies' attendance in one line.
        "seated": selectors.seated_figures(session=session) if selectors.ticked_on_one_sheet(session) else None,
        "totals": selectors.session_totals(session=session),
        "motions": motions,
        "motion_count": motions[0].total if motions else 0,
        "may_file": may_file,
        "can_manage": selectors.may_manage_delegations(user, session),
        **_attendance_context(user, session),
    }
    return render(request, "motions/session_detail.html", context)


def _attendance_context(user: Any, session: Session) -> dict[str, Any]:
    """The session page's part of attendance: the user's own row and the leave form; for the staff, how many
    requests for leave wait."""
    staff = services.may_record(user, session)
    return {
        "my_attendance": selectors.my_attendance(user=user, session=session),
        "may_ask_leave": selectors.may_ask_leave(user=user, session=session),
        "leave_form": forms.LeaveForm(),
        "may_record": staff,
        "pending_leave": (
            selectors.leave_requests(user=user, session=session).filter(leave_state=LeaveState.PENDING).count()
            if staff
            else 0
        ),
    }


@login_required
def delegation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not selectors.may_see_sessions(user):
        raise not_in_scope(user, Delegation, pk)
    delegation: Delegation = get_in_scope(selectors.delegation_list, user, pk)
    on = parse_date(request.GET.get("on")) or min(
        max(timezone.localdate(), delegation.session.start_date), delegation.session.end_date
    )
    members = [
        (m, registry.link("deputy_attendance", user, m.deputy))
        for m in selectors.members_on(delegation=delegation, on=on)
    ]
    context = {
        "object": delegation,
        "title": delegation.name,
        "session": delegation.session,
        "members": members,
        "on": on,
        "can_manage": selectors.may_manage_delegations(user, delegation.session),
    }
    return render(request, "motions/delegation_detail.html", context)


# Forms of delegations and their members ---------------------------------------------------------------------


def _staff(user) -> bool:
    return user.role in (Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER)


class DelegationFormView(FormPageView):
    """A new delegation opens from its session's page (/sessions/<pk>/delegations/new/)."""

    form_class = forms.DelegationForm
    title = "新增代表团"
    allowed = staticmethod(_staff)
    selector = staticmethod(selectors.delegation_list)
    entity = "delegation"
    create = staticmethod(services.delegation_create)
    update = staticmethod(services.delegation_update)

    def get_object(self):
        obj = super().get_object()
        session = obj.session if obj is not None else _session(self.request, self.kwargs["session_pk"])
        if not selectors.may_manage_delegations(self.request.user, session):
            raise PermissionDenied("只有本次会议的工作人员可以编排代表团。")
        self.session = session
        return obj

    def new_data(self):
        return {"session": self.session}

    def cancel_url(self, instance) -> str:
        return reverse("motions:session_detail", args=[self.session.pk])


class MemberFormView(FormPageView):
    """Seat a deputy in a delegation (/delegations/<pk>/members/new/), or change a membership's role or dates."""

    form_class = forms.MemberForm
    title = "新增代表团成员"
    allowed = staticmethod(_staff)
    selector = staticmethod(selectors.member_list)
    entity = "member"

    def get_object(self):
        obj = super().get_object()
        if obj is not None:
            self.delegation = obj.delegation
        else:
            user = self.request.user
            if not selectors.may_see_sessions(user):
                raise not_in_scope(user, Delegation, self.kwargs["delegation_pk"])
            self.delegation = get_in_scope(selectors.delegation_list, user, self.kwargs["delegation_pk"])
        if not selectors.may_manage_delegations(self.request.user, self.delegation.session):
            raise PermissionDenied("只有本次会议的工作人员可以编排代表团。")
        return obj

    def form_kwargs(self) -> dict[str, Any]:
        return {"delegation": getattr(self, "delegation", None)}

    def save(self, form, instance):
        data = {k: v for k, v in form.cleaned_data.items() if k != "session"}
        if instance is None:
            return services.delegation_member_add(data={**data, "delegation": self.delegation}, actor=self.request.user)
        return services.delegation_member_update(member=instance, data=data, actor=self.request.user)

    def cancel_url(self, instance) -> str:
        return self.delegation.get_absolute_url()


# The congresses' rules for motions --------------------------------------------------------------------------


def _city_officer(user) -> bool:
    return user.role == Role.CITY_OFFICER


rules = ModelPages(
    "motions",
    "motion_rules",
    selector=selectors.rules_list,
    register={
        "title": "议案规则",
        "default_sort": "congress__name",
        # The rules are set by the city committee; everyone else reads them on a session's page.
        "allowed": staticmethod(lambda user: user.role == Role.CITY_OFFICER),
        "columns": [
            Column("人民代表大会", lambda r: r.congress.name, "congress__name", link=lambda r: r.get_absolute_url()),
            Column("联名提出议案的最少人数", lambda r: r.min_signers, "min_signers"),
            Column("审议结果报告期限（月）", lambda r: r.review_months, "review_months"),
        ],
    },
    form_class=forms.RulesForm,
    form_title="设置议案规则",
    create=services.motion_rules_create,
    update=services.motion_rules_update,
    editors=_city_officer,
)
