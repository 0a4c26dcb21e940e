"""Reports: statistics as JSON for the dashboard and other clients."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from . import selectors


def _json(payload: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
def stats_overview(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/stats/overview: the overview figures for the caller's scope."""
    if not request.user.is_authenticated:
        # An API answers 401 with a reason; a redirect to the login page would be useless to a client.
        return _json({"error": "请先登录。"}, status=401)
    return _json(selectors.overview(user=request.user))
