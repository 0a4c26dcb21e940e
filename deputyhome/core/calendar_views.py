"""工作日历调整 in the application: the system administrator keeps the working-day calendar overrides.

List by year (paginated), add, edit and delete with a confirmation; every write goes through
`calendar_services` (audited). Other roles get 403. The reads are `calendar_override_list` below.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from . import workdays
from .calendar_services import calendar_override_clear, calendar_override_set
from .crud import render_form
from .filters import query_year
from .models import CalendarOverride

WEEKDAYS = "一二三四五六日"
YEARS = range(2000, 2101)


def may_keep_calendar(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_system_admin)


def calendar_override_list(*, user: Any, year: int) -> QuerySet[CalendarOverride]:
    if not may_keep_calendar(user):
        return CalendarOverride.objects.none()
    return CalendarOverride.objects.filter(date__year=year).order_by("date")


class CalendarOverrideForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.BooleanField(
        label="上班", required=False, help_text="勾选：当天为工作日（如调休上班）；不勾选：当天为休息日。"
    )
    note = forms.CharField(label="说明", max_length=100, help_text="例如：2027年春节")

    def clean_date(self) -> datetime.date:
        day = self.cleaned_data["date"]
        if day.year not in YEARS:
            raise forms.ValidationError(f"日期须在{YEARS.start}年至{YEARS.stop - 1}年之间。")
        return day


def _allowed(request: HttpRequest) -> None:
    if not may_keep_calendar(request.user):
        raise PermissionDenied("只有系统管理员可以调整工作日历。")


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    year = query_year(raw, None)
    return year if year in YEARS else timezone.localdate().year


def _override(request: HttpRequest, pk: int) -> CalendarOverride:
    override = CalendarOverride.objects.filter(pk=pk).first()
    if override is None:
        raise Http404("未找到该调整。")
    return override


def _back(day: datetime.date) -> str:
    return f"{reverse('calendar:list')}?year={day.year}"


@login_required
def calendar_list(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    year = _year(request)
    page = Paginator(calendar_override_list(user=request.user, year=year), 50).get_page(request.GET.get("page"))
    rows = [(o, f"星期{WEEKDAYS[o.date.weekday()]}") for o in page.object_list]
    return render(
        request,
        "core/calendar_list.html",
        {
            "title": "工作日历调整",
            "year": year,
            "page": page,
            "rows": rows,
            "query": f"year={year}",
            "calendar_notice": workdays.provisional_notice(),
            "provisional": workdays.is_provisional_year(year),
        },
    )


@login_required
def calendar_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _allowed(request)
    override = _override(request, pk) if pk is not None else None
    initial = {"date": override.date, "is_workday": override.is_workday, "note": override.note} if override else None
    form = CalendarOverrideForm(request.POST or None, initial=initial)
    if override is not None:
        form.fields["date"].disabled = True  # moving an override would be a silent change: delete and add instead
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if override is None and CalendarOverride.objects.filter(date=data["date"]).exists():
            form.add_error("date", "这一天已有调整，请编辑原有记录。")
        else:
            calendar_override_set(
                date=data["date"], is_workday=data["is_workday"], note=data["note"], actor=request.user
            )
            messages.success(request, "已保存。")
            return HttpResponseRedirect(_back(data["date"]))
    title = f"编辑调整：{override}" if override else "新增工作日历调整"
    cancel = _back(override.date) if override else reverse("calendar:list")
    return render_form(request, "core/form.html", {"form": form, "title": title, "cancel_url": cancel})


@login_required
def calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request)
    override = _override(request, pk)
    if request.method == "POST":
        calendar_override_clear(date=override.date, actor=request.user)
        messages.success(request, f"已删除 {override}。")
        return HttpResponseRedirect(_back(override.date))
    return render(
        request,
        "core/calendar_confirm_delete.html",
        {"title": "删除工作日历调整", "object": override, "cancel_url": _back(override.date)},
    )
