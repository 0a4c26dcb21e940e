"""Invitations and attendance: choosing the deputies to invite, and the staff's attendance grid."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from deputyhome.accounts import scopes
from deputyhome.core.converters import valid_id

from . import forms, selectors, services
from .choices import AttendanceStatus
from .models import Attendance
from .views import attendance_page, managed_session

INVITE_LIST_LIMIT = 300


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
    session = managed_session(request, pk)
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
                chosen = [pk for v in request.POST.getlist("deputy") if (pk := valid_id(v))]
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
    session = managed_session(request, pk)
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
        if key.startswith("status_") and (pk := valid_id(key[7:])):
            marks[pk] = (value, post.get(f"reason_{pk}", ""))
    return marks


@login_required
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff's attendance grid: one row per invited deputy, 100 to a page."""
    session = managed_session(request, pk)
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
    page, status = attendance_page(request, selectors.attendance_of(user=user, session=session))
    rows = []
    groups = selectors.group_names(page.object_list)
    for a in page.object_list:
        value, reason = submitted.get(a.pk, (a.status, a.excuse_reason))
        group = groups.get(a.deputy_id, "")
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


# The printed sheet ------------------------------------------------------------------------------------


@login_required
def session_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance sheet (签到表) for A4: every invited deputy with a column to sign, under the committee's name."""
    session = managed_session(request, pk)
    rows = list(selectors.attendance_of(user=request.user, session=session))
    groups = selectors.group_names(rows)
    return render(
        request,
        "training/sheet.html",
        {
            "object": session,
            "title": f"{session.title} 签到表",
            "committee": selectors.committee_name(session),
            "rows": [(a, groups.get(a.deputy_id, "")) for a in rows],
        },
    )
