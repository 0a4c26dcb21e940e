"""JSON for other clients: voter-contact statistics for the caller's scope."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from deputyhome.core.filters import query_year

from . import selectors


def _json(payload: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
def stats_opinions(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/stats/opinions?year=YYYY: receptions, voters received, opinions by status."""
    if not request.user.is_authenticated:
        return _json({"error": "请先登录。"}, status=401)
    year = query_year(request.GET.get("year"), timezone.localdate().year)
    if year is None:
        return _json({"error": "参数 year 无效：请填写2000至2100之间的年份，如 year=2026。"}, status=400)
    if not selectors.may_see_opinions(request.user):
        return _json({"error": "您的角色无权查看群众意见统计。"}, status=403)
    return _json(selectors.reception_stats(user=request.user, year=year))
