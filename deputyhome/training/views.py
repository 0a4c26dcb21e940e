"""Training pages: plans, sessions, materials; the helpers the other training views share.

The sign-in pages are in views_signin, invitations and attendance in views_attendance,
coverage, hours and the API in views_coverage.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import ScopeKind
from deputyhome.core.converters import valid_id
from deputyhome.core.crud import (
    Column,
    DeletePageView,
    FormPageView,
    RegisterView,
    date_column,
    get_in_scope,
    name_column,
)
from deputyhome.core.filters import query_year
from deputyhome.core.pages import ModelPages

from . import filters, forms, selectors, services
from .choices import AttendanceStatus, SignInWay
from .models import Attendance, Material, TrainingPlan, TrainingSession

ATTENDANCE_PAGE = 100  # the attendance form: a hundred marks saved at once
SESSION_ATTENDANCE_PAGE = 50  # the session's page, which only reads them
DISTRIBUTIONS_SHOWN = 20


def forbid_unless(condition: bool, message: str = "您的角色无权进行此操作。") -> None:
    if not condition:
        raise PermissionDenied(message)


def may_see_coverage(user) -> bool:
    return user.scope_kind in (ScopeKind.CITY, ScopeKind.REGION, ScopeKind.GROUP)


def parse_year(value: str | None) -> int | None:
    """A four-digit year 2000–2100 from a query string; empty means this year; None when invalid."""
    return query_year(value, scopes.today().year)


def _links(user) -> list[tuple[str, str]]:
    links = []
    if selectors.is_training_staff(user):
        links += [(reverse("training:plan_list"), "培训方案"), (reverse("training:material_list"), "学习资料")]
    if may_see_coverage(user):
        links.append((reverse("training:coverage"), "覆盖与学时"))
    if user.deputy_id:
        links.append((reverse("training:signin"), "培训签到"))
    return links


def format_hours(value: Decimal | None) -> str:
    if value is None:
        return "0"
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"


# Sessions ---------------------------------------------------------------------------------------------


def _organiser(s: TrainingSession | TrainingPlan) -> str:
    return f"{s.get_level_display()} · {s.organiser}"


class SessionRegister(RegisterView):
    """The sessions, with each deputy's own attendance or, for staff, the counts."""

    @property
    def extra_links(self) -> list[tuple[str, str]]:
        return _links(self.request.user)

    def get_columns(self) -> list[Column]:
        columns = [
            date_column("日期", "date"),
            name_column("培训名称", "title"),
            Column("类型", lambda s: s.get_kind_display(), "kind"),
            Column("组织", _organiser, "region__code"),
            Column("学时", lambda s: format_hours(s.hours), "hours"),
            Column("地点", lambda s: s.place),
        ]
        if self.request.user.scope_kind == ScopeKind.SELF:
            columns.append(
                Column("我的出勤", lambda s: AttendanceStatus(s.my_status).label if s.my_status else "现场加入")
            )
        else:
            columns += [
                # Not sortable: the counts are of the page's sessions only (selectors.add_counts).
                Column("邀请", lambda s: s.invited_count),
                Column("到会", lambda s: s.present_count),
                Column("请假", lambda s: s.excused_count),
            ]
        return columns

    def decorate(self, objects: list[TrainingSession]) -> None:
        selectors.add_counts(objects, user=self.request.user)


def attendance_page(
    request: HttpRequest, rows: QuerySet[Attendance], per_page: int = ATTENDANCE_PAGE
) -> tuple[Page, str]:
    """A session's attendance rows narrowed to ?status= when it names one, a page of `per_page`; and that status."""
    status = request.GET.get("status", "")
    if status in AttendanceStatus.values:
        rows = rows.filter(status=status)
    return Paginator(rows, per_page).get_page(request.GET.get("page")), status


def session_in_scope(request: HttpRequest, pk: int) -> TrainingSession:
    forbid_unless(selectors.may_see_training(request.user), "您的角色无权查看代表培训。")
    return get_in_scope(selectors.session_list, request.user, pk)


def managed_session(request: HttpRequest, pk: int) -> TrainingSession:
    """The session if the user may run it: 404 outside their scope, 403 when they may only read it."""
    session = session_in_scope(request, pk)
    forbid_unless(
        selectors.can_manage(request.user, session), "只有培训的组织单位工作人员可以登记邀请和出勤，您只能查看。"
    )
    return session


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_in_scope(request, pk)
    user = request.user
    attendance = selectors.attendance_of(user=user, session=session)
    page, status = attendance_page(request, attendance, per_page=SESSION_ATTENDANCE_PAGE)
    groups = selectors.group_names(page.object_list)
    statuses, ways = dict(AttendanceStatus.choices), dict(SignInWay.choices)
    rows = [
        {
            "a": a,
            "group": groups.get(a.deputy_id, "—"),
            "status": statuses.get(a.status, a.status),
            "way": ways.get(a.signin_way, a.signin_way) if a.signed_in_at else "",
        }
        for a in page.object_list
    ]
    mine = None
    if user.deputy_id:
        mine = Attendance.objects.filter(session=session, deputy_id=user.deputy_id).first()
    # A session may hand a book to each of hundreds of deputies: the newest few here, all of them on the materials'
    # pages (paginated); one row more than shown says whether there are more.
    distributions = list(selectors.distribution_list(user=user).filter(session=session)[: DISTRIBUTIONS_SHOWN + 1])
    return render(
        request,
        "training/session_detail.html",
        {
            "object": session,
            "title": session.title,
            "page": page,
            "rows": rows,
            "query": urlencode({"status": status}) if status else "",
            "status": status,
            "statuses": AttendanceStatus.choices,
            "can_manage": selectors.can_manage(user, session),
            "today": scopes.today(),
            "mine": mine,
            "distributions": distributions[:DISTRIBUTIONS_SHOWN],
            "more_distributions": len(distributions) > DISTRIBUTIONS_SHOWN,
            "hours": format_hours(session.hours),
            "see_plans": selectors.is_training_staff(user),
        },
    )


class SessionForm(FormPageView):
    """A session, from its plan's page (?plan=pk) or on its own."""

    def form_kwargs(self) -> dict[str, Any]:
        plan_pk = self.request.GET.get("plan", "")
        if valid_id(plan_pk):
            return {"plan": selectors.managed_plan_list(user=self.request.user).filter(pk=plan_pk).first()}
        return {}


sessions = ModelPages(
    "training",
    "session",
    selector=selectors.session_register,
    edit_selector=selectors.managed_session_list,
    viewers=selectors.may_see_training,
    editors=selectors.may_manage_training,
    register_view=SessionRegister,
    register={"title": "代表培训", "filterset_class": filters.SessionFilter, "default_sort": "-date"},
    detail=session_detail,
    form_class=forms.SessionForm,
    form_title="新增培训",
    form_view=SessionForm,
    create=services.session_create,
    update=services.session_update,
    delete=services.session_delete,
)


# Plans ------------------------------------------------------------------------------------------------


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forbid_unless(selectors.is_training_staff(request.user), "您的角色无权查看培训方案。")
    plan = get_in_scope(selectors.plan_list, request.user, pk)
    sessions = selectors.session_list(user=request.user).filter(plan=plan).order_by("date", "start_time")
    return render(
        request,
        "training/plan_detail.html",
        {
            "object": plan,
            "title": plan.title,
            "sessions": sessions,
            "can_manage": selectors.can_manage(request.user, plan),
        },
    )


plans = ModelPages(
    "training",
    "plan",
    selector=selectors.plan_list,
    edit_selector=selectors.managed_plan_list,
    viewers=selectors.is_training_staff,
    editors=selectors.may_manage_training,
    register={
        "title": "培训方案",
        "filterset_class": filters.PlanFilter,
        "default_sort": "-year",
        "extra_links": [(reverse_lazy("training:session_list"), "培训场次")],
        "columns": [
            Column("年度", lambda p: p.year, "year"),
            name_column("方案名称", "title"),
            Column("组织", _organiser, "region__code"),
            Column("经费预算（元）", lambda p: f"{p.budget:,.2f}", "budget"),
            Column("状态", lambda p: p.get_status_display(), "status"),
            Column("培训期数", lambda p: p.session_count, "session_count"),
        ],
    },
    detail=plan_detail,
    form_class=forms.PlanForm,
    form_title="新增培训方案",
    create=services.plan_create,
    update=services.plan_update,
    delete=services.plan_delete,
)


# Materials --------------------------------------------------------------------------------------------


class MaterialRegister(RegisterView):
    @property
    def extra_links(self) -> list[tuple[str, str]]:
        links = [(reverse("training:session_list"), "培训场次")]
        if selectors.may_manage_training(self.request.user):
            links.append((reverse("training:distribution_create"), "登记发放"))
        return links


@login_required
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forbid_unless(selectors.is_training_staff(request.user), "您的角色无权查看学习资料。")
    material = get_in_scope(selectors.material_list, request.user, pk)
    rows = selectors.distribution_list(user=request.user).filter(material=material)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    ids = [d.pk for d in page.object_list]
    deletable = set(
        selectors.managed_distribution_list(user=request.user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    return render(
        request,
        "training/material_detail.html",
        {
            "object": material,
            "title": material.title,
            "page": page,
            "deletable": deletable,
            "query": "",
            "can_edit": selectors.is_city_manager(request.user),
            "can_distribute": selectors.may_manage_training(request.user),
        },
    )


materials = ModelPages(
    "training",
    "material",
    selector=selectors.material_list,
    viewers=selectors.is_training_staff,
    editors=selectors.is_city_manager,
    register_view=MaterialRegister,
    register={
        "title": "学习资料",
        "default_sort": "title",
        "columns": [
            name_column("资料名称", "title"),
            Column("出版或印发单位", lambda m: m.publisher),
            Column("已发放（份）", lambda m: m.copies, "copies"),
        ],
    },
    detail=material_detail,
    form_class=forms.MaterialForm,
    form_title="新增学习资料",
    create=services.material_create,
    update=services.material_update,
    delete=services.material_delete,
)


class DistributionForm(FormPageView):
    form_class = forms.DistributionForm
    title = "登记资料发放"
    allowed = staticmethod(selectors.may_manage_training)

    def form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        material, session = self.request.GET.get("material", ""), self.request.GET.get("session", "")
        if valid_id(material):
            kwargs["material"] = Material.objects.filter(pk=material).first()
        if valid_id(session):
            kwargs["session"] = selectors.session_choices(user=self.request.user).filter(pk=session).first()
        return kwargs

    def save(self, form, instance):
        return services.distribution_create(data=form.cleaned_data, actor=self.request.user)

    def success_url(self, obj) -> str:
        return obj.get_absolute_url()

    def cancel_url(self, instance) -> str:
        return reverse("training:material_list")


class DistributionDelete(DeletePageView):
    allowed = staticmethod(selectors.may_manage_training)
    selector = staticmethod(selectors.managed_distribution_list)
    service = staticmethod(lambda obj, actor: services.distribution_delete(distribution=obj, actor=actor))
    success_url_name = "training:material_list"

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()
