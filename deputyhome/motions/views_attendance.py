"""Pages of attendance at a session: the staff tick a delegation's members (出席、请假、缺席), or, at a session that
seats no delegations (a township congress's), every deputy of the congress on one sheet; a deputy asks for leave
from the session's page; the staff approve or refuse the requests. Scope as for the session and its delegations
(another township's delegation or session is a 404); acting needs the session's staff (403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deputyhome.core.converters import valid_id
from deputyhome.core.crud import add_service_errors, get_in_scope, not_in_scope
from deputyhome.core.filters import typed_text
from deputyhome.organisation.models import Session

from . import forms, selectors, services
from .choices import AttendanceStatus, LeaveState
from .models import Delegation
from .views_sessions import _session


def _staff_only(user, session: Session) -> None:
    if not services.may_record(user, session):
        raise PermissionDenied("只有本次会议的工作人员可以登记出席情况和审批请假。")


# The staff's attendance page of a delegation ------------------------------------------------------------


def _posted(post) -> tuple[dict[int, str], dict[int, str]]:
    """(status by deputy id, reason by deputy id) of the ticked rows; a row left unticked is left as it is."""
    statuses, reasons = {}, {}
    for key, value in post.items():
        if key.startswith("status_") and (pk := valid_id(key[7:])):
            statuses[pk] = value
            reasons[pk] = post.get(f"reason_{pk}", "")
    return statuses, reasons


@login_required
@require_http_methods(["GET", "POST"])
def delegation_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not selectors.may_see_sessions(user):
        raise not_in_scope(user, Delegation, pk)
    delegation: Delegation = get_in_scope(selectors.delegation_list, user, pk)
    session = delegation.session
    _staff_only(user, session)
    members = selectors.members_during(delegation=delegation)
    return _sheet(
        request,
        session=session,
        delegation=delegation,
        rows=[(m, m.get_role_display()) for m in members],
        title=f"登记出席情况：{delegation.name}",
        who="本代表团在会议期间的成员",
        outsider=f"不是{delegation.name}在会议期间的成员",
        back=(delegation.get_absolute_url(), "返回代表团"),
        saved=reverse("motions:delegation_attendance", args=[delegation.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """A township congress's session (which seats no delegations): its staff tick every deputy of the congress on
    one sheet. Any other session is ticked a delegation at a time."""
    user = request.user
    session = _session(request, pk)
    _staff_only(user, session)
    if not selectors.ticked_on_one_sheet(session):
        messages.info(request, "县级以上人民代表大会的会议按代表团登记出席情况，请在各代表团的页面登记。")
        return HttpResponseRedirect(reverse("motions:session_detail", args=[session.pk]))
    return _sheet(
        request,
        session=session,
        delegation=None,
        rows=[(m, m.constituency) for m in selectors.seated_during(session=session)],
        title=f"登记出席情况：{session.name}",
        who="本届代表大会在会议期间的代表",
        outsider=f"不是{session.name}的代表",
        back=(reverse("motions:session_detail", args=[session.pk]), "返回会议"),
        saved=reverse("motions:session_attendance", args=[session.pk]),
        second="选区",
    )


def _sheet(
    request: HttpRequest,
    *,
    session: Session,
    delegation: Delegation | None,
    rows: list[tuple[Any, str]],
    title: str,
    who: str,
    outsider: str,
    back: tuple[str, str],
    saved: str,
    second: str = "职务",
) -> HttpResponse:
    """The staff's attendance sheet: `rows` are (a row with `deputy`, `deputy_id` and the deputy's `attendance`,
    `leave_reason`, `leave_state` at the session, the row's `second` column), a delegation's members or a
    congress's mandates. Only the rows ticked are saved, all or nothing (`services.session_attendance_record`), and
    with "rest" the rows not recorded yet as present (most deputies attend: the staff tick the others)."""
    by_id = {row.deputy_id: row for row, _ in rows}
    errors: list[str] = []
    statuses: dict[int, str] = {}
    reasons: dict[int, str] = {}
    if request.method == "POST":
        statuses, reasons = _posted(request.POST)
        if request.POST.get("rest") == AttendanceStatus.PRESENT:
            # 其余均出席: every row neither ticked now nor recorded before, nor waiting for a decision on leave.
            for pk, row in by_id.items():
                if pk not in statuses and not row.attendance and row.leave_state != LeaveState.PENDING:
                    statuses[pk] = AttendanceStatus.PRESENT
        strangers = [pk for pk in statuses if pk not in by_id]
        if strangers:
            errors = [f"第{pk}号代表{outsider}，请刷新页面后重试。" for pk in strangers]
        elif not statuses:
            errors = ["请至少为一名代表选择出席情况。"]
        else:
            try:
                n = services.session_attendance_record(
                    session=session,
                    entries=[(by_id[pk].deputy, status) for pk, status in statuses.items()],
                    reasons=reasons,
                    delegation=delegation,
                    actor=request.user,
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                name = delegation.name if delegation else session.name
                messages.success(request, f"已保存{name}的出席情况（{n}人有变动）。")
                return HttpResponseRedirect(saved)
    context = {
        "session": session,
        "title": title,
        "who": who,
        "second": second,
        "back": back,
        "rows": [
            {
                "m": row,
                "second": text,
                "status": statuses.get(row.deputy_id, row.attendance or ""),
                "reason": reasons.get(row.deputy_id, row.leave_reason or ""),
            }
            for row, text in rows
        ],
        "statuses": AttendanceStatus.choices,
        "errors": errors,
        "breadcrumb": delegation,
    }
    return render(request, "motions/attendance_sheet.html", context, status=400 if errors else 200)


# A deputy's request for leave ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_leave(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    session = _session(request, pk)
    if not user.deputy_id:
        raise PermissionDenied("只有代表本人可以请假。")
    form = forms.LeaveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.session_leave_request(
                    session=session, deputy=user.deputy, reason=form.cleaned_data["reason"], actor=user
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "请假申请已提交，请等待大会工作人员审批。")
                return HttpResponseRedirect(reverse("motions:session_detail", args=[session.pk]))
        status = 400
    context = {
        "form": form,
        "title": f"请假：{session.name}",
        "cancel_url": reverse("motions:session_detail", args=[session.pk]),
    }
    return render(request, "core/form.html", context, status=status)


# The staff's list of requests for leave ----------------------------------------------------------------


@login_required
@require_GET
def leave_requests(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    session = _session(request, pk)
    _staff_only(user, session)
    page = Paginator(selectors.leave_requests(user=user, session=session), 50).get_page(request.GET.get("page"))
    context = {
        "object": session,
        "title": f"请假审批：{session.name}",
        "page": page,
        "requests": page.object_list,
    }
    return render(request, "motions/leave_requests.html", context)


@login_required
@require_POST
def leave_decide(request: HttpRequest, pk: int, attendance_pk: int) -> HttpResponse:
    user = request.user
    session = _session(request, pk)
    _staff_only(user, session)
    row = selectors.leave_requests(user=user, session=session).filter(pk=attendance_pk).first()
    if row is None:
        raise Http404("没有这条请假申请。")
    action = request.POST.get("action")
    if action not in ("approve", "refuse"):
        messages.error(request, "请选择批准或不予批准。")
    else:
        try:
            services.session_leave_decide(
                attendance=row,
                approve=action == "approve",
                refusal=typed_text(request.POST.get("refusal"), 500),
                actor=user,
            )
        except ValidationError as exc:
            messages.error(request, f"{row.deputy.name}：" + " ".join(exc.messages))
        else:
            verdict = "已批准" if action == "approve" else "已不予批准"
            messages.success(request, f"{row.deputy.name}的请假申请{verdict}。")
    return HttpResponseRedirect(reverse("motions:session_leave_requests", args=[session.pk]))
