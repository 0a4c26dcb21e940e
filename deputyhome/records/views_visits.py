"""代表进站情况: who of the user's deputies came to a home or a station in a year, and the list of those who did not
(`visits`), on the page and as .xlsx."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from deputyhome.accounts import scopes
from deputyhome.accounts.export_rights import STATION_VISITS
from deputyhome.core.exports import ExportFile, export_view
from deputyhome.core.xlsx import StreamedSheet, streamed_workbook, workbook_bytes

from . import selectors, visits
from .forms import VisitFilterForm
from .reminders import Reminded, visit_reminders_send
from .townships import LOWEST

VISITS_PER_PAGE = 25  # as the points list


def filtered(request: HttpRequest, data, form_class: type, make: Callable[..., Any], fields: tuple[str, ...]):
    """A page's filters (`form_class`) and the query they ask for (`make`); an invalid filter is said, and this year's
    whole list shown. The same roles as the points list."""
    if not selectors.can_view_points_list(request.user):
        raise PermissionDenied("您的角色无权查看此统计。")
    data = (request.GET if data is None else data).copy()
    data.setdefault("year", str(scopes.today().year))
    form = form_class(data, user=request.user)
    if not form.is_valid():
        errors = "；".join(e for field in form.errors.values() for e in field)
        return form, make(year=scopes.today().year), errors
    return form, make(**{k: form.cleaned_data[k] for k in fields}), ""


def _query(request: HttpRequest, data=None) -> tuple[VisitFilterForm, visits.VisitQuery, str]:
    fields = ("year", "township", "station", "group", "name", "missing")
    return filtered(request, data, VisitFilterForm, visits.VisitQuery, fields)


def _heading(user, query: visits.VisitQuery) -> str:
    place = query.group or query.station or query.township or selectors.scope_place(user)
    return f"{place}{query.year}年代表进站情况{'（未进站代表）' if query.missing else ''}"


@login_required
@require_GET
def visits_page(request: HttpRequest) -> HttpResponse:
    form, query, error = _query(request)
    user = request.user
    found = visits.visits(query, user=user)
    summary = found.summary
    page = Paginator(found.listed, VISITS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context: dict[str, Any] = {
        "title": _heading(user, query),
        "form": form,
        "error": error,
        "query": query,
        "summary": summary,
        "page": page,
        "rows": visits.with_figures(list(page.object_list), query),
        "params": params.urlencode(),
        # Those who organise the station work: the same roles as organise reports to voters.
        "may_remind": selectors.can_edit_reports(user) and summary.missing > 0,
        "remind_label": f"提醒这{summary.missing}名未进站代表",
        "townships": found.townships,
        "township_count": found.township_count,
        "lowest": LOWEST,
    }
    return render(request, "records/visits.html", context, status=400 if error else 200)


def chunks(listed: Sequence[Any]) -> Iterator[list[Any]]:
    """The deputies listed, 2,000 at a time (each slice read in one query)."""
    for start in range(0, len(listed), 2000):
        yield listed[start : start + 2000]


def remind(
    request: HttpRequest,
    parsed: tuple[Any, Any, str],
    *,
    page: str,
    only: str,
    send: Callable[..., Reminded],
    said: Callable[[Reminded], str],
) -> HttpResponse:
    """提醒 from a norm's list (`page`): send to those the list shows with `only` ticked (the filters sent with the
    button, `parsed`), say what was done, and go back to that list."""
    _form, query, error = parsed
    back = f"{reverse(page)}?{urlencode({**norm_filters(query), only: 'on'})}"
    if error:
        messages.error(request, error)
        return HttpResponseRedirect(back)
    try:
        done = send(query=query, actor=request.user, sms=request.POST.get("sms") == "on")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return HttpResponseRedirect(back)
    messages.success(request, said(done))
    return HttpResponseRedirect(back)


@login_required
@require_POST
def visits_remind(request: HttpRequest) -> HttpResponse:
    """提醒: message the deputies the page lists as not come (its filters, sent with the button)."""
    if not selectors.can_edit_reports(request.user):
        raise PermissionDenied("您的角色无权提醒代表。")

    def said(done: Reminded) -> str:
        return f"已提醒{done.reached}名未进站代表（站内消息{'和短信' if done.texted else ''}，同一天不重复发送）" + (
            f"；另有{done.unreached}名代表没有登录账号，请电话联系。" if done.unreached else "。"
        )

    parsed = _query(request, request.POST)
    return remind(request, parsed, page="records:visits", only="missing", send=visit_reminders_send, said=said)


def norm_filters(query: Any) -> dict[str, Any]:
    """A norm list's filters as its query string: the year, and the township, station, group and name asked for."""
    out: dict[str, Any] = {"year": query.year}
    for name in ("township", "station", "group"):
        if getattr(query, name, None) is not None:
            out[name] = getattr(query, name).pk
    if query.name.strip():
        out["name"] = query.name.strip()
    return out


class ListExport:
    """A filtered list as one sheet, titled with its page's heading and the day it is exported; `file` is what the
    export view returns."""

    def __init__(self, heading: str, sheet: str, headers: Sequence[str], widths: Sequence[int]) -> None:
        self.heading, self.today, self.count = heading, timezone.localdate(), 0
        self.workbook = streamed_workbook()
        title = f"{heading}（导出日期 {self.today:%Y-%m-%d}）"
        self.sheet = StreamedSheet(self.workbook, sheet, title, headers, widths)

    def append(self, values: list[Any]) -> None:
        self.sheet.append(values)
        self.count += 1

    def file(self, filters: dict[str, Any]) -> ExportFile:
        name = f"{self.heading}-{self.today:%Y%m%d}.xlsx"
        return ExportFile(workbook_bytes(self.workbook), name, self.count, filters=filters)


def bad_filter(error: str) -> HttpResponse:
    return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")


@export_view(STATION_VISITS)
def visits_export(request: HttpRequest) -> ExportFile | HttpResponse:
    """The list as the page shows it (every row, not a page), with each deputy's figures."""
    _form, query, error = _query(request)
    if error:
        return bad_filter(error)
    headers = ["姓名", "乡镇（街道）", "代表小组", "接待选民（次）", "参加小组或家站活动（次）", "是否进站"]
    out = ListExport(_heading(request.user, query), "进站情况", headers, [10, 16, 24, 14, 22, 10])
    for chunk in chunks(visits.visits(query, user=request.user).listed):
        for row in visits.with_figures(chunk, query):
            region = row.deputy.region.name if row.deputy.region_id else ""
            out.append([row.deputy.name, region, row.group, row.receptions, row.activities, "是" if row.came else "否"])
    filters = {"year": query.year, "township": str(query.township or ""), "group": str(query.group or "")}
    return out.file({**filters, "missing": query.missing})
