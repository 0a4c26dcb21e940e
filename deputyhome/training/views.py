"""Training pages: plans, sessions, invitations, attendance, the phone sign-in, materials, coverage."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import ScopeKind
from deputyhome.core.crud import Column, DeletePageView, FormPageView, RegisterView, get_in_scope
from deputyhome.opinions import qr

from . import filters, forms, selectors, services
from .choices import AttendanceStatus, SessionKind
from .models import Attendance, Material, TrainingSession

MIN_YEAR, MAX_YEAR = 2000, 2100
ATTENDANCE_PAGE = 100
INVITE_LIST_LIMIT = 300


def _forbid_unless(condition: bool, message: str = "您的角色无权进行此操作。") -> None:
    if not condition:
        raise PermissionDenied(message)


def may_see_coverage(user) -> bool:
    return user.scope_kind in (ScopeKind.CITY, ScopeKind.REGION, ScopeKind.GROUP)


def parse_year(value: str | None) -> int | None:
    """A four-digit year 2000–2100 from a query string; empty means this year; None when invalid."""
    if value is None or not value.strip():
        return scopes.today().year
    value = value.strip()
    if not (value.isdigit() and len(value) == 4):
        return None
    year = int(value)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _links(user) -> list[tuple[str, str]]:
    links = []
    if selectors.is_training_staff(user):
        links += [(reverse("training:plan_list"), "培训方案"), (reverse("training:material_list"), "学习资料")]
    if may_see_coverage(user):
        links.append((reverse("training:coverage"), "覆盖与学时"))
    if user.deputy_id:
        links.append((reverse("training:signin"), "培训签到"))
    return links


def _hours(value: Decimal | None) -> str:
    if value is None:
        return "0"
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"


# Sessions ---------------------------------------------------------------------------------------------


def _organiser(s: TrainingSession) -> str:
    return f"{s.get_level_display()} · {s.organiser}"


class SessionList(RegisterView):
    title = "代表培训"
    allowed = staticmethod(selectors.may_see_training)
    selector = staticmethod(selectors.session_list)
    filterset_class = filters.SessionFilter
    default_sort = "-date"
    create_url = "training:session_create"
    create_allowed = staticmethod(selectors.may_manage_training)

    @property
    def extra_links(self) -> list[tuple[str, str]]:
        return _links(self.request.user)

    def get_columns(self) -> list[Column]:
        columns = [
            Column("日期", lambda s: f"{s.date:%Y-%m-%d}", "date"),
            Column("培训名称", lambda s: s.title, "title", link=lambda s: s.get_absolute_url()),
            Column("类型", lambda s: s.get_kind_display(), "kind"),
            Column("组织", _organiser, "region__code"),
            Column("学时", lambda s: _hours(s.hours), "hours"),
            Column("地点", lambda s: s.place),
        ]
        if self.request.user.scope_kind == ScopeKind.SELF:
            columns.append(
                Column("我的出勤", lambda s: AttendanceStatus(s.my_status).label if s.my_status else "现场加入")
            )
        else:
            columns += [
                Column("邀请", lambda s: s.invited_count, "invited_count"),
                Column("到会", lambda s: s.present_count, "present_count"),
                Column("请假", lambda s: s.excused_count, "excused_count"),
            ]
        return columns


def _session_in_scope(request: HttpRequest, pk: int) -> TrainingSession:
    _forbid_unless(selectors.may_see_training(request.user), "您的角色无权查看代表培训。")
    return get_in_scope(selectors.session_list, request.user, pk)


def _managed_session(request: HttpRequest, pk: int) -> TrainingSession:
    """The session if the user may run it: 404 outside their scope, 403 when they may only read it."""
    session = _session_in_scope(request, pk)
    _forbid_unless(
        selectors.can_manage(request.user, session), "只有培训的组织单位工作人员可以登记邀请和出勤，您只能查看。"
    )
    return session


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_in_scope(request, pk)
    user = request.user
    rows = selectors.attendance_of(user=user, session=session)
    status = request.GET.get("status", "")
    if status in AttendanceStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, ATTENDANCE_PAGE).get_page(request.GET.get("page"))
    mine = None
    if user.deputy_id:
        mine = Attendance.objects.filter(session=session, deputy_id=user.deputy_id).first()
    distributions = selectors.distribution_list(user=user).filter(session=session)
    return render(
        request,
        "training/session_detail.html",
        {
            "object": session,
            "title": session.title,
            "page": page,
            "query": urlencode({"status": status}) if status else "",
            "status": status,
            "statuses": AttendanceStatus.choices,
            "can_manage": selectors.can_manage(user, session),
            "today": scopes.today(),
            "mine": mine,
            "distributions": distributions,
            "hours": _hours(session.hours),
            "see_plans": selectors.is_training_staff(user),
        },
    )


class SessionForm(FormPageView):
    form_class = forms.SessionForm
    title = "新增培训"
    allowed = staticmethod(selectors.may_manage_training)
    selector = staticmethod(selectors.managed_session_list)

    def form_kwargs(self) -> dict[str, Any]:
        plan_pk = self.request.GET.get("plan", "")
        if plan_pk.isdigit():
            return {"plan": selectors.managed_plan_list(user=self.request.user).filter(pk=plan_pk).first()}
        return {}

    def save(self, form, instance):
        if instance is None:
            return services.session_create(data=form.cleaned_data, actor=self.request.user)
        return services.session_update(session=instance, data=form.cleaned_data, actor=self.request.user)

    def cancel_url(self, instance) -> str:
        return instance.get_absolute_url() if instance is not None else reverse("training:session_list")


class SessionDelete(DeletePageView):
    allowed = staticmethod(selectors.may_manage_training)
    selector = staticmethod(selectors.managed_session_list)
    service = staticmethod(lambda obj, actor: services.session_delete(session=obj, actor=actor))
    success_url_name = "training:session_list"


@login_required
@require_POST
def session_signin(request: HttpRequest, pk: int) -> HttpResponse:
    """Open or close sign-in by code, or renew the code."""
    session = _managed_session(request, pk)
    action = request.POST.get("action")
    try:
        if action == "open":
            session = services.session_signin_set(session=session, is_open=True, actor=request.user)
            messages.success(request, f"已开放签到，签到码 {session.signin_code}，当天有效。")
        elif action == "close":
            services.session_signin_set(session=session, is_open=False, actor=request.user)
            messages.success(request, "已关闭签到。")
        elif action == "renew":
            session = services.session_code_renew(session=session, actor=request.user)
            messages.success(request, f"已更换签到码：{session.signin_code}。原签到码即时失效。")
        else:
            messages.error(request, "未知的操作。")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return HttpResponseRedirect(session.get_absolute_url())


@login_required
@require_GET
def session_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """投屏签到: the code, a QR code to the sign-in page and the live count, for the projector in the room.

    With `?part=count` only the count is rendered (htmx polls it every 10 seconds).
    """
    session = _managed_session(request, pk)
    counts = selectors.session_list(user=request.user).filter(pk=session.pk).values("invited_count", "present_count")
    context = {
        "object": session,
        "title": f"签到 · {session.title}",
        "counts": counts.get(),
        "live": session.signin_open and session.date == scopes.today(),
        "signin_url": request.build_absolute_uri(_signin_path(session)),
    }
    template = "training/_screen_count.html" if request.GET.get("part") == "count" else "training/session_screen.html"
    response = render(request, template, context)
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def session_screen_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code of the sign-in page, with this session's code filled in while sign-in is open
    (SVG, made here: no outside service)."""
    session = _managed_session(request, pk)
    response = HttpResponse(qr.svg(request.build_absolute_uri(_signin_path(session))), content_type="image/svg+xml")
    add_never_cache_headers(response)
    return response


def _signin_path(session: TrainingSession) -> str:
    path = reverse("training:signin")
    return f"{path}?{urlencode({'code': session.signin_code})}" if session.signin_open else path


# Invitations ------------------------------------------------------------------------------------------


def _criteria(form: forms.InviteFilterForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "township": data.get("township"),
        "group": data.get("group"),
        "level": data.get("level") or None,
        "new_only": bool(data.get("new_only")),
        "search": data.get("q") or "",
    }


@login_required
def session_invite(request: HttpRequest, pk: int) -> HttpResponse:
    session = _managed_session(request, pk)
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    form = forms.InviteFilterForm(source or None, user=user)
    criteria = _criteria(form) if form.is_bound and form.is_valid() else None
    if request.method == "POST":
        if criteria is None:
            messages.error(request, "查找条件有误，请重新选择。")
        else:
            if request.POST.get("pick") == "all":
                candidates = selectors.invite_candidates(user=user, **criteria).exclude(
                    pk__in=session.attendances.values("deputy_id")
                )
                chosen: list[int] = list(candidates.values_list("pk", flat=True))
            else:
                chosen = [int(v) for v in request.POST.getlist("deputy") if v.isdigit()]
            try:
                n = services.attendance_invite(session=session, deputies=chosen, actor=user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"已邀请 {n} 名代表参加“{session.title}”。")
                return HttpResponseRedirect(session.get_absolute_url())
    candidates = None
    total = fresh = 0
    shown: list = []
    if criteria is not None:
        candidates = selectors.invite_candidates(user=user, **criteria).annotate(
            already=Exists(Attendance.objects.filter(session=session, deputy=OuterRef("pk")))
        )
        total = candidates.count()
        fresh = candidates.filter(already=False).count()
        shown = list(candidates[:INVITE_LIST_LIMIT])
    return render(
        request,
        "training/invite.html",
        {
            "object": session,
            "title": f"邀请代表：{session.title}",
            "form": form,
            "searched": criteria is not None,
            "total": total,
            "fresh": fresh,
            "shown": shown,
            "truncated": total > INVITE_LIST_LIMIT,
            "limit": INVITE_LIST_LIMIT,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_POST
def attendance_remove(request: HttpRequest, pk: int, attendance_pk: int) -> HttpResponse:
    session = _managed_session(request, pk)
    row = session.attendances.filter(pk=attendance_pk).select_related("deputy").first()
    if row is None:
        messages.error(request, "该邀请记录不存在或已撤销。")
    else:
        try:
            services.attendance_remove(attendance=row, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"已撤销对{row.deputy.name}的邀请。")
    return HttpResponseRedirect(reverse("training:session_attendance", args=[session.pk]))


# Attendance marking -----------------------------------------------------------------------------------


def _marks_from(post) -> dict[int, tuple[str, str]]:
    marks = {}
    for key, value in post.items():
        if key.startswith("status_") and key[7:].isdigit():
            pk = int(key[7:])
            marks[pk] = (value, post.get(f"reason_{pk}", ""))
    return marks


@login_required
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff's attendance grid: one row per invited deputy, 100 to a page."""
    session = _managed_session(request, pk)
    user = request.user
    errors: list[str] = []
    submitted: dict[int, tuple[str, str]] = {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "rest_absent":
                n = services.attendance_mark_rest_absent(session=session, actor=user)
                messages.success(request, f"已将 {n} 名未签到的代表记为缺席。")
            else:
                submitted = _marks_from(request.POST)
                n = services.attendance_mark(session=session, marks=submitted, actor=user)
                messages.success(request, f"已保存出勤登记（{n} 人有变动）。")
        except ValidationError as exc:
            errors = exc.messages
        else:
            query = request.POST.get("return_query", "")
            url = reverse("training:session_attendance", args=[session.pk])
            return HttpResponseRedirect(f"{url}?{query}" if query else url)
    rows_qs: QuerySet[Attendance] = selectors.attendance_of(user=user, session=session)
    status = request.GET.get("status", "")
    if status in AttendanceStatus.values:
        rows_qs = rows_qs.filter(status=status)
    page = Paginator(rows_qs, ATTENDANCE_PAGE).get_page(request.GET.get("page"))
    rows = []
    for a in page.object_list:
        value, reason = submitted.get(a.pk, (a.status, a.excuse_reason))
        group = a.deputy.current_memberships[0].group.name if a.deputy.current_memberships else ""
        rows.append({"a": a, "status": value, "reason": reason, "group": group})
    query = urlencode({k: v for k, v in {"status": status, "page": request.GET.get("page", "")}.items() if v})
    return render(
        request,
        "training/attendance.html",
        {
            "object": session,
            "title": f"出勤登记：{session.title}",
            "rows": rows,
            "page": page,
            "query": urlencode({"status": status}) if status else "",
            "return_query": query,
            "status": status,
            "statuses": AttendanceStatus.choices,
            "errors": errors,
            "today": scopes.today(),
        },
        status=400 if errors else 200,
    )


# The deputy's phone sign-in ---------------------------------------------------------------------------


@login_required
def signin(request: HttpRequest) -> HttpResponse:
    """培训签到: the logged-in deputy types the session's code."""
    user = request.user
    _forbid_unless(bool(user.deputy_id), "只有人大代表本人可以用签到码签到。")
    # A scanned QR code brings the code along (?code=123456): the deputy only taps 签到.
    scanned = request.GET.get("code", "")
    initial = {"code": scanned} if scanned.isdigit() and len(scanned) <= 8 else {}
    form = forms.SignInForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                row = services.attendance_sign_in(code=form.cleaned_data["code"], user=user)
            except ValidationError as exc:
                form.add_error("code", exc)
                status = 400
            else:
                messages.success(request, f"签到成功：{row.session.title}。")
                return HttpResponseRedirect(reverse("training:signin"))
        else:
            status = 400
    today = scopes.today()
    year = today.year
    figures = selectors.deputy_training(deputy_ids=[user.deputy_id], year=year)[user.deputy_id]
    return render(
        request,
        "training/signin.html",
        {
            "title": "培训签到",
            "form": form,
            "today_rows": selectors.my_attendance(user=user, on=today),
            "today": today,
            "year": year,
            "figures": figures,
            "hours": _hours(figures["hours"]),
        },
        status=status,
    )


# Plans ------------------------------------------------------------------------------------------------


class PlanList(RegisterView):
    title = "培训方案"
    allowed = staticmethod(selectors.is_training_staff)
    selector = staticmethod(selectors.plan_list)
    filterset_class = filters.PlanFilter
    default_sort = "-year"
    create_url = "training:plan_create"
    create_allowed = staticmethod(selectors.may_manage_training)
    columns = [
        Column("年度", lambda p: p.year, "year"),
        Column("方案名称", lambda p: p.title, "title", link=lambda p: p.get_absolute_url()),
        Column("组织", lambda p: f"{p.get_level_display()} · {p.organiser}", "region__code"),
        Column("经费预算（元）", lambda p: f"{p.budget:,.2f}", "budget"),
        Column("状态", lambda p: p.get_status_display(), "status"),
        Column("培训期数", lambda p: p.session_count, "session_count"),
    ]

    @property
    def extra_links(self) -> list[tuple[str, str]]:
        return [(reverse("training:session_list"), "培训场次")]


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _forbid_unless(selectors.is_training_staff(request.user), "您的角色无权查看培训方案。")
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


class PlanForm(FormPageView):
    form_class = forms.PlanForm
    title = "新增培训方案"
    allowed = staticmethod(selectors.may_manage_training)
    selector = staticmethod(selectors.managed_plan_list)

    def save(self, form, instance):
        if instance is None:
            return services.plan_create(data=form.cleaned_data, actor=self.request.user)
        return services.plan_update(plan=instance, data=form.cleaned_data, actor=self.request.user)

    def cancel_url(self, instance) -> str:
        return instance.get_absolute_url() if instance is not None else reverse("training:plan_list")


class PlanDelete(DeletePageView):
    allowed = staticmethod(selectors.may_manage_training)
    selector = staticmethod(selectors.managed_plan_list)
    service = staticmethod(lambda obj, actor: services.plan_delete(plan=obj, actor=actor))
    success_url_name = "training:plan_list"


# Materials --------------------------------------------------------------------------------------------


class MaterialList(RegisterView):
    title = "学习资料"
    allowed = staticmethod(selectors.is_training_staff)
    selector = staticmethod(selectors.material_list)
    default_sort = "title"
    create_url = "training:material_create"
    create_allowed = staticmethod(selectors.is_city_manager)
    columns = [
        Column("资料名称", lambda m: m.title, "title", link=lambda m: m.get_absolute_url()),
        Column("出版或印发单位", lambda m: m.publisher),
        Column("已发放（份）", lambda m: m.copies, "copies"),
    ]

    @property
    def extra_links(self) -> list[tuple[str, str]]:
        links = [(reverse("training:session_list"), "培训场次")]
        if selectors.may_manage_training(self.request.user):
            links.append((reverse("training:distribution_create"), "登记发放"))
        return links


@login_required
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _forbid_unless(selectors.is_training_staff(request.user), "您的角色无权查看学习资料。")
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


class MaterialForm(FormPageView):
    form_class = forms.MaterialForm
    title = "新增学习资料"
    allowed = staticmethod(selectors.is_city_manager)
    selector = staticmethod(selectors.material_list)

    def save(self, form, instance):
        if instance is None:
            return services.material_create(data=form.cleaned_data, actor=self.request.user)
        return services.material_update(material=instance, data=form.cleaned_data, actor=self.request.user)


class MaterialDelete(DeletePageView):
    allowed = staticmethod(selectors.is_city_manager)
    selector = staticmethod(selectors.material_list)
    service = staticmethod(lambda obj, actor: services.material_delete(material=obj, actor=actor))
    success_url_name = "training:material_list"


class DistributionForm(FormPageView):
    form_class = forms.DistributionForm
    title = "登记资料发放"
    allowed = staticmethod(selectors.may_manage_training)

    def form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        material, session = self.request.GET.get("material", ""), self.request.GET.get("session", "")
        if material.isdigit():
            kwargs["material"] = Material.objects.filter(pk=material).first()
        if session.isdigit():
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


# Coverage and hours -----------------------------------------------------------------------------------


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    user = request.user
    _forbid_unless(may_see_coverage(user), "您的角色无权查看培训统计。")
    year = parse_year(request.GET.get("year"))
    bad_year = year is None
    if bad_year:
        messages.error(request, "年度参数无效，已显示本年度：请使用2000至2100之间的四位数年份。")
        year = scopes.today().year
    stats = selectors.training_stats(user=user, year=year)
    on = stats["as_of"]
    uncovered = selectors.uncovered_new_deputies(user=user, on=on)
    page = Paginator(uncovered, 50).get_page(request.GET.get("page"))
    missing_rows = [
        (d, d.current_memberships[0].group.name if d.current_memberships else "未编组") for d in page.object_list
    ]
    kinds = [(label, stats["sessions_by_kind"][value]) for value, label in SessionKind.choices]
    cov = stats["initial_training_coverage"]
    return render(
        request,
        "training/coverage.html",
        {
            "title": "培训覆盖与学时",
            "year": year,
            "years": range(scopes.today().year, scopes.today().year - 6, -1),
            "stats": stats,
            "cov": cov,
            "percent": f"{cov['ratio'] * 100:.1f}%" if cov["ratio"] is not None else "—",
            "kinds": kinds,
            "townships": selectors.township_breakdown(user=user, year=year),
            "page": page,
            "missing_rows": missing_rows,
            "query": urlencode({"year": year}),
            "hours_total": _hours(stats["hours_total"]),
        },
        status=400 if bad_year else 200,
    )


class HoursFilter(filters.HoursFilter):
    year = django_filters.NumberFilter(label="年度", method="keep", min_value=MIN_YEAR, max_value=MAX_YEAR)

    def keep(self, qs, name, value):
        return qs  # the year is applied by the selector


class HoursList(RegisterView):
    """Hours per deputy in a year: every deputy in scope with sessions attended, hours, leave and absences."""

    allowed = staticmethod(may_see_coverage)
    filterset_class = HoursFilter
    default_sort = "region__code"
    create_url = None
    paginate_by = 50

    @property
    def year(self) -> int:
        return parse_year(self.request.GET.get("year")) or scopes.today().year

    @property
    def title(self) -> str:
        return f"{self.year}年代表培训学时"

    @property
    def extra_links(self) -> list[tuple[str, str]]:
        return [(f"{reverse('training:coverage')}?year={self.year}", "覆盖与学时")]

    def get_queryset(self) -> QuerySet:
        return selectors.deputy_hours_list(user=self.request.user, year=self.year)

    columns = [
        Column("姓名", lambda d: d.name, "name", link=lambda d: d.get_absolute_url()),
        Column("乡镇（街道）", lambda d: d.region.name if d.region_id else "", "region__code"),
        Column("参训次数", lambda d: d.training_sessions, "training_sessions"),
        Column("学时", lambda d: _hours(d.training_hours), "training_hours"),
        Column("请假", lambda d: d.training_excused, "training_excused"),
        Column("缺席", lambda d: d.training_absent, "training_absent"),
    ]


# API --------------------------------------------------------------------------------------------------


def _json(payload: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@require_GET
def stats_training(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/stats/training?year=YYYY: the year's training figures for the caller's scope."""
    if not request.user.is_authenticated:
        return _json({"error": "请先登录。"}, status=401)
    if not selectors.may_see_training(request.user):
        return _json({"error": "您的角色无权查看代表培训统计。"}, status=403)
    year = parse_year(request.GET.get("year"))
    if year is None:
        return _json({"error": "年度参数无效：请使用2000至2100之间的四位数年份，例如 year=2026。"}, status=400)
    return _json(_plain(selectors.training_stats(user=request.user, year=year)))
