"""Reports: statistics as JSON for the dashboard and other clients."""

from __future__ import annotations

from django.core.paginator import InvalidPage, Paginator
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from deputyhome.accounts.choices import ScopeKind
from deputyhome.core.api import json_answer, stats_endpoint
from deputyhome.motions.selectors import may_see_motions, motion_stats
from deputyhome.supervision.precomputed import suggestion_stats

from . import precomputed

TOWNSHIPS_PER_PAGE = 50


def _page_info(paginator: Paginator, number: int, area: str) -> dict:
    """A paged list's place, for a client to ask for the next page: the area, the page, how many pages and rows."""
    return {
        "area": area,
        "page": number,
        "pages": paginator.num_pages,
        "per_page": TOWNSHIPS_PER_PAGE,
        "count": paginator.count,
    }


@require_GET
def stats_overview(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/stats/overview[?area=<region code>][&page=N]: the overview figures for the caller's scope,
    with its townships 50 a page (those under `area` when given)."""
    if not request.user.is_authenticated:
        # An API answers 401 with a reason; a redirect to the login page would be useless to a client.
        return json_answer({"error": "请先登录。"}, status=401)
    data = precomputed.overview(user=request.user)
    area = request.GET.get("area", "").strip()
    if area and not (area.isascii() and area.isdigit()):
        return json_answer({"error": "地区参数无效：请填写地区代码，例如 area=422801。"}, status=400)
    rows = [r for r in data["by_township"] if r["code"].startswith(area)]
    paginator = Paginator(rows, TOWNSHIPS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        return json_answer({"error": f"页码无效：请填写1至{paginator.num_pages}之间的整数。"}, status=400)
    # One page of townships (a province has a thousand); the totals above stay those of the whole scope.
    data["by_township"] = list(page.object_list)
    data["by_township_page"] = _page_info(paginator, page.number, area)
    return json_answer(data)


@stats_endpoint(
    # The three administrators see no business data (separation of duties).
    allowed=lambda user: user.scope_kind != ScopeKind.NONE,
    refused="您的角色无权查看代表建议统计。",
)
def stats_suggestions(request: HttpRequest, year: int) -> dict | JsonResponse:
    """GET /api/v1/stats/suggestions?year=YYYY[&area=<region code>][&page=N]: the year's suggestion figures for
    the caller's scope, with the congresses (`by_congress`) and townships (`by_township`) 50 a page."""
    area = request.GET.get("area", "").strip()
    if area and not (area.isascii() and area.isdigit()):
        return json_answer({"error": "地区参数无效：请填写地区代码，例如 area=422801。"}, status=400)
    data = suggestion_stats(user=request.user, year=year)
    # The congresses and the townships 50 a page, each list those under `area` (a province has a thousand of
    # each); the figures above them stay those of the whole scope (decision 84).
    lists = {
        "by_congress": [r for r in data["by_congress"] if r["region"].startswith(area)],
        "by_township": [r for r in data["by_township"] if (r["code"] or "").startswith(area)],
    }
    pages = {key: Paginator(rows, TOWNSHIPS_PER_PAGE) for key, rows in lists.items()}
    last = max(p.num_pages for p in pages.values())
    number = request.GET.get("page") or "1"
    if not (number.isascii() and number.isdigit() and 1 <= int(number) <= last):
        return json_answer({"error": f"页码无效：请填写1至{last}之间的整数。"}, status=400)
    for key, paginator in pages.items():
        # A page past the end of the shorter list gives that list no rows.
        page = paginator.page(int(number)) if int(number) <= paginator.num_pages else None
        data[key] = list(page.object_list) if page else []
        data[f"{key}_page"] = _page_info(paginator, int(number), area)
    return data


# The three administrators see no business data; handling units are not given motions.
@stats_endpoint(allowed=may_see_motions, refused="您的角色无权查看议案统计。")
def stats_motions(request: HttpRequest, year: int) -> dict:
    """GET /api/v1/stats/motions?year=YYYY: the year's motions (议案) in the caller's scope."""
    return motion_stats(user=request.user, year=year)
