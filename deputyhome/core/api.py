"""The JSON statistics endpoints (`/api/v1/stats/...`): one answer for the anonymous, the refused and a bad year."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from .filters import query_year

YEAR_ERROR = "年度参数无效：请使用2000至2100之间的四位数年份，例如 year=2026。"


def json_answer(payload: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


def stats_endpoint(*, allowed: Callable[[Any], bool], refused: str):
    """A GET of the caller's figures for `?year=` (this year when empty): 401 for the anonymous, 403 with `refused`
    for a role `allowed` refuses, 400 for a bad year; else the view's dict as JSON (or the view's own answer, a 400
    for a parameter of its own: `json_answer`)."""

    def wrap(view: Callable[[HttpRequest, int], dict | JsonResponse]) -> Callable[[HttpRequest], JsonResponse]:
        @require_GET
        @functools.wraps(view)
        def endpoint(request: HttpRequest) -> JsonResponse:
            if not request.user.is_authenticated:
                return json_answer({"error": "请先登录。"}, status=401)
            if not allowed(request.user):
                return json_answer({"error": refused}, status=403)
            year = query_year(request.GET.get("year"), timezone.localdate().year)
            if year is None:
                return json_answer({"error": YEAR_ERROR}, status=400)
            answer = view(request, year)
            return answer if isinstance(answer, JsonResponse) else json_answer(answer)

        return endpoint

    return wrap
