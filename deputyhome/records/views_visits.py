"""代表进站情况: who of the user's deputies came to a home or a station in a year, and the list of those who did not
(`visits`), on the page and as .xlsx."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from deputyhome.accounts.export_rights import STATION_VISITS
from deputyhome.core.exports import ExportFile, export_view

from . import selectors, visits
from .forms import VisitFilterForm
from .reminders import Reminded, visit_reminders_send
from .townships import LOWEST
from .views_norms import filtered, norm_export, remind

VISITS_PER_PAGE = 25  # as the points list


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


@export_view(STATION_VISITS)
def visits_export(request: HttpRequest) -> ExportFile | HttpResponse:
    """The list as the page shows it, with each deputy's figures."""

    def rows(chunk: list[Any], query: visits.VisitQuery) -> Iterable[list[Any]]:
        for row in visits.with_figures(chunk, query):
            region = row.deputy.region.name if row.deputy.region_id else ""
            yield [row.deputy.name, region, row.group, row.receptions, row.activities, "是" if row.came else "否"]

    headers = ["姓名", "乡镇（街道）", "代表小组", "接待选民（次）", "参加小组或家站活动（次）", "是否进站"]
    return norm_export(
        _query(request),
        heading=lambda query: _heading(request.user, query),
        sheet=("进站情况", headers, [10, 16, 24, 14, 22, 10]),
        listed=lambda query: visits.visits(query, user=request.user).listed,
        rows=rows,
    )
