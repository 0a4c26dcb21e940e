"""Pages for duty records, duty points, reports to voters, and the annual report download."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from deputyhome.accounts import scopes
from deputyhome.accounts.export_rights import DUTY_POINTS, DUTY_RECORD
from deputyhome.core.converters import valid_id
from deputyhome.core.crud import (
    Column,
    FormPageView,
    add_service_errors,
    get_in_scope,
    scheme_form_page,
    township_column,
)
from deputyhome.core.exports import ExportFile, export_view
from deputyhome.core.pages import ModelPages
from deputyhome.motions import services as motion_services
from deputyhome.organisation.models import Session

from . import exports, points, selectors, services
from .figures import Period
from .filters import VoterReportFilter
from .forms import PointsFilterForm, PointsSchemeForm, SessionAttendanceForm, VoterReportForm
from .models import VoterReport
from .periods import parse_year, recent_years

# A page of the points list: each row is scored and rendered with its figures; the full list is the Excel export.
POINTS_PER_PAGE = 25


def _require_records(user) -> None:
    if not selectors.can_view_records(user):
        raise PermissionDenied("您的角色无权查看代表履职档案。")


# Duty record --------------------------------------------------------------------------------------------


def _record_period(request: HttpRequest, deputy) -> tuple[Period, dict[str, Any]]:
    """The period from ?year= or ?term=<mandate id>; with what the selectors on the page need."""
    today = scopes.today()
    terms = selectors.terms_of(deputy=deputy)
    term_id = request.GET.get("term", "").strip()
    context: dict[str, Any] = {"terms": terms, "term_id": None, "year_error": ""}
    if term_id:
        mandate = next((m for m in terms if str(m.pk) == term_id), None)
        if mandate is None:
            context["year_error"] = "所选届次无效：请从列表中选择该代表的任期。"
        else:
            context["term_id"] = mandate.pk
            context["year"] = None
            context["years"] = recent_years(today.year)
            return Period.for_mandate(mandate, today), context
    year, error = parse_year(request.GET.get("year"))
    context.update(year=year, years=recent_years(year), year_error=context["year_error"] or error)
    return Period.for_year(year), context


def _record(request: HttpRequest, pk: int):
    user = request.user
    _require_records(user)
    deputy = selectors.deputy_in_scope(user=user, pk=pk)
    period, context = _record_period(request, deputy)
    rec = selectors.deputy_record(deputy=deputy, period=period, today=scopes.today(), actor=user)
    return rec, context


@login_required
@require_GET
def my_record(request: HttpRequest) -> HttpResponse:
    if not request.user.deputy_id:
        raise Http404("您的账号没有关联人大代表。")
    query = request.GET.urlencode()
    url = reverse("records:deputy_record", args=[request.user.deputy_id])
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


@login_required
@require_GET
def my_year(request: HttpRequest) -> HttpResponse:
    """A deputy's home page panel (htmx): their own year as their duty record counts it, with its points, and the
    way to the record. (The committee's year overview said "1 deputy, 1 group" of a deputy's own scope.)"""
    user = request.user
    if not user.deputy_id:
        raise Http404("您的账号没有关联人大代表。")
    _require_records(user)
    deputy = selectors.deputy_in_scope(user=user, pk=user.deputy_id)
    year, error = parse_year(request.GET.get("year"))
    period = Period.for_year(year)
    rec = selectors.duty_summary(deputy=deputy, period=period, today=scopes.today(), actor=user)
    context = {
        "rec": rec,
        "f": rec.figures,
        "year": year,
        "year_error": error,
        "as_of": min(period.end, scopes.today()),
    }
    return render(request, "records/_my_year.html", context, status=400 if error else 200)


@login_required
@require_GET
def deputy_record(request: HttpRequest, pk: int) -> HttpResponse:
    """One deputy's duty record for a year or a term: printable, with its points and their reasons."""
    rec, context = _record(request, pk)
    query = {"term": context["term_id"]} if context["term_id"] else {"year": context["year"]}
    context.update(
        title=f"{rec.deputy.name}代表履职档案",
        rec=rec,
        summary=exports.summary_lines(rec),
        export_url=f"{reverse('records:deputy_record_export', args=[rec.deputy.pk])}?{urlencode(query)}",
        can_record_attendance=selectors.can_record_attendance(request.user),
        can_edit_reports=selectors.can_edit_reports(request.user),
        is_me=request.user.deputy_id == rec.deputy.pk,
        printed_on=scopes.today(),
    )
    return render(request, "records/deputy_record.html", context, status=400 if context["year_error"] else 200)


@export_view(DUTY_RECORD)
def deputy_record_export(request: HttpRequest, pk: int) -> ExportFile | HttpResponse:
    rec, context = _record(request, pk)
    if context["year_error"]:
        return HttpResponse(context["year_error"], status=400, content_type="text/plain; charset=utf-8")
    content, filename, rows = exports.record_workbook(rec)
    return ExportFile(content, filename, rows, filters={"deputy": rec.deputy.pk, "period": rec.period.label})


# Session attendance -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a deputy's attendance at a session of a congress the user works for (`motions` keeps it)."""
    user = request.user
    if not selectors.can_record_attendance(user):
        raise PermissionDenied("只有代工委和乡镇（街道）人大工作人员可以登记会议出席情况。")
    deputy = selectors.deputy_in_scope(user=user, pk=pk)
    sessions = Session.objects.filter(scopes.congress_staff_q(user), congress__mandates__deputy=deputy).select_related(
        "congress"
    )
    form = SessionAttendanceForm(request.POST or None)
    form.fields["session"].queryset = sessions.distinct().order_by("-start_date")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            session = form.cleaned_data["session"]
            try:
                motion_services.session_attendance_record(
                    session=session,
                    entries=[(deputy, form.cleaned_data["status"])],
                    reasons={deputy.pk: form.cleaned_data["reason"]},
                    actor=user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "会议出席情况已登记。")
                url = reverse("records:deputy_record", args=[deputy.pk])
                return HttpResponseRedirect(f"{url}?year={session.start_date.year}")
        status = 400
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": f"登记会议出席情况：{deputy.name}",
            "cancel_url": reverse("records:deputy_record", args=[deputy.pk]),
        },
        status=status,
    )


# Duty points --------------------------------------------------------------------------------------------


def _points_filters(request: HttpRequest) -> tuple[PointsFilterForm, dict[str, Any], str]:
    data = request.GET.copy()
    if not data.get("year"):
        data["year"] = str(scopes.today().year)
    form = PointsFilterForm(data, user=request.user)
    if form.is_valid():
        return form, form.cleaned_data, ""
    errors = "；".join(e for field in form.errors.values() for e in field)
    return form, {"year": scopes.today().year, "quarter": None, "township": None, "group": None, "name": ""}, errors


def _points_heading(user, year: int, quarter: int | None, cleaned: dict[str, Any]) -> str:
    place = cleaned.get("group") or cleaned.get("township") or selectors.scope_place(user)
    when = f"{year}年{Period.for_quarter(year, quarter).label[5:]}" if quarter else f"{year}年度"
    return f"{place}人大代表{when}履职积分"


def _points(request: HttpRequest):
    """The points list's filters and its ranked rows (the ranking computed ahead), for the page and the export."""
    user = request.user
    if not selectors.can_view_points_list(user):
        raise PermissionDenied("您的角色无权查看履职积分公示名单。")
    form, cleaned, error = _points_filters(request)
    fields = ("year", "quarter", "township", "group", "name")
    scheme, rows = selectors.points_page_rows(
        selectors.PointsQuery(**{k: cleaned[k] for k in fields}), user=user, actor=user
    )
    return form, cleaned, error, scheme, rows


@login_required
@require_GET
def points_list(request: HttpRequest) -> HttpResponse:
    """The quarterly list for publication: ranked points in scope, filtered by township or group."""
    form, cleaned, error, scheme, rows = _points(request)
    page = Paginator(rows, POINTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    year, quarter = cleaned["year"], cleaned["quarter"]
    return render(
        request,
        "records/points.html",
        {
            "title": _points_heading(request.user, year, quarter, cleaned),
            "form": form,
            "error": error,
            "scheme": scheme,
            "rules": [points.describe(spec) for spec in services.item_specs(scheme)],
            "page": page,
            "total": page.paginator.count,
            "year": year,
            "quarter": quarter,
            "period": Period.running(year, quarter),
            "query": query.urlencode(),
            "can_edit_scheme": selectors.can_edit_scheme(request.user),
            "figures": rows.figures,  # the ranking computed ahead, for its stamp (None: ranked now)
        },
        status=400 if error else 200,
    )


@export_view(DUTY_POINTS)
def points_export(request: HttpRequest) -> ExportFile | HttpResponse:
    """The points list as the page shows it (the ranking computed ahead), every row, as .xlsx."""
    _form, cleaned, error, _scheme, rows = _points(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    heading = _points_heading(request.user, cleaned["year"], cleaned["quarter"], cleaned)
    content, filename = exports.points_workbook(rows=rows, heading=heading, quarter=cleaned["quarter"])
    filters = {k: str(v) if v is not None else "" for k, v in cleaned.items()}
    return ExportFile(content, filename, len(rows), filters=filters)


@login_required
@require_http_methods(["GET", "POST"])
def scheme(request: HttpRequest) -> HttpResponse:
    """City officers edit the year's points scheme; every deputy's points follow at once."""
    user = request.user
    if not selectors.can_edit_scheme(user):
        raise PermissionDenied("只有代工委工作人员可以修改履职积分办法。")
    year, error = parse_year(request.GET.get("year"))
    current = services.points_scheme_for_year(year=year, actor=user)
    return scheme_form_page(
        request,
        current,
        PointsSchemeForm,
        save=lambda form: services.points_scheme_update(scheme=current, items=form.items_data(), actor=user),
        saved="履职积分办法已保存，所有代表的积分已按新办法重新计算。",
        success_url=f"{reverse('records:scheme')}?year={year}",
        template="records/scheme.html",
        context={"title": f"{year}年度履职积分办法", "year": year, "years": recent_years(year), "year_error": error},
    )


# Reports to voters --------------------------------------------------------------------------------------


def _report_status(r: VoterReport) -> str:
    return r.get_status_display()


def _report_rate(r: VoterReport) -> str:
    rate = r.satisfaction_rate
    return f"{rate:.1%}" if rate is not None else ""


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_records(request.user)
    report = get_in_scope(selectors.voter_report_list, request.user, pk)
    return render(
        request,
        "records/report_detail.html",
        {
            "title": str(report),
            "object": report,
            "can_edit": selectors.can_edit_reports(request.user),
        },
    )


class VoterReportFormPage(FormPageView):
    """A report to voters, for a deputy from their record (?deputy=pk) or on its own; dated today when new."""

    def get_form(self, instance, data=None, files=None):
        initial = {}
        if instance is None:
            deputy = self.request.GET.get("deputy", "")
            if deputy_pk := valid_id(deputy):
                initial["deputy"] = deputy_pk
            initial["date"] = datetime.date.isoformat(scopes.today())
        return self.form_class(data=data, files=files, instance=instance, user=self.request.user, initial=initial)

    def save(self, form, instance):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if instance is None:
            return services.voter_report_create(data=data, actor=self.request.user)
        return services.voter_report_update(report=instance, data=data, actor=self.request.user)


reports = ModelPages(
    "records",
    "report",
    selector=selectors.voter_report_list,
    viewers=selectors.can_view_records,
    editors=selectors.can_edit_reports,
    register={
        "title": "向选民述职",
        "filterset_class": VoterReportFilter,
        "default_sort": "-date",
        "columns": [
            Column("述职日期", lambda r: f"{r.date:%Y-%m-%d}", "date", link=lambda r: r.get_absolute_url()),
            Column("代表", lambda r: r.deputy.name, "deputy__name"),
            township_column(lambda r: r.deputy.region.name if r.deputy.region else "", "deputy__region__code"),
            Column("述职地点", lambda r: r.station.name, "station__name"),
            Column("状态", _report_status, "status"),
            Column("参加选民", lambda r: r.voters_present, "voters_present"),
            Column("满意度", _report_rate),
        ],
    },
    detail=report_detail,
    form_class=VoterReportForm,
    form_title="登记向选民述职",
    form_view=VoterReportFormPage,
)
