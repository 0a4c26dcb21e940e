"""The annual report: its Word download, the year's figures with charts (a page, or the home page's
panel through htmx), and the same figures as JSON.

Here and not in records: they gather every app's figures (`annual`), and only reports stands above them all.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from deputyhome.accounts.choices import ScopeKind
from deputyhome.accounts.export_rights import ANNUAL_REPORT
from deputyhome.core.api import json_answer
from deputyhome.core.exports import ExportFile, export_view
from deputyhome.records.periods import parse_year, recent_years

from . import annual, annual_drafts, charts, precomputed


@export_view(ANNUAL_REPORT)
def annual_report(request: HttpRequest) -> ExportFile | HttpResponse:
    """GET ?year=YYYY: the year's report (.docx) for the user's scope, audited as an export."""
    user = request.user
    if not annual.can_download(user):
        raise PermissionDenied("您的角色无权下载年度代表工作报告。")
    year, error = parse_year(request.GET.get("year"))
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    content, filename = annual.annual_report_docx(user=user, year=year)
    return ExportFile(content, filename, 1, filters={"year": year}, content_type=annual.DOCX_TYPE)


@login_required
@require_GET
def year_overview(request: HttpRequest) -> HttpResponse:
    """The year's figures with charts: a fragment for the dashboard (htmx), or a page of its own."""
    user = request.user
    if not annual.can_download(user):
        raise PermissionDenied("您的角色无权查看年度工作概况。")
    year, error = parse_year(request.GET.get("year"))
    panel = precomputed.year_panel_for(user=user, year=year)
    sections = panel.value["sections"]
    for section in sections:
        # Drawn here, not kept drawn: a snapshot outlives a change of the drawing. The SVG escapes every text.
        section["charts"] = [mark_safe(charts.svg(charts.BarChart.from_data(c))) for c in section["charts"]]  # noqa: S308
    context = {
        "title": f"{year}年度代表工作概况",
        "year": year,
        "years": recent_years(year),
        "year_error": error,
        "f": {**panel.value, "as_of": datetime.date.fromisoformat(panel.value["as_of"])},
        "sections": sections,
        "download_url": f"{reverse('reports:annual_report')}?year={year}",
        # The Word report is the committee's document: a deputy's home page does not offer it (their own year
        # is the 履职档案).
        "offer_download": user.scope_kind != ScopeKind.SELF,
        "may_edit_text": annual_drafts.may_edit(user),
        "levels": panel.value["levels"],
        "figures": panel,  # for its "computed at" stamp
    }
    template = "reports/_year_panel.html" if getattr(request, "htmx", False) else "reports/year_overview.html"
    return render(request, template, context, status=400 if error else 200)


@require_GET
def annual_stats_api(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/stats/annual?year=YYYY: the annual report's figures for the caller's scope, as JSON."""

    user = request.user
    if not user.is_authenticated:
        return json_answer({"error": "请先登录。"}, status=401)
    if not annual.can_download(user):
        return json_answer({"error": "您的角色无权查看年度代表工作统计。"}, status=403)
    year, error = parse_year(request.GET.get("year"))
    if error:
        return json_answer({"error": error}, status=400)
    # Computed ahead per scope and year (reports.precomputed.annual_texts), with when.
    result = precomputed.annual_for(user=user, year=year)
    return json_answer(result.value["api"] | {"computed_at": result.computed_at.isoformat()})
