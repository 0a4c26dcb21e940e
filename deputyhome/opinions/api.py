"""JSON for other clients: voter-contact statistics for the caller's scope."""

from __future__ import annotations

from django.http import HttpRequest

from deputyhome.core.api import stats_endpoint

from . import selectors


@stats_endpoint(allowed=selectors.may_see_opinions, refused="您的角色无权查看群众意见统计。")
def stats_opinions(request: HttpRequest, year: int) -> dict:
    """GET /api/v1/stats/opinions?year=YYYY: receptions, voters received, opinions by status."""
    return selectors.reception_stats(user=request.user, year=year)
